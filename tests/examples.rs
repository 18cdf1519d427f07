//! The example scenarios in `examples/` do what their names claim.
//!
//! Every expected figure below is worked out by hand from SPEC (the working is in the
//! comments), not copied from the engine's output: a count of calendar days, the monthly
//! spread rule, 24 hours of elapsed time across a daylight-saving change, the order of
//! draw of the packs. The assertions read the report's JSON (SPEC §7), what a user sees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn example_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// The report of an example, as the CLI prints it.
fn report(name: &str) -> Value {
    let text = std::fs::read_to_string(example_path(name)).expect("example exists");
    let report = flexcalc::simulate_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&report.to_json()).expect("report is JSON")
}

fn list<'a>(r: &'a Value, key: &str) -> &'a Vec<Value> {
    r[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
}

/// `at` of every charge of one user and one product (or service), in report order.
fn charge_times(r: &Value, user: &str, item: &str) -> Vec<String> {
    list(r, "charges")
        .iter()
        .filter(|c| c["user"] == user && (c["product"] == item || c["service"] == item))
        .map(|c| c["at"].as_str().unwrap().to_string())
        .collect()
}

fn charges_of_user(r: &Value, user: &str) -> usize {
    list(r, "charges")
        .iter()
        .filter(|c| c["user"] == user)
        .count()
}

fn total(r: &Value, key: &str, id: &str) -> u64 {
    r["totals"][key][id]
        .as_u64()
        .unwrap_or_else(|| panic!("totals.{key}.{id}"))
}

