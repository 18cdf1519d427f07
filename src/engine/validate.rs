//! Scenario → Model: every value checked, every refusal located by its JSON path.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use crate::engine::catalog::{Catalog, PriceBook, Tier};
use crate::engine::error::InputError;
use crate::engine::model::*;
use crate::engine::price::check_book;
use crate::engine::scenario::*;
use crate::engine::time::{self, add_days, add_months, add_years, midnight};

/// Largest pack `tokens` (SPEC §6).
pub const MAX_PACK_TOKENS: u64 = 1_000_000_000;
/// Largest result quantity and custom rate: keeps every token sum far inside 64 bits.
pub const MAX_QUANTITY: u64 = 1_000_000;
pub const MAX_MONTHS: u32 = 36;
/// Largest amount of money in a scenario: keeps every product and sum of money exact.
pub const MAX_MONEY: u64 = 1_000_000_000_000;

type Res<T> = Result<T, InputError>;

fn err<T>(path: impl Into<String>, message: impl Into<String>) -> Res<T> {
    Err(InputError::new(path, message))
}

fn date(path: &str, s: &str) -> Res<Date> {
    time::parse_date(s)
        .ok_or_else(|| InputError::new(path, format!("{s:?} is not a date (expected YYYY-MM-DD)")))
}

fn time_of_day(path: &str, s: &str) -> Res<Time> {
    time::parse_time(s).ok_or_else(|| {
        InputError::new(
            path,
            format!("{s:?} is not a time of day (expected HH:MM, 00:00 to 23:59)"),
        )
    })
}

/// `datetime` for the hot loops: the path is written only when the value is refused.
fn datetime_at(
    read: &mut time::DateTimes,
    path: impl FnOnce() -> String,
    s: &str,
) -> Res<time::Local> {
    match read.read_local(s) {
        Some(d) => Ok(d),
        None => datetime(&path(), s).map(time::Local::new),
    }
}

fn datetime(path: &str, s: &str) -> Res<DateTime> {
    time::parse_datetime(s).ok_or_else(|| {
        InputError::new(
            path,
            format!("{s:?} is not a local date-time (expected YYYY-MM-DDTHH:MM)"),
        )
    })
}

fn zone(path: &str, s: &str) -> Res<TimeZone> {
    time::time_zone(s).ok_or_else(|| {
        InputError::new(
            path,
            format!("{s:?} is not an IANA time zone (such as \"Europe/Paris\")"),
        )
    })
}

/// A non-negative decimal written plainly: `3000`, `380.50`.
pub fn money(path: &str, s: &str) -> Res<Decimal> {
    let plain = {
        let mut parts = s.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        !int.is_empty()
            && int.bytes().all(|c| c.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()))
    };
    if !plain || s.len() > 24 {
        return err(
            path,
            format!(
                "{s:?} is not an amount of money (expected a decimal string such as \"380.00\")"
            ),
        );
    }
    match Decimal::from_str(s) {
        Ok(d) if d <= Decimal::from(MAX_MONEY) => Ok(d),
        _ => err(
            path,
            format!("{s:?} is more than the largest amount accepted ({MAX_MONEY})"),
        ),
    }
}

/// `path` gives the JSON path, written only when the id is refused (a big team has
/// thousands of users).
fn id(path: &dyn Fn() -> String, s: &str) -> Res<()> {
    if s.trim().is_empty() {
        return err(path(), "an id must not be empty");
    }
    Ok(())
}

/// [`id`], once in the list.
fn unique<'a>(path: &dyn Fn() -> String, seen: &mut HashSet<&'a str>, s: &'a str) -> Res<()> {
    id(path, s)?;
    if !seen.insert(s) {
        return err(path(), format!("id {s:?} is used twice in this list"));
    }
    Ok(())
}

/// `date` for the loop over users: the path is written only when the value is refused.
fn date_at(path: &dyn Fn() -> String, s: &str) -> Res<Date> {
    time::parse_date(s).map_or_else(|| date(&path(), s), Ok)
}

/// `time_of_day` for the hot loops: the path is written only when the value is refused.
fn time_of_day_at(path: impl FnOnce() -> String, s: &str) -> Res<Time> {
    match time::parse_time(s) {
        Some(t) => Ok(t),
        None => time_of_day(&path(), s),
    }
}

