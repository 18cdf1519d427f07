//! Arbitrary bytes through the usage-export importer: it answers or refuses, never panics,
//! and a scenario it writes is one the engine accepts.
#![no_main]

use flexcalc::engine::import::{import, Format, ImportOptions};
use flexcalc::engine::validate::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format (auto or one of five) and the forecast.
    let (opts, bytes) = match data.split_first() {
        Some((b, rest)) => {
            let format = match b % 6 {
                0 => None,
                i => Some(Format::ALL[usize::from(i - 1)]),
            };
            let forecast = (b & 0x80 != 0).then_some(u32::from(b % 36) + 1);
            (
                ImportOptions {
                    format,
                    forecast,
                    ..Default::default()
                },
                rest,
            )
        }
        None => (ImportOptions::default(), data),
    };
    if let Ok(imported) = import(bytes, &opts) {
        if let Some(s) = &imported.scenario {
            if let Err(e) = validate(s) {
                panic!("an imported scenario is refused: {e}\n{}", s.to_json());
            }
        }
        // The reconciliation simulates the replay: never a refusal of the engine's own.
        if let Err(e) = flexcalc::engine::import::reconcile(&imported) {
            panic!("the replay is refused by the reconciliation: {e}");
        }
    }
});
