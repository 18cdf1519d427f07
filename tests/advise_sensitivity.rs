//! The advisor's usage sensitivity (docs/advisor.md, "Sensitivity"): the team plan (B3)
//! searched again with every user × product's charged days scaled, and where it flips.
//! Expected figures of the hand-worked team are worked out in the comments.

#[path = "advise_gen/mod.rs"]
mod gen;

use flexcalc::engine::advise::{advise, sensitivity, Advice, Sensitivity, Step, Sweep, PERCENTS};
use flexcalc::Scenario;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn scenario(v: Value) -> Scenario {
    serde_json::from_value(v).expect("scenario reads")
}

fn example(name: &str) -> Scenario {
    let path = format!("{}/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_json(&std::fs::read_to_string(path).expect("example")).expect("reads")
}

fn step(s: &Sensitivity, percent: i32) -> &Step {
    s.steps
        .iter()
        .find(|x| x.percent == percent)
        .unwrap_or_else(|| panic!("no step at {percent} %"))
}

/// Step 0 against the advisor's own answer: the same subscriptions (every field), totals,
/// tokens and proof.
fn assert_baseline(label: &str, a: &Advice, s: &Sensitivity) {
    let zero = step(s, 0);
    assert_eq!(
        serde_json::to_value(&zero.subscriptions).unwrap(),
        serde_json::to_value(&a.plan.subscriptions).unwrap(),
        "{label}: subscriptions at 0 %"
    );
    assert_eq!(zero.total, a.plan.cost.total, "{label}: plan total");
    assert_eq!(zero.tokens, a.plan.cost.tokens, "{label}: tokens");
    assert_eq!(zero.all_flex, a.all_flex.cost.total, "{label}: all-Flex");
    assert_eq!(
        zero.all_subscription, a.all_subscription.cost.total,
        "{label}: all-subscription"
    );
    assert_eq!(zero.optimal, a.optimal, "{label}: optimal");
    assert!(zero.same_as_baseline, "{label}");
}

/// Ascending steps: all-Flex, all-subscription and the plan never cost less for more
/// usage, and a proven plan never costs more than either alternative.
fn assert_monotone(label: &str, s: &Sensitivity) {
    for w in s.steps.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(a.percent < b.percent, "{label}: ascending");
        assert!(
            a.all_flex <= b.all_flex,
            "{label}: all-Flex {} % {} > {} % {}",
            a.percent,
            a.all_flex,
            b.percent,
            b.all_flex
        );
        assert!(
            a.all_subscription <= b.all_subscription,
            "{label}: all-subscription at {} %",
            b.percent
        );
        assert!(
            a.total <= b.total,
            "{label}: plan {} % {} > {} % {}",
            a.percent,
            a.total,
            b.percent,
            b.total
        );
    }
    for x in &s.steps {
        if x.optimal {
            assert!(
                x.total <= x.all_flex,
                "{label}: plan above all-Flex at {} %",
                x.percent
            );
            assert!(
                x.total <= x.all_subscription,
                "{label}: plan above all-subscription at {} %",
                x.percent
            );
        }
    }
}

#[test]
fn zero_percent_is_the_advisors_plan_exactly() {
    let mut cases: Vec<(String, Scenario)> = [
        "architecture-studio",
        "manufacturing-run-dry",
        "media-seasonal",
        "partner-price-book",
    ]
    .iter()
    .map(|n| (n.to_string(), example(n)))
    .collect();
    let mut rng = gen::Rng::new(41);
    for i in 0..25 {
        cases.push((
            format!("random team {i}"),
            scenario(gen::team(&mut rng, 30, 15, 10)),
        ));
    }
    cases.push(("firm of 60".into(), scenario(gen::large(11, 60))));
    for (label, s) in &cases {
        let a = advise(s).expect("advises");
        // 0 % is added when the list leaves it out.
        let sens = sensitivity(s, &[-30, 20]).expect("sweeps");
        assert_eq!(
            sens.steps.iter().map(|x| x.percent).collect::<Vec<_>>(),
            vec![-30, 0, 20],
            "{label}"
        );
        assert_baseline(label, &a, &sens);
    }
}

