//! Autodesk's usage exports read into a history and a scenario (docs/import.md).
//!
//! Pure: bytes in, [`Import`] out; no file system, no clock, no web dependency (the
//! browser calls it through the engine's worker). Five formats, detected from the header
//! (or named): Flex token usage, seat usage, the usage report's summary, the Enterprise
//! Token Flex consumption export, and session logs. Every data row is either imported or
//! listed in `skipped` with its line and the reason.

mod dates;
mod products;
mod reconcile;
mod review;
mod table;

use std::collections::{BTreeMap, BTreeSet};

// Fx rather than SipHash: a million rows are looked up by product, user and role each,
// and nothing here hashes what an attacker picks to collide (it is the user's own file).
use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::catalog::Catalog;
use crate::engine::scenario::{self as sc, Scenario};
use crate::engine::time::{add_months, format_date, time_zone};

pub use dates::DateOrder;
pub use products::{match_product, normalise};
pub use reconcile::{reconcile, Reconciled};
pub use review::{review, review_with_progress, today_cost, Review};

/// The local hours of each replayed day: 8 hours, well away from midnight and the small
/// hours where clocks change, so that M4's 24-hour window opened by one day's session
/// ends before or within the next day's (never past its end): one charge a day
/// (docs/import.md, tests/import.rs).
pub const DAY_FROM: &str = "09:00";
pub const DAY_TO: &str = "17:00";

/// The scenario format's longest period.
const MAX_MONTHS: u32 = 36;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    TokenUsage,
    SeatUsage,
    UsageReport,
    TokenFlex,
    Sessions,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::TokenUsage,
        Format::SeatUsage,
        Format::UsageReport,
        Format::TokenFlex,
        Format::Sessions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::TokenUsage => "token-usage",
            Format::SeatUsage => "seat-usage",
            Format::UsageReport => "usage-report",
            Format::TokenFlex => "token-flex",
            Format::Sessions => "sessions",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// What the import is asked for; `Default` is auto-detection, EUR, UTC, no forecast. (As
/// JSON, what the web app's page asks of its worker.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// `None`: detected from the header.
    pub format: Option<Format>,
    pub currency: String,
    pub timezone: String,
    /// Months of forecast after the history (1–36); `None`: the replay.
    pub forecast: Option<u32>,
    /// How slashed dates read; `None`: decided from the file's values.
    pub date_order: Option<DateOrder>,
    /// First day of the scenario's period when the file has no dates to start it from
    /// (`YYYY-MM-DD`, the usage report); overrides the start for every format.
    pub start: Option<String>,
    /// Product names of the file mapped by hand to catalog ids (before the built-in
    /// matching): what the review table's choices, or `--map NAME=ID`, say.
    pub products: BTreeMap<String, String>,
    /// The forecast's days a month scaled by this many percent (−100 to +100; 0 keeps
    /// the history's).
    pub scale_percent: i32,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            currency: "EUR".into(),
            timezone: "UTC".into(),
            forecast: None,
            date_order: None,
            start: None,
            products: BTreeMap::new(),
            scale_percent: 0,
        }
    }
}

/// A file that cannot be read at all, located (line and column from 1; 0 when the
/// problem is no place in the file, e.g. an option).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl ImportError {
    pub fn at(line: u64, column: u64, message: impl Into<String>) -> Self {
        ImportError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ImportError {}

/// A token amount as the file writes them: whole numbers, or decimal strings when any
/// amount in the file has decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tokens {
    pub value: Decimal,
    pub decimal: bool,
}

/// Read back as written: a number, or a decimal string.
impl<'de> Deserialize<'de> for Tokens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Tokens;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a token amount")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Tokens, E> {
                Ok(Tokens {
                    value: n.into(),
                    decimal: false,
                })
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Tokens, E> {
                Ok(Tokens {
                    value: n.into(),
                    decimal: false,
                })
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Tokens, E> {
                let value = s.parse().map_err(E::custom)?;
                Ok(Tokens {
                    value,
                    decimal: true,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Tokens {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.decimal, self.value.to_i64()) {
            (false, Some(n)) if self.value.fract().is_zero() => s.serialize_i64(n),
            _ => s.serialize_str(&self.value.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    pub name: String,
    pub rows: u64,
    pub tokens: Tokens,
}

/// Every token of the imported rows: by catalog product id where the name matched (the
/// file's name otherwise), and by `YYYY-MM` of the row's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub tokens: Tokens,
    pub by_product: BTreeMap<String, Tokens>,
    pub by_month: BTreeMap<String, Tokens>,
}

/// The tokens of one usage category, product and month of a Token Flex export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTokens {
    /// `usageCategory` as the file writes it (`DESKTOP_PRODUCT`, `CLOUD_SERVICE`…; empty
    /// when the row has none).
    pub category: String,
    /// As in `History::by_product`: the catalog id where matched, the file's name otherwise.
    pub product: String,
    /// `YYYY-MM`.
    pub month: String,
    pub tokens: Tokens,
}

/// What tokens of the catalog's products would cost bought today: their number (a
/// fraction counts as a whole token) and the cheapest order of them (P3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayCost {
    pub tokens: u64,
    pub order: crate::engine::price::Order,
}

/// The answer of an import (`flexcalc import`'s JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Import {
    pub format: Format,
    /// Data rows read (blank lines aside).
    pub rows: u64,
    pub skipped: Vec<Skipped>,
    pub unmatched: Vec<Unmatched>,
    pub extra_columns: Vec<String>,
    pub history: History,
    /// A Token Flex export's tokens by usage category, product and month, in that order
    /// (the history's tokens, split); empty, and not in the JSON, for other formats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_category: Vec<CategoryTokens>,
    /// A Token Flex export's matched tokens bought on today's Flex in the options'
    /// currency (its unmatched names are in `unmatched`); `None`, and not in the JSON, for
    /// other formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<TodayCost>,
    /// The replay (or, with a forecast, the projection); `None` for files without users.
    pub scenario: Option<Scenario>,
    /// Tokens and days of each user × product × month (`YYYY-MM`) of a token-usage file,
    /// matched products only, users by the scenario's ids: what `reconcile` holds the
    /// replay against. Not in the JSON.
    #[serde(skip)]
    pub file_use: BTreeMap<(String, String, String), FileUse>,
}

/// One user × product × month of a token-usage file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileUse {
    pub tokens: Decimal,
    /// Days with tokens charged (a 0-token row is a launch under five minutes).
    pub days: u32,
}

