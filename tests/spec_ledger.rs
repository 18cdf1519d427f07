//! SPEC §3, ledger rules L1–L6: packs, expiry, order of draw, alerts, returns, same-instant
//! order. Expected values are worked out by hand from SPEC; the arithmetic is in comments.

mod support;

use serde_json::{json, Value};
use support::*;

const PARIS: &str = "Europe/Paris";

fn with_packs(mut s: Value, packs: Vec<Value>) -> Value {
    s["packs"] = json!(packs);
    s
}

/// One user on AutoCAD (7 tokens a day), 08:00–09:00 on each given date.
fn autocad_days(start: &str, months: u32, dates: &[&str], packs: Vec<Value>) -> Value {
    let list: Vec<(String, String)> = dates
        .iter()
        .map(|d| (format!("{d}T08:00"), format!("{d}T09:00")))
        .collect();
    let refs: Vec<(&str, &str)> = list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    with_packs(one_user(PARIS, start, months, "autocad", &refs), packs)
}

/// The dates from `first` (a March 2027 day of month) on, `n` consecutive days.
fn march_days(first: u32, n: u32) -> Vec<String> {
    (first..first + n)
        .map(|d| format!("2027-03-{d:02}"))
        .collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn expirations(r: &Value) -> Vec<(String, String, u64)> {
    r["expirations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pack"].as_str().unwrap().into(),
                e["at"].as_str().unwrap().into(),
                e["tokens"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn alerts(r: &Value) -> Vec<(String, u64)> {
    r["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["at"].as_str().unwrap().into(),
                a["balance"].as_u64().unwrap(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// L1 Packs: usable from D 00:00 (team zone) to D + 1 year 00:00

#[test]
fn l1_a_pack_is_usable_from_00_00_of_its_purchase_date() {
    // Bought Tue 2 March: Monday 23:00 is denied, Tuesday 00:00 is charged (the purchase
    // applies before the charge at the same instant, L6).
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[
                ("2027-03-01T23:00", "2027-03-01T23:30"),
                ("2027-03-02T00:00", "2027-03-02T01:00"),
            ],
        ),
        vec![pack("A", "2027-03-02", 500)],
    );
    let r = sim(&s);
    assert_eq!(denial_times(&r), strs(&["2027-03-01T23:00:00+01:00"]));
    assert_eq!(charge_times(&r), strs(&["2027-03-02T00:00:00+01:00"]));
}

#[test]
fn l1_purchase_midnight_is_in_the_teams_time_zone() {
    // Team Paris, user London (one hour behind): a pack bought 2 March is usable from
    // 2 March 00:00 Paris = 1 March 23:00 London.
    let mut s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[
                ("2027-03-01T22:30", "2027-03-01T22:50"),
                ("2027-03-01T23:10", "2027-03-01T23:40"),
            ],
        ),
        vec![pack("A", "2027-03-02", 500)],
    );
    s["users"][0]["timezone"] = json!("Europe/London");
    let r = sim(&s);
    assert_eq!(denial_times(&r), strs(&["2027-03-01T22:30:00+00:00"]));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T23:10:00+00:00"]));
}

#[test]
fn l1_expiry_at_00_00_on_the_anniversary() {
    // Bought 2027-03-01, expires 2028-03-01 00:00 (CET). Charged 29 Feb 2028 23:50 (7 of 500);
    // at 1 March 00:00 the 493 left are lost; a session on 2 March is denied.
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            13,
            "autocad",
            &[
                ("2028-02-29T23:50", "2028-03-01T00:30"),
                ("2028-03-02T08:00", "2028-03-02T09:00"),
            ],
        ),
        vec![pack("A", "2027-03-01", 500)],
    );
    let r = sim(&s);
    assert_eq!(charge_times(&r), strs(&["2028-02-29T23:50:00+01:00"]));
    assert_eq!(denial_times(&r), strs(&["2028-03-02T08:00:00+01:00"]));
    assert_eq!(
        expirations(&r),
        vec![("A".into(), "2028-03-01T00:00:00+01:00".into(), 493)]
    );
    assert_eq!(pack_use(&r, "A"), (7, 493, 0));
    assert_eq!(pack_report(&r, "A")["expires"], "2028-03-01");
}

