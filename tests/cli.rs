//! SPEC §7, the command line: `simulate FILE|-`, `simulate --summary`, `quote`,
//! `advise --sensitivity`, `--help`,
//! exit statuses 0 / 2 / 1,
//! located messages on standard error, byte-for-byte deterministic output.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_flexcalc");
const PRISCILLA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/priscilla.json");

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the flexcalc binary runs");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            pipe.write_all(bytes).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch file unique to this test process and name.
fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let p = std::env::temp_dir().join(format!("flexcalc-cli-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p
}

const BAD_WEEKLY: &str = r#"{ "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
  "period": { "start": "2027-01-01", "months": 1 },
  "users": [ { "id": "a", "usage": [] },
             { "id": "b", "usage": [ { "product": "revit", "weekly": { "days": ["mon"], "from": "25:00", "to": "17:00" } } ] } ] }"#;

// ---------------------------------------------------------------------------------------
// simulate

#[test]
fn cli_simulate_file_prints_the_report_and_exits_0() {
    let o = run(&["simulate", PRISCILLA], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = stdout_json(&o);
    for key in [
        "charges",
        "denials",
        "expirations",
        "alerts",
        "packs",
        "totals",
        "order",
    ] {
        assert!(r.get(key).is_some(), "report has no {key}");
    }
    let at: Vec<&str> = r["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        at,
        vec!["2027-03-01T08:00:00+00:00", "2027-03-02T08:00:00+00:00"]
    );
    assert_eq!(r["totals"]["tokens"], 14);
    for key in ["tokens", "by_user", "by_product", "by_month"] {
        assert!(r["totals"].get(key).is_some(), "totals has no {key}");
    }
    let c = &r["charges"][0];
    assert_eq!(
        (
            c["user"].as_str(),
            c["product"].as_str(),
            c["tokens"].as_u64(),
            c["kind"].as_str()
        ),
        (Some("priscilla"), Some("autocad"), Some(7), Some("daily"))
    );
}

#[test]
fn cli_simulate_dash_reads_standard_input_with_the_same_bytes_out() {
    let text = std::fs::read(PRISCILLA).unwrap();
    let from_file = run(&["simulate", PRISCILLA], None);
    let from_stdin = run(&["simulate", "-"], Some(&text));
    assert_eq!(code(&from_stdin), 0, "{}", stderr(&from_stdin));
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

#[test]
fn cli_output_is_byte_for_byte_deterministic() {
    let scenario = r#"{ "flexcalc": 1, "currency": "GBP", "timezone": "Europe/London",
      "period": { "start": "2027-01-01", "months": 3 },
      "packs": [ { "id": "p1", "purchased": "2027-01-01", "tokens": 60 }, { "id": "p2", "purchased": "2027-02-01", "tokens": 500 } ],
      "users": [
        { "id": "zed", "timezone": "Asia/Tokyo", "usage": [ { "product": "maya", "weekly": { "days": ["mon", "thu"], "from": "09:00", "to": "18:00" } } ],
          "results": [ { "service": "cfd-simple", "at": "2027-01-05T10:00", "quantity": 2 } ] },
        { "id": "amy", "usage": [ { "product": "revit", "monthly": { "days": 5, "from": "22:00", "to": "03:00" } },
                                 { "product": "autocad", "dates": { "dates": ["2027-02-02", "2027-03-03"], "from": "08:00", "to": "08:00" }, "plugins": ["recap-pro"] } ] }
      ] }"#;
    let path = temp("determinism.json", scenario.as_bytes());
    let p = path.to_str().unwrap();
    let first = run(&["simulate", p], None);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    for _ in 0..3 {
        assert_eq!(run(&["simulate", p], None).stdout, first.stdout);
    }
    assert_eq!(
        run(&["simulate", "-"], Some(scenario.as_bytes())).stdout,
        first.stdout
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn cli_bad_input_exits_2_with_the_located_message_on_standard_error() {
    let o = run(&["simulate", "-"], Some(BAD_WEEKLY.as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty(), "no partial answer on bad input");
    let e = stderr(&o);
    assert!(
        e.contains(r#"users[1].usage[0].weekly.from: "25:00" is not a time of day"#),
        "{e}"
    );
}

/// An estimate whose cheapest order would list more than `MAX_ORDER_PACKS` packs is refused
/// (a limit beyond SPEC, docs/assumptions.md), with a path and what to change: with the
/// built-in book only huge result quantities get there; with a custom book, tiny packs.
#[test]
fn cli_an_order_too_large_to_list_exits_2_naming_where() {
    let results: Vec<String> = (0..150)
        .map(|_| {
            r#"{ "service": "cfd-complex", "at": "2028-01-03T09:00", "quantity": 1000000 }"#
                .to_string()
        })
        .collect();
    let text = format!(
        r#"{{ "flexcalc": 1, "currency": "EUR", "timezone": "UTC", "period": {{ "start": "2028-01-01", "months": 1 }},
            "users": [ {{ "id": "u", "results": [ {} ] }} ] }}"#,
        results.join(", ")
    );
    let o = run(&["simulate", "-"], Some(text.as_bytes()));
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("users: the order of 5250000000 tokens would list 105000 packs, more than 100000: the usage and result quantities"),
        "{e}"
    );
    // Ten results fewer fit: 98,000 packs, listed.
    let fits = text.replacen(
        r#"{ "service": "cfd-complex", "at": "2028-01-03T09:00", "quantity": 1000000 }, "#,
        "",
        10,
    );
    let o = run(&["simulate", "-"], Some(fits.as_bytes()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout_json(&o)["order"]["packs"].as_array().map(Vec::len),
        Some(98_000)
    );

    let tiny = r#"{ "flexcalc": 1, "currency": "USD", "timezone": "UTC", "period": { "start": "2028-01-01", "months": 1 },
        "price_book": { "currency": "USD", "minor_units": 2, "tiers": [ { "from": 1, "price": "1.00" } ], "packs": [1] },
        "users": [ { "id": "u", "results": [ { "service": "cfd-complex", "at": "2028-01-03T09:00", "quantity": 3000 } ] } ] }"#;
    let o = run(&["simulate", "-"], Some(tiny.as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("price_book.packs: the order of 105000 tokens would list 105000 packs, more than 100000: use larger packs"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cli_a_byte_order_mark_before_the_json_is_ignored() {
    let text = std::fs::read(PRISCILLA).unwrap();
    let plain = run(&["simulate", "-"], Some(&text));
    let with_bom = run(
        &["simulate", "-"],
        Some(&[b"\xEF\xBB\xBF".as_slice(), &text].concat()),
    );
    assert_eq!(code(&with_bom), 0, "{}", stderr(&with_bom));
    assert_eq!(with_bom.stdout, plain.stdout);
}

#[test]
fn cli_unknown_field_exits_2_naming_it() {
    let text = BAD_WEEKLY.replace(
        "\"from\": \"25:00\"",
        "\"from\": \"09:00\", \"form\": \"x\"",
    );
    let o = run(&["simulate", "-"], Some(text.as_bytes()));
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("users[1].usage[0].weekly") && e.contains("form"),
        "{e}"
    );
}

/// An array where an object belongs is refused like an unknown field: exit 2, the path named
/// (docs/assumptions.md), for `simulate` and `advise` alike.
#[test]
fn cli_an_array_in_place_of_an_object_exits_2_naming_the_path() {
    let text = std::fs::read_to_string(PRISCILLA).unwrap().replace(
        r#""period": { "start": "2027-03-01", "months": 1 }"#,
        r#""period": ["2027-03-01", 1]"#,
    );
    assert!(
        text.contains(r#""period": ["#),
        "the fixture's period is replaced"
    );
    for cmd in ["simulate", "advise"] {
        let o = run(&[cmd, "-"], Some(text.as_bytes()));
        assert_eq!(code(&o), 2, "{cmd}");
        assert!(o.stdout.is_empty(), "{cmd}");
        let e = stderr(&o);
        assert!(
            e.contains("period: expected an object, found an array (line 6, column "),
            "{cmd}: {e}"
        );
    }
}

#[test]
fn cli_json_syntax_errors_exit_2_with_line_and_column() {
    let o = run(
        &["simulate", "-"],
        Some(b"{\n \"flexcalc\": 1,\n \"currency\": }"),
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));
}

#[test]
fn cli_empty_binary_and_non_utf8_input_exit_2() {
    for bytes in [
        &b""[..],
        b"\x00\x01\x02\xff\xfe",
        b"\xef\xbb\xbf{}",
        b"{\"flexcalc\": 1, \"name\": \"\xff\"}",
    ] {
        let o = run(&["simulate", "-"], Some(bytes));
        assert_eq!(code(&o), 2, "{bytes:?}: {}", stderr(&o));
        assert!(!stderr(&o).trim().is_empty());
        assert!(o.stdout.is_empty());
    }
    let path = temp("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00");
    let o = run(&["simulate", path.to_str().unwrap()], None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let _ = std::fs::remove_file(path);
}

#[test]
fn cli_a_missing_file_exits_2_naming_it() {
    let o = run(&["simulate", "/nonexistent/scenario.json"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("/nonexistent/scenario.json"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cli_usage_mistakes_exit_2() {
    for args in [
        &[][..],
        &["simulate"],
        &["simulate", "a.json", "b.json"],
        &["simulte", PRISCILLA],
        &["--frobnicate"],
    ] {
        let o = run(args, None);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(!stderr(&o).trim().is_empty(), "{args:?}");
    }
}

#[test]
fn cli_help_exits_0_and_lists_the_commands() {
    let o = run(&["--help"], None);
    assert_eq!(code(&o), 0);
    let text = String::from_utf8(o.stdout).unwrap();
    for word in [
        "simulate",
        "quote",
        "--currency",
        "--tokens",
        "advise",
        "--sensitivity",
        "--summary",
        "docs/scenario-format.md",
        "docs/rules.md",
    ] {
        assert!(text.contains(word), "help does not mention {word}");
    }
}

#[test]
fn cli_a_large_partner_price_is_bad_input_exit_2_not_an_internal_error() {
    // SPEC §6/§7: bad input never panics; it exits 2 with a located message.
    let text = r#"{ "flexcalc": 1, "currency": "XTS", "timezone": "UTC",
      "period": { "start": "2027-03-01", "months": 1 },
      "price_book": { "currency": "XTS", "minor_units": 2, "tiers": [ { "from": 1, "price": "999999999999999999999999" } ], "packs": [100000] },
      "users": [ { "id": "u", "usage": [ { "product": "autocad", "sessions": [ { "start": "2027-03-01T08:00", "end": "2027-03-01T09:00" } ] } ] } ] }"#;
    let o = run(&["simulate", "-"], Some(text.as_bytes()));
    assert_ne!(
        code(&o),
        1,
        "internal error (panic) on bad input: {}",
        stderr(&o)
    );
    if code(&o) == 2 {
        assert!(stderr(&o).contains("price_book"), "{}", stderr(&o));
    }
}

// ---------------------------------------------------------------------------------------
// quote

#[test]
fn cli_quote_eur_24500_is_25000_tokens_for_75000() {
    let o = run(&["quote", "--currency", "EUR", "--tokens", "24500"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let q = stdout_json(&o);
    assert_eq!(q["tokens_needed"], 24_500);
    assert_eq!(q["tokens"], 25_000);
    assert_eq!(q["packs"], serde_json::json!([25_000]));
    assert_eq!(q["unit_price"], "3.00");
    assert_eq!(q["total"], "75000.00");
    assert_eq!(q["exact"]["tokens"], 24_500);
    assert_eq!(q["exact"]["unit_price"], "3.08");
    assert_eq!(q["exact"]["total"], "75460.00");
}

#[test]
fn cli_quote_jpy_whole_yen_and_flags_in_any_order() {
    let o = run(&["quote", "--tokens", "24500", "--currency", "JPY"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let q = stdout_json(&o);
    assert_eq!(q["total"], "9652500"); // 25,000 × 386.10
    assert_eq!(q["exact"]["total"], "9722335"); // 24,500 × 396.83
}

#[test]
fn cli_quote_gbp_rounds_n_up_to_500_in_exact() {
    let q = stdout_json(&run(&["quote", "--currency", "GBP", "--tokens", "1"], None));
    assert_eq!(q["tokens"], 500);
    assert_eq!(q["total"], "1470.00");
    assert_eq!(q["exact"]["tokens"], 500);
}

#[test]
fn cli_quote_zero_tokens_is_the_empty_order() {
    let o = run(&["quote", "--currency", "EUR", "--tokens", "0"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let q = stdout_json(&o);
    assert_eq!(q["tokens"], 0);
    assert_eq!(q["packs"], serde_json::json!([]));
    assert_eq!(q["total"], "0.00");
}

#[test]
fn cli_quote_bad_arguments_exit_2_naming_the_argument() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["quote", "--currency", "USD", "--tokens", "5"],
            "--currency",
        ),
        (
            &["quote", "--currency", "EUR", "--tokens", "abc"],
            "--tokens",
        ),
        (
            &["quote", "--currency", "EUR", "--tokens", "-5"],
            "--tokens",
        ),
        (
            &["quote", "--currency", "EUR", "--tokens", "2.5"],
            "--tokens",
        ),
        (&["quote", "--currency", "EUR"], "--tokens"),
        (&["quote", "--tokens", "5"], "--currency"),
        (&["quote", "--currency"], "--currency"),
        (
            &[
                "quote",
                "--currency",
                "EUR",
                "--tokens",
                "5",
                "--colour",
                "red",
            ],
            "--colour",
        ),
    ];
    for (args, word) in cases {
        let o = run(args, None);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).contains(word), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn cli_quote_is_deterministic() {
    let a = run(&["quote", "--currency", "EUR", "--tokens", "123456"], None);
    let b = run(&["quote", "--currency", "EUR", "--tokens", "123456"], None);
    assert_eq!(code(&a), 0);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn cli_a_valid_scenario_whose_order_needs_a_trillion_packs_does_not_abort() {
    // Within the engine's own limits (result quantity and custom rate up to 1,000,000 each),
    // one result costs 10^12 tokens; with a partner's pack of 1 token the estimate's order
    // is 10^12 packs. Listing them one by one aborts the process (memory allocation of
    // 8 TB fails, signal 6) instead of answering or refusing with exit 2.
    let text = r#"{ "flexcalc": 1, "currency": "XTS", "timezone": "UTC", "period": { "start": "2027-03-01", "months": 1 },
      "price_book": { "currency": "XTS", "minor_units": 2, "tiers": [ { "from": 1, "price": "1.00" } ], "packs": [1] },
      "catalog": { "services": [ { "id": "render", "tokens": 1000000 } ] },
      "users": [ { "id": "u", "results": [ { "service": "render", "at": "2027-03-02T10:00", "quantity": 1000000 } ] } ] }"#;
    let mut child = Command::new(BIN)
        .args(["simulate", "-"])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 2)),
        "expected an answer (0) or a located refusal (2), got {:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .next()
            .unwrap_or("")
    );
}

// ---------------------------------------------------------------------------------------
// advise --sensitivity

const STUDIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/architecture-studio.json"
);

#[test]
fn cli_advise_sensitivity_appends_one_member_to_the_unchanged_advice() {
    let plain = run(&["advise", STUDIO], None);
    assert_eq!(code(&plain), 0, "{}", stderr(&plain));
    let with = run(&["advise", STUDIO, "--sensitivity"], None);
    assert_eq!(code(&with), 0, "{}", stderr(&with));
    // The advice's bytes, then `sensitivity` as the last member.
    let plain_text = String::from_utf8(plain.stdout.clone()).unwrap();
    let with_text = String::from_utf8(with.stdout.clone()).unwrap();
    let head = plain_text
        .strip_suffix("\n}\n")
        .expect("pretty JSON ends with a closing brace");
    assert!(
        with_text.starts_with(&format!("{head},\n  \"sensitivity\": {{")),
        "the advice is not kept as it is"
    );
    let plain_json = stdout_json(&plain);
    assert!(plain_json.get("sensitivity").is_none(), "only on request");
    let v = stdout_json(&with);
    let steps = v["sensitivity"]["steps"].as_array().expect("steps");
    let percents: Vec<i64> = steps
        .iter()
        .map(|s| s["percent"].as_i64().unwrap())
        .collect();
    assert_eq!(percents, (-5..=5).map(|k| k * 10).collect::<Vec<i64>>());
    assert_eq!(steps[5]["total"], plain_json["plan"]["cost"]["total"]);
    assert_eq!(
        steps[5]["subscriptions"],
        plain_json["plan"]["subscriptions"]
    );
    assert_eq!(steps[5]["same_as_baseline"], true);
    assert!(v["sensitivity"]["flips"].is_array());
    // Either side of the file, and standard input: the same bytes, every time.
    let before = run(&["advise", "--sensitivity", STUDIO], None);
    assert_eq!(before.stdout, with.stdout);
    let bytes = std::fs::read(STUDIO).unwrap();
    let piped = run(&["advise", "-", "--sensitivity"], Some(&bytes));
    assert_eq!(piped.stdout, with.stdout);
}

#[test]
fn cli_advise_unknown_flags_exit_2() {
    for args in [
        &["advise", STUDIO, "--sensitivty"][..],
        &["advise", "--sensitivity"],
        &["advise", STUDIO, STUDIO, "--sensitivity"],
    ] {
        let o = run(args, None);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).contains("advise"), "{args:?}: {}", stderr(&o));
    }
}

// ---------------------------------------------------------------------------------------
// simulate --summary

/// The bundled examples and the spec's vector: every shape of report (packs run dry,
/// estimates with an order, a partner's price book).
fn summary_inputs() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the bundled examples: {files:?}");
    files.push(PathBuf::from(PRISCILLA));
    files
}

/// The full report's text with its first two members, `charges` and `denials`, cut out:
/// what `--summary` must print, byte for byte.
fn without_lists(full: &str) -> String {
    let head = "{\n  \"charges\": [";
    assert!(full.starts_with(head), "charges come first: {full:.60}");
    let denials = full.find("\n  \"denials\": [").expect("a denials member");
    let rest = full[denials..]
        .find("\n  \"expirations\": [")
        .expect("an expirations member after denials");
    format!("{{{}", &full[denials + rest..])
}

/// The summary against the full report: the same JSON value once `charges` and `denials`
/// are removed, and the same bytes with those two members cut out.
fn assert_summary_of(full: &Output, summary: &Output, what: &str) {
    assert_eq!(code(full), 0, "{what}: {}", stderr(full));
    assert_eq!(code(summary), 0, "{what}: {}", stderr(summary));
    let mut expected = stdout_json(full);
    let got = stdout_json(summary);
    let members = expected.as_object_mut().expect("the report is an object");
    assert!(
        members.remove("charges").is_some_and(|c| c.is_array()),
        "{what}"
    );
    assert!(
        members.remove("denials").is_some_and(|d| d.is_array()),
        "{what}"
    );
    let got_members = got.as_object().expect("the summary is an object");
    assert!(!got_members.contains_key("charges"), "{what}");
    assert!(!got_members.contains_key("denials"), "{what}");
    for key in ["expirations", "alerts", "packs", "totals"] {
        assert!(got_members.contains_key(key), "{what}: {key} is kept");
    }
    assert_eq!(got, expected, "{what}: the summary differs from the report");
    let full_text = std::str::from_utf8(&full.stdout).unwrap();
    let summary_text = std::str::from_utf8(&summary.stdout).unwrap();
    assert_eq!(summary_text, without_lists(full_text), "{what}: bytes");
}

#[test]
fn cli_simulate_summary_is_the_report_without_charges_and_denials() {
    for file in summary_inputs() {
        let p = file.to_str().unwrap();
        let full = run(&["simulate", p], None);
        let summary = run(&["simulate", p, "--summary"], None);
        assert_summary_of(&full, &summary, p);
        // Either side of the file, and standard input: the same bytes, every time.
        let before = run(&["simulate", "--summary", p], None);
        assert_eq!(before.stdout, summary.stdout, "{p}");
        let bytes = std::fs::read(&file).unwrap();
        let piped = run(&["simulate", "-", "--summary"], Some(&bytes));
        assert_eq!(piped.stdout, summary.stdout, "{p}");
        assert_eq!(
            run(&["simulate", p, "--summary"], None).stdout,
            summary.stdout
        );
    }
}

/// A team large enough for its lists to be most of the report: `users` users on a weekday
/// routine all year, with a balance carried in that expires in June unused in part, then
/// packs that run dry (denials, low-balance alerts).
fn team_year(users: usize) -> String {
    let products = ["autocad", "revit", "maya", "navisworks"];
    let team: Vec<String> = (0..users)
        .map(|i| {
            format!(
                r#"{{ "id": "u{i}", "usage": [ {{ "product": "{}", "weekly": {{ "days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "17:00" }} }} ],
                 "results": [ {{ "service": "generative-design", "at": "2027-02-01T10:00", "quantity": {} }} ] }}"#,
                products[i % products.len()],
                1 + i % 3
            )
        })
        .collect();
    format!(
        r#"{{ "flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
  "period": {{ "start": "2027-01-01", "months": 12 }},
  "low_balance_percent": 20,
  "packs": [ {{ "id": "carried", "purchased": "2026-06-01", "tokens": {} }},
             {{ "id": "A", "purchased": "2027-01-01", "tokens": {} }}, {{ "id": "B", "purchased": "2027-03-01", "tokens": 500 }} ],
  "users": [ {} ] }}"#,
        users * 2_000,
        users * 300,
        team.join(",\n")
    )
}

#[test]
fn cli_simulate_summary_of_a_bigger_team_is_valid_json_and_much_smaller() {
    let scenario = team_year(60);
    let path = temp("summary-team.json", scenario.as_bytes());
    let p = path.to_str().unwrap();
    let full = run(&["simulate", p], None);
    let summary = run(&["simulate", p, "--summary"], None);
    assert_summary_of(&full, &summary, "team of 60");
    let report = stdout_json(&full);
    let (charges, denials) = (
        report["charges"].as_array().unwrap().len(),
        report["denials"].as_array().unwrap().len(),
    );
    assert!(charges > 5_000 && denials > 1_000, "{charges} {denials}");
    let s = stdout_json(&summary);
    assert!(!s["alerts"].as_array().unwrap().is_empty(), "an alert");
    assert!(
        !s["expirations"].as_array().unwrap().is_empty(),
        "an expiry"
    );
    let (f, n) = (full.stdout.len(), summary.stdout.len());
    assert!(n * 100 < f, "the summary is {n} bytes of the report's {f}");
    // The bundled examples too: a fraction of the report.
    for file in summary_inputs()
        .iter()
        .filter(|f| !f.ends_with("priscilla.json"))
    {
        let p = file.to_str().unwrap();
        let (f, n) = (
            run(&["simulate", p], None).stdout.len(),
            run(&["simulate", p, "--summary"], None).stdout.len(),
        );
        assert!(
            n * 10 < f,
            "{p}: the summary is {n} bytes of the report's {f}"
        );
    }
    let _ = std::fs::remove_file(path);
}

#[test]
fn cli_simulate_summary_bad_input_exits_2_like_the_report() {
    let o = run(&["simulate", "-", "--summary"], Some(BAD_WEEKLY.as_bytes()));
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty(), "no partial answer");
    let full = run(&["simulate", "-"], Some(BAD_WEEKLY.as_bytes()));
    assert_eq!(stderr(&o), stderr(&full));
}

#[test]
fn cli_summary_usage_mistakes_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &[&str])] = &[
        // An unknown flag beside simulate.
        (
            &["simulate", PRISCILLA, "--sumary"],
            &["simulate", "--sumary", "--summary"],
        ),
        (
            &["simulate", "--summary=yes", PRISCILLA],
            &["--summary=yes"],
        ),
        (
            &["simulate", PRISCILLA, "--sensitivity"],
            &["--sensitivity", "advise"],
        ),
        // The flag without a file, or with two.
        (
            &["simulate", "--summary"],
            &["usage: flexcalc simulate FILE"],
        ),
        (
            &["simulate", PRISCILLA, PRISCILLA, "--summary"],
            &["usage: flexcalc simulate"],
        ),
        // `--summary` on another subcommand.
        (
            &["advise", STUDIO, "--summary"],
            &["advise", "--summary", "simulate"],
        ),
        (
            &["quote", "--currency", "EUR", "--tokens", "500", "--summary"],
            &["quote", "--summary", "simulate"],
        ),
        (&["--summary", PRISCILLA], &["--summary"]),
    ];
    for (args, words) in cases {
        let o = run(args, None);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        let msg = stderr(&o);
        for w in *words {
            assert!(msg.contains(w), "{args:?}: {w:?} not in {msg}");
        }
    }
}