/// What a column holds, whatever the export calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Team,
    Email,
    First,
    Last,
    FullName,
    Id,
    Product,
    Feature,
    Day,
    Tokens,
    UsageType,
    ContractYear,
    TokenPool,
    Category,
    ProductLine,
    DaysUsed,
    MonthlyAverage,
    LastAccessed,
    Seat,
    Start,
    End,
    Inactive,
}

/// The column of each role a format reads: looked up for every field of every row, so an
/// array rather than a map.
#[derive(Default)]
struct Cols([Option<usize>; Role::COUNT]);

impl Cols {
    fn get(&self, role: &Role) -> Option<&usize> {
        self.0[*role as usize].as_ref()
    }

    fn contains_key(&self, role: &Role) -> bool {
        self.0[*role as usize].is_some()
    }

    fn insert(&mut self, role: Role, column: usize) {
        self.0[role as usize] = Some(column);
    }
}

impl Role {
    const COUNT: usize = Role::Inactive as usize + 1;
}

/// A header's name → its role: lower case, letters and digits only (`Day used`,
/// `day_used` and `dayUsed` meet).
fn role(name: &str) -> Option<Role> {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "team" | "teamalias" | "teamname" => Role::Team,
        "email" | "emailaddress" | "useremail" | "mail" => Role::Email,
        "firstname" | "givenname" => Role::First,
        "lastname" | "surname" | "familyname" => Role::Last,
        "fullname" | "name" | "username" | "user" | "displayname" => Role::FullName,
        "autodeskid" | "hashedautodeskid" | "userid" | "oxygenid" => Role::Id,
        "product" | "productname" => Role::Product,
        "feature" | "featurename" => Role::Feature,
        "dayused" | "usagedate" | "date" | "day" | "dateused" => Role::Day,
        "tokensused" | "tokens" | "tokensconsumed" | "tokenscharged" => Role::Tokens,
        "usagetype" => Role::UsageType,
        "contractyear" => Role::ContractYear,
        "tokenpool" => Role::TokenPool,
        "usagecategory" => Role::Category,
        "productlinecode" => Role::ProductLine,
        "daysused" | "totaluniquedays" | "uniquedays" => Role::DaysUsed,
        "monthlyaverage" | "monthlyavg" => Role::MonthlyAverage,
        "lastaccessed" | "lastused" | "lastaccess" => Role::LastAccessed,
        "seatassignment" | "assigned" | "seatassigned" | "assignment" => Role::Seat,
        "start" | "sessionstart" | "starttime" | "started" | "startedat" => Role::Start,
        "end" | "sessionend" | "endtime" | "ended" | "endedat" => Role::End,
        "inactive" | "inactivestretches" | "inactiveperiods" | "inactivity" | "idle"
        | "idlestretches" | "idleperiods" => Role::Inactive,
        _ => return None,
    })
}

const WHO: &[Role] = &[
    Role::Email,
    Role::Id,
    Role::FullName,
    Role::First,
    Role::Last,
];

impl Format {
    /// The roles this format reads (the rest of the header is listed as extra).
    fn reads(self) -> &'static [Role] {
        use Role::*;
        match self {
            Format::TokenUsage => &[
                Team, Email, First, Last, FullName, Id, Product, Feature, Day, Tokens, UsageType,
            ],
            Format::SeatUsage => &[Team, Email, First, Last, FullName, Id, Product, Day],
            Format::UsageReport => &[
                Team,
                Email,
                First,
                Last,
                FullName,
                Id,
                Product,
                DaysUsed,
                MonthlyAverage,
                LastAccessed,
                Seat,
            ],
            Format::TokenFlex => &[
                ContractYear,
                TokenPool,
                Category,
                Day,
                ProductLine,
                Product,
                Tokens,
            ],
            Format::Sessions => &[
                Team, Email, First, Last, FullName, Id, Product, Start, End, Inactive,
            ],
        }
    }

    /// Roles without which a row of this format means nothing, as alternatives.
    fn needs(self) -> &'static [&'static [Role]] {
        use Role::*;
        match self {
            Format::TokenUsage => &[&[Product], &[Day], &[Tokens], WHO],
            Format::SeatUsage => &[&[Product], &[Day], WHO],
            Format::UsageReport => &[&[Product], &[DaysUsed, MonthlyAverage], WHO],
            Format::TokenFlex => &[&[Product], &[Day], &[Tokens]],
            Format::Sessions => &[&[Product], &[Start], &[End], WHO],
        }
    }

    fn fits(self, roles: &HashMap<Role, usize>) -> bool {
        self.needs()
            .iter()
            .all(|alt| alt.iter().any(|r| roles.contains_key(r)))
    }

    /// The format a header names, most specific first.
    fn detect(roles: &HashMap<Role, usize>) -> Option<Format> {
        let has = |r| roles.contains_key(&r);
        let f = if has(Role::Category) || has(Role::ContractYear) || has(Role::TokenPool) {
            Format::TokenFlex
        } else if has(Role::Start) && has(Role::End) {
            Format::Sessions
        } else if has(Role::Tokens) && has(Role::Day) {
            // Before the usage report: the Insights API's rows carry a per-user
            // `totalUniqueDays` beside each day's tokens.
            Format::TokenUsage
        } else if has(Role::DaysUsed) || has(Role::MonthlyAverage) {
            Format::UsageReport
        } else if has(Role::Tokens) {
            Format::TokenUsage
        } else {
            Format::SeatUsage
        };
        f.fits(roles).then_some(f)
    }
}

