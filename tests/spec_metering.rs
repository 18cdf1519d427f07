//! SPEC §2, metering rules M1–M8, one test (or more) per rule with its edges.
//! Every expected value is worked out by hand from SPEC; the arithmetic is in the comments.

mod support;

use flexcalc::engine::meter::{Meter, GRACE, WINDOW};
use flexcalc::engine::model::{PatternM, SessionM};
use flexcalc::engine::simulate::run;
use flexcalc::engine::time::Local;
use flexcalc::engine::validate::validate;
use flexcalc::Scenario;
use jiff::civil::datetime;
use serde_json::{json, Value};
use support::*;

const PARIS: &str = "Europe/Paris";
const LONDON: &str = "Europe/London";
const NEW_YORK: &str = "America/New_York";

// ---------------------------------------------------------------------------------------
// M4 seed example (tests/fixtures/priscilla.json)

#[test]
fn m4_seed_example_priscilla_7_monday_0800_7_tuesday_0800_14_in_all() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/priscilla.json");
    let text = std::fs::read_to_string(path).expect("the seed example is in tests/fixtures");
    let r: Value =
        serde_json::from_str(&flexcalc::simulate_json(&text).unwrap().to_json()).unwrap();
    // London in March 2027 before the 28th: GMT, offset +00:00.
    assert_eq!(
        charges(&r),
        vec![
            (
                "priscilla".into(),
                "autocad".into(),
                "2027-03-01T08:00:00+00:00".into(),
                7
            ),
            (
                "priscilla".into(),
                "autocad".into(),
                "2027-03-02T08:00:00+00:00".into(),
                7
            ),
        ]
    );
    assert_eq!(total(&r), 14);
    assert_eq!(r["totals"]["by_user"]["priscilla"], 14);
    assert_eq!(r["totals"]["by_product"]["autocad"], 14);
    assert_eq!(r["charges"][0]["kind"], "daily");
    assert!(r["denials"].as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------
// M1 Use: union of sessions, one meter per user and product

#[test]
fn m1_overlapping_sessions_on_two_devices_are_one_meter() {
    // 08:00–12:00 and 10:00–17:00 merge into 08:00–17:00: one charge at 08:00.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T12:00"),
            ("2027-03-01T10:00", "2027-03-01T17:00"),
        ],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(total(&r), 7);
}

#[test]
fn m1_touching_sessions_merge_before_the_grace_is_measured() {
    // Two 3-minute sessions touching at 08:03 make one 6-minute interval: 6 min > 5 min.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T08:03"),
            ("2027-03-01T08:03", "2027-03-01T08:06"),
        ],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    // Apart by one minute they are two 3-minute stretches: nothing.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T08:03"),
            ("2027-03-01T08:04", "2027-03-01T08:07"),
        ],
    ));
    assert!(charges(&r).is_empty());
}

#[test]
fn m1_two_usage_entries_of_one_product_share_one_meter() {
    // A weekly Monday 09:00–10:00 plus an explicit Monday 09:30–11:00 session: one charge.
    let s = with_user(
        scenario(PARIS, "2027-03-01", 1),
        user(
            "u",
            vec![
                json!({ "product": "revit", "weekly": { "days": ["mon"], "from": "09:00", "to": "10:00" } }),
                sessions("revit", &[("2027-03-01T09:30", "2027-03-01T11:00")]),
            ],
        ),
    );
    let r = sim(&s);
    // Mondays of March 2027: 1, 8, 15, 22, 29 (29th is CEST, after 28 March).
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-01T09:00:00+01:00",
            "2027-03-08T09:00:00+01:00",
            "2027-03-15T09:00:00+01:00",
            "2027-03-22T09:00:00+01:00",
            "2027-03-29T09:00:00+02:00",
        ])
    );
    assert_eq!(total(&r), 50);
}

#[test]
fn m1_each_user_and_each_product_has_its_own_meter() {
    let s = scenario(PARIS, "2027-03-01", 1);
    let s = with_user(
        s,
        user(
            "a",
            vec![
                sessions("autocad", &[("2027-03-01T08:00", "2027-03-01T10:00")]),
                sessions("revit", &[("2027-03-01T08:00", "2027-03-01T10:00")]),
            ],
        ),
    );
    let s = with_user(
        s,
        user(
            "b",
            vec![sessions(
                "autocad",
                &[("2027-03-01T08:00", "2027-03-01T10:00")],
            )],
        ),
    );
    let r = sim(&s);
    assert_eq!(total(&r), 7 + 10 + 7);
    assert_eq!(r["totals"]["by_user"]["a"], 17);
    assert_eq!(r["totals"]["by_user"]["b"], 7);
    assert_eq!(r["totals"]["by_product"]["autocad"], 14);
    assert_eq!(r["totals"]["by_product"]["revit"], 10);
}

// ---------------------------------------------------------------------------------------
// M2 Idle

/// A session Monday 08:00 → Tuesday `end`, with one inactive stretch on Tuesday.
fn overnight_with_idle(end: &str, a: &str, b: &str, idle_detection: Option<bool>) -> Value {
    let mut u = session_idle("autocad", "2027-03-01T08:00", end, &[(a, b)]);
    if let Some(on) = idle_detection {
        u["idle_detection"] = json!(on);
    }
    with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![u]))
}

