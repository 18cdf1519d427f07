//! SPEC edges found in a review of the engine against SPEC's letter, not covered elsewhere.
//! Every expected value is worked out by hand from SPEC (arithmetic in the comments).

mod support;

use flexcalc::engine::catalog::Catalog;
use flexcalc::engine::price::quote;
use serde_json::{json, Value};
use support::*;

fn strings(v: &[(&str, &str, &str, u64)]) -> Vec<(String, String, String, u64)> {
    v.iter()
        .map(|&(u, p, t, n)| (u.to_string(), p.to_string(), t.to_string(), n))
        .collect()
}

/// M3 + §6: a subscription with `from` = `to` (the edge of "from ≤ to") covers that one
/// day, 00:00 to the next 00:00 in the user's zone. A session 2027-01-05 08:00 → 01-06
/// 01:00 (UTC) is covered until 01-06 00:00; the 60 minutes after are metered: 7 tokens at
/// 00:00.
#[test]
fn m3_a_subscription_with_from_equal_to_covers_that_day_only() {
    let s = json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "UTC",
        "period": { "start": "2027-01-01", "months": 1 },
        "offerings": [ { "id": "o", "covers": ["autocad"], "annual": "1.00" } ],
        "users": [ {
            "id": "u",
            "subscriptions": [ { "offering": "o", "from": "2027-01-05", "to": "2027-01-05" } ],
            "usage": [ sessions("autocad", &[("2027-01-05T08:00", "2027-01-06T01:00")]) ]
        } ]
    });
    let r = sim(&s);
    assert_eq!(
        charges(&r),
        strings(&[("u", "autocad", "2027-01-06T00:00:00+00:00", 7)])
    );
}

/// M4: at a window's end, b − t > GRACE decides. Day 1 08:00–09:00 charges 7 and opens
/// [08:00, next day 08:00). Day 2 07:00–08:05: t = 08:00, b − t = 5 min, nothing. Day 2
/// 07:00–08:06: b − t = 6 min, 7 more at 08:00.
#[test]
fn m4_grace_is_measured_from_the_window_end_inside_an_interval() {
    let five = one_user(
        "UTC",
        "2027-01-01",
        1,
        "autocad",
        &[
            ("2027-01-04T08:00", "2027-01-04T09:00"),
            ("2027-01-05T07:00", "2027-01-05T08:05"),
        ],
    );
    assert_eq!(
        charge_times(&sim(&five)),
        strs(&["2027-01-04T08:00:00+00:00"])
    );
    let six = one_user(
        "UTC",
        "2027-01-01",
        1,
        "autocad",
        &[
            ("2027-01-04T08:00", "2027-01-04T09:00"),
            ("2027-01-05T07:00", "2027-01-05T08:06"),
        ],
    );
    assert_eq!(
        charge_times(&sim(&six)),
        strs(&["2027-01-04T08:00:00+00:00", "2027-01-05T08:00:00+00:00"])
    );
}

/// M2: three stretches, overlapping then touching (07:50–07:56, 07:55–08:01, 08:01–08:06),
/// merge into 07:50–08:06 (16 min) before the 15 minutes are measured: idle 08:05–08:06.
/// Use is then [07:50, 08:05) and [08:06, 08:16). The window of day 1 (08:00) ends at day 2
/// 08:00: the first interval leaves 5 min (free), the second 10 min: charge at 08:06.
/// Without the merge no stretch reaches 15 min and the charge would be at 08:00.
#[test]
fn m2_overlapping_then_touching_stretches_merge_into_one_idle_stretch() {
    let s = with_user(
        scenario("UTC", "2027-01-01", 1),
        user(
            "u",
            vec![json!({ "product": "autocad", "sessions": [
                { "start": "2027-01-04T08:00", "end": "2027-01-04T08:30" },
                { "start": "2027-01-05T07:50", "end": "2027-01-05T08:16", "inactive": [
                    ["2027-01-05T07:50", "2027-01-05T07:56"],
                    ["2027-01-05T07:55", "2027-01-05T08:01"],
                    ["2027-01-05T08:01", "2027-01-05T08:06"] ] }
            ] })],
        ),
    );
    assert_eq!(
        charge_times(&sim(&s)),
        strs(&["2027-01-04T08:00:00+00:00", "2027-01-05T08:06:00+00:00"])
    );
}

