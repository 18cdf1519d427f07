//! B1–B3: Flex against subscriptions — the break-even days of each user × product and the
//! team plan of least cost (docs/advisor.md explains the method and its readings of SPEC).
//!
//! Every figure the advisor reports comes from the engine's own simulation of the plan in
//! estimate mode (`run_with_subscriptions` on the scenario without packs) and from the
//! cheapest order of P3; the search in between works on exact day counts per coverage
//! (`tokens`), option frontiers per group of products (`frontier`) and bounds (`search`).

mod frontier;
mod search;
mod sensitivity;
pub mod sort;
mod tokens;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::engine::error::InputError;
use crate::engine::intervals::{subtract, Span};
use crate::engine::meter::Meter;
use crate::engine::model::{Model, SubscriptionM};
use crate::engine::price::{cheapest_order, money, unit_price, Order};
use crate::engine::scenario::Scenario;
use crate::engine::simulate::{covered, use_by_product, Tables};
use crate::engine::time::{add_days, add_months, format_date, midnight};
use crate::engine::validate::validate;

pub use frontier::Term;
use frontier::{Group, GroupOffering, GroupProduct};
pub use search::Stats;
use search::{OrderCost, Problem, TierBound, FINE};
pub use sensitivity::{
    sensitivity, sensitivity_model, Change, Coverage, Flip, Sensitivity, Step, Sweep, PERCENTS,
};
use tokens::DayTable;

/// The advisor's answer (SPEC §7 `advise`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Advice {
    pub currency: String,
    pub plan: PlanOut,
    pub all_flex: PlanOut,
    pub all_subscription: PlanOut,
    pub current: PlanOut,
    /// What each alternative costs more than the plan.
    pub saving: Saving,
    pub break_even: Vec<BreakEven>,
    pub lower_bound: Decimal,
    /// Plan total − lower bound: 0 when the plan is proven optimal.
    pub gap: Decimal,
    pub optimal: bool,
    pub search: Stats,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanOut {
    pub subscriptions: Vec<SubscriptionOut>,
    pub users: Vec<UserOut>,
    pub cost: Cost,
}

