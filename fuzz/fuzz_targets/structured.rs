//! Bytes → a scenario built field by field (mostly valid, with the awkward values: zones
//! with half-hour or negative daylight saving, gap and fold times, 29 February, far years,
//! overnight patterns, overlapping inactive stretches, tiny and huge packs) → simulate.
//! Nothing may panic, and a simulated report must keep SPEC's invariants:
//! the packs' books balance (L3), two charges of one user and product are at least 24 h
//! apart (M4), no denial in estimate mode (M6), a denial only when the balance is short,
//! charges in time order, totals that add up, an order that covers the total (P3).
#![no_main]

use flexcalc::engine::scenario::*;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

mod invariants;

const ZONES: [&str; 12] = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    "Europe/Dublin",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Africa/Casablanca",
    "Antarctica/Troll",
    "Pacific/Apia",
    "Asia/Tokyo",
    "UTC",
    "America/Sao_Paulo",
];
const PRODUCTS: [&str; 6] = ["autocad", "revit", "maya", "netfabb", "recap-pro", "plug"];
const SERVICES: [&str; 3] = ["cfd-simple", "generative-design", "validation-tool"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn year(u: &mut Unstructured) -> Result<i32> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => u.int_in_range(1900..=1910)?,
        1 => u.int_in_range(8990..=9000)?,
        _ => u.int_in_range(2010..=2030)?,
    })
}

