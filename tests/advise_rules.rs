//! B2 and B3 on hand-worked teams, and `flexcalc advise` (SPEC §7) as a user runs it.
//! Every expected figure is worked out by hand from SPEC in the comments.

use std::io::Write;
use std::process::{Command, Stdio};

use flexcalc::engine::advise::advise_json;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn year(offerings: Value, users: Value) -> Value {
    json!({
        "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 12 },
        "offerings": offerings, "users": users
    })
}

fn advise_value(v: &Value) -> Value {
    let a = advise_json(&v.to_string()).expect("advises");
    serde_json::to_value(a).expect("serializes")
}

/// 2027 has 261 weekdays (it starts on a Friday: 52 weeks + that Friday).
/// `heavy` works Revit every weekday: 261 days, 2,610 tokens. `light` works 2 days a
/// month: 24 days, 240 tokens. Revit annual: €3,000.
/// - all-Flex: 2,850 tokens → 3,000 at €3.33 = €9,990.00;
/// - heavy on annual: €3,000 + 240 tokens → 500 at €3.33 = €1,665.00 → €4,665.00;
/// - both annual: €6,000.00; light alone: €3,000 + 2,610 → 3,000 tokens €9,990 = €12,990.
///
/// B2 at the all-Flex tier: d* = (3,000 ÷ 12) ÷ (10 × 3.33) = 7.5075 → 7.51 days a month;
/// heavy uses 261 ÷ 12 = 21.75 (subscription), light 24 ÷ 12 = 2 (flex).
#[test]
fn heavy_user_subscribes_light_user_stays_on_flex() {
    let s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "3000.00" }]),
        json!([
            { "id": "heavy", "usage": [ { "product": "revit", "weekly": { "days": ["mon","tue","wed","thu","fri"], "from": "09:00", "to": "17:00" } } ] },
            { "id": "light", "usage": [ { "product": "revit", "monthly": { "days": 2, "from": "09:00", "to": "12:00" } } ] }
        ]),
    );
    let a = advise_value(&s);
    assert_eq!(
        a["plan"]["subscriptions"],
        json!([{ "user": "heavy", "offering": "revit", "from": "2027-01-01", "to": "2027-12-31", "term": "annual", "price": "3000.00" }])
    );
    assert_eq!(a["plan"]["cost"]["subscriptions"], "3000.00");
    assert_eq!(a["plan"]["cost"]["tokens"], 240);
    assert_eq!(a["plan"]["cost"]["order"]["tokens"], 500);
    assert_eq!(a["plan"]["cost"]["total"], "4665.00");
    assert_eq!(a["all_flex"]["cost"]["tokens"], 2850);
    assert_eq!(a["all_flex"]["cost"]["total"], "9990.00");
    assert_eq!(a["all_subscription"]["cost"]["total"], "6000.00");
    assert_eq!(a["current"]["cost"]["total"], "9990.00");
    assert_eq!(
        a["saving"],
        json!({ "all_flex": "5325.00", "all_subscription": "1335.00", "current": "5325.00" })
    );
    assert_eq!(a["optimal"], true);
    assert_eq!(a["lower_bound"], "4665.00");
    assert_eq!(a["gap"], "0.00");
    let users = a["plan"]["users"].as_array().expect("users");
    assert_eq!(users[0]["flex_products"], json!([]));
    assert_eq!(users[0]["tokens"], 0);
    assert_eq!(users[1]["flex_products"], json!(["revit"]));
    assert_eq!(users[1]["tokens"], 240);
    let be = a["break_even"].as_array().expect("break_even");
    assert_eq!(be.len(), 2);
    assert_eq!(be[0]["offering"], "revit");
    assert_eq!(be[0]["unit_price"], "3.33");
    assert_eq!(be[0]["days_per_month"], 7.51);
    assert_eq!(be[0]["used_days_per_month"], 21.75);
    assert_eq!(be[0]["verdict"], "subscription");
    assert_eq!(be[1]["used_days_per_month"], 2.0);
    assert_eq!(be[1]["verdict"], "flex");
}

