//! The rate data of `rates/`, embedded at compile time and parsed once.
//!
//! Nothing here is a rate: every figure comes from the TOML files, which carry their source
//! and as-of date. `Catalog::check` validates the data itself (the tests call it).

use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::OnceLock;

// build.rs turns rates/*.toml into JSON: the same data, read by the JSON reader the engine
// has anyway, so no TOML parser ships in the binary or the wasm bundle.
const PRODUCTS: &str = include_str!(concat!(env!("OUT_DIR"), "/products.json"));
const SERVICES: &str = include_str!(concat!(env!("OUT_DIR"), "/services.json"));
const PRICES: &str = include_str!(concat!(env!("OUT_DIR"), "/prices.json"));
const GROUPS: &str = include_str!(concat!(env!("OUT_DIR"), "/groups.json"));

/// A name in each language the seeds are written in.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub en: String,
    pub fr: String,
    pub ja: String,
}

impl Names {
    /// The name for a language code (`en`, `fr`, `ja`); English for any other.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.fr,
            "ja" => &self.ja,
            _ => &self.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub source: String,
    pub as_of: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: Names,
    pub tokens_per_day: u64,
    #[serde(default)]
    pub linux: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: Names,
    pub tokens: u64,
    pub unit: Names,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub from: u64,
    pub price: Decimal,
}

/// Prices per token by whole-order quantity, and the pack sizes an order is made of.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PriceBook {
    pub currency: String,
    pub minor_units: u32,
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub packs: Vec<u64>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    pub id: String,
    pub name: Names,
    pub products: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub id: String,
    pub name: Names,
    pub workflows: Vec<Workflow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductsFile {
    meta: Source,
    product: Vec<Product>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    meta: Source,
    service: Vec<Service>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PricesFile {
    meta: Source,
    packs: Vec<u64>,
    book: Vec<PriceBook>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsFile {
    meta: Source,
    industry: Vec<Industry>,
}

/// Everything in `rates/`.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub products: Vec<Product>,
    pub services: Vec<Service>,
    /// Built-in price books, each carrying the built-in pack sizes.
    pub books: Vec<PriceBook>,
    pub industries: Vec<Industry>,
    pub products_source: Source,
    pub services_source: Source,
    pub prices_source: Source,
    pub groups_source: Source,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> T {
    // The files are compiled in and checked by the tests: a failure here is a build defect.
    serde_json::from_str(text).unwrap_or_else(|e| panic!("rates/{file} is malformed: {e}"))
}

impl Catalog {
    /// The built-in catalog, parsed on first use.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            let p: ProductsFile = parse("products.toml", PRODUCTS);
            let s: ServicesFile = parse("services.toml", SERVICES);
            let pr: PricesFile = parse("prices.toml", PRICES);
            let g: GroupsFile = parse("groups.toml", GROUPS);
            let books = pr
                .book
                .into_iter()
                .map(|mut b| {
                    b.packs = pr.packs.clone();
                    b
                })
                .collect();
            Catalog {
                products: p.product,
                services: s.service,
                books,
                industries: g.industry,
                products_source: p.meta,
                services_source: s.meta,
                prices_source: pr.meta,
                groups_source: g.meta,
            }
        })
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn book(&self, currency: &str) -> Option<&PriceBook> {
        self.books.iter().find(|b| b.currency == currency)
    }

    /// Problems in the data itself; empty when the data is sound.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids: Vec<&str> = self.products.iter().map(|p| p.id.as_str()).collect();
        ids.extend(self.services.iter().map(|s| s.id.as_str()));
        let mut sorted = ids.clone();
        crate::engine::advise::sort::sort(&mut sorted);
        for w in sorted.windows(2) {
            if w[0] == w[1] {
                problems.push(format!("id {:?} appears twice", w[0]));
            }
        }
        for p in &self.products {
            if p.tokens_per_day == 0 {
                problems.push(format!("product {} has no daily rate", p.id));
            }
        }
        for s in &self.services {
            if s.tokens == 0 {
                problems.push(format!("service {} has no rate", s.id));
            }
        }
        for b in &self.books {
            if let Err(e) = crate::engine::price::check_book(b) {
                problems.push(format!("price book {}: {}", b.currency, e));
            }
        }
        for i in &self.industries {
            for w in &i.workflows {
                for p in &w.products {
                    if self.product(p).is_none() {
                        problems.push(format!(
                            "workflow {}.{} names unknown product {p}",
                            i.id, w.id
                        ));
                    }
                }
            }
        }
        problems
    }
}
