//! The rate data of rates/ itself (issue 2): ids unique, tiers ascending from 1 with prices
//! strictly falling, every grouped product known, sources and dates present, and the
//! figures the seeds print.

use flexcalc::engine::catalog::Catalog;
use flexcalc::engine::validate::MAX_QUANTITY;
use rust_decimal::Decimal;
use std::str::FromStr;

fn cat() -> &'static Catalog {
    Catalog::builtin()
}

#[test]
fn the_data_passes_its_own_checks() {
    assert_eq!(cat().check(), Vec::<String>::new());
}

#[test]
fn a_rate_outside_what_a_scenario_may_give_is_a_problem_of_the_data() {
    // The built-in rates are held to the scenario's limits (1 to 1,000,000), which the
    // simulation's packed per-meter record relies on.
    let mut c = cat().clone();
    c.products[0].tokens_per_day = MAX_QUANTITY;
    c.services[0].tokens = MAX_QUANTITY;
    assert_eq!(c.check(), Vec::<String>::new());
    c.products[0].tokens_per_day = MAX_QUANTITY + 1;
    c.services[0].tokens = 0;
    let problems = c.check();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("1000001 outside 1 to 1000000"),
        "{problems:?}"
    );
    assert!(problems[1].contains("rate 0 outside"), "{problems:?}");
}

#[test]
fn twenty_five_daily_products_and_seven_services_with_unique_ids() {
    let c = cat();
    assert_eq!(c.products.len(), 25);
    assert_eq!(c.services.len(), 7);
    let mut ids: Vec<&str> = c.products.iter().map(|p| p.id.as_str()).collect();
    ids.extend(c.services.iter().map(|s| s.id.as_str()));
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "an id appears twice");
}

#[test]
fn builtin_tiers_start_at_1_rise_and_prices_strictly_fall() {
    for b in &cat().books {
        assert_eq!(b.tiers.len(), 8, "{}", b.currency);
        assert_eq!(b.tiers[0].from, 1, "{}", b.currency);
        for w in b.tiers.windows(2) {
            assert!(w[1].from > w[0].from, "{}: tiers not ascending", b.currency);
            assert!(
                w[1].price < w[0].price,
                "{}: prices not strictly falling",
                b.currency
            );
        }
        assert_eq!(b.packs, [500, 1000, 5000, 10000, 15000, 25000, 50000]);
    }
}

#[test]
fn seed_figures() {
    let c = cat();
    let rate = |id: &str| c.product(id).unwrap().tokens_per_day;
    assert_eq!(
        (
            rate("autocad"),
            rate("revit"),
            rate("powermill"),
            rate("netfabb")
        ),
        (7, 10, 47, 55)
    );
    let price = |cur: &str, i: usize| c.book(cur).unwrap().tiers[i].price;
    assert_eq!(price("JPY", 0), Decimal::from_str("429.00").unwrap());
    assert_eq!(price("EUR", 4), Decimal::from_str("3.00").unwrap());
    assert_eq!(price("GBP", 7), Decimal::from_str("2.35").unwrap());
    assert_eq!(c.book("JPY").unwrap().minor_units, 0);
    assert_eq!(c.book("EUR").unwrap().minor_units, 2);
    // Names as the seed pages spell them.
    let fab = &c.product("fabrication").unwrap().name;
    assert_eq!(
        (fab.en.as_str(), fab.fr.as_str(), fab.ja.as_str()),
        (
            "Fabrication products",
            "Produits Fabrication",
            "Fabrication 製品"
        )
    );
    let linux: Vec<&str> = c
        .products
        .iter()
        .filter(|p| p.linux)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(linux, ["maya", "motionbuilder", "flame", "mudbox"]);
}

#[test]
fn every_grouped_product_exists_and_every_product_is_grouped() {
    let c = cat();
    assert_eq!(c.industries.len(), 3);
    for p in &c.products {
        let grouped = c
            .industries
            .iter()
            .flat_map(|i| &i.workflows)
            .any(|w| w.products.contains(&p.id));
        assert!(grouped, "{} is in no workflow", p.id);
    }
}

#[test]
fn every_file_names_its_source_and_date() {
    let c = cat();
    for s in [
        &c.products_source,
        &c.services_source,
        &c.prices_source,
        &c.groups_source,
    ] {
        assert!(!s.source.trim().is_empty());
        assert!(
            flexcalc::engine::time::parse_date(&s.as_of).is_some(),
            "as_of {:?}",
            s.as_of
        );
    }
}