fn date(u: &mut Unstructured, base: i32) -> Result<String> {
    let y = base + u.int_in_range(-1..=2)?;
    let m: u8 = u.int_in_range(1..=12)?;
    // Days past the month's end are fine to ask for: validation must refuse them cleanly.
    let d: u8 = if u.ratio(1, 20)? {
        u.int_in_range(29..=31)?
    } else {
        u.int_in_range(1..=28)?
    };
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

fn time(u: &mut Unstructured) -> Result<String> {
    // Often on the hours where clocks change (01:00–03:00) and at the day's edges.
    let h: u8 = match u.int_in_range(0..=3u8)? {
        0 => u.int_in_range(0..=3)?,
        1 => *u.choose(&[0, 23])?,
        _ => u.int_in_range(0..=23)?,
    };
    let m: u8 = *u.choose(&[0, 0, 1, 4, 5, 6, 14, 15, 16, 30, 45, 59])?;
    Ok(format!("{h:02}:{m:02}"))
}

fn datetime(u: &mut Unstructured, base: i32) -> Result<String> {
    Ok(format!("{}T{}", date(u, base)?, time(u)?))
}

fn usage(u: &mut Unstructured, base: i32) -> Result<Usage> {
    let mut us = Usage {
        product: u.choose(&PRODUCTS)?.to_string(),
        ..Usage::default()
    };
    match u.int_in_range(0..=3u8)? {
        0 => {
            let mut list = Vec::new();
            for _ in 0..u.int_in_range(1..=6u8)? {
                let start = datetime(u, base)?;
                // End: the same day, a few days on, or (rarely) before the start.
                let end = if u.ratio(1, 2)? {
                    format!("{}T{}", &start[..10], time(u)?)
                } else {
                    datetime(u, base)?
                };
                let mut inactive = Vec::new();
                for _ in 0..u.int_in_range(0..=3u8)? {
                    inactive.push([
                        stamp(format!("{}T{}", &start[..10], time(u)?)),
                        stamp(format!("{}T{}", &start[..10], time(u)?)),
                    ]);
                }
                list.push(Session {
                    start: stamp(start),
                    end: stamp(end),
                    inactive: (!inactive.is_empty()).then_some(inactive),
                });
            }
            us.sessions = Some(list);
        }
        1 => {
            let mut days = Vec::new();
            for d in DAYS {
                if u.ratio(1, 2)? {
                    days.push(d.to_string());
                }
            }
            us.weekly = Some(Weekly {
                days,
                from: time(u)?,
                to: time(u)?,
            });
        }
        2 => {
            us.monthly = Some(Monthly {
                days: u.int_in_range(1..=31)?,
                from: time(u)?,
                to: time(u)?,
            });
        }
        _ => {
            let mut dates = Vec::new();
            for _ in 0..u.int_in_range(0..=5u8)? {
                dates.push(date(u, base)?);
            }
            us.dates = Some(Dates {
                dates,
                from: time(u)?,
                to: time(u)?,
            });
        }
    }
    if u.ratio(1, 4)? {
        us.months = Some(
            (0..u.int_in_range(1..=4u8)?)
                .map(|_| u.int_in_range(1..=12))
                .collect::<Result<_>>()?,
        );
    }
    if u.ratio(1, 4)? {
        us.except = Some(vec![date(u, base)?, date(u, base)?]);
    }
    if u.ratio(1, 4)? {
        us.idle_detection = Some(u.arbitrary()?);
    }
    if u.ratio(1, 5)? {
        us.plugins = Some(vec![u.choose(&PRODUCTS)?.to_string()]);
    }
    Ok(us)
}

fn scenario(u: &mut Unstructured) -> Result<Scenario> {
    let base = year(u)?;
    let currency = u.choose(&["EUR", "JPY", "GBP", "XTS"])?.to_string();
    let price_book = if currency == "XTS" {
        Some(PriceBookInput {
            currency: "XTS".into(),
            minor_units: u.int_in_range(0..=3)?,
            tiers: vec![
                TierInput {
                    from: 1,
                    price: "3.005".into(),
                },
                TierInput {
                    from: u.int_in_range(2..=5000)?,
                    price: "2.5".into(),
                },
            ],
            packs: vec![u.int_in_range(1..=700)?, u.int_in_range(1..=7000)?],
        })
    } else {
        None
    };
    let packs = if u.ratio(1, 3)? {
        None
    } else {
        let mut list = Vec::new();
        for i in 0..u.int_in_range(0..=4u8)? {
            let tokens = match u.int_in_range(0..=3u8)? {
                0 => u.int_in_range(1..=20)?,
                1 => 1_000_000_000,
                _ => u.int_in_range(1..=5000)?,
            };
            let purchased = if u.ratio(1, 6)? {
                format!("{:04}-02-29", base)
            } else {
                date(u, base)?
            };
            list.push(Pack {
                id: format!("p{i}"),
                purchased,
                tokens,
            });
        }
        Some(list)
    };
    let mut users = Vec::new();
    for i in 0..u.int_in_range(1..=4u8)? {
        let mut usage_list = Vec::new();
        for _ in 0..u.int_in_range(0..=3u8)? {
            usage_list.push(usage(u, base)?);
        }
        let mut subscriptions = Vec::new();
        if u.ratio(1, 3)? {
            subscriptions.push(Subscription {
                offering: "suite".into(),
                from: date(u, base)?,
                to: date(u, base)?,
            });
        }
        let mut results = Vec::new();
        for _ in 0..u.int_in_range(0..=2u8)? {
            results.push(ResultEvent {
                service: u.choose(&SERVICES)?.to_string(),
                at: datetime(u, base)?,
                quantity: u.int_in_range(1..=1_000_000)?,
            });
        }
        users.push(User {
            id: format!("u{i}"),
            name: None,
            timezone: if u.ratio(1, 3)? {
                Some(u.choose(&ZONES)?.to_string())
            } else {
                None
            },
            subscriptions,
            usage: usage_list,
            results,
        });
    }
    Ok(Scenario {
        flexcalc: 1,
        name: None,
        currency,
        timezone: u.choose(&ZONES)?.to_string(),
        period: Period {
            start: date(u, base)?,
            months: u.int_in_range(1..=36)?,
        },
        packs,
        low_balance_percent: if u.ratio(1, 3)? {
            Some(u.int_in_range(0..=100)?)
        } else {
            None
        },
        offerings: vec![Offering {
            id: "suite".into(),
            name: None,
            covers: vec!["revit".into(), "maya".into()],
            annual: "1000.00".into(),
            monthly: None,
        }],
        catalog: Some(CustomCatalog {
            products: vec![CustomProduct {
                id: "plug".into(),
                name: None,
                tokens_per_day: u.int_in_range(1..=1_000_000)?,
            }],
            services: Vec::new(),
        }),
        price_book,
        users: users.into_iter().map(std::sync::Arc::new).collect(),
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(s) = scenario(&mut u) else {
        return;
    };
    let Ok(report) = flexcalc::simulate(&s) else {
        return;
    };
    let _ = report.to_json();

    invariants::check(&s, &report);
});
