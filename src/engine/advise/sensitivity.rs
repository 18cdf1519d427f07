//! How the team plan (B3) moves with usage: the same exact search, run again with every
//! user × product's charged days scaled by a percentage, and the percentages where the
//! recommended subscriptions change (docs/advisor.md, "Sensitivity").
//!
//! The scaling works on the day tables (`tokens`) rather than on the patterns: "20 % more
//! use" has no single meaning in time (more days? longer days?), whereas the days charged
//! are what B3 prices and what break-even (B2) counts. Each month's days (and, for use that
//! crosses month ends, each run's) become round(days × (100 + p) ÷ 100), half away from
//! zero, capped at the stretch's calendar days unless already above them (a 24-hour
//! window is charged at most once a day); the slivers outside the period's months (a few
//! hours of zone difference) only ever shrink. Per-result services are not scaled: they
//! are counts of results, which no subscription covers. At 0 % every table is unchanged,
//! so the step is the advisor's own plan.

use rust_decimal::Decimal;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{
    plan_out, prepare, solve, DayTable, Prepared, Priced, ProductUse, SubscriptionOut, UserFacts,
};
use crate::engine::error::InputError;
use crate::engine::model::Model;
use crate::engine::scenario::Scenario;
use crate::engine::time::{add_months, format_date};
use crate::engine::validate::validate;

/// The CLI's and the web view's sweep: usage −50 % to +50 % in steps of 10.
pub const PERCENTS: [i32; 11] = [-50, -40, -30, -20, -10, 0, 10, 20, 30, 40, 50];

/// The plan at each usage step and where it flips.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sensitivity {
    /// Ascending by percentage, one per percentage.
    pub steps: Vec<Step>,
    /// Ascending by percentage.
    pub flips: Vec<Flip>,
}

/// The searched plan with usage scaled by `percent`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub percent: i32,
    /// The plan's total (subscriptions + the cheapest order for its tokens).
    pub total: Decimal,
    pub all_flex: Decimal,
    pub all_subscription: Decimal,
    /// Tokens the team still burns under the plan.
    pub tokens: u64,
    pub subscriptions: Vec<SubscriptionOut>,
    /// The same subscriptions as the 0 % step's (false when no 0 % step was computed).
    pub same_as_baseline: bool,
    /// Proven optimal (see `Advice::optimal`).
    pub optimal: bool,
    /// Per user and offering the plan subscribes to, ordered as the scenario lists them.
    #[serde(skip)]
    coverage: Vec<Covered>,
}

#[derive(Debug, Clone)]
struct Covered {
    /// (user, offering) indexes: the scenario's order.
    at: (usize, usize),
    user: String,
    offering: String,
    coverage: Coverage,
}

/// How a plan covers one user with one offering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// `none`, `annual` or `monthly`.
    pub term: Cow<'static, str>,
    /// For `monthly`: the first day of each month subscribed (B3's months).
    pub months: Vec<String>,
}

impl Coverage {
    fn none() -> Coverage {
        Coverage {
            term: "none".into(),
            months: Vec::new(),
        }
    }
}

/// Where the plan changes: at `percent` against the neighbouring step nearer 0 %
/// (`from_percent`), so flips read outwards from today's usage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flip {
    pub percent: i32,
    pub from_percent: i32,
    pub changes: Vec<Change>,
}

/// One user × offering whose coverage differs between the two steps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub user: String,
    pub offering: String,
    pub before: Coverage,
    pub after: Coverage,
}

/// The advisor's preparation (use, day tables, prices), made once and kept for every step
/// of a sweep.
pub struct Sweep {
    prepared: Prepared,
    /// Calendar days of each of the period's months (B3's months).
    month_days: Vec<u32>,
}

impl Sweep {
    pub fn new(scenario: &Scenario) -> Result<Sweep, InputError> {
        Sweep::from_model(&validate(scenario)?)
    }

