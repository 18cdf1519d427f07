//! SPEC §6, the scenario format: the example, usage patterns (weekly, monthly spread rule,
//! dates, months, except, overnight), time zones and DST (gap, fold), the period cut,
//! totals by month, and every validation refusal with its JSON path.

mod support;

use flexcalc::Scenario;
use serde_json::{json, Value};
use support::*;

const PARIS: &str = "Europe/Paris";
const NEW_YORK: &str = "America/New_York";

/// SPEC §6's example, verbatim.
const SPEC_EXAMPLE: &str = r#"{
  "flexcalc": 1,
  "name": "Studio Nord 2027",
  "currency": "EUR",
  "timezone": "Europe/Paris",
  "period": { "start": "2027-01-01", "months": 12 },
  "packs": [ { "id": "A", "purchased": "2027-01-01", "tokens": 5000 } ],
  "low_balance_percent": 20,
  "offerings": [
    { "id": "revit", "covers": ["revit"], "annual": "3000.00", "monthly": "380.00" },
    { "id": "aec", "name": "AEC Collection", "covers": ["autocad", "revit", "navisworks", "civil3d"], "annual": "3900.00" }
  ],
  "catalog": { "products": [ { "id": "myplugin", "name": "A plug-in", "tokens_per_day": 2 } ] },
  "users": [
    {
      "id": "priscilla", "name": "Priscilla", "timezone": "Europe/Paris",
      "subscriptions": [ { "offering": "revit", "from": "2027-01-01", "to": "2027-12-31" } ],
      "usage": [
        { "product": "autocad", "sessions": [
            { "start": "2027-01-04T08:00", "end": "2027-01-04T17:00",
              "inactive": [ ["2027-01-04T12:00", "2027-01-04T13:00"] ] } ] },
        { "product": "revit", "weekly": { "days": ["mon", "wed"], "from": "09:00", "to": "17:30" } },
        { "product": "maya", "monthly": { "days": 4, "from": "09:00", "to": "17:00" }, "months": [3, 4, 5] },
        { "product": "navisworks", "dates": { "dates": ["2027-03-02"], "from": "10:00", "to": "12:00" },
          "idle_detection": false, "plugins": ["myplugin"] }
      ],
      "results": [ { "service": "generative-design", "at": "2027-02-01T10:00", "quantity": 3 } ]
    }
  ]
}"#;

fn spec_example() -> Value {
    serde_json::from_str(SPEC_EXAMPLE).unwrap()
}

// ---------------------------------------------------------------------------------------
// The example of §6

#[test]
fn format_the_spec_example_is_accepted_and_simulates_as_worked_out_by_hand() {
    let r = sim(&spec_example());
    // AutoCAD 4 Jan 08:00 (the 1-hour inactive stretch only delays nothing): 7.
    // Revit: covered all year by the subscription (M3): 0.
    // Maya, 4 working days in March, April, May by the spread rule (6 each):
    //   March (23 working days): W[2], W[8], W[14], W[20] = 3, 11, 19, 29
    //   April (22): W[2], W[8], W[13], W[19] = 5, 13, 20, 28
    //   May (21): W[2], W[7], W[13], W[18] = 5, 12, 20, 27
    // Navisworks 2 March 10:00 (9) with myplugin (2). Generative design 3 × 11 = 33.
    let maya: Vec<String> = charges(&r)
        .into_iter()
        .filter(|c| c.1 == "maya")
        .map(|c| c.2)
        .collect();
    assert_eq!(
        maya,
        strs(&[
            "2027-03-03T09:00:00+01:00",
            "2027-03-11T09:00:00+01:00",
            "2027-03-19T09:00:00+01:00",
            "2027-03-29T09:00:00+02:00",
            "2027-04-05T09:00:00+02:00",
            "2027-04-13T09:00:00+02:00",
            "2027-04-20T09:00:00+02:00",
            "2027-04-28T09:00:00+02:00",
            "2027-05-05T09:00:00+02:00",
            "2027-05-12T09:00:00+02:00",
            "2027-05-20T09:00:00+02:00",
            "2027-05-27T09:00:00+02:00",
        ])
    );
    let by_product = &r["totals"]["by_product"];
    assert_eq!(by_product["autocad"], 7);
    assert_eq!(by_product["maya"], 72);
    assert_eq!(by_product["navisworks"], 9);
    assert_eq!(by_product["myplugin"], 2);
    assert_eq!(by_product["generative-design"], 33);
    assert!(by_product.get("revit").is_none_or(|v| v == 0));
    assert_eq!(total(&r), 123);
    let by_month = &r["totals"]["by_month"];
    assert_eq!(by_month["2027-01"], 7);
    assert_eq!(by_month["2027-02"], 33);
    assert_eq!(by_month["2027-03"], 24 + 9 + 2); // maya 4 × 6, navisworks 9, myplugin 2
    assert_eq!(by_month["2027-04"], 24);
    assert_eq!(by_month["2027-05"], 24);
    assert_eq!(pack_use(&r, "A"), (123, 0, 4877));
    assert_eq!(pack_report(&r, "A")["expires"], "2028-01-01");
    assert_eq!(pack_report(&r, "A")["returnable"], false); // drawn 4 January
    assert!(r["alerts"].as_array().unwrap().is_empty());
    assert!(r.get("order").is_none());
}

