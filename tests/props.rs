//! Property tests (proptest) over random scenarios.
//!
//! The main property compares the engine with `Oracle`, an independent and deliberately
//! plain reading of SPEC (M1–M8, L1–L6, §6 patterns and time rules) written for these tests
//! only: no code is shared with the engine but jiff's time-zone database. Beside it, the
//! invariants of issue 2: pack conservation, 24-hour spacing inside use intervals, cutting a
//! session inside an open window changes nothing, user listing order only matters for
//! same-instant ties, totals are sums of charges, and no input ever panics.

mod support;

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{json, Value};

// =======================================================================================
// Generated scenarios

/// Zones with DST at 02:00 or 03:00 (Paris, New York), none (UTC, Tokyo), at midnight
/// (Havana, Santiago: local midnight itself can be missing or doubled), by 30 minutes
/// (Lord Howe), and an offset of +05:45 (Kathmandu).
const ZONES: [&str; 8] = [
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Asia/Tokyo",
    "America/Havana",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
];
/// Period starts near DST changes (March, April, September, October/November), a leap
/// February, and mid-month and end-of-month starts (calendar months in by_month).
const STARTS: [&str; 9] = [
    "2027-03-01",
    "2027-10-01",
    "2027-01-01",
    "2028-02-01",
    "2027-04-01",
    "2027-09-01",
    "2027-11-01",
    "2027-03-15",
    "2028-01-31",
];
/// (id, tokens a day); "plug" comes from the scenario's catalog.
const PRODUCTS: [(&str, u64); 5] = [
    ("autocad", 7),
    ("revit", 10),
    ("recap-pro", 1),
    ("maya", 6),
    ("plug", 2),
];
const SERVICES: [(&str, u64); 2] = [("cfd-simple", 5), ("validation-tool", 1)];
/// (offering id, products covered).
const OFFERINGS: [(&str, &[&str]); 2] = [
    ("acad", &["autocad"]),
    ("suite", &["autocad", "revit", "plug"]),
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Clone)]
struct GSession {
    /// Minutes after the period's first local midnight (may be negative).
    start: i64,
    len: i64,
    /// (minutes after the session's start, length)
    inactive: Vec<(i64, i64)>,
}

#[derive(Debug, Clone)]
enum GPattern {
    Sessions(Vec<GSession>),
    /// Weekday bit set, from and to in minutes of the day.
    Weekly(u8, i64, i64),
    Monthly(u32, i64, i64),
    /// Day offsets from the period's first date.
    Dates(Vec<i64>, i64, i64),
}

#[derive(Debug, Clone)]
struct GUsage {
    product: usize,
    pattern: GPattern,
    idle_detection: Option<bool>,
    plugin: Option<usize>,
    /// Month bit set (bit m for month m), if any.
    months: Option<u16>,
    /// Day offsets from the period's first date.
    except: Vec<i64>,
}

#[derive(Debug, Clone)]
struct GUser {
    tz: Option<usize>,
    usages: Vec<GUsage>,
    /// (offering, first day offset, days)
    subs: Vec<(usize, i64, i64)>,
    /// (service, minute offset, quantity)
    results: Vec<(usize, i64, u64)>,
}

#[derive(Debug, Clone)]
struct GScenario {
    tz: usize,
    start: usize,
    months: u32,
    /// None: estimate; Some(list): (purchase day offset, tokens).
    packs: Option<Vec<(i64, u64)>>,
    low: Option<u32>,
    users: Vec<GUser>,
}

fn start_date(g: &GScenario) -> Date {
    STARTS[g.start].parse().unwrap()
}

fn local_minutes(d0: Date, minutes: i64) -> DateTime {
    d0.to_datetime(Time::midnight())
        .checked_add(minutes.minutes())
        .unwrap()
}

fn fmt_dt(dt: DateTime) -> String {
    dt.strftime("%Y-%m-%dT%H:%M").to_string()
}

