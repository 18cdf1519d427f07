//! The two ways of locating a refusal of scenario JSON give the same answer: the web app's
//! (serde_json alone, the JSON path found afterwards from the error's line and column by
//! `scenario::path_at`) and the CLI's (serde_path_to_error, which tracks the path while
//! reading). Checked on the bundled examples and a SPEC-like scenario under many kinds of
//! damage: every value replaced by values of other types, fields removed, added and
//! repeated, the text cut short at every byte, characters deleted and inserted.

use flexcalc::engine::scenario::{read_json_located, read_json_tracked};
use flexcalc::{InputError, Scenario};
use serde_json::{json, Value};

const EXAMPLES: &[&str] = &[
    include_str!("../examples/architecture-studio.json"),
    include_str!("../examples/manufacturing-run-dry.json"),
    include_str!("../examples/media-seasonal.json"),
    include_str!("../examples/partner-price-book.json"),
];

/// Every field the format has, with sessions whose `inactive` stretches are pairs.
fn full() -> Value {
    json!({
        "flexcalc": 1,
        "name": "all fields",
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "period": { "start": "2027-01-01", "months": 12 },
        "packs": [{ "id": "p1", "purchased": "2027-01-01", "tokens": 1000 }],
        "low_balance_percent": 20,
        "offerings": [{ "id": "o", "name": "O", "covers": ["autocad"], "annual": "100", "monthly": "10" }],
        "catalog": {
            "products": [{ "id": "x", "name": "X", "tokens_per_day": 3 }],
            "services": [{ "id": "s", "name": "S", "tokens": 2, "unit": "run" }]
        },
        "price_book": { "currency": "EUR", "minor_units": 2, "tiers": [{ "from": 1, "price": "3.00" }], "packs": [500, 1000] },
        "users": [{
            "id": "u1", "name": "U", "timezone": "UTC",
            "subscriptions": [{ "offering": "o", "from": "2027-01-01", "to": "2027-12-31" }],
            "usage": [
                { "product": "autocad", "sessions": [{ "start": "2027-01-04T09:00", "end": "2027-01-04T17:00",
                  "inactive": [["2027-01-04T12:00", "2027-01-04T13:00"]] }], "idle_detection": true, "plugins": ["p"] },
                { "product": "revit", "weekly": { "days": ["mon"], "from": "09:00", "to": "17:00" }, "except": ["2027-01-05"] },
                { "product": "maya", "monthly": { "days": 3, "from": "09:00", "to": "17:00" }, "months": [1, 2] },
                { "product": "x", "dates": { "dates": ["2027-02-01"], "from": "09:00", "to": "17:00" } }
            ],
            "results": [{ "service": "s", "at": "2027-01-04T10:00", "quantity": 2 }]
        }]
    })
}

fn read(text: &str) -> (Result<Scenario, InputError>, Result<Scenario, InputError>) {
    (read_json_tracked(text), read_json_located(text))
}

/// Checks one text; returns whether it was refused.
fn same(text: &str, failures: &mut Vec<String>) -> bool {
    let (a, b) = read(text);
    match (&a, &b) {
        (Ok(x), Ok(y)) if x == y => false,
        (Err(x), Err(y)) if x == y => true,
        _ => {
            if failures.len() < 40 {
                let at = |e: &Result<Scenario, InputError>| {
                    let m = e
                        .as_ref()
                        .err()?
                        .message
                        .rsplit_once("(line ")?
                        .1
                        .to_string();
                    let (l, c) = m.trim_end_matches(')').split_once(", column ")?;
                    let (l, c): (usize, usize) = (l.parse().ok()?, c.parse().ok()?);
                    let start: usize = text.split_inclusive('\n').take(l - 1).map(str::len).sum();
                    let i = (start + c).min(text.len());
                    let lo = (i.saturating_sub(60)..=i).find(|&j| text.is_char_boundary(j))?;
                    Some(text[lo..i].to_string())
                };
                failures.push(format!(
                    "…{:?}\n  tracked: {a:?}\n  located: {b:?}",
                    at(&a).unwrap_or_else(|| text.to_string())
                ));
            } else if failures.len() == 40 {
                failures.push("…".into());
            }
            true
        }
    }
}

fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(x, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn docs() -> Vec<Value> {
    let mut d: Vec<Value> = EXAMPLES
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
    d.push(full());
    d
}

fn texts(v: &Value) -> [String; 2] {
    [
        serde_json::to_string(v).unwrap(),
        serde_json::to_string_pretty(v).unwrap(),
    ]
}

fn check(failures: Vec<String>, refused: usize, what: &str) {
    assert!(refused > 0, "{what}: nothing was refused");
    assert!(
        failures.is_empty(),
        "{what}: {} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn values_of_other_types_are_located_alike() {
    let (mut failures, mut refused) = (Vec::new(), 0);
    let others = [
        json!(1),
        json!(-5),
        json!(1.5),
        json!("x"),
        json!(null),
        json!(true),
        json!([]),
        json!({}),
        json!([1]),
        json!(["a", "b", "c"]),
        json!({"a": 1}),
        json!(4294967296u64),
        json!(18446744073709551615u64),
    ];
    for doc in docs() {
        let mut ps = Vec::new();
        pointers(&doc, String::new(), &mut ps);
        for p in &ps {
            for o in &others {
                let mut d = doc.clone();
                *d.pointer_mut(p).unwrap() = o.clone();
                for t in texts(&d) {
                    refused += usize::from(same(&t, &mut failures));
                }
            }
        }
    }
    check(failures, refused, "other types");
}

#[test]
fn fields_removed_added_and_repeated_are_located_alike() {
    let (mut failures, mut refused) = (Vec::new(), 0);
    for doc in docs() {
        let mut ps = Vec::new();
        pointers(&doc, String::new(), &mut ps);
        for p in &ps {
            let parent = &p[..p.rfind('/').unwrap_or(0)];
            let key = &p[p.rfind('/').map_or(0, |i| i + 1)..];
            // Removed.
            if let Some(Value::Object(_)) = doc.pointer(parent) {
                let mut d = doc.clone();
                d.pointer_mut(parent)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove(key);
                for t in texts(&d) {
                    refused += usize::from(same(&t, &mut failures));
                }
            }
            // Added next to it: an unknown field.
            if let Some(Value::Object(_)) = doc.pointer(p) {
                let mut d = doc.clone();
                d.pointer_mut(p)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert("zz\u{e9}\\\"".into(), json!(1));
                for t in texts(&d) {
                    refused += usize::from(same(&t, &mut failures));
                }
            }
        }
        // Repeated: each `"key":` written twice (text level).
        for t in texts(&doc) {
            let mut from = 0;
            while let Some(i) = t[from..].find("\":") {
                let end = from + i + 2;
                let start = t[..from + i].rfind('"').unwrap();
                let value_end = end + t[end..].find([',', '}']).unwrap_or(t.len() - end);
                let pair = &t[start..value_end];
                let doubled = format!("{}{pair}, {pair}{}", &t[..start], &t[value_end..]);
                refused += usize::from(same(&doubled, &mut failures));
                from = end;
            }
        }
    }
    check(failures, refused, "fields");
}

#[test]
fn damaged_text_is_located_alike() {
    let (mut failures, mut refused) = (Vec::new(), 0);
    for doc in docs() {
        for t in texts(&doc) {
            let b = t.as_bytes();
            for i in 0..b.len() {
                if !t.is_char_boundary(i) {
                    continue;
                }
                // Cut short.
                refused += usize::from(same(&t[..i], &mut failures));
                // One character deleted.
                let j = (i + 1..=b.len()).find(|&j| t.is_char_boundary(j)).unwrap();
                refused += usize::from(same(&format!("{}{}", &t[..i], &t[j..]), &mut failures));
                // One inserted.
                for c in [
                    ",", "]", "}", "x", "\"", ":", "[", "{", "1", " ", "\\", "\u{1}",
                ] {
                    refused +=
                        usize::from(same(&format!("{}{c}{}", &t[..i], &t[i..]), &mut failures));
                }
            }
        }
    }
    for t in [
        "",
        " ",
        "{",
        "[",
        "[]",
        "null",
        "42",
        "\"x\"",
        "{}",
        "{\"flexcalc\": 1",
        "\u{feff}{}",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "{,}",
        "{\"flexcalc\": 1,}",
        "{1:2}",
        "{\"flexcalc\" 1}",
        "{\"users\": [1,]}",
        "{\"users\": [{} {}]}",
        "{\"users\": [{},",
        "{\"users\": [{},]}",
        "{\"users\": [}",
        "{\"users\" : [ {\"id\": \"a\\u00e9\\q\"} ] }",
    ] {
        same(t, &mut failures);
    }
    check(failures, refused, "damaged text");
}

#[test]
fn texts_damaged_in_several_places_are_located_alike() {
    let (mut failures, mut refused) = (Vec::new(), 0);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let pieces = [
        ",", "]", "}", "[", "{", "\"", ":", "x", "1", "-", ".", "e", "\\", "\\u12", "null", "true",
        " ", "\n", "\"k\":", "é", "\u{0}",
    ];
    for doc in docs() {
        for t in texts(&doc) {
            for _ in 0..4000 {
                let mut s = t.clone();
                for _ in 0..1 + next(3) {
                    let mut i = next(s.len() + 1);
                    while !s.is_char_boundary(i) {
                        i -= 1;
                    }
                    if next(2) == 0 {
                        s.insert_str(i, pieces[next(pieces.len())]);
                    } else if let Some(c) = s[i..].chars().next() {
                        s.replace_range(i..i + c.len_utf8(), "");
                    }
                }
                refused += usize::from(same(&s, &mut failures));
            }
        }
    }
    check(failures, refused, "several places");
}

/// Both readers' refusal of `text`, checked equal.
fn refusal(text: &str) -> InputError {
    let (a, b) = read(text);
    let a = a.expect_err("refused");
    assert_eq!(Err(a.clone()), b, "both readers alike on {text}");
    a
}

/// An array where the format wants an object is refused where it stands, naming the path
/// and saying an object was expected (docs/assumptions.md). serde's derived reader used to
/// take the array's elements as the fields in order, which bypassed the unknown-field check.
#[test]
fn an_array_in_place_of_an_object_is_refused_naming_its_path() {
    // (JSON pointer into `full()`, the path a refusal names.)
    let places = [
        ("", ""),
        ("/period", "period"),
        ("/packs/0", "packs[0]"),
        ("/offerings/0", "offerings[0]"),
        ("/catalog", "catalog"),
        ("/catalog/products/0", "catalog.products[0]"),
        ("/catalog/services/0", "catalog.services[0]"),
        ("/price_book", "price_book"),
        ("/price_book/tiers/0", "price_book.tiers[0]"),
        ("/users/0", "users[0]"),
        ("/users/0/subscriptions/0", "users[0].subscriptions[0]"),
        ("/users/0/usage/0", "users[0].usage[0]"),
        (
            "/users/0/usage/0/sessions/0",
            "users[0].usage[0].sessions[0]",
        ),
        ("/users/0/usage/1/weekly", "users[0].usage[1].weekly"),
        ("/users/0/usage/2/monthly", "users[0].usage[2].monthly"),
        ("/users/0/usage/3/dates", "users[0].usage[3].dates"),
        ("/users/0/results/0", "users[0].results[0]"),
    ];
    for (pointer, path) in places {
        let object = full().pointer(pointer).unwrap().clone();
        let fields: Vec<Value> = object.as_object().unwrap().values().cloned().collect();
        for array in [Value::Array(fields), json!([]), json!([1])] {
            let mut d = full();
            *d.pointer_mut(pointer).unwrap() = array;
            for t in texts(&d) {
                let e = refusal(&t);
                assert_eq!(e.path, path, "{t}");
                assert!(
                    e.message
                        .starts_with("expected an object, found an array (line "),
                    "{path}: {}",
                    e.message
                );
            }
        }
    }
}

/// The review's example: the fields in the right order, as an array, are refused too.
#[test]
fn the_fields_in_order_as_an_array_are_refused() {
    let t = r#"{"flexcalc": 1, "currency": "EUR", "timezone": "Europe/Paris",
        "period": ["2027-01-01", 12]}"#;
    let e = refusal(t);
    assert_eq!(
        e.to_string(),
        "period: expected an object, found an array (line 2, column 18)"
    );
    let t = r#"{"flexcalc": 1, "currency": "EUR", "timezone": "UTC",
        "period": {"start": "2027-01-01", "months": 1},
        "users": [{"id": "u", "usage": [
            {"product": "revit", "weekly": [["mon"], "09:00", "17:00"]}]}]}"#;
    assert_eq!(
        refusal(t).to_string(),
        "users[0].usage[0].weekly: expected an object, found an array (line 4, column 43)"
    );
    // The whole scenario as an array.
    assert_eq!(
        refusal(r#"[1, "x", "EUR", "UTC"]"#).to_string(),
        "expected an object, found an array (line 1, column 0)"
    );
}

/// Any other value where an object belongs is named in JSON's words.
#[test]
fn other_values_in_place_of_an_object_are_named_in_json_words() {
    for (value, found) in [
        (json!(12), "the number 12"),
        (json!(-1.5), "the number -1.5"),
        (json!("2027-01-01"), "the string \"2027-01-01\""),
        (json!(true), "true"),
        (json!(null), "null"),
    ] {
        let mut d = full();
        d["period"] = value;
        for t in texts(&d) {
            let e = refusal(&t);
            assert_eq!(e.path, "period");
            let want = format!("expected an object, found {found} (line ");
            assert!(e.message.starts_with(&want), "{}", e.message);
        }
    }
    // An optional object may be null (no value), never an array.
    let mut d = full();
    d["catalog"] = json!(null);
    assert!(read_json_tracked::<Scenario>(&texts(&d)[0]).is_ok());
    d["catalog"] = json!([]);
    assert_eq!(refusal(&texts(&d)[0]).path, "catalog");
}
