//! P1–P3: whole-order tier prices, orderable quantities and the cheapest order.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::engine::catalog::PriceBook;
use crate::engine::error::InputError;

/// Largest pack of a custom book, in multiples of the packs' greatest common divisor:
/// keeps the exact pack-split search small (it works on at most this squared).
pub const MAX_PACK_RATIO: u64 = 1000;

/// Most packs an order may list: beyond, the answer would be megabytes of pack sizes and
/// the shells refuse it with a message instead (only absurd custom books get there).
pub const MAX_ORDER_PACKS: u64 = 100_000;

/// The rules a price book obeys (SPEC §6 price_book); errors name the field.
pub fn check_book(b: &PriceBook) -> Result<(), InputError> {
    if b.tiers.is_empty() {
        return Err(InputError::new(
            "tiers",
            "a price book needs at least one tier",
        ));
    }
    if b.tiers[0].from != 1 {
        return Err(InputError::new(
            "tiers[0].from",
            format!("{} should be 1: tiers start at 1", b.tiers[0].from),
        ));
    }
    for (i, t) in b.tiers.iter().enumerate() {
        if t.price.is_sign_negative() {
            return Err(InputError::new(
                format!("tiers[{i}].price"),
                "a price cannot be negative",
            ));
        }
        if i > 0 {
            let prev = &b.tiers[i - 1];
            if t.from <= prev.from {
                return Err(InputError::new(
                    format!("tiers[{i}].from"),
                    format!(
                        "{} does not rise above the previous tier's {}",
                        t.from, prev.from
                    ),
                ));
            }
            if t.price > prev.price {
                return Err(InputError::new(
                    format!("tiers[{i}].price"),
                    format!(
                        "{} is above the previous tier's {}: prices never rise",
                        t.price, prev.price
                    ),
                ));
            }
        }
    }
    if b.packs.is_empty() {
        return Err(InputError::new(
            "packs",
            "a price book needs at least one pack size",
        ));
    }
    for (i, &p) in b.packs.iter().enumerate() {
        if p == 0 || p > 1_000_000_000 {
            return Err(InputError::new(
                format!("packs[{i}]"),
                format!("{p} is not a pack size from 1 to 1000000000"),
            ));
        }
    }
    let g = b.packs.iter().fold(0, |g, &p| gcd(g, p));
    let max = b.packs.iter().copied().max().unwrap_or(1);
    if max / g > MAX_PACK_RATIO {
        return Err(InputError::new(
            "packs",
            format!("the largest pack ({max}) may be at most {MAX_PACK_RATIO} times the packs' common divisor ({g})"),
        ));
    }
    Ok(())
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// P1: the tier price for an order of `q` tokens (`q` ≥ 1).
pub fn unit_price(b: &PriceBook, q: u64) -> Decimal {
    b.tiers
        .iter()
        .rev()
        .find(|t| t.from <= q)
        .unwrap_or(&b.tiers[0])
        .price
}

/// P1: `q` × unit price, rounded half away from zero to the currency's minor unit.
pub fn order_total(b: &PriceBook, q: u64) -> Decimal {
    if q == 0 {
        return money(b, Decimal::ZERO);
    }
    // Validation bounds prices and quantities far below Decimal's range; saturate anyway
    // rather than panic.
    let total = Decimal::from(q)
        .checked_mul(unit_price(b, q))
        .unwrap_or(Decimal::MAX);
    money(b, total)
}

/// Rounds an amount to the book's minor unit, half away from zero, written with exactly
/// that many decimals.
pub fn money(b: &PriceBook, amount: Decimal) -> Decimal {
    let mut r =
        amount.round_dp_with_strategy(b.minor_units, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(b.minor_units);
    r
}

/// Pack arithmetic of one book: which quantities are orderable (P2) and their split into
/// the fewest packs, larger packs first on ties (P3).
pub struct Packs {
    /// Greatest common divisor of the pack sizes; quantities are counted in these units.
    unit: u64,
    /// Pack sizes in units, largest first.
    sizes: Vec<u64>,
    /// Above this many units, an optimal split always holds one largest pack.
    bound: u64,
    /// `best[u]`: fewest packs summing to u units (`u32::MAX`: not orderable).
    best: Vec<u32>,
    /// `first[u]`: the largest pack that starts a fewest-packs split of u.
    first: Vec<u64>,
}

impl Packs {
    pub fn new(b: &PriceBook) -> Packs {
        let unit = b.packs.iter().fold(0, |g, &p| gcd(g, p)).max(1);
        let mut sizes: Vec<u64> = b.packs.iter().map(|p| p / unit).collect();
        crate::engine::advise::sort::sort_by(&mut sizes, |a, b| b.cmp(a));
        sizes.dedup();
        let l = sizes[0];
        // With more than l units, every split has at least l packs, among which some
        // subset sums to a multiple of l: trading it for largest packs never adds packs.
        let bound = l * l + l;
        let n = bound as usize + 1;
        let mut best = vec![u32::MAX; n];
        let mut first = vec![0u64; n];
        best[0] = 0;
        for u in 1..n {
            for &s in &sizes {
                let s_us = s as usize;
                if s_us <= u && best[u - s_us] != u32::MAX && best[u - s_us] + 1 < best[u] {
                    best[u] = best[u - s_us] + 1;
                    first[u] = s;
                }
            }
        }
        Packs {
            unit,
            sizes,
            bound,
            best,
            first,
        }
    }

    fn reduce(&self, units: u64) -> (u64, u64) {
        if units <= self.bound {
            (0, units)
        } else {
            let l = self.sizes[0];
            let k = (units - self.bound).div_ceil(l);
            (k, units - k * l)
        }
    }

    pub fn orderable(&self, q: u64) -> bool {
        q.is_multiple_of(self.unit) && {
            let (_, r) = self.reduce(q / self.unit);
            self.best[r as usize] != u32::MAX
        }
    }

    /// P2: the least orderable quantity ≥ n (n ≥ 1).
    pub fn least_at_least(&self, n: u64) -> u64 {
        let mut u = n.max(1).div_ceil(self.unit);
        loop {
            let (_, r) = self.reduce(u);
            if self.best[r as usize] != u32::MAX {
                return u * self.unit;
            }
            u += 1;
        }
    }

    /// How many packs the split of `q` (orderable) holds.
    pub fn count(&self, q: u64) -> u64 {
        let (k, r) = self.reduce(q / self.unit);
        k + u64::from(self.best[r as usize])
    }

    /// P3: `q` (orderable) split into the fewest packs, larger first on ties; sizes in tokens.
    pub fn split(&self, q: u64) -> Vec<u64> {
        let (k, mut r) = self.reduce(q / self.unit);
        let l = self.sizes[0];
        let mut out: Vec<u64> = vec![l * self.unit; k as usize];
        while r > 0 && self.best[r as usize] != u32::MAX {
            let s = self.first[r as usize];
            out.push(s * self.unit);
            r -= s;
        }
        crate::engine::advise::sort::sort_by(&mut out, |a, b| b.cmp(a));
        out
    }
}

/// An order of tokens: its quantity, packs, unit price and total (P1–P3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(from = "OrderFields")]
pub struct Order {
    pub currency: String,
    pub tokens_needed: u64,
    pub tokens: u64,
    pub packs: Vec<u64>,
    /// `None` for the empty order.
    pub unit_price: Option<Decimal>,
    pub total: Decimal,
    /// How many packs the order holds; `packs` is left empty when it is over
    /// `MAX_ORDER_PACKS`, and the shells refuse such an order. Not in the JSON: read back
    /// (the page's copy of the worker's answer) it is the packs listed.
    #[serde(skip)]
    pub pack_count: u64,
}

/// An order as its JSON has it (the page reads the worker's answer back through this).
#[derive(serde::Deserialize)]
struct OrderFields {
    currency: String,
    tokens_needed: u64,
    tokens: u64,
    packs: Vec<u64>,
    unit_price: Option<Decimal>,
    total: Decimal,
}

impl From<OrderFields> for Order {
    fn from(o: OrderFields) -> Order {
        Order {
            pack_count: o.packs.len() as u64,
            currency: o.currency,
            tokens_needed: o.tokens_needed,
            tokens: o.tokens,
            packs: o.packs,
            unit_price: o.unit_price,
            total: o.total,
        }
    }
}

impl Order {
    /// The refusal for an order too large to list, if it is one; `what` says what to
    /// change (at `path`).
    pub fn too_large(&self, path: &str, what: &str) -> Result<(), InputError> {
        if self.pack_count > MAX_ORDER_PACKS {
            return Err(InputError::new(
                path,
                format!(
                    "the order of {} tokens would list {} packs, more than {MAX_ORDER_PACKS}: {what}",
                    self.tokens, self.pack_count
                ),
            ));
        }
        Ok(())
    }
}

fn order_of(b: &PriceBook, packs: &Packs, needed: u64, q: u64) -> Order {
    let pack_count = if q == 0 { 0 } else { packs.count(q) };
    Order {
        currency: b.currency.clone(),
        tokens_needed: needed,
        tokens: q,
        pack_count,
        packs: if q == 0 || pack_count > MAX_ORDER_PACKS {
            Vec::new()
        } else {
            packs.split(q)
        },
        unit_price: (q > 0).then(|| unit_price(b, q)),
        total: order_total(b, q),
    }
}

/// P3: the cheapest order of at least `n` tokens (ties: the smaller quantity).
pub fn cheapest_order(b: &PriceBook, n: u64) -> Order {
    cheapest_order_with(b, &Packs::new(b), n)
}

pub fn cheapest_order_with(b: &PriceBook, packs: &Packs, n: u64) -> Order {
    if n == 0 {
        return order_of(b, packs, 0, 0);
    }
    let mut best_q = packs.least_at_least(n);
    let mut best_total = order_total(b, best_q);
    for t in &b.tiers {
        if t.from > n {
            let q = packs.least_at_least(t.from);
            let total = order_total(b, q);
            if total < best_total || (total == best_total && q < best_q) {
                best_q = q;
                best_total = total;
            }
        }
    }
    order_of(b, packs, n, best_q)
}

/// `flexcalc quote`: the cheapest order, and beside it the plain order of the least
/// orderable quantity ≥ n for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    #[serde(flatten)]
    pub order: Order,
    pub exact: Order,
}

pub fn quote(b: &PriceBook, n: u64) -> Quote {
    let packs = Packs::new(b);
    let exact_q = if n == 0 { 0 } else { packs.least_at_least(n) };
    Quote {
        order: cheapest_order_with(b, &packs, n),
        exact: order_of(b, &packs, n, exact_q),
    }
}

/// The most tokens a quote is asked for (`flexcalc quote`, the widget's `quote`).
pub const MAX_QUOTE_TOKENS: u64 = 1_000_000_000;

/// A quote asked for as text (a command line's or a page's): the token count read (0 to
/// `MAX_QUOTE_TOKENS`), then `quote`, each order refused if too large to list. Refusals
/// are located at `at`, the name the asker gave the count.
pub fn quote_text(b: &PriceBook, tokens: &str, at: &str) -> Result<Quote, InputError> {
    let n: u64 = tokens
        .parse()
        .ok()
        .filter(|n| *n <= MAX_QUOTE_TOKENS)
        .ok_or_else(|| {
            InputError::new(
                at,
                format!("{tokens:?} is not a whole number of tokens from 0 to {MAX_QUOTE_TOKENS}"),
            )
        })?;
    let q = quote(b, n);
    q.order.too_large(at, "ask for fewer tokens")?;
    q.exact.too_large(at, "ask for fewer tokens")?;
    Ok(q)
}