#[test]
fn format_a_scenario_reads_back_identically_after_writing() {
    let s = Scenario::from_json(SPEC_EXAMPLE).unwrap();
    let again = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(s, again);
    let a = flexcalc::simulate(&s).unwrap().to_json();
    let b = flexcalc::simulate(&again).unwrap().to_json();
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------
// Patterns

fn pattern(p: Value, start: &str, months: u32) -> Value {
    with_user(scenario(PARIS, start, months), user("u", vec![p]))
}

#[test]
fn format_weekly_every_listed_weekday_inside_the_period() {
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["tue", "thu"], "from": "09:00", "to": "17:00" } }),
        "2027-03-01",
        1,
    ));
    // Tuesdays and Thursdays of March 2027: 2 4 9 11 16 18 23 25 30 → 9 × 7.
    assert_eq!(charges(&r).len(), 9);
    assert_eq!(charge_times(&r)[0], "2027-03-02T09:00:00+01:00");
    assert_eq!(charge_times(&r)[8], "2027-03-30T09:00:00+02:00");
    assert_eq!(total(&r), 63);
}

#[test]
fn format_weekly_to_not_later_than_from_ends_the_next_day() {
    // Fridays 22:00 → Saturday 02:00 in March 2027: 5, 12, 19, 26.
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["fri"], "from": "22:00", "to": "02:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-05T22:00:00+01:00",
            "2027-03-12T22:00:00+01:00",
            "2027-03-19T22:00:00+01:00",
            "2027-03-26T22:00:00+01:00"
        ])
    );
}

#[test]
fn format_weekly_equal_times_mean_24_hours() {
    // Monday 09:00 → Tuesday 09:00 (exactly one window): Mondays 1, 8, 15, 22, 29 March.
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["mon"], "from": "09:00", "to": "09:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(charges(&r).len(), 5);
    // Monday and Tuesday 09:00–09:00 touch: Mon 09:00 → Wed 09:00, two windows a week.
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["mon", "tue"], "from": "09:00", "to": "09:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(charges(&r).len(), 10);
    assert_eq!(charge_times(&r)[1], "2027-03-02T09:00:00+01:00");
}

#[test]
fn format_monthly_uses_the_exact_spread_rule() {
    // March 2027 has 23 working days; n = 4 → W[⌊(2i+1)·23/8⌋] = W[2], W[8], W[14], W[20]
    // = 3, 11, 19, 29 March.
    let r = sim(&pattern(
        json!({ "product": "revit", "monthly": { "days": 4, "from": "10:00", "to": "11:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-03T10:00:00+01:00",
            "2027-03-11T10:00:00+01:00",
            "2027-03-19T10:00:00+01:00",
            "2027-03-29T10:00:00+02:00"
        ])
    );
}

#[test]
fn format_monthly_spread_skips_except_dates_before_spreading() {
    // Without 3 March: 22 days, W[2], W[8], W[13], W[19] = 4, 12, 19, 29 March.
    let r = sim(&pattern(
        json!({ "product": "revit", "monthly": { "days": 4, "from": "10:00", "to": "11:00" }, "except": ["2027-03-03"] }),
        "2027-03-01",
        1,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-04T10:00:00+01:00",
            "2027-03-12T10:00:00+01:00",
            "2027-03-19T10:00:00+01:00",
            "2027-03-29T10:00:00+02:00"
        ])
    );
}

#[test]
fn format_monthly_counts_only_the_working_days_inside_the_period() {
    // Period 15 March → 15 April 2027. March part: 13 working days (15–19, 22–26, 29–31),
    // n = 2 → W[3], W[9] = 18, 26 March. April part: 10 (1, 2, 5–9, 12–14) → W[2], W[7] =
    // 5, 12 April.
    let r = sim(&pattern(
        json!({ "product": "revit", "monthly": { "days": 2, "from": "10:00", "to": "11:00" } }),
        "2027-03-15",
        1,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-18T10:00:00+01:00",
            "2027-03-26T10:00:00+01:00",
            "2027-04-05T10:00:00+02:00",
            "2027-04-12T10:00:00+02:00"
        ])
    );
}