/// `weekday` for the hot loops: the path is written only when the value is refused.
fn weekday_at(path: impl FnOnce() -> String, s: &str) -> Res<usize> {
    match WEEKDAYS.iter().position(|d| *d == s) {
        Some(i) => Ok(i),
        None => weekday(&path(), s),
    }
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn weekday(path: &str, s: &str) -> Res<usize> {
    WEEKDAYS.iter().position(|d| *d == s).ok_or_else(|| {
        InputError::new(
            path,
            format!("{s:?} is not a weekday (expected one of mon, tue, wed, thu, fri, sat, sun)"),
        )
    })
}

fn price_book(scenario: &Scenario, catalog: &Catalog) -> Res<PriceBook> {
    let Some(pb) = &scenario.price_book else {
        return catalog.book(&scenario.currency).cloned().ok_or_else(|| {
            let known: Vec<&str> = catalog.books.iter().map(|b| b.currency.as_str()).collect();
            InputError::new(
                "currency",
                format!(
                    "{:?} has no price book (built-in: {}); a scenario may bring its own in \"price_book\"",
                    scenario.currency,
                    known.join(", ")
                ),
            )
        });
    };
    if pb.currency.trim().is_empty() {
        return err("price_book.currency", "a currency code must not be empty");
    }
    if pb.currency != scenario.currency {
        return err(
            "price_book.currency",
            format!(
                "{:?} differs from the scenario's currency {:?}: the price book must be the one of the scenario's currency",
                pb.currency, scenario.currency
            ),
        );
    }
    read_price_book(pb)
}

/// A price book as the scenario format writes it (`price_book`), checked as a scenario's
/// is, its currency aside: the widget's `quote` reads a partner's book through this.
pub fn read_price_book(pb: &PriceBookInput) -> Result<PriceBook, InputError> {
    if pb.currency.trim().is_empty() {
        return err("price_book.currency", "a currency code must not be empty");
    }
    if pb.minor_units > 6 {
        return err(
            "price_book.minor_units",
            format!("{} is more than 6 decimals", pb.minor_units),
        );
    }
    let mut tiers = Vec::with_capacity(pb.tiers.len());
    for (i, t) in pb.tiers.iter().enumerate() {
        let price = money(&format!("price_book.tiers[{i}].price"), &t.price)?;
        tiers.push(Tier {
            from: t.from,
            price,
        });
    }
    let book = PriceBook {
        currency: pb.currency.clone(),
        minor_units: pb.minor_units,
        tiers,
        packs: pb.packs.clone(),
    };
    check_book(&book).map_err(|e| InputError::new(format!("price_book.{}", e.path), e.message))?;
    Ok(book)
}

/// Checks a scenario against SPEC §6 and resolves it against the built-in catalog.
pub fn validate(scenario: &Scenario) -> Res<Model> {
    validate_with(scenario, Catalog::builtin())
}

/// The sections in the order they are checked (which decides the error reported when a
/// scenario has several): the catalog before the offerings and users that name it.
pub fn validate_with(s: &Scenario, catalog: &Catalog) -> Res<Model> {
    version(s.flexcalc)?;
    let tz = zone("timezone", &s.timezone)?;
    let (start_date, end_date) = period(&s.period)?;
    let book = price_book(s, catalog)?;
    let low_balance_percent = low_balance_percent(s.low_balance_percent)?;
    let packs = match &s.packs {
        None => None,
        Some(list) => Some(packs(list, &tz)?),
    };
    let rates = rates(catalog, s.catalog.as_ref())?;
    let offerings = offerings(&s.offerings, &rates)?;
    let users = users(&s.users, &tz, &offerings, &rates)?;
    Ok(Model {
        name: s.name.clone().unwrap_or_default(),
        currency: s.currency.clone(),
        start: midnight(&tz, start_date),
        end: midnight(&tz, end_date),
        tz,
        start_date,
        end_date,
        months: s.period.months,
        book,
        packs,
        low_balance_percent,
        products: rates.products,
        services: rates.services,
        offerings,
        users,
    })
}

fn version(flexcalc: u32) -> Res<()> {
    if flexcalc != 1 {
        return err(
            "flexcalc",
            format!("version {flexcalc} is not supported: this engine reads version 1"),
        );
    }
    Ok(())
}

/// The first and the last-plus-one day.
fn period(p: &Period) -> Res<(Date, Date)> {
    let start = date("period.start", &p.start)?;
    if !(1..=MAX_MONTHS).contains(&p.months) {
        return err(
            "period.months",
            format!("{} is outside 1 to {MAX_MONTHS} months", p.months),
        );
    }
    if !(1900..=9000).contains(&start.year()) {
        return err(
            "period.start",
            format!("{:?} is outside the years 1900 to 9000", p.start),
        );
    }
    Ok((start, add_months(start, i64::from(p.months))))
}

fn low_balance_percent(given: Option<u32>) -> Res<u64> {
    let percent = u64::from(given.unwrap_or(20));
    if percent > 100 {
        return err(
            "low_balance_percent",
            format!("{percent} is outside 0 to 100"),
        );
    }
    Ok(percent)
}

/// `tz`: a pack is usable, expires and may be returned at midnight in the scenario's zone.
fn packs(list: &[Pack], tz: &TimeZone) -> Res<Vec<PackM>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let at = format!("packs[{i}]");
        unique(&|| format!("{at}.id"), &mut seen, &p.id)?;
        let purchased = date(&format!("{at}.purchased"), &p.purchased)?;
        if !(1900..=9000).contains(&purchased.year()) {
            return err(
                format!("{at}.purchased"),
                "the year must be from 1900 to 9000",
            );
        }
        if !(1..=MAX_PACK_TOKENS).contains(&p.tokens) {
            return err(
                format!("{at}.tokens"),
                format!("{} is outside 1 to {MAX_PACK_TOKENS} tokens", p.tokens),
            );
        }
        let expires_date = add_years(purchased, 1);
        out.push(PackM {
            id: p.id.clone(),
            purchased,
            usable_from: midnight(tz, purchased),
            expires_date,
            expires: midnight(tz, expires_date),
            return_deadline: midnight(tz, add_days(purchased, 30)),
            tokens: p.tokens,
        });
    }
    Ok(out)
}

