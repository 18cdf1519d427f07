//! The report of one simulation (SPEC §7 `simulate`): what every shell renders.
//!
//! Records hold indexes and instants; ids and RFC 3339 times are written only when the
//! report is serialized, so a large simulation does not pay for text it may never print.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::engine::price::Order;
use crate::engine::time::{format_date, rfc3339, Instant};

/// What a token was charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// Index into `Report::products`.
    Product(u32),
    /// Index into `Report::services`.
    Service(u32),
}

/// One charge that went through (or, inside a [`Denial`], one that did not), as
/// [`Report::charges`] hands them out (the report keeps 8-byte keys). 24 bytes: the item is
/// packed into one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    pub user: u32,
    /// The index of a product, or of a service with the high bit set.
    item: u32,
    pub at: Instant,
    pub tokens: u64,
}

const SERVICE_BIT: u32 = 1 << 31;

impl Charge {
    #[inline]
    pub fn new(user: u32, item: Item, at: Instant, tokens: u64) -> Charge {
        // Indexes into the scenario's product and service lists: far below 2^31.
        debug_assert!(matches!(item, Item::Product(i) | Item::Service(i) if i < SERVICE_BIT));
        let item = match item {
            Item::Product(p) => p & !SERVICE_BIT,
            Item::Service(s) => s | SERVICE_BIT,
        };
        Charge {
            user,
            item,
            at,
            tokens,
        }
    }

    #[inline]
    pub fn item(&self) -> Item {
        if self.item & SERVICE_BIT == 0 {
            Item::Product(self.item)
        } else {
            Item::Service(self.item & !SERVICE_BIT)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denial {
    pub charge: Charge,
    /// The usable balance at that instant.
    pub balance: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiration {
    pub pack: u32,
    pub at: Instant,
    pub tokens: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alert {
    pub at: Instant,
    pub balance: u64,
}

// Deserialize too: the page gets a pack's report from the engine's worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PackReport {
    pub id: String,
    pub tokens: u64,
    pub used: u64,
    pub expired: u64,
    pub remaining: u64,
    #[serde(with = "crate::engine::time::day")]
    pub expires: Date,
    pub returnable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub tokens: u64,
    /// Per user, in listing order (every user, zero included).
    pub by_user: Vec<u64>,
    /// Per product or service id, sorted by id (every one the scenario uses).
    pub by_product: Vec<(String, u64)>,
    /// Per month of the period, `YYYY-MM` in the team's zone (every month, zero included).
    pub by_month: Vec<(String, u64)>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub user_ids: Vec<String>,
    pub user_tz: Vec<TimeZone>,
    pub team_tz: TimeZone,
    pub products: Vec<String>,
    pub services: Vec<String>,
    pub pack_ids: Vec<String>,
    /// What each charge is for, its instant aside: a big team's report holds millions of
    /// charges, kept as 8-byte keys into this (`charge_keys`, `denial_keys`) rather than 24-byte
    /// records, for memory is most of what such a simulation costs.
    pub(crate) sources: Vec<Charge>,
    /// `(at − start) << 32 | source`, in L6 order, in chunks (see [`Chunks`]).
    pub(crate) charge_keys: Vec<Vec<u64>>,
    /// A key as in `charge_keys`, and the usable balance at that instant.
    pub(crate) denial_keys: Vec<(u64, u64)>,
    pub expirations: Vec<Expiration>,
    pub alerts: Vec<Alert>,
    pub packs: Vec<PackReport>,
    pub totals: Totals,
    /// The cheapest order covering the total, in estimate mode (no `packs` field).
    pub order: Option<Order>,
    /// The period's first and first-after instants.
    pub start: Instant,
    pub end: Instant,
}

impl Report {
    /// The charges that went through, in L6 order.
    pub fn charges(&self) -> impl ExactSizeIterator<Item = Charge> + Clone + '_ {
        let count = self.charge_keys.iter().map(Vec::len).sum();
        let keys = self.charge_keys.iter().flatten();
        Counted(keys.map(|&k| self.charge_of(k)), count)
    }

    /// The charges refused (M6), in L6 order.
    pub fn denials(&self) -> impl ExactSizeIterator<Item = Denial> + Clone + '_ {
        self.denial_keys.iter().map(|&(k, balance)| Denial {
            charge: self.charge_of(k),
            balance,
        })
    }

    #[inline]
    fn charge_of(&self, key: u64) -> Charge {
        let mut c = self.sources[(key & 0xFFFF_FFFF) as usize];
        c.at = self.start + (key >> 32) as i64;
        c
    }

    pub fn item_id(&self, item: Item) -> &str {
        match item {
            Item::Product(i) => &self.products[i as usize],
            Item::Service(i) => &self.services[i as usize],
        }
    }

    /// The charge's instant in RFC 3339 with the user's offset.
    pub fn charge_time(&self, c: &Charge) -> String {
        rfc3339(&self.user_tz[c.user as usize], c.at)
    }

    pub fn team_time(&self, t: Instant) -> String {
        rfc3339(&self.team_tz, t)
    }

    /// Pretty JSON, byte-for-byte the same for the same input.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report without its per-charge lists: serializes as [`Report`] does, every
    /// member in the same order and written the same way, but with no `charges` and no
    /// `denials` (neither is read, so no charge is formatted).
    pub fn summary(&self) -> Summary<'_> {
        Summary(self)
    }

    /// Pretty JSON of [`Report::summary`]: [`Report::to_json`]'s text with the `charges`
    /// and `denials` members left out, byte-for-byte the same for the same input.
    pub fn summary_json(&self) -> String {
        serde_json::to_string_pretty(&self.summary()).unwrap_or_default()
    }
}

/// A [`Report`] serialized without `charges` and `denials` (see [`Report::summary`]).
#[derive(Clone, Copy)]
pub struct Summary<'a>(&'a Report);

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_report::<S, false>(self.0, s)
    }
}