    pub fn from_model(model: &Model) -> Result<Sweep, InputError> {
        let prepared = prepare(model)?;
        let start = prepared.est.start_date;
        let month_days = (0..i64::from(prepared.est.months))
            .map(|i| {
                let secs = add_months(start, i + 1)
                    .duration_since(add_months(start, i))
                    .as_secs();
                (secs / 86_400) as u32
            })
            .collect();
        Ok(Sweep {
            prepared,
            month_days,
        })
    }

    /// The plan with every user × product's charged days scaled by `percent` (below −100
    /// reads as −100: no use at all).
    pub fn step(&self, percent: i32) -> Step {
        let p = &self.prepared;
        let factor = u64::try_from(100 + i64::from(percent)).unwrap_or(0);
        let facts: Vec<UserFacts> = p
            .facts
            .iter()
            .map(|f| UserFacts {
                products: f
                    .products
                    .iter()
                    .map(|x| ProductUse {
                        product: x.product,
                        rate: x.rate,
                        spans: Vec::new(),
                        days: scale_table(&x.days, factor, &self.month_days),
                        coverable: x.coverable,
                    })
                    .collect(),
                results: f.results,
            })
            .collect();
        let solved = solve(p, &facts);
        let coverage = coverage(&p.est, &solved.plan);
        let (est, mon) = (&p.est, &p.mon);
        let plan = plan_out(est, mon, &facts, solved.plan);
        let all_flex = plan_out(est, mon, &facts, vec![Vec::new(); est.users.len()]);
        let all_sub = plan_out(est, mon, &facts, p.annual_plan(&solved.all_sub));
        Step {
            percent,
            optimal: solved.solution.optimal
                && solved.complete
                && plan.cost.tokens == solved.solution.tokens,
            total: plan.cost.total,
            all_flex: all_flex.cost.total,
            all_subscription: all_sub.cost.total,
            tokens: plan.cost.tokens,
            subscriptions: plan.subscriptions,
            same_as_baseline: false,
            coverage,
        }
    }
}

/// round(days × factor ÷ 100), half away from zero (all non-negative), at most the larger
/// of `cap` and the days themselves.
fn scale(days: u32, factor: u64, cap: u32) -> u32 {
    let r = (u64::from(days) * factor * 2 + 100) / 200;
    r.min(u64::from(days.max(cap))) as u32
}

fn scale_table(t: &DayTable, factor: u64, month_days: &[u32]) -> DayTable {
    let m = t.months;
    DayTable {
        months: m,
        uncovered: (0..m)
            .map(|i| scale(t.uncovered[i], factor, month_days[i]))
            .collect(),
        covered: t.covered.iter().map(|&c| scale(c, factor, c)).collect(),
        runs: t.runs.as_ref().map(|runs| {
            let mut out = vec![0; runs.len()];
            for i in 0..m {
                for j in i + 1..=m {
                    let k = i * (m + 1) + j;
                    out[k] = scale(runs[k], factor, month_days[i..j].iter().sum());
                }
            }
            out
        }),
    }
}

/// The plan's coverage per user and offering, from its (plan-shaped) subscriptions.
fn coverage(model: &Model, plan: &Priced) -> Vec<Covered> {
    let mut out: Vec<Covered> = Vec::new();
    for (u, subs) in plan.iter().enumerate() {
        for (s, term, _) in subs {
            let at = (u, s.offering);
            if out.last().is_none_or(|c| c.at != at) {
                out.push(Covered {
                    at,
                    user: model.users[u].id.clone(),
                    offering: model.offerings[s.offering].id.clone(),
                    coverage: Coverage {
                        term: (*term).into(),
                        months: Vec::new(),
                    },
                });
            }
            if *term == "monthly" {
                if let Some(c) = out.last_mut() {
                    c.coverage.months.push(format_date(s.from));
                }
            }
        }
    }
    out
}