#[test]
fn format_monthly_with_more_days_than_working_days_takes_them_all() {
    let r = sim(&pattern(
        json!({ "product": "revit", "monthly": { "days": 31, "from": "10:00", "to": "11:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(charges(&r).len(), 23);
}

#[test]
fn format_dates_only_those_inside_the_period() {
    let r = sim(&pattern(
        json!({ "product": "autocad", "dates": { "dates": ["2027-02-28", "2027-03-10", "2027-03-31", "2027-04-01"], "from": "10:00", "to": "12:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-03-10T10:00:00+01:00", "2027-03-31T10:00:00+02:00"])
    );
}

#[test]
fn format_months_keeps_only_dates_in_the_listed_months() {
    // Weekly Monday over February–April 2027, only months 3: Mondays 1, 8, 15, 22, 29 March.
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["mon"], "from": "09:00", "to": "10:00" }, "months": [3] }),
        "2027-02-01",
        3,
    ));
    assert_eq!(charges(&r).len(), 5);
    assert_eq!(charge_times(&r)[0], "2027-03-01T09:00:00+01:00");
}

#[test]
fn format_months_keeps_sessions_by_their_local_start() {
    // A session starting 31 March 23:00 and running into April is kept with months [3];
    // one starting 1 April is not.
    let mut p = sessions(
        "autocad",
        &[
            ("2027-03-31T23:00", "2027-04-01T02:00"),
            ("2027-04-02T09:00", "2027-04-02T10:00"),
        ],
    );
    p["months"] = json!([3]);
    let r = sim(&pattern(p, "2027-03-01", 2));
    assert_eq!(charge_times(&r), strs(&["2027-03-31T23:00:00+02:00"]));
}

#[test]
fn format_except_skips_dates() {
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["mon"], "from": "09:00", "to": "10:00" }, "except": ["2027-03-08", "2027-03-22"] }),
        "2027-03-01",
        1,
    ));
    assert_eq!(
        charge_times(&r),
        strs(&[
            "2027-03-01T09:00:00+01:00",
            "2027-03-15T09:00:00+01:00",
            "2027-03-29T09:00:00+02:00"
        ])
    );
}

#[test]
fn format_except_lists_read_in_a_row_each_skip_their_own_dates() {
    // The same list twice (read once natively), one date changed, the first again, and
    // a list equal to the first but for a date that does not read.
    let weekly = |except: &[&str]| json!({ "product": "autocad", "weekly": { "days": ["mon"], "from": "09:00", "to": "10:00" }, "except": except });
    let a = ["2027-03-22", "2027-03-08"];
    let b = ["2027-03-22", "2027-03-15"];
    let mut s = scenario(PARIS, "2027-03-01", 1);
    for (i, list) in [&a, &a, &b, &a].iter().enumerate() {
        s = with_user(s, user(&format!("u{i}"), vec![weekly(&list[..])]));
    }
    let r = sim(&s);
    let mondays = |user: &str| -> Vec<String> {
        charges(&r)
            .into_iter()
            .filter(|c| c.0 == user)
            .map(|c| c.2[..10].to_string())
            .collect()
    };
    let skip_a = strs(&["2027-03-01", "2027-03-15", "2027-03-29"]);
    let skip_b = strs(&["2027-03-01", "2027-03-08", "2027-03-29"]);
    assert_eq!(mondays("u0"), skip_a);
    assert_eq!(mondays("u1"), skip_a);
    assert_eq!(mondays("u2"), skip_b);
    assert_eq!(mondays("u3"), skip_a);
    let s = with_user(s, user("u4", vec![weekly(&["2027-03-22", "2027-02-30"])]));
    assert_eq!(refused(&s).path, "users[4].usage[0].except[1]");
}

// ---------------------------------------------------------------------------------------
// Time zones and DST

#[test]
fn format_local_times_are_read_in_the_users_zone_else_the_scenarios() {
    let mut s = one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-02T09:00", "2027-03-02T10:00")],
    );
    assert_eq!(charge_times(&sim(&s)), strs(&["2027-03-02T09:00:00+01:00"]));
    s["users"][0]["timezone"] = json!(NEW_YORK);
    assert_eq!(charge_times(&sim(&s)), strs(&["2027-03-02T09:00:00-05:00"]));
}

#[test]
fn format_dst_gap_europe_paris_moves_forward_by_the_gap() {
    // 28 March 2027, 02:00 → 03:00 in Paris: 02:30 does not exist and becomes 03:30 CEST.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-28T02:30", "2027-03-28T05:00")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-28T03:30:00+02:00"]));
    let r = sim(&pattern(
        json!({ "product": "autocad", "dates": { "dates": ["2027-03-28"], "from": "02:30", "to": "05:00" } }),
        "2027-03-01",
        1,
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-28T03:30:00+02:00"]));
}

#[test]
fn format_dst_gap_america_new_york_moves_forward_by_the_gap() {
    // 14 March 2027, 02:00 → 03:00 in New York: 02:30 becomes 03:30 EDT.
    let r = sim(&one_user(
        NEW_YORK,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-14T02:30", "2027-03-14T05:00")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-14T03:30:00-04:00"]));
    let r = sim(&with_user(
        scenario(NEW_YORK, "2027-03-01", 1),
        user(
            "u",
            vec![
                json!({ "product": "autocad", "weekly": { "days": ["sun"], "from": "02:30", "to": "05:00" } }),
            ],
        ),
    ));
    assert_eq!(charge_times(&r)[1], "2027-03-14T03:30:00-04:00");
}

#[test]
fn format_dst_gap_session_lasts_its_elapsed_time() {
    // 01:00 CET → 03:04 CEST is 1 h 4 min of elapsed time: charged. 01:58 CET → 03:03 CEST is
    // 5 minutes of elapsed time: free (GRACE), though the clock moved 65 minutes.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-28T01:58", "2027-03-28T03:03")],
    ));
    assert!(charges(&r).is_empty());
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-28T01:58", "2027-03-28T03:04")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-28T01:58:00+01:00"]));
}