/// M6 + L4 + L5: A (7 tokens, 2027-01-01) pays the first AutoCAD day at 01-01 08:00 and
/// the balance goes 7 → 0: from ≥ 20 % of 7 (1.4) to below, an alert with balance 0. The
/// charge due 01-02 08:00 is denied (balance 0 < 7) and u is locked out for the rest of
/// the interval (to 01-04 12:00), although B (100) arrives 01-03 00:00. v's Fusion (2) at
/// 01-03 06:00 is charged: 100 → 98 against a base of 107 (A is emptied but still usable):
/// no alert. u's next interval, 01-05 09:00, tries again: 7 (98 → 91, 91 ≥ 21.4).
#[test]
fn m6_a_lockout_outlasts_a_purchase_and_another_users_charge_goes_through() {
    let mut s = scenario("UTC", "2027-01-01", 1);
    s["packs"] = json!([pack("A", "2027-01-01", 7), pack("B", "2027-01-03", 100)]);
    let s = with_user(
        with_user(
            s,
            user(
                "u",
                vec![sessions(
                    "autocad",
                    &[
                        ("2027-01-01T08:00", "2027-01-04T12:00"),
                        ("2027-01-05T09:00", "2027-01-05T10:00"),
                    ],
                )],
            ),
        ),
        user(
            "v",
            vec![sessions(
                "fusion",
                &[("2027-01-03T06:00", "2027-01-03T07:00")],
            )],
        ),
    );
    let r = sim(&s);
    assert_eq!(
        charges(&r),
        strings(&[
            ("u", "autocad", "2027-01-01T08:00:00+00:00", 7),
            ("v", "fusion", "2027-01-03T06:00:00+00:00", 2),
            ("u", "autocad", "2027-01-05T09:00:00+00:00", 7),
        ])
    );
    assert_eq!(
        denials(&r),
        strings(&[("u", "autocad", "2027-01-02T08:00:00+00:00", 7)])
    );
    assert_eq!(
        r["alerts"],
        json!([{ "at": "2027-01-01T08:00:00+00:00", "balance": 0 }])
    );
    assert_eq!(pack_use(&r, "A"), (7, 0, 0));
    assert_eq!(pack_use(&r, "B"), (9, 0, 91));
    assert_eq!(pack_report(&r, "B")["returnable"], json!(false));
    assert_eq!(total(&r), 16);
}

/// L1 + L6 across zones: the pack bought 2027-03-10 is usable from 00:00 in the team's zone
/// (Paris, +01:00), which is 18:00 on 03-09 for a New York user (−05:00). A result at
/// 17:00 New York comes before it and is denied (balance 0); one at 18:00 comes at the same
/// instant, after the purchase (L6), and is charged 9 × 5 = 45: 50 → 5, below 20 % of 50 =
/// 10, so an alert. `at` of charges carries the user's offset.
#[test]
fn l6_a_purchase_at_team_midnight_precedes_a_result_at_that_instant_in_another_zone() {
    let s = json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
        "period": { "start": "2027-03-01", "months": 1 },
        "packs": [ { "id": "new", "purchased": "2027-03-10", "tokens": 50 } ],
        "users": [ { "id": "u", "timezone": "America/New_York", "usage": [], "results": [
            { "service": "cfd-simple", "at": "2027-03-09T17:00", "quantity": 1 },
            { "service": "cfd-simple", "at": "2027-03-09T18:00", "quantity": 9 } ] } ]
    });
    let r = sim(&s);
    assert_eq!(
        charges(&r),
        strings(&[("u", "cfd-simple", "2027-03-09T18:00:00-05:00", 45)])
    );
    assert_eq!(
        denials(&r),
        strings(&[("u", "cfd-simple", "2027-03-09T17:00:00-05:00", 5)])
    );
    assert_eq!(r["alerts"].as_array().unwrap().len(), 1);
    assert_eq!(r["alerts"][0]["balance"], json!(5));
    let p = pack_report(&r, "new");
    assert_eq!(pack_use(&r, "new"), (45, 0, 5));
    assert_eq!(p["expires"], json!("2028-03-10"));
    assert_eq!(p["returnable"], json!(false));
}

/// M7 + §7: the period (Paris) runs 2027-01-01 00:00 +01:00 (= 2026-12-31 23:00 UTC) to
/// 2027-02-01 00:00 +01:00 (= 2027-01-31 23:00 UTC). A UTC user's result at 2026-12-31
/// 23:00 is inside (written with the user's offset, counted in month 2027-01 of the
/// scenario's zone), one at 2027-01-31 22:59 is inside, one at 23:00 is the period's end:
/// left out. 5 + 10 = 15.
#[test]
fn m7_results_at_the_periods_first_instant_count_at_its_end_are_left_out() {
    let s = json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 1 },
        "users": [ { "id": "u", "timezone": "UTC", "usage": [], "results": [
            { "service": "cfd-simple", "at": "2026-12-31T23:00", "quantity": 1 },
            { "service": "cfd-moderate", "at": "2027-01-31T22:59", "quantity": 1 },
            { "service": "cfd-complex", "at": "2027-01-31T23:00", "quantity": 1 } ] } ]
    });
    let r = sim(&s);
    assert_eq!(
        charges(&r),
        strings(&[
            ("u", "cfd-simple", "2026-12-31T23:00:00+00:00", 5),
            ("u", "cfd-moderate", "2027-01-31T22:59:00+00:00", 10),
        ])
    );
    assert_eq!(total(&r), 15);
    assert_eq!(r["totals"]["by_month"]["2027-01"], json!(15));
    assert_eq!(r["order"]["tokens"], json!(500));
}