/// Header names → roles (the first column of each role wins).
fn roles_of(header: &[String]) -> HashMap<Role, usize> {
    let mut roles = HashMap::default();
    for (i, name) in header.iter().enumerate() {
        if let Some(r) = role(name) {
            roles.entry(r).or_insert(i);
        }
    }
    roles
}

/// An inactive stretch of a session: its start and end.
type Stretch = (DateTime, DateTime);

/// What an index of `Read`'s lists holds when there is nothing.
const NONE: u32 = u32::MAX;

/// One row, read but not yet counted: the strings it holds are `Read`'s, by index (a
/// million rows name a handful of products, users and teams).
struct Row {
    line: u64,
    /// Index in `Read::who` (`NONE`: a file without users, Token Flex).
    who: u32,
    /// Indexes in `Read::names`: the product, the team and the usage category (`NONE`:
    /// none).
    product: u32,
    team: u32,
    category: u32,
    /// The row's date (the session's start date for sessions).
    day: Option<Date>,
    tokens: Option<Decimal>,
    /// Usage report: days a month.
    per_month: Option<u8>,
    /// Index in `Read::sessions` (`NONE` but for session logs).
    session: u32,
}

/// A session of a log: its start, its end and its inactive stretches.
struct Session {
    start: DateTime,
    end: DateTime,
    inactive: Vec<Stretch>,
}

/// What the rows hold, once each.
#[derive(Default)]
struct Read {
    names: Vec<String>,
    name_at: HashMap<String, u32>,
    /// Each spelling of a user's fields seen: the user's key (an index in `keys`) and name.
    who: Vec<(u32, Option<String>)>,
    who_at: HashMap<String, u32>,
    keys: Vec<String>,
    key_at: HashMap<String, u32>,
    sessions: Vec<Session>,
    /// Reused: a row's user fields joined, to look their spelling up.
    spelling: String,
}

fn intern(list: &mut Vec<String>, at: &mut HashMap<String, u32>, s: &str) -> u32 {
    if let Some(&i) = at.get(s) {
        return i;
    }
    let i = list.len() as u32;
    list.push(s.to_string());
    at.insert(s.to_string(), i);
    i
}

impl Read {
    fn name(&mut self, s: &str) -> u32 {
        intern(&mut self.names, &mut self.name_at, s)
    }

    fn product(&self, row: &Row) -> &str {
        &self.names[row.product as usize]
    }

    /// The user's key and name (`None` without users).
    fn user(&self, row: &Row) -> Option<(u32, &str, Option<&str>)> {
        let (key, name) = self.who.get(row.who as usize)?;
        Some((*key, &self.keys[*key as usize], name.as_deref()))
    }

    fn session(&self, row: &Row) -> Option<&Session> {
        self.sessions.get(row.session as usize)
    }

    /// The last date of a row: its day, or its session's end.
    fn last_date(&self, row: &Row) -> Option<Date> {
        self.session(row).map(|s| s.end.date()).or(row.day)
    }
}

/// The rows and tokens of one product name of the file.
#[derive(Clone, Copy, Default)]
struct NameCount {
    rows: u64,
    tokens: Decimal,
    /// Whether any of its rows has a token amount (an entry of the history, 0 or not).
    with_tokens: bool,
}

/// The catalog product of each product name of `Read::names` (`None`: not matched).
struct Matched(Vec<Option<&'static str>>);

impl Matched {
    fn of(&self, row: &Row) -> Option<&'static str> {
        self.0.get(row.product as usize).copied().flatten()
    }
}

/// Reads an export; see the module's documentation and docs/import.md.
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<Import, ImportError> {
    import_with_progress(bytes, options, &mut |_, _| {})
}