/// Revit only in March (23 weekdays) and April (22): 450 tokens on Flex → 500 at €3.33 =
/// €1,665.00; annual €3,000; monthly €380 for each month: €760.00 and no tokens. One month
/// monthly and the other on Flex: €380 + 500 tokens €1,665 = €2,045. The plan: March and
/// April, each from the 1st to the month's last day.
#[test]
fn seasonal_user_takes_monthly_subscriptions() {
    let s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "3000.00", "monthly": "380.00" }]),
        json!([{ "id": "spring", "usage": [ { "product": "revit", "months": [3, 4],
                  "weekly": { "days": ["mon","tue","wed","thu","fri"], "from": "09:00", "to": "17:00" } } ] }]),
    );
    let a = advise_value(&s);
    assert_eq!(a["all_flex"]["cost"]["tokens"], 450);
    assert_eq!(a["all_flex"]["cost"]["total"], "1665.00");
    assert_eq!(
        a["plan"]["subscriptions"],
        json!([
            { "user": "spring", "offering": "revit", "from": "2027-03-01", "to": "2027-03-31", "term": "monthly", "price": "380.00" },
            { "user": "spring", "offering": "revit", "from": "2027-04-01", "to": "2027-04-30", "term": "monthly", "price": "380.00" }
        ])
    );
    assert_eq!(a["plan"]["cost"]["tokens"], 0);
    assert_eq!(a["plan"]["cost"]["order"]["tokens"], 0);
    assert_eq!(a["plan"]["cost"]["total"], "760.00");
    assert_eq!(a["saving"]["all_flex"], "905.00");
    assert_eq!(a["saving"]["all_subscription"], "2240.00");
    // B2 compares with the annual price only: 45 days ÷ 12 = 3.75 < 7.51.
    assert_eq!(a["break_even"][0]["verdict"], "flex");
}

/// The tier couples the users (B3): 700 CFD complex solves (35 tokens each) burn 24,500
/// tokens; `r` burns 500 more on Revit (5 days a month for 10 months). All-Flex: 25,000
/// tokens at €3.00 = €75,000.00. With `r` on Revit annual (€1,000) the team needs 24,500
/// tokens, whose cheapest order is still 25,000 at €3.00 (24,500 at €3.08 would be
/// €75,460): €76,000.00. So `r` stays on Flex although B2, at the all-Flex tier, says a
/// subscription pays (d* = (1,000 ÷ 12) ÷ (10 × 3.00) = 2.78 < 50 ÷ 12 = 4.17).
#[test]
fn the_team_tier_can_keep_a_user_on_flex() {
    let s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "1000.00" }]),
        json!([
            { "id": "r", "usage": [ { "product": "revit", "months": [1,2,3,4,5,6,7,8,9,10],
                "monthly": { "days": 5, "from": "09:00", "to": "17:00" } } ] },
            { "id": "cfd", "results": [ { "service": "cfd-complex", "at": "2027-02-01T10:00", "quantity": 700 } ] }
        ]),
    );
    let a = advise_value(&s);
    assert_eq!(a["all_flex"]["cost"]["tokens"], 25000);
    assert_eq!(a["all_flex"]["cost"]["total"], "75000.00");
    assert_eq!(a["plan"]["subscriptions"], json!([]));
    assert_eq!(a["plan"]["cost"]["total"], "75000.00");
    assert_eq!(a["all_subscription"]["cost"]["tokens"], 24500);
    assert_eq!(a["all_subscription"]["cost"]["order"]["tokens"], 25000);
    assert_eq!(a["all_subscription"]["cost"]["total"], "76000.00");
    assert_eq!(a["break_even"][0]["days_per_month"], 2.78);
    assert_eq!(a["break_even"][0]["used_days_per_month"], 4.17);
    assert_eq!(a["break_even"][0]["verdict"], "subscription");
    assert_eq!(a["optimal"], true);
}

/// No offerings: the plan is all-Flex, proven; break-even has no offering to compare.
/// An offering covering nothing anyone uses is never chosen.
#[test]
fn without_useful_offerings_the_plan_is_all_flex() {
    let users = json!([{ "id": "a", "usage": [ { "product": "autocad", "dates": { "dates": ["2027-01-04"], "from": "09:00", "to": "17:00" } } ] }]);
    for offerings in [
        json!([]),
        json!([{ "id": "maya", "covers": ["maya"], "annual": "10.00", "monthly": "1.00" }]),
    ] {
        let a = advise_value(&year(offerings, users.clone()));
        assert_eq!(a["plan"]["subscriptions"], json!([]));
        assert_eq!(a["plan"]["cost"]["tokens"], 7);
        assert_eq!(a["plan"]["cost"]["total"], a["all_flex"]["cost"]["total"]);
        assert_eq!(
            a["all_subscription"]["cost"]["total"],
            a["all_flex"]["cost"]["total"]
        );
        assert_eq!(a["optimal"], true);
        assert_eq!(a["break_even"][0]["offering"], Value::Null);
        assert_eq!(a["break_even"][0]["days_per_month"], Value::Null);
        assert_eq!(a["break_even"][0]["verdict"], "flex");
    }
}