#[test]
fn m2_idle_starts_15_min_after_the_stretch_start_not_at_it() {
    // Window Mon 08:00 → Tue 08:00. Inactive Tue 07:50–12:00: idle from 08:05, so the use
    // left after the window is 08:00–08:05 = 5 min, not more than GRACE: no second charge.
    let r = sim(&overnight_with_idle(
        "2027-03-02T12:00",
        "2027-03-02T07:50",
        "2027-03-02T12:00",
        None,
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    // Inactive from 07:51: idle from 08:06; 08:00–08:06 is 6 min > 5: charge Tue 08:00.
    let r = sim(&overnight_with_idle(
        "2027-03-02T12:00",
        "2027-03-02T07:51",
        "2027-03-02T12:00",
        None,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T08:00:00+01:00", "2027-03-02T08:00:00+01:00"])
    );
}

#[test]
fn m2_stretch_of_14_and_of_exactly_15_min_idle_nothing_16_min_idles_the_last_minute() {
    // Session Mon 08:00 → Tue 09:00; the window ends Tue 08:00.
    // 14 min (07:46–08:00): use. 15 min (07:45–08:00): idle from 08:00 to 08:00 = nothing.
    for a in ["2027-03-02T07:46", "2027-03-02T07:45"] {
        let r = sim(&overnight_with_idle(
            "2027-03-02T09:00",
            a,
            "2027-03-02T08:00",
            None,
        ));
        assert_eq!(
            charge_times(&r),
            strs(&["2027-03-01T08:00:00+01:00", "2027-03-02T08:00:00+01:00"]),
            "stretch from {a}"
        );
    }
    // 16 min (07:45–08:01): idle 08:00–08:01, so use resumes and is charged at 08:01.
    let r = sim(&overnight_with_idle(
        "2027-03-02T09:00",
        "2027-03-02T07:45",
        "2027-03-02T08:01",
        None,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T08:00:00+01:00", "2027-03-02T08:01:00+01:00"])
    );
}

#[test]
fn m2_touching_and_overlapping_stretches_merge_before_the_15_minutes() {
    // 07:40–07:50 and 07:50–08:01 (touching) are one 21-minute stretch: idle 07:55–08:01,
    // which holds the window's end (08:00): the charge waits for 08:01.
    let mk = |x: (&str, &str), y: (&str, &str)| {
        let u = session_idle("autocad", "2027-03-01T08:00", "2027-03-02T09:00", &[x, y]);
        with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![u]))
    };
    let touching = sim(&mk(
        ("2027-03-02T07:40", "2027-03-02T07:50"),
        ("2027-03-02T07:50", "2027-03-02T08:01"),
    ));
    assert_eq!(charge_times(&touching)[1], "2027-03-02T08:01:00+01:00");
    let overlapping = sim(&mk(
        ("2027-03-02T07:40", "2027-03-02T07:52"),
        ("2027-03-02T07:48", "2027-03-02T08:01"),
    ));
    assert_eq!(charge_times(&overlapping)[1], "2027-03-02T08:01:00+01:00");
    // One minute apart they are 10 and 11 minutes: both use, charge at 08:00.
    let apart = sim(&mk(
        ("2027-03-02T07:40", "2027-03-02T07:50"),
        ("2027-03-02T07:51", "2027-03-02T08:02"),
    ));
    assert_eq!(charge_times(&apart)[1], "2027-03-02T08:00:00+01:00");
}

#[test]
fn m2_idle_detection_off_counts_every_stretch_as_use() {
    let r = sim(&overnight_with_idle(
        "2027-03-02T09:00",
        "2027-03-02T07:45",
        "2027-03-02T08:01",
        Some(false),
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T08:00:00+01:00", "2027-03-02T08:00:00+01:00"])
    );
    let on = sim(&overnight_with_idle(
        "2027-03-02T09:00",
        "2027-03-02T07:45",
        "2027-03-02T08:01",
        Some(true),
    ));
    assert_eq!(charge_times(&on)[1], "2027-03-02T08:01:00+01:00");
}

#[test]
fn m2_product_left_open_over_the_weekend_with_idle_detection_costs_two_days() {
    // FAQ: forgetting to close a product before the weekend. Fri 17:00 → Mon 10:00, inactive
    // Fri 17:30 → Mon 09:00: use Fri 17:00–17:45 and Mon 09:00–10:00 → 2 charges.
    let u = session_idle(
        "autocad",
        "2027-03-05T17:00",
        "2027-03-08T10:00",
        &[("2027-03-05T17:30", "2027-03-08T09:00")],
    );
    let r = sim(&with_user(
        scenario(PARIS, "2027-03-01", 1),
        user("u", vec![u.clone()]),
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-05T17:00:00+01:00", "2027-03-08T09:00:00+01:00"])
    );
    // Without idle detection: Fri, Sat, Sun 17:00 (the Sunday window covers Monday to 10:00).
    let mut off = u;
    off["idle_detection"] = json!(false);
    let r = sim(&with_user(
        scenario(PARIS, "2027-03-01", 1),
        user("u", vec![off]),
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-05T17:00:00+01:00",
            "2027-03-06T17:00:00+01:00",
            "2027-03-07T17:00:00+01:00"
        ])
    );
}

#[test]
fn m2_idle_time_after_a_window_delays_the_next_charge_to_the_first_use() {
    // Mon 08:00 → Wed 12:00 with Tue 07:00 → Wed 11:00 inactive: idle Tue 07:15 → Wed 11:00.
    // Charges: Mon 08:00; the window ends Tue 08:00 inside the idle; use resumes Wed 11:00.
    let u = session_idle(
        "revit",
        "2027-03-01T08:00",
        "2027-03-03T12:00",
        &[("2027-03-02T07:00", "2027-03-03T11:00")],
    );
    let r = sim(&with_user(
        scenario(PARIS, "2027-03-01", 1),
        user("u", vec![u]),
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T08:00:00+01:00", "2027-03-03T11:00:00+01:00"])
    );
}

/// Year, month, day, hour, minute, second.
type Ymdhms = (i16, i8, i8, i8, i8, i8);

/// Runs a one-user, one-session scenario whose session and inactive stretches are given to
/// the second (the scenario format has minutes; the engine's model has seconds).
fn run_seconds(start: Ymdhms, end: Ymdhms, inactive: &[(Ymdhms, Ymdhms)]) -> Vec<i64> {
    let s = one_user(
        "UTC",
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T09:00")],
    );
    let scenario = Scenario::from_json(&s.to_string()).unwrap();
    let mut model = validate(&scenario).unwrap();
    let dt = |(y, mo, d, h, mi, se): Ymdhms| datetime(y, mo, d, h, mi, se, 0);
    model.users[0].usages[0].pattern = PatternM::Sessions {
        list: vec![SessionM {
            start: Local::new(dt(start)),
            end: Local::new(dt(end)),
            inactive: 0..inactive.len(),
        }],
        inactive: inactive
            .iter()
            .map(|&(a, b)| (Local::new(dt(a)), Local::new(dt(b))))
            .collect(),
    };
    let report = run(&model);
    report.charges().map(|c| c.at - report.start).collect()
}

#[test]
fn m2_inactive_14_min_59_s_and_15_min_idle_nothing_15_min_1_s_idles_one_second() {
    const H: i64 = 3600;
    let mon8 = (2027, 3, 1, 8, 0, 0);
    let tue9 = (2027, 3, 2, 9, 0, 0);
    // Window Mon 08:00 → Tue 08:00:00 (32 h after the period's start, 00:00 UTC Monday).
    // 07:45:01–08:00:00 is 14 min 59 s: use. Charge at Tue 08:00:00.
    assert_eq!(
        run_seconds(
            mon8,
            tue9,
            &[((2027, 3, 2, 7, 45, 1), (2027, 3, 2, 8, 0, 0))]
        ),
        vec![8 * H, 32 * H]
    );
    // 07:45:01–08:00:01 is exactly 15 min: idle from 08:00:01 to 08:00:01, nothing.
    assert_eq!(
        run_seconds(
            mon8,
            tue9,
            &[((2027, 3, 2, 7, 45, 1), (2027, 3, 2, 8, 0, 1))]
        ),
        vec![8 * H, 32 * H]
    );
    // 07:45:00–08:00:01 is 15 min 1 s: idle 08:00:00–08:00:01, the charge waits one second.
    assert_eq!(
        run_seconds(
            mon8,
            tue9,
            &[((2027, 3, 2, 7, 45, 0), (2027, 3, 2, 8, 0, 1))]
        ),
        vec![8 * H, 32 * H + 1]
    );
}

// ---------------------------------------------------------------------------------------
// M3 Subscription first

fn with_offering(mut s: Value, id: &str, covers: &[&str]) -> Value {
    let o = json!({ "id": id, "covers": covers, "annual": "3000.00" });
    match s.get_mut("offerings") {
        Some(Value::Array(list)) => list.push(o),
        _ => s["offerings"] = json!([o]),
    }
    s
}

fn subscribed(mut u: Value, offering: &str, from: &str, to: &str) -> Value {
    u["subscriptions"] = json!([{ "offering": offering, "from": from, "to": to }]);
    u
}

#[test]
fn m3_subscription_covers_its_product_and_tokens_pay_for_the_others() {
    // Seed 002: Priscilla on an AutoCAD subscription uses no token for AutoCAD, but Revit
    // without a subscription uses tokens.
    let s = with_offering(scenario(PARIS, "2027-03-01", 1), "acad", &["autocad"]);
    let u = user(
        "priscilla",
        vec![
            sessions("autocad", &[("2027-03-01T08:00", "2027-03-01T17:00")]),
            sessions("revit", &[("2027-03-01T08:00", "2027-03-01T17:00")]),
        ],
    );
    let r = sim(&with_user(
        s,
        subscribed(u, "acad", "2027-03-01", "2027-03-31"),
    ));
    assert_eq!(
        charges(&r),
        vec![(
            "priscilla".into(),
            "revit".into(),
            "2027-03-01T08:00:00+01:00".into(),
            10
        )]
    );
    assert_eq!(total(&r), 10);
}

#[test]
fn m3_a_collection_covers_every_product_it_lists() {
    let s = with_offering(
        scenario(PARIS, "2027-03-01", 1),
        "aec",
        &["autocad", "revit"],
    );
    let u = user(
        "u",
        vec![
            sessions("autocad", &[("2027-03-01T08:00", "2027-03-01T17:00")]),
            sessions("revit", &[("2027-03-01T08:00", "2027-03-01T17:00")]),
            sessions("navisworks", &[("2027-03-01T08:00", "2027-03-01T17:00")]),
        ],
    );
    let r = sim(&with_user(
        s,
        subscribed(u, "aec", "2027-03-01", "2027-03-01"),
    ));
    assert_eq!(
        charges(&r),
        vec![(
            "u".into(),
            "navisworks".into(),
            "2027-03-01T08:00:00+01:00".into(),
            9
        )]
    );
}

#[test]
fn m3_covered_time_opens_no_window_use_after_to_is_charged_at_the_next_midnight() {
    // Subscription on Tuesday 2 March only: covers Tue 00:00 → Wed 00:00.
    // Use Mon 20:00 → Wed 10:00: charge Mon 20:00 (window to Tue 20:00, inside the covered
    // day); Wed 00:00–10:00 lies outside any window: charge Wed 00:00.
    let s = with_offering(scenario(PARIS, "2027-03-01", 1), "acad", &["autocad"]);
    let u = user(
        "u",
        vec![sessions(
            "autocad",
            &[("2027-03-01T20:00", "2027-03-03T10:00")],
        )],
    );
    let r = sim(&with_user(
        s,
        subscribed(u, "acad", "2027-03-02", "2027-03-02"),
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T20:00:00+01:00", "2027-03-03T00:00:00+01:00"])
    );
}

#[test]
fn m3_a_window_opened_before_a_subscription_runs_on_past_its_end() {
    // Europe/Paris, subscription on Sunday 28 March 2027 only: that day lasts 23 hours
    // (02:00 → 03:00), so it covers 27 Mar 23:00 UTC → 28 Mar 22:00 UTC.
    // Use Sat 27 Mar 23:30 CET (22:30 UTC) → Mon 29 Mar 01:00 CEST (28 Mar 23:00 UTC).
    // Charge Sat 23:30 CET; its window runs 24 h to 28 Mar 22:30 UTC = Mon 00:30 CEST, past
    // the subscription's end (Mon 00:00 CEST). Uncovered use after it: 00:30–01:00 CEST,
    // 30 min > 5 min: charge at Mon 00:30 CEST.
    let s = with_offering(scenario(PARIS, "2027-03-01", 1), "acad", &["autocad"]);
    let u = user(
        "u",
        vec![sessions(
            "autocad",
            &[("2027-03-27T23:30", "2027-03-29T01:00")],
        )],
    );
    let r = sim(&with_user(
        s,
        subscribed(u, "acad", "2027-03-28", "2027-03-28"),
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-27T23:30:00+01:00", "2027-03-29T00:30:00+02:00"])
    );
}

#[test]
fn m3_subscription_days_are_read_in_the_users_time_zone() {
    // Team in Paris, user in New York with a subscription on 2 March (NY 00:00 → 00:00 =
    // 05:00 UTC → 05:00 UTC). Use NY 2 Mar 20:00–23:00 is covered; NY 3 Mar 00:00–01:00 is
    // not: charge at 2027-03-03T00:00-05:00.
    let s = with_offering(scenario(PARIS, "2027-03-01", 1), "acad", &["autocad"]);
    let mut u = user(
        "u",
        vec![sessions(
            "autocad",
            &[
                ("2027-03-02T20:00", "2027-03-02T23:00"),
                ("2027-03-03T00:00", "2027-03-03T01:00"),
            ],
        )],
    );
    u["timezone"] = json!(NEW_YORK);
    let r = sim(&with_user(
        s,
        subscribed(u, "acad", "2027-03-02", "2027-03-02"),
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-03T00:00:00-05:00"]));
}

#[test]
fn m3_time_before_from_is_metered() {
    // Subscription from Wed 3 March: Monday's use is charged, Wednesday's is not.
    let s = with_offering(scenario(PARIS, "2027-03-01", 1), "acad", &["autocad"]);
    let u = user(
        "u",
        vec![sessions(
            "autocad",
            &[
                ("2027-03-01T08:00", "2027-03-01T17:00"),
                ("2027-03-03T08:00", "2027-03-03T17:00"),
            ],
        )],
    );
    let r = sim(&with_user(
        s,
        subscribed(u, "acad", "2027-03-03", "2027-03-31"),
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
}

// ---------------------------------------------------------------------------------------
// M4 Windows and GRACE

#[test]
fn m4_a_5_min_stretch_costs_nothing_a_6_min_stretch_costs_a_day() {
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T08:05")],
    ));
    assert!(charges(&r).is_empty());
    assert_eq!(total(&r), 0);
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T08:06")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
}

#[test]
fn m4_grace_is_5_min_exactly_5_min_free_5_min_1_s_charged() {
    // The scenario format counts minutes; the engine's model counts seconds.
    assert_eq!(GRACE, 300);
    assert_eq!(WINDOW, 86_400);
    assert_eq!(
        run_seconds((2027, 3, 1, 8, 0, 0), (2027, 3, 1, 8, 5, 0), &[]),
        Vec::<i64>::new()
    );
    assert_eq!(
        run_seconds((2027, 3, 1, 8, 0, 0), (2027, 3, 1, 8, 5, 1), &[]),
        vec![8 * 3600]
    );
    // And after a window: continuous use ending 24 h 5 min after its start costs one day;
    // 24 h 5 min 1 s costs two.
    assert_eq!(
        run_seconds((2027, 3, 1, 8, 0, 0), (2027, 3, 2, 8, 5, 0), &[]),
        vec![8 * 3600]
    );
    assert_eq!(
        run_seconds((2027, 3, 1, 8, 0, 0), (2027, 3, 2, 8, 5, 1), &[]),
        vec![8 * 3600, 32 * 3600]
    );
}

#[test]
fn m4_meter_state_machine_matches_the_rule_text() {
    // Directly on the engine's meter: [a, b) intervals in seconds.
    let charges_of = |iv: Vec<(i64, i64)>| {
        let mut m = Meter::new(iv);
        let mut out = vec![];
        while let Some(t) = m.due() {
            out.push(t);
            m.charged(t);
        }
        out
    };
    assert_eq!(charges_of(vec![(0, 300)]), Vec::<i64>::new());
    assert_eq!(charges_of(vec![(0, 301)]), vec![0]);
    // An interval starting inside a window continues from the window's end.
    assert_eq!(
        charges_of(vec![(0, 1000), (86_000, 86_701)]),
        vec![0, 86_400]
    );
    assert_eq!(charges_of(vec![(0, 1000), (86_000, 86_700)]), vec![0]);
    // Three days and a bit: a charge every 24 h.
    assert_eq!(
        charges_of(vec![(0, 3 * 86_400 + 301)]),
        vec![0, 86_400, 172_800, 259_200]
    );
}

#[test]
fn m4_continuous_use_is_charged_every_24_hours_from_the_first_charge() {
    // Mon 08:00 → Thu 08:00: Mon, Tue, Wed 08:00 (Thu 08:00 leaves nothing).
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-04T08:00")],
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-01T08:00:00+01:00",
            "2027-03-02T08:00:00+01:00",
            "2027-03-03T08:00:00+01:00"
        ])
    );
    // To Thu 08:05: still 3. To Thu 08:06: a fourth at Thu 08:00.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-04T08:05")],
    ));
    assert_eq!(charges(&r).len(), 3);
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-04T08:06")],
    ));
    assert_eq!(charge_times(&r)[3], "2027-03-04T08:00:00+01:00");
}

#[test]
fn m4_a_short_stretch_opens_no_window_the_next_real_use_does() {
    // Mon 08:00–08:04 is free and opens nothing; Mon 08:30–09:00 is charged at 08:30 and its
    // window ends Tue 08:30. Tue 08:20–08:40: use past the window is 08:30–08:40 (10 min):
    // charged at Tue 08:30 (not 08:20, which a window from 08:00 would give).
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T08:04"),
            ("2027-03-01T08:30", "2027-03-01T09:00"),
            ("2027-03-02T08:20", "2027-03-02T08:40"),
        ],
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T08:30:00+01:00", "2027-03-02T08:30:00+01:00"])
    );
}

