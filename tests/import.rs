//! `engine::import` and `flexcalc import` (docs/import.md): each export format read from
//! the fixtures of tests/fixtures/import/, skipped lines with their numbers, unmatched
//! names, the replay simulated by the engine giving back the file's tokens exactly, the
//! forecast's patterns, the CLI's exit codes and messages, and a property test of the
//! replay on random exports.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use flexcalc::engine::import::{import, DateOrder, Format, Import, ImportOptions};
use flexcalc::{simulate, Catalog, Scenario};
use proptest::prelude::*;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_flexcalc");

fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap()
}

fn read(name: &str) -> Import {
    import(&fixture(name), &ImportOptions::default()).unwrap()
}

fn as_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// Tokens charged per (user id, product id) by simulating `s`.
fn charged(s: &Scenario) -> BTreeMap<(String, String), u64> {
    let report = simulate(s).expect("the imported scenario is valid");
    let mut out = BTreeMap::new();
    for c in report.charges() {
        let key = (
            report.user_ids[c.user as usize].clone(),
            report.item_id(c.item()).to_string(),
        );
        *out.entry(key).or_default() += c.tokens;
    }
    out
}

fn pairs(v: &[(&str, &str, u64)]) -> BTreeMap<(String, String), u64> {
    v.iter()
        .map(|(u, p, t)| ((u.to_string(), p.to_string()), *t))
        .collect()
}

#[test]
fn token_usage_2026_spellings_bom_semicolons_quotes_crlf_blank_lines() {
    let imp = read("token-usage-2026.csv");
    assert_eq!(imp.format, Format::TokenUsage);
    assert_eq!(
        imp.rows, 10,
        "blank lines are not rows; a quoted newline is one row"
    );
    assert_eq!(
        as_json(&imp.skipped),
        json!([{ "line": 11, "reason": "bad date \"2026-13-01\" in column \"Day used\"" }])
    );
    assert_eq!(
        as_json(&imp.unmatched),
        json!([{ "name": "Frobnicator Pro", "rows": 1, "tokens": 5 }])
    );
    assert_eq!(imp.extra_columns, ["Region"]);
    assert_eq!(
        as_json(&imp.history),
        json!({
            "tokens": 94,
            "by_product": { "Frobnicator Pro": 5, "autocad": 14, "navisworks": 18,
                            "powermill": 47, "revit": 10 },
            "by_month": { "2026-01": 24, "2026-02": 23, "2026-03": 47 }
        })
    );
    let s = imp.scenario.unwrap();
    assert_eq!(
        (s.period.start.as_str(), s.period.months),
        ("2026-01-01", 3)
    );
    assert_eq!(s.currency, "EUR");
    assert_eq!(s.timezone, "UTC");
    assert_eq!(
        s.name.as_deref(),
        Some("Studio Nord: Usage 2026-01 to 2026-03")
    );
    // The quoted field with `;` inside, and cy's 0-token launch: no day used, no user.
    let names: Vec<_> = s
        .users
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("ada@example.com", Some("Ada Lovelace")),
            ("bob@example.com", Some("Bob; the builder Smith"))
        ]
    );
    assert_eq!(
        charged(&s),
        pairs(&[
            ("ada@example.com", "autocad", 14),
            ("ada@example.com", "powermill", 47),
            ("ada@example.com", "revit", 10),
            ("bob@example.com", "navisworks", 18),
        ])
    );
}

#[test]
fn token_usage_old_spellings_personal_data_off_day_first_dates() {
    let imp = read("token-usage-old.csv");
    assert_eq!(imp.format, Format::TokenUsage);
    assert_eq!(imp.rows, 6);
    assert_eq!(
        as_json(&imp.skipped),
        json!([{ "line": 6, "reason": "no user (e-mail, Autodesk ID and name are all empty or masked)" }])
    );
    assert!(imp.unmatched.is_empty());
    assert_eq!(imp.extra_columns, ["cost_center"]);
    assert_eq!(
        as_json(&imp.history),
        json!({ "tokens": 48, "by_product": { "civil3d": 18, "revit": 30 },
                "by_month": { "2026-01": 38, "2026-02": 10 } })
    );
    let s = imp.scenario.unwrap();
    let ids: Vec<_> = s.users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["h-aaa", "h-bbb"], "the hashed ids tell users apart");
    assert!(s.users.iter().all(|u| u.name.is_none()), "***** is no name");
    let revit = &s.users[1].usage[0];
    assert_eq!(
        revit.dates.as_ref().unwrap().dates,
        ["2026-01-14", "2026-01-15", "2026-02-01"],
        "13/01/2026 settles the order: day first"
    );
    assert_eq!(
        charged(&s),
        pairs(&[("h-aaa", "civil3d", 18), ("h-bbb", "revit", 30)])
    );
}