/// The scenario's own subscriptions are `current`, priced over the period: an annual one
/// at the annual price; the plan replaces them.
#[test]
fn current_subscriptions_are_priced_and_replaced() {
    let s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "3000.00" }]),
        json!([{ "id": "light", "subscriptions": [ { "offering": "revit", "from": "2027-01-01", "to": "2027-12-31" } ],
                 "usage": [ { "product": "revit", "monthly": { "days": 2, "from": "09:00", "to": "12:00" } } ] }]),
    );
    let a = advise_value(&s);
    assert_eq!(a["current"]["cost"]["subscriptions"], "3000.00");
    assert_eq!(a["current"]["cost"]["tokens"], 0);
    assert_eq!(a["current"]["subscriptions"][0]["term"], "annual");
    assert_eq!(a["plan"]["subscriptions"], json!([]));
    assert_eq!(a["plan"]["cost"]["total"], "1665.00");
    assert_eq!(a["saving"]["current"], "1335.00");
}

fn cli(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flexcalc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs flexcalc");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("writes");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("waits");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_prints_the_plan_and_refuses_bad_input_with_a_located_message() {
    let s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "3000.00" }]),
        json!([{ "id": "heavy", "usage": [ { "product": "revit", "weekly": { "days": ["mon","tue","wed","thu","fri"], "from": "09:00", "to": "17:00" } } ] }]),
    );
    let (code, out, err) = cli(&["advise", "-"], Some(&s.to_string()));
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON on standard output");
    for key in [
        "plan",
        "all_flex",
        "all_subscription",
        "current",
        "saving",
        "break_even",
        "lower_bound",
        "optimal",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["plan"]["cost"]["total"], "3000.00");
    // Same bytes on a second run.
    assert_eq!(cli(&["advise", "-"], Some(&s.to_string())).1, out);

    let mut bad = s.clone();
    bad["offerings"][0]["annual"] = json!("3.000,00");
    let (code, out, err) = cli(&["advise", "-"], Some(&bad.to_string()));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("offerings[0].annual"), "{err}");

    let mut bad = s.clone();
    bad["users"][0]["subscriptions"] =
        json!([{ "offering": "aec", "from": "2027-01-01", "to": "2027-12-31" }]);
    let (code, _, err) = cli(&["advise", "-"], Some(&bad.to_string()));
    assert_eq!(code, 2);
    assert!(err.contains("users[0].subscriptions[0].offering"), "{err}");

    let mut bad = s;
    bad["offerings"][0]["yearly"] = json!("1.00");
    let (code, _, err) = cli(&["advise", "-"], Some(&bad.to_string()));
    assert_eq!(code, 2);
    assert!(
        err.contains("offerings[0]") && err.contains("yearly"),
        "{err}"
    );

    let (code, _, err) = cli(&["advise", "/nonexistent/scenario.json"], None);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/scenario.json"), "{err}");
}

#[test]
fn break_even_formula() {
    // d* = (annual ÷ 12) ÷ (rate × unit price): checked against the JSON for two rates.
    let s = year(
        json!([{ "id": "acad", "covers": ["autocad"], "annual": "1980.00" }, { "id": "nav", "covers": ["navisworks"], "annual": "999.00" }]),
        json!([{ "id": "a", "usage": [
            { "product": "autocad", "dates": { "dates": ["2027-01-04", "2027-01-05"], "from": "09:00", "to": "17:00" } },
            { "product": "navisworks", "dates": { "dates": ["2027-01-04"], "from": "09:00", "to": "17:00" } } ] }]),
    );
    let a = advise_value(&s);
    // 23 tokens → 500 at €3.33. AutoCAD: 165 ÷ (7 × 3.33) = 7.0785… → 7.08.
    // Navisworks: 83.25 ÷ (9 × 3.33) = 2.7778 → 2.78.
    let be = a["break_even"].as_array().expect("list");
    assert_eq!(
        (be[0]["product"].as_str(), be[0]["days_per_month"].as_f64()),
        (Some("autocad"), Some(7.08))
    );
    assert_eq!(
        (be[1]["product"].as_str(), be[1]["days_per_month"].as_f64()),
        (Some("navisworks"), Some(2.78))
    );
    assert_eq!(be[0]["used_days_per_month"], 0.17);
    assert_eq!(d(be[0]["annual"].as_str().expect("annual")), d("1980"));
}

