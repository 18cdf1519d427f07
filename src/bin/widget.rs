//! The partner widget's wasm (`<flex-estimator>` and its JavaScript API, docs/embedding.md):
//! the engine behind a handful of wasm-bindgen functions, without Yew, so that it stays
//! small. scripts/build-widget.sh builds it into `dist/widget/`.
//!
//! JSON text crosses the boundary both ways: a scenario goes in as the text the CLI reads
//! (the engine's own reader, so the same located messages, line and column included) and
//! every answer comes out as the text the CLI prints (the same serializer), which the
//! module's JavaScript parses with `JSON.parse`. The browser's reports are therefore byte
//! for byte `flexcalc simulate`'s, `quote`'s and `advise`'s. An error is a JavaScript
//! `Error` whose message is the engine's.
//!
//! Nothing here computes a token or an amount; the compact view's figures (`estimate`) are
//! the engine's report, insights (`per_user_month`) and advice (`flex_cost`).

use flexcalc::engine::advise::{advise_model, advise_out, flex_cost};
use flexcalc::engine::catalog::{Catalog, PriceBook};
use flexcalc::engine::insights::Insights;
use flexcalc::engine::price::quote_text;
use flexcalc::engine::scenario::PriceBookInput;
use flexcalc::engine::simulate::run;
use flexcalc::engine::validate::{read_price_book, validate};
use flexcalc::Scenario;
use rust_decimal::Decimal;
use serde::Serialize;
use wasm_bindgen::prelude::*;

// Talc instead of Rust's default wasm allocator (dlmalloc), as the app (src/bin/web.rs).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {}

fn fail(e: impl ToString) -> JsError {
    JsError::new(&e.to_string())
}

fn pretty<T: Serialize>(v: &T) -> Result<String, JsError> {
    serde_json::to_string_pretty(v).map_err(fail)
}

/// `flexcalc simulate` (`summary`: `--summary`): the report's JSON text.
#[wasm_bindgen]
pub fn simulate(scenario: &str, summary: bool) -> Result<String, JsError> {
    let report = flexcalc::simulate_json(scenario).map_err(fail)?;
    Ok(if summary {
        report.summary_json()
    } else {
        report.to_json()
    })
}

/// `flexcalc advise` (`with_sensitivity`: `--sensitivity`): the advice's JSON text.
#[wasm_bindgen]
pub fn advise_text(scenario: &str, with_sensitivity: bool) -> Result<String, JsError> {
    let scenario = Scenario::from_json(scenario).map_err(fail)?;
    pretty(&advise_out(&scenario, with_sensitivity).map_err(fail)?)
}

/// `flexcalc quote --currency CURRENCY --tokens TOKENS`, in the built-in book of
/// `currency` or, when `price_book` is not empty, in that book (the scenario format's
/// `price_book` object as JSON text, whose currency must be `currency`).
#[wasm_bindgen]
pub fn quote(currency: &str, tokens: &str, price_book: &str) -> Result<String, JsError> {
    let own;
    let book = if price_book.is_empty() {
        Catalog::builtin()
            .book_or_refuse(currency, "currency")
            .map_err(fail)?
    } else {
        own = read_book(price_book)?;
        if own.currency != currency {
            return Err(fail(format!(
                "price_book.currency: {:?} is not the currency asked for ({currency:?})",
                own.currency
            )));
        }
        &own
    };
    pretty(&quote_text(book, tokens, "tokens").map_err(fail)?)
}

/// A partner's price book, read and checked as the scenario format's `price_book` is.
fn read_book(text: &str) -> Result<PriceBook, JsError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let book: PriceBookInput = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| fail(format!("price_book.{}: {}", e.path(), e.inner())))?;
    read_price_book(&book).map_err(fail)
}

#[derive(Serialize)]
struct ProductOut<'a> {
    id: &'a str,
    name: &'a str,
    tokens_per_day: u64,
}

#[derive(Serialize)]
struct TierOut {
    from: u64,
    price: Decimal,
}

/// A built-in price book as the scenario format writes one (`price_book`).
#[derive(Serialize)]
struct BookOut<'a> {
    currency: &'a str,
    minor_units: u32,
    tiers: Vec<TierOut>,
    packs: &'a [u64],
}

#[derive(Serialize)]
struct CatalogOut<'a> {
    products: Vec<ProductOut<'a>>,
    /// The built-in price books' currencies.
    currencies: Vec<&'a str>,
    books: Vec<BookOut<'a>>,
    as_of: &'a str,
}