#[test]
fn forecast_takes_the_average_days_a_month_rounded_half_up() {
    let options = ImportOptions {
        forecast: Some(6),
        currency: "GBP".into(),
        timezone: "Europe/London".into(),
        ..Default::default()
    };
    let imp = import(&fixture("token-usage-old.csv"), &options).unwrap();
    let s = imp.scenario.unwrap();
    assert_eq!(
        (s.period.start.as_str(), s.period.months),
        ("2026-03-01", 6)
    );
    assert_eq!(
        (s.currency.as_str(), s.timezone.as_str()),
        ("GBP", "Europe/London")
    );
    let got: Vec<_> = s
        .users
        .iter()
        .flat_map(|u| {
            u.usage.iter().map(move |x| {
                (
                    u.id.as_str(),
                    x.product.as_str(),
                    x.monthly.as_ref().unwrap().days,
                )
            })
        })
        .collect();
    // 2 days over 2 months: 1 a month; 3 days over 2 months: 1.5, rounded up to 2.
    assert_eq!(got, [("h-aaa", "civil3d", 1), ("h-bbb", "revit", 2)]);
    // Ready to simulate: 6 months of 1 and 2 days.
    assert_eq!(
        charged(&s),
        pairs(&[("h-aaa", "civil3d", 6 * 9), ("h-bbb", "revit", 6 * 2 * 10)])
    );
}

#[test]
fn seat_usage() {
    let imp = read("seat-usage.csv");
    assert_eq!(imp.format, Format::SeatUsage);
    assert_eq!(imp.rows, 5);
    assert_eq!(
        as_json(&imp.skipped),
        json!([{ "line": 6, "reason": "no date (column \"Day used\" is empty)" }])
    );
    assert_eq!(
        as_json(&imp.unmatched),
        json!([{ "name": "Alias AutoStudio", "rows": 1, "tokens": 0 }])
    );
    assert_eq!(imp.extra_columns, ["Version"]);
    assert_eq!(as_json(&imp.history)["tokens"], json!(0));
    let s = imp.scenario.unwrap();
    // Two versions the same day: one day.
    assert_eq!(
        charged(&s),
        pairs(&[
            ("ada@example.com", "autocad", 7),
            ("ada@example.com", "inventor", 8)
        ])
    );
}

#[test]
fn usage_report_becomes_monthly_patterns() {
    let imp = read("usage-report.csv");
    assert_eq!(imp.format, Format::UsageReport);
    assert!(imp.skipped.is_empty());
    assert_eq!(
        as_json(&imp.unmatched),
        json!([{ "name": "Unknown Tool", "rows": 1, "tokens": 0 }])
    );
    let s = imp.scenario.unwrap();
    assert_eq!(
        (s.period.start.as_str(), s.period.months),
        ("2026-04-01", 12)
    );
    assert_eq!(s.users.len(), 1, "Bob used nothing the catalog knows");
    let days: Vec<_> = s.users[0]
        .usage
        .iter()
        .map(|u| (u.product.as_str(), u.monthly.as_ref().unwrap().days))
        .collect();
    // 0.3 a month is at least 1; 2.5 rounds half up to 3.
    assert_eq!(days, [("autocad", 1), ("revit", 3)]);
    simulate(&s).unwrap();

    let later = ImportOptions {
        forecast: Some(3),
        start: Some("2027-01-01".into()),
        ..Default::default()
    };
    let s = import(&fixture("usage-report.csv"), &later)
        .unwrap()
        .scenario
        .unwrap();
    assert_eq!(
        (s.period.start.as_str(), s.period.months),
        ("2027-01-01", 3)
    );
}

#[test]
fn token_flex_trailing_commas_decimals_and_na() {
    let imp = read("token-flex.csv");
    assert_eq!(imp.format, Format::TokenFlex);
    assert_eq!(imp.rows, 5);
    assert!(imp.skipped.is_empty());
    assert!(
        imp.extra_columns.is_empty(),
        "the trailing comma's empty column is no column"
    );
    assert_eq!(
        as_json(&imp.unmatched),
        json!([
            { "name": "Autodesk 360 Rendering", "rows": 1, "tokens": "3.0" },
            { "name": "N/A", "rows": 1, "tokens": "-5" }
        ])
    );
    assert_eq!(
        as_json(&imp.history),
        json!({
            "tokens": "27.75",
            "by_product": { "Autodesk 360 Rendering": "3.0", "N/A": "-5", "autocad": "7",
                            "civil3d": "12.5", "revit": "10.25" },
            "by_month": { "2016-01": "25.75", "2016-02": "2" }
        })
    );
    assert!(imp.scenario.is_none(), "no users, no scenario");
}