#[test]
fn l1_a_charge_due_at_the_very_instant_of_expiry_is_denied() {
    // L6: the expiry applies before the charge at 2028-03-01 00:00; 23:59 the night before is
    // still inside the pack's year.
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            13,
            "autocad",
            &[
                ("2028-02-27T23:59", "2028-02-28T00:30"),
                ("2028-03-01T00:00", "2028-03-01T01:00"),
            ],
        ),
        vec![pack("A", "2027-03-01", 500)],
    );
    let r = sim(&s);
    assert_eq!(charge_times(&r), strs(&["2028-02-27T23:59:00+01:00"]));
    assert_eq!(denial_times(&r), strs(&["2028-03-01T00:00:00+01:00"]));
}

#[test]
fn l1_a_29_february_purchase_expires_on_28_february() {
    // Bought 2028-02-29: usable until 2029-02-28 00:00. 27 Feb 2029 charged, 28 Feb denied.
    let s = autocad_days(
        "2028-02-01",
        14,
        &["2029-02-27", "2029-02-28"],
        vec![pack("A", "2028-02-29", 500)],
    );
    let r = sim(&s);
    assert_eq!(pack_report(&r, "A")["expires"], "2029-02-28");
    assert_eq!(charge_times(&r), strs(&["2029-02-27T08:00:00+01:00"]));
    assert_eq!(denial_times(&r), strs(&["2029-02-28T08:00:00+01:00"]));
    assert_eq!(
        expirations(&r),
        vec![("A".into(), "2029-02-28T00:00:00+01:00".into(), 493)]
    );
}

#[test]
fn l1_a_pack_bought_before_the_period_carries_its_balance_in() {
    // Bought 2026-06-15, usable until 2027-06-15: it pays for March 2027.
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![pack("carried", "2026-06-15", 40)],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(pack_use(&r, "carried"), (7, 0, 33));
    assert_eq!(pack_report(&r, "carried")["expires"], "2027-06-15");
}

// ---------------------------------------------------------------------------------------
// L2 Order of draw: earliest expiry, then smallest size, then listing order; may span

#[test]
fn l2_the_pack_expiring_first_is_drawn_first_even_if_larger_and_listed_later() {
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![
            pack("late-small", "2027-03-01", 500),
            pack("early-big", "2027-02-01", 5000),
        ],
    ));
    assert_eq!(pack_use(&r, "early-big"), (7, 0, 4993));
    assert_eq!(pack_use(&r, "late-small"), (0, 0, 500));
}

#[test]
fn l2_same_expiry_the_smaller_pack_is_drawn_first() {
    // FAQ (seed 004): a 500 pack before a 5,000 pack expiring the same day.
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![
            pack("big", "2027-03-01", 5000),
            pack("small", "2027-03-01", 500),
        ],
    ));
    assert_eq!(pack_use(&r, "small"), (7, 0, 493));
    assert_eq!(pack_use(&r, "big"), (0, 0, 5000));
}

#[test]
fn l2_same_expiry_and_size_the_pack_listed_first_is_drawn_first() {
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![
            pack("second", "2027-03-01", 500),
            pack("first", "2026-12-31", 600),
            pack("third", "2027-03-01", 500),
        ],
    ));
    // "first" expires 2027-12-31, before the two others.
    assert_eq!(pack_use(&r, "first"), (7, 0, 593));
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![pack("x", "2027-03-01", 500), pack("y", "2027-03-01", 500)],
    ));
    assert_eq!(pack_use(&r, "x"), (7, 0, 493));
    assert_eq!(pack_use(&r, "y"), (0, 0, 500));
}

#[test]
fn l2_a_charge_spans_two_packs() {
    // x and y: 10 tokens each, same date. Day 1: 7 from x (3 left). Day 2: 3 from x, 4 from
    // y. Day 3: 6 left in y < 7: denied.
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01", "2027-03-02", "2027-03-03"],
        vec![pack("x", "2027-03-01", 10), pack("y", "2027-03-01", 10)],
    ));
    assert_eq!(charges(&r).len(), 2);
    assert_eq!(r["charges"][1]["tokens"], 7);
    assert_eq!(pack_use(&r, "x"), (10, 0, 0));
    assert_eq!(pack_use(&r, "y"), (4, 0, 6));
    assert_eq!(denial_times(&r), strs(&["2027-03-03T08:00:00+01:00"]));
}