/// The built-in catalog for the product picker: every daily-rate product (id, name in
/// `lang`, daily rate), the currencies and their price books.
#[wasm_bindgen]
pub fn catalog(lang: &str) -> Result<String, JsError> {
    let c = Catalog::builtin();
    serde_json::to_string(&CatalogOut {
        products: c
            .products
            .iter()
            .map(|p| ProductOut {
                id: &p.id,
                name: p.name.get(lang),
                tokens_per_day: p.tokens_per_day,
            })
            .collect(),
        currencies: c.books.iter().map(|b| b.currency.as_str()).collect(),
        books: c
            .books
            .iter()
            .map(|b| BookOut {
                currency: &b.currency,
                minor_units: b.minor_units,
                tiers: b
                    .tiers
                    .iter()
                    .map(|t| TierOut {
                        from: t.from,
                        price: t.price,
                    })
                    .collect(),
                packs: &b.packs,
            })
            .collect(),
        as_of: &c.prices_source.as_of,
    })
    .map_err(fail)
}

/// Whether the engine knows the zone `name` now (UTC always; any other once registered).
#[wasm_bindgen]
pub fn known_zone(name: &str) -> bool {
    flexcalc::engine::time::time_zone(name).is_some()
}

/// Registers the TZif data `tzif` as zone `name` (one file of `tz/`); false if not TZif.
#[wasm_bindgen]
pub fn register_zone(name: &str, tzif: &[u8]) -> bool {
    flexcalc::engine::time::register_time_zone(name, tzif)
}

/// Flex against a subscription for one product, as the advisor sees it (first user using it).
#[derive(Serialize)]
struct Compare<'a> {
    product: &'a str,
    offering: Option<&'a str>,
    /// The offering's price for a year.
    annual: Option<Decimal>,
    /// Flex for this product, one user, over the period (12 months in the compact view):
    /// the engine's `flex_cost`.
    flex: Decimal,
    tokens: u64,
    days_per_month: Option<f64>,
    used_days_per_month: f64,
    verdict: &'a str,
}

#[derive(Serialize)]
struct Plans {
    plan: Decimal,
    all_flex: Decimal,
    all_subscription: Decimal,
    optimal: bool,
}

/// The compact view's answer.
#[derive(Serialize)]
struct Estimate<'a> {
    currency: &'a str,
    minor_units: u32,
    months: u32,
    users: usize,
    /// Tokens charged over the period.
    tokens: u64,
    tokens_denied: u64,
    /// Estimate mode (no packs): the cheapest order covering `tokens`.
    order: Option<&'a flexcalc::Order>,
    /// The cheapest order's total, or (with packs) what the purchases cost.
    total: Decimal,
    /// `total ÷ users ÷ months`, rounded to the minor unit (half away from zero).
    per_user_month: Option<Decimal>,
    by_product: Vec<(&'a str, u64)>,
    /// Only when the scenario has offerings.
    compare: Vec<Compare<'a>>,
    plans: Option<Plans>,
}

/// The compact widget's figures for a scenario, in one call: the engine's report and
/// insights, and, when the scenario offers subscriptions, the advisor's break-even per
/// product. JSON text.
#[wasm_bindgen]
pub fn estimate(scenario: &str) -> Result<String, JsError> {
    let s = Scenario::from_json(scenario).map_err(fail)?;
    let model = validate(&s).map_err(fail)?;
    let report = run(&model);
    let ins = Insights::new(&model, &report);
    let users = model.users.len();
    let per_user_month = ins.per_user_month(&model);
    let advice = if model.offerings.is_empty() {
        None
    } else {
        Some(advise_model(&model).map_err(fail)?)
    };
    let mut compare = Vec::new();
    if let Some(a) = &advice {
        for b in &a.break_even {
            if compare.iter().any(|c: &Compare| c.product == b.product) {
                continue;
            }
            let row = ins.table.rows.iter().find(|r| r.id == b.user);
            let col = ins.table.items.iter().position(|i| *i == b.product);
            let tokens = match (row, col) {
                (Some(r), Some(c)) => r.tokens[c],
                _ => 0,
            };
            compare.push(Compare {
                product: &b.product,
                offering: b.offering.as_deref(),
                annual: b.annual,
                flex: flex_cost(&model.book, b, tokens),
                tokens,
                days_per_month: b.days_per_month,
                used_days_per_month: b.used_days_per_month,
                verdict: &b.verdict,
            });
        }
    }
    let by_product = ins
        .table
        .items
        .iter()
        .zip(&ins.table.column_totals)
        .map(|(i, t)| (i.as_str(), *t))
        .collect();
    pretty(&Estimate {
        currency: &model.currency,
        minor_units: model.book.minor_units,
        months: model.months,
        users,
        tokens: ins.tokens_charged,
        tokens_denied: ins.tokens_denied,
        order: ins.order.as_ref(),
        total: ins.money_spent,
        per_user_month,
        by_product,
        compare,
        plans: advice.as_ref().map(|a| Plans {
            plan: a.plan.cost.total,
            all_flex: a.all_flex.cost.total,
            all_subscription: a.all_subscription.cost.total,
            optimal: a.optimal,
        }),
    })
}