/// §6 monthly: period 2027-01-15 → 2027-02-15. January's working days inside the period
/// are 15, 18–22, 25–29 (11); minus `except` 18: W = 15, 19, 20, 21, 22, 25, …, 29 (10);
/// n = 2: W[⌊10/4⌋] = W[2] = 20, W[⌊30/4⌋] = W[7] = 27. February's: 1–5, 8–12 (10):
/// W[2] = 3, W[7] = 10.
#[test]
fn format_monthly_in_a_period_from_mid_month_spreads_over_the_days_inside_minus_except() {
    let s = with_user(
        scenario("UTC", "2027-01-15", 1),
        user(
            "u",
            vec![json!({ "product": "autocad",
                "monthly": { "days": 2, "from": "09:00", "to": "10:00" },
                "except": ["2027-01-18"] })],
        ),
    );
    assert_eq!(
        charge_times(&sim(&s)),
        strs(&[
            "2027-01-20T09:00:00+00:00",
            "2027-01-27T09:00:00+00:00",
            "2027-02-03T09:00:00+00:00",
            "2027-02-10T09:00:00+00:00",
        ])
    );
}

fn limits(months: Value, tokens: Value, percent: Value, days: Value, quantity: Value) -> Value {
    json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "UTC",
        "period": { "start": "2027-01-01", "months": months },
        "packs": [ { "id": "A", "purchased": "2027-01-01", "tokens": tokens } ],
        "low_balance_percent": percent,
        "users": [ { "id": "u",
            "usage": [ { "product": "autocad",
                "monthly": { "days": days, "from": "09:00", "to": "10:00" } } ],
            "results": [ { "service": "cfd-simple", "at": "2027-01-05T10:00", "quantity": quantity } ] } ]
    })
}

/// §6 limits: the edges themselves are accepted, one past them refused with the JSON path.
#[test]
fn format_every_limit_edge_is_accepted_and_one_past_it_is_refused_with_its_path() {
    sim(&limits(json!(1), json!(1), json!(0), json!(1), json!(1)));
    sim(&limits(
        json!(36),
        json!(1_000_000_000u64),
        json!(100),
        json!(31),
        json!(1),
    ));
    let bad = [
        (
            limits(json!(0), json!(1), json!(20), json!(1), json!(1)),
            "period.months",
        ),
        (
            limits(json!(37), json!(1), json!(20), json!(1), json!(1)),
            "period.months",
        ),
        (
            limits(json!(1), json!(0), json!(20), json!(1), json!(1)),
            "packs[0].tokens",
        ),
        (
            limits(
                json!(1),
                json!(1_000_000_001u64),
                json!(20),
                json!(1),
                json!(1),
            ),
            "packs[0].tokens",
        ),
        (
            limits(json!(1), json!(1), json!(101), json!(1), json!(1)),
            "low_balance_percent",
        ),
        (
            limits(json!(1), json!(1), json!(20), json!(0), json!(1)),
            "users[0].usage[0].monthly.days",
        ),
        (
            limits(json!(1), json!(1), json!(20), json!(32), json!(1)),
            "users[0].usage[0].monthly.days",
        ),
        (
            limits(json!(1), json!(1), json!(20), json!(1), json!(0)),
            "users[0].results[0].quantity",
        ),
    ];
    for (s, path) in bad {
        let e = refused(&s);
        assert!(e.to_string().starts_with(path), "{path}: {e}");
    }
    let mut twice = limits(json!(1), json!(1), json!(20), json!(1), json!(1));
    twice["packs"] = json!([pack("A", "2027-01-01", 5), pack("A", "2027-01-02", 5)]);
    assert!(refused(&twice).to_string().starts_with("packs[1].id"));
    let mut users = limits(json!(1), json!(1), json!(20), json!(1), json!(1));
    let u = users["users"][0].clone();
    users["users"] = json!([u.clone(), u]);
    assert!(refused(&users).to_string().starts_with("users[1].id"));
    let mut sub = scenario("UTC", "2027-01-01", 1);
    sub["offerings"] = json!([{ "id": "o", "covers": ["autocad"], "annual": "1.00" }]);
    let sub = with_user(
        sub,
        json!({ "id": "u", "usage": [],
            "subscriptions": [ { "offering": "o", "from": "2027-01-06", "to": "2027-01-05" } ] }),
    );
    assert!(refused(&sub)
        .to_string()
        .starts_with("users[0].subscriptions[0]"));
}