fn by_month(r: &Value) -> BTreeMap<String, u64> {
    r["totals"]["by_month"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
    files.sort();
    files
}

#[test]
fn every_example_simulates_with_the_cli_exit_0_and_deterministic_output() {
    let files = examples();
    assert!(files.len() >= 3, "at least three examples, found {files:?}");
    for f in files {
        let run = || {
            Command::new(env!("CARGO_BIN_EXE_flexcalc"))
                .arg("simulate")
                .arg(&f)
                .output()
                .expect("flexcalc runs")
        };
        let (a, b) = (run(), run());
        assert_eq!(
            a.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&a.stderr)
        );
        assert!(
            a.stderr.is_empty(),
            "{}: no message on success",
            f.display()
        );
        assert_eq!(
            a.stdout,
            b.stdout,
            "{}: byte-for-byte deterministic",
            f.display()
        );
        let v: Value = serde_json::from_slice(&a.stdout).expect("JSON on stdout");
        assert!(
            v["totals"]["tokens"].as_u64().unwrap() > 0,
            "{}: burns tokens",
            f.display()
        );
        // The scenario's name says what the example shows.
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        assert!(
            scenario["name"].as_str().is_some_and(|n| n.len() > 40),
            "{}: a telling name",
            f.display()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Architecture studio, Paris 2027, estimate mode (no packs).

#[test]
fn studio_subscribed_users_burn_no_tokens_for_covered_products() {
    let r = report("architecture-studio.json");
    // M3: Claire holds Revit and AutoCAD subscriptions all year; Marc the AEC Collection,
    // which covers everything he opens. Only Claire's 3ds Max days cost tokens:
    // 3 dates × 6 tokens = 18.
    assert_eq!(total(&r, "by_user", "marc"), 0);
    assert_eq!(charges_of_user(&r, "marc"), 0);
    assert!(charge_times(&r, "claire", "revit").is_empty());
    assert!(charge_times(&r, "claire", "autocad").is_empty());
    assert_eq!(
        charge_times(&r, "claire", "3dsmax"),
        [
            "2027-03-10T10:00:00+01:00",
            "2027-06-16T10:00:00+02:00",
            "2027-10-06T10:00:00+02:00"
        ]
    );
    assert_eq!(total(&r, "by_user", "claire"), 18);
    // Covered products still appear in the totals, with zero tokens (they are used).
    assert_eq!(total(&r, "by_product", "navisworks"), 0);
    assert_eq!(total(&r, "by_product", "recap-pro"), 0);
}

#[test]
fn studio_weekly_user_with_a_plugin_and_a_months_filter() {
    let r = report("architecture-studio.json");
    // 2027 starts on a Friday, so it has 52 Wednesdays; August's are the 4th, 11th, 18th
    // and 25th, filtered out by `months`: 48 Wednesdays, one Revit charge at 09:00 each.
    let revit = charge_times(&r, "lea", "revit");
    assert_eq!(revit.len(), 48);
    assert!(revit
        .iter()
        .all(|t| t.starts_with("2027-") && &t[11..16] == "09:00"));
    assert!(!revit.iter().any(|t| t.starts_with("2027-08")));
    assert_eq!(revit[0], "2027-01-06T09:00:00+01:00");
    assert_eq!(revit[47], "2027-12-29T09:00:00+01:00");
    // Summer time from 28 March to 31 October: the offset follows, the local hour stays.
    assert!(revit.contains(&"2027-03-31T09:00:00+02:00".to_string()));
    // M5: the plug-in loaded at start-up is metered as its own product, same instants.
    assert_eq!(charge_times(&r, "lea", "render-plugin"), revit);
    assert_eq!(total(&r, "by_user", "lea"), 48 * 10 + 48 * 2);
}

#[test]
fn studio_monthly_spread_follows_the_rule() {
    let r = report("architecture-studio.json");
    // January 2027's working days W: 1, 4–8, 11–15, 18–22, 25–29 (|W| = 21); n = 4:
    // W[⌊(2i+1)·21/8⌋] = W[2], W[7], W[13], W[18] = 5, 12, 20, 27 January.
    let tom = charge_times(&r, "tom", "autocad");
    assert_eq!(
        tom[..4],
        [
            "2027-01-05T14:00:00+01:00",
            "2027-01-12T14:00:00+01:00",
            "2027-01-20T14:00:00+01:00",
            "2027-01-27T14:00:00+01:00"
        ]
    );
    // Four afternoons in each of the 12 months, 7 tokens each.
    assert_eq!(tom.len(), 48);
    assert_eq!(total(&r, "by_user", "tom"), 48 * 7);
}

#[test]
fn studio_idle_weekend_and_five_minute_look() {
    let r = report("architecture-studio.json");
    // Revit open from Friday 09:00 to Monday 12:00, inactive Friday 18:00 → Monday 09:00:
    // M2 idles it from 18:15, so use is Fri 09:00–18:15 and Mon 09:00–12:00 (the 10-minute
    // pause on Monday is too short to idle). Two charges, not four. The 5-minute session
    // of 18 May is within GRACE and costs nothing (M4).
    assert_eq!(
        charge_times(&r, "ines", "revit"),
        ["2027-04-09T09:00:00+02:00", "2027-04-12T09:00:00+02:00"]
    );
}

#[test]
fn studio_totals_and_cheapest_order() {
    let r = report("architecture-studio.json");
    // 18 (Claire) + 0 (Marc) + 576 (Léa) + 336 (Tom) + 20 (Inès) = 950 tokens.
    assert_eq!(r["totals"]["tokens"], 950);
    let months = by_month(&r);
    assert_eq!(months.len(), 12);
    // January: Léa's 4 Wednesdays × 12 + Tom's 4 afternoons × 7 = 76; August: Tom only.
    assert_eq!(months["2027-01"], 76);
    assert_eq!(months["2027-08"], 28);
    assert_eq!(months.values().sum::<u64>(), 950);
    // P3: 950 rounds up to 1,000 tokens at €3.33 (the 5,000 tier, €16,250, costs more).
    let order = &r["order"];
    assert_eq!(order["tokens_needed"], 950);
    assert_eq!(order["tokens"], 1000);
    assert_eq!(order["unit_price"], "3.33");
    assert_eq!(order["total"], "3330.00");
    assert_eq!(order["packs"], serde_json::json!([1000]));
    assert!(
        list(&r, "denials").is_empty(),
        "estimate mode denies nothing (M6)"
    );
}

// ---------------------------------------------------------------------------------------
// Media team, London 2027: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC.

#[test]
fn media_night_shift_charges_24_elapsed_hours_after_spring_forward() {
    let r = report("media-seasonal.json");
    let chloe = charge_times(&r, "chloe", "maya");
    // Friday, Saturday and Sunday nights 22:00–06:00 in March and October: 4 weekends in
    // March (5–7 … 26–28), 5 in October (1–3 … 29–31): 27 nights.
    assert_eq!(chloe.len(), 27);
    // Saturday 27 March 22:00 GMT opens a window to Sunday 22:00 UTC, which is 23:00 BST:
    // Sunday's shift (from 22:00 BST = 21:00 UTC) is inside it, so its charge waits till
    // the window ends (M4), one hour later on the clock.
    let i = chloe
        .iter()
        .position(|t| t.starts_with("2027-03-27"))
        .unwrap();
    assert_eq!(chloe[i], "2027-03-27T22:00:00+00:00");
    assert_eq!(chloe[i + 1], "2027-03-28T23:00:00+01:00");
    // In autumn the clock goes back: Saturday's window ends Sunday 21:00 GMT, before
    // Sunday's 22:00 shift, which is charged at 22:00 GMT.
    assert_eq!(chloe[25], "2027-10-30T22:00:00+01:00");
    assert_eq!(chloe[26], "2027-10-31T22:00:00+00:00");
    // Every other night is charged at 22:00 local.
    let at_22 = chloe.iter().filter(|t| &t[11..16] == "22:00").count();
    assert_eq!(at_22, 26);
    assert_eq!(total(&r, "by_user", "chloe"), 27 * 6);
}

#[test]
fn media_crunch_weekend_over_the_autumn_change() {
    let r = report("media-seasonal.json");
    let ben: Vec<String> = charge_times(&r, "ben", "maya")
        .into_iter()
        .filter(|t| ("2027-10-29".."2027-11-03").contains(&&t[..10]))
        .collect();
    // Friday: the weekly 09:30 BST. Saturday 10:00 BST (09:00 UTC) starts the crunch
    // session; 24 h later it is 09:00 GMT on Sunday (the clock went back at 02:00), and
    // again 09:00 GMT on Monday, where the session merges with Monday's routine (M1).
    // Tuesday's routine starts after that window: 09:30 GMT.
    assert_eq!(
        ben,
        [
            "2027-10-29T09:30:00+01:00",
            "2027-10-30T10:00:00+01:00",
            "2027-10-31T09:00:00+00:00",
            "2027-11-01T09:00:00+00:00",
            "2027-11-02T09:30:00+00:00"
        ]
    );
}

#[test]
fn media_seasonal_peaks_and_render_results() {
    let r = report("media-seasonal.json");
    // Ava: weekdays of March (23), April (22), October (21) and November (22), less Good
    // Friday and Easter Monday (26 and 29 March): 86 days of Flame at 18 tokens.
    let ava = charge_times(&r, "ava", "flame");
    assert_eq!(ava.len(), 86);
    assert!(ava.iter().all(|t| &t[11..16] == "10:00"));
    assert!(ava
        .iter()
        .all(|t| ["03", "04", "10", "11"].contains(&&t[5..7])));
    assert!(!ava
        .iter()
        .any(|t| t.starts_with("2027-03-26") || t.starts_with("2027-03-29")));
    assert_eq!(total(&r, "by_product", "flame"), 86 * 18);
    // Ben: weekdays of Feb (20), Mar (23), Apr (22), Sep (22), Oct (21), Nov (22) = 130,
    // plus the crunch Saturday and Sunday: 132 Maya days.
    assert_eq!(charge_times(&r, "ben", "maya").len(), 132);
    // M7: Flow wedging renders at 2 tokens per compute hour; the January 2028 one falls
    // outside the period and is left out.
    assert_eq!(
        charge_times(&r, "ben", "flow-wedging"),
        ["2027-03-24T19:00:00+00:00", "2027-10-28T20:00:00+01:00"]
    );
    assert_eq!(total(&r, "by_product", "flow-wedging"), 30 * 2 + 40 * 2);
    // Dev: five days in each of September, October, November at 6 tokens.
    assert_eq!(total(&r, "by_user", "dev"), 15 * 6);
    // Nothing in the quiet months.
    let months = by_month(&r);
    for quiet in [
        "2027-01", "2027-05", "2027-06", "2027-07", "2027-08", "2027-12",
    ] {
        assert_eq!(months[quiet], 0, "{quiet}");
    }
    // 1,548 + 932 + 162 + 90 = 2,732 tokens: P3 orders 3,000 at £2.94 = £8,820.00.
    assert_eq!(r["totals"]["tokens"], 2732);
    assert_eq!(r["order"]["tokens"], 3000);
    assert_eq!(r["order"]["unit_price"], "2.94");
    assert_eq!(r["order"]["total"], "8820.00");
}

// ---------------------------------------------------------------------------------------
// Manufacturing shop, Tokyo 2027, with packs.

fn pack<'a>(r: &'a Value, id: &str) -> &'a Value {
    list(r, "packs")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("pack {id}"))
}

