//! The checked form of a scenario: ids resolved to indexes, dates and times parsed,
//! instants computed. Built only by `validate`, so every value here is known good.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use crate::engine::catalog::PriceBook;
use crate::engine::time::{Instant, Local};

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub currency: String,
    pub tz: TimeZone,
    pub start_date: Date,
    /// The first date after the period.
    pub end_date: Date,
    pub months: u32,
    pub start: Instant,
    pub end: Instant,
    pub book: PriceBook,
    /// `None`: estimate mode, unlimited balance (M6).
    pub packs: Option<Vec<PackM>>,
    pub low_balance_percent: u64,
    pub products: Vec<Rated>,
    pub services: Vec<Rated>,
    pub offerings: Vec<OfferingM>,
    pub users: Vec<UserM>,
}

/// A product or service id with its rate (tokens per day, or per result).
#[derive(Debug, Clone)]
pub struct Rated {
    pub id: String,
    pub name: String,
    pub tokens: u64,
}

#[derive(Debug, Clone)]
pub struct PackM {
    pub id: String,
    pub purchased: Date,
    pub usable_from: Instant,
    pub expires_date: Date,
    pub expires: Instant,
    /// 00:00 of purchase date + 30 days (L5).
    pub return_deadline: Instant,
    pub tokens: u64,
}

#[derive(Debug, Clone)]
pub struct OfferingM {
    pub id: String,
    pub name: String,
    /// Indexes into `Model::products`.
    pub covers: Vec<usize>,
    pub annual: Decimal,
    pub monthly: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct UserM {
    pub id: String,
    /// As given: [`UserM::name`] reads the id when there is none (a big team's users
    /// mostly have none, and a copy of each id was an allocation each).
    pub name: Option<String>,
    pub tz: TimeZone,
    pub subscriptions: Vec<SubscriptionM>,
    pub usages: Vec<UsageM>,
    pub results: Vec<ResultM>,
}

impl UserM {
    /// The name, else the id.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionM {
    pub offering: usize,
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone)]
pub struct UsageM {
    pub product: usize,
    pub pattern: PatternM,
    /// `months[m]` for m in 1..=12; `None` keeps every month.
    pub months: Option<[bool; 13]>,
    /// Sorted.
    pub except: Vec<Date>,
    pub idle_detection: bool,
    pub plugins: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum PatternM {
    /// The sessions, and all their inactive stretches in one list (each session holds
    /// its range of it), so that expanding reads memory in order.
    Sessions {
        list: Vec<SessionM>,
        inactive: Vec<(Local, Local)>,
    },
    /// `days[0]` is Monday.
    Weekly {
        days: [bool; 7],
        from: Time,
        to: Time,
    },
    Monthly {
        days: u32,
        from: Time,
        to: Time,
    },
    Dates {
        dates: Vec<Date>,
        from: Time,
        to: Time,
    },
}

#[derive(Debug, Clone)]
pub struct SessionM {
    pub start: Local,
    pub end: Local,
    /// This session's stretches in the pattern's `inactive` list.
    pub inactive: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct ResultM {
    pub service: usize,
    pub at: Instant,
    pub quantity: u64,
}
