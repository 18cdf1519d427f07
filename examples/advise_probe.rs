//! Times `advise` on a generated firm: the least of 30 runs (a loaded machine inflates the
//! others); then the usage sensitivity sweep (`PERCENTS`, 11 steps), the least of 5 runs,
//! and its preparation alone. Run:
//! `cargo run --release --example advise_probe -- USERS [SEED [MONTHS]]`.
use std::time::Instant;

#[path = "../tests/advise_gen/mod.rs"]
mod gen;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(500);
    let seed: u64 = std::env::args()
        .nth(2)
        .and_then(|x| x.parse().ok())
        .unwrap_or(2027);
    let mut json = gen::large(seed, n);
    if let Some(m) = std::env::args().nth(3).and_then(|x| x.parse::<u32>().ok()) {
        json["period"]["months"] = serde_json::json!(m);
    }
    let s: flexcalc::Scenario = serde_json::from_value(json).expect("reads");
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..30 {
        let t = Instant::now();
        let a = flexcalc::engine::advise::advise(&s).expect("advises");
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        last = Some(a);
    }
    let a = last.expect("ran");
    println!(
        "{n} users: advise {best:.1} ms (least of 30), optimal {}, gap {}, {:?}",
        a.optimal, a.gap, a.search
    );

    use flexcalc::engine::advise::{sensitivity, Sweep, PERCENTS};
    let least = |runs: usize, f: &dyn Fn()| -> f64 {
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::MAX, f64::min)
    };
    let prepare = least(5, &|| {
        std::hint::black_box(Sweep::new(&s).expect("prepares"));
    });
    let sweep = least(5, &|| {
        std::hint::black_box(sensitivity(&s, &PERCENTS).expect("sweeps"));
    });
    let sens = sensitivity(&s, &PERCENTS).expect("sweeps");
    println!(
        "{n} users: sensitivity sweep of {} steps {sweep:.1} ms (least of 5; {:.1} ms a step, \
         preparation {prepare:.1} ms once), {} proven optimal, {} flips",
        sens.steps.len(),
        (sweep - prepare) / sens.steps.len() as f64,
        sens.steps.iter().filter(|x| x.optimal).count(),
        sens.flips.len()
    );
}
