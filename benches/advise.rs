//! The `advise` benchmark (issue 4): the team plan of B3 on small teams (the brute-force
//! test's kind) and on generated firms of 100, 500 and 2,000 users over one year (target:
//! 500 users in at most 50 ms native, release build, with a proven lower bound and the gap).
//!
//! Before timing, it prints for each size what the advisor found: groups of products,
//! options kept, groups left open after the bounds, cells of the exact program, whether the
//! plan is proven optimal, the lower bound and the gap, so the figure can be read against
//! the work done. Timings: `advise` (Scenario → Advice, everything the CLI does but the
//! JSON reading and writing) and, beside it, `simulate` of the same scenario for scale.
//!
//! Last, the usage sensitivity sweep (`PERCENTS`: 11 searches, −50 % to +50 %) of the
//! 500-user firm, which the web view computes once per scenario.
//!
//! Run: `cargo bench --bench advise`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use flexcalc::engine::advise::{advise, sensitivity, PERCENTS};
use flexcalc::{simulate, Scenario};

#[path = "../tests/advise_gen/mod.rs"]
mod gen;

const SEED: u64 = 2027;
const SIZES: [usize; 3] = [100, 500, 2_000];

fn describe(label: &str, scenario: &Scenario) {
    let t = Instant::now();
    let a = advise(scenario).expect("generated scenario advises");
    let once = t.elapsed();
    println!(
        "{label}: plan {} {} (all-Flex {}, all-subscription {}, current {}); {} subscriptions; \
         lower bound {}, gap {}, optimal {}; groups {}, options {}, open groups {} ({} options), \
         exact program {} cells; one run {:.1} ms",
        a.plan.cost.total,
        a.currency,
        a.all_flex.cost.total,
        a.all_subscription.cost.total,
        a.current.cost.total,
        a.plan.subscriptions.len(),
        a.lower_bound,
        a.gap,
        a.optimal,
        a.search.groups,
        a.search.options,
        a.search.open_groups,
        a.search.open_options,
        a.search.dp_cells,
        once.as_secs_f64() * 1e3
    );
}

fn small_teams() -> Vec<Scenario> {
    let mut rng = gen::Rng::new(4);
    (0..100)
        .map(|_| {
            serde_json::from_value(gen::small(&mut rng, 10)).expect("generated scenario reads")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let small = small_teams();
    let t = Instant::now();
    let proven = small
        .iter()
        .filter(|s| advise(s).expect("advises").optimal)
        .count();
    println!(
        "small teams: 100 teams of up to 10 user-products, {proven} proven optimal, {:.3} ms per team",
        t.elapsed().as_secs_f64() * 1e3 / 100.0
    );
    let mut g = c.benchmark_group("advise");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("100 small teams", |b| {
        b.iter(|| {
            for s in &small {
                black_box(advise(black_box(s)).expect("advises"));
            }
        })
    });
    for &n in &SIZES {
        let scenario: Scenario =
            serde_json::from_value(gen::large(SEED, n)).expect("generated scenario reads");
        describe(&format!("{n} users"), &scenario);
        g.bench_with_input(BenchmarkId::new("advise", n), &scenario, |b, s| {
            b.iter(|| black_box(advise(black_box(s)).expect("advises")))
        });
        g.bench_with_input(BenchmarkId::new("simulate", n), &scenario, |b, s| {
            b.iter(|| black_box(simulate(black_box(s)).expect("simulates")))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("sensitivity");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(12))
        .warm_up_time(Duration::from_secs(1));
    let firm: Scenario =
        serde_json::from_value(gen::large(SEED, 500)).expect("generated scenario reads");
    let sens = sensitivity(&firm, &PERCENTS).expect("sweeps");
    println!(
        "500 users, sensitivity: {} steps, {} proven optimal, flips at {:?}",
        sens.steps.len(),
        sens.steps.iter().filter(|x| x.optimal).count(),
        sens.flips.iter().map(|f| f.percent).collect::<Vec<_>>()
    );
    g.bench_with_input(BenchmarkId::new("sweep", 500), &firm, |b, s| {
        b.iter(|| black_box(sensitivity(black_box(s), &PERCENTS).expect("sweeps")))
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