#[test]
fn m4_reopening_within_the_window_costs_nothing() {
    // Five sessions within 24 h of 08:00 Monday: one charge.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-03-01T08:00", "2027-03-01T09:00"),
            ("2027-03-01T11:00", "2027-03-01T12:00"),
            ("2027-03-01T14:00", "2027-03-01T18:00"),
            ("2027-03-01T22:00", "2027-03-01T23:00"),
            ("2027-03-02T07:00", "2027-03-02T08:05"),
        ],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
}

/// Sat 10:00 → Sun `end` local, continuous: the second charge shows where 24 h ended.
fn across(tz: &str, start: &str, end: &str) -> Vec<String> {
    charge_times(&sim(&one_user(
        tz,
        "2027-01-01",
        12,
        "autocad",
        &[(start, end)],
    )))
}

#[test]
fn m4_dst_spring_europe_paris_window_is_24_hours_of_elapsed_time() {
    // 27 Mar 10:00 CET = 09:00 UTC; +24 h = 28 Mar 09:00 UTC = 11:00 CEST (clocks jumped).
    assert_eq!(
        across(PARIS, "2027-03-27T10:00", "2027-03-28T12:00"),
        strs(&["2027-03-27T10:00:00+01:00", "2027-03-28T11:00:00+02:00"])
    );
    // Ending 11:05 CEST leaves 5 min: nothing more; 11:06 leaves 6: charged.
    assert_eq!(
        across(PARIS, "2027-03-27T10:00", "2027-03-28T11:05").len(),
        1
    );
    assert_eq!(
        across(PARIS, "2027-03-27T10:00", "2027-03-28T11:06").len(),
        2
    );
}

