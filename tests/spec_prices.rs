//! SPEC §4, price rules P1–P3 (and the price book of §1.3 and §6). Every figure below is
//! SPEC's table multiplied out by hand.

mod support;

use flexcalc::engine::catalog::{Catalog, PriceBook, Tier};
use flexcalc::engine::price::{cheapest_order, order_total, quote, unit_price, Packs};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use support::*;

fn book(currency: &str) -> &'static PriceBook {
    Catalog::builtin()
        .book(currency)
        .unwrap_or_else(|| panic!("no built-in {currency} book"))
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn custom(minor_units: u32, tiers: &[(u64, &str)], packs: &[u64]) -> PriceBook {
    PriceBook {
        currency: "XTS".into(),
        minor_units,
        tiers: tiers
            .iter()
            .map(|&(from, p)| Tier {
                from,
                price: dec(p),
            })
            .collect(),
        packs: packs.to_vec(),
    }
}

/// SPEC §1.3, written out again by hand.
const TABLE: [(u64, &str, &str, &str); 8] = [
    (1, "429.00", "3.33", "2.94"),
    (5_000, "418.28", "3.25", "2.87"),
    (10_000, "407.55", "3.16", "2.79"),
    (15_000, "396.83", "3.08", "2.72"),
    (25_000, "386.10", "3.00", "2.65"),
    (50_000, "375.38", "2.91", "2.57"),
    (100_000, "364.65", "2.83", "2.50"),
    (250_000, "343.20", "2.66", "2.35"),
];

// ---------------------------------------------------------------------------------------
// P1 Unit price and order total

#[test]
fn p1_the_whole_order_quantity_selects_one_tier_at_every_boundary() {
    for (i, &(from, jpy, eur, gbp)) in TABLE.iter().enumerate() {
        for (cur, price) in [("JPY", jpy), ("EUR", eur), ("GBP", gbp)] {
            assert_eq!(unit_price(book(cur), from), dec(price), "{cur} at {from}");
            let last = TABLE.get(i + 1).map_or(10_000_000, |t| t.0 - 1);
            assert_eq!(unit_price(book(cur), last), dec(price), "{cur} at {last}");
        }
    }
    assert_eq!(unit_price(book("EUR"), 4_999), dec("3.33"));
    assert_eq!(unit_price(book("EUR"), 5_000), dec("3.25"));
}

#[test]
fn p1_order_total_is_quantity_times_unit_price() {
    assert_eq!(order_total(book("EUR"), 24_500), dec("75460.00")); // 24,500 × 3.08
    assert_eq!(order_total(book("EUR"), 25_000), dec("75000.00")); // 25,000 × 3.00
    assert_eq!(order_total(book("GBP"), 500), dec("1470.00")); // 500 × 2.94
    assert_eq!(order_total(book("JPY"), 500), dec("214500")); // 500 × 429
    assert_eq!(order_total(book("JPY"), 250_000), dec("85800000")); // 250,000 × 343.20
    assert_eq!(order_total(book("EUR"), 0).to_string(), "0.00");
}

#[test]
fn p1_jpy_totals_are_rounded_to_whole_yen_half_away_from_zero() {
    // 25,005 × 386.10 = 9,654,430.5 → 9,654,431 (half away from zero; banker's would give …430).
    assert_eq!(order_total(book("JPY"), 25_005).to_string(), "9654431");
    // 5,001 × 418.28 = 2,091,818.28 → 2,091,818.
    assert_eq!(order_total(book("JPY"), 5_001).to_string(), "2091818");
    // 12,345 × 407.55 = 5,031,204.75 → 5,031,205.
    assert_eq!(order_total(book("JPY"), 12_345).to_string(), "5031205");
    // 1 × 429.00 → 429, written without decimals.
    assert_eq!(order_total(book("JPY"), 1).to_string(), "429");
}

#[test]
fn p1_eur_and_gbp_totals_have_two_decimals() {
    assert_eq!(order_total(book("EUR"), 25_000).to_string(), "75000.00");
    assert_eq!(order_total(book("GBP"), 1).to_string(), "2.94");
    assert_eq!(order_total(book("GBP"), 3).to_string(), "8.82");
}

#[test]
fn p1_rounding_is_half_away_from_zero_not_to_even() {
    // Two decimals, 0.005 a token: 1 → 0.005 → 0.01; 5 → 0.025 → 0.03 (to even: 0.02).
    let b = custom(2, &[(1, "0.005")], &[1]);
    assert_eq!(order_total(&b, 1).to_string(), "0.01");
    assert_eq!(order_total(&b, 5).to_string(), "0.03");
    assert_eq!(order_total(&b, 4).to_string(), "0.02");
    // No decimals, 0.5 a token: 5 → 2.5 → 3 (to even: 2); 3 → 1.5 → 2.
    let b = custom(0, &[(1, "0.5")], &[1]);
    assert_eq!(order_total(&b, 5).to_string(), "3");
    assert_eq!(order_total(&b, 3).to_string(), "2");
}

