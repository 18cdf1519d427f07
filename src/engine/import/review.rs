//! What the web app shows of an imported file before it replaces the scenario: the import
//! itself, the file held against its replay, and what the file's tokens (matched
//! products) would cost bought today.

use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::{
    import_with_progress, reconcile, History, Import, ImportError, ImportOptions, Reconciled,
    TodayCost,
};
use crate::engine::catalog::Catalog;
use crate::engine::price::{cheapest_order, Order};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub import: Import,
    /// Empty but for a token-usage file replayed (see `reconcile`).
    pub reconciliation: Vec<Reconciled>,
    /// Tokens of the file's matched products (a fraction counts as a whole token).
    pub matched_tokens: u64,
    /// The cheapest order of `matched_tokens` at today's price book in the options'
    /// currency (P3): what the same use would cost on Flex now (a Token Flex export's
    /// tokens are its programme's, not today's daily rates).
    pub order: Order,
}

/// What the history's tokens of catalog products would cost bought today at the built-in
/// book of `currency` (`None`: no such book).
pub fn today_cost(history: &History, currency: &str) -> Option<TodayCost> {
    let catalog = Catalog::builtin();
    let matched = history
        .by_product
        .iter()
        .filter(|(id, _)| catalog.product(id).is_some())
        .map(|(_, t)| t.value)
        .sum::<rust_decimal::Decimal>();
    let tokens = matched.ceil().to_u64().unwrap_or(0);
    let book = catalog.book(currency)?;
    Some(TodayCost {
        tokens,
        order: cheapest_order(book, tokens),
    })
}

pub fn review(bytes: &[u8], options: &ImportOptions) -> Result<Review, ImportError> {
    review_with_progress(bytes, options, &mut |_, _| {})
}

/// `review`, telling `progress` how far the reading of the rows is (as
/// `import_with_progress` does): the web app's progress bar.
pub fn review_with_progress(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Review, ImportError> {
    let imported = import_with_progress(bytes, options, progress)?;
    let reconciliation = reconcile(&imported).map_err(|e| {
        // The replay is the import's own scenario: a refusal is a bug, said as such.
        ImportError::at(
            0,
            0,
            format!("an internal error: the replay is refused: {e}"),
        )
    })?;
    let cost = today_cost(&imported.history, &options.currency)
        .ok_or_else(|| ImportError::at(0, 0, format!("currency: {:?}", options.currency)))?;
    Ok(Review {
        order: cost.order,
        import: imported,
        reconciliation,
        matched_tokens: cost.tokens,
    })
}