#[test]
fn token_flex_tokens_by_category_product_and_month_and_todays_cost() {
    let imp = read("token-flex.csv");
    assert_eq!(
        as_json(&imp.by_category),
        json!([
            { "category": "CLOUD_SERVICE", "product": "Autodesk 360 Rendering", "month": "2016-01", "tokens": "3.0" },
            { "category": "DESKTOP_PRODUCT", "product": "autocad", "month": "2016-02", "tokens": "7" },
            { "category": "DESKTOP_PRODUCT", "product": "civil3d", "month": "2016-01", "tokens": "12.5" },
            { "category": "DESKTOP_PRODUCT", "product": "revit", "month": "2016-01", "tokens": "10.25" },
            { "category": "MANUAL_ADJUSTMENT", "product": "N/A", "month": "2016-02", "tokens": "-5" }
        ])
    );
    // The history split, nothing lost: the same tokens by product and by month.
    let mut by_product: BTreeMap<&str, rust_decimal::Decimal> = BTreeMap::new();
    let mut by_month: BTreeMap<&str, rust_decimal::Decimal> = BTreeMap::new();
    for c in &imp.by_category {
        *by_product.entry(&c.product).or_default() += c.tokens.value;
        *by_month.entry(&c.month).or_default() += c.tokens.value;
    }
    let values = |m: &BTreeMap<String, flexcalc::engine::import::Tokens>| {
        m.iter()
            .map(|(k, v)| (k.clone(), v.value))
            .collect::<BTreeMap<_, _>>()
    };
    let owned = |m: BTreeMap<&str, rust_decimal::Decimal>| {
        m.into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(owned(by_product), values(&imp.history.by_product));
    assert_eq!(owned(by_month), values(&imp.history.by_month));

    // Two rows of one category, product and month are one amount; a row without a
    // category has an empty one; other formats have none.
    let csv = "usageCategory,usageDate,productName,tokensConsumed\n\
               CLOUD_PRODUCT,2016-03-01,AutoCAD,2\n\
               CLOUD_PRODUCT,2016-03-09,AutoCAD,3\n\
               ,2016-03-10,AutoCAD,1\n";
    let imp = import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(
        as_json(&imp.by_category),
        json!([
            { "category": "", "product": "autocad", "month": "2016-03", "tokens": 1 },
            { "category": "CLOUD_PRODUCT", "product": "autocad", "month": "2016-03", "tokens": 5 }
        ])
    );
    assert!(read("token-usage-2026.csv").by_category.is_empty());

    // Today's Flex at the chosen book: the matched products' 29.75 tokens, a whole 30
    // ordered (P3); the unmatched names stay listed beside it.
    let options = ImportOptions {
        currency: "GBP".into(),
        ..Default::default()
    };
    let r = flexcalc::engine::import::review(&fixture("token-flex.csv"), &options).unwrap();
    assert_eq!(r.matched_tokens, 30);
    let book = Catalog::builtin().book("GBP").unwrap();
    assert_eq!(r.order, flexcalc::engine::price::cheapest_order(book, 30));
    assert_eq!(r.import.unmatched.len(), 2);
    assert!(r.reconciliation.is_empty());
    // The import carries the same (the CLI's JSON), at the options' currency; other
    // formats carry none.
    let cost = r.import.cost.as_ref().unwrap();
    assert_eq!((cost.tokens, &cost.order), (30, &r.order));
    assert_eq!(read("token-flex.csv").cost.unwrap().order.currency, "EUR");
    assert!(read("token-usage-2026.csv").cost.is_none());
}

#[test]
fn sessions_are_replayed_as_they_were() {
    let imp = read("sessions.csv");
    assert_eq!(imp.format, Format::Sessions);
    assert_eq!(
        as_json(&imp.skipped),
        json!([{ "line": 5, "reason": "the session ends before it starts" }])
    );
    let s = imp.scenario.unwrap();
    // SPEC's seed example (Monday 08:00-17:00, Tuesday 07:00-17:00: 14 tokens); a
    // 3-minute Revit session is inside the grace: nothing.
    assert_eq!(charged(&s), pairs(&[("ada@example.com", "autocad", 14)]));
}

#[test]
fn sessions_keep_their_inactive_stretches() {
    // `;`-delimited, day-first, CRLF: stretches as date-times or times of day alone,
    // several in one field (`;` quoted, or `|`), one past midnight.
    let imp = read("sessions-inactive.csv");
    assert_eq!(imp.format, Format::Sessions);
    assert!(imp.extra_columns.is_empty(), "{:?}", imp.extra_columns);
    assert_eq!(
        as_json(&imp.skipped),
        json!([
            { "line": 5, "reason": "inactive stretch \"08:00/09:30\" is outside the session" },
            { "line": 6, "reason": "inactive stretch \"about lunch\" does not read as START/END (e.g. 2026-01-05 12:00/2026-01-05 13:00, or 12:00/13:00)" }
        ])
    );
    let s = imp.scenario.clone().unwrap();
    let sessions = |user: usize| as_json(&s.users[user].usage[0].sessions);
    assert_eq!(
        sessions(0),
        json!([
            { "start": "2026-01-13T08:00", "end": "2026-01-13T17:00",
              "inactive": [["2026-01-13T12:00", "2026-01-13T13:00"]] },
            // 07:30:30 rounded up; 16:57-16:57:40 is no whole minute once rounded.
            { "start": "2026-01-14T07:00", "end": "2026-01-14T17:00",
              "inactive": [["2026-01-14T07:31", "2026-01-14T16:55"]] }
        ])
    );
    assert_eq!(
        sessions(1),
        json!([
            { "start": "2026-01-15T22:00", "end": "2026-01-16T02:00",
              "inactive": [["2026-01-15T23:00", "2026-01-16T00:30"], ["2026-01-16T01:00", "2026-01-16T01:45"]] },
            { "start": "2026-01-19T09:00", "end": "2026-01-19T10:00" }
        ])
    );
    // M2 then M4: Tuesday's use is 07:00-07:46 (inside Monday's window) and 16:55-17:00
    // (within the grace): Ada's AutoCAD costs one day, not the two of the same sessions
    // without their stretches (sessions.csv, 14 tokens).
    let revit = Catalog::builtin().product("revit").unwrap().tokens_per_day;
    assert_eq!(
        charged(&s),
        pairs(&[
            ("ada@example.com", "autocad", 7),
            ("bob@example.com", "revit", 2 * revit)
        ])
    );
}

#[test]
fn progress_is_heard_as_the_rows_are_read_and_ends_at_the_whole_file() {
    use flexcalc::engine::import::import_with_progress;
    // 100,000 rows: the reader says how far it is every 32,768 records, in bytes.
    let mut csv = String::from("email,product_name,day_used,tokens_used\n");
    for i in 0..100_000 {
        csv.push_str(&format!(
            "u{}@example.com,Revit,2026-01-{:02},10\n",
            i % 50,
            1 + i % 28
        ));
    }
    let mut heard = Vec::new();
    let options = ImportOptions::default();
    let imp = import_with_progress(csv.as_bytes(), &options, &mut |done, total| {
        heard.push((done, total))
    })
    .unwrap();
    assert_eq!(imp.rows, 100_000);
    let len = csv.len() as u64;
    assert_eq!(heard.len(), 4, "{heard:?}");
    assert!(heard.iter().all(|&(_, total)| total == len));
    assert!(heard.windows(2).all(|w| w[0].0 < w[1].0), "{heard:?}");
    assert_eq!(heard.last(), Some(&(len, len)));
    // The same answer as without a listener.
    assert_eq!(imp, import(csv.as_bytes(), &options).unwrap());
    // A worksheet counts its rows.
    let mut heard = Vec::new();
    import_with_progress(&fixture("token-usage.xlsx"), &options, &mut |d, t| {
        heard.push((d, t))
    })
    .unwrap();
    assert!(
        matches!(heard.last(), Some(&(d, t)) if d == t && t > 0),
        "{heard:?}"
    );
}

#[test]
fn xlsx_first_sheet_with_excel_dates() {
    // tests/fixtures/import/make_xlsx.py wrote it: a title row, a blank row, then the
    // header; dates are Excel serials (one with a time), one amount has decimals.
    let imp = read("token-usage.xlsx");
    assert_eq!(imp.format, Format::TokenUsage);
    assert_eq!(imp.rows, 4);
    assert_eq!(
        as_json(&imp.skipped),
        json!([{ "line": 1, "reason": "before the header row" }])
    );
    assert_eq!(imp.extra_columns, ["Cost centre"]);
    assert_eq!(
        as_json(&imp.history),
        json!({ "tokens": "25.5",
                "by_product": { "Unknown Tool": "2.5", "autocad": "14", "navisworks": "9" },
                "by_month": { "2026-01": "14", "2026-02": "11.5" } })
    );
    let s = imp.scenario.unwrap();
    assert_eq!(
        charged(&s),
        pairs(&[
            ("ada@example.com", "autocad", 14),
            ("bob@example.com", "navisworks", 9)
        ])
    );
    let e = import(b"PK\x03\x04 not really a zip", &ImportOptions::default()).unwrap_err();
    assert!(e.message.contains("XLSX"), "{e}");
    let e = import(b"\xD0\xCF\x11\xE0 old xls", &ImportOptions::default()).unwrap_err();
    assert!(e.message.contains(".xls"), "{e}");
}

#[test]
fn insights_api_field_names_read_as_token_usage() {
    // SPEC's public facts: productName, usageDate (UTC), tokens, emailAddress, userName,
    // fullName, totalUniqueDays.
    let text = "productName,usageDate,tokens,emailAddress,userName,fullName,totalUniqueDays\n\
                Revit,2026-04-01T00:00:00Z,10,ada@example.com,ada,Ada Lovelace,2\n\
                Revit,2026-04-02T00:00:00Z,10,ada@example.com,ada,Ada Lovelace,2\n";
    let imp = import(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imp.format, Format::TokenUsage);
    assert_eq!(imp.extra_columns, ["fullName", "totalUniqueDays"]);
    let s = imp.scenario.unwrap();
    assert_eq!(charged(&s), pairs(&[("ada@example.com", "revit", 20)]));
}

#[test]
fn a_replay_keeps_the_latest_36_months_and_lists_the_rest() {
    let text = "Email,Product,Day used,Tokens used\n\
                a@x,AutoCAD,2022-12-31,7\n\
                a@x,AutoCAD,2023-01-02,7\n\
                a@x,AutoCAD,2025-12-01,7\n";
    let imp = import(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imp.skipped.len(), 1);
    assert_eq!(imp.skipped[0].line, 2);
    assert!(
        imp.skipped[0].reason.starts_with("before 2023-01-01"),
        "{:?}",
        imp.skipped
    );
    assert_eq!(as_json(&imp.history)["tokens"], json!(14));
    let s = imp.scenario.unwrap();
    assert_eq!(
        (s.period.start.as_str(), s.period.months),
        ("2023-01-01", 36)
    );
    assert_eq!(charged(&s), pairs(&[("a@x", "autocad", 14)]));
}

#[test]
fn date_order_is_decided_by_the_file_or_asked_for() {
    let e = import(&fixture("ambiguous-dates.csv"), &ImportOptions::default()).unwrap_err();
    assert_eq!((e.line, e.column), (2, 3));
    assert!(e.message.contains("--date-order"), "{e}");
    for (order, first) in [
        (DateOrder::Dmy, "2026-02-01"),
        (DateOrder::Mdy, "2026-01-02"),
    ] {
        let options = ImportOptions {
            date_order: Some(order),
            ..Default::default()
        };
        let s = import(&fixture("ambiguous-dates.csv"), &options)
            .unwrap()
            .scenario
            .unwrap();
        assert_eq!(s.users[0].usage[0].dates.as_ref().unwrap().dates[0], first);
    }
    let mixed =
        b"Email,Product,Day used,Tokens used\na,AutoCAD,13/01/2026,7\na,AutoCAD,01/13/2026,7\n";
    let e = import(mixed, &ImportOptions::default()).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("both day first"), "{e}");
}