/// The products and services a scenario may name: the built-in catalog's, then its own
/// (the model's indexes point into these lists).
struct Rates {
    products: Vec<Rated>,
    services: Vec<Rated>,
}

impl Rates {
    /// `path` gives the JSON path, written only when the id is refused.
    fn product(&self, path: &dyn Fn() -> String, pid: &str) -> Res<usize> {
        self.products
            .iter()
            .position(|p| p.id == pid)
            .ok_or_else(|| {
                let path = path();
                let hint = if self.services.iter().any(|q| q.id == pid) {
                    " (it is a per-result service: list it under \"results\")"
                } else {
                    ""
                };
                InputError::new(path, format!("{pid:?} is not a known product{hint}"))
            })
    }

    /// `path` gives the JSON path, written only when the id is refused.
    fn service(&self, path: &dyn Fn() -> String, sid: &str) -> Res<usize> {
        self.services
            .iter()
            .position(|q| q.id == sid)
            .ok_or_else(|| {
                let hint = if self.products.iter().any(|q| q.id == sid) {
                    " (it is a daily product: list it under \"usage\")"
                } else {
                    ""
                };
                InputError::new(
                    path(),
                    format!("{sid:?} is not a known per-result service{hint}"),
                )
            })
    }
}

fn rates(catalog: &Catalog, own: Option<&CustomCatalog>) -> Res<Rates> {
    let mut rates = Rates {
        products: catalog
            .products
            .iter()
            .map(|p| Rated {
                id: p.id.clone(),
                name: p.name.en.clone(),
                tokens: p.tokens_per_day,
            })
            .collect(),
        services: catalog
            .services
            .iter()
            .map(|p| Rated {
                id: p.id.clone(),
                name: p.name.en.clone(),
                tokens: p.tokens,
            })
            .collect(),
    };
    let Some(own) = own else {
        return Ok(rates);
    };
    for (i, p) in own.products.iter().enumerate() {
        let at = format!("catalog.products[{i}]");
        let tokens = ("tokens_per_day", p.tokens_per_day);
        let product = catalog_entry(&at, &p.id, p.name.as_ref(), tokens, &rates)?;
        rates.products.push(product);
    }
    for (i, p) in own.services.iter().enumerate() {
        let at = format!("catalog.services[{i}]");
        let tokens = ("tokens", p.tokens);
        let service = catalog_entry(&at, &p.id, p.name.as_ref(), tokens, &rates)?;
        rates.services.push(service);
    }
    Ok(rates)
}

