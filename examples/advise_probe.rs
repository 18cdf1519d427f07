//! Times `advise` on a generated firm: the least of 30 runs (a loaded machine inflates the
//! others). Run: `cargo run --release --example advise_probe -- USERS [SEED [MONTHS]]`.
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
}
