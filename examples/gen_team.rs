//! Writes the benchmark's generated team (benches/gen) as a scenario file, for the browser
//! benchmark of big teams (e2e/suite-big-teams.js) and for anyone who wants a big input:
//! `cargo run --release --example gen_team -- USERS [SEED] > team.json`.

#[path = "../benches/gen/mod.rs"]
mod gen;

fn main() {
    let mut args = std::env::args().skip(1);
    let parse = |a: Option<String>, what: &str, default: Option<u64>| -> u64 {
        match a {
            Some(v) => v.parse().unwrap_or_else(|_| {
                eprintln!("gen_team: {what} must be a whole number, not {v:?}");
                std::process::exit(2)
            }),
            None => default.unwrap_or_else(|| {
                eprintln!("usage: gen_team USERS [SEED]");
                std::process::exit(2)
            }),
        }
    };
    let users = parse(args.next(), "USERS", None) as usize;
    // The benchmark's seed (benches/simulate.rs), so the file is the benchmark's year.
    let seed = parse(args.next(), "SEED", Some(2027));
    println!("{}", gen::scenario(users, seed).to_json());
}