#[test]
fn manufacturing_carried_pack_expires_with_what_january_left() {
    let r = report("manufacturing-run-dry.json");
    // January's charges all draw on the carried-in pack (earliest expiry, L2):
    // Sato's PowerMill on W[3], W[10], W[17] = 6, 15, 26 Jan: 3 × 47 = 141;
    // Suzuki's Netfabb on 20 Jan: 55; Tanaka's Fusion on 21 weekdays less 1 and 11 Jan:
    // 19 × 2 = 38; Kobayashi's PowerShape on W[5], W[15] = 8, 22 Jan: 2 × 17 = 34.
    // 141 + 55 + 38 + 34 = 268 used; 500 − 268 = 232 lost at 00:00 on 1 February (L1, L3).
    assert_eq!(by_month(&r)["2027-01"], 268);
    assert_eq!(
        list(&r, "expirations"),
        &vec![
            serde_json::json!({ "pack": "carry-over-2026", "at": "2027-02-01T00:00:00+09:00", "tokens": 232 })
        ]
    );
    let carry = pack(&r, "carry-over-2026");
    assert_eq!(
        (carry["used"].as_u64(), carry["expired"].as_u64()),
        (Some(268), Some(232))
    );
    assert_eq!(
        charge_times(&r, "sato", "powermill")[..3],
        [
            "2027-01-06T09:00:00+09:00",
            "2027-01-15T09:00:00+09:00",
            "2027-01-26T09:00:00+09:00"
        ]
    );
}

