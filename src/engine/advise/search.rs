//! The team's plan: one option per group, least subscriptions + cheapest order (B3).
//!
//! 1. Bounds. For the plans whose cheapest order sits in tier τ (price p, quantities
//!    lo..=hi), the order costs at least p·max(N, lo) (less half a minor unit of rounding)
//!    and N ≤ hi. With a multiplier μ ≥ 0 (money per token) this gives, for every such plan,
//!    cost ≥ μ·F + Σ_g (s_g + μ·t_g) + (p − μ)·(lo if μ ≤ p else hi), so
//!    φ_τ(μ) = μ·F + Σ_g min_j (s_j + μ·t_j) + … is a lower bound of the whole tier, and
//!    φ_τ(μ) + (s_j + μ·t_j − min_g) one of the tier's plans that use option j of group g.
//!    φ_τ is concave and piecewise linear: its maximum is found by walking the breakpoints
//!    of the groups' lower convex hulls. The bound of the team is the least over tiers.
//! 2. A good plan: for each promising tier, the options minimising s + μ·t at the best μ,
//!    then single changes of one group's option while any lowers the cost.
//! 3. Proof. Options whose bound exceeds the best plan's cost in every tier cannot be in
//!    an optimal plan; when few groups keep more than one option, an exact dynamic program
//!    over the tokens of those groups finds the optimum (ties: less subscription money, then
//!    fewer subscriptions). When that program would be too large, the best plan found is
//!    returned with the bound and the gap.
//!
//! Money is an integer number of units (see `Money` in the parent module); the bounds work
//! in units / `FINE` so that μ can fall between two units per token. Every product is
//! checked, and an overflow only gives up a proof, never a wrong answer.

use std::collections::HashMap;

use crate::engine::catalog::PriceBook;
use crate::engine::price::{order_total, Packs};

/// Sub-units per money unit in the bound computations.
pub const FINE: i128 = 1_000_000;
/// Largest dynamic program (cells: tokens range × options) tried for a proof.
pub const MAX_DP_CELLS: u64 = 40_000_000;

/// C(N) in money units: the total of the cheapest order of at least N tokens (P3).
pub struct OrderCost<'b> {
    pub book: &'b PriceBook,
    pub packs: Packs,
    to_units: &'b dyn Fn(rust_decimal::Decimal) -> Option<i128>,
    /// (lowest quantity of each tier, the cost of ordering that tier's first quantity),
    /// with the least such cost from each tier upwards.
    tier_floor: Vec<(u64, i128)>,
    memo: HashMap<u64, i128>,
    /// Greatest common divisor of the pack sizes: every orderable quantity is a multiple.
    unit: u64,
    /// `by_unit[u]`: total of the least orderable quantity ≥ u · unit (filled by `prepare`).
    by_unit: Vec<i128>,
    /// Last answer and the tokens for which it holds: (from, to, cost).
    last: (u64, u64, i128),
    pub overflow: bool,
}