/// One of the scenario's own products or services; `tokens` is its rate and the field
/// that holds it. Products and services share one space of ids, so that an id names one
/// thing wherever it appears.
fn catalog_entry(
    at: &str,
    eid: &str,
    name: Option<&String>,
    (field, tokens): (&str, u64),
    known: &Rates,
) -> Res<Rated> {
    id(&|| format!("{at}.id"), eid)?;
    if known.products.iter().any(|q| q.id == eid) || known.services.iter().any(|q| q.id == eid) {
        return err(
            format!("{at}.id"),
            format!("{eid:?} is already a product or service id"),
        );
    }
    if !(1..=MAX_QUANTITY).contains(&tokens) {
        return err(
            format!("{at}.{field}"),
            format!("{tokens} is outside 1 to {MAX_QUANTITY}"),
        );
    }
    Ok(Rated {
        id: eid.to_string(),
        name: name.cloned().unwrap_or_else(|| eid.to_string()),
        tokens,
    })
}

fn offerings(list: &[Offering], rates: &Rates) -> Res<Vec<OfferingM>> {
    let mut offerings = Vec::with_capacity(list.len());
    let mut seen = HashSet::new();
    for (i, o) in list.iter().enumerate() {
        let at = format!("offerings[{i}]");
        unique(&|| format!("{at}.id"), &mut seen, &o.id)?;
        if o.covers.is_empty() {
            return err(
                format!("{at}.covers"),
                "an offering must cover at least one product",
            );
        }
        let mut covers = Vec::with_capacity(o.covers.len());
        for (j, p) in o.covers.iter().enumerate() {
            let k = rates.product(&|| format!("{at}.covers[{j}]"), p)?;
            if !covers.contains(&k) {
                covers.push(k);
            }
        }
        let annual = money(&format!("{at}.annual"), &o.annual)?;
        let monthly = match &o.monthly {
            Some(m) => Some(money(&format!("{at}.monthly"), m)?),
            None => None,
        };
        offerings.push(OfferingM {
            id: o.id.clone(),
            name: o.name.clone().unwrap_or_else(|| o.id.clone()),
            covers,
            annual,
            monthly,
        });
    }
    Ok(offerings)
}

/// What each user is read against, and what reading one leaves for the next (a big team
/// has thousands of users, mostly alike).
struct Team<'s, 'c> {
    tz: &'c TimeZone,
    offerings: &'c [OfferingM],
    rates: &'c Rates,
    /// Users mostly share a few zones: each is looked up once.
    zones: HashMap<&'s str, TimeZone>,
    read: time::DateTimes,
}

fn users(
    list: &[Arc<User>],
    tz: &TimeZone,
    offerings: &[OfferingM],
    rates: &Rates,
) -> Res<Vec<UserM>> {
    let mut users = Vec::with_capacity(list.len());
    // Sized once: a big team's set grown by doubling rehashed every id each time.
    let mut seen_users = HashSet::with_capacity(list.len());
    let mut team = Team {
        tz,
        offerings,
        rates,
        zones: HashMap::new(),
        read: time::DateTimes::new(),
    };
    for (ui, u) in list.iter().enumerate() {
        let at = || format!("users[{ui}]");
        unique(&|| format!("{}.id", at()), &mut seen_users, &u.id)?;
        users.push(user(&at, u, &mut team)?);
    }
    Ok(users)
}

