//! The options of one group of products of one user, reduced to those that can be best.
//!
//! A group is a set of products of one user that offerings tie together (an offering
//! covering two products joins them); different groups never share an offering, so the
//! team's plan is one option per group. An option is (money in subscriptions `s`, tokens
//! still burnt `t`, number of subscriptions `k`). Since the cheapest order never costs less
//! for more tokens, an option is dropped when another has `s' < s` and `t' ≤ t`, or
//! `s' = s`, `t' ≤ t` and `k' ≤ k`: the other is at least as good in every plan, ties of
//! B3 included.
//!
//! Options are built for each set of annual subscriptions, then month by month for the
//! monthly ones; the state carried from month to month is, for each product whose days
//! are not a plain sum of its months (see `tokens`), where its current uncovered run began.

use std::collections::BTreeMap;

use super::tokens::DayTable;

/// Per-group limits that keep the enumeration small; a group beyond them is still given
/// options (fewer), and the plan is then not claimed optimal.
pub const MAX_ANNUAL_OFFERINGS: usize = 14;
pub const MAX_MONTHLY_OFFERINGS: usize = 10;
pub const MAX_OPTIONS_PER_STATE: usize = 4_096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Subscription money, in the advisor's money units.
    pub s: i128,
    pub t: u64,
    pub k: u32,
    /// Index into `Group::annual`.
    pub a: u32,
    /// Head of this option's list of monthly choices in `Group::arena` (`NONE`: none).
    pub link: u32,
}

pub const NONE: u32 = u32::MAX;

/// One product of the group: its rate and its days per coverage.
#[derive(Debug, Clone)]
pub struct GroupProduct {
    pub rate: u64,
    pub days: DayTable,
}

/// One offering as the group sees it: prices in money units, products it covers (bits of
/// the group's product list).
#[derive(Debug, Clone)]
pub struct GroupOffering {
    pub offering: usize,
    pub annual: i128,
    pub monthly: Option<i128>,
    pub covers: u64,
}

/// One set of annual subscriptions and the monthly offerings left to choose from with it.
#[derive(Debug, Clone)]
pub struct AnnualSet {
    /// Bits of the group's offering list.
    pub mask: u32,
    /// Indexes into the group's offerings: bit b of a monthly choice is `monthly[b]`.
    pub monthly: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub user: usize,
    pub products: Vec<GroupProduct>,
    pub offerings: Vec<GroupOffering>,
    pub annual: Vec<AnnualSet>,
    /// Monthly choices: (previous entry, month, offerings bought that month as bits).
    pub arena: Vec<(u32, u8, u32)>,
    pub points: Vec<Point>,
    /// False when a limit cut the enumeration.
    pub complete: bool,
}

/// A coverage choice for each offering of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    None,
    Annual,
    /// Bit i: month i.
    Monthly(u64),
}

/// Sorts by (s, t, k) and keeps the options no other one dominates (see the module text).
pub fn prune<T: Copy>(items: &mut Vec<(i128, u64, u32, T)>) {
    items.sort_unstable_by_key(|a| (a.0, a.1, a.2));
    let mut out = 0;
    let mut best_t_before = u64::MAX;
    let mut i = 0;
    while i < items.len() {
        let s = items[i].0;
        let mut j = i;
        let mut block_min_k = u32::MAX;
        let mut block_min_t = u64::MAX;
        while j < items.len() && items[j].0 == s {
            let it = items[j];
            block_min_t = block_min_t.min(it.1);
            if it.1 < best_t_before && it.2 < block_min_k {
                block_min_k = it.2;
                items[out] = it;
                out += 1;
            }
            j += 1;
        }
        best_t_before = best_t_before.min(block_min_t);
        i = j;
    }
    items.truncate(out);
}

fn bits(mut x: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if x == 0 {
            None
        } else {
            let b = x.trailing_zeros() as usize;
            x &= x - 1;
            Some(b)
        }
    })
}

/// A node of the month-by-month search: an option so far (s, t, k, arena link).
type Node = (i128, u64, u32, u32);
/// A candidate node: (s, t, k, (previous link, offerings bought this month)).
type Cand = (i128, u64, u32, (u32, u32));