impl<'b> OrderCost<'b> {
    pub fn new(
        book: &'b PriceBook,
        to_units: &'b dyn Fn(rust_decimal::Decimal) -> Option<i128>,
    ) -> OrderCost<'b> {
        let packs = Packs::new(book);
        let mut c = OrderCost {
            book,
            packs,
            to_units,
            tier_floor: Vec::new(),
            memo: HashMap::new(),
            unit: book.packs.iter().fold(0, |g, &p| gcd(g, p)).max(1),
            by_unit: Vec::new(),
            last: (1, 0, 0),
            overflow: false,
        };
        let mut floors: Vec<(u64, i128)> = book
            .tiers
            .iter()
            .map(|t| (t.from, c.order_of(t.from.max(1)).1))
            .collect();
        for i in (0..floors.len().saturating_sub(1)).rev() {
            floors[i].1 = floors[i].1.min(floors[i + 1].1);
        }
        c.tier_floor = floors;
        c
    }

    /// (least orderable quantity ≥ n, its total).
    fn order_of(&mut self, n: u64) -> (u64, i128) {
        let q = self.packs.least_at_least(n);
        if let Some(&v) = self.memo.get(&q) {
            return (q, v);
        }
        let v = match (self.to_units)(order_total(self.book, q)) {
            Some(v) => v,
            None => {
                self.overflow = true;
                i128::MAX / 4
            }
        };
        self.memo.insert(q, v);
        (q, v)
    }

    /// Tabulates the cost of every quantity up to `max` tokens when that is small.
    pub fn prepare(&mut self, max: u64) {
        let units = max.div_ceil(self.unit);
        if units > 4_000_000 {
            return;
        }
        self.by_unit = (0..=units)
            .map(|u| self.order_of((u * self.unit).max(1)).1)
            .collect();
    }

    pub fn cost(&mut self, n: u64) -> i128 {
        if n == 0 {
            return 0;
        }
        if let Some(&own) = self.by_unit.get(n.div_ceil(self.unit) as usize) {
            let k = self.tier_floor.partition_point(|&(from, _)| from <= n);
            return match self.tier_floor.get(k) {
                Some(&(_, c)) => own.min(c),
                None => own,
            };
        }
        if n >= self.last.0 && n <= self.last.1 {
            return self.last.2;
        }
        let (q, own) = self.order_of(n);
        // Tiers starting above n: ordering their first quantity may cost less.
        let k = self.tier_floor.partition_point(|&(from, _)| from <= n);
        let (above, seg_end) = match self.tier_floor.get(k) {
            Some(&(from, c)) => (c, from - 1),
            None => (i128::MAX, u64::MAX),
        };
        let v = own.min(above);
        self.last = (n, q.min(seg_end), v);
        v
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A cell of the exact program: a packed (money, count), `empty()` for no plan.
trait Cell: Copy + Ord + std::ops::Add<Output = Self> {
    fn empty() -> Self;
    fn from_i128(v: i128) -> Self;
    fn to_i128(self) -> i128;
}

impl Cell for i64 {
    fn empty() -> Self {
        i64::MAX / 2
    }
    fn from_i128(v: i128) -> Self {
        v as i64
    }
    fn to_i128(self) -> i128 {
        i128::from(self)
    }
}

impl Cell for i128 {
    fn empty() -> Self {
        i128::MAX / 2
    }
    fn from_i128(v: i128) -> Self {
        v
    }
    fn to_i128(self) -> i128 {
        self
    }
}

/// A tier as the bounds see it.
#[derive(Debug, Clone, Copy)]
pub struct TierBound {
    pub lo: u64,
    /// `u64::MAX` for the last tier.
    pub hi: u64,
    /// Price per token in sub-units (units × FINE), rounded down.
    pub price: i128,
}

/// The search's answer.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Chosen option per group.
    pub choice: Vec<usize>,
    pub tokens: u64,
    /// Proven lower bound of the optimum, money units.
    pub lower_bound: i128,
    pub optimal: bool,
    pub stats: Stats,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub groups: usize,
    pub options: usize,
    /// Groups left with more than one option after the bounds.
    pub open_groups: usize,
    pub open_options: usize,
    /// Cells of the exact program (0 when it was not needed or too large).
    pub dp_cells: u64,
}

/// Options of one group: (s, t, k), sorted by s then t then k, none dominated.
pub type Options = Vec<(i128, u64, u32)>;

pub struct Problem<'a, 'b> {
    pub groups: &'a [Options],
    /// Tokens no choice changes (products no offering covers, per-result services).
    pub fixed: u64,
    pub cost: &'a mut OrderCost<'b>,
    pub tiers: Vec<TierBound>,
    /// Half a minor unit, in money units (rounding of an order total).
    pub half_unit: i128,
    /// Plans to start the local search from (all-Flex, all-subscription, …), as choices.
    pub starts: Vec<Vec<usize>>,
    /// Bounds per order quantity when true (the tiers' bounds otherwise, as when the
    /// quantities are too many).
    pub by_quantity: bool,
}

type Key = (i128, i128, u64);
/// A breakpoint of one group's lower hull: (μ in sub-units, rounded down; tokens given up;
/// money added), where the group's minimiser of s + μ·t moves to fewer tokens.
type Event = (i128, u64, i128);

struct Lagrange {
    mu: i128,
    /// φ(μ) in sub-units; `None` when the tier cannot hold any plan.
    value: Option<i128>,
}

fn cm(a: i128, b: i128) -> Option<i128> {
    a.checked_mul(b)
}

impl Problem<'_, '_> {
    fn key(&mut self, s: i128, t: u64, k: u64) -> Key {
        let c = self.cost.cost(self.fixed + t);
        (s.saturating_add(c), s, k)
    }

    /// Subscription money, tokens and subscription count of a choice, summed over groups.
    fn sums(&self, choice: &[usize]) -> (i128, u64, u64) {
        let (mut s, mut t, mut k) = (0i128, 0u64, 0u64);
        for (g, &j) in choice.iter().enumerate() {
            let o = self.groups[g][j];
            s += o.0;
            t += o.1;
            k += u64::from(o.2);
        }
        (s, t, k)
    }

    fn key_of(&mut self, choice: &[usize]) -> Key {
        let (s, t, k) = self.sums(choice);
        self.key(s, t, k)
    }

    /// Index of the option minimising s·FINE + μ·t (ties: fewer tokens when `low_t`).
    fn argmin(opts: &Options, mu: i128, low_t: bool) -> Option<(usize, i128)> {
        let mut best: Option<(usize, i128)> = None;
        for (j, o) in opts.iter().enumerate() {
            let v = cm(o.0, FINE)?.checked_add(cm(mu, i128::from(o.1))?)?;
            let better = match best {
                None => true,
                Some((bj, bv)) => v < bv || (v == bv && low_t && o.1 < opts[bj].1),
            };
            if better {
                best = Some((j, v));
            }
        }
        best
    }