fn fmt_date(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

fn fmt_time(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn day(d0: Date, n: i64) -> Date {
    d0.checked_add(n.days()).unwrap()
}

fn to_json(g: &GScenario) -> Value {
    let d0 = start_date(g);
    let users: Vec<Value> = g
        .users
        .iter()
        .enumerate()
        .map(|(ui, u)| {
            let usage: Vec<Value> = u
                .usages
                .iter()
                .map(|us| {
                    let mut v = json!({ "product": PRODUCTS[us.product].0 });
                    match &us.pattern {
                        GPattern::Sessions(list) => {
                            v["sessions"] = list
                                .iter()
                                .map(|s| {
                                    let a = local_minutes(d0, s.start);
                                    let mut o = json!({ "start": fmt_dt(a), "end": fmt_dt(local_minutes(d0, s.start + s.len)) });
                                    if !s.inactive.is_empty() {
                                        o["inactive"] = s
                                            .inactive
                                            .iter()
                                            .map(|&(off, len)| {
                                                json!([
                                                    fmt_dt(local_minutes(d0, s.start + off)),
                                                    fmt_dt(local_minutes(d0, s.start + off + len))
                                                ])
                                            })
                                            .collect();
                                    }
                                    o
                                })
                                .collect();
                        }
                        GPattern::Weekly(days, from, to) => {
                            let list: Vec<&str> = (0..7).filter(|i| days & (1 << i) != 0).map(|i| WEEKDAYS[i]).collect();
                            v["weekly"] = json!({ "days": list, "from": fmt_time(*from), "to": fmt_time(*to) });
                        }
                        GPattern::Monthly(n, from, to) => {
                            v["monthly"] = json!({ "days": n, "from": fmt_time(*from), "to": fmt_time(*to) });
                        }
                        GPattern::Dates(list, from, to) => {
                            let dates: Vec<String> = list.iter().map(|&n| fmt_date(day(d0, n))).collect();
                            v["dates"] = json!({ "dates": dates, "from": fmt_time(*from), "to": fmt_time(*to) });
                        }
                    }
                    if let Some(on) = us.idle_detection {
                        v["idle_detection"] = json!(on);
                    }
                    if let Some(p) = us.plugin {
                        if p != us.product {
                            v["plugins"] = json!([PRODUCTS[p].0]);
                        }
                    }
                    if let Some(bits) = us.months {
                        v["months"] = json!((1..=12).filter(|m| bits & (1 << m) != 0).collect::<Vec<u32>>());
                    }
                    if !us.except.is_empty() {
                        v["except"] = us.except.iter().map(|&n| json!(fmt_date(day(d0, n)))).collect();
                    }
                    v
                })
                .collect();
            let mut v = json!({ "id": format!("user{ui}"), "usage": usage });
            if let Some(z) = u.tz {
                v["timezone"] = json!(ZONES[z]);
            }
            if !u.subs.is_empty() {
                v["subscriptions"] = u
                    .subs
                    .iter()
                    .map(|&(o, first, days)| {
                        json!({ "offering": OFFERINGS[o].0, "from": fmt_date(day(d0, first)), "to": fmt_date(day(d0, first + days)) })
                    })
                    .collect();
            }
            if !u.results.is_empty() {
                v["results"] = u
                    .results
                    .iter()
                    .map(|&(s, m, q)| json!({ "service": SERVICES[s].0, "at": fmt_dt(local_minutes(d0, m)), "quantity": q }))
                    .collect();
            }
            v
        })
        .collect();
    let mut s = json!({
        "flexcalc": 1,
        "currency": "EUR",
        "timezone": ZONES[g.tz],
        "period": { "start": STARTS[g.start], "months": g.months },
        "offerings": OFFERINGS.iter().map(|(id, covers)| json!({ "id": id, "covers": covers, "annual": "1000.00" })).collect::<Vec<_>>(),
        "catalog": { "products": [ { "id": "plug", "tokens_per_day": 2 } ] },
        "users": users
    });
    if let Some(packs) = &g.packs {
        s["packs"] = packs
            .iter()
            .enumerate()
            .map(|(i, &(d, t))| json!({ "id": format!("P{i}"), "purchased": fmt_date(day(d0, d)), "tokens": t }))
            .collect();
    }
    if let Some(p) = g.low {
        s["low_balance_percent"] = json!(p);
    }
    s
}

fn session_strategy() -> impl Strategy<Value = GSession> {
    // Mostly short sessions (to meet the 5-minute grace), some up to three days.
    let len = prop_oneof![3 => 1i64..12, 4 => 12i64..600, 2 => 600i64..4400];
    (-180i64..(62 * 1440), len)
        .prop_flat_map(|(start, len)| {
            let stretch = (0..len).prop_flat_map(move |off| (Just(off), 1..=(len - off).min(1500)));
            (Just(start), Just(len), prop::collection::vec(stretch, 0..3))
        })
        .prop_map(|(start, len, inactive)| GSession {
            start,
            len,
            inactive,
        })
}

fn minute_of_day() -> impl Strategy<Value = i64> {
    prop_oneof![(0i64..24).prop_map(|h| h * 60), 0i64..1440]
}

fn pattern_strategy() -> impl Strategy<Value = GPattern> {
    prop_oneof![
        5 => prop::collection::vec(session_strategy(), 1..5).prop_map(GPattern::Sessions),
        2 => (1u8..128, minute_of_day(), minute_of_day()).prop_map(|(d, a, b)| GPattern::Weekly(d, a, b)),
        2 => (1u32..25, minute_of_day(), minute_of_day()).prop_map(|(n, a, b)| GPattern::Monthly(n, a, b)),
        1 => (prop::collection::vec(-3i64..64, 1..6), minute_of_day(), minute_of_day()).prop_map(|(d, a, b)| GPattern::Dates(d, a, b)),
    ]
}

fn usage_strategy() -> impl Strategy<Value = GUsage> {
    (
        0..PRODUCTS.len(),
        pattern_strategy(),
        prop::option::of(any::<bool>()),
        prop::option::weighted(0.25, 0..PRODUCTS.len()),
        prop::option::weighted(0.2, 0u16..0x2000),
        prop::collection::vec(-2i64..62, 0..3),
    )
        .prop_map(
            |(product, pattern, idle_detection, plugin, months, except)| GUsage {
                product,
                pattern,
                idle_detection,
                plugin,
                months: months.map(|m| m & 0x1ffe),
                except,
            },
        )
}

fn user_strategy() -> impl Strategy<Value = GUser> {
    (
        prop::option::weighted(0.3, 0..ZONES.len()),
        prop::collection::vec(usage_strategy(), 0..4),
        prop::collection::vec((0..OFFERINGS.len(), -5i64..62, 0i64..10), 0..2),
        prop::collection::vec((0..SERVICES.len(), -60i64..(62 * 1440), 1u64..5), 0..3),
    )
        .prop_map(|(tz, usages, subs, results)| GUser {
            tz,
            usages,
            subs,
            results,
        })
}

fn scenario_strategy() -> impl Strategy<Value = GScenario> {
    (
        0..ZONES.len(),
        0..STARTS.len(),
        1u32..3,
        prop_oneof![
            1 => Just(None),
            1 => Just(Some(vec![])),
            5 => prop::collection::vec((-380i64..70, 1u64..90), 1..4).prop_map(Some),
        ],
        prop::option::of(0u32..=100),
        prop::collection::vec(user_strategy(), 1..4),
    )
        .prop_map(|(tz, start, months, packs, low, users)| GScenario {
            tz,
            start,
            months,
            packs,
            low,
            users,
        })
}

// =======================================================================================
// The oracle: SPEC read plainly

/// SPEC §6: a local time in a gap moves forward by the gap (the offset before it applies);
/// in a fold the earlier instant (again the offset before the change).
fn instant(tz: &TimeZone, dt: DateTime) -> i64 {
    let offset = match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset,
        AmbiguousOffset::Gap { before, .. } => before,
        AmbiguousOffset::Fold { before, .. } => before,
    };
    offset.to_timestamp(dt).unwrap().as_second()
}

fn midnight(tz: &TimeZone, d: Date) -> i64 {
    instant(tz, d.to_datetime(Time::midnight()))
}

fn rfc3339(tz: &TimeZone, t: i64) -> String {
    Timestamp::from_second(t)
        .unwrap()
        .to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Sorted, merged; touching intervals merge (M1).
fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.retain(|&(a, b)| a < b);
    v.sort();
    let mut out: Vec<(i64, i64)> = vec![];
    for (a, b) in v {
        if let Some(last) = out.last_mut() {
            if a <= last.1 {
                last.1 = last.1.max(b);
                continue;
            }
        }
        out.push((a, b));
    }
    out
}

/// `v` minus `holes`, both merged.
fn minus(v: &[(i64, i64)], holes: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = vec![];
    for &(a, b) in v {
        let mut pieces = vec![(a, b)];
        for &(x, y) in holes {
            let mut next = vec![];
            for (p, q) in pieces {
                if y <= p || x >= q {
                    next.push((p, q));
                } else {
                    if p < x {
                        next.push((p, x));
                    }
                    if y < q {
                        next.push((y, q));
                    }
                }
            }
            pieces = next;
        }
        out.extend(pieces);
    }
    merge(out)
}

const WINDOW: i64 = 86_400;
const GRACE: i64 = 300;
const IDLE_AFTER: i64 = 900;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    user: String,
    item: String,
    at: String,
    tokens: u64,
}

