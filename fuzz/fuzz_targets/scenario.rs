//! Arbitrary bytes → scenario reader → validate → simulate → report JSON: none of it may
//! panic. Valid scenarios also have to give reports that keep the invariants of
//! `invariants.rs` (ledger books balanced, totals adding up, charges 24 h apart).
#![no_main]

use libfuzzer_sys::fuzz_target;

mod invariants;

/// Larger inputs only make slower runs, not new paths: the reader is linear.
const MAX_INPUT: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = flexcalc::Scenario::from_json(text) else {
        return;
    };
    // A scenario that reads must write back to JSON that reads to the same scenario.
    let again = flexcalc::Scenario::from_json(&scenario.to_json()).expect("to_json reads back");
    assert_eq!(again, scenario, "to_json round trip");
    let Ok(report) = flexcalc::simulate(&scenario) else {
        return;
    };
    assert!(report.to_json().starts_with('{'), "report JSON");
    invariants::check(&scenario, &report);
});
