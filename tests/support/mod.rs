//! Builders and readers shared by the SPEC tests.
//!
//! Scenarios are written as JSON (the format of SPEC §6) and reports are read back from the
//! JSON of SPEC §7, so the tests see exactly what a user of the CLI sees. Expected values in
//! the tests are worked out by hand from SPEC, never copied from the engine's output.
#![allow(dead_code)]

use serde_json::{json, Value};

/// A minimal valid scenario: one team, no users yet, estimate mode (no `packs` field).
pub fn scenario(tz: &str, start: &str, months: u32) -> Value {
    json!({
        "flexcalc": 1,
        "currency": "EUR",
        "timezone": tz,
        "period": { "start": start, "months": months },
        "users": []
    })
}

/// A user with the given usage entries.
pub fn user(id: &str, usage: Vec<Value>) -> Value {
    json!({ "id": id, "usage": usage })
}

/// A usage entry of explicit sessions `(start, end)`.
pub fn sessions(product: &str, list: &[(&str, &str)]) -> Value {
    let s: Vec<Value> = list
        .iter()
        .map(|(a, b)| json!({ "start": a, "end": b }))
        .collect();
    json!({ "product": product, "sessions": s })
}

/// One session with inactive stretches.
pub fn session_idle(product: &str, start: &str, end: &str, inactive: &[(&str, &str)]) -> Value {
    let i: Vec<Value> = inactive.iter().map(|(a, b)| json!([a, b])).collect();
    json!({ "product": product, "sessions": [ { "start": start, "end": end, "inactive": i } ] })
}

pub fn pack(id: &str, purchased: &str, tokens: u64) -> Value {
    json!({ "id": id, "purchased": purchased, "tokens": tokens })
}

/// Adds a user to a scenario.
pub fn with_user(mut s: Value, u: Value) -> Value {
    s["users"].as_array_mut().expect("users").push(u);
    s
}

/// Simulates, panicking with the engine's message if the scenario is refused.
pub fn sim(s: &Value) -> Value {
    let text = serde_json::to_string(s).unwrap();
    match flexcalc::simulate_json(&text) {
        Ok(r) => serde_json::from_str(&r.to_json()).expect("report is JSON"),
        Err(e) => panic!("scenario refused: {e}\n{text}"),
    }
}

/// Simulates text that must be refused; returns the error.
pub fn refused_text(text: &str) -> flexcalc::InputError {
    match flexcalc::simulate_json(text) {
        Ok(r) => panic!("accepted but should be refused:\n{text}\n→ {}", r.to_json()),
        Err(e) => e,
    }
}

pub fn refused(s: &Value) -> flexcalc::InputError {
    refused_text(&serde_json::to_string(s).unwrap())
}

/// `(user, product-or-service, at, tokens)` of every charge, in report order.
pub fn charges(r: &Value) -> Vec<(String, String, String, u64)> {
    list(&r["charges"])
}

pub fn denials(r: &Value) -> Vec<(String, String, String, u64)> {
    list(&r["denials"])
}

fn list(v: &Value) -> Vec<(String, String, String, u64)> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|c| {
            let item = c
                .get("product")
                .or_else(|| c.get("service"))
                .expect("product or service");
            (
                c["user"].as_str().unwrap().to_string(),
                item.as_str().unwrap().to_string(),
                c["at"].as_str().unwrap().to_string(),
                c["tokens"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The `at` of every charge, in report order.
pub fn charge_times(r: &Value) -> Vec<String> {
    charges(r).into_iter().map(|c| c.2).collect()
}

pub fn denial_times(r: &Value) -> Vec<String> {
    denials(r).into_iter().map(|c| c.2).collect()
}

pub fn total(r: &Value) -> u64 {
    r["totals"]["tokens"].as_u64().expect("totals.tokens")
}

/// The report entry of one pack.
pub fn pack_report<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("pack {id} not in report"))
}

/// `(used, expired, remaining)` of one pack.
pub fn pack_use(r: &Value, id: &str) -> (u64, u64, u64) {
    let p = pack_report(r, id);
    (
        p["used"].as_u64().unwrap(),
        p["expired"].as_u64().unwrap(),
        p["remaining"].as_u64().unwrap(),
    )
}

/// Scenario with one user using one product in explicit sessions.
pub fn one_user(tz: &str, start: &str, months: u32, product: &str, list: &[(&str, &str)]) -> Value {
    with_user(
        scenario(tz, start, months),
        user("u", vec![sessions(product, list)]),
    )
}

/// Strings for literal comparison.
pub fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