/// Extremes answer or refuse with a path, never panic: free offerings, 36 months of monthly
/// choices, a price beyond the advisor's exact range, a partner book with tiny prices.
#[test]
fn extremes_answer_or_refuse() {
    let users = json!([
        { "id": "a", "usage": [ { "product": "revit", "weekly": { "days": ["mon","fri"], "from": "20:00", "to": "04:00" } } ] },
        { "id": "b", "usage": [ { "product": "autocad", "monthly": { "days": 3, "from": "09:00", "to": "10:00" } } ] }
    ]);
    // A free collection: everyone takes it (less tokens for no money).
    let a = advise_value(&year(
        json!([{ "id": "free", "covers": ["revit", "autocad"], "annual": "0" }]),
        users.clone(),
    ));
    assert_eq!(a["plan"]["cost"]["tokens"], 0);
    assert_eq!(a["plan"]["subscriptions"].as_array().map(Vec::len), Some(2));
    assert_eq!(a["plan"]["cost"]["total"], "0.00");

    // 36 months, monthly prices: two annual payments (⌈36 ÷ 12⌉ = 3) against monthly ones.
    let mut s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "900.00", "monthly": "60.00" },
               { "id": "acad", "covers": ["autocad"], "annual": "500.00", "monthly": "45.00" }]),
        users.clone(),
    );
    s["period"]["months"] = json!(36);
    let a = advise_value(&s);
    assert_eq!(a["optimal"], true);
    for sub in a["plan"]["subscriptions"].as_array().expect("list") {
        if sub["term"] == "annual" {
            assert_eq!(sub["to"], "2029-12-31");
        }
    }

    // Beyond the exact range: refused, located.
    let err = advise_json(
        &year(
            json!([{ "id": "x", "covers": ["revit"], "annual": "999999999999999999999999" }]),
            users.clone(),
        )
        .to_string(),
    )
    .expect_err("refused");
    assert_eq!(err.path, "offerings[0].annual");

    // A partner book with 6 decimals and sub-cent prices.
    let mut s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "0.000123" }]),
        users,
    );
    s["currency"] = json!("XTS");
    s["price_book"] = json!({ "currency": "XTS", "minor_units": 6,
        "tiers": [ { "from": 1, "price": "0.000001" }, { "from": 7, "price": "0.0000005" } ], "packs": [1] });
    let a = advise_value(&s);
    assert_eq!(a["optimal"], true);
    assert!(
        d(a["plan"]["cost"]["total"].as_str().expect("total"))
            <= d(a["all_flex"]["cost"]["total"].as_str().expect("total"))
    );
}

/// The chart's lines: Flex at days × rate × unit price, the subscription at annual ÷ 12;
/// they cross at d* (7.51 days for Revit at €3.33 and €3,000 a year).
#[test]
fn break_even_chart_lines() {
    let s = year(
        json!([{ "id": "revit", "covers": ["revit"], "annual": "3000.00" }]),
        json!([{ "id": "light", "usage": [ { "product": "revit", "monthly": { "days": 2, "from": "09:00", "to": "12:00" } } ] }]),
    );
    let a = advise_json(&s.to_string()).expect("advises");
    let line = flexcalc::engine::advise::break_even_line(&a.break_even[0], 2, 10);
    assert_eq!(line.len(), 11);
    assert_eq!(line[7].flex, d("233.10"));
    assert_eq!(line[8].flex, d("266.40"));
    assert_eq!(line[0].subscription, Some(d("250.00")));
    assert!(line[7].flex < d("250") && line[8].flex > d("250"));
}

#[test]
fn flex_cost_is_the_tokens_at_the_break_evens_unit_price_rounded_by_p1() {
    use flexcalc::engine::advise::{flex_cost, BreakEven};
    use flexcalc::engine::catalog::Catalog;
    let b = BreakEven {
        user: "u".into(),
        product: "autocad".into(),
        offering: None,
        annual: None,
        tokens_per_day: 7,
        unit_price: "3.33".parse().unwrap(),
        days_per_month: None,
        used_days_per_month: 1.0,
        verdict: "flex".into(),
    };
    let eur = Catalog::builtin().book("EUR").unwrap();
    // 84 tokens × €3.33 = €279.72; JPY rounds to the yen, half away from zero.
    assert_eq!(flex_cost(eur, &b, 84).to_string(), "279.72");
    let jpy = Catalog::builtin().book("JPY").unwrap();
    let b = BreakEven {
        unit_price: "418.5".parse().unwrap(),
        ..b
    };
    assert_eq!(flex_cost(jpy, &b, 1).to_string(), "419");
    assert_eq!(flex_cost(jpy, &b, 0).to_string(), "0");
}