/// `at` gives the user's JSON path, built only when a value is refused.
fn user<'s>(at: &dyn Fn() -> String, u: &'s User, team: &mut Team<'s, '_>) -> Res<UserM> {
    let utz = match &u.timezone {
        Some(name) => match team.zones.get(name.as_str()) {
            Some(z) => z.clone(),
            None => {
                let z = zone(&format!("{}.timezone", at()), name)?;
                team.zones.insert(name, z.clone());
                z
            }
        },
        None => team.tz.clone(),
    };
    let mut subscriptions = Vec::with_capacity(u.subscriptions.len());
    for (i, sub) in u.subscriptions.iter().enumerate() {
        let sat = || format!("{}.subscriptions[{i}]", at());
        let offering = team
            .offerings
            .iter()
            .position(|o| o.id == sub.offering)
            .ok_or_else(|| {
                InputError::new(
                    format!("{}.offering", sat()),
                    format!("{:?} is not one of the scenario's offerings", sub.offering),
                )
            })?;
        let from = date_at(&|| format!("{}.from", sat()), &sub.from)?;
        let to = date_at(&|| format!("{}.to", sat()), &sub.to)?;
        if from > to {
            return err(
                format!("{}.to", sat()),
                format!("{:?} is before from {:?}", sub.to, sub.from),
            );
        }
        if !(1900..=9000).contains(&from.year()) || !(1900..=9000).contains(&to.year()) {
            return err(sat(), "the years must be from 1900 to 9000");
        }
        subscriptions.push(SubscriptionM { offering, from, to });
    }
    let mut usages = Vec::with_capacity(u.usage.len());
    for (i, us) in u.usage.iter().enumerate() {
        usages.push(usage(
            &|| format!("{}.usage[{i}]", at()),
            us,
            team.rates,
            &mut team.read,
        )?);
    }
    let mut results = Vec::with_capacity(u.results.len());
    for (i, r) in u.results.iter().enumerate() {
        let rat = || format!("{}.results[{i}]", at());
        let service = team
            .rates
            .service(&|| format!("{}.service", rat()), &r.service)?;
        let when = datetime_at(&mut team.read, || format!("{}.at", rat()), &r.at)?.datetime();
        if !(1..=MAX_QUANTITY).contains(&r.quantity) {
            return err(
                format!("{}.quantity", rat()),
                format!("{} is outside 1 to {MAX_QUANTITY}", r.quantity),
            );
        }
        results.push(ResultM {
            service,
            at: time::instant(&utz, when),
            quantity: r.quantity,
        });
    }
    Ok(UserM {
        id: u.id.clone(),
        name: u.name.clone(),
        tz: utz,
        subscriptions,
        usages,
        results,
    })
}

/// One usage entry; `at` gives its JSON path, built only when a value is refused.
fn usage(
    at: &dyn Fn() -> String,
    u: &Usage,
    rates: &Rates,
    read: &mut time::DateTimes,
) -> Res<UsageM> {
    let product = rates.product(&|| format!("{}.product", at()), &u.product)?;
    one_pattern(at, u)?;
    let pattern = if let Some(list) = &u.sessions {
        sessions(at, list, read)?
    } else if let Some(w) = &u.weekly {
        weekly(at, w)?
    } else if let Some(m) = &u.monthly {
        monthly(at, m)?
    } else if let Some(d) = &u.dates {
        dates(at, d)?
    } else {
        unreachable!("one_pattern checked that there is exactly one")
    };
    Ok(UsageM {
        product,
        pattern,
        months: months(at, u.months.as_deref())?,
        except: except(at, u.except.as_deref())?,
        idle_detection: u.idle_detection.unwrap_or(true),
        plugins: plugins(at, u.plugins.as_deref(), product, rates)?,
    })
}

/// Refuses a usage entry with no pattern or more than one.
fn one_pattern(at: &dyn Fn() -> String, u: &Usage) -> Res<()> {
    let patterns = [
        ("sessions", u.sessions.is_some()),
        ("weekly", u.weekly.is_some()),
        ("monthly", u.monthly.is_some()),
        ("dates", u.dates.is_some()),
    ];
    let given: Vec<&str> = patterns
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect();
    if given.len() == 1 {
        return Ok(());
    }
    let what = if given.is_empty() {
        "none".to_string()
    } else {
        given.join(" and ")
    };
    err(
        at(),
        format!("a usage entry needs exactly one pattern of sessions, weekly, monthly or dates; it has {what}"),
    )
}

