//! Times the stages of `simulate` on the benchmark's generated team: the least of N runs
//! (a loaded machine inflates the others), so a change to one stage can be read quickly.
//! Run: `cargo run --release --example sim_probe -- [USERS [RUNS]]`. The recorded figure
//! is criterion's (`bash scripts/bench.sh`).
//!
//! Times are the thread's CPU time (Linux `/proc/thread-self/schedstat`), so other work on
//! the machine inflates them less than wall time; wall time is the fallback elsewhere.
use std::time::Instant;

/// CPU nanoseconds this thread has run, if the kernel says.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

use flexcalc::engine::simulate::{run, use_by_product, Tables};
use flexcalc::engine::validate::validate;

#[path = "../benches/gen/mod.rs"]
mod gen;

fn least<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_ns());
        let out = f();
        let ms = match (c, cpu_ns()) {
            // `SIM_PROBE_CLOCK=wall`: where the kernel counts CPU time in whole ticks.
            _ if std::env::var_os("SIM_PROBE_CLOCK").is_some_and(|v| v == "wall") => {
                t.elapsed().as_secs_f64() * 1e3
            }
            (Some(a), Some(b)) => (b - a) as f64 / 1e6,
            _ => t.elapsed().as_secs_f64() * 1e3,
        };
        best = best.min(ms);
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let arg = |i: usize, d: usize| {
        std::env::args()
            .nth(i)
            .and_then(|x| x.parse().ok())
            .unwrap_or(d)
    };
    let (users, runs) = (arg(1, 10_000), arg(2, 7));
    let scenario = gen::scenario(users, 2027);
    // For comparing reports across engine versions: `SIM_PROBE_WRITE=FILE` saves the input.
    if let Some(path) = std::env::var_os("SIM_PROBE_WRITE") {
        std::fs::write(path, scenario.to_json()).expect("writes the scenario");
    }
    // `SIM_PROBE_STAGE=validate|expand|run` repeats one stage only (for `perf stat`).
    if let Ok(stage) = std::env::var("SIM_PROBE_STAGE") {
        let model = validate(&scenario).expect("valid");
        let mut kept = Vec::new();
        let (ms, n) = least(runs, || match stage.as_str() {
            // The floor of reading every session date-time of the scenario once.
            "touch" => scenario
                .users
                .iter()
                .flat_map(|u| &u.usage)
                .flat_map(|u| u.sessions.iter().flatten())
                .map(|s| {
                    let inner = s.inactive.iter().flatten().flatten();
                    std::iter::once(&s.start)
                        .chain([&s.end])
                        .chain(inner)
                        .map(|x| x.as_bytes().iter().map(|&b| b as usize).sum::<usize>())
                        .sum::<usize>()
                })
                .sum(),
            "validate" => validate(&scenario).map_or(0, |m| m.users.len()),
            "validate-keep" => {
                let m = validate(&scenario).expect("valid");
                let n = m.users.len();
                kept.push(m);
                n
            }
            "expand" => {
                let mut tables = Tables::new(&model);
                model
                    .users
                    .iter()
                    .map(|u| use_by_product(&mut tables, u).len())
                    .sum()
            }
            _ => run(&model).charges().len(),
        });
        println!("{stage}: {ms:.1} ms ({n})");
        return;
    }
    let (v, model) = least(runs, || validate(&scenario).expect("valid"));
    let (x, n) = least(runs, || {
        let mut tables = Tables::new(&model);
        model
            .users
            .iter()
            .map(|u| use_by_product(&mut tables, u).len())
            .sum::<usize>()
    });
    let (r, report) = least(runs, || run(&model));
    let (s, _) = least(runs, || flexcalc::simulate(&scenario).expect("simulates"));
    println!(
        "{users} users: validate {v:.1} ms, expand {x:.1} ms ({n} meters), run {r:.1} ms, validate+simulate {s:.1} ms; {} charges, {} denials",
        report.charges().len(),
        report.denials().len()
    );
}