#[test]
fn m4_dst_autumn_europe_paris_window_is_24_hours_of_elapsed_time() {
    // 30 Oct 10:00 CEST = 08:00 UTC; +24 h = 31 Oct 08:00 UTC = 09:00 CET (clocks went back).
    assert_eq!(
        across(PARIS, "2027-10-30T10:00", "2027-10-31T10:00"),
        strs(&["2027-10-30T10:00:00+02:00", "2027-10-31T09:00:00+01:00"])
    );
    assert_eq!(
        across(PARIS, "2027-10-30T10:00", "2027-10-31T09:05").len(),
        1
    );
}

#[test]
fn m4_dst_spring_america_new_york_window_is_24_hours_of_elapsed_time() {
    // 13 Mar 10:00 EST = 15:00 UTC; +24 h = 14 Mar 15:00 UTC = 11:00 EDT.
    assert_eq!(
        across(NEW_YORK, "2027-03-13T10:00", "2027-03-14T12:00"),
        strs(&["2027-03-13T10:00:00-05:00", "2027-03-14T11:00:00-04:00"])
    );
}

#[test]
fn m4_dst_autumn_america_new_york_window_is_24_hours_of_elapsed_time() {
    // 6 Nov 10:00 EDT = 14:00 UTC; +24 h = 7 Nov 14:00 UTC = 09:00 EST.
    assert_eq!(
        across(NEW_YORK, "2027-11-06T10:00", "2027-11-07T10:00"),
        strs(&["2027-11-06T10:00:00-04:00", "2027-11-07T09:00:00-05:00"])
    );
    assert_eq!(
        across(NEW_YORK, "2027-11-06T10:00", "2027-11-07T09:05").len(),
        1
    );
}