#[test]
fn unreadable_files_are_located() {
    let e = import(&fixture("not-utf8.csv"), &ImportOptions::default()).unwrap_err();
    assert_eq!((e.line, e.column), (3, 2));
    assert!(e.message.contains("UTF-8"));
    let e = import(&fixture("no-header.csv"), &ImportOptions::default()).unwrap_err();
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("header"));
    let e = import(b"", &ImportOptions::default()).unwrap_err();
    assert!(e.message.contains("header"));
    // A named format whose columns are not there.
    let forced = ImportOptions {
        format: Some(Format::Sessions),
        ..Default::default()
    };
    assert!(import(&fixture("seat-usage.csv"), &forced).is_err());
}

#[test]
fn a_forced_format_reads_what_auto_would_not_pick() {
    // A token-usage file read as seat usage: its days, not its tokens.
    let options = ImportOptions {
        format: Some(Format::SeatUsage),
        ..Default::default()
    };
    let imp = import(&fixture("token-usage-old.csv"), &options).unwrap();
    assert_eq!(imp.format, Format::SeatUsage);
    assert_eq!(
        imp.extra_columns,
        ["feature", "tokens_used", "usage_type", "cost_center"]
    );
}

/// A token-usage export of `days` for one user and product (tokens = the daily rate).
fn export(product: &str, days: &[String]) -> Vec<u8> {
    let rate = Catalog::builtin().product(product).unwrap().tokens_per_day;
    let mut out = String::from("email,product_name,day_used,tokens_used\n");
    for d in days {
        out.push_str(&format!("u@example.com,{product},{d},{rate}\n"));
    }
    out.into_bytes()
}

