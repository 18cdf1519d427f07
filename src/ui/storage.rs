//! Autosave: the scenario, in exactly the CLI's format, under one local-storage key, and
//! the UI language under another. A state saved by the app's first draft (one key holding
//! the bare scenario) is migrated; an unreadable one is set aside (kept under a backup
//! key, never deleted) and the app starts fresh with a visible message.

use crate::engine::scenario::Scenario;

pub const KEY: &str = "flexcalc.scenario";
pub const LANG_KEY: &str = "flexcalc.lang";
/// The first draft's key, read once and migrated.
pub const LEGACY_KEY: &str = "flexcalc";
pub const BACKUP_KEY: &str = "flexcalc.scenario.unreadable";

/// What loading found, for the message the app shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// An older saved state was converted.
    Migrated,
    /// The saved state could not be read; the app started fresh. The detail says why.
    Reset(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub scenario: Option<Scenario>,
    pub notice: Option<Notice>,
}

/// Reads what local storage held under the current and the legacy key.
pub fn load(current: Option<&str>, legacy: Option<&str>) -> Loaded {
    if let Some(text) = current {
        return match Scenario::from_json(text) {
            Ok(s) => Loaded {
                scenario: Some(s),
                notice: None,
            },
            Err(e) => Loaded {
                scenario: None,
                notice: Some(Notice::Reset(e.to_string())),
            },
        };
    }
    match legacy {
        None => Loaded {
            scenario: None,
            notice: None,
        },
        Some(text) => match Scenario::from_json(text) {
            Ok(s) => Loaded {
                scenario: Some(s),
                notice: Some(Notice::Migrated),
            },
            Err(e) => Loaded {
                scenario: None,
                notice: Some(Notice::Reset(e.to_string())),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = r#"{"flexcalc":1,"currency":"JPY","timezone":"Asia/Tokyo","period":{"start":"2027-04-01","months":12},"users":[{"id":"a"}]}"#;

    #[test]
    fn round_trip_in_the_cli_format() {
        let s = Scenario::from_json(S).unwrap();
        let l = load(Some(&s.to_json()), None);
        assert_eq!(
            l,
            Loaded {
                scenario: Some(s),
                notice: None
            }
        );
        assert_eq!(
            load(None, None),
            Loaded {
                scenario: None,
                notice: None
            }
        );
    }

    #[test]
    fn the_legacy_key_is_migrated() {
        let l = load(None, Some(S));
        assert_eq!(l.notice, Some(Notice::Migrated));
        assert_eq!(l.scenario.unwrap().currency, "JPY");
    }

    #[test]
    fn corrupt_states_reset_with_the_located_reason() {
        for bad in [
            "{not json",
            "[]",
            r#"{"flexcalc":1}"#,
            r#"{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{"start":"2027-01-01","months":1},"userz":[]}"#,
        ] {
            let l = load(Some(bad), Some(S));
            assert!(l.scenario.is_none(), "{bad}");
            assert!(
                matches!(l.notice, Some(Notice::Reset(ref why)) if !why.is_empty()),
                "{bad}"
            );
        }
        let l = load(
            Some(
                r#"{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{"start":"2027-01-01","months":1},"userz":[]}"#,
            ),
            None,
        );
        assert!(
            matches!(l.notice, Some(Notice::Reset(ref why)) if why.contains("userz")),
            "{l:?}"
        );
    }
}
