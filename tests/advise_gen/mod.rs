//! Random teams for the advisor's tests and benchmark, from a seed (SplitMix64, written out
//! here so the stream never changes with a crate version).
//!
//! Small teams (`small`) mix every pattern, overnight and multi-day sessions across month
//! ends, users in another zone than the team's (so subscriptions leave slivers uncovered),
//! per-result services, plug-ins, collections, monthly prices, the scenario's own
//! subscriptions on any dates, and often a price book with low tier thresholds so that a
//! handful of users crosses tiers. `large` builds a realistic year for n users.
#![allow(dead_code)]

use serde_json::{json, Value};

#[path = "../../benches/gen/rng.rs"]
mod rng;
pub use rng::Rng;

const SMALL_PRODUCTS: [&str; 5] = ["autocad", "revit", "navisworks", "3dsmax", "recap-pro"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn hhmm(m: u64) -> String {
    format!("{:02}:{:02}", (m / 60) % 24, m % 60)
}

fn date(start: jiff::civil::Date, day: i64) -> jiff::civil::Date {
    start
        .checked_add(jiff::Span::new().days(day))
        .unwrap_or(start)
}

fn ds(d: jiff::civil::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn dt(start: jiff::civil::Date, minutes: i64) -> String {
    let d = date(start, minutes.div_euclid(1440));
    format!("{}T{}", ds(d), hhmm(minutes.rem_euclid(1440) as u64))
}

/// A usage entry for `product` somewhere in a period of `days` days from `start`.
fn usage(rng: &mut Rng, product: &str, start: jiff::civil::Date, days: i64) -> Value {
    let mut u = match rng.below(5) {
        0 => {
            let ds_: Vec<&str> = DAYS.iter().copied().filter(|_| rng.chance(45)).collect();
            let days_list = if ds_.is_empty() { vec!["tue"] } else { ds_ };
            let (from, to) = if rng.chance(20) {
                (rng.range(72, 92) * 15, rng.range(0, 40) * 15)
            } else {
                (rng.range(28, 40) * 15, rng.range(56, 76) * 15)
            };
            json!({ "product": product, "weekly": { "days": days_list, "from": hhmm(from), "to": hhmm(to) } })
        }
        1 => {
            let from = rng.range(30, 44) * 15;
            json!({ "product": product,
                    "monthly": { "days": rng.range(1, 22), "from": hhmm(from), "to": hhmm(from + rng.range(2, 40) * 15) } })
        }
        2 => {
            let n = rng.range(1, 12);
            let list: Vec<String> = (0..n)
                .map(|_| ds(date(start, rng.below(days as u64) as i64)))
                .collect();
            json!({ "product": product, "dates": { "dates": list, "from": "09:00", "to": hhmm(rng.range(40, 90) * 15) } })
        }
        _ => {
            // Sessions: some long (round the clock for days), some across a month's end.
            let n = rng.range(1, 10);
            let mut list = Vec::new();
            for _ in 0..n {
                let a = rng.below((days * 1440) as u64) as i64 - 600;
                let len = if rng.chance(25) {
                    rng.range(600, 4 * 1440)
                } else {
                    rng.range(2, 60) * 10
                } as i64;
                let mut s = json!({ "start": dt(start, a), "end": dt(start, a + len) });
                if rng.chance(30) && len > 120 {
                    let x = a + rng.below((len - 60) as u64) as i64;
                    let y = (x + rng.range(5, 40) as i64).min(a + len);
                    s["inactive"] = json!([[dt(start, x), dt(start, y)]]);
                }
                list.push(s);
            }
            json!({ "product": product, "sessions": list })
        }
    };
    if rng.chance(10) {
        u["idle_detection"] = json!(false);
    }
    u
}

fn price(rng: &mut Rng, lo: u64, hi: u64, decimals: u32) -> String {
    let v = rng.range(lo, hi);
    if decimals == 0 {
        format!("{v}")
    } else {
        format!("{v}.{:02}", rng.below(100))
    }
}

/// A small team: at most `max_user_products` (user, product) pairs, 1–3 months.
pub fn small(rng: &mut Rng, max_user_products: usize) -> Value {
    team(rng, max_user_products, 3, 5)
}

/// A team of at most `max_users` users and `max_user_products` (user, product) pairs over
/// 1 to `max_months` months.
pub fn team(rng: &mut Rng, max_user_products: usize, max_months: u64, max_users: usize) -> Value {
    let months = rng.range(1, max_months);
    let start = jiff::civil::date(
        2027,
        rng.range(1, 12) as i8,
        *rng.pick(&[1i8, 1, 15, 31]).min(&28),
    );
    let days = (months * 30) as i64;
    let (currency, decimals) = *rng.pick(&[("EUR", 2u32), ("JPY", 0), ("GBP", 2)]);
    let mut s = json!({
        "flexcalc": 1,
        "currency": currency,
        "timezone": "Europe/Paris",
        "period": { "start": ds(start), "months": months },
        "users": []
    });
    let custom_book = rng.chance(70);
    let scale = if custom_book { 1 } else { 30 };
    if custom_book {
        // Tiers a small team can cross, in the scenario's currency.
        let t1 = rng.range(2, 8) * 25;
        let t2 = t1 + rng.range(1, 8) * 25;
        let t3 = t2 + rng.range(2, 10) * 25;
        let p0 = rng.range(300, 400);
        let p1 = p0 - rng.range(0, 60);
        let p2 = p1 - rng.range(0, 60);
        let p3 = p2 - rng.range(0, 60);
        let fmt = |p: u64| {
            if decimals == 0 {
                format!("{p}")
            } else {
                format!("{}.{:02}", p / 100, p % 100)
            }
        };
        s["price_book"] = json!({
            "currency": currency, "minor_units": decimals,
            "tiers": [ { "from": 1, "price": fmt(p0) }, { "from": t1, "price": fmt(p1) },
                       { "from": t2, "price": fmt(p2) }, { "from": t3, "price": fmt(p3) } ],
            "packs": *rng.pick(&[vec![25u64, 50], vec![10, 50, 100], vec![30, 70]])
        });
    }
    // Offerings: singles and collections, some with a monthly price.
    let n_off = rng.range(0, 3);
    let mut offerings = Vec::new();
    for i in 0..n_off {
        let mut covers: Vec<&str> = SMALL_PRODUCTS
            .iter()
            .copied()
            .filter(|_| rng.chance(30))
            .collect();
        if covers.is_empty() {
            covers.push(*rng.pick(&SMALL_PRODUCTS));
        }
        let annual_hi = 40 * scale * covers.len() as u64 * months.div_ceil(3);
        let mut o = json!({ "id": format!("o{i}"), "covers": covers, "annual": price(rng, annual_hi / 8 + 1, annual_hi, decimals) });
        if rng.chance(60) {
            o["monthly"] = json!(price(rng, annual_hi / 60 + 1, annual_hi / 5 + 1, decimals));
        }
        offerings.push(o);
    }
    s["offerings"] = json!(offerings);
    let mut users = Vec::new();
    let mut left = max_user_products;
    let mut ui = 0;
    while left > 0 && users.len() < max_users {
        let n = rng.range(1, left.min(3) as u64) as usize;
        left -= n;
        let mut products: Vec<&str> = Vec::new();
        while products.len() < n {
            let p = *rng.pick(&SMALL_PRODUCTS);
            if !products.contains(&p) {
                products.push(p);
            }
        }
        let mut u = json!({ "id": format!("u{ui}") });
        if rng.chance(20) {
            u["timezone"] = json!(*rng.pick(&["Asia/Tokyo", "America/New_York", "Europe/London"]));
        }
        let mut usage_list: Vec<Value> = products
            .iter()
            .map(|p| usage(rng, p, start, days))
            .collect();
        if rng.chance(10) {
            // A plug-in burns its own daily rate alongside its host (M5).
            s["catalog"] = json!({ "products": [ { "id": "plug", "tokens_per_day": 2 } ] });
            usage_list[0]["plugins"] = json!(["plug"]);
        }
        u["usage"] = json!(usage_list);
        if rng.chance(20) {
            u["results"] = json!([{ "service": "validation-tool", "at": dt(start, 600), "quantity": rng.range(1, 30) }]);
        }
        if !offerings.is_empty() && rng.chance(40) {
            let o = rng.below(offerings.len() as u64);
            let a = rng.below(days as u64) as i64 - 10;
            let b = a + rng.range(0, 80) as i64;
            u["subscriptions"] = json!([{ "offering": format!("o{o}"), "from": ds(date(start, a)), "to": ds(date(start, b)) }]);
        }
        users.push(u);
        ui += 1;
    }
    s["users"] = json!(users);
    s
}

const LARGE_PRODUCTS: [&str; 8] = [
    "autocad",
    "revit",
    "navisworks",
    "civil3d",
    "3dsmax",
    "inventor",
    "maya",
    "recap-pro",
];

/// A year for `n` users of an engineering firm: offerings for each main product (annual
/// and monthly), an AEC collection (annual and monthly), users on one to four products
/// with weekly, monthly and seasonal routines.
pub fn large(seed: u64, n: usize) -> Value {
    let mut rng = Rng::new(seed);
    let mut users = Vec::with_capacity(n);
    let start = jiff::civil::date(2027, 1, 1);
    for i in 0..n {
        let k = rng.range(1, 4) as usize;
        let mut products: Vec<&str> = Vec::new();
        while products.len() < k {
            let p = *rng.pick(&LARGE_PRODUCTS);
            if !products.contains(&p) {
                products.push(p);
            }
        }
        let mut usage_list = Vec::new();
        for (j, p) in products.iter().enumerate() {
            let mut u = if j == 0 && rng.chance(70) {
                let days: Vec<&str> = DAYS[..5]
                    .iter()
                    .copied()
                    .filter(|_| rng.chance(70))
                    .collect();
                let days = if days.is_empty() { vec!["wed"] } else { days };
                json!({ "product": p, "weekly": { "days": days, "from": hhmm(rng.range(30, 38) * 15), "to": hhmm(rng.range(64, 72) * 15) } })
            } else {
                let from = rng.range(32, 40) * 15;
                json!({ "product": p, "monthly": { "days": rng.range(1, 14), "from": hhmm(from), "to": hhmm(from + rng.range(8, 36) * 15) } })
            };
            if rng.chance(25) {
                let first = rng.range(1, 9);
                let months: Vec<u64> = (first..=first + rng.range(1, 3)).collect();
                u["months"] = json!(months);
            }
            usage_list.push(u);
        }
        let mut user = json!({ "id": format!("user{i:04}"), "usage": usage_list });
        if rng.chance(15) {
            user["subscriptions"] = json!([{ "offering": *rng.pick(&["autocad", "revit", "aec"]), "from": "2027-01-01", "to": "2027-12-31" }]);
        }
        users.push(user);
        let _ = start;
    }
    json!({
        "flexcalc": 1,
        "name": format!("advisor benchmark, {n} users"),
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 12 },
        "offerings": [
            { "id": "autocad", "covers": ["autocad"], "annual": "2100.00", "monthly": "265.00" },
            { "id": "revit", "covers": ["revit"], "annual": "3200.00", "monthly": "400.00" },
            { "id": "civil3d", "covers": ["civil3d"], "annual": "2900.00", "monthly": "365.00" },
            { "id": "3dsmax", "covers": ["3dsmax"], "annual": "2000.00", "monthly": "250.00" },
            { "id": "inventor", "covers": ["inventor"], "annual": "2700.00" },
            { "id": "maya", "covers": ["maya"], "annual": "2000.00", "monthly": "250.00" },
            { "id": "aec", "name": "AEC Collection", "covers": ["autocad", "revit", "navisworks", "civil3d", "recap-pro"], "annual": "3900.00", "monthly": "490.00" }
        ],
        "users": users
    })
}