    fn phi(&self, tier: &TierBound, mu: i128) -> Option<i128> {
        let mut v = cm(mu, i128::from(self.fixed))?;
        for g in self.groups {
            v = v.checked_add(Self::argmin(g, mu, false)?.1)?;
        }
        let c = if mu <= tier.price { tier.lo } else { tier.hi };
        v.checked_add(cm(tier.price - mu, i128::from(c))?)
    }

    /// Breakpoints of all groups' lower hulls: (μ in sub-units, tokens given up there).
    fn breakpoints(&self) -> Option<Vec<Event>> {
        let mut ev = Vec::new();
        for g in self.groups {
            // 2-D frontier: least t for each s (options are sorted by s, t).
            let mut hull: Vec<(i128, u64)> = Vec::new();
            for &(s, t, _) in g {
                if hull.last().is_some_and(|h| h.0 == s || h.1 <= t) {
                    continue;
                }
                while hull.len() >= 2 {
                    let (a, b) = (hull[hull.len() - 2], hull[hull.len() - 1]);
                    // Drop b when the a→(s,t) line passes below it: slope(a,b) ≥ slope(b,new).
                    let lhs = cm(b.0 - a.0, i128::from(b.1 - t))?;
                    let rhs = cm(s - b.0, i128::from(a.1 - b.1))?;
                    if lhs >= rhs {
                        hull.pop();
                    } else {
                        break;
                    }
                }
                hull.push((s, t));
            }
            for w in hull.windows(2) {
                let ds = cm(w[1].0 - w[0].0, FINE)?;
                let dt = w[0].1 - w[1].1;
                ev.push((ds / i128::from(dt), dt, w[1].0 - w[0].0));
            }
        }
        super::sort::sort(&mut ev);
        Some(ev)
    }

    fn lagrange(&self, tier: &TierBound, events: &[Event]) -> Option<Lagrange> {
        let t0: u64 = self
            .groups
            .iter()
            .map(|g| g.first().map_or(0, |o| o.1))
            .sum();
        let mut slope = i128::from(self.fixed) + i128::from(t0) - i128::from(tier.lo);
        let mut mu = 0;
        let mut past_price = false;
        let mut i = 0;
        let done = |mu: i128| -> Option<Lagrange> {
            self.phi(tier, mu).map(|v| Lagrange { mu, value: Some(v) })
        };
        if slope <= 0 {
            return done(0);
        }
        loop {
            let next = events.get(i).map(|e| e.0);
            if !past_price && next.is_none_or(|x| x > tier.price) {
                past_price = true;
                if tier.hi == u64::MAX {
                    return done(tier.price);
                }
                slope -= i128::from(tier.hi - tier.lo);
                if slope <= 0 {
                    return done(tier.price);
                }
                continue;
            }
            let Some(&(x, dt, _)) = events.get(i) else {
                // Even the fewest tokens are above the tier: no plan of the tier exists.
                return Some(Lagrange { mu, value: None });
            };
            mu = x;
            slope -= i128::from(dt);
            i += 1;
            if slope <= 0 {
                return done(mu);
            }
        }
    }