#[test]
fn l2_a_charge_spanning_packs_follows_the_order_of_draw() {
    // big (5000, 2027-03-01), small (5, 2027-03-01), early (3, 2027-02-15): a charge of 7
    // takes 3 from early (earliest expiry), then 4 from small (smaller of the two left).
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![
            pack("big", "2027-03-01", 5000),
            pack("small", "2027-03-01", 5),
            pack("early", "2027-02-15", 3),
        ],
    ));
    assert_eq!(pack_use(&r, "early"), (3, 0, 0));
    assert_eq!(pack_use(&r, "small"), (4, 0, 1));
    assert_eq!(pack_use(&r, "big"), (0, 0, 5000));
}

// ---------------------------------------------------------------------------------------
// L3 Expiry

#[test]
fn l3_at_expiry_the_remaining_tokens_are_lost_and_reported() {
    // Bought 2026-03-10 (100 tokens), expires 2027-03-10 00:00 inside the period.
    // Two charges before (14), 86 lost. A session on 11 March is then denied.
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01", "2027-03-02", "2027-03-11"],
        vec![pack("A", "2026-03-10", 100)],
    ));
    assert_eq!(
        expirations(&r),
        vec![("A".into(), "2027-03-10T00:00:00+01:00".into(), 86)]
    );
    assert_eq!(pack_use(&r, "A"), (14, 86, 0));
    assert_eq!(denial_times(&r), strs(&["2027-03-11T08:00:00+01:00"]));
}

#[test]
fn l3_an_expiry_at_the_periods_end_is_not_an_event_the_pack_shows_remaining_and_expires() {
    // Period March 2027 ends 1 April 00:00; the pack bought 2026-04-01 expires exactly then.
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![pack("A", "2026-04-01", 100)],
    ));
    assert!(expirations(&r).is_empty());
    assert_eq!(pack_use(&r, "A"), (7, 0, 93));
    assert_eq!(pack_report(&r, "A")["expires"], "2027-04-01");
    // One day earlier, it expires inside the period: reported.
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![pack("A", "2026-03-31", 100)],
    ));
    assert_eq!(
        expirations(&r),
        vec![("A".into(), "2027-03-31T00:00:00+02:00".into(), 93)]
    );
}

#[test]
fn l3_a_pack_bought_after_the_period_is_never_usable_in_it() {
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-01"],
        vec![pack("later", "2027-05-01", 100)],
    ));
    assert_eq!(denial_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(pack_use(&r, "later"), (0, 0, 100));
    assert_eq!(pack_report(&r, "later")["expires"], "2028-05-01");
}

// ---------------------------------------------------------------------------------------
// L4 Low balance

#[test]
fn l4_an_alert_is_raised_by_the_charge_that_crosses_below_20_percent() {
    // One pack of 100 (threshold 20). Balances after each daily charge of 7:
    // 93 86 79 72 65 58 51 44 37 30 23 16 9 2 → the 12th charge (23 → 16) crosses; the
    // 13th (16 → 9) starts below: no second alert.
    let days = march_days(1, 14);
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &refs(&days),
        vec![pack("A", "2027-03-01", 100)],
    ));
    assert_eq!(charges(&r).len(), 14);
    assert_eq!(alerts(&r), vec![("2027-03-12T08:00:00+01:00".into(), 16)]);
}

#[test]
fn l4_a_balance_exactly_at_the_threshold_is_at_least_it() {
    // Pack of 35, threshold 20 % = 7. 35 → 28 → 21 → 14 → 7 (7 is not below 7) → 0: the
    // alert is raised by the 5th charge, balance 0.
    let days = march_days(1, 5);
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &refs(&days),
        vec![pack("A", "2027-03-01", 35)],
    ));
    assert_eq!(alerts(&r), vec![("2027-03-05T08:00:00+01:00".into(), 0)]);
}

#[test]
fn l4_low_balance_percent_sets_the_threshold() {
    // 50 % of 100 = 50: 93 86 79 72 65 58 51 44 → the 8th charge (51 → 44) crosses.
    let days = march_days(1, 10);
    let mut s = autocad_days(
        "2027-03-01",
        1,
        &refs(&days),
        vec![pack("A", "2027-03-01", 100)],
    );
    s["low_balance_percent"] = json!(50);
    let r = sim(&s);
    assert_eq!(alerts(&r), vec![("2027-03-08T08:00:00+01:00".into(), 44)]);
    // 0 %: "below 0" never happens.
    s["low_balance_percent"] = json!(0);
    assert!(alerts(&sim(&s)).is_empty());
}