/// An iterator that knows how many items it has left.
#[derive(Clone)]
struct Counted<I>(I, usize);

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        let x = self.0.next()?;
        self.1 -= 1;
        Some(x)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.1, Some(self.1))
    }
}

impl<I: Iterator> ExactSizeIterator for Counted<I> {}

/// Keys written in chunks, each a buffer the plan handed back once read (`Pool`): memory
/// the pass has touched already, where one vector of the year's size would be fresh
/// pages, each a fault to the kernel (a large part of a big team's simulation).
#[derive(Default)]
pub(crate) struct Chunks {
    full: Vec<Vec<u64>>,
    cur: Vec<u64>,
}

/// Buffers for [`Chunks`] (their keys are dropped).
#[derive(Default)]
pub(crate) struct Pool(Vec<Vec<u64>>);

impl Pool {
    pub fn give(&mut self, mut v: Vec<u64>) {
        v.clear();
        if v.capacity() >= 1 << 10 {
            self.0.push(v);
        }
    }
}

impl Chunks {
    #[inline]
    pub fn push(&mut self, k: u64, pool: &mut Pool) {
        if self.cur.len() == self.cur.capacity() {
            self.next_chunk(pool);
        }
        self.cur.push(k);
    }

    #[cold]
    fn next_chunk(&mut self, pool: &mut Pool) {
        let next = pool
            .0
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(self.cur.capacity().max(1 << 12)));
        let full = std::mem::replace(&mut self.cur, next);
        if !full.is_empty() {
            self.full.push(full);
        }
    }

    pub fn finish(mut self) -> Vec<Vec<u64>> {
        self.full.push(self.cur);
        self.full
    }
}

struct ChargeOut<'a>(&'a Report, Charge, Option<u64>);

impl Serialize for ChargeOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, c) = (self.0, &self.1);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("user", &r.user_ids[c.user as usize])?;
        match c.item() {
            Item::Product(_) => m.serialize_entry("product", r.item_id(c.item()))?,
            Item::Service(_) => m.serialize_entry("service", r.item_id(c.item()))?,
        }
        m.serialize_entry("at", &r.charge_time(c))?;
        m.serialize_entry("tokens", &c.tokens)?;
        let kind = match c.item() {
            Item::Product(_) => "daily",
            Item::Service(_) => "result",
        };
        m.serialize_entry("kind", kind)?;
        if let Some(balance) = self.2 {
            let reason = format!(
                "insufficient balance: {balance} usable tokens, {} needed",
                c.tokens
            );
            m.serialize_entry("reason", &reason)?;
        }
        m.end()
    }
}

struct Seq<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let it = self
            .0
            .borrow_mut()
            .take()
            .ok_or_else(|| serde::ser::Error::custom("used twice"))?;
        s.collect_seq(it)
    }
}

fn seq<I: Iterator<Item = T>, T: Serialize>(it: I) -> Seq<I> {
    Seq(std::cell::RefCell::new(Some(it)))
}

struct Pairs<'a, K: Serialize>(Vec<(K, &'a u64)>);

impl<K: Serialize> Serialize for Pairs<'_, K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

struct TotalsOut<'a>(&'a Report);