#[test]
fn more_usage_never_makes_all_flex_cheaper() {
    let fine: Vec<i32> = (-20..=20).map(|k| k * 5).collect();
    assert_monotone(
        "architecture studio",
        &sensitivity(&example("architecture-studio"), &fine).unwrap(),
    );
    assert_monotone(
        "media",
        &sensitivity(&example("media-seasonal"), &fine).unwrap(),
    );
    let mut rng = gen::Rng::new(7);
    for i in 0..20 {
        let s = scenario(gen::team(&mut rng, 25, 14, 8));
        assert_monotone(
            &format!("random team {i}"),
            &sensitivity(&s, &PERCENTS).unwrap(),
        );
    }
    let firm = sensitivity(&scenario(gen::large(3, 80)), &PERCENTS).unwrap();
    assert_monotone("firm of 80", &firm);
    let first = firm.steps.first().unwrap();
    let last = firm.steps.last().unwrap();
    assert!(first.all_flex < last.all_flex, "±50 % moves all-Flex");
}

/// A price book of one tier at 1.00 a token in packs of one: the order costs exactly the
/// tokens, so users do not interact and every figure is a product.
///
/// `ana` works Revit (10 tokens a day) 3 days a month (36 days, 360 tokens); Revit annual
/// 550.00, i.e. break-even at 55 days. `ben` works Maya (6 a day) 10 days a month (120
/// days, 720 tokens); Maya annual 600.00, break-even at 100 days.
fn pair(ana_days: u32, ben_days: u32) -> Value {
    json!({
        "flexcalc": 1, "currency": "USD", "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 12 },
        "price_book": { "currency": "USD", "minor_units": 2, "tiers": [ { "from": 1, "price": "1.00" } ], "packs": [1] },
        "offerings": [
            { "id": "revit", "covers": ["revit"], "annual": "550.00" },
            { "id": "maya", "covers": ["maya"], "annual": "600.00" }
        ],
        "users": [
            { "id": "ana", "usage": [ { "product": "revit", "monthly": { "days": ana_days, "from": "09:00", "to": "17:00" } } ] },
            { "id": "ben", "usage": [ { "product": "maya", "monthly": { "days": ben_days, "from": "09:00", "to": "17:00" } } ] }
        ]
    })
}

/// Days a month scaled as the sweep does: round(d × (100 + p) ÷ 100), half away from zero.
fn scaled(days: u32, p: i32) -> u32 {
    ((days as i32 * (100 + p) * 2 + 100) / 200) as u32
}

/// Per month, ana has round(3 × f) days and ben round(10 × f), twelve months each:
///
/// | %   | ana days/month | ana Flex | ben days/month | ben Flex | plan                    |
/// |-----|----------------|----------|----------------|----------|-------------------------|
/// | −50 | 1.5 → 2        | 240      | 5              | 360      | all Flex: 600.00        |
/// | −20 | 2.4 → 2        | 240      | 8              | 576      | all Flex: 816.00        |
/// | −10 | 2.7 → 3        | 360      | 9              | 648      | ben on Maya: 960.00     |
/// |   0 | 3              | 360      | 10             | 720      | ben on Maya: 960.00     |
/// | +40 | 4.2 → 4        | 480      | 14             | 1,008    | ben on Maya: 1,080.00   |
/// | +50 | 4.5 → 5        | 600      | 15             | 1,080    | both subscribe: 1,150.00|
///
/// So the plan flips twice: at −20 % ben leaves Maya (576 < 600), and at +50 % ana takes
/// Revit (600 > 550) — only because 4.5 rounds away from zero (to even, or down, it
/// would be 4 days: 480, still Flex).
#[test]
fn hand_worked_team_flips_where_break_even_is_crossed() {
    let s = scenario(pair(3, 10));
    let sens = sensitivity(&s, &PERCENTS).expect("sweeps");
    assert_eq!(sens.steps.len(), 11);
    let expect = [
        (-50, "600.00", "600.00", false),
        (-40, "672.00", "672.00", false),
        (-30, "744.00", "744.00", false),
        (-20, "816.00", "816.00", false),
        (-10, "960.00", "1008.00", true),
        (0, "960.00", "1080.00", true),
        (10, "960.00", "1152.00", true),
        (20, "1080.00", "1344.00", true),
        (30, "1080.00", "1416.00", true),
        (40, "1080.00", "1488.00", true),
        (50, "1150.00", "1680.00", false),
    ];
    for (p, total, all_flex, same) in expect {
        let x = step(&sens, p);
        assert_eq!(x.total, d(total), "plan at {p} %");
        assert_eq!(x.all_flex, d(all_flex), "all-Flex at {p} %");
        assert_eq!(
            x.all_subscription,
            d("1150.00"),
            "all-subscription at {p} %"
        );
        assert_eq!(x.same_as_baseline, same, "same plan as 0 % at {p} %");
        assert!(x.optimal);
    }
    assert_eq!(step(&sens, 0).subscriptions.len(), 1);
    assert_eq!(step(&sens, 0).subscriptions[0].user, "ben");
    assert!(step(&sens, -20).subscriptions.is_empty());
    assert_eq!(step(&sens, 50).subscriptions.len(), 2);
    let none = json!({ "term": "none", "months": [] });
    let annual = json!({ "term": "annual", "months": [] });
    assert_eq!(
        serde_json::to_value(&sens.flips).unwrap(),
        json!([
            { "percent": -20, "from_percent": -10, "changes": [
                { "user": "ben", "offering": "maya", "before": annual, "after": none } ] },
            { "percent": 50, "from_percent": 40, "changes": [
                { "user": "ana", "offering": "revit", "before": none, "after": annual } ] }
        ])
    );
}

