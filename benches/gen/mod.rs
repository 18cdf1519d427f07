//! A deterministic generator of large, realistic team scenarios for the `simulate`
//! benchmark (and for tests that want a big input without a big file in the repo).
//!
//! A seed and a user count give the same scenario byte for byte on every machine: the
//! random numbers come from SplitMix64 written out here, not from a crate whose stream
//! could change between versions.
//!
//! Each user mixes the four patterns the way real teams do: a weekly routine on a main
//! product (some overnight, some skipping the summer, holidays cut out with `except`), a
//! monthly spread on a second product, explicit sessions with inactive stretches (some long
//! enough to idle the product, M2), occasional `dates`, plug-ins, per-result services and,
//! for some, a subscription that covers part of what they use (M3). The team buys packs
//! that run out before the year ends, so the balance gate (M6), alerts (L4) and an expiry
//! (L3) are all exercised.

#![allow(dead_code)]

use flexcalc::engine::scenario::{
    stamp, CustomCatalog, CustomProduct, Dates, Monthly, Offering, Pack, Period, ResultEvent,
    Scenario, Session, Subscription, Usage, User, Weekly,
};
use jiff::civil::Date;
use jiff::ToSpan;
use std::sync::Arc;

mod rng;
pub use rng::Rng;

/// Products a generated user may work with (all in the built-in catalog).
const PRODUCTS: [&str; 16] = [
    "autocad",
    "revit",
    "navisworks",
    "3dsmax",
    "civil3d",
    "infraworks",
    "fusion",
    "inventor",
    "vault",
    "maya",
    "flame",
    "motionbuilder",
    "powermill",
    "netfabb",
    "recap-pro",
    "mudbox",
];
const SERVICES: [&str; 4] = [
    "cfd-simple",
    "generative-design",
    "validation-tool",
    "design-automation",
];
const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];
/// The team works in Paris; some users sit in other offices.
const ZONES: [&str; 3] = ["America/New_York", "Asia/Tokyo", "Europe/London"];
/// French public holidays of 2027, skipped by most weekly routines.
const HOLIDAYS: [&str; 8] = [
    "2027-01-01",
    "2027-03-29",
    "2027-05-01",
    "2027-05-06",
    "2027-07-14",
    "2027-08-15",
    "2027-11-11",
    "2027-12-25",
];

pub const YEAR_START: &str = "2027-01-01";

/// Tokens per user the team buys for the year. Generated users burn about 3,700 tokens each
/// in a year without packs (about 310 a month), so packs of this size run dry in the autumn.
pub const TOKENS_PER_USER: u64 = 3_000;

fn hhmm(minutes: u64) -> String {
    format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60)
}

fn dt(d: Date, minutes: u64) -> String {
    let d = if minutes >= 24 * 60 {
        d.checked_add(1.day()).unwrap_or(d)
    } else {
        d
    };
    format!(
        "{:04}-{:02}-{:02}T{}",
        d.year(),
        d.month(),
        d.day(),
        hhmm(minutes)
    )
}

fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn year_day(rng: &mut Rng) -> Date {
    let first = jiff::civil::date(2027, 1, 1);
    first
        .checked_add((rng.below(365) as i64).days())
        .unwrap_or(first)
}

fn weekly(rng: &mut Rng, product: &str) -> Usage {
    let mut days: Vec<String> = WEEKDAYS.iter().map(|d| d.to_string()).collect();
    // Three to five working days a week.
    for _ in 0..rng.below(3) {
        let i = rng.below(days.len() as u64) as usize;
        days.remove(i);
    }
    let (from, to) = if rng.chance(8) {
        // Overnight: a render or night shift that ends the next morning.
        (rng.range(80, 88) * 15, rng.range(4, 12) * 15)
    } else {
        (rng.range(28, 39) * 15, rng.range(60, 75) * 15)
    };
    let months = if rng.chance(25) {
        Some((1..=12).filter(|m| *m != 8).collect())
    } else {
        None
    };
    let except = if rng.chance(70) {
        Some(HOLIDAYS.iter().map(|d| d.to_string()).collect())
    } else {
        None
    };
    Usage {
        product: product.to_string(),
        weekly: Some(Weekly {
            days,
            from: hhmm(from),
            to: hhmm(to),
        }),
        months,
        except,
        ..Usage::default()
    }
}

fn monthly(rng: &mut Rng, product: &str) -> Usage {
    let from = rng.range(32, 44) * 15;
    Usage {
        product: product.to_string(),
        monthly: Some(Monthly {
            days: rng.range(2, 10) as u32,
            from: hhmm(from),
            to: hhmm(from + rng.range(2, 32) * 15),
        }),
        idle_detection: rng.chance(10).then_some(false),
        ..Usage::default()
    }
}

