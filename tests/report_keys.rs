//! The report's charges on a team large enough that they span many chunks, written into
//! plan buckets the pass has read and, after the packs run dry, into the plan dropped for
//! the sweep (`Chunks` and `Pool` in src/engine/report.rs): read back through
//! `Report::charges`, they must be every charge, once, in time order.

use std::collections::HashMap;

use flexcalc::simulate;

#[path = "../benches/gen/mod.rs"]
mod gen;

#[test]
fn charges_across_chunks_read_back_whole_and_in_order() {
    // 100 users: about 24,000 charges (chunks hold 4,096 keys and up) and a dry ledger,
    // so the plan is swept and its memory handed on.
    let report = simulate(&gen::scenario(100, 2027)).expect("generated scenario simulates");
    let charges: Vec<_> = report.charges().collect();
    assert_eq!(report.charges().len(), charges.len());
    assert!(charges.len() > 5 * 4096, "{} charges", charges.len());
    assert!(report.denials().len() > 0, "the packs run dry");

    assert!(charges.windows(2).all(|w| w[0].at <= w[1].at), "time order");
    let total: u64 = charges.iter().map(|c| c.tokens).sum();
    assert_eq!(total, report.totals.tokens);
    let mut by_user = vec![0u64; report.user_ids.len()];
    for c in &charges {
        by_user[c.user as usize] += c.tokens;
    }
    assert_eq!(by_user, report.totals.by_user);
    // No charge twice: one user and item are charged at one instant at most once.
    let mut seen = HashMap::new();
    for c in &charges {
        assert!(
            seen.insert((c.user, c.item(), c.at), ()).is_none(),
            "{c:?} twice"
        );
    }
}