impl Group {
    pub fn new(
        user: usize,
        products: Vec<GroupProduct>,
        offerings: Vec<GroupOffering>,
        years: u32,
    ) -> Group {
        let mut g = Group {
            user,
            products,
            offerings,
            annual: Vec::new(),
            arena: Vec::new(),
            points: Vec::new(),
            complete: true,
        };
        g.build(years);
        g
    }

    fn months(&self) -> usize {
        self.products[0].days.months
    }

    /// Sets of annual subscriptions in which every offering covers a product the others do
    /// not (any other set pays for nothing).
    fn annual_sets(&mut self) -> Vec<u32> {
        let n = self.offerings.len().min(MAX_ANNUAL_OFFERINGS);
        if n < self.offerings.len() {
            self.complete = false;
        }
        let mut out = Vec::new();
        'sets: for mask in 0u32..(1u32 << n) {
            for o in bits(u64::from(mask)) {
                let others = bits(u64::from(mask & !(1 << o)))
                    .fold(0u64, |c, b| c | self.offerings[b].covers);
                if self.offerings[o].covers & !others == 0 {
                    continue 'sets;
                }
            }
            out.push(mask);
        }
        out
    }

    fn build(&mut self, years: u32) {
        let m = self.months();
        let all_products: u64 = if self.products.len() == 64 {
            u64::MAX
        } else {
            (1u64 << self.products.len()) - 1
        };
        let full: u64 = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        let mut finals: Vec<Cand> = Vec::new();
        // Annual sets that leave the same products open to the same monthly offerings share
        // their month-by-month options (only the annual part differs).
        let mut shared: BTreeMap<(u64, Vec<usize>), Vec<Node>> = BTreeMap::new();
        for mask in self.annual_sets() {
            let a_index = self.annual.len() as u32;
            let mut s0: i128 = 0;
            let mut covered = 0u64;
            for o in bits(u64::from(mask)) {
                s0 += self.offerings[o].annual * i128::from(years);
                covered |= self.offerings[o].covers;
            }
            let k0 = mask.count_ones();
            let open = all_products & !covered;
            let mut monthly: Vec<usize> = (0..self.offerings.len())
                .filter(|&o| {
                    mask >> o & 1 == 0
                        && self.offerings[o].monthly.is_some()
                        && self.offerings[o].covers & open != 0
                })
                .collect();
            if monthly.len() > MAX_MONTHLY_OFFERINGS {
                self.complete = false;
                monthly.truncate(MAX_MONTHLY_OFFERINGS);
            }
            let mut t0: u64 = 0;
            for (i, p) in self.products.iter().enumerate() {
                if covered >> i & 1 == 1 {
                    t0 += p.rate * u64::from(p.days.days(full));
                }
            }
            let key = (open, monthly.clone());
            if !shared.contains_key(&key) {
                let nodes = self.monthly_options(open, &monthly);
                shared.insert(key.clone(), nodes);
            }
            for &(s, t, k, link) in &shared[&key] {
                finals.push((s + s0, t + t0, k + k0, (a_index, link)));
            }
            self.annual.push(AnnualSet { mask, monthly });
        }
        prune(&mut finals);
        self.points = finals
            .into_iter()
            .map(|(s, t, k, (a, link))| Point { s, t, k, a, link })
            .collect();
        self.compact_arena();
    }

    /// Options for the products in `open` (bits) with monthly subscriptions to `monthly`
    /// (indexes into the group's offerings), nothing annual: (s, t, k, arena link).
    fn monthly_options(&mut self, open: u64, monthly: &[usize]) -> Vec<Node> {
        let m = self.months();
        // Per coverage of a month's products, the cheapest set of monthly offerings (then
        // the fewest, then the first found).
        let mut by_cover: BTreeMap<u64, (i128, u32, u32)> = BTreeMap::new();
        for z in 0u32..(1u32 << monthly.len()) {
            let mut cost = 0i128;
            let mut cov = 0u64;
            for b in bits(u64::from(z)) {
                let o = &self.offerings[monthly[b]];
                cost += o.monthly.unwrap_or(0);
                cov |= o.covers;
            }
            let cov = cov & open;
            let cand = (cost, z.count_ones(), z);
            let e = by_cover.entry(cov).or_insert(cand);
            if (cand.0, cand.1) < (e.0, e.1) {
                *e = cand;
            }
        }
        let choices: Vec<(u64, i128, u32, u32)> = by_cover
            .into_iter()
            .map(|(c, (s, k, z))| (c, s, k, z))
            .collect();
        // Products whose days depend on the monthly choices, and the others' fixed days.
        let mut t0: u64 = 0;
        let mut dynamic = Vec::new();
        let any_monthly_cover = choices.iter().fold(0u64, |c, x| c | x.0);
        for (i, p) in self.products.iter().enumerate() {
            if open >> i & 1 == 0 {
                continue;
            }
            if any_monthly_cover >> i & 1 == 0 {
                t0 += p.rate * u64::from(p.days.all());
            } else {
                dynamic.push(i);
            }
        }
        let stateful: Vec<usize> = dynamic
            .iter()
            .copied()
            .filter(|&i| self.products[i].days.runs.is_some())
            .collect();
        let start: Node = (0, t0, 0, NONE);
        if dynamic.is_empty() {
            return vec![start];
        }
        if stateful.is_empty() {
            return self.additive_months(&dynamic, &choices, start);
        }
        // State: for each stateful product, the month its uncovered run began (u8::MAX:
        // covered last month, or before the first month).
        let mut states: BTreeMap<Vec<u8>, Vec<Node>> = BTreeMap::new();
        states.insert(vec![u8::MAX; stateful.len()], vec![start]);
        for month in 0..m {
            let mut next: BTreeMap<Vec<u8>, Vec<Cand>> = BTreeMap::new();
            for (key, nodes) in &states {
                for &(cov, cost, count, z) in &choices {
                    let mut dt: u64 = 0;
                    let mut new_key = key.clone();
                    for &i in &dynamic {
                        let p = &self.products[i];
                        let on = cov >> i & 1 == 1;
                        match stateful.iter().position(|&x| x == i) {
                            None => {
                                let d = if on {
                                    p.days.covered[month]
                                } else {
                                    p.days.uncovered[month]
                                };
                                dt += p.rate * u64::from(d);
                            }
                            Some(si) => {
                                if on {
                                    if key[si] != u8::MAX {
                                        dt +=
                                            p.rate * u64::from(p.days.run(key[si] as usize, month));
                                    }
                                    dt += p.rate * u64::from(p.days.covered[month]);
                                    new_key[si] = u8::MAX;
                                } else if key[si] == u8::MAX {
                                    new_key[si] = month as u8;
                                }
                            }
                        }
                    }
                    let out = next.entry(new_key).or_default();
                    for &(s, t, k, link) in nodes {
                        out.push((s + cost, t + dt, k + count, (link, z)));
                    }
                }
            }
            // Inserted one by one, not collected: a map's `collect` sorts its entries
            // (they come in key order already), with a sort of its own in the bundle.
            states = BTreeMap::new();
            for (key, mut cands) in next {
                states.insert(key, self.settle(&mut cands, month));
            }
        }
        let mut out = Vec::new();
        for (key, nodes) in states {
            let mut close: u64 = 0;
            for (si, &i) in stateful.iter().enumerate() {
                if key[si] != u8::MAX {
                    let p = &self.products[i];
                    close += p.rate * u64::from(p.days.run(key[si] as usize, m));
                }
            }
            out.extend(
                nodes
                    .into_iter()
                    .map(|(s, t, k, link)| (s, t + close, k, link)),
            );
        }
        out
    }

    /// Month by month when every product's days are the sum of its months: each month's
    /// choices are themselves reduced first (a month nobody works in keeps one).
    fn additive_months(
        &mut self,
        dynamic: &[usize],
        choices: &[(u64, i128, u32, u32)],
        start: Node,
    ) -> Vec<Node> {
        let mut nodes = vec![start];
        for month in 0..self.months() {
            let mut options: Vec<(i128, u64, u32, u32)> = choices
                .iter()
                .map(|&(cov, cost, count, z)| {
                    let dt = dynamic
                        .iter()
                        .map(|&i| {
                            let p = &self.products[i];
                            let d = if cov >> i & 1 == 1 {
                                p.days.covered[month]
                            } else {
                                p.days.uncovered[month]
                            };
                            p.rate * u64::from(d)
                        })
                        .sum();
                    (cost, dt, count, z)
                })
                .collect();
            prune(&mut options);
            let mut cands = Vec::with_capacity(nodes.len() * options.len());
            for &(cost, dt, count, z) in &options {
                for &(s, t, k, link) in &nodes {
                    cands.push((s + cost, t + dt, k + count, (link, z)));
                }
            }
            nodes = self.settle(&mut cands, month);
        }
        nodes
    }

    /// Prunes one month's candidates and records the monthly choices of the survivors.
    fn settle(&mut self, cands: &mut Vec<Cand>, month: usize) -> Vec<Node> {
        prune(cands);
        if cands.len() > MAX_OPTIONS_PER_STATE {
            self.complete = false;
            cands.truncate(MAX_OPTIONS_PER_STATE);
        }
        cands
            .iter()
            .map(|&(s, t, k, (link, z))| {
                let link = if z == 0 {
                    link
                } else {
                    self.arena.push((link, month as u8, z));
                    (self.arena.len() - 1) as u32
                };
                (s, t, k, link)
            })
            .collect()
    }

    /// Keeps only the monthly choices the surviving options refer to.
    fn compact_arena(&mut self) {
        let mut keep = vec![NONE; self.arena.len()];
        let mut arena = Vec::new();
        for p in 0..self.points.len() {
            let mut chain = Vec::new();
            let mut l = self.points[p].link;
            while l != NONE && keep[l as usize] == NONE {
                chain.push(l);
                l = self.arena[l as usize].0;
            }
            let mut prev = if l == NONE { NONE } else { keep[l as usize] };
            for &c in chain.iter().rev() {
                let (_, month, z) = self.arena[c as usize];
                arena.push((prev, month, z));
                prev = (arena.len() - 1) as u32;
                keep[c as usize] = prev;
            }
            let head = self.points[p].link;
            self.points[p].link = if head == NONE {
                NONE
            } else {
                keep[head as usize]
            };
        }
        self.arena = arena;
    }

    /// The choice behind option `i`, per offering of the group.
    pub fn terms(&self, i: usize) -> Vec<Term> {
        let p = &self.points[i];
        let set = &self.annual[p.a as usize];
        let mut terms = vec![Term::None; self.offerings.len()];
        for o in bits(u64::from(set.mask)) {
            terms[o] = Term::Annual;
        }
        let mut l = p.link;
        while l != NONE {
            let (prev, month, z) = self.arena[l as usize];
            for b in bits(u64::from(z)) {
                let o = set.monthly[b];
                terms[o] = match terms[o] {
                    Term::Monthly(x) => Term::Monthly(x | 1 << month),
                    _ => Term::Monthly(1 << month),
                };
            }
            l = prev;
        }
        terms
    }

    /// (s, t, k) of any choice, computed from the day tables.
    pub fn evaluate(&self, terms: &[Term], years: u32) -> (i128, u64, u32) {
        let m = self.months();
        let full: u64 = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        let (mut s, mut k) = (0i128, 0u32);
        let mut cover = vec![0u64; self.products.len()];
        for (o, term) in self.offerings.iter().zip(terms) {
            let mask = match term {
                Term::None => continue,
                Term::Annual => {
                    s += o.annual * i128::from(years);
                    k += 1;
                    full
                }
                Term::Monthly(x) => {
                    s += o.monthly.unwrap_or(0) * i128::from(x.count_ones());
                    k += x.count_ones();
                    *x
                }
            };
            for i in bits(o.covers) {
                cover[i] |= mask;
            }
        }
        let t = self
            .products
            .iter()
            .zip(&cover)
            .map(|(p, &c)| p.rate * u64::from(p.days.days(c)))
            .sum();
        (s, t, k)
    }

    /// The first kept option at least as good as (s, t, k) in every plan.
    pub fn dominating(&self, s: i128, t: u64, k: u32) -> Option<usize> {
        self.points
            .iter()
            .position(|p| p.s <= s && p.t <= t && (p.s < s || p.k <= k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_what_can_win() {
        let mut v = vec![
            (0, 100, 0, 'a'),
            (10, 100, 1, 'b'), // more money, same tokens: out
            (10, 50, 2, 'c'),
            (10, 60, 1, 'd'), // same money, more tokens but fewer subscriptions: kept
            (10, 60, 2, 'e'), // dominated by c
            (20, 50, 0, 'f'), // more money, same tokens than c: out
            (20, 40, 3, 'g'),
        ];
        prune(&mut v);
        let kept: Vec<char> = v.iter().map(|x| x.3).collect();
        assert_eq!(kept, vec!['a', 'c', 'd', 'g']);
    }
}