#[test]
fn p1_rounding_in_a_scenario_price_book_through_the_estimate_order() {
    // A partner's book in "XTS" with no decimals at 0.5 a token and packs of 1: an estimate
    // of 5 tokens (a custom product of 5 a day, one day) orders 5 tokens for 2.5 → 3.
    let mut s = one_user(
        "UTC",
        "2027-03-01",
        1,
        "five",
        &[("2027-03-01T08:00", "2027-03-01T09:00")],
    );
    s["currency"] = json!("XTS");
    s["price_book"] = json!({ "currency": "XTS", "minor_units": 0, "tiers": [ { "from": 1, "price": "0.5" } ], "packs": [1] });
    s["catalog"] = json!({ "products": [ { "id": "five", "tokens_per_day": 5 } ] });
    let r = sim(&s);
    assert_eq!(r["order"]["tokens"], 5);
    assert_eq!(r["order"]["total"], "3");
}

#[test]
fn p1_huge_partner_prices_never_panic() {
    // SPEC §6: bad input never panics. A partner price of 24 nines times a 100,000-token pack
    // overflows 96-bit decimals; the engine must refuse it (or price it), not crash.
    let mut s = one_user(
        "UTC",
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T09:00")],
    );
    s["currency"] = json!("XTS");
    s["price_book"] = json!({
        "currency": "XTS", "minor_units": 2,
        "tiers": [ { "from": 1, "price": "999999999999999999999999" } ],
        "packs": [100000]
    });
    let text = s.to_string();
    let outcome = std::panic::catch_unwind(|| flexcalc::simulate_json(&text).map(|r| r.to_json()));
    assert!(
        outcome.is_ok(),
        "simulate panicked on a large partner price (expected a located refusal)"
    );
    if let Ok(Err(e)) = outcome {
        assert!(
            e.path.starts_with("price_book"),
            "refusal should point at the price book: {e}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// P2 Orderable quantities

#[test]
fn p2_with_the_builtin_packs_orderable_quantities_are_multiples_of_500() {
    assert_eq!(
        book("EUR").packs,
        vec![500, 1_000, 5_000, 10_000, 15_000, 25_000, 50_000]
    );
    let p = Packs::new(book("EUR"));
    for q in [500, 1_000, 1_500, 24_500, 25_000, 123_500] {
        assert!(p.orderable(q), "{q}");
    }
    for q in [1, 499, 750, 24_999, 100_001] {
        assert!(!p.orderable(q), "{q}");
    }
    assert_eq!(p.least_at_least(1), 500);
    assert_eq!(p.least_at_least(500), 500);
    assert_eq!(p.least_at_least(501), 1_000);
    assert_eq!(p.least_at_least(24_001), 24_500);
}

#[test]
fn p2_with_a_partners_packs_any_sum_of_their_sizes_is_orderable() {
    // Packs 300 and 700: 300, 600, 700, 900, 1000, 1200, … but not 400, 500, 800.
    let p = Packs::new(&custom(2, &[(1, "1.00")], &[300, 700]));
    for q in [300, 600, 700, 900, 1_000, 1_200, 1_300, 1_400] {
        assert!(p.orderable(q), "{q}");
    }
    for q in [100, 400, 500, 800, 1_100] {
        assert!(!p.orderable(q), "{q}");
    }
    assert_eq!(p.least_at_least(1), 300);
    assert_eq!(p.least_at_least(400), 600);
    assert_eq!(p.least_at_least(650), 700);
    assert_eq!(p.least_at_least(800), 900);
    assert_eq!(p.split(1_000), vec![700, 300]);
    assert_eq!(p.split(600), vec![300, 300]);
}

#[test]
fn p2_a_scenario_price_book_orders_in_its_own_packs() {
    // Seed example (14 tokens) with packs of 300 and 700: the estimate orders 300.
    let mut s = one_user(
        "UTC",
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T17:00"),
            ("2027-03-02T07:00", "2027-03-02T17:00"),
        ],
    );
    s["currency"] = json!("USD");
    s["price_book"] = json!({ "currency": "USD", "minor_units": 2, "tiers": [ { "from": 1, "price": "3.00" }, { "from": 5000, "price": "2.93" } ], "packs": [300, 700] });
    let r = sim(&s);
    assert_eq!(r["order"]["tokens_needed"], 14);
    assert_eq!(r["order"]["tokens"], 300);
    assert_eq!(r["order"]["packs"], json!([300]));
    assert_eq!(r["order"]["total"], "900.00");
}

// ---------------------------------------------------------------------------------------
// P3 Cheapest order

/// `(N, Q, total)` by hand.
fn check_cheapest(currency: &str, cases: &[(u64, u64, &str)]) {
    for &(n, q, total) in cases {
        let o = cheapest_order(book(currency), n);
        assert_eq!(
            (o.tokens_needed, o.tokens, o.total.to_string()),
            (n, q, total.to_string()),
            "{currency} N = {n}"
        );
    }
}

#[test]
fn p3_eur_tier_cliffs_a_larger_order_can_cost_less() {
    check_cheapest(
        "EUR",
        &[
            (1, 500, "1665.00"),        // 500 × 3.33
            (4_500, 4_500, "14985.00"), // 4,500 × 3.33 < 5,000 × 3.25 = 16,250
            (4_501, 5_000, "16250.00"),
            (9_500, 9_500, "30875.00"), // 9,500 × 3.25 < 10,000 × 3.16 = 31,600
            (9_501, 10_000, "31600.00"),
            (14_500, 14_500, "45820.00"), // 14,500 × 3.16 < 15,000 × 3.08 = 46,200
            (24_000, 24_000, "73920.00"), // 24,000 × 3.08 < 75,000
            (24_001, 25_000, "75000.00"), // 24,500 × 3.08 = 75,460 > 25,000 × 3.00 = 75,000
            (24_500, 25_000, "75000.00"),
            (97_000, 97_000, "282270.00"), // 97,000 × 2.91 < 100,000 × 2.83 = 283,000
            (97_001, 100_000, "283000.00"), // 97,500 × 2.91 = 283,725
            (234_500, 234_500, "663635.00"), // 234,500 × 2.83 < 250,000 × 2.66 = 665,000
            (234_501, 250_000, "665000.00"), // 235,000 × 2.83 = 665,050
        ],
    );
}

#[test]
fn p3_ties_go_to_the_smaller_quantity() {
    // EUR: 48,500 × 3.00 = 145,500.00 = 50,000 × 2.91: a tie, so 48,500.
    check_cheapest(
        "EUR",
        &[(48_500, 48_500, "145500.00"), (48_501, 50_000, "145500.00")],
    );
    // A partner book: 800 × 2.00 = 1,600 = 1,000 × 1.60.
    let b = custom(2, &[(1, "2.00"), (1_000, "1.60")], &[100]);
    assert_eq!(cheapest_order(&b, 750).tokens, 800);
    assert_eq!(cheapest_order(&b, 801).tokens, 1_000);
}

#[test]
fn p3_jpy_and_gbp_tier_cliffs() {
    check_cheapest(
        "JPY",
        &[
            (24_500, 25_000, "9652500"), // 24,500 × 396.83 = 9,722,335 > 25,000 × 386.10
            (4_500, 4_500, "1930500"),   // 4,500 × 429 < 5,000 × 418.28 = 2,091,400
        ],
    );
    check_cheapest(
        "GBP",
        &[
            (24_500, 25_000, "66250.00"),  // 24,500 × 2.72 = 66,640 > 25,000 × 2.65
            (48_000, 48_000, "127200.00"), // 48,000 × 2.65 < 50,000 × 2.57 = 128,500
            (48_001, 50_000, "128500.00"), // 48,500 × 2.65 = 128,525 > 128,500
        ],
    );
}

#[test]
fn p3_zero_tokens_is_the_empty_order() {
    for (cur, zero) in [("EUR", "0.00"), ("GBP", "0.00"), ("JPY", "0")] {
        let o = cheapest_order(book(cur), 0);
        assert_eq!(o.tokens, 0);
        assert!(o.packs.is_empty());
        assert_eq!(o.unit_price, None);
        assert_eq!(o.total.to_string(), zero, "{cur}");
    }
}

#[test]
fn p3_the_order_is_split_into_the_fewest_packs_larger_first_on_ties() {
    let p = Packs::new(book("EUR"));
    let cases: &[(u64, &[u64])] = &[
        (500, &[500]),
        (1_500, &[1_000, 500]),
        (3_000, &[1_000, 1_000, 1_000]),
        (20_000, &[15_000, 5_000]), // or 10,000 + 10,000: larger first
        (30_000, &[25_000, 5_000]), // or 15,000 + 15,000
        (35_000, &[25_000, 10_000]),
        (40_000, &[25_000, 15_000]),
        (45_000, &[25_000, 15_000, 5_000]),
        (70_000, &[50_000, 15_000, 5_000]),
        (24_500, &[15_000, 5_000, 1_000, 1_000, 1_000, 1_000, 500]),
        (48_500, &[25_000, 15_000, 5_000, 1_000, 1_000, 1_000, 500]),
        (100_000, &[50_000, 50_000]),
        (250_000, &[50_000, 50_000, 50_000, 50_000, 50_000]),
    ];
    for &(q, packs) in cases {
        assert_eq!(p.split(q), packs.to_vec(), "{q}");
        assert_eq!(p.split(q).iter().sum::<u64>(), q);
    }
}

#[test]
fn p3_quote_gives_the_cheapest_order_and_the_exact_one_beside_it() {
    let v: Value = serde_json::to_value(quote(book("EUR"), 24_500)).unwrap();
    assert_eq!(v["tokens_needed"], 24_500);
    assert_eq!(v["tokens"], 25_000);
    assert_eq!(v["packs"], json!([25_000]));
    assert_eq!(v["unit_price"], "3.00");
    assert_eq!(v["total"], "75000.00");
    assert_eq!(v["exact"]["tokens"], 24_500);
    assert_eq!(v["exact"]["total"], "75460.00");
    assert_eq!(v["exact"]["unit_price"], "3.08");
    assert_eq!(
        v["exact"]["packs"],
        json!([15_000, 5_000, 1_000, 1_000, 1_000, 1_000, 500])
    );
    // `exact` is N rounded up to 500.
    let v: Value = serde_json::to_value(quote(book("GBP"), 1_234)).unwrap();
    assert_eq!(v["tokens"], 1_500);
    assert_eq!(v["exact"]["tokens"], 1_500);
    assert_eq!(v["total"], "4410.00"); // 1,500 × 2.94
}

#[test]
fn p3_an_estimate_reports_the_cheapest_order_for_its_total() {
    // The seed example: 14 tokens → 500 tokens in one pack at €3.33 = €1,665.00.
    let r = sim(&one_user(
        "Europe/London",
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T17:00"),
            ("2027-03-02T07:00", "2027-03-02T17:00"),
        ],
    ));
    assert_eq!(r["order"]["tokens_needed"], 14);
    assert_eq!(r["order"]["tokens"], 500);
    assert_eq!(r["order"]["packs"], json!([500]));
    assert_eq!(r["order"]["unit_price"], "3.33");
    assert_eq!(r["order"]["total"], "1665.00");
}

#[test]
fn p3_an_estimate_with_no_use_orders_nothing() {
    let r = sim(&with_user(
        scenario("UTC", "2027-03-01", 1),
        user("u", vec![]),
    ));
    assert_eq!(r["order"]["tokens"], 0);
    assert_eq!(r["order"]["packs"], json!([]));
    assert_eq!(r["order"]["total"], "0.00");
}

#[test]
fn p3_a_scenario_price_book_replaces_the_builtin_one_of_its_currency() {
    // EUR at 1.00 flat, packs of 100: 14 tokens → 100 tokens, €100.00.
    let mut s = one_user(
        "UTC",
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T17:00"),
            ("2027-03-02T07:00", "2027-03-02T17:00"),
        ],
    );
    s["price_book"] = json!({ "currency": "EUR", "minor_units": 2, "tiers": [ { "from": 1, "price": "1.00" } ], "packs": [100] });
    let r = sim(&s);
    assert_eq!(r["order"]["tokens"], 100);
    assert_eq!(r["order"]["total"], "100.00");
}