#[test]
fn manufacturing_same_day_packs_smaller_first_and_returnable_flags() {
    let r = report("manufacturing-run-dry.json");
    // L2: both January packs expire on 4 January 2028; the 500 is drawn first, from the
    // first charge of February (Tanaka's Fusion, 1 Feb), so it is past returning; the
    // 1,000 is untouched until the 500 is gone in March, after the return deadline of
    // 3 February (L5): it could still have been returned. The June pack waits until the
    // January ones run out in July, after its deadline of 1 July: returnable too.
    assert_eq!(pack(&r, "2027-A-500")["returnable"], false);
    assert_eq!(pack(&r, "2027-A-1000")["returnable"], true);
    assert_eq!(pack(&r, "2027-B")["returnable"], true);
    // February to June burn 266 + 304 + 272 + 266 + 274 = 1,382 < 1,500: the January
    // packs last into July, so nothing is denied before the June purchase either.
    for p in ["2027-A-500", "2027-A-1000"] {
        assert_eq!(
            pack(&r, p)["used"],
            if p.ends_with("500") { 500 } else { 1000 }
        );
    }
    // The books balance for every pack.
    let scenario: Value = serde_json::from_str(
        &std::fs::read_to_string(example_path("manufacturing-run-dry.json")).unwrap(),
    )
    .unwrap();
    for p in scenario["packs"].as_array().unwrap() {
        let rep = pack(&r, p["id"].as_str().unwrap());
        let sum = rep["used"].as_u64().unwrap()
            + rep["expired"].as_u64().unwrap()
            + rep["remaining"].as_u64().unwrap();
        assert_eq!(sum, p["tokens"].as_u64().unwrap(), "{}", p["id"]);
    }
}