#[test]
fn m4_a_time_zone_change_changes_nothing_charges_are_written_with_the_users_offset() {
    // The same instants seen from Tokyo (+09:00): Mon 08:00 London = 17:00 Tokyo.
    let mut s = one_user(
        LONDON,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T17:00", "2027-03-02T17:30")],
    );
    s["users"][0]["timezone"] = json!("Asia/Tokyo");
    let r = sim(&s);
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T17:00:00+09:00", "2027-03-02T17:00:00+09:00"])
    );
}

// ---------------------------------------------------------------------------------------
// M5 Plug-ins

fn with_plugin_catalog(mut s: Value) -> Value {
    s["catalog"] =
        json!({ "products": [ { "id": "myplugin", "name": "A plug-in", "tokens_per_day": 2 } ] });
    s
}

#[test]
fn m5_a_plugin_loaded_at_start_up_is_charged_its_own_daily_rate_on_the_hosts_intervals() {
    let mut u = sessions("autocad", &[("2027-03-01T08:00", "2027-03-02T09:00")]);
    u["plugins"] = json!(["myplugin"]);
    let r = sim(&with_user(
        with_plugin_catalog(scenario(PARIS, "2027-03-01", 1)),
        user("u", vec![u]),
    ));
    // Two windows each; L6 order within an instant: product id ("autocad" < "myplugin").
    assert_eq!(
        charges(&r),
        vec![
            (
                "u".into(),
                "autocad".into(),
                "2027-03-01T08:00:00+01:00".into(),
                7
            ),
            (
                "u".into(),
                "myplugin".into(),
                "2027-03-01T08:00:00+01:00".into(),
                2
            ),
            (
                "u".into(),
                "autocad".into(),
                "2027-03-02T08:00:00+01:00".into(),
                7
            ),
            (
                "u".into(),
                "myplugin".into(),
                "2027-03-02T08:00:00+01:00".into(),
                2
            ),
        ]
    );
    assert_eq!(r["totals"]["by_product"]["myplugin"], 4);
    assert_eq!(total(&r), 18);
}