    /// Exact reformulation: the optimum is min over orderable quantities Q of the order's
    /// total g(Q) + the least subscription money of a plan whose tokens fit in Q (a
    /// multiple-choice knapsack). Its Lagrangian bound, max over μ of
    /// H(μ) − μ·(Q − F) with H(μ) = Σ_g min_j (s_j + μ·t_j), bounds each Q and, with one
    /// group's option forced, each option. H at a whole μ is exact from the hull
    /// breakpoints below μ (prefix sums), so every Q costs a binary search. The minimisers
    /// just past the breakpoint where the tokens first fit are a plan for Q: the best few
    /// become starting plans. Returns which options survive every Q whose bound does not
    /// exceed the best plan (which it may improve), and the least bound over all Q; `None`
    /// when there are too many Q or an amount leaves exact arithmetic.
    fn quantity_bounds(
        &mut self,
        events: &[Event],
        best: &mut (Key, Vec<usize>),
    ) -> Option<(Vec<Vec<bool>>, i128, u64)> {
        const MAX_QUANTITIES: usize = 200_000;
        const STARTS: usize = 4;
        let first = |g: &Options| g.first().map_or((0, 0), |o| (o.0, o.1));
        let s_first: i128 = self.groups.iter().map(|g| first(g).0).sum();
        let t_first: u64 = self.groups.iter().map(|g| first(g).1).sum();
        let t_least: u64 = self
            .groups
            .iter()
            .map(|g| g.iter().map(|o| o.1).min().unwrap_or(0))
            .sum();
        let (n_min, n_max) = (self.fixed + t_least, self.fixed + t_first);
        let mut quantities = Vec::new();
        let mut q = self.cost.packs.least_at_least(n_min.max(1));
        while q < n_max {
            quantities.push(q);
            if quantities.len() > MAX_QUANTITIES {
                return None;
            }
            q = self.cost.packs.least_at_least(q + 1);
        }
        quantities.push(q);
        // Above the most tokens only a tier's first quantity can cost less (P3).
        for t in &self.cost.book.tiers {
            if t.from > q {
                quantities.push(self.cost.packs.least_at_least(t.from));
            }
        }
        // Prefix sums over the breakpoints: tokens given up and money added.
        let mut pre_t = vec![0u64; events.len() + 1];
        let mut pre_s = vec![0i128; events.len() + 1];
        for (i, e) in events.iter().enumerate() {
            pre_t[i + 1] = pre_t[i] + e.1;
            pre_s[i + 1] = pre_s[i].checked_add(e.2)?;
        }
        // H(μ) − μ·cap for a whole μ: breakpoints strictly below μ have been passed.
        let phi = |mu: i128, cap: u64| -> Option<i128> {
            let k = events.partition_point(|e| e.0 < mu);
            let h = cm(s_first.checked_add(pre_s[k])?, FINE)?
                .checked_add(cm(mu, i128::from(t_first - pre_t[k]))?)?;
            h.checked_sub(cm(mu, i128::from(cap))?)
        };
        // (bound, Q, μ, φ) per quantity.
        let mut rows: Vec<(i128, u64, i128, i128)> = Vec::with_capacity(quantities.len());
        for q in quantities {
            if q < self.fixed {
                continue;
            }
            let cap = q - self.fixed;
            let gq = self.cost.order_of(q).1;
            let (mu, value) = if t_first <= cap {
                (0, phi(0, cap)?)
            } else {
                let k = pre_t.partition_point(|&c| c < t_first - cap);
                let Some(e) = events.get(k.saturating_sub(1)) else {
                    continue;
                };
                let (a, b) = (phi(e.0, cap)?, phi(e.0 + 1, cap)?);
                if a >= b {
                    (e.0, a)
                } else {
                    (e.0 + 1, b)
                }
            };
            rows.push((gq.checked_add(value.div_euclid(FINE))?, q, mu, value));
        }
        super::sort::sort(&mut rows);
        let lower = rows.first().map_or(i128::MAX, |r| r.0);
        // Starting plans from the most promising quantities.
        for &(bound, q, mu, _) in rows.iter().take(STARTS) {
            if bound > best.0 .0 {
                break;
            }
            let c: Option<Vec<usize>> = self
                .groups
                .iter()
                .map(|g| Self::argmin(g, mu + 1, true).map(|x| x.0))
                .collect();
            if let Some(mut c) = c {
                self.fill(&mut c, q - self.fixed.min(q));
                let key = self.improve(&mut c);
                if key < best.0 {
                    *best = (key, c);
                }
            }
        }
        let mut alive: Vec<Vec<bool>> = self.groups.iter().map(|g| vec![false; g.len()]).collect();
        let mut mins = vec![0i128; self.groups.len()];
        // A plan costing no more than the best one orders a quantity whose bound does not
        // exceed it, so it burns at most the largest such quantity.
        let mut most = 0u64;
        for &(bound, q, mu, value) in &rows {
            if bound > best.0 .0 {
                break;
            }
            most = most.max(q);
            let gq = self.cost.order_of(q).1;
            let limit = cm(best.0 .0 - gq, FINE)?;
            for (g, opts) in self.groups.iter().enumerate() {
                mins[g] = Self::argmin(opts, mu, false)?.1;
            }
            for (g, opts) in self.groups.iter().enumerate() {
                for (j, o) in opts.iter().enumerate() {
                    if alive[g][j] {
                        continue;
                    }
                    let v = cm(o.0, FINE)?.checked_add(cm(mu, i128::from(o.1))?)?;
                    if value.saturating_add(v - mins[g]) <= limit {
                        alive[g][j] = true;
                    }
                }
            }
        }
        Some((alive, lower, most))
    }

    /// Greedy fill of a plan that leaves tokens unused below `cap`: groups move to options
    /// with more tokens and less money, the most money saved per token first, while the
    /// tokens still fit (the classic completion of a knapsack's relaxed solution).
    fn fill(&self, choice: &mut [usize], cap: u64) {
        let mut t: u64 = choice
            .iter()
            .enumerate()
            .map(|(g, &j)| self.groups[g][j].1)
            .sum();
        if t >= cap {
            return;
        }
        // (saved money per token as a fraction, group, option)
        let mut moves: Vec<(i128, u64, usize, usize)> = Vec::new();
        for (g, opts) in self.groups.iter().enumerate() {
            let cur = opts[choice[g]];
            let mut best: Option<(i128, u64, usize)> = None;
            for (j, o) in opts.iter().enumerate() {
                if o.1 > cur.1 && o.0 < cur.0 {
                    let (ds, dt) = (cur.0 - o.0, o.1 - cur.1);
                    let better = match best {
                        None => true,
                        Some((bs, bt, _)) => {
                            ds.saturating_mul(i128::from(bt)) > bs.saturating_mul(i128::from(dt))
                        }
                    };
                    if better {
                        best = Some((ds, dt, j));
                    }
                }
            }
            if let Some((ds, dt, j)) = best {
                moves.push((ds, dt, g, j));
            }
        }
        super::sort::sort_by(&mut moves, |a, b| {
            (b.0.saturating_mul(i128::from(a.1)))
                .cmp(&a.0.saturating_mul(i128::from(b.1)))
                .then(a.2.cmp(&b.2))
        });
        for (_, dt, g, j) in moves {
            if t + dt <= cap {
                t += dt;
                choice[g] = j;
            }
        }
    }

