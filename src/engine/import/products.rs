//! Product names as exports write them → catalog product ids, by rules held as data:
//! a name is normalised (lower case, punctuation and spaces dropped, "Autodesk", years,
//! "360" and edition words left out), then compared with the catalog's ids and names
//! normalised the same way, then with the aliases of `rates/import-aliases.toml`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::engine::catalog::Catalog;

// build.rs turns rates/import-aliases.toml into JSON, as it does the other rate files.
const ALIASES: &str = include_str!(concat!(env!("OUT_DIR"), "/import-aliases.json"));

/// Words that name an edition, a platform or the vendor rather than the product.
const DROPPED: &[&str] = &[
    "autodesk",
    "360",
    "ultimate",
    "premium",
    "standard",
    "manage",
    "simulate",
    "professional",
    "pro",
    "edition",
    "for",
    "mac",
    "windows",
];

#[derive(Deserialize)]
struct AliasFile {
    alias: Vec<Alias>,
}

#[derive(Deserialize)]
pub struct Alias {
    pub name: String,
    pub product: String,
}

/// The normalised form of a product name: its words in lower case, without the words of
/// [`DROPPED`] and four-digit years, joined without spaces (`3ds Max` and `3dsmax` meet).
pub fn normalise(name: &str) -> String {
    let lower = name.to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .split_whitespace()
        .filter(|w| !DROPPED.contains(w))
        .filter(|w| {
            !(w.len() == 4
                && (w.starts_with("19") || w.starts_with("20"))
                && w.bytes().all(|c| c.is_ascii_digit()))
        })
        .collect()
}

/// The aliases of `rates/import-aliases.toml`.
pub fn aliases() -> Vec<Alias> {
    serde_json::from_str::<AliasFile>(ALIASES)
        .map(|f| f.alias)
        .unwrap_or_default()
}

struct Matcher {
    exact: HashMap<String, String>,
    alias: HashMap<String, String>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let catalog = Catalog::builtin();
        let mut exact = HashMap::new();
        for p in &catalog.products {
            for n in [&p.id, &p.name.en, &p.name.fr, &p.name.ja] {
                exact.entry(normalise(n)).or_insert_with(|| p.id.clone());
            }
        }
        let alias = aliases()
            .into_iter()
            .map(|a| (normalise(&a.name), a.product))
            .collect();
        Matcher { exact, alias }
    })
}

/// The catalog product id a name stands for, if any.
pub fn match_product(name: &str) -> Option<&'static str> {
    let m = matcher();
    let key = normalise(name);
    if key.is_empty() {
        return None;
    }
    m.exact
        .get(&key)
        .or_else(|| m.alias.get(&key))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_exports() {
        for (name, id) in [
            ("AutoCAD", Some("autocad")),
            ("Navisworks Manage", Some("navisworks")),
            ("Navisworks Simulate 2024", Some("navisworks")),
            ("PowerMill Ultimate", Some("powermill")),
            ("Autodesk Revit 2026", Some("revit")),
            ("AutoCAD - including specialized toolsets", Some("autocad")),
            ("AutoCAD Civil 3D", Some("civil3d")),
            ("Autodesk Civil 3D 2025", Some("civil3d")),
            ("Autodesk Revit MEP", Some("revit")),
            ("3ds Max", Some("3dsmax")),
            ("3DSMAX", Some("3dsmax")),
            ("Fusion 360", Some("fusion")),
            ("Autodesk Fusion", Some("fusion")),
            ("ReCap Pro", Some("recap-pro")),
            ("Inventor Professional 2025", Some("inventor")),
            ("Inventor Nastran", Some("inventor-nastran")),
            ("Maya Creative", Some("maya-creative")),
            ("Maya", Some("maya")),
            (
                "Robot Structural Analysis Professional",
                Some("robot-structural-analysis"),
            ),
            ("Fabrication CADmep", Some("fabrication")),
            ("AutoCAD LT", None),
            ("N/A", None),
            ("", None),
            ("Autodesk", None),
        ] {
            assert_eq!(match_product(name), id, "{name}");
        }
    }

    #[test]
    fn every_alias_names_a_product_and_no_key_is_claimed_twice() {
        let catalog = Catalog::builtin();
        let mut seen: HashMap<String, String> = HashMap::new();
        for p in &catalog.products {
            for n in [&p.id, &p.name.en, &p.name.fr, &p.name.ja] {
                let k = normalise(n);
                assert!(!k.is_empty(), "{n}");
                if let Some(other) = seen.insert(k.clone(), p.id.clone()) {
                    assert_eq!(other, p.id, "{k} names two products");
                }
            }
        }
        let aliases = aliases();
        assert!(aliases.len() > 10);
        for a in aliases {
            assert!(catalog.product(&a.product).is_some(), "{}", a.product);
            let k = normalise(&a.name);
            assert!(
                !seen.contains_key(&k),
                "alias {} is a catalog name already",
                a.name
            );
        }
    }
}