/// `import`, telling `progress` now and then how far the reading of the rows is (done and
/// total, in bytes of a CSV text or rows of a worksheet): the web app's progress bar.
pub fn import_with_progress(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Import, ImportError> {
    let tz = time_zone(&options.timezone).ok_or_else(|| {
        ImportError::at(
            0,
            0,
            format!("timezone: {:?} is not a known IANA zone", options.timezone),
        )
    })?;
    if Catalog::builtin().book(&options.currency).is_none() {
        let known: Vec<&str> = Catalog::builtin()
            .books
            .iter()
            .map(|b| b.currency.as_str())
            .collect();
        return Err(ImportError::at(
            0,
            0,
            format!(
                "currency: {:?} is not one of {}",
                options.currency,
                known.join(", ")
            ),
        ));
    }
    if !(-100..=100).contains(&options.scale_percent) {
        return Err(ImportError::at(
            0,
            0,
            format!("scale: {} % is outside -100 to +100", options.scale_percent),
        ));
    }
    let mut by_hand: HashMap<&str, &'static str> = HashMap::default();
    for (name, id) in &options.products {
        let p = Catalog::builtin().product(id).ok_or_else(|| {
            ImportError::at(
                0,
                0,
                format!("products: {name:?} is mapped to {id:?}, which is not a catalog product"),
            )
        })?;
        by_hand.insert(name.as_str(), p.id.as_str());
    }
    if let Some(m) = options.forecast {
        if !(1..=MAX_MONTHS).contains(&m) {
            return Err(ImportError::at(
                0,
                0,
                format!("forecast: {m} is outside 1 to {MAX_MONTHS} months"),
            ));
        }
    }
    let start_option = match &options.start {
        Some(s) => Some(crate::engine::time::parse_date(s).ok_or_else(|| {
            ImportError::at(0, 0, format!("start: {s:?} is not a date (YYYY-MM-DD)"))
        })?),
        None => None,
    };
    let forced = options.format;
    let table = table::read(bytes, |names| {
        let roles = roles_of(names);
        match forced {
            Some(f) => roles.contains_key(&Role::Product) && f.fits(&roles),
            None => Format::detect(&roles).is_some(),
        }
    })
    .map_err(|e| match forced {
        Some(f) => ImportError::at(
            e.line,
            e.column,
            format!(
                "no header of a {} file: expected columns for {}",
                f.name(),
                f.needs()
                    .iter()
                    .map(|alt| alt
                        .iter()
                        .map(|r| format!("{r:?}"))
                        .collect::<Vec<_>>()
                        .join(" or "))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        None => e,
    })?;
    let roles = roles_of(&table.header);
    let format = forced
        .or_else(|| Format::detect(&roles))
        .unwrap_or(Format::SeatUsage);
    let reads = format.reads();
    let mut extra_columns = Vec::new();
    let mut used = Cols::default();
    for (i, name) in table.header.iter().enumerate() {
        match role(name).filter(|r| reads.contains(r)) {
            Some(r) if !used.contains_key(&r) => {
                used.insert(r, i);
            }
            _ if name.is_empty() => {}
            _ => extra_columns.push(name.clone()),
        }
    }

    let mut skipped: Vec<Skipped> = table
        .before_header
        .iter()
        .map(|&line| Skipped {
            line,
            reason: "before the header row".into(),
        })
        .collect();

    // The order of slashed dates, from the file's own values.
    let date_cols: Vec<usize> = [Role::Day, Role::Start, Role::End, Role::LastAccessed]
        .iter()
        .filter_map(|r| used.get(r).copied())
        .collect();
    let order = match options.date_order {
        Some(o) => Some(o),
        // (Slashed dates need a slash: a file without one is not read twice.)
        None if !date_cols.is_empty() && table.may_hold(b'/') => date_order(&table, &date_cols)?,
        None => None,
    };

    let comma_decimals = table.delimiter != b',';
    let mut read = Read::default();
    let mut rows = Vec::new();
    let how = How {
        format,
        order,
        comma_decimals,
        tz: &tz,
        header: &table.header,
        used: &used,
    };
    let n_rows = table.rows(
        |line, r| {
            match read_row(&how, line, &r, &mut read) {
                Ok(row) => rows.push(row),
                Err(reason) => skipped.push(Skipped { line, reason }),
            }
            Ok(())
        },
        progress,
    )?;
    rows.shrink_to_fit();

    // The replay holds at most 36 months: the latest.
    let last_month = rows
        .iter()
        .filter_map(|r| read.last_date(r))
        .max()
        .map(first_of_month);
    // (Only where the rows' dates are days replayed: a usage report's are last accesses,
    // a Token Flex export has no scenario.)
    let replayed = matches!(
        format,
        Format::TokenUsage | Format::SeatUsage | Format::Sessions
    );
    let cutoff = last_month
        .filter(|_| replayed)
        .map(|m| add_months(m, -i64::from(MAX_MONTHS - 1)));
    // In place: a second list of a million rows would double them.
    let mut kept = rows;
    kept.retain(|row| match (row.day, cutoff) {
        (Some(d), Some(c)) if d < c => {
            skipped.push(Skipped {
                line: row.line,
                reason: format!(
                    "before {}: a scenario holds at most {MAX_MONTHS} months, the file's latest",
                    format_date(c)
                ),
            });
            false
        }
        _ => true,
    });
    skipped.sort_by_key(|s| s.line);

    // "Tokens as in the file": decimal strings as soon as one amount is written with
    // decimals (`3.0` included).
    let decimal = kept.iter().any(|r| r.tokens.is_some_and(|t| t.scale() > 0));
    let tok = |value: Decimal| Tokens { value, decimal };

    // History and unmatched names.
    let mut total = Decimal::ZERO;
    // Counted by the index of the row's product name and by (year, month) while the rows
    // pass, keyed by names once: nothing is allocated or compared as text per row.
    let mut by_name: Vec<NameCount> = vec![NameCount::default(); read.names.len()];
    let mut by_month: HashMap<(i16, i8), Decimal> = HashMap::default();
    // Unmatched names in the order they first appear.
    let mut unmatched_order: Vec<u32> = Vec::new();
    let matched = Matched(
        read.names
            .iter()
            .map(|name| {
                by_hand
                    .get(name.as_str())
                    .copied()
                    .or_else(|| match_product(name))
            })
            .collect(),
    );
    for row in &kept {
        let count = &mut by_name[row.product as usize];
        if count.rows == 0 && matched.of(row).is_none() {
            unmatched_order.push(row.product);
        }
        count.rows += 1;
        if let Some(t) = row.tokens {
            count.tokens += t;
            count.with_tokens = true;
            total += t;
            if let Some(d) = row.day {
                *by_month.entry((d.year(), d.month())).or_default() += t;
            }
        }
    }
    let mut by_product: BTreeMap<&str, Decimal> = BTreeMap::new();
    for (i, count) in by_name.iter().enumerate().filter(|(_, c)| c.with_tokens) {
        let name = read.names[i].as_str();
        let id = matched.0[i];
        *by_product.entry(id.unwrap_or(name)).or_default() += count.tokens;
    }
    let by_month: BTreeMap<(i16, i8), Decimal> = by_month.into_iter().collect();
    let unmatched: Vec<(&str, u64, Decimal)> = unmatched_order
        .iter()
        .map(|&i| {
            let count = &by_name[i as usize];
            (read.names[i as usize].as_str(), count.rows, count.tokens)
        })
        .collect();
    let by_category = if format == Format::TokenFlex {
        by_category(&kept, &matched, &read, tok)
    } else {
        Vec::new()
    };
    let history = History {
        tokens: tok(total),
        by_product: by_product
            .into_iter()
            .map(|(k, v)| (k.to_string(), tok(v)))
            .collect(),
        by_month: by_month
            .into_iter()
            .map(|((y, m), v)| (format!("{y:04}-{m:02}"), tok(v)))
            .collect(),
    };
    let cost = match format {
        Format::TokenFlex => today_cost(&history, &options.currency),
        _ => None,
    };
    let unmatched: Vec<Unmatched> = unmatched
        .into_iter()
        .map(|(name, rows, t)| Unmatched {
            name: name.to_string(),
            rows,
            tokens: tok(t),
        })
        .collect();

    let uses = uses(&kept, &matched, &read);
    let mut file_use = match (format, options.forecast) {
        (Format::TokenUsage, None) => file_use(&uses),
        _ => BTreeMap::new(),
    };
    let plan = Plan::of(&kept, uses, &read);
    // The rows are all counted: gone before the scenario's strings are written (a
    // replay writes a string per day used).
    drop(kept);
    let scenario = build_scenario(format, &plan, &read, options, start_option)?;
    if scenario.is_none() {
        file_use.clear();
    }

    Ok(Import {
        format,
        rows: n_rows,
        skipped,
        unmatched,
        extra_columns,
        history,
        by_category,
        cost,
        scenario,
        file_use,
    })
}

/// The rows' tokens by category, product and month (see `Import::by_category`).
fn by_category(
    rows: &[Row],
    matched: &Matched,
    read: &Read,
    tok: impl Fn(Decimal) -> Tokens,
) -> Vec<CategoryTokens> {
    let mut by: BTreeMap<(&str, &str, (i16, i8)), Decimal> = BTreeMap::new();
    for row in rows {
        let (Some(t), Some(day)) = (row.tokens, row.day) else {
            continue;
        };
        let category = read
            .names
            .get(row.category as usize)
            .map_or("", String::as_str);
        let product = matched.of(row).unwrap_or(read.product(row));
        *by.entry((category, product, (day.year(), day.month())))
            .or_default() += t;
    }
    by.into_iter()
        .map(|((category, product, (y, m)), t)| CategoryTokens {
            category: category.to_string(),
            product: product.to_string(),
            month: format!("{y:04}-{m:02}"),
            tokens: tok(t),
        })
        .collect()
}

/// The rows' tokens and days by user × product × month (see `Import::file_use`).
fn file_use(uses: &Uses) -> BTreeMap<(String, String, String), FileUse> {
    let mut out = BTreeMap::new();
    // Days with tokens, one user × product at a time (a set of every row's day was the
    // biggest thing held after the rows themselves).
    let mut days: Vec<Date> = Vec::new();
    for (&(u, id), rs) in &uses.per {
        let mut months: BTreeMap<(i16, i8), FileUse> = BTreeMap::new();
        days.clear();
        // A month's rows mostly follow one another: summed as a run, added once.
        let mut run: Option<((i16, i8), Decimal)> = None;
        for r in rs {
            let Some(day) = r.day else { continue };
            let t = r.tokens.unwrap_or_default();
            let month = (day.year(), day.month());
            match &mut run {
                Some((m, sum)) if *m == month => *sum += t,
                _ => {
                    if let Some((m, sum)) = run.replace((month, t)) {
                        months.entry(m).or_default().tokens += sum;
                    }
                }
            }
            if !t.is_zero() {
                days.push(day);
            }
        }
        if let Some((m, sum)) = run {
            months.entry(m).or_default().tokens += sum;
        }
        days.sort_unstable();
        days.dedup();
        for d in &days {
            if let Some(f) = months.get_mut(&(d.year(), d.month())) {
                f.days += 1;
            }
        }
        for ((y, m), f) in months {
            let key = (
                uses.users[u].0.clone(),
                id.to_string(),
                format!("{y:04}-{m:02}"),
            );
            out.insert(key, f);
        }
    }
    out
}

fn first_of_month(d: Date) -> Date {
    d.first_of_month()
}

/// Day first or month first, from the slashed dates of `cols`: a first number above 12
/// means day first, a second above 12 month first; both, or neither, is refused.
fn date_order(table: &table::Table, cols: &[usize]) -> Result<Option<DateOrder>, ImportError> {
    let (mut dmy, mut mdy, mut first) = (None, None, None);
    table.rows(
        |line, r| {
            for &c in cols {
                let Some(v) = r.get(c) else { continue };
                if let Some((a, b)) = dates::slashed(v) {
                    first.get_or_insert((line, c));
                    if a > 12 && dmy.is_none() {
                        dmy = Some((line, c, v.to_string()));
                    }
                    if b > 12 && mdy.is_none() {
                        mdy = Some((line, c, v.to_string()));
                    }
                }
            }
            Ok(())
        },
        &mut |_, _| {},
    )?;
    let col_name = |c: usize| table.header.get(c).cloned().unwrap_or_default();
    match (dmy, mdy, first) {
        (Some((l1, c1, v1)), Some((l2, _, v2)), _) => Err(ImportError::at(
            l1.max(l2),
            c1 as u64 + 1,
            format!(
                "dates read both day first ({v1:?}, line {l1}) and month first ({v2:?}, \
                 line {l2}) in column {:?}; fix the file or pass --date-order dmy|mdy",
                col_name(c1)
            ),
        )),
        (Some(_), None, _) => Ok(Some(DateOrder::Dmy)),
        (None, Some(_), _) => Ok(Some(DateOrder::Mdy)),
        (None, None, Some((line, c))) => Err(ImportError::at(
            line,
            c as u64 + 1,
            format!(
                "the dates of column {:?} read both as DD/MM/YYYY and MM/DD/YYYY (no day \
                 above 12): pass --date-order dmy or --date-order mdy",
                col_name(c)
            ),
        )),
        (None, None, None) => Ok(None),
    }
}

/// `*****`, the e-mail of an export without personal data.
fn masked(s: &str) -> bool {
    s.chars().all(|c| c == '*')
}

/// The non-blank field of `role` in `r`, trimmed.
fn field<'r>(used: &Cols, r: &table::Record<'r>, role: Role) -> Option<&'r str> {
    used.get(&role)
        .and_then(|&i| r.get(i))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// How the rows of a file read.
struct How<'a> {
    format: Format,
    order: Option<DateOrder>,
    comma_decimals: bool,
    tz: &'a jiff::tz::TimeZone,
    header: &'a [String],
    used: &'a Cols,
}

/// The user a row names: the index of its spelling in `read.who`, found by the row's user
/// fields joined (each new spelling's key and name worked out once).
fn who(read: &mut Read, fields: [Option<&str>; 5]) -> Result<u32, String> {
    let mut spelling = std::mem::take(&mut read.spelling);
    spelling.clear();
    for f in fields {
        spelling.push_str(f.unwrap_or_default());
        spelling.push('\u{1f}');
    }
    let found = read.who_at.get(spelling.as_str()).copied();
    let who = match found {
        Some(w) => Ok(w),
        None => user_of(fields).map(|(key, name)| {
            let key = intern(&mut read.keys, &mut read.key_at, &key);
            let w = read.who.len() as u32;
            read.who.push((key, name));
            read.who_at.insert(spelling.clone(), w);
            w
        }),
    };
    read.spelling = spelling;
    who
}

/// A user's key and name from the e-mail, Autodesk ID, full, first and last name (each
/// non-blank and unmasked): the e-mail in lower case, else the ID, else the name.
fn user_of(
    [email, id, full, first, last]: [Option<&str>; 5],
) -> Result<(String, Option<String>), String> {
    let joined = match (first, last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (Some(x), None) | (None, Some(x)) => Some(x.to_string()),
        (None, None) => None,
    };
    let name = full.map(str::to_string).or(joined);
    let key = email
        .map(str::to_lowercase)
        .or_else(|| id.map(str::to_string))
        .or_else(|| name.clone())
        .ok_or("no user (e-mail, Autodesk ID and name are all empty or masked)")?;
    Ok((key, name))
}

fn read_row(how: &How, line: u64, r: &table::Record, read: &mut Read) -> Result<Row, String> {
    let How {
        format,
        order,
        comma_decimals,
        tz,
        header,
        used,
    } = *how;
    let get = |r, role| field(used, r, role);
    let col = |role: Role| -> String {
        used.get(&role)
            .and_then(|&i| header.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let product = get(r, Role::Product)
        .ok_or_else(|| format!("no product (column {:?} is empty)", col(Role::Product)))?;
    let who = if format == Format::TokenFlex {
        NONE
    } else {
        let unmasked = |role| get(r, role).filter(|e| !masked(e));
        who(
            read,
            [
                Role::Email,
                Role::Id,
                Role::FullName,
                Role::First,
                Role::Last,
            ]
            .map(unmasked),
        )?
    };
    let date = |role: Role| -> Result<Option<dates::Stamp>, String> {
        match get(r, role) {
            None => Ok(None),
            Some(v) => dates::parse(v, order)
                .map(Some)
                .ok_or_else(|| format!("bad date {v:?} in column {:?}", col(role))),
        }
    };
    let need = |role: Role, v: Option<dates::Stamp>| {
        v.ok_or_else(|| format!("no date (column {:?} is empty)", col(role)))
    };
    let number = |role: Role| -> Result<Option<Decimal>, String> {
        let Some(v) = get(r, role) else {
            return Ok(None);
        };
        // (Most amounts have no comma: read as they are, nothing allocated.)
        let text = if !v.contains(',') {
            std::borrow::Cow::Borrowed(v)
        } else if comma_decimals && !v.contains('.') {
            v.replace(',', ".").into()
        } else {
            v.replace(',', "").into()
        };
        text.parse::<Decimal>()
            .map(Some)
            .map_err(|_| format!("{v:?} in column {:?} is not a number", col(role)))
    };
    let mut row = Row {
        line,
        who,
        product: NONE,
        team: NONE,
        category: NONE,
        day: None,
        tokens: None,
        per_month: None,
        session: NONE,
    };
    let mut session = None;
    match format {
        Format::TokenUsage | Format::TokenFlex => {
            row.day = Some(need(Role::Day, date(Role::Day)?)?.date);
            let t = number(Role::Tokens)?
                .ok_or_else(|| format!("no tokens (column {:?} is empty)", col(Role::Tokens)))?;
            if format == Format::TokenUsage && t.is_sign_negative() && !t.is_zero() {
                return Err(format!("negative tokens ({t})"));
            }
            row.tokens = Some(t);
        }
        Format::SeatUsage => row.day = Some(need(Role::Day, date(Role::Day)?)?.date),
        Format::Sessions => {
            let s = need(Role::Start, date(Role::Start)?)?.local(tz);
            let e = need(Role::End, date(Role::End)?)?.local(tz);
            if e <= s {
                return Err("the session ends before it starts".into());
            }
            let inactive = match get(r, Role::Inactive) {
                Some(v) => stretches(v, order, tz, s, e)?,
                None => Vec::new(),
            };
            row.day = Some(s.date());
            session = Some(Session {
                start: s,
                end: e,
                inactive,
            });
        }
        Format::UsageReport => {
            let avg = number(Role::MonthlyAverage)?;
            let days = number(Role::DaysUsed)?;
            let per = avg.or(days).ok_or("no days used nor monthly average")?;
            if per.is_sign_negative() && !per.is_zero() {
                return Err(format!("negative days ({per})"));
            }
            let rounded = per
                .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .to_u32()
                .unwrap_or(31);
            let used_at_all = !per.is_zero() || days.is_some_and(|d| !d.is_zero());
            row.per_month = Some(if used_at_all {
                rounded.clamp(1, 31) as u8
            } else {
                0
            });
            row.day = date(Role::LastAccessed)?.map(|s| s.date);
        }
    }
    // The row reads: what it names is kept.
    row.product = read.name(product);
    if let Some(team) = get(r, Role::Team) {
        row.team = read.name(team);
    }
    if let Some(category) = get(r, Role::Category) {
        row.category = read.name(category);
    }
    if let Some(s) = session {
        row.session = read.sessions.len() as u32;
        read.sessions.push(s);
    }
    Ok(row)
}

/// A session's inactive stretches as a log writes them (docs/import.md): `START/END`, each
/// end a date-time as the file's dates are written or a time of day alone, stretches
/// separated by `;` or `|`. A time of day alone is the first such time from the session's
/// start (for START) or from START (for END).
fn stretches(
    v: &str,
    order: Option<DateOrder>,
    tz: &jiff::tz::TimeZone,
    start: DateTime,
    end: DateTime,
) -> Result<Vec<(DateTime, DateTime)>, String> {
    let point = |s: &str, day: Date| -> Option<DateTime> {
        match dates::time_of_day(s) {
            Some(t) => Some(day.to_datetime(t)),
            None => dates::parse(s, order)
                .filter(|st| st.time.is_some())
                .map(|st| st.local(tz)),
        }
    };
    // A time of day alone before `after` is the next day's.
    let next_day_if = |dt: DateTime, after: DateTime, text: &str| -> Option<DateTime> {
        if dt < after && dates::time_of_day(text).is_some() {
            dt.checked_add(jiff::Span::new().days(1)).ok()
        } else {
            Some(dt)
        }
    };
    let one = |part: &str| -> Option<(DateTime, DateTime)> {
        // Slashed dates hold slashes too: the one split whose two sides read.
        let mut reads = part.match_indices('/').filter_map(|(i, _)| {
            let (from, to) = (part[..i].trim(), part[i + 1..].trim());
            let a = next_day_if(point(from, start.date())?, start, from)?;
            let b = next_day_if(point(to, a.date())?, a, to)?;
            Some((a, b))
        });
        let first = reads.next()?;
        reads.next().is_none().then_some(first)
    };
    let mut out = Vec::new();
    for part in v.split([';', '|']).map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = one(part).ok_or_else(|| {
            format!(
                "inactive stretch {part:?} does not read as START/END (e.g. \
                 2026-01-05 12:00/2026-01-05 13:00, or 12:00/13:00)"
            )
        })?;
        if b <= a {
            return Err(format!("inactive stretch {part:?} ends before it starts"));
        }
        if a < start || b > end {
            return Err(format!("inactive stretch {part:?} is outside the session"));
        }
        out.push((a, b));
    }
    Ok(out)
}

/// The user × product uses of the rows with a matched product, users in order of first
/// appearance.
struct Uses<'a> {
    users: Vec<(String, Option<String>)>,
    per: BTreeMap<(usize, &'static str), Vec<&'a Row>>,
}

fn uses<'a>(rows: &'a [Row], matched: &Matched, read: &Read) -> Uses<'a> {
    let mut users = Vec::new();
    let mut at: HashMap<u32, usize> = HashMap::default();
    // Hashed while the rows pass, ordered once (a tree's string comparisons per row cost).
    let mut per: HashMap<(usize, &'static str), Vec<&Row>> = HashMap::default();
    for row in rows {
        let (Some((key, id_text, name)), Some(id)) = (read.user(row), matched.of(row)) else {
            continue;
        };
        let u = *at.entry(key).or_insert_with(|| {
            users.push((id_text.to_string(), name.map(str::to_string)));
            users.len() - 1
        });
        per.entry((u, id)).or_default().push(row);
    }
    Uses {
        users,
        per: per.into_iter().collect(),
    }
}

/// `days` a month scaled by `percent`, rounded half up, within 0–31 (a use scaled to less
/// than half a day a month is dropped).
fn scaled(days: u32, percent: i32) -> u32 {
    let x = i64::from(days) * (100 + i64::from(percent));
    ((x + 50) / 100).clamp(0, 31) as u32
}

fn months_between(first: Date, last: Date) -> u32 {
    let m = (i32::from(last.year()) - i32::from(first.year())) * 12 + i32::from(last.month())
        - i32::from(first.month());
    (m + 1).max(1) as u32
}

fn stamp(dt: DateTime) -> sc::Stamp {
    sc::stamp(format!(
        "{}T{:02}:{:02}",
        format_date(dt.date()),
        dt.hour(),
        dt.minute()
    ))
}

/// `YYYY-MM-DD`, as `time::format_date` writes it, without the formatting machinery (a
/// replay writes a million).
fn iso_date(d: Date) -> String {
    let (y, m, day) = (i32::from(d.year()), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return format_date(d);
    }
    let digit = |n: i32| char::from(b'0' + n as u8);
    let mut s = String::with_capacity(10);
    for n in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
        s.push(digit(n));
    }
    for n in [m, day] {
        s.push('-');
        s.push(digit(i32::from(n / 10)));
        s.push(digit(i32::from(n % 10)));
    }
    s
}