impl Serialize for TotalsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, t) = (self.0, &self.0.totals);
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("tokens", &t.tokens)?;
        m.serialize_entry(
            "by_user",
            &Pairs(r.user_ids.iter().zip(&t.by_user).collect()),
        )?;
        m.serialize_entry(
            "by_product",
            &Pairs(t.by_product.iter().map(|(k, v)| (k, v)).collect()),
        )?;
        m.serialize_entry(
            "by_month",
            &Pairs(t.by_month.iter().map(|(k, v)| (k, v)).collect()),
        )?;
        m.end()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_report::<S, true>(self, s)
    }
}

/// The report's one writer: with `LISTS`, the whole report; without, the same members
/// but `charges` and `denials` (the summary). A constant, so each is its own copy and the
/// whole report's (the only one the browser uses) is the code it was before the summary.
fn serialize_report<S: Serializer, const LISTS: bool>(r: &Report, s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(None)?;
    if LISTS {
        m.serialize_entry("charges", &seq(r.charges().map(|c| ChargeOut(r, c, None))))?;
        m.serialize_entry(
            "denials",
            &seq(r.denials().map(|d| ChargeOut(r, d.charge, Some(d.balance)))),
        )?;
    }
    #[derive(Serialize)]
    struct ExpirationOut<'a> {
        pack: &'a str,
        at: String,
        tokens: u64,
    }
    #[derive(Serialize)]
    struct AlertOut {
        at: String,
        balance: u64,
    }
    #[derive(Serialize)]
    struct PackOut<'a> {
        id: &'a str,
        used: u64,
        expired: u64,
        remaining: u64,
        expires: String,
        returnable: bool,
    }
    m.serialize_entry(
        "expirations",
        &seq(r.expirations.iter().map(|e| ExpirationOut {
            pack: &r.pack_ids[e.pack as usize],
            at: r.team_time(e.at),
            tokens: e.tokens,
        })),
    )?;
    m.serialize_entry(
        "alerts",
        &seq(r.alerts.iter().map(|a| AlertOut {
            at: r.team_time(a.at),
            balance: a.balance,
        })),
    )?;
    m.serialize_entry(
        "packs",
        &seq(r.packs.iter().map(|p| PackOut {
            id: &p.id,
            used: p.used,
            expired: p.expired,
            remaining: p.remaining,
            expires: format_date(p.expires),
            returnable: p.returnable,
        })),
    )?;
    m.serialize_entry("totals", &TotalsOut(r))?;
    if let Some(order) = &r.order {
        m.serialize_entry("order", order)?;
    }
    m.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_is_the_report_without_its_lists() {
        // Packs that run dry: charges, denials, an alert; and an estimate, with its order.
        for packs in [
            r#""packs": [ { "id": "p", "purchased": "2027-01-01", "tokens": 60 } ],"#,
            "",
        ] {
            let text = format!(
                r#"{{ "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
                  "period": {{ "start": "2027-01-01", "months": 2 }}, {packs}
                  "users": [ {{ "id": "a", "timezone": "Asia/Tokyo",
                    "usage": [ {{ "product": "revit", "weekly": {{ "days": ["mon", "thu"], "from": "09:00", "to": "17:00" }} }} ],
                    "results": [ {{ "service": "generative-design", "at": "2027-01-05T10:00", "quantity": 2 }} ] }} ] }}"#
            );
            let report = crate::simulate_json(&text).expect("a valid scenario");
            assert!(report.charges().len() > 0);
            assert_eq!(report.denials().len() > 0, !packs.is_empty());
            let mut full: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
            let summary: serde_json::Value = serde_json::from_str(&report.summary_json()).unwrap();
            let members = full.as_object_mut().unwrap();
            assert!(members.remove("charges").is_some() && members.remove("denials").is_some());
            assert_eq!(members.contains_key("order"), packs.is_empty());
            assert_eq!(summary, full);
            // Written as the report writes it: the same text once the lists are cut out.
            let text = report.to_json();
            let cut = text.find("\n  \"expirations\"").unwrap();
            assert_eq!(report.summary_json(), format!("{{{}", &text[cut..]));
            assert_eq!(serde_json::to_string(&report.summary()).unwrap(), {
                let compact = serde_json::to_string(&report).unwrap();
                format!("{{{}", &compact[compact.find("\"expirations\"").unwrap()..])
            });
        }
    }

    #[test]
    fn a_charge_packs_its_item_in_24_bytes() {
        assert_eq!(std::mem::size_of::<Charge>(), 24);
        for item in [
            Item::Product(0),
            Item::Product(24),
            Item::Service(0),
            Item::Service(7),
            Item::Product((1 << 31) - 1),
            Item::Service((1 << 31) - 1),
        ] {
            let c = Charge::new(3, item, 1_800_000_000, 7);
            assert_eq!(
                (c.item(), c.user, c.at, c.tokens),
                (item, 3, 1_800_000_000, 7)
            );
        }
    }
}