/// A `sessions` list: each session's date-times, and its inactive stretches gathered in
/// one list for all.
fn sessions(
    at: &dyn Fn() -> String,
    list: &[Session],
    read: &mut time::DateTimes,
) -> Res<PatternM> {
    let mut out = Vec::with_capacity(list.len());
    let mut inactive = Vec::with_capacity(
        list.iter()
            .map(|s| s.inactive.as_ref().map_or(0, Vec::len))
            .sum(),
    );
    for (i, s) in list.iter().enumerate() {
        let sat = || format!("{}.sessions[{i}]", at());
        let start = datetime_at(read, || format!("{}.start", sat()), &s.start)?;
        let end = datetime_at(read, || format!("{}.end", sat()), &s.end)?;
        if end <= start {
            return err(
                format!("{}.end", sat()),
                format!("{:?} is not after the start {:?}", s.end, s.start),
            );
        }
        let first = inactive.len();
        for (j, [a, b]) in s.inactive.iter().flatten().enumerate() {
            let iat = || format!("{}.inactive[{j}]", sat());
            let a = datetime_at(read, || format!("{}[0]", iat()), a)?;
            let b = datetime_at(read, || format!("{}[1]", iat()), b)?;
            if b <= a {
                return err(
                    format!("{}[1]", iat()),
                    "an inactive stretch must end after it starts",
                );
            }
            inactive.push((a, b));
        }
        out.push(SessionM {
            start,
            end,
            inactive: first..inactive.len(),
        });
    }
    Ok(PatternM::Sessions {
        list: out,
        inactive,
    })
}

fn weekly(at: &dyn Fn() -> String, w: &Weekly) -> Res<PatternM> {
    let mut days = [false; 7];
    for (i, d) in w.days.iter().enumerate() {
        days[weekday_at(|| format!("{}.weekly.days[{i}]", at()), d)?] = true;
    }
    Ok(PatternM::Weekly {
        days,
        from: time_of_day_at(|| format!("{}.weekly.from", at()), &w.from)?,
        to: time_of_day_at(|| format!("{}.weekly.to", at()), &w.to)?,
    })
}

fn monthly(at: &dyn Fn() -> String, m: &Monthly) -> Res<PatternM> {
    if !(1..=31).contains(&m.days) {
        return err(
            format!("{}.monthly.days", at()),
            format!("{} is outside 1 to 31 days", m.days),
        );
    }
    Ok(PatternM::Monthly {
        days: m.days,
        from: time_of_day_at(|| format!("{}.monthly.from", at()), &m.from)?,
        to: time_of_day_at(|| format!("{}.monthly.to", at()), &m.to)?,
    })
}

fn dates(at: &dyn Fn() -> String, d: &Dates) -> Res<PatternM> {
    let mut dates = Vec::with_capacity(d.dates.len());
    for (i, x) in d.dates.iter().enumerate() {
        dates.push(match time::parse_date(x) {
            Some(d) => d,
            None => date(&format!("{}.dates.dates[{i}]", at()), x)?,
        });
    }
    Ok(PatternM::Dates {
        dates,
        from: time_of_day_at(|| format!("{}.dates.from", at()), &d.from)?,
        to: time_of_day_at(|| format!("{}.dates.to", at()), &d.to)?,
    })
}

/// The `months` filter as a table indexed by month number (1 to 12).
fn months(at: &dyn Fn() -> String, list: Option<&[u32]>) -> Res<Option<[bool; 13]>> {
    let Some(list) = list else {
        return Ok(None);
    };
    let mut keep = [false; 13];
    for (i, m) in list.iter().enumerate() {
        if !(1..=12).contains(m) {
            return err(
                format!("{}.months[{i}]", at()),
                format!("{m} is not a month (1 to 12)"),
            );
        }
        keep[*m as usize] = true;
    }
    Ok(Some(keep))
}

/// The `except` dates, sorted (the expansion walks them beside the days).
fn except(at: &dyn Fn() -> String, list: Option<&[String]>) -> Res<Vec<Date>> {
    let mut except = Vec::new();
    for (i, d) in list.iter().copied().flatten().enumerate() {
        except.push(match time::parse_date(d) {
            Some(x) => x,
            None => date(&format!("{}.except[{i}]", at()), d)?,
        });
    }
    crate::engine::advise::sort::sort(&mut except);
    Ok(except)
}

/// The `plugins` as product numbers, once each; the host product itself is refused.
fn plugins(
    at: &dyn Fn() -> String,
    list: Option<&[String]>,
    product: usize,
    rates: &Rates,
) -> Res<Vec<usize>> {
    let mut plugins = Vec::new();
    for (i, p) in list.iter().copied().flatten().enumerate() {
        let pat = || format!("{}.plugins[{i}]", at());
        let k = rates.product(&pat, p)?;
        if k == product {
            return err(pat(), format!("{p:?} is the host product itself"));
        }
        if !plugins.contains(&k) {
            plugins.push(k);
        }
    }
    Ok(plugins)
}
