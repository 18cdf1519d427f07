//! B3 on small teams: the advisor's plan is the true optimum, checked against brute force
//! over every plan, each user's choice simulated by the engine itself.
//!
//! The brute force enumerates, for every user and every offering covering a product the user
//! has a usage entry for, nothing, annual, and every non-empty set of months (when the
//! offering has a monthly price); it simulates each user's choice with
//! `run_with_subscriptions` in estimate mode (a user's tokens depend only on their own
//! subscriptions there), then tries every combination with the cheapest order of P3,
//! ranking by (total, subscription money, number of subscriptions). Offerings covering
//! nothing the user uses can only add cost, so leaving them out changes no optimum.

#[path = "advise_gen/mod.rs"]
mod gen;

use std::collections::HashMap;
use std::time::Instant;

use flexcalc::engine::advise::advise;
use flexcalc::engine::model::{Model, SubscriptionM};
use flexcalc::engine::price::{cheapest_order_with, Packs};
use flexcalc::engine::simulate::{run_with_subscriptions, use_by_product, Tables};
use flexcalc::engine::time::{add_days, add_months};
use flexcalc::engine::validate::validate;
use flexcalc::Scenario;
use rust_decimal::Decimal;

const TEAMS: usize = 600;
/// Plans per team beyond which a generated team is replaced by another (keeps the test fast).
const MAX_PLANS: u64 = 60_000;

/// One user's options: (subscription money, subscriptions, tokens).
fn user_options(model: &Model, u: usize, tables: &mut Tables) -> Vec<(Decimal, u32, u64)> {
    let user = &model.users[u];
    let used: Vec<usize> = use_by_product(tables, user).iter().map(|x| x.0).collect();
    let relevant: Vec<usize> = (0..model.offerings.len())
        .filter(|&o| used.iter().any(|p| model.offerings[o].covers.contains(p)))
        .collect();
    let m = model.months as usize;
    let years = Decimal::from(model.months.div_ceil(12));
    // Per relevant offering: its terms as (price, subscriptions).
    let mut per: Vec<Vec<(Decimal, Vec<SubscriptionM>)>> = Vec::new();
    for &o in &relevant {
        let off = &model.offerings[o];
        let mut terms = vec![(Decimal::ZERO, Vec::new())];
        terms.push((
            off.annual * years,
            vec![SubscriptionM {
                offering: o,
                from: model.start_date,
                to: add_days(model.end_date, -1),
            }],
        ));
        if let Some(mo) = off.monthly {
            for mask in 1u32..(1 << m) {
                let subs: Vec<SubscriptionM> = (0..m)
                    .filter(|i| mask >> i & 1 == 1)
                    .map(|i| SubscriptionM {
                        offering: o,
                        from: add_months(model.start_date, i as i64),
                        to: add_days(add_months(model.start_date, i as i64 + 1), -1),
                    })
                    .collect();
                terms.push((mo * Decimal::from(subs.len()), subs));
            }
        }
        per.push(terms);
    }
    let mut one = model.clone();
    one.users = vec![user.clone()];
    let mut out = Vec::new();
    let mut idx = vec![0usize; per.len()];
    loop {
        let mut money = Decimal::ZERO;
        let mut subs = Vec::new();
        for (k, &i) in idx.iter().enumerate() {
            money += per[k][i].0;
            subs.extend(per[k][i].1.iter().cloned());
        }
        let report = run_with_subscriptions(&one, &[subs.as_slice()]);
        out.push((money, subs.len() as u32, report.totals.tokens));
        // Next combination (mixed radix).
        let mut k = 0;
        loop {
            if k == idx.len() {
                return out;
            }
            idx[k] += 1;
            if idx[k] < per[k].len() {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

fn plan_count(model: &Model) -> u64 {
    let mut tables = Tables::new(model);
    let m = model.months;
    model
        .users
        .iter()
        .map(|user| {
            let used: Vec<usize> = use_by_product(&mut tables, user)
                .iter()
                .map(|x| x.0)
                .collect();
            model
                .offerings
                .iter()
                .filter(|o| used.iter().any(|p| o.covers.contains(p)))
                .map(|o| {
                    if o.monthly.is_some() {
                        1 + (1u64 << m)
                    } else {
                        2
                    }
                })
                .product::<u64>()
        })
        .fold(1u64, |a, b| a.saturating_mul(b))
}

/// (total, subscription money, subscriptions) of the best plan.
fn brute(model: &Model) -> (Decimal, Decimal, u32) {
    let mut tables = Tables::new(model);
    let users: Vec<Vec<(Decimal, u32, u64)>> = (0..model.users.len())
        .map(|u| user_options(model, u, &mut tables))
        .collect();
    let packs = Packs::new(&model.book);
    let mut memo: HashMap<u64, Decimal> = HashMap::new();
    let mut best: Option<(Decimal, Decimal, u32)> = None;
    let mut idx = vec![0usize; users.len()];
    loop {
        let (mut s, mut k, mut t) = (Decimal::ZERO, 0u32, 0u64);
        for (u, &i) in idx.iter().enumerate() {
            let o = users[u][i];
            s += o.0;
            k += o.1;
            t += o.2;
        }
        let order = *memo
            .entry(t)
            .or_insert_with(|| cheapest_order_with(&model.book, &packs, t).total);
        let key = (s + order, s, k);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
        let mut u = 0;
        loop {
            if u == idx.len() {
                return best.unwrap_or_default();
            }
            idx[u] += 1;
            if idx[u] < users[u].len() {
                break;
            }
            idx[u] = 0;
            u += 1;
        }
    }
}

#[test]
fn plan_is_the_brute_force_optimum_on_small_teams() {
    let started = Instant::now();
    let mut rng = gen::Rng::new(4);
    let mut checked = 0;
    let mut with_choice = 0;
    let mut tiers_crossed = 0;
    let mut plans_total: u64 = 0;
    while checked < TEAMS {
        let json = gen::small(&mut rng, 10);
        let scenario: Scenario =
            serde_json::from_value(json.clone()).expect("generated scenario reads");
        let model = validate(&scenario)
            .unwrap_or_else(|e| panic!("generated scenario is valid: {e}\n{json}"));
        let plans = plan_count(&model);
        if plans > MAX_PLANS {
            continue;
        }
        plans_total += plans;
        let advice = advise(&scenario).unwrap_or_else(|e| panic!("advise failed: {e}\n{json}"));
        let mut est = model.clone();
        est.packs = None;
        let (total, subs, count) = brute(&est);
        let plan = &advice.plan.cost;
        assert_eq!(
            (
                plan.total,
                plan.subscriptions,
                advice.plan.subscriptions.len() as u32
            ),
            (total, subs, count),
            "team #{checked}: plan {:#?}\nscenario {json}",
            advice.plan
        );
        assert!(advice.optimal, "team #{checked} not proven optimal: {json}");
        assert_eq!(advice.lower_bound, plan.total);
        if plans > 1 {
            with_choice += 1;
        }
        if advice.all_flex.cost.order.unit_price != plan.order.unit_price {
            tiers_crossed += 1;
        }
        checked += 1;
    }
    println!(
        "brute force: {checked} teams ({with_choice} with a choice to make, {tiers_crossed} where the plan changes the tier, \
         {plans_total} plans in all) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