#[derive(Debug, Default, PartialEq)]
struct Expected {
    charges: Vec<Event>,
    denials: Vec<Event>,
    expirations: Vec<(String, String, u64)>,
    alerts: Vec<(String, u64)>,
    /// id → (used, expired, remaining, expires, returnable)
    packs: Vec<(String, u64, u64, u64, String, bool)>,
    total: u64,
    by_user: BTreeMap<String, u64>,
    by_product: BTreeMap<String, u64>,
    by_month: BTreeMap<String, u64>,
    /// (user, product) → use intervals after subscriptions, for the spacing property.
    use_intervals: BTreeMap<(String, String), Vec<(i64, i64)>>,
}

/// (user index, product id, rate, use intervals)
type MeterInput = (usize, &'static str, u64, Vec<(i64, i64)>);

struct Pack {
    id: String,
    from: i64,
    expires: i64,
    expires_date: Date,
    deadline: i64,
    tokens: u64,
    used: u64,
    first_draw: Option<i64>,
}

fn oracle(g: &GScenario) -> Expected {
    let team = TimeZone::get(ZONES[g.tz]).unwrap();
    let d0 = start_date(g);
    let d_end = d0.checked_add((g.months as i64).months()).unwrap();
    let (p0, p1) = (midnight(&team, d0), midnight(&team, d_end));
    let clip = |(a, b): (i64, i64)| (a.max(p0), b.min(p1));
    let mut ex = Expected::default();

    // Meters: (user index, product id, rate, intervals)
    let mut meters: Vec<MeterInput> = vec![];
    for (ui, u) in g.users.iter().enumerate() {
        let tz =
            u.tz.map_or(team.clone(), |z| TimeZone::get(ZONES[z]).unwrap());
        let keep = |us: &GUsage, d: Date| {
            us.months.is_none_or(|bits| bits & (1 << d.month()) != 0)
                && !us.except.iter().any(|&n| day(d0, n) == d)
        };
        let mut by_product: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
        for us in &u.usages {
            let mut spans: Vec<(i64, i64)> = vec![];
            let day_session = |d: Date, from: i64, to: i64| {
                let a = instant(
                    &tz,
                    d.to_datetime(Time::midnight())
                        .checked_add(from.minutes())
                        .unwrap(),
                );
                let end_day = if to <= from { day(d, 1) } else { d };
                let b = instant(
                    &tz,
                    end_day
                        .to_datetime(Time::midnight())
                        .checked_add(to.minutes())
                        .unwrap(),
                );
                clip((a, b))
            };
            let period_dates = || {
                let mut v = vec![];
                let mut d = d0;
                while d < d_end {
                    v.push(d);
                    d = day(d, 1);
                }
                v
            };
            match &us.pattern {
                GPattern::Sessions(list) => {
                    for s in list {
                        let start_dt = local_minutes(d0, s.start);
                        if !keep(us, start_dt.date()) {
                            continue;
                        }
                        let a = instant(&tz, start_dt);
                        let b = instant(&tz, local_minutes(d0, s.start + s.len));
                        let mut idle = vec![];
                        if us.idle_detection.unwrap_or(true) {
                            let stretches = merge(
                                s.inactive
                                    .iter()
                                    .map(|&(off, len)| {
                                        (
                                            instant(&tz, local_minutes(d0, s.start + off)),
                                            instant(&tz, local_minutes(d0, s.start + off + len)),
                                        )
                                    })
                                    .collect(),
                            );
                            for (x, y) in stretches {
                                if y - x >= IDLE_AFTER {
                                    idle.push((x + IDLE_AFTER, y));
                                }
                            }
                        }
                        for part in minus(&merge(vec![(a, b)]), &merge(idle)) {
                            spans.push(clip(part));
                        }
                    }
                }
                GPattern::Weekly(days, from, to) => {
                    for d in period_dates() {
                        let wd = d.weekday().to_monday_zero_offset() as u8;
                        if days & (1 << wd) != 0 && keep(us, d) {
                            spans.push(day_session(d, *from, *to));
                        }
                    }
                }
                GPattern::Monthly(n, from, to) => {
                    let mut by_month: BTreeMap<(i16, i8), Vec<Date>> = BTreeMap::new();
                    for d in period_dates() {
                        if d.weekday().to_monday_zero_offset() < 5 && keep(us, d) {
                            by_month.entry((d.year(), d.month())).or_default().push(d);
                        }
                    }
                    for w in by_month.values() {
                        let (n, len) = (*n as usize, w.len());
                        let chosen: Vec<Date> = if n >= len {
                            w.clone()
                        } else {
                            (0..n).map(|i| w[(2 * i + 1) * len / (2 * n)]).collect()
                        };
                        for d in chosen {
                            spans.push(day_session(d, *from, *to));
                        }
                    }
                }
                GPattern::Dates(list, from, to) => {
                    for &n in list {
                        let d = day(d0, n);
                        if d >= d0 && d < d_end && keep(us, d) {
                            spans.push(day_session(d, *from, *to));
                        }
                    }
                }
            }
            let mut targets = vec![PRODUCTS[us.product].0];
            if let Some(p) = us.plugin {
                if p != us.product {
                    targets.push(PRODUCTS[p].0);
                }
            }
            for p in targets {
                by_product
                    .entry(p)
                    .or_default()
                    .extend(spans.iter().copied());
            }
        }
        for (p, spans) in by_product {
            let covered: Vec<(i64, i64)> = u
                .subs
                .iter()
                .filter(|&&(o, _, _)| OFFERINGS[o].1.contains(&p))
                .map(|&(_, first, days)| {
                    (
                        midnight(&tz, day(d0, first)),
                        midnight(&tz, day(d0, first + days + 1)),
                    )
                })
                .collect();
            let use_ = minus(&merge(spans), &merge(covered));
            let rate = PRODUCTS.iter().find(|x| x.0 == p).unwrap().1;
            ex.use_intervals
                .insert((format!("user{ui}"), p.to_string()), use_.clone());
            ex.by_product.entry(p.to_string()).or_insert(0);
            meters.push((ui, p, rate, use_));
        }
    }

    // Packs (L1): usable from purchase-date midnight to the anniversary midnight.
    let mut packs: Vec<Pack> = g
        .packs
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, &(d, tokens))| {
            let bought = day(d0, d);
            let expires_date = if bought.month() == 2 && bought.day() == 29 {
                Date::new(bought.year() + 1, 2, 28).unwrap()
            } else {
                Date::new(bought.year() + 1, bought.month(), bought.day()).unwrap()
            };
            Pack {
                id: format!("P{i}"),
                from: midnight(&team, bought),
                expires: midnight(&team, expires_date),
                expires_date,
                deadline: midnight(&team, day(bought, 30)),
                tokens,
                used: 0,
                first_draw: None,
            }
        })
        .collect();
    let limited = g.packs.is_some();
    let low = u64::from(g.low.unwrap_or(20));

    // Daily meters (M4) and result events (M7), in the order of L6.
    struct M {
        user: usize,
        product: String,
        rate: u64,
        iv: Vec<(i64, i64)>,
        i: usize,
        wend: Option<i64>,
    }
    impl M {
        fn due(&mut self) -> Option<i64> {
            while self.i < self.iv.len() {
                let (a, b) = self.iv[self.i];
                let t = match self.wend {
                    Some(w) if a < w => w,
                    _ => a,
                };
                if b - t > GRACE {
                    return Some(t);
                }
                self.i += 1;
            }
            None
        }
    }
    let mut ms: Vec<M> = meters
        .into_iter()
        .map(|(user, p, rate, iv)| M {
            user,
            product: p.to_string(),
            rate,
            iv,
            i: 0,
            wend: None,
        })
        .collect();
    // Results inside the period, keyed (t, user, listing index).
    let mut results: Vec<(i64, usize, usize, &str, u64)> = vec![];
    for (ui, u) in g.users.iter().enumerate() {
        let tz =
            u.tz.map_or(team.clone(), |z| TimeZone::get(ZONES[z]).unwrap());
        for (k, &(s, m, q)) in u.results.iter().enumerate() {
            let t = instant(&tz, local_minutes(d0, m));
            ex.by_product.entry(SERVICES[s].0.to_string()).or_insert(0);
            if t >= p0 && t < p1 {
                results.push((t, ui, k, SERVICES[s].0, SERVICES[s].1 * q));
            }
        }
    }
    results.sort();
    let mut next_result = 0;
    let user_tz = |ui: usize| {
        g.users[ui]
            .tz
            .map_or(team.clone(), |z| TimeZone::get(ZONES[z]).unwrap())
    };

    loop {
        // The earliest due daily charge: (t, user, product id).
        let mut best: Option<(i64, usize, String, usize)> = None;
        for (k, m) in ms.iter_mut().enumerate() {
            if let Some(t) = m.due() {
                let key = (t, m.user, m.product.clone(), k);
                if best
                    .as_ref()
                    .is_none_or(|b| (key.0, key.1, &key.2) < (b.0, b.1, &b.2))
                {
                    best = Some(key);
                }
            }
        }
        let result = results.get(next_result).copied();
        // Daily charges come before results at the same instant (L6).
        let (t, ui, item, tokens, daily) = match (&best, result) {
            (Some(b), Some(r)) if r.0 < b.0 => (r.0, r.1, r.3.to_string(), r.4, None),
            (Some(b), _) => (b.0, b.1, b.2.clone(), ms[b.3].rate, Some(b.3)),
            (None, Some(r)) => (r.0, r.1, r.3.to_string(), r.4, None),
            (None, None) => break,
        };
        if daily.is_none() {
            next_result += 1;
        }
        // M6 + L1 + L2: usable packs at t (expiries before purchases before charges, L6).
        let ok = if !limited {
            true
        } else {
            let usable: Vec<usize> = (0..packs.len())
                .filter(|&i| packs[i].from <= t && t < packs[i].expires)
                .collect();
            let base: u64 = usable.iter().map(|&i| packs[i].tokens).sum();
            let before: u64 = usable
                .iter()
                .map(|&i| packs[i].tokens - packs[i].used)
                .sum();
            if before < tokens {
                false
            } else {
                let mut order = usable.clone();
                order.sort_by_key(|&i| (packs[i].expires, packs[i].tokens, i));
                let mut left = tokens;
                for i in order {
                    let take = (packs[i].tokens - packs[i].used).min(left);
                    if take > 0 {
                        packs[i].used += take;
                        packs[i].first_draw.get_or_insert(t);
                        left -= take;
                    }
                }
                let after = before - tokens;
                if before * 100 >= low * base && after * 100 < low * base {
                    ex.alerts.push((rfc3339(&team, t), after));
                }
                true
            }
        };
        let ev = Event {
            user: format!("user{ui}"),
            item: item.clone(),
            at: rfc3339(&user_tz(ui), t),
            tokens,
        };
        if let Some(k) = daily {
            let m = &mut ms[k];
            if ok {
                m.wend = Some(t + WINDOW);
            } else {
                m.i += 1; // locked out for the rest of this use interval
            }
        }
        if ok {
            ex.total += tokens;
            *ex.by_user.entry(ev.user.clone()).or_insert(0) += tokens;
            *ex.by_product.entry(item).or_insert(0) += tokens;
            let month = Timestamp::from_second(t)
                .unwrap()
                .to_zoned(team.clone())
                .strftime("%Y-%m")
                .to_string();
            *ex.by_month.entry(month).or_insert(0) += tokens;
            ex.charges.push(ev);
        } else {
            ex.denials.push(ev);
        }
    }

    // L3: expiries inside the period lose what is left.
    let mut exp: Vec<(i64, usize)> = (0..packs.len())
        .filter(|&i| packs[i].expires < p1)
        .map(|i| (packs[i].expires, i))
        .collect();
    exp.sort();
    for (t, i) in exp {
        let lost = packs[i].tokens - packs[i].used;
        if lost > 0 {
            ex.expirations
                .push((packs[i].id.clone(), rfc3339(&team, t), lost));
        }
    }
    for p in &packs {
        let expired = if p.expires < p1 { p.tokens - p.used } else { 0 };
        ex.packs.push((
            p.id.clone(),
            p.used,
            expired,
            p.tokens - p.used - expired,
            fmt_date(p.expires_date),
            p.first_draw.is_none_or(|t| t >= p.deadline),
        ));
    }
    ex
}