#[test]
fn m5_a_builtin_product_can_be_a_plugin_and_shares_one_meter_with_its_own_use() {
    // Host Revit loads ReCap Pro at start-up on Monday; the user also opens ReCap Pro alone on
    // Monday evening (inside the plug-in's window) and on Wednesday.
    let mut host = sessions("revit", &[("2027-03-01T08:00", "2027-03-01T12:00")]);
    host["plugins"] = json!(["recap-pro"]);
    let alone = sessions(
        "recap-pro",
        &[
            ("2027-03-01T20:00", "2027-03-01T21:00"),
            ("2027-03-03T08:00", "2027-03-03T09:00"),
        ],
    );
    let r = sim(&with_user(
        scenario(PARIS, "2027-03-01", 1),
        user("u", vec![host, alone]),
    ));
    assert_eq!(
        charges(&r),
        vec![
            (
                "u".into(),
                "recap-pro".into(),
                "2027-03-01T08:00:00+01:00".into(),
                1
            ),
            (
                "u".into(),
                "revit".into(),
                "2027-03-01T08:00:00+01:00".into(),
                10
            ),
            (
                "u".into(),
                "recap-pro".into(),
                "2027-03-03T08:00:00+01:00".into(),
                1
            ),
        ]
    );
}

#[test]
fn m5_a_plugin_follows_its_hosts_idle_time() {
    // Host session with a 16-minute inactive stretch holding the window's end: the plug-in
    // is charged at 08:01 on Tuesday, like the host.
    let mut u = session_idle(
        "autocad",
        "2027-03-01T08:00",
        "2027-03-02T09:00",
        &[("2027-03-02T07:45", "2027-03-02T08:01")],
    );
    u["plugins"] = json!(["myplugin"]);
    let r = sim(&with_user(
        with_plugin_catalog(scenario(PARIS, "2027-03-01", 1)),
        user("u", vec![u]),
    ));
    let plug: Vec<String> = charges(&r)
        .into_iter()
        .filter(|c| c.1 == "myplugin")
        .map(|c| c.2)
        .collect();
    assert_eq!(
        plug,
        strs(&["2027-03-01T08:00:00+01:00", "2027-03-02T08:01:00+01:00"])
    );
}

// ---------------------------------------------------------------------------------------
// M6 Balance gate

fn with_packs(mut s: Value, packs: Vec<Value>) -> Value {
    s["packs"] = json!(packs);
    s
}

#[test]
fn m6_no_packs_field_is_an_unlimited_estimate() {
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "netfabb",
        &[("2027-03-01T08:00", "2027-03-11T08:00")],
    ));
    assert_eq!(charges(&r).len(), 10);
    assert_eq!(total(&r), 550);
    assert!(r["denials"].as_array().unwrap().is_empty());
    assert!(r["packs"].as_array().unwrap().is_empty());
    assert_eq!(r["order"]["tokens"], 1000); // 550 rounded up to 500s (P3)
}

#[test]
fn m6_an_empty_packs_list_means_no_tokens_at_all() {
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[("2027-03-01T08:00", "2027-03-01T17:00")],
        ),
        vec![],
    );
    let r = sim(&s);
    assert!(charges(&r).is_empty());
    assert_eq!(
        denials(&r),
        vec![(
            "u".into(),
            "autocad".into(),
            "2027-03-01T08:00:00+01:00".into(),
            7
        )]
    );
    assert_eq!(total(&r), 0);
    // §7 writes the order "when the scenario has no packs": an empty list has none, so the
    // (empty) order covering the 0 tokens charged is written too.
    assert_eq!(r["order"]["tokens"], 0);
    assert_eq!(r["order"]["packs"], json!([]));
}

#[test]
fn m6_a_balance_below_the_rate_is_denied_equal_is_charged() {
    let sess = [("2027-03-01T08:00", "2027-03-01T17:00")];
    let r = sim(&with_packs(
        one_user(PARIS, "2027-03-01", 1, "autocad", &sess),
        vec![pack("A", "2027-03-01", 6)],
    ));
    assert_eq!(denial_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(pack_use(&r, "A"), (0, 0, 6));
    let d = &r["denials"][0];
    assert_eq!(d["kind"], "daily");
    assert_eq!(d["tokens"], 7);
    assert!(d["reason"].as_str().is_some_and(|s| !s.is_empty()));
    let r = sim(&with_packs(
        one_user(PARIS, "2027-03-01", 1, "autocad", &sess),
        vec![pack("A", "2027-03-01", 7)],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(pack_use(&r, "A"), (7, 0, 0));
}

#[test]
fn m6_a_denial_locks_out_the_rest_of_the_interval_the_next_session_tries_again() {
    // Pack A (5 tokens) from Monday, pack B (500) bought Tuesday. Monday 08:00: balance 5 < 7,
    // denied and locked out until Monday 17:00 even though B arrives Tuesday 00:00... which is
    // after that interval anyway. Tuesday 08:00: the next session tries again and is charged.
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[
                ("2027-03-01T08:00", "2027-03-01T17:00"),
                ("2027-03-02T08:00", "2027-03-02T17:00"),
            ],
        ),
        vec![pack("A", "2027-03-01", 5), pack("B", "2027-03-02", 500)],
    );
    let r = sim(&s);
    assert_eq!(denial_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(charge_times(&r), strs(&["2027-03-02T08:00:00+01:00"]));
}

#[test]
fn m6_a_lockout_lasts_the_whole_use_interval_even_when_tokens_arrive_during_it() {
    // One continuous interval Mon 08:00 → Wed 10:00 starting with no usable pack; pack B
    // becomes usable Tue 00:00 but the interval stays locked out. A new session Wed 11:00 is
    // charged.
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[
                ("2027-03-01T08:00", "2027-03-03T10:00"),
                ("2027-03-03T11:00", "2027-03-03T12:00"),
            ],
        ),
        vec![pack("B", "2027-03-02", 500)],
    );
    let r = sim(&s);
    assert_eq!(denial_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(charge_times(&r), strs(&["2027-03-03T11:00:00+01:00"]));
}

#[test]
fn m6_running_dry_inside_a_long_interval_denies_the_next_24_hour_charge() {
    // Pack of 10: Mon 08:00 charged (3 left), Tue 08:00 denied, nothing more in that
    // interval (it runs to Thu 12:00).
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[("2027-03-01T08:00", "2027-03-04T12:00")],
        ),
        vec![pack("A", "2027-03-01", 10)],
    );
    let r = sim(&s);
    assert_eq!(charge_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(denial_times(&r), strs(&["2027-03-02T08:00:00+01:00"]));
    assert_eq!(pack_use(&r, "A"), (7, 0, 3));
}