fn sessions(rng: &mut Rng, product: &str) -> Usage {
    let n = rng.range(10, 45);
    let mut list = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let d = year_day(rng);
        let start = rng.range(28, 60) * 15;
        let length = rng.range(1, 40) * 15;
        let end = start + length;
        let mut inactive = Vec::new();
        // Lunch breaks, meetings: some shorter than 15 minutes (still use), some longer.
        let mut t = start + 30;
        for _ in 0..rng.below(4) {
            let gap = rng.range(1, 8) * 10;
            if t + gap >= end {
                break;
            }
            inactive.push([stamp(dt(d, t)), stamp(dt(d, t + gap))]);
            t += gap + rng.range(3, 12) * 10;
        }
        list.push(Session {
            start: stamp(dt(d, start)),
            end: stamp(dt(d, end)),
            inactive: (!inactive.is_empty()).then_some(inactive),
        });
    }
    Usage {
        product: product.to_string(),
        sessions: Some(list),
        ..Usage::default()
    }
}

fn dates(rng: &mut Rng, product: &str) -> Usage {
    let mut list: Vec<Date> = (0..rng.range(3, 15)).map(|_| year_day(rng)).collect();
    list.sort();
    list.dedup();
    Usage {
        product: product.to_string(),
        dates: Some(Dates {
            dates: list.into_iter().map(date_str).collect(),
            from: "09:00".into(),
            to: "12:30".into(),
        }),
        plugins: rng.chance(30).then(|| vec!["lumen-plugin".to_string()]),
        ..Usage::default()
    }
}

fn user(rng: &mut Rng, i: usize) -> User {
    // Four distinct products: main (weekly), second (monthly), third (sessions), fourth (dates).
    let mut products: Vec<&str> = Vec::with_capacity(4);
    while products.len() < 4 {
        let p = *rng.pick(&PRODUCTS);
        if !products.contains(&p) {
            products.push(p);
        }
    }
    let mut usage = vec![
        weekly(rng, products[0]),
        monthly(rng, products[1]),
        sessions(rng, products[2]),
    ];
    if rng.chance(40) {
        usage.push(dates(rng, products[3]));
    }
    let mut subscriptions = Vec::new();
    if rng.chance(10) {
        subscriptions.push(Subscription {
            offering: "aec".into(),
            from: "2027-01-01".into(),
            to: "2027-12-31".into(),
        });
    } else if rng.chance(5) {
        subscriptions.push(Subscription {
            offering: "maya".into(),
            from: "2027-03-01".into(),
            to: "2027-08-31".into(),
        });
    }
    let results = if rng.chance(10) {
        (0..rng.range(1, 5))
            .map(|_| ResultEvent {
                service: rng.pick(&SERVICES).to_string(),
                at: dt(year_day(rng), rng.range(36, 64) * 15),
                quantity: rng.range(1, 4),
            })
            .collect()
    } else {
        Vec::new()
    };
    User {
        id: format!("u{i:05}"),
        name: None,
        timezone: rng.chance(15).then(|| rng.pick(&ZONES).to_string()),
        subscriptions,
        usage,
        results,
    }
}

/// The packs of a generated team: a balance carried in from last year that expires on
/// 11 January with tokens left (L3), then three purchases in the year; about
/// `TOKENS_PER_USER` tokens per user in all.
fn packs(users: usize) -> Vec<Pack> {
    let budget = (users as u64 * TOKENS_PER_USER).max(1_000);
    let part = |share: u64| (budget * share / 100).max(1);
    vec![
        Pack {
            id: "carried".into(),
            purchased: "2026-01-11".into(),
            tokens: part(5),
        },
        Pack {
            id: "q1".into(),
            purchased: "2027-01-01".into(),
            tokens: part(45),
        },
        Pack {
            id: "q2".into(),
            purchased: "2027-04-01".into(),
            tokens: part(25),
        },
        Pack {
            id: "q3".into(),
            purchased: "2027-07-01".into(),
            tokens: part(25),
        },
    ]
}

/// A team of `users` over the year 2027, with packs that run out (see the module doc).
pub fn scenario(users: usize, seed: u64) -> Scenario {
    let mut rng = Rng::new(seed);
    Scenario {
        flexcalc: 1,
        name: Some(format!("Generated team of {users} users (seed {seed})")),
        currency: "EUR".into(),
        timezone: "Europe/Paris".into(),
        period: Period {
            start: YEAR_START.into(),
            months: 12,
        },
        packs: Some(packs(users)),
        low_balance_percent: None,
        offerings: vec![
            Offering {
                id: "aec".into(),
                name: Some("AEC Collection (example price)".into()),
                covers: vec![
                    "autocad".into(),
                    "revit".into(),
                    "navisworks".into(),
                    "civil3d".into(),
                ],
                annual: "3900.00".into(),
                monthly: None,
            },
            Offering {
                id: "maya".into(),
                name: Some("Maya (example price)".into()),
                covers: vec!["maya".into()],
                annual: "2100.00".into(),
                monthly: Some("265.00".into()),
            },
        ],
        catalog: Some(CustomCatalog {
            products: vec![CustomProduct {
                id: "lumen-plugin".into(),
                name: Some("Lighting plug-in".into()),
                tokens_per_day: 2,
            }],
            services: Vec::new(),
        }),
        price_book: None,
        users: (0..users).map(|i| Arc::new(user(&mut rng, i))).collect(),
    }
}