/// For whole-day monthly patterns the sweep's scaling is the pattern's: each step is the
/// advisor's answer on the scenario with round(days × f) days a month.
#[test]
fn a_step_is_the_advisor_on_the_scaled_pattern() {
    let sens = sensitivity(&scenario(pair(3, 10)), &PERCENTS).expect("sweeps");
    for p in PERCENTS {
        let a = advise(&scenario(pair(scaled(3, p), scaled(10, p)))).expect("advises");
        let x = step(&sens, p);
        assert_eq!(x.total, a.plan.cost.total, "plan at {p} %");
        assert_eq!(x.all_flex, a.all_flex.cost.total, "all-Flex at {p} %");
        assert_eq!(x.tokens, a.plan.cost.tokens, "tokens at {p} %");
        assert_eq!(
            serde_json::to_value(&x.subscriptions).unwrap(),
            serde_json::to_value(&a.plan.subscriptions).unwrap(),
            "subscriptions at {p} %"
        );
    }
}

/// A seasonal user on monthly subscriptions: scaled down, the months flip to Flex one
/// coverage at a time, and the change names the months.
#[test]
fn monthly_coverage_changes_name_their_months() {
    // Revit in March (23 weekdays) and April (22): 230 and 220 tokens; monthly 200.00, so
    // both months subscribe: 400.00. At −10 %: 20.7 → 21 and 19.8 → 20 days; March still
    // subscribes (210 > 200), April ties (200 = 200: less subscription money wins, Flex):
    // 200 + 200 tokens = 400.00. At −20 %: 18.4 → 18 and 17.6 → 18 days, both on Flex:
    // 360 tokens, 360.00.
    let s = scenario(json!({
        "flexcalc": 1, "currency": "USD", "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 12 },
        "price_book": { "currency": "USD", "minor_units": 2, "tiers": [ { "from": 1, "price": "1.00" } ], "packs": [1] },
        "offerings": [ { "id": "revit", "covers": ["revit"], "annual": "5000.00", "monthly": "200.00" } ],
        "users": [ { "id": "spring", "usage": [ { "product": "revit", "months": [3, 4],
            "weekly": { "days": ["mon","tue","wed","thu","fri"], "from": "09:00", "to": "17:00" } } ] } ]
    }));
    let sens = sensitivity(&s, &[-20, -10]).expect("sweeps");
    assert_eq!(step(&sens, 0).total, d("400.00"));
    assert_eq!(step(&sens, -10).total, d("400.00"));
    assert_eq!(step(&sens, -10).tokens, 200);
    assert_eq!(step(&sens, -20).total, d("360.00"));
    assert!(
        !step(&sens, -10).same_as_baseline,
        "an equal cost is not the same plan"
    );
    let months = |m: &[&str]| json!({ "term": "monthly", "months": m });
    assert_eq!(
        serde_json::to_value(&sens.flips).unwrap(),
        json!([
            { "percent": -20, "from_percent": -10, "changes": [ { "user": "spring", "offering": "revit",
                "before": months(&["2027-03-01"]), "after": { "term": "none", "months": [] } } ] },
            { "percent": -10, "from_percent": 0, "changes": [ { "user": "spring", "offering": "revit",
                "before": months(&["2027-03-01", "2027-04-01"]), "after": months(&["2027-03-01"]) } ] }
        ])
    );
}

