//! What every report must satisfy, whatever the scenario (SPEC M4, L1–L3, §7 totals):
//! checked by both fuzz targets on each scenario that simulates.

use flexcalc::engine::report::{Item, Report};
use flexcalc::Scenario;

pub fn check(s: &Scenario, report: &Report) {
    // Charges in time order; one user and product at least 24 h apart (M4).
    let mut last: std::collections::HashMap<(u32, Item), i64> = Default::default();
    let mut prev = i64::MIN;
    for c in report.charges() {
        assert!(c.at >= prev, "charges out of order");
        prev = c.at;
        assert!(
            c.at >= report.start && c.at < report.end,
            "charge outside the period"
        );
        if let Item::Product(_) = c.item() {
            if let Some(t) = last.insert((c.user, c.item()), c.at) {
                assert!(c.at - t >= 86_400, "two charges {} s apart", c.at - t);
            }
        }
    }
    let total: u64 = report.charges().map(|c| c.tokens).sum();
    assert_eq!(total, report.totals.tokens);
    assert_eq!(
        report.totals.by_month.iter().map(|(_, v)| v).sum::<u64>(),
        total,
        "by_month adds up"
    );
    assert_eq!(
        report.totals.by_user.iter().sum::<u64>(),
        total,
        "by_user adds up"
    );
    for d in report.denials() {
        assert!(d.balance < d.charge.tokens, "denied with enough balance");
    }
    match &s.packs {
        None => {
            assert_eq!(report.denials().len(), 0, "estimate mode denies nothing");
            let order = report.order.as_ref().expect("estimate mode has an order");
            assert!(order.tokens >= total, "order covers the total");
        }
        Some(packs) => {
            for (p, r) in packs.iter().zip(&report.packs) {
                assert_eq!(
                    r.used + r.expired + r.remaining,
                    p.tokens,
                    "pack {} books",
                    p.id
                );
            }
            let used: u64 = report.packs.iter().map(|p| p.used).sum();
            assert_eq!(used, total, "tokens charged = tokens drawn");
        }
    }
}