// =======================================================================================
// Reading the engine's report

fn events(v: &Value) -> Vec<Event> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| Event {
            user: c["user"].as_str().unwrap().into(),
            item: c
                .get("product")
                .or_else(|| c.get("service"))
                .unwrap()
                .as_str()
                .unwrap()
                .into(),
            at: c["at"].as_str().unwrap().into(),
            tokens: c["tokens"].as_u64().unwrap(),
        })
        .collect()
}

fn nonzero(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, x)| (k.clone(), x.as_u64().unwrap()))
        .filter(|&(_, x)| x > 0)
        .collect()
}

fn engine(s: &Value) -> Value {
    let text = s.to_string();
    match flexcalc::simulate_json(&text) {
        Ok(r) => serde_json::from_str(&r.to_json()).unwrap(),
        Err(e) => panic!("engine refused a valid generated scenario: {e}\n{text}"),
    }
}

fn at_seconds(s: &str) -> i64 {
    s.parse::<Timestamp>().unwrap().as_second()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES=N runs a longer hunt.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        max_shrink_iters: 2000,
        // Integration tests have no lib.rs beside them: name the regressions file directly.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// =======================================================================================
// Properties

proptest! {
    #![proptest_config(config(300))]

    /// M1–M8, L1–L6, §6: the engine agrees with the plain reading of SPEC on every field.
    #[test]
    fn prop_engine_matches_the_oracle_reading_of_spec(g in scenario_strategy()) {
        let s = to_json(&g);
        let r = engine(&s);
        let ex = oracle(&g);
        let ctx = || serde_json::to_string(&s).unwrap();
        prop_assert_eq!(events(&r["charges"]), ex.charges.clone(), "charges; scenario {}", ctx());
        prop_assert_eq!(events(&r["denials"]), ex.denials.clone(), "denials; scenario {}", ctx());
        let exps: Vec<(String, String, u64)> = r["expirations"].as_array().unwrap().iter()
            .map(|e| (e["pack"].as_str().unwrap().into(), e["at"].as_str().unwrap().into(), e["tokens"].as_u64().unwrap()))
            .collect();
        prop_assert_eq!(exps, ex.expirations.clone(), "expirations; scenario {}", ctx());
        let alerts: Vec<(String, u64)> = r["alerts"].as_array().unwrap().iter()
            .map(|a| (a["at"].as_str().unwrap().into(), a["balance"].as_u64().unwrap()))
            .collect();
        prop_assert_eq!(alerts, ex.alerts.clone(), "alerts; scenario {}", ctx());
        let packs: Vec<(String, u64, u64, u64, String, bool)> = r["packs"].as_array().unwrap().iter()
            .map(|p| (
                p["id"].as_str().unwrap().into(),
                p["used"].as_u64().unwrap(),
                p["expired"].as_u64().unwrap(),
                p["remaining"].as_u64().unwrap(),
                p["expires"].as_str().unwrap().into(),
                p["returnable"].as_bool().unwrap(),
            ))
            .collect();
        prop_assert_eq!(packs, ex.packs.clone(), "packs; scenario {}", ctx());
        prop_assert_eq!(r["totals"]["tokens"].as_u64().unwrap(), ex.total);
        prop_assert_eq!(nonzero(&r["totals"]["by_user"]), ex.by_user.clone(), "by_user; scenario {}", ctx());
        let ex_products: BTreeMap<String, u64> = ex.by_product.iter().filter(|x| *x.1 > 0).map(|(k, v)| (k.clone(), *v)).collect();
        prop_assert_eq!(nonzero(&r["totals"]["by_product"]), ex_products, "by_product; scenario {}", ctx());
        prop_assert_eq!(nonzero(&r["totals"]["by_month"]), ex.by_month.clone(), "by_month; scenario {}", ctx());
        prop_assert_eq!(r.get("order").is_some(), g.packs.as_ref().is_none_or(|p| p.is_empty()));
    }

    /// L1–L3: used + expired + remaining = purchased, for every pack.
    #[test]
    fn prop_every_pack_used_plus_expired_plus_remaining_is_purchased(g in scenario_strategy()) {
        let s = to_json(&g);
        let r = engine(&s);
        for (i, p) in r["packs"].as_array().unwrap().iter().enumerate() {
            let bought = s["packs"][i]["tokens"].as_u64().unwrap();
            let sum = p["used"].as_u64().unwrap() + p["expired"].as_u64().unwrap() + p["remaining"].as_u64().unwrap();
            prop_assert_eq!(sum, bought, "pack {}", p["id"]);
        }
        let used: u64 = r["packs"].as_array().unwrap().iter().map(|p| p["used"].as_u64().unwrap()).sum();
        if g.packs.is_some() {
            prop_assert_eq!(used, r["totals"]["tokens"].as_u64().unwrap(), "every charged token came from a pack");
        }
    }

    /// M1/M4: two daily charges of one user and product are at least 24 h apart, and each
    /// lies inside a use interval with more than GRACE of use after it.
    #[test]
    fn prop_daily_charges_are_24h_apart_and_inside_use(g in scenario_strategy()) {
        let s = to_json(&g);
        let r = engine(&s);
        let ex = oracle(&g);
        let mut last: BTreeMap<(String, String), i64> = BTreeMap::new();
        for c in r["charges"].as_array().unwrap().iter().filter(|c| c["kind"] == "daily") {
            let key = (c["user"].as_str().unwrap().to_string(), c["product"].as_str().unwrap().to_string());
            let t = at_seconds(c["at"].as_str().unwrap());
            if let Some(prev) = last.insert(key.clone(), t) {
                prop_assert!(t - prev >= WINDOW, "{:?} charged {} s after the previous one", key, t - prev);
            }
            let iv = ex.use_intervals.get(&key).cloned().unwrap_or_default();
            prop_assert!(iv.iter().any(|&(a, b)| a <= t && b - t > GRACE), "{:?} at {} is not inside use {:?}", key, t, iv);
        }
    }

    /// §6: one format for save/load and share links: a scenario written back reads back
    /// equal and simulates to the same bytes.
    #[test]
    fn prop_a_scenario_reads_back_identically_after_writing(g in scenario_strategy()) {
        let text = to_json(&g).to_string();
        let s = flexcalc::Scenario::from_json(&text).unwrap();
        let again = flexcalc::Scenario::from_json(&s.to_json()).unwrap();
        prop_assert_eq!(&s, &again);
        prop_assert_eq!(flexcalc::simulate(&s).unwrap().to_json(), flexcalc::simulate(&again).unwrap().to_json());
    }

    /// Totals are the sums of the charges.
    #[test]
    fn prop_totals_are_the_sum_of_the_charges(g in scenario_strategy()) {
        let r = engine(&to_json(&g));
        let sum: u64 = r["charges"].as_array().unwrap().iter().map(|c| c["tokens"].as_u64().unwrap()).sum();
        let total = r["totals"]["tokens"].as_u64().unwrap();
        prop_assert_eq!(sum, total);
        for key in ["by_user", "by_product", "by_month"] {
            let part: u64 = r["totals"][key].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
            prop_assert_eq!(part, total, "{}", key);
        }
        if g.packs.is_none() {
            prop_assert!(r["order"]["tokens"].as_u64().unwrap() >= total);
            prop_assert_eq!(r["order"]["tokens_needed"].as_u64().unwrap(), total);
        }
    }

    /// Users listed in another order give the same charges, denials and packs, unless
    /// two users have events at one instant (L6 ties).
    #[test]
    fn prop_results_do_not_depend_on_user_listing_order_except_ties(g in scenario_strategy(), seed in any::<u64>()) {
        let s = to_json(&g);
        let mut t = s.clone();
        let users = t["users"].as_array_mut().unwrap();
        let n = users.len();
        if n > 1 {
            users.rotate_left((seed as usize) % n);
            if seed & 1 == 1 { users.reverse(); }
        }
        let (a, b) = (engine(&s), engine(&t));
        let mut ea = events(&a["charges"]);
        ea.extend(events(&a["denials"]));
        let mut instants: BTreeMap<i64, std::collections::BTreeSet<String>> = BTreeMap::new();
        for e in &ea {
            instants.entry(at_seconds(&e.at)).or_default().insert(e.user.clone());
        }
        let tie = instants.values().any(|u| u.len() > 1);
        let sorted = |v: &Value| { let mut e = events(v); e.sort(); e };
        if !tie || g.packs.is_none() {
            prop_assert_eq!(sorted(&a["charges"]), sorted(&b["charges"]));
            prop_assert_eq!(sorted(&a["denials"]), sorted(&b["denials"]));
            prop_assert_eq!(&a["packs"], &b["packs"]);
            prop_assert_eq!(&a["expirations"], &b["expirations"]);
            prop_assert_eq!(&a["totals"]["by_product"], &b["totals"]["by_product"]);
            prop_assert_eq!(&a["totals"]["by_month"], &b["totals"]["by_month"]);
            prop_assert_eq!(nonzero(&a["totals"]["by_user"]), nonzero(&b["totals"]["by_user"]));
        }
        prop_assert_eq!(a["totals"]["tokens"].as_u64().is_some(), true);
    }
}

// ---------------------------------------------------------------------------------------
// Cutting a session inside an open window changes nothing

/// A random scenario whose first user also has a long plain session (no idle, no plug-in).
fn cut_scenario_strategy() -> impl Strategy<Value = GScenario> {
    (
        scenario_strategy(),
        0..PRODUCTS.len(),
        -180i64..(62 * 1440),
        300i64..4000,
    )
        .prop_map(|(mut g, product, start, len)| {
            g.users[0].usages.push(GUsage {
                product,
                pattern: GPattern::Sessions(vec![GSession {
                    start,
                    len,
                    inactive: vec![],
                }]),
                idle_detection: None,
                plugin: None,
                months: None,
                except: vec![],
            });
            g
        })
}

proptest! {
    #![proptest_config(config(200))]

    /// A user who closes the product inside a 24-hour window and reopens it inside the same
    /// window pays nothing more: cutting a gap out of a session inside an open window of its
    /// product leaves the whole report unchanged.
    #[test]
    fn prop_cutting_a_session_inside_an_open_window_changes_nothing(
        g in cut_scenario_strategy(), pick in any::<u64>(), cut in 0.0f64..1.0, gap in 1i64..120,
    ) {
        let s = to_json(&g);
        let r = engine(&s);
        let d0 = start_date(&g);
        // Candidate sessions: explicit, no inactive stretch, no plug-in, in a user of the team's zone.
        let mut candidates = vec![];
        for (ui, u) in g.users.iter().enumerate() {
            let tz = u.tz.map_or(TimeZone::get(ZONES[g.tz]).unwrap(), |z| TimeZone::get(ZONES[z]).unwrap());
            for (k, us) in u.usages.iter().enumerate() {
                let GPattern::Sessions(list) = &us.pattern else { continue };
                if us.plugin.is_some_and(|p| p != us.product) || us.months.is_some() || !us.except.is_empty() { continue }
                for (j, sess) in list.iter().enumerate() {
                    if sess.inactive.is_empty() && sess.len > gap + 2 {
                        candidates.push((ui, k, j, sess.clone(), tz.clone(), PRODUCTS[us.product].0));
                    }
                }
            }
        }
        prop_assert!(!candidates.is_empty());
        let (ui, k, j, sess, tz, product) = candidates[(pick as usize) % candidates.len()].clone();
        // The cut [c, c + gap) in local minutes inside the session.
        let c = sess.start + 1 + ((sess.len - gap - 2) as f64 * cut) as i64;
        let (c_at, c2_at) = (instant(&tz, local_minutes(d0, c)), instant(&tz, local_minutes(d0, c + gap)));
        // Inside an open window of this user and product: some charge t with t < c and c + gap < t + 24 h.
        let user_id = format!("user{ui}");
        let open = r["charges"].as_array().unwrap().iter().any(|ch| {
            ch["user"] == user_id.as_str() && ch["product"] == product && {
                let t = at_seconds(ch["at"].as_str().unwrap());
                // More than GRACE of use stays between the charge and the cut, so the charge
                // itself still happens; the whole gap lies inside its window.
                t + GRACE < c_at && c2_at < t + WINDOW
            }
        });
        if !open {
            return Ok(()); // no window open around this cut: nothing to check here
        }
        let mut t = s.clone();
        let list = t["users"][ui]["usage"][k]["sessions"].as_array_mut().unwrap();
        let end = list[j]["end"].clone();
        list[j]["end"] = json!(fmt_dt(local_minutes(d0, c)));
        list.push(json!({ "start": fmt_dt(local_minutes(d0, c + gap)), "end": end }));
        let cut_report = engine(&t);
        prop_assert_eq!(&cut_report, &r, "cut {}..{} (+{} min) changed the report", c, c + gap, gap);
    }
}

// ---------------------------------------------------------------------------------------
// Bad input never panics and is refused with a located message

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        interesting_string().prop_map(Value::String),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "flexcalc",
            "currency",
            "timezone",
            "period",
            "start",
            "months",
            "packs",
            "id",
            "purchased",
            "tokens",
            "users",
            "usage",
            "product",
            "sessions",
            "end",
            "inactive",
            "weekly",
            "monthly",
            "dates",
            "days",
            "from",
            "to",
            "results",
            "service",
            "at",
            "quantity",
            "price_book",
            "tiers",
            "price",
            "minor_units",
            "catalog",
            "products",
            "tokens_per_day",
            "offerings",
            "covers",
            "annual",
            "subscriptions",
            "offering",
            "plugins",
            "except",
            "idle_detection",
            "low_balance_percent",
        ])
        .prop_map(String::from),
        "[a-z_]{1,8}",
    ]
}