#[test]
fn manufacturing_low_balance_alert_then_denials_before_year_end() {
    let r = report("manufacturing-run-dry.json");
    // L4: after 1 June the usable packs are the two January ones and the June one:
    // 2,500 tokens, 20 % = 500. One charge takes the balance below 500.
    let alerts = list(&r, "alerts");
    assert_eq!(alerts.len(), 1);
    let balance = alerts[0]["balance"].as_u64().unwrap();
    assert!(balance < 500, "{balance}");
    let at = alerts[0]["at"].as_str().unwrap();
    let alerting = list(&r, "charges")
        .iter()
        .find(|c| c["at"] == at)
        .expect("a charge raised it");
    assert!(
        balance + alerting["tokens"].as_u64().unwrap() >= 500,
        "crossed from at least 500"
    );
    assert!(at > "2027-06-01" && at < "2027-10-01", "{at}");

    // 268 + 1,500 + 1,000 = 2,768 usable tokens in the year; the charges take all but 1
    // (no rate is 1 token here), then everything is denied (M6).
    assert_eq!(r["totals"]["tokens"], 2767);
    assert_eq!(pack(&r, "2027-B")["remaining"], 1);
    let denials = list(&r, "denials");
    let first = denials[0]["at"].as_str().unwrap();
    assert!(
        first > "2027-10-01" && first < "2028",
        "dry before year end: {first}"
    );
    let last_charge = list(&r, "charges")
        .iter()
        .map(|c| c["at"].as_str().unwrap())
        .max()
        .unwrap();
    assert!(
        last_charge < first,
        "no charge goes through once the packs are dry"
    );
    let months = by_month(&r);
    assert_eq!((months["2027-11"], months["2027-12"]), (0, 0));
    for d in denials {
        assert_eq!(
            d["reason"],
            format!(
                "insufficient balance: 1 usable tokens, {} needed",
                d["tokens"]
            ),
            "{d}"
        );
    }
    // A per-result charge goes through the same gate (M7): December's complex CFD solve.
    assert!(denials
        .iter()
        .any(|d| d["service"] == "cfd-complex" && d["at"] == "2027-12-08T15:00:00+09:00"));
    // M6: a denial does not end the user's Flex use; the next session tries again. Sato's
    // December days, W[⌊(2i+1)·23/6⌋] = W[3], W[11], W[19] of December's 23 working days
    // (1–3, 6–10, 13–17, 20–24, 27–31) = 6, 16 and 28 December, are each denied once.
    let sato_dec: Vec<&str> = denials
        .iter()
        .filter(|d| d["user"] == "sato" && d["at"].as_str().unwrap().starts_with("2027-12"))
        .map(|d| d["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        sato_dec,
        [
            "2027-12-06T09:00:00+09:00",
            "2027-12-16T09:00:00+09:00",
            "2027-12-28T09:00:00+09:00"
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Reseller's own USD price book, Chicago, January–March 2027, estimate mode.

#[test]
fn partner_price_book_and_per_result_services() {
    let r = report("partner-price-book.json");
    // Maria: Fusion on every weekday, 21 + 20 + 23 = 64 days × 2 = 128 tokens; generative
    // design studies 4 × 11 + 6 × 11 = 110; two complex CFD solves 2 × 35 = 70.
    assert_eq!(total(&r, "by_product", "fusion"), 128);
    assert_eq!(total(&r, "by_product", "generative-design"), 110);
    assert_eq!(total(&r, "by_product", "cfd-complex"), 70);
    // Kenji: Inventor six days a month, 18 × 8 = 144; the scenario's own service at
    // 1 token an image, 300 images; 120 Validation Tool runs; Design Automation 15 h × 2.
    // The 5 hours on 1 April fall after the period and are left out (M7).
    assert_eq!(total(&r, "by_product", "inventor"), 144);
    assert_eq!(total(&r, "by_product", "cloud-render"), 300);
    assert_eq!(total(&r, "by_product", "validation-tool"), 120);
    assert_eq!(
        charge_times(&r, "kenji", "design-automation"),
        ["2027-03-31T22:00:00-05:00"],
        "US summer time from 14 March"
    );
    assert_eq!(total(&r, "by_product", "design-automation"), 30);
    let results: Vec<&Value> = list(&r, "charges")
        .iter()
        .filter(|c| c["kind"] == "result")
        .collect();
    assert_eq!(results.len(), 6);
    assert!(results
        .iter()
        .all(|c| c.get("product").is_none() && c["service"].is_string()));
    // January: 21 × 2 + 44 + 6 × 8 + 300 = 434.
    assert_eq!(by_month(&r)["2027-01"], 434);
    // 902 tokens; with this book's packs (250, 1,000, 5,000) the least orderable quantity
    // is 1,000 at the first tier, $3.10; 2,000 at $2.95 would cost $5,900.00.
    assert_eq!(r["totals"]["tokens"], 902);
    let order = &r["order"];
    assert_eq!(order["currency"], "USD");
    assert_eq!(order["tokens"], 1000);
    assert_eq!(order["packs"], serde_json::json!([1000]));
    assert_eq!(order["unit_price"], "3.10");
    assert_eq!(order["total"], "3100.00");
}