/// The days of `rows` with a charge (a 0-token row is a launch under five minutes), in
/// order, once each.
fn days_used(rows: &[&Row]) -> Vec<Date> {
    let mut days: Vec<Date> = rows
        .iter()
        .filter(|r| r.tokens.is_none_or(|t| !t.is_zero()))
        .filter_map(|r| r.day)
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// `dt` rounded up to the whole minute.
fn minute_up(dt: DateTime) -> DateTime {
    if dt.second() > 0 || dt.subsec_nanosecond() > 0 {
        dt.checked_add(jiff::Span::new().minutes(1)).unwrap_or(dt)
    } else {
        dt
    }
}

/// A session's inactive stretches in whole minutes, inside their rounded ends (a stretch
/// shorter than a minute once rounded is left out: far below IDLE_AFTER, it is use
/// either way); `None` when there are none.
fn inactive(idle: &[(DateTime, DateTime)]) -> Option<Vec<[sc::Stamp; 2]>> {
    let list: Vec<[sc::Stamp; 2]> = idle
        .iter()
        .map(|&(a, b)| (minute_up(a), b))
        .filter(|(a, b)| stamp(*a) < stamp(*b))
        .map(|(a, b)| [stamp(a), stamp(b)])
        .collect();
    (!list.is_empty()).then_some(list)
}

/// What the scenario is built from, once the rows are counted: the team's name when the
/// file names one team, the first and last dates, and each user × product's use.
struct Plan {
    team: Option<String>,
    first: Option<Date>,
    last: Option<Date>,
    users: Vec<(String, Option<String>)>,
    per: BTreeMap<(usize, &'static str), UseRows>,
}

/// What the rows of one user × product say.
struct UseRows {
    /// Days with a charge, in order, once each.
    days: Vec<Date>,
    /// Usage report: the most days a month.
    per_month: Option<u8>,
    /// Session logs: indexes in `Read::sessions`.
    sessions: Vec<u32>,
}

impl Plan {
    fn of(rows: &[Row], uses: Uses, read: &Read) -> Plan {
        let teams: BTreeSet<&str> = rows
            .iter()
            .filter_map(|r| read.names.get(r.team as usize).map(String::as_str))
            .collect();
        let team = (teams.len() == 1).then(|| teams.into_iter().next().unwrap_or_default());
        let dated = rows.iter().filter_map(|r| r.day).chain(
            rows.iter()
                .filter_map(|r| read.session(r).map(|s| s.end.date())),
        );
        let (first, last) = dated.fold((None::<Date>, None::<Date>), |(a, b), d| {
            (
                Some(a.map_or(d, |a| a.min(d))),
                Some(b.map_or(d, |b| b.max(d))),
            )
        });
        let per = uses
            .per
            .into_iter()
            .map(|(k, rs)| {
                let use_rows = UseRows {
                    days: days_used(&rs),
                    per_month: rs.iter().filter_map(|r| r.per_month).max(),
                    sessions: rs
                        .iter()
                        .map(|r| r.session)
                        .filter(|&i| i != NONE)
                        .collect(),
                };
                (k, use_rows)
            })
            .collect();
        Plan {
            team: team.map(str::to_string),
            first,
            last,
            users: uses.users,
            per,
        }
    }
}

fn build_scenario(
    format: Format,
    plan: &Plan,
    read: &Read,
    options: &ImportOptions,
    start_option: Option<Date>,
) -> Result<Option<Scenario>, ImportError> {
    if format == Format::TokenFlex {
        return Ok(None);
    }
    let (team, first, last, uses) = (plan.team.as_deref(), plan.first, plan.last, plan);
    let user = |i: usize, usage: Vec<sc::Usage>| {
        let (id, name) = &uses.users[i];
        sc::User {
            id: id.clone(),
            name: name.clone().filter(|n| n != id),
            timezone: None,
            subscriptions: Vec::new(),
            usage,
            results: Vec::new(),
        }
    };
    let mut users: Vec<sc::User> = Vec::new();
    let mut push = |i: usize, usage: sc::Usage| match users.last_mut() {
        Some(u) if u.id == uses.users[i].0 => u.usage.push(usage),
        _ => users.push(user(i, vec![usage])),
    };
    let monthly = |product: &str, days: u32| sc::Usage {
        product: product.to_string(),
        monthly: Some(sc::Monthly {
            days,
            from: DAY_FROM.into(),
            to: DAY_TO.into(),
        }),
        ..Default::default()
    };

    let (start, months, name) = if format == Format::UsageReport {
        let start = match (start_option, last) {
            (Some(s), _) => s,
            (None, Some(l)) => add_months(l.first_of_month(), 1),
            (None, None) => {
                return Err(ImportError::at(
                    0,
                    0,
                    "the usage report has no last_accessed date to start the forecast from: \
                     pass --start YYYY-MM-DD",
                ))
            }
        };
        for (&(u, product), rs) in &uses.per {
            let days = rs.per_month.map_or(0, u32::from);
            let days = scaled(days, options.scale_percent);
            if days > 0 {
                push(u, monthly(product, days));
            }
        }
        let months = options.forecast.unwrap_or(12);
        (start, months, "Forecast from a usage report".to_string())
    } else {
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(None);
        };
        let first = first.first_of_month();
        let history_months = months_between(first, last);
        let span = format!(
            "{:04}-{:02} to {:04}-{:02}",
            first.year(),
            first.month(),
            last.year(),
            last.month()
        );
        match options.forecast {
            Some(months) => {
                for (&(u, product), rs) in &uses.per {
                    let n = rs.days.len() as u32;
                    if n == 0 {
                        continue;
                    }
                    // Average days a month, rounded half up, at least 1; then scaled.
                    let avg = (2 * n + history_months) / (2 * history_months);
                    let days = scaled(avg.clamp(1, 31), options.scale_percent);
                    if days > 0 {
                        push(u, monthly(product, days));
                    }
                }
                let start =
                    start_option.unwrap_or_else(|| add_months(first, history_months.into()));
                (start, months, format!("Forecast from usage {span}"))
            }
            None => {
                for (&(u, product), rs) in &uses.per {
                    let usage = if format == Format::Sessions {
                        let mut sessions: Vec<(DateTime, DateTime, &[Stretch])> = rs
                            .sessions
                            .iter()
                            .filter_map(|&i| read.sessions.get(i as usize))
                            .map(|s| (s.start, s.end, s.inactive.as_slice()))
                            .collect();
                        sessions.sort();
                        sc::Usage {
                            product: product.to_string(),
                            sessions: Some(
                                sessions
                                    .into_iter()
                                    .map(|(s, e, idle)| sc::Session {
                                        // Whole minutes: the session's start down and end
                                        // up, an idle stretch's start up and end down (so
                                        // rounding never adds idle time).
                                        start: stamp(s),
                                        end: stamp(minute_up(e)),
                                        inactive: inactive(idle),
                                    })
                                    .collect(),
                            ),
                            ..Default::default()
                        }
                    } else {
                        let days = &rs.days;
                        if days.is_empty() {
                            continue;
                        }
                        sc::Usage {
                            product: product.to_string(),
                            dates: Some(sc::Dates {
                                dates: days.iter().copied().map(iso_date).collect(),
                                from: DAY_FROM.into(),
                                to: DAY_TO.into(),
                            }),
                            ..Default::default()
                        }
                    };
                    push(u, usage);
                }
                let start = start_option.unwrap_or(first);
                (start, history_months, format!("Usage {span}"))
            }
        }
    };
    let name = match team {
        Some(t) => format!("{t}: {name}"),
        None => name,
    };
    let currency = options.currency.clone();
    Ok(Some(Scenario {
        flexcalc: 1,
        name: Some(name),
        currency,
        timezone: options.timezone.clone(),
        period: sc::Period {
            start: format_date(start),
            months,
        },
        packs: None,
        low_balance_percent: None,
        offerings: Vec::new(),
        catalog: None,
        price_book: None,
        users: users.into_iter().map(Arc::new).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million rows are held at once: each stays small (docs/import.md says how small).
    #[test]
    fn a_row_is_compact() {
        assert!(
            std::mem::size_of::<Row>() <= 56,
            "{}",
            std::mem::size_of::<Row>()
        );
    }
}