#[test]
fn l4_the_base_is_every_pack_usable_at_that_instant_including_emptied_ones() {
    // A (100) from 1 March, B (100) from 5 March. Charges of 7 on 1..23 March.
    // Days 1–4: 100 → 72 (base 100, threshold 20: not crossed). B arrives: balance 172, base
    // 200, threshold 40. Day 4+k leaves 172 − 7k; 172 − 7k < 40 first at k = 19 (46 → 39),
    // i.e. 23 March. A is emptied on day 15 but stays usable until it expires, so the base
    // stays 200.
    let days = march_days(1, 23);
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &refs(&days),
        vec![pack("A", "2027-03-01", 100), pack("B", "2027-03-05", 100)],
    ));
    assert_eq!(charges(&r).len(), 23);
    assert_eq!(alerts(&r), vec![("2027-03-23T08:00:00+01:00".into(), 39)]);
    assert_eq!(pack_use(&r, "A"), (100, 0, 0));
    assert_eq!(pack_use(&r, "B"), (61, 0, 39));
}

#[test]
fn l4_result_charges_raise_alerts_too_and_estimates_have_none() {
    // Pack of 100: one result of 85 tokens (validation-tool, 1 token × 85) leaves 15 < 20.
    let mut s = with_packs(
        with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![])),
        vec![pack("A", "2027-03-01", 100)],
    );
    s["users"][0]["results"] =
        json!([{ "service": "validation-tool", "at": "2027-03-02T10:00", "quantity": 85 }]);
    let r = sim(&s);
    assert_eq!(alerts(&r), vec![("2027-03-02T10:00:00+01:00".into(), 15)]);
    s.as_object_mut().unwrap().remove("packs");
    assert!(alerts(&sim(&s)).is_empty());
}

// ---------------------------------------------------------------------------------------
// L5 Returns

#[test]
fn l5_returnable_until_a_token_is_drawn_before_00_00_of_purchase_date_plus_30_days() {
    // Bought 2027-03-01: the deadline is 2027-03-31 00:00 (CEST after 28 March).
    let returnable = |session: (&str, &str)| {
        let s = with_packs(
            one_user(PARIS, "2027-03-01", 2, "autocad", &[session]),
            vec![pack("A", "2027-03-01", 500)],
        );
        let r = sim(&s);
        assert_eq!(charges(&r).len(), 1, "{session:?}");
        pack_report(&r, "A")["returnable"].as_bool().unwrap()
    };
    assert!(
        !returnable(("2027-03-30T23:50", "2027-03-31T00:30")),
        "drawn on day 29, 23:50"
    );
    assert!(
        returnable(("2027-03-31T00:00", "2027-03-31T01:00")),
        "first drawn at the deadline"
    );
    assert!(
        returnable(("2027-04-15T08:00", "2027-04-15T09:00")),
        "first drawn after the deadline"
    );
}

#[test]
fn l5_a_pack_never_drawn_is_returnable_one_drawn_early_is_not() {
    let r = sim(&autocad_days(
        "2027-03-01",
        1,
        &["2027-03-02"],
        vec![
            pack("used", "2027-03-01", 500),
            pack("spare", "2027-03-01", 1000),
        ],
    ));
    assert_eq!(pack_report(&r, "used")["returnable"], false);
    assert_eq!(pack_report(&r, "spare")["returnable"], true);
}

// ---------------------------------------------------------------------------------------
// L6 Same instant

#[test]
fn l6_daily_charges_at_one_instant_go_in_user_listing_order() {
    // One pack of 7; two users start at 08:00: the one listed first is charged.
    let mk = |first: &str, second: &str| {
        let s = scenario(PARIS, "2027-03-01", 1);
        let s = with_user(
            s,
            user(
                first,
                vec![sessions(
                    "autocad",
                    &[("2027-03-01T08:00", "2027-03-01T09:00")],
                )],
            ),
        );
        let s = with_user(
            s,
            user(
                second,
                vec![sessions(
                    "autocad",
                    &[("2027-03-01T08:00", "2027-03-01T09:00")],
                )],
            ),
        );
        sim(&with_packs(s, vec![pack("A", "2027-03-01", 7)]))
    };
    let r = mk("zoe", "adam");
    assert_eq!(charges(&r)[0].0, "zoe");
    assert_eq!(denials(&r)[0].0, "adam");
    let r = mk("adam", "zoe");
    assert_eq!(charges(&r)[0].0, "adam");
    assert_eq!(denials(&r)[0].0, "zoe");
}

