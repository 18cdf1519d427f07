//! Product and service names as the UI shows them (the seeds' spelling, in the UI
//! language): plain functions, compiled natively too so that they are tested there.

use crate::engine::catalog::Catalog;
use crate::engine::scenario::{Scenario, User};
use crate::ui::i18n::Lang;

/// A product's or service's name in the UI language, as the seeds spell it.
pub fn item_name(lang: Lang, s: &Scenario, id: &str) -> String {
    let c = Catalog::builtin();
    if let Some(p) = c.product(id) {
        return p.name.get(lang.code()).to_string();
    }
    if let Some(sv) = c.service(id) {
        return sv.name.get(lang.code()).to_string();
    }
    if let Some(cat) = &s.catalog {
        if let Some(p) = cat.products.iter().find(|p| p.id == id) {
            return p.name.clone().unwrap_or_else(|| id.to_string());
        }
        if let Some(p) = cat.services.iter().find(|p| p.id == id) {
            return p.name.clone().unwrap_or_else(|| id.to_string());
        }
    }
    id.to_string()
}

/// The products a user works with, each named once (two patterns of one product are
/// one product to the reader of the team list), in the order first listed.
pub fn product_names(lang: Lang, s: &Scenario, u: &User) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for x in &u.usage {
        if !ids.contains(&x.product.as_str()) {
            ids.push(&x.product);
        }
    }
    let names: Vec<String> = ids.iter().map(|id| item_name(lang, s, id)).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_list_names_each_product_once_in_listing_order() {
        let s = Scenario::from_json(
            r#"{"flexcalc": 1, "currency": "EUR", "timezone": "UTC",
                "period": {"start": "2027-01-01", "months": 12},
                "users": [{"id": "ben", "usage": [
                    {"product": "maya", "monthly": {"days": 3, "from": "09:00", "to": "17:00"}},
                    {"product": "flame", "monthly": {"days": 1, "from": "09:00", "to": "17:00"}},
                    {"product": "maya", "weekly": {"days": ["sat"], "from": "09:00", "to": "12:00"}}]}]}"#,
        )
        .expect("a scenario");
        assert_eq!(product_names(Lang::En, &s, &s.users[0]), "Maya, Flame");
    }
}