#[test]
fn m6_every_pack_expired_is_denied() {
    // A pack bought 2026-03-01 expires 2027-03-01 00:00: nothing usable on 2 March 2027.
    let s = with_packs(
        one_user(
            PARIS,
            "2027-03-01",
            1,
            "autocad",
            &[("2027-03-02T08:00", "2027-03-02T17:00")],
        ),
        vec![pack("old", "2026-03-01", 500)],
    );
    let r = sim(&s);
    assert!(charges(&r).is_empty());
    assert_eq!(denial_times(&r), strs(&["2027-03-02T08:00:00+01:00"]));
}

#[test]
fn m1_m6_a_skipped_date_meets_the_next_days_session_one_interval_one_denial() {
    // Samoa skipped 30 December 2011: Friday's 13:15-16:30 moves forward by the gap onto
    // Saturday's (§6), the same instants; merged (M1), one interval, so one denial (M6),
    // then one each Friday and Saturday of January (found by review: it was denied twice).
    let mut s = scenario("Pacific/Apia", "2011-12-26", 1);
    s["packs"] = json!([]);
    let s = with_user(
        s,
        user(
            "u",
            vec![json!({ "product": "autocad",
                "weekly": { "days": ["fri", "sat"], "from": "13:15", "to": "16:30" } })],
        ),
    );
    let r = sim(&s);
    assert!(charges(&r).is_empty());
    assert_eq!(
        denial_times(&r),
        strs(&[
            "2011-12-31T13:15:00+14:00",
            "2012-01-06T13:15:00+14:00",
            "2012-01-07T13:15:00+14:00",
            "2012-01-13T13:15:00+14:00",
            "2012-01-14T13:15:00+14:00",
            "2012-01-20T13:15:00+14:00",
            "2012-01-21T13:15:00+14:00",
        ])
    );
}

// ---------------------------------------------------------------------------------------
// M7 Per-result charges

fn with_results(mut s: Value, user_index: usize, results: Value) -> Value {
    s["users"][user_index]["results"] = results;
    s
}

#[test]
fn m7_a_result_costs_rate_times_quantity_at_its_instant() {
    let s = with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![]));
    let s = with_results(
        s,
        0,
        json!([
            { "service": "generative-design", "at": "2027-03-02T10:00", "quantity": 3 },
            { "service": "cfd-complex", "at": "2027-03-03T11:30", "quantity": 1 }
        ]),
    );
    let r = sim(&s);
    assert_eq!(
        charges(&r),
        vec![
            (
                "u".into(),
                "generative-design".into(),
                "2027-03-02T10:00:00+01:00".into(),
                33
            ),
            (
                "u".into(),
                "cfd-complex".into(),
                "2027-03-03T11:30:00+01:00".into(),
                35
            ),
        ]
    );
    assert_eq!(r["charges"][0]["kind"], "result");
    assert!(r["charges"][0].get("product").is_none());
    assert_eq!(r["totals"]["by_product"]["generative-design"], 33);
    assert_eq!(total(&r), 68);
}

#[test]
fn m7_results_outside_the_period_are_left_out() {
    // Period March 2027 in Paris: [1 Mar 00:00, 1 Apr 00:00). 28 Feb 23:59 and 1 Apr 00:00
    // are outside; 1 Mar 00:00 and 31 Mar 23:59 are inside.
    let s = with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![]));
    let s = with_results(
        s,
        0,
        json!([
            { "service": "validation-tool", "at": "2027-02-28T23:59", "quantity": 1 },
            { "service": "validation-tool", "at": "2027-03-01T00:00", "quantity": 2 },
            { "service": "validation-tool", "at": "2027-03-31T23:59", "quantity": 4 },
            { "service": "validation-tool", "at": "2027-04-01T00:00", "quantity": 8 }
        ]),
    );
    let r = sim(&s);
    assert_eq!(total(&r), 6);
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-01T00:00:00+01:00", "2027-03-31T23:59:00+02:00"])
    );
}