fn interesting_string() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        " ",
        "EUR",
        "JPY",
        "GBP",
        "UTC",
        "Europe/Paris",
        "America/New_York",
        "Etc/GMT+14",
        "2027-01-01",
        "0000-01-01",
        "9999-12-31",
        "2028-02-29",
        "2027-02-29",
        "2027-03-28T02:30",
        "2027-10-31T02:30",
        "9999-12-31T23:59",
        "0001-01-01T00:00",
        "-0001-01-01",
        "25:00",
        "23:59",
        "00:00",
        "24:00",
        "autocad",
        "myplugin",
        "cfd-simple",
        "999999999999999999999999",
        "0.0000000000000000000000001",
        "1e30",
        "-1.00",
        "79228162514264337593543950335",
        "0",
        "mon",
        "sun",
        "\u{0}",
        "é",
        "🙂",
    ])
    .prop_map(String::from)
}

/// A valid scenario that touches every part of the format, to mutate.
fn rich_scenario() -> Value {
    json!({
        "flexcalc": 1, "name": "rich", "currency": "XTS", "timezone": "Europe/Paris",
        "period": { "start": "2027-03-01", "months": 2 },
        "packs": [ { "id": "A", "purchased": "2027-03-01", "tokens": 500 }, { "id": "B", "purchased": "2026-04-01", "tokens": 30 } ],
        "low_balance_percent": 20,
        "price_book": { "currency": "XTS", "minor_units": 2, "tiers": [ { "from": 1, "price": "3.00" }, { "from": 1000, "price": "2.50" } ], "packs": [100, 500] },
        "offerings": [ { "id": "acad", "covers": ["autocad"], "annual": "2000.00", "monthly": "250.00" } ],
        "catalog": { "products": [ { "id": "myplugin", "tokens_per_day": 2 } ], "services": [ { "id": "render", "tokens": 3 } ] },
        "users": [
            { "id": "a", "timezone": "America/New_York",
              "subscriptions": [ { "offering": "acad", "from": "2027-03-10", "to": "2027-03-20" } ],
              "usage": [
                { "product": "autocad", "sessions": [ { "start": "2027-03-01T08:00", "end": "2027-03-02T09:00", "inactive": [ ["2027-03-01T12:00", "2027-03-01T13:00"] ] } ], "plugins": ["myplugin"] },
                { "product": "revit", "weekly": { "days": ["mon", "fri"], "from": "22:00", "to": "02:00" }, "except": ["2027-03-05"] },
                { "product": "maya", "monthly": { "days": 3, "from": "09:00", "to": "17:00" }, "months": [4] },
                { "product": "netfabb", "dates": { "dates": ["2027-03-28"], "from": "02:30", "to": "02:30" }, "idle_detection": false }
              ],
              "results": [ { "service": "render", "at": "2027-03-03T10:00", "quantity": 2 }, { "service": "cfd-simple", "at": "2027-04-30T23:59", "quantity": 1 } ] },
            { "id": "b", "usage": [ { "product": "autocad", "sessions": [ { "start": "2027-03-01T08:00", "end": "2027-03-01T08:06" } ] } ] }
        ]
    })
}