impl PlanOut {
    /// The plan as the scenario's own subscriptions, user by user: what "apply this plan"
    /// writes into the scenario.
    pub fn scenario_subscriptions(&self) -> Vec<(String, crate::engine::scenario::Subscription)> {
        self.subscriptions
            .iter()
            .map(|x| {
                let sub = crate::engine::scenario::Subscription {
                    offering: x.offering.clone(),
                    from: x.from.clone(),
                    to: x.to.clone(),
                };
                (x.user.clone(), sub)
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubscriptionOut {
    pub user: String,
    pub offering: String,
    pub from: String,
    pub to: String,
    pub term: Cow<'static, str>,
    pub price: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserSubscription {
    pub offering: String,
    pub term: Cow<'static, str>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserOut {
    pub user: String,
    pub subscriptions: Vec<UserSubscription>,
    /// Products that still burn tokens under this plan, by id.
    pub flex_products: Vec<String>,
    /// Tokens this user burns (products and per-result services).
    pub tokens: u64,
    pub subscription_cost: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cost {
    pub subscriptions: Decimal,
    pub tokens: u64,
    pub order: Order,
    pub total: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saving {
    pub all_flex: Decimal,
    pub all_subscription: Decimal,
    pub current: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BreakEven {
    pub user: String,
    pub product: String,
    /// The cheapest single offering covering the product (by annual price), if any.
    pub offering: Option<String>,
    pub annual: Option<Decimal>,
    pub tokens_per_day: u64,
    /// Price per token of the all-Flex order's tier.
    pub unit_price: Decimal,
    /// d* of B2; `None` when no offering covers the product.
    pub days_per_month: Option<f64>,
    /// Charged days ÷ months of the period, all on Flex.
    pub used_days_per_month: f64,
    /// `flex` (below d*), `subscription` (above), `even`.
    pub verdict: Cow<'static, str>,
}

/// What `flexcalc advise` writes (the widget's `advise` too): the advice, and with
/// `--sensitivity` the plan at other usage levels beside it.
#[derive(Debug, Clone, Serialize)]
pub struct AdviceOut {
    #[serde(flatten)]
    pub advice: Advice,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
}

/// The scenario checked once, advised, and swept if asked.
pub fn advise_out(scenario: &Scenario, with_sensitivity: bool) -> Result<AdviceOut, InputError> {
    let model = validate(scenario)?;
    Ok(AdviceOut {
        advice: advise_model(&model)?,
        sensitivity: if with_sensitivity {
            Some(sensitivity_model(&model, &PERCENTS)?)
        } else {
            None
        },
    })
}

/// Reads scenario JSON and advises (the CLI's `flexcalc advise`).
pub fn advise_json(text: &str) -> Result<Advice, InputError> {
    advise(&Scenario::from_json(text)?)
}

pub fn advise(scenario: &Scenario) -> Result<Advice, InputError> {
    advise_model(&validate(scenario)?)
}

/// Money as whole units of 10^-scale, the scale being the finest of the book's minor unit
/// and the offerings' prices: sums and comparisons stay exact and fast.
struct Money {
    scale: u32,
}

impl Money {
    fn units(&self, d: Decimal) -> Option<i128> {
        let sc = d.scale();
        if sc > self.scale {
            return None;
        }
        d.mantissa()
            .checked_mul(10i128.checked_pow(self.scale - sc)?)
    }

    fn decimal(&self, u: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(u, self.scale).unwrap_or(Decimal::MAX)
    }
}

/// An amount is refused when its sums over a large team could leave exact arithmetic.
const MAX_PRICE_UNITS: i128 = 1_000_000_000_000_000_000_000;

/// One product a user uses: its use (M1, M2, M5) and its days per coverage.
struct ProductUse {
    product: usize,
    rate: u64,
    spans: Vec<Span>,
    days: DayTable,
    coverable: bool,
}

/// Subscriptions per user with their term and price (money units).
type Priced = Vec<Vec<(SubscriptionM, &'static str, i128)>>;

/// Per-user facts gathered once: the products used and the per-result tokens.
struct UserFacts {
    products: Vec<ProductUse>,
    /// Tokens of per-result services inside the period (M7): no subscription covers them.
    results: u64,
}

/// The years an annual subscription is paid for over the period (B3: ⌈months ÷ 12⌉).
fn years(model: &Model) -> u32 {
    model.months.div_ceil(12)
}

/// What the advisor gathers once per scenario: the estimate-mode model (no packs), prices
/// in money units and each user's use. A sensitivity sweep searches again from it.
struct Prepared {
    est: Model,
    mon: Money,
    annual: Vec<i128>,
    monthly: Vec<Option<i128>>,
    facts: Vec<UserFacts>,
}

/// The offering's price in money units, refused with its path when the search's exact
/// sums could leave 128 bits.
fn price_units(mon: &Money, d: Decimal, path: String) -> Result<i128, InputError> {
    mon.units(d).filter(|&a| a <= MAX_PRICE_UNITS).ok_or_else(|| {
        InputError::new(
            path,
            "too large an amount, or one with too many decimals beside the other prices, for the advisor's exact sums",
        )
    })
}

fn prepare(model: &Model) -> Result<Prepared, InputError> {
    let mut est = model.clone();
    est.packs = None;
    let m = model.months as usize;

    let scale = est
        .offerings
        .iter()
        .flat_map(|o| std::iter::once(o.annual.scale()).chain(o.monthly.map(|x| x.scale())))
        .chain(std::iter::once(est.book.minor_units))
        .max()
        .unwrap_or(0);
    let mon = Money { scale };
    let mut annual = Vec::with_capacity(est.offerings.len());
    let mut monthly = Vec::with_capacity(est.offerings.len());
    for (i, o) in est.offerings.iter().enumerate() {
        annual.push(price_units(
            &mon,
            o.annual,
            format!("offerings[{i}].annual"),
        )?);
        monthly.push(match o.monthly {
            None => None,
            Some(x) => Some(price_units(&mon, x, format!("offerings[{i}].monthly"))?),
        });
    }

    let mut facts: Vec<UserFacts> = Vec::with_capacity(est.users.len());
    {
        let mut tables = Tables::new(&est);
        for user in &est.users {
            let bounds: Vec<i64> = (0..=m)
                .map(|i| midnight(&user.tz, add_months(est.start_date, i as i64)))
                .collect();
            let mut products = Vec::new();
            for (p, spans) in use_by_product(&mut tables, user) {
                if spans.is_empty() {
                    continue;
                }
                let days = DayTable::new(&spans, &bounds);
                let coverable = est.offerings.iter().any(|o| o.covers.contains(&p));
                products.push(ProductUse {
                    product: p,
                    rate: est.products[p].tokens,
                    spans,
                    days,
                    coverable,
                });
            }
            let results = user
                .results
                .iter()
                .filter(|r| r.at >= est.start && r.at < est.end)
                .map(|r| est.services[r.service].tokens * r.quantity)
                .sum();
            facts.push(UserFacts { products, results });
        }
    }
    Ok(Prepared {
        est,
        mon,
        annual,
        monthly,
        facts,
    })
}

/// Every user's groups of products (see `frontier`), and false when a limit cut one.
fn build_groups(p: &Prepared, facts: &[UserFacts]) -> (Vec<Group>, bool) {
    let est = &p.est;
    let years = years(est);
    let mut groups: Vec<Group> = Vec::new();
    let mut complete = true;
    for (ui, f) in facts.iter().enumerate() {
        let coverable: Vec<(usize, u64, &DayTable)> = f
            .products
            .iter()
            .filter(|x| x.coverable)
            .map(|x| (x.product, x.rate, &x.days))
            .collect();
        // Products joined by an offering covering both form a group.
        let n = coverable.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while parent[r] != r {
                r = parent[r];
            }
            parent[x] = r;
            r
        }
        for o in &est.offerings {
            let members: Vec<usize> = (0..n)
                .filter(|&i| o.covers.contains(&coverable[i].0))
                .collect();
            for w in members.windows(2) {
                let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut comps: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            let r = find(&mut parent, i);
            comps.entry(r).or_default().push(i);
        }
        for members in comps.into_values() {
            let members: Vec<usize> = if members.len() > 60 {
                complete = false;
                members[..60].to_vec()
            } else {
                members
            };
            let products: Vec<GroupProduct> = members
                .iter()
                .map(|&i| GroupProduct {
                    rate: coverable[i].1,
                    days: coverable[i].2.clone(),
                })
                .collect();
            let offerings: Vec<GroupOffering> = est
                .offerings
                .iter()
                .enumerate()
                .filter_map(|(oi, o)| {
                    let covers = members
                        .iter()
                        .enumerate()
                        .filter(|(_, &i)| o.covers.contains(&coverable[i].0))
                        .fold(0u64, |c, (b, _)| c | 1 << b);
                    (covers != 0).then(|| GroupOffering {
                        offering: oi,
                        annual: p.annual[oi],
                        monthly: p.monthly[oi],
                        covers,
                    })
                })
                .collect();
            let g = Group::new(ui, products, offerings, years);
            complete &= g.complete;
            groups.push(g);
        }
    }
    (groups, complete)
}

/// The search's plan for these facts (B3), priced, with the all-subscription sets and what
/// the search proved.
struct Solved {
    plan: Priced,
    all_sub: Vec<Vec<usize>>,
    solution: search::Solution,
    /// False when a group's enumeration was cut (then no proof of optimality).
    complete: bool,
}

fn solve(p: &Prepared, facts: &[UserFacts]) -> Solved {
    let est = &p.est;
    let m = est.months as usize;
    let years = years(est);
    let scale = p.mon.scale;
    let (groups, complete) = build_groups(p, facts);
    // Tokens no plan changes: products no offering covers, per-result services.
    let fixed: u64 = facts
        .iter()
        .map(|f| {
            f.results
                + f.products
                    .iter()
                    .filter(|x| !x.coverable)
                    .map(|x| x.rate * u64::from(x.days.all()))
                    .sum::<u64>()
        })
        .sum();

    // Plans to compare with, and to start the search from.
    let all_sub = all_subscription_plan(est, facts, &p.annual);
    let current_terms = current_as_plan(est, &p.annual, &p.monthly);
    let to_choice = |plan: &dyn Fn(usize, usize) -> Term| -> Vec<usize> {
        groups
            .iter()
            .map(|g| {
                let terms: Vec<Term> = g
                    .offerings
                    .iter()
                    .map(|o| plan(g.user, o.offering))
                    .collect();
                let (s, t, k) = g.evaluate(&terms, years);
                g.dominating(s, t, k).unwrap_or(0)
            })
            .collect()
    };
    let starts = vec![
        to_choice(&|u, o| {
            if all_sub[u].contains(&o) {
                Term::Annual
            } else {
                Term::None
            }
        }),
        to_choice(&|u, o| current_terms[u].get(&o).cloned().unwrap_or(Term::None)),
    ];

    let to_units = |d: Decimal| p.mon.units(d);
    let mut cost = OrderCost::new(&est.book, &to_units);
    let tiers: Vec<TierBound> = est
        .book
        .tiers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            // Price per token in sub-units, rounded down (a lower price keeps bounds valid).
            let price = Decimal::from(10i64.pow(scale.min(18)))
                .checked_mul(Decimal::from(FINE as i64))
                .and_then(|f| t.price.checked_mul(f))
                .and_then(|x| rust_decimal::prelude::ToPrimitive::to_i128(&x.floor()))
                .unwrap_or(0);
            TierBound {
                lo: t.from,
                hi: est.book.tiers.get(i + 1).map_or(u64::MAX, |n| n.from - 1),
                price,
            }
        })
        .collect();
    let half_unit = if scale > est.book.minor_units {
        (10i128.pow(scale - est.book.minor_units) + 1) / 2
    } else {
        0
    };
    let options: Vec<search::Options> = groups
        .iter()
        .map(|g| g.points.iter().map(|p| (p.s, p.t, p.k)).collect())
        .collect();
    let solution = Problem {
        groups: &options,
        fixed,
        cost: &mut cost,
        tiers,
        half_unit,
        starts,
        by_quantity: true,
    }
    .solve();

    // The plan's subscriptions, per user.
    let mut plan_subs: Vec<Vec<(SubscriptionM, &'static str)>> = vec![Vec::new(); est.users.len()];
    for (g, &j) in groups.iter().zip(&solution.choice) {
        for (o, term) in g.offerings.iter().zip(g.terms(j)) {
            match term {
                Term::None => {}
                Term::Annual => plan_subs[g.user].push((annual_sub(est, o.offering), "annual")),
                Term::Monthly(mask) => {
                    for i in 0..m {
                        if mask >> i & 1 == 1 {
                            plan_subs[g.user].push((month_sub(est, o.offering, i), "monthly"));
                        }
                    }
                }
            }
        }
    }
    for subs in &mut plan_subs {
        sort::sort_by_key(subs, |(s, _)| (s.offering, s.from));
    }
    Solved {
        plan: p.priced(plan_subs),
        all_sub,
        solution,
        complete,
    }
}

impl Prepared {
    /// Plan-shaped subscriptions (annual or one month of B3) with their prices.
    fn priced(&self, subs: Vec<Vec<(SubscriptionM, &'static str)>>) -> Priced {
        let years = i128::from(years(&self.est));
        subs.into_iter()
            .map(|l| {
                l.into_iter()
                    .map(|(s, term)| {
                        let price = if term == "annual" {
                            self.annual[s.offering] * years
                        } else {
                            self.monthly[s.offering].unwrap_or(0)
                        };
                        (s, term, price)
                    })
                    .collect()
            })
            .collect()
    }

    /// Annual subscriptions to these offerings, per user (the all-subscription plan).
    fn annual_plan(&self, sets: &[Vec<usize>]) -> Priced {
        self.priced(
            sets.iter()
                .map(|l| {
                    l.iter()
                        .map(|&o| (annual_sub(&self.est, o), "annual"))
                        .collect()
                })
                .collect(),
        )
    }
}

pub fn advise_model(model: &Model) -> Result<Advice, InputError> {
    let p = prepare(model)?;
    let solved = solve(&p, &p.facts);
    let (est, mon, facts) = (&p.est, &p.mon, &p.facts);
    let plan = plan_out(est, mon, facts, solved.plan);
    let all_flex = plan_out(est, mon, facts, vec![Vec::new(); est.users.len()]);
    let all_subscription = plan_out(est, mon, facts, p.annual_plan(&solved.all_sub));
    let current = plan_out(est, mon, facts, current_priced(est, &p.annual, &p.monthly));

    let solution = solved.solution;
    let consistent = plan.cost.tokens == solution.tokens;
    let optimal = solution.optimal && solved.complete && consistent;
    let lower = if optimal {
        plan.cost.total
    } else {
        money(&est.book, mon.decimal(solution.lower_bound)).min(plan.cost.total)
    };
    let lower = if consistent { lower } else { Decimal::ZERO };
    let saving = Saving {
        all_flex: all_flex.cost.total - plan.cost.total,
        all_subscription: all_subscription.cost.total - plan.cost.total,
        current: current.cost.total - plan.cost.total,
    };
    let break_even = break_even(est, facts, &all_flex.cost.order);
    Ok(Advice {
        currency: est.currency.clone(),
        gap: plan.cost.total - lower,
        lower_bound: lower,
        optimal,
        plan,
        all_flex,
        all_subscription,
        current,
        saving,
        break_even,
        search: solution.stats,
    })
}

/// B3: an annual subscription runs from the period's start to its last day.
fn annual_sub(model: &Model, offering: usize) -> SubscriptionM {
    SubscriptionM {
        offering,
        from: model.start_date,
        to: add_days(model.end_date, -1),
    }
}

/// B3: month i runs from start + i months to the day before start + i + 1 months.
fn month_sub(model: &Model, offering: usize, i: usize) -> SubscriptionM {
    SubscriptionM {
        offering,
        from: add_months(model.start_date, i as i64),
        to: add_days(add_months(model.start_date, i as i64 + 1), -1),
    }
}

/// Every user on annual subscriptions to the cheapest set of offerings covering every
/// product they use that some offering covers (ties: fewer offerings, then the earlier
/// ones in the scenario's list).
fn all_subscription_plan(model: &Model, facts: &[UserFacts], annual: &[i128]) -> Vec<Vec<usize>> {
    facts
        .iter()
        .map(|f| {
            let products: Vec<usize> = f
                .products
                .iter()
                .filter(|x| x.coverable)
                .map(|x| x.product)
                .collect();
            if products.is_empty() {
                return Vec::new();
            }
            let relevant: Vec<usize> = (0..model.offerings.len())
                .filter(|&o| {
                    products
                        .iter()
                        .any(|p| model.offerings[o].covers.contains(p))
                })
                .collect();
            let cover_of = |o: usize| -> u64 {
                products
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| model.offerings[o].covers.contains(p))
                    .fold(0u64, |c, (b, _)| c | 1u64 << b.min(63))
            };
            let need: u64 = if products.len() >= 64 {
                u64::MAX
            } else {
                (1u64 << products.len()) - 1
            };
            if relevant.len() <= 16 {
                let mut best: Option<(i128, u32, Vec<usize>)> = None;
                for z in 1u32..(1u32 << relevant.len()) {
                    let set: Vec<usize> = (0..relevant.len())
                        .filter(|b| z >> b & 1 == 1)
                        .map(|b| relevant[b])
                        .collect();
                    if set.iter().fold(0u64, |c, &o| c | cover_of(o)) & need != need {
                        continue;
                    }
                    let key = (
                        set.iter().map(|&o| annual[o]).sum::<i128>(),
                        set.len() as u32,
                        set,
                    );
                    if best.as_ref().is_none_or(|b| key < *b) {
                        best = Some(key);
                    }
                }
                best.map(|b| b.2).unwrap_or_default()
            } else {
                // Many offerings: the greedy cover (cheapest per newly covered product).
                let mut left = need;
                let mut set = Vec::new();
                while left != 0 {
                    let pick = relevant
                        .iter()
                        .copied()
                        .filter(|&o| cover_of(o) & left != 0)
                        .min_by_key(|&o| {
                            (annual[o] / i128::from((cover_of(o) & left).count_ones()), o)
                        });
                    let Some(o) = pick else { break };
                    left &= !cover_of(o);
                    set.push(o);
                }
                sort::sort(&mut set);
                set
            }
        })
        .collect()
}

/// The months of the period a subscription touches (bit i: month i), from its dates.
fn touched_months(model: &Model, s: &SubscriptionM) -> u64 {
    let mut mask = 0;
    for i in 0..model.months as usize {
        let first = add_months(model.start_date, i as i64);
        let last = add_days(add_months(model.start_date, i as i64 + 1), -1);
        if s.from <= last && s.to >= first {
            mask |= 1 << i;
        }
    }
    mask
}

/// What one of the scenario's own subscriptions costs over the period: the cheaper of an
/// annual subscription and the monthly ones for the months of the period it touches
/// (nothing when it touches none). The plan's equivalent covers at least as much.
fn current_price(
    model: &Model,
    s: &SubscriptionM,
    annual: &[i128],
    monthly: &[Option<i128>],
) -> (i128, &'static str) {
    let touched = touched_months(model, s).count_ones();
    if touched == 0 {
        return (0, "monthly");
    }
    let a = annual[s.offering] * i128::from(years(model));
    match monthly[s.offering] {
        Some(mo) if mo * i128::from(touched) < a => (mo * i128::from(touched), "monthly"),
        _ => (a, "annual"),
    }
}

fn current_priced(model: &Model, annual: &[i128], monthly: &[Option<i128>]) -> Priced {
    model
        .users
        .iter()
        .map(|u| {
            u.subscriptions
                .iter()
                .map(|s| {
                    let (p, term) = current_price(model, s, annual, monthly);
                    (s.clone(), term, p)
                })
                .collect()
        })
        .collect()
}

/// The scenario's own subscriptions in plan terms (per user and offering), covering at
/// least what they cover in the period for no more money: a start for the search.
fn current_as_plan(
    model: &Model,
    annual: &[i128],
    monthly: &[Option<i128>],
) -> Vec<BTreeMap<usize, Term>> {
    model
        .users
        .iter()
        .map(|u| {
            let mut by: BTreeMap<usize, (u64, bool)> = BTreeMap::new();
            for s in &u.subscriptions {
                let (_, term) = current_price(model, s, annual, monthly);
                let e = by.entry(s.offering).or_insert((0, false));
                e.0 |= touched_months(model, s);
                e.1 |= term == "annual";
            }
            // Inserted one by one, not collected: a map's `collect` sorts its entries
            // (they come in key order already), with a sort of its own in the bundle.
            let mut plan = BTreeMap::new();
            for (o, (mask, any_annual)) in by {
                if mask == 0 {
                    continue;
                }
                let a = annual[o] * i128::from(years(model));
                let term = match monthly[o] {
                    Some(mo) if !any_annual && mo * i128::from(mask.count_ones()) < a => {
                        Term::Monthly(mask)
                    }
                    _ => Term::Annual,
                };
                plan.insert(o, term);
            }
            plan
        })
        .collect()
}

/// The months a plan-shaped subscription covers (bit i: month i): an annual one or one
/// month of B3; `None` for any other dates.
fn aligned_mask(model: &Model, s: &SubscriptionM) -> Option<u64> {
    let m = model.months as usize;
    if s.from == model.start_date && s.to == add_days(model.end_date, -1) {
        return Some(if m == 64 { u64::MAX } else { (1u64 << m) - 1 });
    }
    let i = (0..m).find(|&i| add_months(model.start_date, i as i64) == s.from)?;
    (add_days(add_months(model.start_date, i as i64 + 1), -1) == s.to).then_some(1u64 << i)
}

/// Tokens of each product a user uses under these subscriptions (M3, M4), in estimate mode.
fn product_tokens(model: &Model, user: usize, f: &UserFacts, subs: &[SubscriptionM]) -> Vec<u64> {
    f.products
        .iter()
        .map(|x| {
            let mut mask = 0u64;
            let mut plain = true;
            for s in subs
                .iter()
                .filter(|s| model.offerings[s.offering].covers.contains(&x.product))
            {
                match aligned_mask(model, s) {
                    Some(b) => mask |= b,
                    None => plain = false,
                }
            }
            let days = if plain {
                u64::from(x.days.days(mask))
            } else {
                // A sweep's scaled facts carry no use: they price month-aligned plans only.
                debug_assert!(!x.spans.is_empty(), "dated subscriptions on scaled use");
                let cover = covered(model, &model.users[user], subs, x.product);
                let mut meter = Meter::new(subtract(&x.spans, &cover));
                let mut n = 0;
                while let Some(t) = meter.due() {
                    meter.charged(t);
                    n += 1;
                }
                n
            };
            x.rate * days
        })
        .collect()
}

fn plan_out(model: &Model, mon: &Money, facts: &[UserFacts], subs: Priced) -> PlanOut {
    let book = &model.book;
    let mut all = Vec::new();
    let mut users = Vec::with_capacity(model.users.len());
    let mut total_subs: i128 = 0;
    let mut total_tokens: u64 = 0;
    for (ui, (user, list)) in model.users.iter().zip(&subs).enumerate() {
        let plain: Vec<SubscriptionM> = list.iter().map(|x| x.0.clone()).collect();
        let tokens = product_tokens(model, ui, &facts[ui], &plain);
        let mut flex_products: Vec<String> = facts[ui]
            .products
            .iter()
            .zip(&tokens)
            .filter(|(_, &t)| t > 0)
            .map(|(x, _)| model.products[x.product].id.clone())
            .collect();
        sort::sort(&mut flex_products);
        let user_tokens = facts[ui].results + tokens.iter().sum::<u64>();
        total_tokens += user_tokens;
        let mut own = Vec::with_capacity(list.len());
        let mut user_cost = 0i128;
        for (s, term, price) in list {
            let offering = model.offerings[s.offering].id.clone();
            user_cost += price;
            own.push(UserSubscription {
                offering: offering.clone(),
                term: (*term).into(),
                from: format_date(s.from),
                to: format_date(s.to),
            });
            all.push(SubscriptionOut {
                user: user.id.clone(),
                offering,
                from: format_date(s.from),
                to: format_date(s.to),
                term: (*term).into(),
                price: money(book, mon.decimal(*price)),
            });
        }
        total_subs += user_cost;
        users.push(UserOut {
            user: user.id.clone(),
            subscriptions: own,
            flex_products,
            tokens: user_tokens,
            subscription_cost: money(book, mon.decimal(user_cost)),
        });
    }
    let order = cheapest_order(book, total_tokens);
    let subscriptions = mon.decimal(total_subs);
    let total = money(book, subscriptions + order.total);
    PlanOut {
        subscriptions: all,
        users,
        cost: Cost {
            subscriptions: money(book, subscriptions),
            tokens: total_tokens,
            order,
            total,
        },
    }
}

fn round2(d: Decimal) -> f64 {
    // Whole hundredths over 100.0 is the same correctly rounded f64 as parsing the decimal
    // text, without shipping a float parser to the browser.
    d.checked_mul(Decimal::from(100))
        .map(|c| c.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
        .and_then(|c| rust_decimal::prelude::ToPrimitive::to_i64(&c))
        .map_or(0.0, |c| c as f64 / 100.0)
}

/// B2 per user × product used: d* = (annual ÷ 12) ÷ (daily rate × unit price), with the
/// cheapest offering covering the product alone and the all-Flex order's tier.
fn break_even(model: &Model, facts: &[UserFacts], flex_order: &Order) -> Vec<BreakEven> {
    let price = flex_order
        .unit_price
        .unwrap_or_else(|| unit_price(&model.book, 1));
    let mut out = Vec::new();
    let months = Decimal::from(model.months);
    for (user, f) in model.users.iter().zip(facts) {
        for x in &f.products {
            let (p, rate) = (x.product, x.rate);
            let d = u64::from(x.days.all());
            let used = Decimal::from(d) / months;
            let best = model
                .offerings
                .iter()
                .filter(|o| o.covers.contains(&p))
                .min_by(|a, b| a.annual.cmp(&b.annual));
            let per_day = Decimal::from(rate).checked_mul(price);
            let (star, verdict) = match (best, per_day) {
                (None, _) => (None, "flex"),
                (Some(_), None) => (None, "flex"),
                (Some(o), Some(per_day)) => {
                    // used < d* ⇔ days × 12 × rate × price < annual × months (exact).
                    let lhs = Decimal::from(d)
                        .checked_mul(Decimal::from(12))
                        .and_then(|x| x.checked_mul(per_day));
                    let rhs = o.annual.checked_mul(months);
                    let verdict = match (lhs, rhs) {
                        (Some(l), Some(r)) if l < r => "flex",
                        (Some(l), Some(r)) if l > r => "subscription",
                        _ => "even",
                    };
                    let star = if per_day.is_zero() {
                        None
                    } else {
                        (o.annual / Decimal::from(12))
                            .checked_div(per_day)
                            .map(round2)
                    };
                    (star, verdict)
                }
            };
            out.push(BreakEven {
                user: user.id.clone(),
                product: model.products[p].id.clone(),
                offering: best.map(|o| o.id.clone()),
                annual: best.map(|o| o.annual),
                tokens_per_day: rate,
                unit_price: price,
                days_per_month: star,
                used_days_per_month: round2(used),
                verdict: verdict.into(),
            });
        }
    }
    out
}

/// One point of a break-even chart (B2): what a month of use costs on Flex, and the
/// annual subscription spread over 12 months, at `days_per_month` days of use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinePoint {
    pub days_per_month: u32,
    pub flex: Decimal,
    /// `None` when no offering covers the product.
    pub subscription: Option<Decimal>,
}

/// What `tokens` of the break-even's product cost on Flex at its tier's unit price
/// (`unit_price`), rounded by P1: one user's Flex cost of that product, beside `annual`.
pub fn flex_cost(book: &crate::engine::catalog::PriceBook, b: &BreakEven, tokens: u64) -> Decimal {
    money(book, Decimal::from(tokens) * b.unit_price)
}

/// The two lines of a break-even chart for 0 ..= `max_days` days a month, in the
/// break-even's tier, amounts rounded to `minor_units` decimals (the currency's), so that a
/// view draws them without computing a price itself. They cross at `days_per_month`.
pub fn break_even_line(b: &BreakEven, minor_units: u32, max_days: u32) -> Vec<LinePoint> {
    let round = |d: Decimal| {
        let mut r = d.round_dp_with_strategy(
            minor_units,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
        r.rescale(minor_units);
        r
    };
    let per_day = Decimal::from(b.tokens_per_day)
        .checked_mul(b.unit_price)
        .unwrap_or(Decimal::MAX);
    let subscription = b.annual.map(|a| round(a / Decimal::from(12)));
    (0..=max_days)
        .map(|d| LinePoint {
            days_per_month: d,
            flex: round(
                per_day
                    .checked_mul(Decimal::from(d))
                    .unwrap_or(Decimal::MAX),
            ),
            subscription,
        })
        .collect()
}