#[test]
fn the_cost_per_user_and_month_is_the_order_spread_and_rounded_by_p1() {
    use flexcalc::engine::insights::Insights;
    use flexcalc::engine::simulate::run;
    use flexcalc::engine::validate::validate;
    // The seed example (one user, one month): €1,665.00 a month.
    let one = one_user(
        "Europe/London",
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T17:00")],
    );
    let per = |v: &Value| {
        let s = flexcalc::Scenario::from_json(&v.to_string()).unwrap();
        let model = validate(&s).unwrap();
        Insights::new(&model, &run(&model)).per_user_month(&model)
    };
    assert_eq!(per(&one), Some(dec("1665.00")));
    // Three users over 7 months share one 500-token order of €1,665.00:
    // 1665 / 21 = 79.2857… → €79.29 (half away from zero at the cent).
    let mut three = one_user(
        "Europe/London",
        "2027-03-01",
        7,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T17:00")],
    );
    for id in ["b", "c"] {
        three = with_user(
            three,
            user(
                id,
                vec![sessions(
                    "autocad",
                    &[("2027-03-02T08:00", "2027-03-02T09:00")],
                )],
            ),
        );
    }
    assert_eq!(per(&three), Some(dec("79.29")));
    // Nobody: no figure.
    let mut nobody = scenario("UTC", "2027-03-01", 1);
    nobody["users"] = json!([]);
    assert_eq!(per(&nobody), None);
}