/// Every JSON pointer into `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{k}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

/// Runs the engine on text; it must not panic, and a refusal must say something.
fn never_panics(text: &str) -> Result<(), TestCaseError> {
    let t = text.to_string();
    let outcome =
        std::panic::catch_unwind(move || flexcalc::simulate_json(&t).map(|r| r.to_json()));
    match outcome {
        Err(_) => Err(TestCaseError::fail(format!(
            "the engine panicked on:\n{text}"
        ))),
        Ok(Err(e)) => {
            prop_assert!(!e.message.trim().is_empty(), "empty refusal for {}", text);
            Ok(())
        }
        Ok(Ok(json)) => {
            prop_assert!(serde_json::from_str::<Value>(&json).is_ok());
            Ok(())
        }
    }
}

#[test]
fn rich_scenario_is_valid() {
    let text = rich_scenario().to_string();
    if let Err(e) = flexcalc::simulate_json(&text) {
        panic!("{e}");
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn prop_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        never_panics(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn prop_arbitrary_json_never_panics(v in arb_json()) {
        never_panics(&v.to_string())?;
        // Also as a whole scenario body with the right version.
        if let Value::Object(mut m) = v {
            m.insert("flexcalc".into(), json!(1));
            never_panics(&Value::Object(m).to_string())?;
        }
    }

    /// One value anywhere in a valid scenario replaced by something arbitrary: the engine
    /// either simulates or refuses with a located message; it never panics.
    #[test]
    fn prop_a_mutated_scenario_never_panics_and_refusals_are_located(
        pick in any::<u64>(), replacement in arb_json(), remove_it in prop::bool::weighted(0.15),
    ) {
        let mut s = rich_scenario();
        let mut all = vec![];
        pointers(&s, String::new(), &mut all);
        let pointer = all[(pick as usize) % all.len()].clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match s.pointer_mut(parent).unwrap() {
            Value::Object(m) => { if remove_it { m.remove(key); } else { m.insert(key.to_string(), replacement); } }
            Value::Array(a) => { let i: usize = key.parse().unwrap(); if remove_it { a.remove(i); } else { a[i] = replacement; } }
            _ => unreachable!(),
        }
        let text = s.to_string();
        never_panics(&text)?;
        if let Err(e) = flexcalc::simulate_json(&text) {
            // Located: a JSON path, or (for a whole-document problem) words naming the field.
            prop_assert!(!e.path.is_empty() || e.message.contains('`') || e.message.contains('"'),
                "refusal without a location: {} (mutated {})", e, pointer);
        }
    }

    /// Large but valid numbers in the places where they multiply: never a panic.
    /// (Totals stay below about 10^6 tokens per result here: the engine lists an order's
    /// packs one by one, so 10^12 tokens in packs of 1,000 would take 10^9 list entries.)
    #[test]
    fn prop_extreme_valid_numbers_never_panic(
        tokens in 1u64..=1_000_000_000, qty in 1u64..=1_000, rate in 1u64..=1_000,
        price in prop_oneof!["[1-9][0-9]{0,5}", "[1-9][0-9]{18,23}"], minor in 0u32..=6, pack in 100u64..=1000,
    ) {
        let mut s = rich_scenario();
        s["packs"][0]["tokens"] = json!(tokens);
        s["users"][0]["results"][0]["quantity"] = json!(qty);
        s["catalog"]["services"][0]["tokens"] = json!(rate);
        s["price_book"]["tiers"] = json!([ { "from": 1, "price": price } ]);
        s["price_book"]["minor_units"] = json!(minor);
        s["price_book"]["packs"] = json!([pack]);
        never_panics(&s.to_string())?;
        let estimate = { let mut e = s.clone(); e.as_object_mut().unwrap().remove("packs"); e };
        never_panics(&estimate.to_string())?;
    }
}

// ---------------------------------------------------------------------------------------
// P1–P3 by brute force

use flexcalc::engine::catalog::{Catalog, PriceBook, Tier};
use flexcalc::engine::price::{cheapest_order, order_total, Packs};
use rust_decimal::{Decimal, RoundingStrategy};

/// P1 by hand: Q × the price of the last tier starting at or below Q, rounded half away
/// from zero to the minor unit.
fn total_by_hand(b: &PriceBook, q: u64) -> Decimal {
    if q == 0 {
        return Decimal::ZERO;
    }
    let price = b.tiers.iter().rfind(|t| t.from <= q).unwrap().price;
    (Decimal::from(q) * price)
        .round_dp_with_strategy(b.minor_units, RoundingStrategy::MidpointAwayFromZero)
}

/// Fewest packs for every quantity up to `max` (None: not orderable).
fn fewest(packs: &[u64], max: u64) -> Vec<Option<u32>> {
    let mut best = vec![None; max as usize + 1];
    best[0] = Some(0);
    for q in 1..=max as usize {
        for &p in packs {
            let p = p as usize;
            if p <= q {
                if let Some(c) = best[q - p] {
                    if best[q].is_none_or(|b| c + 1 < b) {
                        best[q] = Some(c + 1);
                    }
                }
            }
        }
    }
    best
}

/// P3 by brute force: every orderable Q from N up to the last tier's bound plus the largest
/// pack; the cheapest, ties to the smaller Q.
fn cheapest_by_hand(b: &PriceBook, n: u64, best: &[Option<u32>]) -> (u64, Decimal) {
    if n == 0 {
        return (0, Decimal::ZERO);
    }
    let top = n.max(b.tiers.last().unwrap().from) + b.packs.iter().max().unwrap();
    let mut found: Option<(u64, Decimal)> = None;
    for q in n..=top {
        if best[q as usize].is_some() {
            let t = total_by_hand(b, q);
            if found.as_ref().is_none_or(|f| t < f.1) {
                found = Some((q, t));
            }
        }
    }
    found.unwrap()
}

fn custom_book() -> impl Strategy<Value = PriceBook> {
    (
        prop::collection::btree_set(1u64..40, 1..4),
        1u64..30,
        prop::collection::vec((1u64..400, 0u32..300), 0..4),
        0u32..3,
        1u32..2000,
    )
        .prop_map(|(sizes, unit, steps, minor, first)| {
            let packs: Vec<u64> = sizes.into_iter().map(|s| s * unit).collect();
            let mut tiers = vec![Tier {
                from: 1,
                price: Decimal::new(i64::from(first), 2),
            }];
            for (gap, drop) in steps {
                let last = tiers.last().unwrap();
                let price = (last.price - Decimal::new(i64::from(drop), 3)).max(Decimal::ZERO);
                tiers.push(Tier {
                    from: last.from + gap,
                    price,
                });
            }
            PriceBook {
                currency: "XTS".into(),
                minor_units: minor,
                tiers,
                packs,
            }
        })
}

proptest! {
    #![proptest_config(config(300))]

    /// P1–P3 with the built-in books: the engine's cheapest order is the brute-force one.
    #[test]
    fn prop_cheapest_builtin_order_is_the_brute_force_minimum(cur in 0usize..3, n in prop_oneof![0u64..30_000, 0u64..300_000]) {
        let b = &Catalog::builtin().books[cur];
        // The built-in books share their packs: one table for all cases.
        static BEST: std::sync::OnceLock<Vec<Option<u32>>> = std::sync::OnceLock::new();
        let best = BEST.get_or_init(|| fewest(&Catalog::builtin().books[0].packs, 300_000 + 50_000));
        prop_assert!(Catalog::builtin().books.iter().all(|x| x.packs == b.packs));
        let o = cheapest_order(b, n);
        let (q, total) = cheapest_by_hand(b, n, best);
        prop_assert_eq!(o.tokens, q, "{} N = {}", b.currency, n);
        prop_assert_eq!(o.total, total);
        prop_assert_eq!(order_total(b, q), total);
        prop_assert_eq!(o.packs.iter().sum::<u64>(), q);
        prop_assert_eq!(Some(o.packs.len() as u32), best[q as usize]);
    }

    /// P2–P3 with a partner's book: orderable quantities, the cheapest order and a split into
    /// the fewest packs, largest first among those.
    #[test]
    fn prop_cheapest_partner_order_is_the_brute_force_minimum(b in custom_book(), n in 0u64..3_000) {
        let top = n.max(b.tiers.last().unwrap().from) + b.packs.iter().max().unwrap();
        let best = fewest(&b.packs, top + 1);
        let o = cheapest_order(&b, n);
        let (q, total) = cheapest_by_hand(&b, n, &best);
        prop_assert_eq!((o.tokens, o.total), (q, total), "book {:?} N = {}", b, n);
        let p = Packs::new(&b);
        for x in 1..=top {
            prop_assert_eq!(p.orderable(x), best[x as usize].is_some(), "orderable({})", x);
        }
        if q > 0 {
            let split = p.split(q);
            prop_assert_eq!(split.iter().sum::<u64>(), q);
            prop_assert_eq!(Some(split.len() as u32), best[q as usize], "fewest packs for {}", q);
            prop_assert!(split.windows(2).all(|w| w[0] >= w[1]), "sorted largest first");
            // Largest first on ties: at each step no larger pack could start a fewest split.
            let mut left = q;
            for &s in &split {
                for &bigger in b.packs.iter().filter(|&&x| x > s && x <= left) {
                    prop_assert!(best[(left - bigger) as usize].is_none_or(|c| c + 1 > best[left as usize].unwrap()),
                        "{} could start a fewest split of {} before {}", bigger, left, s);
                }
                left -= s;
            }
        }
    }
}
