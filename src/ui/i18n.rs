//! Every UI string in English, French and Japanese (www/i18n/*.txt). Keys are looked up
//! in one table per language; a test checks that every key the code uses exists and is
//! translated.

use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Lang {
    En,
    Fr,
    Ja,
}

pub const LANGS: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Ja];

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
        }
    }

    /// The BCP 47 locale handed to Intl.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Fr => "fr-FR",
            Lang::Ja => "ja-JP",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Ja => "日本語",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        LANGS.iter().copied().find(|l| l.code() == code)
    }
}

/// A daily rate in words: "1 token/day", "7 tokens/day".
pub fn rate(lang: Lang, n: u64) -> String {
    let key = if n == 1 {
        "usage.rate.one"
    } else {
        "usage.rate"
    };
    t(lang, key).replace("{n}", &n.to_string())
}

/// The strings, one `key<TAB>text` line per entry, the same keys in the same order in each
/// language: English is compiled in; in the browser, French and Japanese are fetched
/// (`i18n/fr.txt`, `i18n/ja.txt`, copied into dist/ by index.html) when first chosen, so
/// the wasm carries one language of text rather than three. Native builds (the UI's tests)
/// compile all three in.
const EN: &str = include_str!("../../www/i18n/en.txt");
#[cfg(not(target_arch = "wasm32"))]
const BUNDLED: [&str; 3] = [
    EN,
    include_str!("../../www/i18n/fr.txt"),
    include_str!("../../www/i18n/ja.txt"),
];

/// (key, text) by key, searched by halves: a sorted list rather than a hash map, whose
/// code the bundle would carry for this table alone.
type Table = Vec<(&'static str, &'static str)>;

fn parse(text: &'static str) -> Table {
    let mut v: Table = text.lines().filter_map(|l| l.split_once('\t')).collect();
    crate::engine::advise::sort::sort_by(&mut v, |a, b| a.0.cmp(b.0));
    v
}

static TABLES: [OnceLock<Table>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

/// The language's strings, if they are in (English always is).
fn table(lang: Lang) -> Option<&'static Table> {
    let cell = &TABLES[lang as usize];
    #[cfg(not(target_arch = "wasm32"))]
    return Some(cell.get_or_init(|| parse(BUNDLED[lang as usize])));
    #[cfg(target_arch = "wasm32")]
    match lang {
        Lang::En => Some(cell.get_or_init(|| parse(EN))),
        _ => cell.get(),
    }
}

/// Whether `t` has the language's own strings (else it answers in English).
pub fn loaded(lang: Lang) -> bool {
    table(lang).is_some()
}

/// Installs the fetched strings of `lang` (its `i18n/CODE.txt`), for the page's life.
pub fn install(lang: Lang, text: String) {
    let text: &'static str = Box::leak(text.into_boxed_str());
    let _ = TABLES[lang as usize].set(parse(text));
}

/// The string for `key` in `lang` (in English while that language's strings are not in);
/// "??" when missing (the tests forbid that).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let Some(map) = table(lang).or_else(|| table(Lang::En)) else {
        return "??";
    };
    map.binary_search_by(|e| e.0.cmp(key))
        .map_or("??", |i| map[i].1)
}

/// Every key with its English, French and Japanese strings (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn entries() -> impl Iterator<Item = (&'static str, [&'static str; 3])> {
    EN.lines().filter_map(|l| {
        let (k, en) = l.split_once('\t')?;
        Some((k, [en, t(Lang::Fr, k), t(Lang::Ja, k)]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        // The same keys in the same order in every language's file, one tab per line.
        let keys = |text: &str| -> Vec<String> {
            text.lines()
                .map(|l| {
                    assert_eq!(l.matches('\t').count(), 1, "{l}");
                    l.split('\t').next().unwrap().to_string()
                })
                .collect()
        };
        assert_eq!(keys(BUNDLED[1]), keys(EN), "fr.txt keys");
        assert_eq!(keys(BUNDLED[2]), keys(EN), "ja.txt keys");
        assert!(entries().count() > 300);
        let mut seen = std::collections::HashSet::new();
        for (k, v) in entries() {
            assert!(seen.insert(k), "duplicate key {k}");
            for s in v {
                assert!(!s.trim().is_empty(), "{k} has an empty translation");
            }
            // Placeholders must match across languages.
            let ph = |s: &str| {
                let mut p: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|x| x.split('}').next())
                    .map(String::from)
                    .collect();
                p.sort();
                p
            };
            assert_eq!(ph(v[0]), ph(v[1]), "{k}: fr placeholders");
            assert_eq!(ph(v[0]), ph(v[2]), "{k}: ja placeholders");
        }
    }

    #[test]
    fn every_key_used_in_the_ui_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Every `t(x, "key")` call and every `key: "..."`/`"..."` passed as a key.
            for part in text.split("t(").skip(1) {
                let Some(rest) = part.split_once(", \"") else {
                    continue;
                };
                if rest.0.len() > 12 {
                    continue;
                }
                let key = rest.1.split('"').next().unwrap_or("");
                if !key.is_empty() && !entries().any(|(k, _)| k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
            for part in text
                .split("key: \"")
                .skip(1)
                .chain(text.split("Banner::new(BannerKind::").skip(1))
            {
                let key = part
                    .split('"')
                    .nth(if part.starts_with(char::is_uppercase) {
                        1
                    } else {
                        0
                    })
                    .unwrap_or("");
                if key.contains('.') && !entries().any(|(k, _)| k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:?}");
    }

    #[test]
    fn lookups() {
        assert_eq!(t(Lang::Fr, "tab.team"), "Équipe");
        assert_eq!(t(Lang::Ja, "unit.tokens"), "トークン");
        assert_eq!(t(Lang::En, "no.such.key"), "??");
        assert_eq!(Lang::from_code("ja"), Some(Lang::Ja));
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn a_rate_of_one_token_is_singular() {
        assert_eq!(rate(Lang::En, 1), "1 token/day");
        assert_eq!(rate(Lang::En, 7), "7 tokens/day");
        assert_eq!(rate(Lang::Fr, 1), "1 jeton/jour");
        assert_eq!(rate(Lang::Ja, 1), "1日 1 トークン");
    }
}
