//! B3 properties on random teams larger than brute force can check (up to 40 user-products,
//! periods of 1 to 15 months, so annual subscriptions are paid once or twice):
//!
//! - the plan never costs more than all-Flex, all-subscription or the scenario's own
//!   subscriptions (`current`), and the savings are those differences;
//! - every figure of every plan is what the engine's own simulation gives for those
//!   subscriptions in estimate mode (tokens per user and in all, the P3 order);
//! - the plan is made of B3 subscriptions only (annual from the period's start to its last
//!   day at annual × ⌈months ÷ 12⌉, or calendar months of the period at the monthly price);
//! - the lower bound never exceeds the plan, the gap is their difference, and a plan
//!   called optimal has no gap;
//! - the answer is the same, byte for byte, on a second run.

#[path = "advise_gen/mod.rs"]
mod gen;

use flexcalc::engine::advise::{advise, Advice, PlanOut};
use flexcalc::engine::model::{Model, SubscriptionM};
use flexcalc::engine::price::cheapest_order;
use flexcalc::engine::simulate::run_with_subscriptions;
use flexcalc::engine::time::{add_days, add_months, parse_date};
use flexcalc::engine::validate::validate;
use flexcalc::Scenario;
use rust_decimal::Decimal;

fn subscriptions_of(model: &Model, plan: &PlanOut) -> Vec<Vec<SubscriptionM>> {
    let mut subs = vec![Vec::new(); model.users.len()];
    for s in &plan.subscriptions {
        let u = model
            .users
            .iter()
            .position(|u| u.id == s.user)
            .expect("plan names a user");
        let o = model
            .offerings
            .iter()
            .position(|o| o.id == s.offering)
            .expect("plan names an offering");
        subs[u].push(SubscriptionM {
            offering: o,
            from: parse_date(&s.from).expect("date"),
            to: parse_date(&s.to).expect("date"),
        });
    }
    subs
}

/// The plan's figures are the engine's: same tokens per user, same total, same order.
fn check_against_simulation(model: &Model, name: &str, plan: &PlanOut, json: &str) {
    let subs = subscriptions_of(model, plan);
    let refs: Vec<&[SubscriptionM]> = subs.iter().map(Vec::as_slice).collect();
    let report = run_with_subscriptions(model, &refs);
    assert_eq!(
        plan.cost.tokens, report.totals.tokens,
        "{name}: tokens\n{json}"
    );
    let by_user: Vec<u64> = plan.users.iter().map(|u| u.tokens).collect();
    assert_eq!(
        by_user, report.totals.by_user,
        "{name}: tokens per user\n{json}"
    );
    assert_eq!(
        plan.cost.order,
        cheapest_order(&model.book, report.totals.tokens),
        "{name}: order"
    );
    let subs_total: Decimal = plan.subscriptions.iter().map(|s| s.price).sum();
    assert_eq!(
        plan.cost.subscriptions, subs_total,
        "{name}: subscription money"
    );
    assert_eq!(
        plan.cost.total,
        plan.cost.subscriptions + plan.cost.order.total,
        "{name}: total"
    );
}

fn check_b3_terms(model: &Model, a: &Advice) {
    let years = Decimal::from(model.months.div_ceil(12));
    for s in &a.plan.subscriptions {
        let o = model
            .offerings
            .iter()
            .find(|o| o.id == s.offering)
            .expect("offering");
        let (from, to) = (
            parse_date(&s.from).expect("date"),
            parse_date(&s.to).expect("date"),
        );
        match &*s.term {
            "annual" => {
                assert_eq!((from, to), (model.start_date, add_days(model.end_date, -1)));
                assert_eq!(s.price, o.annual * years);
            }
            "monthly" => {
                let i = (0..model.months as i64)
                    .find(|&i| add_months(model.start_date, i) == from)
                    .expect("a monthly subscription starts a month of the period");
                assert_eq!(to, add_days(add_months(model.start_date, i + 1), -1));
                assert_eq!(Some(s.price), o.monthly);
            }
            other => panic!("unexpected term {other}"),
        }
    }
}

#[test]
fn plans_never_cost_more_and_match_the_engine() {
    let mut rng = gen::Rng::new(99);
    let (mut proven, mut teams) = (0, 0);
    for _ in 0..150 {
        let json = gen::team(&mut rng, 40, 15, 12);
        let text = json.to_string();
        let scenario: Scenario = serde_json::from_value(json).expect("generated scenario reads");
        let mut model = validate(&scenario).expect("generated scenario is valid");
        model.packs = None;
        let a = advise(&scenario).expect("advises");
        for (name, other) in [
            ("all_flex", &a.all_flex),
            ("all_subscription", &a.all_subscription),
            ("current", &a.current),
        ] {
            assert!(
                a.plan.cost.total <= other.cost.total,
                "plan costs more than {name}\n{text}"
            );
            check_against_simulation(&model, name, other, &text);
        }
        check_against_simulation(&model, "plan", &a.plan, &text);
        check_b3_terms(&model, &a);
        assert_eq!(a.saving.all_flex, a.all_flex.cost.total - a.plan.cost.total);
        assert_eq!(
            a.saving.all_subscription,
            a.all_subscription.cost.total - a.plan.cost.total
        );
        assert_eq!(a.saving.current, a.current.cost.total - a.plan.cost.total);
        assert!(a.lower_bound <= a.plan.cost.total);
        assert_eq!(a.gap, a.plan.cost.total - a.lower_bound);
        if a.optimal {
            assert_eq!(a.gap, Decimal::ZERO);
            proven += 1;
        }
        let again = advise(&scenario).expect("advises");
        assert_eq!(
            serde_json::to_string(&a).ok(),
            serde_json::to_string(&again).ok(),
            "deterministic"
        );
        teams += 1;
    }
    println!("properties: {teams} teams, {proven} proven optimal");
    assert!(
        proven * 10 >= teams * 9,
        "most random teams should be proven optimal ({proven} of {teams})"
    );
}

#[test]
fn large_team_is_answered_with_a_bound() {
    let scenario: Scenario = serde_json::from_value(gen::large(7, 300)).expect("reads");
    let a = advise(&scenario).expect("advises");
    assert!(a.plan.cost.total <= a.all_flex.cost.total);
    assert!(a.plan.cost.total <= a.all_subscription.cost.total);
    assert!(a.plan.cost.total <= a.current.cost.total);
    assert!(a.lower_bound <= a.plan.cost.total);
    // Neither all-Flex nor all-subscription is the answer for this firm: the mix saves.
    assert!(a.saving.all_flex > Decimal::ZERO && a.saving.all_subscription > Decimal::ZERO);
    let mut model = validate(&scenario).expect("valid");
    model.packs = None;
    check_against_simulation(&model, "plan", &a.plan, "large team");
}