#[test]
fn format_dst_fold_europe_paris_takes_the_earlier_instant() {
    // 31 October 2027, 03:00 CEST → 02:00 CET: 02:30 happens twice; the earlier is CEST.
    let r = sim(&one_user(
        PARIS,
        "2027-10-01",
        1,
        "autocad",
        &[("2027-10-31T02:30", "2027-10-31T04:00")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-10-31T02:30:00+02:00"]));
    let r = sim(&pattern(
        json!({ "product": "autocad", "dates": { "dates": ["2027-10-31"], "from": "02:30", "to": "04:00" } }),
        "2027-10-01",
        1,
    ));
    assert_eq!(charge_times(&r), strs(&["2027-10-31T02:30:00+02:00"]));
}

#[test]
fn format_dst_fold_america_new_york_takes_the_earlier_instant() {
    // 7 November 2027, 02:00 EDT → 01:00 EST: 01:30 is read as EDT.
    let r = sim(&one_user(
        NEW_YORK,
        "2027-11-01",
        1,
        "autocad",
        &[("2027-11-07T01:30", "2027-11-07T03:00")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-11-07T01:30:00-04:00"]));
}

#[test]
fn format_dst_fold_session_lasts_its_elapsed_time() {
    // 00:58 EDT → 01:03, an ambiguous time read as the earlier (EDT): 5 minutes, free.
    let r = sim(&one_user(
        NEW_YORK,
        "2027-11-01",
        1,
        "autocad",
        &[("2027-11-07T00:58", "2027-11-07T01:03")],
    ));
    assert!(charges(&r).is_empty());
    // 01:00 (EDT, earlier) → 02:00 (EST, after the fold) is 2 hours of elapsed time. Its
    // window ends 24 h later, 8 Nov 05:00 UTC = 00:00 EST, so 8 Nov 00:30 EST is a new charge
    // (a window of 24 local hours would wrongly reach 01:00).
    let r = sim(&one_user(
        NEW_YORK,
        "2027-11-01",
        1,
        "autocad",
        &[
            ("2027-11-07T01:00", "2027-11-07T02:00"),
            ("2027-11-08T00:30", "2027-11-08T01:00"),
        ],
    ));
    assert_eq!(
        charge_times(&r),
        strs(&["2027-11-07T01:00:00-04:00", "2027-11-08T00:30:00-05:00"])
    );
}

// ---------------------------------------------------------------------------------------
// The period

#[test]
fn format_sessions_are_cut_to_the_period() {
    // Period March 2027 in Paris. A session from 28 Feb 22:00 is charged at 1 March 00:00.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-02-28T22:00", "2027-03-01T02:00")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-01T00:00:00+01:00"]));
    // A session into April keeps 31 Mar 23:54 → 1 Apr 00:00 = 6 minutes: charged.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-31T23:54", "2027-04-01T03:00")],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-03-31T23:54:00+02:00"]));
    // From 23:55 only 5 minutes are inside: nothing.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-31T23:55", "2027-04-01T03:00")],
    ));
    assert!(charges(&r).is_empty());
}

#[test]
fn format_the_period_runs_in_the_scenarios_time_zone() {
    // Team in Tokyo: March 2027 runs from 1 Mar 00:00 JST = 28 Feb 15:00 UTC. A London user
    // (UTC in winter) working 28 Feb 15:00–16:00 is inside; 14:00–14:30 is not.
    let mut s = one_user(
        "Asia/Tokyo",
        "2027-03-01",
        1,
        "autocad",
        &[
            ("2027-02-28T14:00", "2027-02-28T14:30"),
            ("2027-02-28T15:00", "2027-02-28T16:00"),
        ],
    );
    s["users"][0]["timezone"] = json!("Europe/London");
    let r = sim(&s);
    assert_eq!(charge_times(&r), strs(&["2027-02-28T15:00:00+00:00"]));
    assert_eq!(r["totals"]["by_month"]["2027-03"], 7);
}

#[test]
fn format_by_month_keys_are_calendar_months_in_the_scenarios_time_zone() {
    // §7: totals.by_month is keyed YYYY-MM in the scenario's time zone. A period from
    // 15 January for one month covers 15 Jan – 15 Feb; a charge on 3 February belongs to
    // "2027-02", one on 20 January to "2027-01".
    let r = sim(&one_user(
        PARIS,
        "2027-01-15",
        1,
        "autocad",
        &[
            ("2027-01-20T08:00", "2027-01-20T09:00"),
            ("2027-02-03T08:00", "2027-02-03T09:00"),
        ],
    ));
    assert_eq!(
        r["totals"]["by_month"]["2027-01"], 7,
        "by_month = {}",
        r["totals"]["by_month"]
    );
    assert_eq!(
        r["totals"]["by_month"]["2027-02"], 7,
        "by_month = {}",
        r["totals"]["by_month"]
    );
}

#[test]
fn format_by_month_uses_the_scenarios_zone_not_the_users() {
    // Team Paris, user Tokyo: 1 April 05:00 JST = 31 March 22:00 CEST: month "2027-03".
    let mut s = one_user(
        PARIS,
        "2027-03-01",
        2,
        "autocad",
        &[("2027-04-01T05:00", "2027-04-01T06:00")],
    );
    s["users"][0]["timezone"] = json!("Asia/Tokyo");
    let r = sim(&s);
    assert_eq!(r["totals"]["by_month"]["2027-03"], 7);
    assert!(r["totals"]["by_month"]
        .get("2027-04")
        .is_none_or(|v| v == 0));
}

#[test]
fn format_totals_by_user_product_and_month_add_up() {
    let r = sim(&spec_example());
    let sum = |v: &Value| {
        v.as_object()
            .unwrap()
            .values()
            .map(|x| x.as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum(&r["totals"]["by_user"]), total(&r));
    assert_eq!(sum(&r["totals"]["by_product"]), total(&r));
    assert_eq!(sum(&r["totals"]["by_month"]), total(&r));
    assert_eq!(charges(&r).iter().map(|c| c.3).sum::<u64>(), total(&r));
}

// ---------------------------------------------------------------------------------------
// Readings where SPEC leaves a choice (docs/rules.md lists them; docs/assumptions.md
// says which reading flexcalc takes). These pin the engine's reading.

#[test]
fn assumption_pattern_dates_are_the_periods_calendar_dates() {
    // A Sunday-night weekly session from the day before the period is not expanded, even
    // though its end lies inside the period (dates outside the period give no session).
    let r = sim(&pattern(
        json!({ "product": "autocad", "weekly": { "days": ["sun"], "from": "22:00", "to": "02:00" } }),
        "2027-03-01",
        1,
    ));
    // Sundays of March 2027: 7, 14, 21, 28 (not 28 February).
    assert_eq!(charge_times(&r)[0], "2027-03-07T22:00:00+01:00");
    assert_eq!(charges(&r).len(), 4);
}

#[test]
fn assumption_an_inactive_stretch_is_measured_whole_even_past_its_session() {
    // M2 measures the stretch as written: [07:00, 09:00) is 2 h of inactivity, so the product
    // is idle from 07:15 to 09:00; the session [08:00, 10:00) is in use from 09:00 only.
    let s = with_user(
        scenario(PARIS, "2027-03-01", 1),
        user(
            "u",
            vec![session_idle(
                "autocad",
                "2027-03-01T08:00",
                "2027-03-01T10:00",
                &[("2027-03-01T07:00", "2027-03-01T09:00")],
            )],
        ),
    );
    let r = sim(&s);
    assert_eq!(
        charge_times(&r),
        vec!["2027-03-01T09:00:00+01:00".to_string()]
    );
}

// ---------------------------------------------------------------------------------------
// Validation: every refusal names its JSON path

/// The SPEC example with a second user, "bob", whose first usage is weekly.
fn base() -> Value {
    let mut s = spec_example();
    s["users"].as_array_mut().unwrap().push(json!({
        "id": "bob",
        "usage": [ { "product": "autocad", "weekly": { "days": ["tue"], "from": "09:00", "to": "12:00" } } ]
    }));
    s
}

fn set(mut s: Value, pointer: &str, v: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = s
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"));
    match target {
        Value::Object(m) => {
            m.insert(key.to_string(), v);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = v,
        _ => panic!("{parent} is not a container"),
    }
    s
}

fn remove(mut s: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    s.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    s
}

#[track_caller]
fn refused_at(s: &Value, path: &str) -> String {
    let e = refused(s);
    assert!(!e.message.trim().is_empty(), "empty message at {path}");
    assert_eq!(e.path, path, "wrong path; message: {e}");
    e.to_string()
}

#[test]
fn format_base_scenario_for_refusals_is_valid() {
    sim(&base());
}

#[test]
fn format_the_spec_message_example_weekly_from_25_00() {
    let msg = refused_at(
        &set(base(), "/users/1/usage/0/weekly/from", json!("25:00")),
        "users[1].usage[0].weekly.from",
    );
    assert!(
        msg.starts_with(r#"users[1].usage[0].weekly.from: "25:00" is not a time of day"#),
        "{msg}"
    );
}

#[test]
fn format_refuses_a_bad_version_currency_zone_and_period() {
    refused_at(&set(base(), "/flexcalc", json!(2)), "flexcalc");
    refused_at(&set(base(), "/flexcalc", json!("1")), "flexcalc");
    refused_at(&set(base(), "/currency", json!("USD")), "currency");
    refused_at(&set(base(), "/currency", json!("eur")), "currency");
    refused_at(&set(base(), "/timezone", json!("Mars/Olympus")), "timezone");
    // Not an IANA zone, though jiff knows the name (found by review: it was read as UTC).
    refused_at(&set(base(), "/timezone", json!("Etc/Unknown")), "timezone");
    refused_at(
        &set(base(), "/period/start", json!("2027-02-29")),
        "period.start",
    );
    refused_at(
        &set(base(), "/period/start", json!("2027-1-1")),
        "period.start",
    );
    refused_at(
        &set(base(), "/period/start", json!("2027-01-01T00:00")),
        "period.start",
    );
    refused_at(&set(base(), "/period/months", json!(0)), "period.months");
    refused_at(&set(base(), "/period/months", json!(37)), "period.months");
    refused_at(&set(base(), "/period/months", json!(-1)), "period.months");
    refused_at(&set(base(), "/period/months", json!(1.5)), "period.months");
    refused_at(&set(base(), "/period", json!("2027")), "period");
}

#[test]
fn format_refuses_bad_packs() {
    refused_at(&set(base(), "/packs/0/tokens", json!(0)), "packs[0].tokens");
    refused_at(
        &set(base(), "/packs/0/tokens", json!(1_000_000_001u64)),
        "packs[0].tokens",
    );
    refused_at(
        &set(base(), "/packs/0/tokens", json!(1.5)),
        "packs[0].tokens",
    );
    refused_at(
        &set(base(), "/packs/0/tokens", json!(-5)),
        "packs[0].tokens",
    );
    refused_at(
        &set(base(), "/packs/0/tokens", json!("5000")),
        "packs[0].tokens",
    );
    refused_at(
        &set(base(), "/packs/0/purchased", json!("2027-13-01")),
        "packs[0].purchased",
    );
    let dup = set(
        base(),
        "/packs",
        json!([{ "id": "A", "purchased": "2027-01-01", "tokens": 5 }, { "id": "A", "purchased": "2027-02-01", "tokens": 5 }]),
    );
    refused_at(&dup, "packs[1].id");
    refused_at(
        &set(base(), "/low_balance_percent", json!(101)),
        "low_balance_percent",
    );
    refused_at(
        &set(base(), "/low_balance_percent", json!(-1)),
        "low_balance_percent",
    );
}

#[test]
fn format_accepts_the_limits_themselves() {
    sim(&set(base(), "/period/months", json!(36)));
    sim(&set(base(), "/period/months", json!(1)));
    sim(&set(base(), "/packs/0/tokens", json!(1_000_000_000u64)));
    sim(&set(base(), "/packs/0/tokens", json!(1)));
    sim(&set(base(), "/low_balance_percent", json!(0)));
    sim(&set(base(), "/low_balance_percent", json!(100)));
    sim(&set(base(), "/users/0/usage/2/monthly/days", json!(31)));
    sim(&set(base(), "/users/0/usage/2/monthly/days", json!(1)));
    sim(&set(base(), "/users/0/results/0/quantity", json!(1)));
    sim(&set(
        base(),
        "/users/0/subscriptions/0/to",
        json!("2027-01-01"),
    )); // from = to
    sim(&set(base(), "/users/0/usage/1/weekly/to", json!("23:59")));
    sim(&set(base(), "/users/0/usage/1/weekly/from", json!("00:00")));
}

#[test]
fn format_refuses_bad_offerings_and_subscriptions() {
    refused_at(
        &set(base(), "/offerings/1/id", json!("revit")),
        "offerings[1].id",
    );
    refused_at(
        &set(base(), "/offerings/0/covers/0", json!("revitt")),
        "offerings[0].covers[0]",
    );
    refused_at(
        &set(base(), "/offerings/0/annual", json!("3,000")),
        "offerings[0].annual",
    );
    refused_at(
        &set(base(), "/offerings/0/annual", json!(3000)),
        "offerings[0].annual",
    );
    refused_at(
        &set(base(), "/offerings/0/monthly", json!("-1.00")),
        "offerings[0].monthly",
    );
    refused_at(
        &set(base(), "/users/0/subscriptions/0/offering", json!("maya")),
        "users[0].subscriptions[0].offering",
    );
    let e = refused(&set(
        base(),
        "/users/0/subscriptions/0/to",
        json!("2026-12-31"),
    ));
    assert!(e.path.starts_with("users[0].subscriptions[0]"), "{e}");
    refused_at(
        &set(base(), "/users/0/subscriptions/0/from", json!("01/01/2027")),
        "users[0].subscriptions[0].from",
    );
}

#[test]
fn format_refuses_bad_users_and_usage() {
    refused_at(
        &set(base(), "/users/1/id", json!("priscilla")),
        "users[1].id",
    );
    refused_at(
        &set(base(), "/users/0/timezone", json!("Paris")),
        "users[0].timezone",
    );
    refused_at(
        &set(base(), "/users/0/usage/0/product", json!("autocat")),
        "users[0].usage[0].product",
    );
    refused_at(
        &set(base(), "/users/0/usage/0/product", json!("cfd-simple")),
        "users[0].usage[0].product",
    );
    refused_at(
        &set(
            base(),
            "/users/0/usage/0/sessions/0/end",
            json!("2027-01-04T07:00"),
        ),
        "users[0].usage[0].sessions[0].end",
    );
    refused_at(
        &set(
            base(),
            "/users/0/usage/0/sessions/0/end",
            json!("2027-01-04T08:00"),
        ),
        "users[0].usage[0].sessions[0].end",
    );
    refused_at(
        &set(
            base(),
            "/users/0/usage/0/sessions/0/start",
            json!("2027-01-04 08:00"),
        ),
        "users[0].usage[0].sessions[0].start",
    );
    refused_at(
        &set(
            base(),
            "/users/0/usage/0/sessions/0/start",
            json!("2027-01-04T24:00"),
        ),
        "users[0].usage[0].sessions[0].start",
    );
    let e = refused(&set(
        base(),
        "/users/0/usage/0/sessions/0/inactive/0/0",
        json!("noon"),
    ));
    assert!(
        e.path
            .starts_with("users[0].usage[0].sessions[0].inactive[0]"),
        "{e}"
    );
    refused_at(
        &set(base(), "/users/1/usage/0/weekly/days/0", json!("monday")),
        "users[1].usage[0].weekly.days[0]",
    );
    refused_at(
        &set(base(), "/users/1/usage/0/weekly/to", json!("9:00")),
        "users[1].usage[0].weekly.to",
    );
    refused_at(
        &set(base(), "/users/0/usage/2/monthly/days", json!(0)),
        "users[0].usage[2].monthly.days",
    );
    refused_at(
        &set(base(), "/users/0/usage/2/monthly/days", json!(32)),
        "users[0].usage[2].monthly.days",
    );
    refused_at(
        &set(base(), "/users/0/usage/2/monthly/from", json!("9am")),
        "users[0].usage[2].monthly.from",
    );
    refused_at(
        &set(base(), "/users/0/usage/2/months/0", json!(13)),
        "users[0].usage[2].months[0]",
    );
    refused_at(
        &set(base(), "/users/0/usage/2/months/1", json!(0)),
        "users[0].usage[2].months[1]",
    );
    refused_at(
        &set(
            base(),
            "/users/0/usage/3/dates/dates/0",
            json!("2027-02-29"),
        ),
        "users[0].usage[3].dates.dates[0]",
    );
    refused_at(
        &set(base(), "/users/0/usage/3/dates/to", json!("12h")),
        "users[0].usage[3].dates.to",
    );
    refused_at(
        &set(base(), "/users/0/usage/3/plugins/0", json!("nope")),
        "users[0].usage[3].plugins[0]",
    );
    refused_at(
        &set(base(), "/users/0/usage/1/except", json!(["tomorrow"])),
        "users[0].usage[1].except[0]",
    );
    refused_at(
        &set(base(), "/users/0/usage/3/idle_detection", json!("no")),
        "users[0].usage[3].idle_detection",
    );
}

#[test]
fn format_refuses_a_usage_entry_without_exactly_one_pattern() {
    refused_at(
        &set(base(), "/users/0/usage/1/sessions", json!([])),
        "users[0].usage[1]",
    );
    refused_at(
        &remove(base(), "/users/0/usage/1/weekly"),
        "users[0].usage[1]",
    );
}

#[test]
fn format_refuses_bad_results() {
    refused_at(
        &set(base(), "/users/0/results/0/quantity", json!(0)),
        "users[0].results[0].quantity",
    );
    refused_at(
        &set(base(), "/users/0/results/0/quantity", json!(2.5)),
        "users[0].results[0].quantity",
    );
    refused_at(
        &set(base(), "/users/0/results/0/quantity", json!(-1)),
        "users[0].results[0].quantity",
    );
    refused_at(
        &set(base(), "/users/0/results/0/service", json!("autocad")),
        "users[0].results[0].service",
    );
    refused_at(
        &set(base(), "/users/0/results/0/service", json!("render")),
        "users[0].results[0].service",
    );
    refused_at(
        &set(base(), "/users/0/results/0/at", json!("2027-02-01T25:00")),
        "users[0].results[0].at",
    );
}

#[test]
fn format_refuses_a_bad_price_book() {
    let pb = |v: Value| {
        let mut s = set(base(), "/currency", json!("USD"));
        s["price_book"] = v;
        s
    };
    let good = json!({ "currency": "USD", "minor_units": 2, "tiers": [ { "from": 1, "price": "3.00" }, { "from": 5000, "price": "2.93" } ], "packs": [500, 1000, 5000] });
    sim(&pb(good.clone()));
    refused_at(
        &pb(set(good.clone(), "/currency", json!("CAD"))),
        "price_book.currency",
    );
    refused_at(
        &pb(set(good.clone(), "/tiers/0/from", json!(2))),
        "price_book.tiers[0].from",
    );
    refused_at(
        &pb(set(good.clone(), "/tiers/1/from", json!(1))),
        "price_book.tiers[1].from",
    );
    refused_at(
        &pb(set(good.clone(), "/tiers/1/price", json!("3.01"))),
        "price_book.tiers[1].price",
    );
    refused_at(
        &pb(set(good.clone(), "/tiers/0/price", json!("three"))),
        "price_book.tiers[0].price",
    );
    refused_at(
        &pb(set(good.clone(), "/packs/0", json!(0))),
        "price_book.packs[0]",
    );
    refused_at(
        &pb(set(good.clone(), "/packs/1", json!(-5))),
        "price_book.packs[1]",
    );
    // Equal prices never rise: accepted.
    sim(&pb(set(good, "/tiers/1/price", json!("3.00"))));
}

#[test]
fn format_refuses_unknown_fields_everywhere_naming_them() {
    let cases: &[(&str, &str, &str)] = &[
        ("/packz", "packz", ""),
        ("/period/month", "month", "period"),
        ("/packs/0/size", "size", "packs[0]"),
        ("/users/0/usage/0/sesions", "sesions", "users[0].usage[0]"),
        (
            "/users/0/usage/0/sessions/0/inactiv",
            "inactiv",
            "users[0].usage[0].sessions[0]",
        ),
        (
            "/users/1/usage/0/weekly/day",
            "day",
            "users[1].usage[0].weekly",
        ),
        ("/users/0/results/0/qty", "qty", "users[0].results[0]"),
        (
            "/users/0/subscriptions/0/until",
            "until",
            "users[0].subscriptions[0]",
        ),
        ("/offerings/0/price", "price", "offerings[0]"),
        ("/catalog/products/0/rate", "rate", "catalog.products[0]"),
        ("/users/1/emails", "emails", "users[1]"),
    ];
    for &(pointer, field, path) in cases {
        let e = refused(&set(base(), pointer, json!(1)));
        assert!(e.to_string().contains(field), "{pointer}: {e}");
        assert!(
            e.path.starts_with(path),
            "{pointer}: path {:?} should start with {path:?}",
            e.path
        );
    }
}

#[test]
fn format_refuses_missing_fields_naming_them() {
    for (pointer, field) in [
        ("/currency", "currency"),
        ("/timezone", "timezone"),
        ("/period", "period"),
        ("/flexcalc", "flexcalc"),
        ("/users/0/usage/0/product", "product"),
        ("/packs/0/purchased", "purchased"),
        ("/users/0/results/0/at", "at"),
    ] {
        let e = refused(&remove(base(), pointer));
        assert!(e.to_string().contains(field), "{pointer}: {e}");
    }
}

#[test]
fn format_refuses_text_that_is_not_one_json_scenario() {
    for text in [
        "",
        "{",
        "[]",
        "null",
        "42",
        "{\"flexcalc\": 1",
        &format!("{SPEC_EXAMPLE} x"),
        "\u{feff}{}",
    ] {
        let e = refused_text(text);
        assert!(!e.to_string().trim().is_empty(), "{text:?}");
    }
    // A syntax error says where it is.
    let e = refused_text("{\n  \"flexcalc\": 1,\n  \"currency\" \"EUR\"\n}");
    assert!(e.to_string().contains("line 3"), "{e}");
}

#[test]
fn format_refuses_duplicate_keys() {
    // A key given twice would silently drop one value.
    let text = SPEC_EXAMPLE.replacen(
        "\"currency\": \"EUR\",",
        "\"currency\": \"EUR\", \"currency\": \"GBP\",",
        1,
    );
    let e = refused_text(&text);
    assert!(e.to_string().contains("currency"), "{e}");
}

#[test]
fn assumption_a_session_whose_gap_moved_start_passes_its_end_uses_nothing() {
    // 28 March 2027 in Paris: 02:30 (in the gap) moves to 03:30 CEST, after the end 03:15.
    // The session ends after it starts in local time, so it is accepted, and uses nothing.
    let r = sim(&one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-28T02:30", "2027-03-28T03:15")],
    ));
    assert!(charges(&r).is_empty());
}

#[test]
fn assumption_packs_null_reads_like_no_packs_field() {
    let mut s = one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T09:00")],
    );
    s["packs"] = Value::Null;
    let r = sim(&s);
    assert_eq!(charges(&r).len(), 1);
    assert!(r.get("order").is_some(), "null packs is an estimate");
}

#[test]
fn assumption_an_expiry_before_the_period_is_still_reported() {
    // A pack bought 2025-06-01 expired 2026-06-01, before the period (March 2027): its 40
    // tokens are reported lost at that instant; nothing is usable in March.
    let mut s = one_user(
        PARIS,
        "2027-03-01",
        1,
        "autocad",
        &[("2027-03-01T08:00", "2027-03-01T09:00")],
    );
    s["packs"] = json!([pack("old", "2025-06-01", 40)]);
    let r = sim(&s);
    assert_eq!(r["expirations"][0]["at"], "2026-06-01T00:00:00+02:00");
    assert_eq!(r["expirations"][0]["tokens"], 40);
    assert_eq!(pack_use(&r, "old"), (0, 40, 0));
    assert_eq!(denial_times(&r), strs(&["2027-03-01T08:00:00+01:00"]));
}

#[test]
fn assumption_a_period_from_the_31st_ends_on_the_last_day_of_the_shorter_month() {
    // "start + months months" from 31 January 2027: 28 February 2027 00:00.
    let r = sim(&one_user(
        PARIS,
        "2027-01-31",
        1,
        "autocad",
        &[
            ("2027-02-27T08:00", "2027-02-27T09:00"),
            ("2027-02-28T08:00", "2027-02-28T09:00"),
        ],
    ));
    assert_eq!(charge_times(&r), strs(&["2027-02-27T08:00:00+01:00"]));
    assert_eq!(r["totals"]["by_month"]["2027-02"], 7);
}