#[test]
fn m7_a_result_goes_through_the_balance_gate_whole() {
    // Balance 30: 3 generative-design studies (33) are denied whole; 2 (22) go through.
    let s = with_packs(
        with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![])),
        vec![pack("A", "2027-03-01", 30)],
    );
    let s = with_results(
        s,
        0,
        json!([
            { "service": "generative-design", "at": "2027-03-02T10:00", "quantity": 3 },
            { "service": "generative-design", "at": "2027-03-02T11:00", "quantity": 2 }
        ]),
    );
    let r = sim(&s);
    assert_eq!(
        denials(&r),
        vec![(
            "u".into(),
            "generative-design".into(),
            "2027-03-02T10:00:00+01:00".into(),
            33
        )]
    );
    assert_eq!(
        charges(&r),
        vec![(
            "u".into(),
            "generative-design".into(),
            "2027-03-02T11:00:00+01:00".into(),
            22
        )]
    );
    assert_eq!(r["denials"][0]["kind"], "result");
    assert_eq!(pack_use(&r, "A"), (22, 0, 8));
}

#[test]
fn m7_result_times_are_read_in_the_users_time_zone() {
    // Team Paris, user Tokyo: 1 Apr 05:00 Tokyo = 31 Mar 22:00 Paris (CEST): inside March.
    let mut u = user("u", vec![]);
    u["timezone"] = json!("Asia/Tokyo");
    let s = with_results(
        with_user(scenario(PARIS, "2027-03-01", 1), u),
        0,
        json!([
            { "service": "cfd-simple", "at": "2027-04-01T05:00", "quantity": 1 }
        ]),
    );
    let r = sim(&s);
    assert_eq!(charge_times(&r), strs(&["2027-04-01T05:00:00+09:00"]));
}

// ---------------------------------------------------------------------------------------
// M8 One team, one pooled balance

#[test]
fn m8_all_users_draw_from_one_pooled_balance() {
    // One pack of 14: user a at 08:00 (7), user b at 09:00 (7), user c at 10:00 denied.
    let s = scenario(PARIS, "2027-03-01", 1);
    let s = with_user(
        s,
        user(
            "a",
            vec![sessions(
                "autocad",
                &[("2027-03-01T08:00", "2027-03-01T12:00")],
            )],
        ),
    );
    let s = with_user(
        s,
        user(
            "b",
            vec![sessions(
                "autocad",
                &[("2027-03-01T09:00", "2027-03-01T12:00")],
            )],
        ),
    );
    let s = with_user(
        s,
        user(
            "c",
            vec![sessions(
                "autocad",
                &[("2027-03-01T10:00", "2027-03-01T12:00")],
            )],
        ),
    );
    let r = sim(&with_packs(s, vec![pack("A", "2027-03-01", 14)]));
    assert_eq!(
        charges(&r).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        vec!["a", "b"]
    );
    assert_eq!(
        denials(&r).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        vec!["c"]
    );
    assert_eq!(pack_use(&r, "A"), (14, 0, 0));
}

// ---------------------------------------------------------------------------------------
// Readings where SPEC leaves a choice (listed in docs/rules.md)

#[test]
fn assumption_idle_time_ends_a_use_interval_so_a_lockout_ends_with_it() {
    // M2 makes idle time "not use", so it splits use into intervals; M6 locks out only the
    // rest of the interval. Monday 08:00 → Tuesday 10:00, idle from Monday 12:15 to Tuesday
    // 09:00; the only pack is bought Tuesday. Monday 08:00 is denied; Tuesday 09:00 starts a
    // new use interval and is charged.
    let u = session_idle(
        "autocad",
        "2027-03-01T08:00",
        "2027-03-02T10:00",
        &[("2027-03-01T12:00", "2027-03-02T09:00")],
    );
    let s = with_packs(
        with_user(scenario(PARIS, "2027-03-01", 1), user("u", vec![u])),
        vec![pack("A", "2027-03-02", 100)],
    );
    let r = sim(&s);
    assert_eq!(denial_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
    assert_eq!(charge_times(&r), strs(&["2027-03-02T09:00:00+01:00"]));
}

#[test]
fn assumption_plugins_are_not_covered_by_the_hosts_subscription() {
    // M5: a plug-in is metered as its own product; M3 only spares products the offering
    // covers. AutoCAD is on subscription, its start-up plug-in is not: the plug-in is charged.
    let mut s = with_plugin_catalog(scenario(PARIS, "2027-03-01", 1));
    s["offerings"] = json!([{ "id": "acad", "covers": ["autocad"], "annual": "2000.00" }]);
    let mut host = sessions("autocad", &[("2027-03-01T08:00", "2027-03-01T17:00")]);
    host["plugins"] = json!(["myplugin"]);
    let u = subscribed(user("u", vec![host]), "acad", "2027-03-01", "2027-03-31");
    let r = sim(&with_user(s, u));
    assert_eq!(
        charges(&r),
        vec![(
            "u".into(),
            "myplugin".into(),
            "2027-03-01T08:00:00+01:00".into(),
            2
        )]
    );
}

#[test]
fn assumption_a_plugin_is_metered_even_when_its_host_is_denied() {
    // M5 gives the plug-in the host's use intervals and meters it as its own product; M6
    // gates each charge alone. With 2 tokens left, AutoCAD (7) is denied but its start-up
    // plug-in (2) is charged, though in reality it could not load without its host.
    let mut host = sessions("autocad", &[("2027-03-01T08:00", "2027-03-01T17:00")]);
    host["plugins"] = json!(["myplugin"]);
    let s = with_plugin_catalog(scenario(PARIS, "2027-03-01", 1));
    let r = sim(&with_packs(
        with_user(s, user("u", vec![host])),
        vec![pack("A", "2027-03-01", 2)],
    ));
    assert_eq!(
        denials(&r),
        vec![(
            "u".into(),
            "autocad".into(),
            "2027-03-01T08:00:00+01:00".into(),
            7
        )]
    );
    assert_eq!(
        charges(&r),
        vec![(
            "u".into(),
            "myplugin".into(),
            "2027-03-01T08:00:00+01:00".into(),
            2
        )]
    );
}
