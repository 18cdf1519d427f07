//! A token-usage file held against flexcalc's replay of it: for each user × product ×
//! month, the tokens the file charged beside those the replay charges at today's rates,
//! and why they differ where they do.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{FileUse, Import};
use crate::engine::error::InputError;
use crate::engine::model::Model;
use crate::engine::report::{Item, Report};
use crate::engine::simulate::{month_starts, run};
use crate::engine::validate::validate;

/// One row of the reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciled {
    /// The scenario's user id.
    pub user: String,
    pub product: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Tokens the file charged, and on how many days.
    pub file: Decimal,
    pub file_days: u32,
    /// Tokens the replay charges, and on how many days.
    pub flexcalc: u64,
    pub flexcalc_days: u32,
    /// Today's daily rate of the product (the catalog's).
    pub rate: u64,
    /// Why the two differ: `rate` (the file charged another daily rate: the rate changed
    /// since, or the row was a partial charge), `days` (the replay charged on other days),
    /// `None` when they agree.
    pub why: Option<String>,
}

/// The reconciliation of `import` (a token-usage file's, with its replay) against the
/// simulation of its scenario. Empty for other files, and for forecasts.
pub fn reconcile(import: &Import) -> Result<Vec<Reconciled>, InputError> {
    match &import.scenario {
        Some(s) if !import.file_use.is_empty() => {
            let model = validate(s)?;
            Ok(against(import, &model, &run(&model)))
        }
        _ => Ok(Vec::new()),
    }
}

fn against(import: &Import, model: &Model, report: &Report) -> Vec<Reconciled> {
    let months = month_starts(model);
    let month_of = |at| {
        let i = months.partition_point(|(_, start)| *start <= at);
        i.saturating_sub(1).min(months.len() - 1)
    };
    // By indexes while counting (a million charges), by names once counted.
    let mut counted: HashMap<(u32, u32, usize), (u64, u32)> = HashMap::default();
    for c in report.charges() {
        let Item::Product(p) = c.item() else {
            continue;
        };
        let e = counted.entry((c.user, p, month_of(c.at))).or_default();
        e.0 += c.tokens;
        e.1 += 1;
    }
    let replay: BTreeMap<(String, String, String), (u64, u32)> = counted
        .into_iter()
        .map(|((u, p, m), v)| {
            let key = (
                report.user_ids[u as usize].clone(),
                report.products[p as usize].clone(),
                months[m].0.clone(),
            );
            (key, v)
        })
        .collect();
    let rate = |product: &str| {
        model
            .products
            .iter()
            .find(|p| p.id == product)
            .map_or(0, |p| p.tokens)
    };
    let mut keys: Vec<&(String, String, String)> =
        import.file_use.keys().chain(replay.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let f = import
                .file_use
                .get(k)
                .copied()
                .unwrap_or(FileUse::default());
            let (tokens, days) = replay.get(k).copied().unwrap_or_default();
            let rate = rate(&k.1);
            let why = if f.tokens == Decimal::from(tokens) {
                None
            } else if f.days != days {
                Some("days")
            } else {
                Some("rate")
            };
            Reconciled {
                user: k.0.clone(),
                product: k.1.clone(),
                month: k.2.clone(),
                file: f.tokens,
                file_days: f.days,
                flexcalc: tokens,
                flexcalc_days: days,
                rate,
                why: why.map(str::to_string),
            }
        })
        .collect()
}