#[test]
fn steps_one_at_a_time_gather_into_the_same_answer() {
    let s = example("architecture-studio");
    let whole = sensitivity(&s, &PERCENTS).expect("sweeps");
    let sweep = Sweep::new(&s).expect("prepares");
    // In any order, as a view computing them between frames would.
    let steps = PERCENTS.iter().rev().map(|&p| sweep.step(p)).collect();
    let parts = Sensitivity::new(steps);
    assert_eq!(
        serde_json::to_string(&parts).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}

/// Tiny use (one minute, one charge), use across a month's end, a user in another zone
/// (slivers outside the months), results only, and nothing at all: any percentage, down
/// to none and far beyond +50 %, gives an answer and never panics.
#[test]
fn tiny_usage_scaled_to_minus_50_percent_never_panics() {
    let s = scenario(json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 3 },
        "offerings": [
            { "id": "revit", "covers": ["revit"], "annual": "3000.00", "monthly": "380.00" },
            { "id": "aec", "covers": ["revit", "autocad"], "annual": "3900.00", "monthly": "490.00" }
        ],
        "users": [
            { "id": "minute", "usage": [ { "product": "revit", "sessions": [ { "start": "2027-02-03T10:00", "end": "2027-02-03T10:01" } ] } ] },
            { "id": "overnight", "usage": [ { "product": "autocad", "sessions": [
                { "start": "2027-01-31T20:00", "end": "2027-02-01T06:00" },
                { "start": "2027-02-27T00:00", "end": "2027-03-03T00:00" } ] } ] },
            { "id": "tokyo", "timezone": "Asia/Tokyo", "usage": [ { "product": "revit",
                "weekly": { "days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "00:00" } } ] },
            { "id": "results", "results": [ { "service": "cfd-complex", "at": "2027-02-01T10:00", "quantity": 1 } ] },
            { "id": "idle", "usage": [] }
        ]
    }));
    let percents = [
        i32::MIN,
        -1000,
        -100,
        -99,
        -51,
        -50,
        -49,
        -1,
        1,
        49,
        50,
        1000,
        i32::MAX,
    ];
    let sens = sensitivity(&s, &percents).expect("sweeps");
    assert_eq!(sens.steps.len(), percents.len() + 1);
    assert_monotone("tiny", &sens);
    let at = |p| step(&sens, p);
    // One charge scaled by half is 0.5, which rounds away from zero: still charged.
    assert!(
        at(-50).tokens >= at(-100).tokens + 10,
        "the minute's day survives −50 %"
    );
    // No use at all leaves the result's 35 tokens: a 500 pack at €3.33.
    assert_eq!(at(-100).tokens, 35);
    assert_eq!(at(-100).all_flex, d("1665.00"));
    assert_eq!(at(-100).total, d("1665.00"));
    assert!(at(-100).subscriptions.is_empty());
    assert_eq!(at(i32::MIN).total, at(-100).total);
    let a = advise(&s).expect("advises");
    assert_baseline("tiny", &a, &sens);
}

/// Round-the-clock use is charged every day of every month already: more usage cannot add
/// days the calendar does not have (January to March 2027: 90 days of 10 tokens).
#[test]
fn round_the_clock_use_is_capped_at_the_calendar() {
    let s = scenario(json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 3 },
        "offerings": [ { "id": "revit", "covers": ["revit"], "annual": "90000.00" } ],
        "users": [ { "id": "always", "usage": [ { "product": "revit",
            "weekly": { "days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "00:00" } } ] } ]
    }));
    let sens = sensitivity(&s, &[-50, 50, 1000, i32::MAX]).expect("sweeps");
    assert_eq!(step(&sens, 0).tokens, 900);
    // Month by month: 15.5 → 16, 14, 15.5 → 16 days.
    assert_eq!(step(&sens, -50).tokens, 460);
    for p in [50, 1000, i32::MAX] {
        assert_eq!(step(&sens, p).tokens, 900, "{p} %");
    }
}
