//! Arbitrary bytes → scenario reader → validate → simulate → report JSON: none of it may
//! panic. Valid scenarios also have to keep the ledger's books balanced.
#![no_main]

use libfuzzer_sys::fuzz_target;

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
    let json = report.to_json();
    assert!(json.starts_with('{'), "report JSON");
    if let Some(packs) = &scenario.packs {
        for (p, r) in packs.iter().zip(&report.packs) {
            assert_eq!(
                r.used + r.expired + r.remaining,
                p.tokens,
                "pack {} books",
                p.id
            );
        }
    }
    let charged: u64 = report.charges.iter().map(|c| c.tokens).sum();
    assert_eq!(charged, report.totals.tokens, "totals");
});