#[test]
fn l6_one_users_daily_charges_at_one_instant_go_in_product_id_order() {
    // Pack of 10; Revit (10) listed before AutoCAD (7), both at 08:00. Product id order puts
    // "autocad" first: AutoCAD is charged (3 left), Revit denied.
    let u = user(
        "u",
        vec![
            sessions("revit", &[("2027-03-01T08:00", "2027-03-01T09:00")]),
            sessions("autocad", &[("2027-03-01T08:00", "2027-03-01T09:00")]),
        ],
    );
    let r = sim(&with_packs(
        with_user(scenario(PARIS, "2027-03-01", 1), u),
        vec![pack("A", "2027-03-01", 10)],
    ));
    assert_eq!(
        charges(&r),
        vec![(
            "u".into(),
            "autocad".into(),
            "2027-03-01T08:00:00+01:00".into(),
            7
        )]
    );
    assert_eq!(
        denials(&r),
        vec![(
            "u".into(),
            "revit".into(),
            "2027-03-01T08:00:00+01:00".into(),
            10
        )]
    );
}

#[test]
fn l6_daily_charges_come_before_result_charges_at_one_instant() {
    // Pack of 7; user "a" (listed first) has a result of 5 at 08:00, user "b" starts AutoCAD at
    // 08:00. Daily charges of every user come before any result: b's AutoCAD is charged.
    let s = scenario(PARIS, "2027-03-01", 1);
    let mut a = user("a", vec![]);
    a["results"] = json!([{ "service": "cfd-simple", "at": "2027-03-01T08:00", "quantity": 1 }]);
    let s = with_user(s, a);
    let s = with_user(
        s,
        user(
            "b",
            vec![sessions(
                "autocad",
                &[("2027-03-01T08:00", "2027-03-01T09:00")],
            )],
        ),
    );
    let r = sim(&with_packs(s, vec![pack("A", "2027-03-01", 7)]));
    assert_eq!(
        charges(&r),
        vec![(
            "b".into(),
            "autocad".into(),
            "2027-03-01T08:00:00+01:00".into(),
            7
        )]
    );
    assert_eq!(
        denials(&r),
        vec![(
            "a".into(),
            "cfd-simple".into(),
            "2027-03-01T08:00:00+01:00".into(),
            5
        )]
    );
}

#[test]
fn l6_result_charges_at_one_instant_go_by_user_then_listing_order() {
    // Pack of 12. User x lists cfd-moderate (10) then validation-tool (1); user w lists
    // cfd-simple (5); x is listed before w. Order: x.cfd-moderate (12 → 2), x.validation-tool
    // (2 → 1), w.cfd-simple (1 < 5: denied).
    let s = scenario(PARIS, "2027-03-01", 1);
    let mut x = user("x", vec![]);
    x["results"] = json!([
        { "service": "cfd-moderate", "at": "2027-03-01T10:00", "quantity": 1 },
        { "service": "validation-tool", "at": "2027-03-01T10:00", "quantity": 1 }
    ]);
    let mut w = user("w", vec![]);
    w["results"] = json!([{ "service": "cfd-simple", "at": "2027-03-01T10:00", "quantity": 1 }]);
    let s = with_user(with_user(s, x), w);
    let r = sim(&with_packs(s, vec![pack("A", "2027-03-01", 12)]));
    let got: Vec<String> = charges(&r)
        .into_iter()
        .map(|c| format!("{}.{}", c.0, c.1))
        .collect();
    assert_eq!(got, strs(&["x.cfd-moderate", "x.validation-tool"]));
    assert_eq!(denials(&r)[0].1, "cfd-simple");
}

#[test]
fn l6_expiry_then_purchase_then_charge_at_one_instant() {
    // At 2028-03-01 00:00: old (bought 2027-03-01, 50 tokens, 43 left after one charge) expires,
    // new (bought 2028-03-01) becomes usable, then the charge due at 00:00 draws from new.
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            13,
            "autocad",
            &[
                ("2027-03-01T08:00", "2027-03-01T09:00"),
                ("2028-03-01T00:00", "2028-03-01T01:00"),
            ],
        ),
        vec![pack("old", "2027-03-01", 50), pack("new", "2028-03-01", 50)],
    );
    let r = sim(&s);
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T08:00:00+01:00", "2028-03-01T00:00:00+01:00"])
    );
    assert_eq!(
        expirations(&r),
        vec![("old".into(), "2028-03-01T00:00:00+01:00".into(), 43)]
    );
    assert_eq!(pack_use(&r, "old"), (7, 43, 0));
    assert_eq!(pack_use(&r, "new"), (7, 0, 43));
}
