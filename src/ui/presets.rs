//! Demo presets: the engine's example scenarios, one click away.

pub struct Preset {
    pub id: &'static str,
    /// Translation key of the preset's title.
    pub key: &'static str,
    pub json: &'static str,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "architecture-studio",
        key: "preset.architecture",
        json: include_str!("../../examples/architecture-studio.json"),
    },
    Preset {
        id: "media-seasonal",
        key: "preset.media",
        json: include_str!("../../examples/media-seasonal.json"),
    },
    Preset {
        id: "manufacturing-run-dry",
        key: "preset.manufacturing",
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
    fn every_preset_is_a_valid_scenario() {
        for p in PRESETS {
            let s = crate::engine::scenario::Scenario::from_json(p.json)
                .unwrap_or_else(|e| panic!("{}: {e}", p.id));
            crate::engine::simulate::simulate(&s).unwrap_or_else(|e| panic!("{}: {e}", p.id));
        }
    }
}
