//! Demo presets: the engine's example scenarios, one click away. The browser fetches
//! `presets/ID.json` (index.html copies them from examples/ into dist/), so their text
//! stays out of the wasm; natively (the UI's tests) they are compiled in.

pub struct Preset {
    pub id: &'static str,
    /// Translation key of the preset's title.
    pub key: &'static str,
    #[cfg(not(target_arch = "wasm32"))]
    pub json: &'static str,
}

impl Preset {
    /// Where the browser finds the scenario, relative to the page.
    pub fn path(&self) -> String {
        format!("presets/{}.json", self.id)
    }
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "architecture-studio",
        key: "preset.architecture",
        #[cfg(not(target_arch = "wasm32"))]
        json: include_str!("../../examples/architecture-studio.json"),
    },
    Preset {
        id: "media-seasonal",
        key: "preset.media",
        #[cfg(not(target_arch = "wasm32"))]
        json: include_str!("../../examples/media-seasonal.json"),
    },
    Preset {
        id: "manufacturing-run-dry",
        key: "preset.manufacturing",
        #[cfg(not(target_arch = "wasm32"))]
        json: include_str!("../../examples/manufacturing-run-dry.json"),
    },
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_copied_into_the_web_app() {
        let html = include_str!("../../www/index.html");
        for p in PRESETS {
            let link = format!(
                r#"<link data-trunk rel="copy-file" href="../examples/{}.json" data-target-path="presets">"#,
                p.id
            );
            assert!(html.contains(&link), "index.html lacks {link}");
            assert_eq!(p.path(), format!("presets/{}.json", p.id));
        }
    }

    #[test]
    fn every_preset_is_a_valid_scenario() {
        for p in PRESETS {
            let s = crate::engine::scenario::Scenario::from_json(p.json)
                .unwrap_or_else(|e| panic!("{}: {e}", p.id));
            crate::engine::simulate::simulate(&s).unwrap_or_else(|e| panic!("{}: {e}", p.id));
        }
    }
}
