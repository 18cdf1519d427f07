//! Demo presets: the engine's example scenarios, one click away.

pub struct Preset {
    pub id: &'static str,
    /// Translation key of the preset's title.
    pub key: &'static str,
    pub json: &'static str,
}

pub const PRESETS: &[Preset] = &[Preset {
    id: "seed",
    key: "preset.seed",
    json: include_str!("../../../shared/vectors/priscilla.json"),
}];

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