/// P3: EUR 48,001 tokens. Candidates: 48,500 (N rounded up to 500) at €3.00 = €145,500.00
/// and 50,000 (the tier bound above N) at €2.91 = €145,500.00: a tie, the smaller Q wins.
/// `exact` is the same order. 48,500 = 25,000 + 15,000 + 5,000 + 3 × 1,000 + 500 (7 packs,
/// no split has fewer: 48,500 needs a 500, and 48,000 at least 6 packs).
#[test]
fn p3_a_tie_between_rounding_up_and_the_next_tier_goes_to_the_smaller_quantity() {
    let book = Catalog::builtin().book("EUR").expect("EUR");
    let v = serde_json::to_value(quote(book, 48_001)).unwrap();
    assert_eq!(v["tokens"], json!(48_500));
    assert_eq!(v["total"], json!("145500.00"));
    assert_eq!(v["unit_price"], json!("3.00"));
    assert_eq!(
        v["packs"],
        json!([25_000, 15_000, 5_000, 1_000, 1_000, 1_000, 500])
    );
    assert_eq!(v["exact"]["tokens"], json!(48_500));
}

/// M6 with two meters and a dry ledger. A = 17 tokens (01-01), C = 100 (01-04). AutoCAD
/// (7) runs 01-01 08:00 → 01-05 08:00 without a break; Fusion (2) 09:00–10:00 on 01-01 …
/// 01-05. 01-01: AutoCAD 7 (17 → 10), Fusion 2 (→ 8). 01-02 08:00 AutoCAD 7 (→ 1: from
/// ≥ 3.4 to below, alert with 1); 09:00 Fusion denied (1 < 2). 01-03 08:00 AutoCAD denied
/// (1 < 7), locked out until 01-05 08:00; 09:00 Fusion denied. C arrives 01-04 00:00:
/// Fusion 01-04 and 01-05 charged (A's last token first: earliest expiry), AutoCAD stays
/// locked; its next interval, 01-06 10:00, is charged. 7 + 2 + 7 + 2 + 2 + 7 = 27.
#[test]
fn m6_a_dry_ledger_denies_every_meter_until_a_purchase_and_lockouts_outlast_it() {
    let mut s = scenario("UTC", "2027-01-01", 1);
    s["packs"] = json!([pack("A", "2027-01-01", 17), pack("C", "2027-01-04", 100)]);
    let days = [
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
        "2027-01-04",
        "2027-01-05",
    ];
    let s = with_user(
        s,
        user(
            "u",
            vec![
                sessions(
                    "autocad",
                    &[
                        ("2027-01-01T08:00", "2027-01-05T08:00"),
                        ("2027-01-06T10:00", "2027-01-06T11:00"),
                    ],
                ),
                json!({ "product": "fusion",
                    "dates": { "dates": days, "from": "09:00", "to": "10:00" } }),
            ],
        ),
    );
    let r = sim(&s);
    assert_eq!(
        charges(&r),
        strings(&[
            ("u", "autocad", "2027-01-01T08:00:00+00:00", 7),
            ("u", "fusion", "2027-01-01T09:00:00+00:00", 2),
            ("u", "autocad", "2027-01-02T08:00:00+00:00", 7),
            ("u", "fusion", "2027-01-04T09:00:00+00:00", 2),
            ("u", "fusion", "2027-01-05T09:00:00+00:00", 2),
            ("u", "autocad", "2027-01-06T10:00:00+00:00", 7),
        ])
    );
    assert_eq!(
        denials(&r),
        strings(&[
            ("u", "fusion", "2027-01-02T09:00:00+00:00", 2),
            ("u", "autocad", "2027-01-03T08:00:00+00:00", 7),
            ("u", "fusion", "2027-01-03T09:00:00+00:00", 2),
        ])
    );
    assert_eq!(
        r["alerts"],
        json!([{ "at": "2027-01-02T08:00:00+00:00", "balance": 1 }])
    );
    assert_eq!(pack_use(&r, "A"), (17, 0, 0));
    assert_eq!(pack_use(&r, "C"), (10, 0, 90));
    assert_eq!(total(&r), 27);
}
