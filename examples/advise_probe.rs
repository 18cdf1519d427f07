use std::time::Instant;
#[path = "../tests/advise_gen/mod.rs"]
mod gen;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(500);
    let s: flexcalc::Scenario = serde_json::from_value(gen::large(2027, n)).unwrap();
    let m = flexcalc::engine::validate::validate(&s).unwrap();
    for _ in 0..10 {
        let t = Instant::now();
        let mut tables = flexcalc::engine::simulate::Tables::new(&m);
        let mut k = 0;
        for u in &m.users {
            k += flexcalc::engine::simulate::use_by_product(&m, &mut tables, u).len();
        }
        let e = t.elapsed();
        let t = Instant::now();
        let r = flexcalc::engine::simulate::run(&m);
        let e2 = t.elapsed();
        let t = Instant::now();
        let a = flexcalc::engine::advise::advise_model(&m).unwrap();
        eprintln!("expand {:.1} ms ({k}), run {:.1} ms ({} charges), advise {:.1} ms optimal {} {:?} gap {}", e.as_secs_f64()*1e3, e2.as_secs_f64()*1e3, r.charges.len(), t.elapsed().as_secs_f64()*1e3, a.optimal, a.search, a.gap);
    }
}