fn every_day(from: &str, n: i64) -> Vec<String> {
    let start: jiff::civil::Date = from.parse().unwrap();
    (0..n)
        .map(|i| {
            start
                .checked_add(jiff::Span::new().days(i))
                .unwrap()
                .to_string()
        })
        .collect()
}

/// M4: a session at the same local time every day opens a window that ends when the
/// next day's starts (or, past a spring-forward night, an hour into it): each imported
/// day is exactly one charge, daylight saving or not.
#[test]
fn replay_charges_each_day_once_across_clock_changes() {
    for zone in [
        "UTC",
        "Europe/Paris",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Tokyo",
    ] {
        let mut days = every_day("2026-03-01", 61);
        days.extend(every_day("2026-09-25", 50));
        let options = ImportOptions {
            timezone: zone.into(),
            ..Default::default()
        };
        let s = import(&export("autocad", &days), &options)
            .unwrap()
            .scenario
            .unwrap();
        let report = simulate(&s).unwrap();
        assert_eq!(report.charges().len(), days.len(), "{zone}");
        assert_eq!(report.totals.tokens, 7 * days.len() as u64, "{zone}");
    }
}

fn cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(b) = stdin {
            pipe.write_all(b).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cli_import_writes_the_json_contract() {
    let o = cli(&["import", &fixture_path("token-usage-2026.csv")], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = [
        "format",
        "rows",
        "skipped",
        "unmatched",
        "extra_columns",
        "history",
        "scenario",
    ];
    want.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, want);
    assert_eq!(v["format"], "token-usage");
    // The scenario simulates through the CLI too.
    let sc = serde_json::to_vec(&v["scenario"]).unwrap();
    let o = cli(&["simulate", "-"], Some(&sc));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["totals"]["tokens"], 89);

    // Standard input, flags, deterministic output.
    let args = [
        "import",
        "-",
        "--format",
        "token-usage",
        "--currency",
        "JPY",
        "--timezone",
        "Asia/Tokyo",
        "--forecast",
        "12",
        "--date-order",
        "dmy",
    ];
    let a = cli(&args, Some(&fixture("token-usage-old.csv")));
    let b = cli(&args, Some(&fixture("token-usage-old.csv")));
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let v: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["scenario"]["currency"], "JPY");
    assert_eq!(
        v["scenario"]["period"],
        json!({ "start": "2026-03-01", "months": 12 })
    );

    let o = cli(&["import", &fixture_path("token-flex.csv")], None);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scenario"], Value::Null);
    // A Token Flex export adds its tokens by category after the contract's fields.
    assert_eq!(v["by_category"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["by_category"][0]["category"], "CLOUD_SERVICE");
    // And what its matched tokens would cost today, at --currency's book.
    let o = cli(
        &[
            "import",
            &fixture_path("token-flex.csv"),
            "--currency",
            "JPY",
        ],
        None,
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cost"]["tokens"], 30);
    assert_eq!(v["cost"]["order"]["currency"], "JPY");
    assert_eq!(v["cost"]["order"]["tokens_needed"], 30);
}

#[test]
fn cli_import_exit_2_with_located_messages() {
    for (file, want) in [
        (
            "not-utf8.csv",
            "not-utf8.csv: line 3, column 2: the file is not UTF-8",
        ),
        (
            "no-header.csv",
            "no-header.csv: line 1, column 1: no recognisable header",
        ),
        (
            "ambiguous-dates.csv",
            "ambiguous-dates.csv: line 2, column 3: ",
        ),
    ] {
        let o = cli(&["import", &fixture_path(file)], None);
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(stderr(&o).contains(want), "{file}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
    let f = fixture_path("token-usage-old.csv");
    for (args, want) in [
        (vec!["import"], "FILE is missing"),
        (vec!["import", &f, "--format", "xlsx"], "--format: \"xlsx\""),
        (vec!["import", &f, "--forecast", "0"], "--forecast"),
        (vec!["import", &f, "--forecast"], "--forecast needs a value"),
        (vec!["import", &f, "--currency", "USD"], "currency: \"USD\""),
        (vec!["import", &f, "--timezone", "Mars/Olympus"], "timezone"),
        (vec!["import", &f, "--date-order", "ymd"], "--date-order"),
        (vec!["import", &f, "--summary"], "unknown argument"),
        (
            vec!["import", "/nonexistent/file.csv"],
            "/nonexistent/file.csv",
        ),
    ] {
        let o = cli(&args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

/// Catalog products and the spellings an export may give them.
const SPELLINGS: &[(&str, &str)] = &[
    ("autocad", "AutoCAD - including specialized toolsets"),
    ("revit", "Autodesk Revit 2026"),
    ("navisworks", "Navisworks Manage"),
    ("civil3d", "AutoCAD Civil 3D"),
    ("powermill", "PowerMill Ultimate"),
    ("3dsmax", "3ds Max"),
    ("recap-pro", "ReCap Pro"),
    ("maya", "Maya"),
    ("inventor", "Inventor Professional"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A random export (users × products × days, tokens = the daily rate, in a random
    /// order, with a random delimiter and column spelling) imported and simulated gives
    /// back exactly the tokens of each user and product.
    #[test]
    fn replay_gives_back_each_users_tokens(
        uses in proptest::collection::vec(
            (0usize..6, 0usize..SPELLINGS.len(), proptest::collection::btree_set(0i64..120, 1..25)),
            1..12,
        ),
        delimiter in prop_oneof![Just(','), Just(';'), Just('\t')],
        old_spelling in any::<bool>(),
        zone in prop_oneof![Just("UTC"), Just("Europe/Berlin"), Just("America/Chicago")],
        shuffle in any::<u64>(),
    ) {
        let header = if old_spelling {
            ["email", "product_name", "day_used", "tokens_used"]
        } else {
            ["Email", "Product", "Day used", "Tokens used"]
        };
        let d = delimiter.to_string();
        let start: jiff::civil::Date = "2026-01-01".parse().unwrap();
        let mut lines = Vec::new();
        let mut want: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        for (user, p, days) in &uses {
            let (id, name) = SPELLINGS[*p];
            let rate = Catalog::builtin().product(id).unwrap().tokens_per_day;
            let email = format!("user{user}@example.com");
            for day in days {
                if !seen.insert((*user, id, *day)) {
                    continue;
                }
                let date = start.checked_add(jiff::Span::new().days(*day)).unwrap();
                lines.push([email.clone(), name.to_string(), date.to_string(), rate.to_string()].join(&d));
                *want.entry((email.clone(), id.to_string())).or_default() += rate;
            }
        }
        // A deterministic shuffle: rows need not be in order.
        let n = lines.len();
        for i in (1..n).rev() {
            let j = (shuffle.wrapping_mul(i as u64 + 7).rotate_left(i as u32 % 63) % (i as u64 + 1)) as usize;
            lines.swap(i, j);
        }
        let text = format!("{}\n{}\n", header.join(&d), lines.join("\n"));
        let options = ImportOptions { timezone: zone.into(), ..Default::default() };
        let imp = import(text.as_bytes(), &options).unwrap();
        prop_assert!(imp.skipped.is_empty());
        prop_assert!(imp.unmatched.is_empty());
        prop_assert_eq!(imp.rows, n as u64);
        let total: u64 = want.values().sum();
        prop_assert_eq!(&as_json(&imp.history)["tokens"], &json!(total));
        let s = imp.scenario.unwrap();
        prop_assert_eq!(charged(&s), want);
    }

    /// The fuzz target's check on every test run: fixtures with bytes changed, cut or
    /// inserted are read or refused, never a panic, and a scenario written validates.
    #[test]
    fn damaged_files_never_panic_and_scenarios_validate(
        file in prop_oneof![
            Just("token-usage-2026.csv"), Just("token-usage-old.csv"), Just("seat-usage.csv"),
            Just("usage-report.csv"), Just("token-flex.csv"), Just("sessions.csv"),
            Just("sessions-inactive.csv"),
            Just("token-usage.xlsx"),
        ],
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..8),
        forecast in proptest::option::of(1u32..=36),
    ) {
        let mut bytes = fixture(file);
        for (at, byte, how) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match how {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => bytes.truncate(i),
            }
        }
        let options = ImportOptions { forecast, ..Default::default() };
        if let Ok(imp) = import(&bytes, &options) {
            if let Some(s) = &imp.scenario {
                prop_assert!(flexcalc::engine::validate::validate(s).is_ok(), "{}", s.to_json());
            }
            let data_skipped = imp
                .skipped
                .iter()
                .filter(|s| s.reason != "before the header row")
                .count() as u64;
            prop_assert!(data_skipped <= imp.rows);
        }
    }
}

/// The reconciliation's rows as (user, product, month, file, flexcalc, why).
fn reconciled(imp: &Import) -> Vec<(String, String, String, String, u64, Option<String>)> {
    flexcalc::engine::import::reconcile(imp)
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.user,
                r.product,
                r.month,
                r.file.to_string(),
                r.flexcalc,
                r.why,
            )
        })
        .collect()
}

fn row(
    u: &str,
    p: &str,
    m: &str,
    file: &str,
    flexcalc: u64,
    why: Option<&str>,
) -> (String, String, String, String, u64, Option<String>) {
    (
        u.into(),
        p.into(),
        m.into(),
        file.into(),
        flexcalc,
        why.map(str::to_string),
    )
}

#[test]
fn reconciliation_agrees_where_the_file_charged_todays_rates() {
    let imp = read("token-usage-2026.csv");
    let rows = reconciled(&imp);
    assert_eq!(
        rows,
        [
            row("ada@example.com", "autocad", "2026-01", "14", 14, None),
            row("ada@example.com", "powermill", "2026-03", "47", 47, None),
            row("ada@example.com", "revit", "2026-01", "10", 10, None),
            row("bob@example.com", "navisworks", "2026-02", "18", 18, None),
            // A launch under five minutes: 0 tokens in the file, none replayed.
            row("cy@example.com", "revit", "2026-03", "0", 0, None),
        ]
    );
    // The unknown product is not reconciled (it is listed as unmatched).
    assert_eq!(imp.unmatched[0].name, "Frobnicator Pro");
}

#[test]
fn reconciliation_explains_a_rate_that_changed_and_a_day_charged_twice() {
    let imp = read("token-usage-rate-changed.csv");
    assert_eq!(
        reconciled(&imp),
        [
            row("ana@example.com", "autocad", "2026-04", "7", 7, None),
            // Two rows of 7 on 4 May: one day, one charge of today's 7.
            row(
                "ana@example.com",
                "autocad",
                "2026-05",
                "14",
                7,
                Some("rate")
            ),
            // 12 then 10 tokens a day: today's Revit is 10.
            row(
                "ana@example.com",
                "revit",
                "2026-04",
                "22",
                20,
                Some("rate")
            ),
        ]
    );
    // A forecast has nothing to reconcile.
    let options = ImportOptions {
        forecast: Some(12),
        ..Default::default()
    };
    let forecast = import(&fixture("token-usage-rate-changed.csv"), &options).unwrap();
    assert!(reconciled(&forecast).is_empty());
}

#[test]
fn a_product_mapped_by_hand_is_matched_replayed_and_no_longer_unmatched() {
    let mut options = ImportOptions::default();
    options
        .products
        .insert("Frobnicator Pro".into(), "maya".into());
    let imp = import(&fixture("token-usage-rate-changed.csv"), &options).unwrap();
    assert!(imp.unmatched.is_empty());
    assert_eq!(as_json(&imp.history.by_product)["maya"], json!(10));
    let s = imp.scenario.unwrap();
    let ben = s.users.iter().find(|u| u.id == "ben@example.com").unwrap();
    assert_eq!(ben.usage[0].product, "maya");
    // A mapping to no catalog product is refused, naming it.
    options
        .products
        .insert("Frobnicator Pro".into(), "frob".into());
    let e = import(&fixture("token-usage-rate-changed.csv"), &options).unwrap_err();
    assert_eq!((e.line, e.column), (0, 0));
    assert!(
        e.message.contains("\"frob\"") && e.message.contains("catalog"),
        "{e}"
    );
}

#[test]
fn the_forecast_scales_days_a_month_rounded_half_up_and_drops_a_use_scaled_to_nothing() {
    let days = |scale: i32| -> Vec<(String, u32)> {
        let options = ImportOptions {
            forecast: Some(12),
            scale_percent: scale,
            ..Default::default()
        };
        let s = import(&fixture("token-usage-rate-changed.csv"), &options)
            .unwrap()
            .scenario
            .unwrap();
        s.users
            .iter()
            .flat_map(|u| u.usage.iter())
            .map(|x| (x.product.clone(), x.monthly.as_ref().unwrap().days))
            .collect()
    };
    // Two months of history: AutoCAD on 2 days (1 a month), Revit on 2 days (1 a month).
    let at = |v: &[(&str, u32)]| -> Vec<(String, u32)> {
        v.iter().map(|(p, d)| (p.to_string(), *d)).collect()
    };
    assert_eq!(days(0), at(&[("autocad", 1), ("revit", 1)]));
    // +50 %: 1.5 rounds up to 2; −50 %: 0.5 rounds up to 1; −60 %: 0.4, dropped.
    assert_eq!(days(50), at(&[("autocad", 2), ("revit", 2)]));
    assert_eq!(days(-50), at(&[("autocad", 1), ("revit", 1)]));
    assert_eq!(days(-60), at(&[]));
    let options = ImportOptions {
        forecast: Some(12),
        scale_percent: 101,
        ..Default::default()
    };
    let e = import(&fixture("token-usage-rate-changed.csv"), &options).unwrap_err();
    assert!(e.message.starts_with("scale: 101 %"), "{e}");
}

#[test]
fn cli_import_maps_scales_and_reconciles() {
    let out = Command::new(BIN)
        .args(["import", &fixture_path("token-usage-rate-changed.csv")])
        .args(["--map", "Frobnicator Pro=maya", "--reconcile"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unmatched"], json!([]));
    let rows = v["reconciliation"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    // The file charged 10 tokens for the day; Maya's rate today is 6 (rates/).
    let maya = rows.iter().find(|r| r["product"] == "maya").unwrap();
    let rate = Catalog::builtin().product("maya").unwrap().tokens_per_day;
    assert_eq!(rate, 6);
    assert_eq!(
        (
            maya["file"].as_str(),
            maya["flexcalc"].as_u64(),
            maya["rate"].as_u64()
        ),
        (Some("10"), Some(rate), Some(rate))
    );
    assert_eq!(maya["why"], "rate");
    // Without --reconcile, the contract's keys only.
    let out = Command::new(BIN)
        .args(["import", &fixture_path("token-usage-rate-changed.csv")])
        .args(["--forecast=12", "--scale=-60"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("reconciliation").is_none());
    assert_eq!(v["scenario"]["users"], json!([]));
    let bad = Command::new(BIN)
        .args([
            "import",
            &fixture_path("token-usage-rate-changed.csv"),
            "--map",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--map: \"x\" is not NAME=PRODUCT"));
}