    /// Single-group changes while one lowers the key.
    #[allow(clippy::needless_range_loop)]
    fn improve(&mut self, choice: &mut [usize]) -> Key {
        let (mut s, mut t, mut k) = self.sums(choice);
        let mut best = self.key(s, t, k);
        for _ in 0..50 {
            let mut changed = false;
            for g in 0..self.groups.len() {
                let cur = self.groups[g][choice[g]];
                for j in 0..self.groups[g].len() {
                    if j == choice[g] {
                        continue;
                    }
                    let o = self.groups[g][j];
                    let (s2, t2, k2) = (
                        s - cur.0 + o.0,
                        t - cur.1 + o.1,
                        k - u64::from(cur.2) + u64::from(o.2),
                    );
                    let key = self.key(s2, t2, k2);
                    if key < best {
                        best = key;
                        choice[g] = j;
                        (s, t, k) = (s2, t2, k2);
                        changed = true;
                        break;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        best
    }

    pub fn solve(&mut self) -> Solution {
        let n = self.groups.len();
        let most_tokens = self
            .groups
            .iter()
            .map(|g| g.iter().map(|o| o.1).max().unwrap_or(0))
            .sum::<u64>();
        self.cost.prepare(self.fixed.saturating_add(most_tokens));
        let mut stats = Stats {
            groups: n,
            options: self.groups.iter().map(Vec::len).sum(),
            ..Stats::default()
        };
        // The best plan so far: all-Flex-most (the least-money option of every group).
        let mut best_choice = vec![0usize; n];
        let mut best = self.improve(&mut best_choice);
        for start in std::mem::take(&mut self.starts) {
            let mut c = start;
            let key = self.improve(&mut c);
            if key < best {
                best = key;
                best_choice = c;
            }
        }

        // Plans with no token at all: each group's cheapest zero-token option.
        let mut zero: Option<(Key, Vec<usize>)> = None;
        if self.fixed == 0 {
            let mut c = Vec::with_capacity(n);
            for g in self.groups {
                match g.iter().position(|o| o.1 == 0) {
                    Some(j) => c.push(j),
                    None => break,
                }
            }
            if c.len() == n {
                let key = self.key_of(&c);
                zero = Some((key, c));
            }
        }
        if let Some((key, c)) = &zero {
            if *key < best {
                best = *key;
                best_choice = c.clone();
            }
        }

        let events = self.breakpoints();
        let tiers = self.tiers.clone();
        let mut bounds: Vec<Option<(TierBound, Lagrange)>> = Vec::new();
        if let Some(ev) = &events {
            for tier in &tiers {
                let l = self.lagrange(tier, ev);
                bounds.push(l.map(|l| (*tier, l)));
            }
        }
        // Starting points from the bounds' minimisers.
        let mut order: Vec<usize> = (0..bounds.len()).collect();
        let half_unit = self.half_unit;
        let tier_lb = move |b: &Option<(TierBound, Lagrange)>| -> i128 {
            match b {
                Some((_, Lagrange { value: Some(v), .. })) => v.div_euclid(FINE) - half_unit,
                Some((_, Lagrange { value: None, .. })) => i128::MAX,
                None => i128::MIN,
            }
        };
        super::sort::sort_by_key(&mut order, |&i| tier_lb(&bounds[i]));
        // (Bounds per quantity bring better starting plans of their own.)
        let tier_starts = if self.by_quantity { 0 } else { 3 };
        for &i in order.iter().take(tier_starts) {
            let Some((_, l)) = &bounds[i] else { continue };
            if l.value.is_none() || tier_lb(&bounds[i]) > best.0 {
                continue;
            }
            for low_t in [false, true] {
                let c: Option<Vec<usize>> = self
                    .groups
                    .iter()
                    .map(|g| Self::argmin(g, l.mu, low_t).map(|x| x.0))
                    .collect();
                if let Some(mut c) = c {
                    let key = self.improve(&mut c);
                    if key < best {
                        best = key;
                        best_choice = c;
                    }
                }
            }
        }

        // Which options can still be in an optimal plan: per order quantity when the
        // quantities are few enough (the exact reformulation), else per tier.
        let mut incumbent = (best, best_choice.clone());
        let by_quantity = match &events {
            Some(ev) if self.by_quantity => self.quantity_bounds(ev, &mut incumbent),
            _ => None,
        };
        (best, best_choice) = incumbent;
        let mut alive: Vec<Vec<bool>>;
        let mut lower;
        let mut most_tokens = u64::MAX;
        if let Some((by_q, lower_q, most)) = by_quantity {
            alive = by_q;
            most_tokens = most;
            lower = lower_q.min(best.0);
            if let Some((key, _)) = &zero {
                lower = lower.min(key.0);
            }
        } else {
            lower = best.0;
            if let Some((key, _)) = &zero {
                lower = lower.min(key.0);
            }
            alive = self.groups.iter().map(|g| vec![false; g.len()]).collect();
            let mut all_alive = false;
            for b in &bounds {
                let lb = tier_lb(b);
                lower = lower.min(lb);
                let Some((_, l)) = b else {
                    all_alive = true;
                    continue;
                };
                let Some(phi_star) = l.value else { continue };
                if lb > best.0 {
                    continue;
                }
                let (tier, mu_star) = (b.as_ref().map(|x| x.0), l.mu);
                let Some(tier) = tier else { continue };
                let limit = (best.0 + self.half_unit).checked_mul(FINE);
                // An option's bound is best at a multiplier that leans towards its own tokens:
                // try μ* and multipliers around it, and keep each option's best bound.
                let mut mus = vec![mu_star];
                for k in 3..14 {
                    let d = (tier.price >> k).max(1);
                    mus.push(mu_star + d);
                    if mu_star >= d {
                        mus.push(mu_star - d);
                    }
                }
                let mut best_bound: Vec<Vec<Option<i128>>> =
                    self.groups.iter().map(|g| vec![None; g.len()]).collect();
                for (ci, &mu) in mus.iter().enumerate() {
                    let phi = if ci == 0 {
                        Some(phi_star)
                    } else {
                        self.phi(&tier, mu)
                    };
                    let Some(phi) = phi else { continue };
                    for (g, opts) in self.groups.iter().enumerate() {
                        let Some((_, min_g)) = Self::argmin(opts, mu, false) else {
                            continue;
                        };
                        for (j, o) in opts.iter().enumerate() {
                            let v =
                                cm(o.0, FINE).and_then(|a| a.checked_add(cm(mu, i128::from(o.1))?));
                            if let Some(v) = v {
                                let bound = phi.saturating_add(v - min_g);
                                let e = &mut best_bound[g][j];
                                *e = Some(e.map_or(bound, |x| x.max(bound)));
                            }
                        }
                    }
                }
                for (g, bounds_g) in best_bound.iter().enumerate() {
                    for (j, bound) in bounds_g.iter().enumerate() {
                        let keep = match (bound, limit) {
                            (Some(v), Some(limit)) => *v <= limit,
                            _ => true,
                        };
                        alive[g][j] |= keep;
                    }
                }
            }
            if events.is_none() || bounds.is_empty() {
                all_alive = true;
                lower = i128::MIN;
            }
            if all_alive {
                alive
                    .iter_mut()
                    .for_each(|a| a.iter_mut().for_each(|x| *x = true));
            }
        }
        // The incumbent's own options always stay (ties must be compared with it).
        for (g, &j) in best_choice.iter().enumerate() {
            alive[g][j] = true;
        }

        // Exact program over the groups that keep more than one option.
        let mut open: Vec<usize> = (0..n)
            .filter(|&g| alive[g].iter().filter(|&&a| a).count() > 1)
            .collect();
        // Narrow groups first: the program's rows grow as slowly as possible.
        let width = |g: usize| {
            let ts = self.groups[g]
                .iter()
                .zip(&alive[g])
                .filter(|x| *x.1)
                .map(|x| x.0 .1);
            ts.clone().max().unwrap_or(0) - ts.min().unwrap_or(0)
        };
        super::sort::sort_by_key(&mut open, |&g| (width(g), g));
        stats.open_groups = open.len();
        stats.open_options = open
            .iter()
            .map(|&g| alive[g].iter().filter(|&&a| a).count())
            .sum();
        let (mut s0, mut t0, mut k0) = (0i128, 0u64, 0u64);
        let mut fixed_choice = vec![0usize; n];
        for g in 0..n {
            if !open.contains(&g) {
                let j = alive[g].iter().position(|&a| a).unwrap_or(0);
                fixed_choice[g] = j;
                let o = self.groups[g][j];
                s0 += o.0;
                t0 += o.1;
                k0 += u64::from(o.2);
            }
        }
        let mut lists: Vec<Vec<usize>> = Vec::new();
        let mut least = self.fixed + t0;
        for &g in &open {
            let l: Vec<usize> = (0..self.groups[g].len()).filter(|&j| alive[g][j]).collect();
            least += l.iter().map(|&j| self.groups[g][j].1).min().unwrap_or(0);
            lists.push(l);
        }
        // Token sums of the open groups above `cap` cannot be in a plan as good as the best.
        let cap = most_tokens.saturating_sub(least);
        let mut cells: u64 = 0;
        let mut range: u64 = 0;
        for (oi, &g) in open.iter().enumerate() {
            let ts = lists[oi].iter().map(|&j| self.groups[g][j].1);
            range = range
                .saturating_add(ts.clone().max().unwrap_or(0) - ts.min().unwrap_or(0))
                .min(cap);
            cells = cells.saturating_add(
                range
                    .saturating_add(1)
                    .saturating_mul(lists[oi].len() as u64),
            );
        }
        let mut optimal = false;
        let most_money: i128 = self
            .groups
            .iter()
            .map(|g| g.iter().map(|o| o.0).max().unwrap_or(0))
            .sum();
        let fits = most_money < 1 << 90 && lists.iter().all(|l| l.len() < usize::from(u16::MAX));
        if cells <= MAX_DP_CELLS && !self.cost.overflow && fits {
            stats.dp_cells = cells;
            let (c, key) = self.exact(&open, &lists, (s0, t0, k0), &fixed_choice, cap as usize);
            if key <= best {
                best = key;
                best_choice = c;
            }
            if let Some((zk, zc)) = &zero {
                if *zk < best {
                    best = *zk;
                    best_choice = zc.clone();
                }
            }
            optimal = true;
            lower = best.0;
        }
        let t: u64 = best_choice
            .iter()
            .enumerate()
            .map(|(g, &j)| self.groups[g][j].1)
            .sum();
        Solution {
            choice: best_choice,
            tokens: self.fixed + t,
            lower_bound: lower.min(best.0).max(0),
            optimal,
            stats,
        }
    }

    /// The program's rows: for each token sum of the open groups (from their least), the
    /// least (subscription money, subscriptions) packed as money · 2^shift + count, so
    /// that one comparison orders both; and per group, the option chosen in each cell.
    #[allow(clippy::type_complexity)]
    fn program<T: Cell>(
        &self,
        open: &[usize],
        lists: &[Vec<usize>],
        base_t: u64,
        shift: u32,
        cap: usize,
    ) -> (Vec<(i128, u64)>, Vec<Vec<u16>>, u64) {
        let empty = T::empty();
        let mut base_t = base_t;
        let mut dp: Vec<T> = vec![T::from_i128(0)];
        let mut back: Vec<Vec<u16>> = Vec::with_capacity(open.len());
        for (oi, &g) in open.iter().enumerate() {
            let opts = &self.groups[g];
            let tmin = lists[oi].iter().map(|&j| opts[j].1).min().unwrap_or(0);
            let tmax = lists[oi].iter().map(|&j| opts[j].1).max().unwrap_or(0);
            base_t += tmin;
            let width = (tmax - tmin) as usize;
            let mut next = vec![empty; (dp.len() + width).min(cap + 1)];
            let mut choice = vec![u16::MAX; next.len()];
            for (li, &j) in lists[oi].iter().enumerate() {
                let o = opts[j];
                let at = (o.1 - tmin) as usize;
                if at >= next.len() {
                    continue;
                }
                let add = T::from_i128((o.0 << shift) + i128::from(o.2));
                // Empty cells hold half the type's range: adding an option keeps them above
                // every real cell, with no overflow and no branch.
                for ((&v, slot), c) in dp.iter().zip(&mut next[at..]).zip(&mut choice[at..]) {
                    let cand = v + add;
                    if cand < *slot {
                        *slot = cand;
                        *c = li as u16;
                    }
                }
            }
            dp = next;
            back.push(choice);
        }
        let mask = (1i128 << shift) - 1;
        let dp = dp
            .into_iter()
            .map(|v| {
                let v = v.to_i128();
                if v >= empty.to_i128() {
                    (i128::MAX, 0)
                } else {
                    (v >> shift, (v & mask) as u64)
                }
            })
            .collect();
        (dp, back, base_t)
    }

    /// Dynamic program over the open groups' tokens: for each token sum, the least
    /// (subscription money, subscriptions); then the best sum under the real order cost.
    fn exact(
        &mut self,
        open: &[usize],
        lists: &[Vec<usize>],
        base: (i128, u64, u64),
        fixed: &[usize],
        cap: usize,
    ) -> (Vec<usize>, Key) {
        let most_money: i128 = open
            .iter()
            .map(|&g| self.groups[g].iter().map(|o| o.0).max().unwrap_or(0))
            .sum();
        let most_count: u64 = open
            .iter()
            .map(|&g| {
                self.groups[g]
                    .iter()
                    .map(|o| u64::from(o.2))
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        let (dp, back, base_t) = if most_money < 1 << 40 && most_count < 1 << 16 {
            self.program::<i64>(open, lists, base.1, 16, cap)
        } else {
            self.program::<i128>(open, lists, base.1, 32, cap)
        };
        let mut best: Option<(Key, usize)> = None;
        for (x, &(s, k)) in dp.iter().enumerate() {
            if s == i128::MAX {
                continue;
            }
            let key = self.key(base.0 + s, base_t + x as u64, base.2 + k);
            if best.is_none_or(|b| key < b.0) {
                best = Some((key, x));
            }
        }
        let (key, mut x) = best.unwrap_or(((i128::MAX, i128::MAX, u64::MAX), 0));
        let mut choice = fixed.to_vec();
        for oi in (0..open.len()).rev() {
            let g = open[oi];
            let li = back[oi][x] as usize;
            let j = lists[oi][li];
            choice[g] = j;
            let tmin = lists[oi]
                .iter()
                .map(|&j| self.groups[g][j].1)
                .min()
                .unwrap_or(0);
            x -= (self.groups[g][j].1 - tmin) as usize;
        }
        (choice, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::catalog::Tier;

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % n
        }
    }

    fn book(rng: &mut Rng) -> PriceBook {
        let mut tiers = vec![Tier {
            from: 1,
            price: rust_decimal::Decimal::new(300 + rng.below(50) as i64, 2),
        }];
        for _ in 0..rng.below(4) {
            let last = tiers
                .last()
                .map_or((1, 0), |t| (t.from, t.price.mantissa()));
            tiers.push(Tier {
                from: last.0 + 1 + rng.below(120),
                price: rust_decimal::Decimal::new((last.1 - rng.below(40) as i128) as i64, 2),
            });
        }
        PriceBook {
            currency: "EUR".into(),
            minor_units: 2,
            tiers,
            packs: vec![10 + rng.below(20), 50],
        }
    }

    /// Random groups of options (kept as `prune` leaves them) against every combination:
    /// both kinds of bounds must lead to the lexicographic optimum.
    #[test]
    fn solve_matches_enumeration() {
        let mut rng = Rng(11);
        for case in 0..400 {
            let b = book(&mut rng);
            let to_units =
                |d: rust_decimal::Decimal| Some(d.mantissa() * 10i128.pow(2 - d.scale().min(2)));
            let n = 1 + rng.below(5) as usize;
            let groups: Vec<Options> = (0..n)
                .map(|_| {
                    let mut v: Vec<(i128, u64, u32, ())> = (0..1 + rng.below(5))
                        .map(|_| {
                            (
                                rng.below(4) as i128 * 500 + rng.below(3) as i128 * 7,
                                rng.below(120),
                                rng.below(3) as u32,
                                (),
                            )
                        })
                        .collect();
                    v.push((0, 60 + rng.below(80), 0, ()));
                    crate::engine::advise::frontier::prune(&mut v);
                    v.into_iter().map(|x| (x.0, x.1, x.2)).collect()
                })
                .collect();
            let fixed = rng.below(40);
            let mut expected: Option<Key> = None;
            let mut cost = OrderCost::new(&b, &to_units);
            let mut idx = vec![0usize; n];
            'all: loop {
                let (s, t, k) = idx
                    .iter()
                    .enumerate()
                    .fold((0i128, 0u64, 0u64), |a, (g, &j)| {
                        let o = groups[g][j];
                        (a.0 + o.0, a.1 + o.1, a.2 + u64::from(o.2))
                    });
                let key = (s + cost.cost(fixed + t), s, k);
                if expected.is_none_or(|e| key < e) {
                    expected = Some(key);
                }
                for g in 0..n {
                    idx[g] += 1;
                    if idx[g] < groups[g].len() {
                        continue 'all;
                    }
                    idx[g] = 0;
                }
                break;
            }
            for by_quantity in [true, false] {
                let mut cost = OrderCost::new(&b, &to_units);
                let tiers = b
                    .tiers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| TierBound {
                        lo: t.from,
                        hi: b.tiers.get(i + 1).map_or(u64::MAX, |x| x.from - 1),
                        price: t.price.mantissa() * FINE,
                    })
                    .collect();
                let sol = Problem {
                    groups: &groups,
                    fixed,
                    cost: &mut cost,
                    tiers,
                    half_unit: 0,
                    starts: vec![],
                    by_quantity,
                }
                .solve();
                let (s, t, k) =
                    sol.choice
                        .iter()
                        .enumerate()
                        .fold((0i128, 0u64, 0u64), |a, (g, &j)| {
                            let o = groups[g][j];
                            (a.0 + o.0, a.1 + o.1, a.2 + u64::from(o.2))
                        });
                let mut c2 = OrderCost::new(&b, &to_units);
                let got = (s + c2.cost(fixed + t), s, k);
                assert_eq!(
                    Some(got),
                    expected,
                    "case {case}, by quantity {by_quantity}: {groups:?} fixed {fixed}"
                );
                assert!(sol.optimal);
                assert!(sol.lower_bound <= got.0);
            }
        }
    }
}