/// What differs between two plans' coverages (both ordered by user, then offering).
fn changes(before: &[Covered], after: &[Covered]) -> Vec<Change> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let none = Coverage::none();
    while i < before.len() || j < after.len() {
        let (b, a) = match (before.get(i), after.get(j)) {
            (Some(b), Some(a)) if b.at == a.at => {
                i += 1;
                j += 1;
                (Some(b), Some(a))
            }
            (Some(b), a) if a.is_none_or(|a| b.at < a.at) => {
                i += 1;
                (Some(b), None)
            }
            (_, a) => {
                j += 1;
                (None, a)
            }
        };
        let named = b.or(a).expect("one side");
        let (bc, ac) = (
            b.map_or(&none, |x| &x.coverage),
            a.map_or(&none, |x| &x.coverage),
        );
        if bc != ac {
            out.push(Change {
                user: named.user.clone(),
                offering: named.offering.clone(),
                before: bc.clone(),
                after: ac.clone(),
            });
        }
    }
    out
}

impl Sensitivity {
    /// Gathers steps computed in any order (one per percentage; 0 % among them for
    /// `same_as_baseline`) and finds the flips between neighbouring steps.
    pub fn new(mut steps: Vec<Step>) -> Sensitivity {
        super::sort::sort_by_key(&mut steps, |s| s.percent);
        steps.dedup_by_key(|s| s.percent);
        if let Some(base) = steps.iter().position(|s| s.percent == 0) {
            let base = steps[base].coverage.clone();
            for s in &mut steps {
                s.same_as_baseline = s
                    .coverage
                    .iter()
                    .map(|c| (&c.at, &c.coverage))
                    .eq(base.iter().map(|c| (&c.at, &c.coverage)));
            }
        }
        let mut flips = Vec::new();
        for w in steps.windows(2) {
            // Read outwards from 0 %: above it from the lower step, below it from the higher.
            let (from, to) = if w[1].percent > 0 {
                (&w[0], &w[1])
            } else {
                (&w[1], &w[0])
            };
            let changes = changes(&from.coverage, &to.coverage);
            if !changes.is_empty() {
                flips.push(Flip {
                    percent: to.percent,
                    from_percent: from.percent,
                    changes,
                });
            }
        }
        Sensitivity { steps, flips }
    }
}

/// The plan at each of `percents` (0 % always added) and its flips.
pub fn sensitivity(scenario: &Scenario, percents: &[i32]) -> Result<Sensitivity, InputError> {
    sensitivity_model(&validate(scenario)?, percents)
}

pub fn sensitivity_model(model: &Model, percents: &[i32]) -> Result<Sensitivity, InputError> {
    let sweep = Sweep::from_model(model)?;
    let mut ps = percents.to_vec();
    ps.push(0);
    super::sort::sort(&mut ps);
    ps.dedup();
    Ok(Sensitivity::new(
        ps.iter().map(|&p| sweep.step(p)).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_rounds_half_away_from_zero_and_caps_at_the_calendar() {
        assert_eq!(scale(7, 100, 31), 7);
        assert_eq!(scale(1, 50, 31), 1, "0.5 rounds up");
        assert_eq!(scale(3, 50, 31), 2, "1.5 rounds up");
        assert_eq!(scale(3, 149, 31), 4, "4.47 rounds down");
        assert_eq!(scale(3, 150, 31), 5, "4.5 rounds up");
        assert_eq!(scale(0, 150, 31), 0);
        assert_eq!(scale(25, 150, 31), 31, "no more days than the month has");
        assert_eq!(scale(33, 150, 31), 33, "never cut below today's count");
        assert_eq!(scale(2, 150, 2), 2, "a sliver never grows");
        assert_eq!(scale(2, 0, 31), 0);
    }

    #[test]
    fn scaled_runs_agree_with_scaled_months() {
        let t = DayTable {
            months: 2,
            uncovered: vec![3, 5],
            covered: vec![1, 0],
            runs: Some(vec![0, 3, 9, 0, 0, 5, 0, 0, 0]),
        };
        let s = scale_table(&t, 150, &[31, 28]);
        assert_eq!(s.uncovered, vec![5, 8]);
        assert_eq!(s.covered, vec![1, 0]);
        assert_eq!(s.run(0, 1), s.uncovered[0]);
        assert_eq!(s.run(1, 2), s.uncovered[1]);
        assert_eq!(s.run(0, 2), 14, "9 × 1.5 = 13.5 → 14");
    }
}
