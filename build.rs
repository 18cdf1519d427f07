//! Turns the rate data of `rates/*.toml` into JSON at build time, so the engine embeds the
//! data already checked for syntax and reads it with the JSON reader it has anyway: the
//! TOML parser stays out of the binary and the wasm bundle.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["products", "services", "prices", "groups", "import-aliases"] {
        let src = format!("rates/{name}.toml");
        println!("cargo:rerun-if-changed={src}");
        let text = fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{src} is malformed: {e}"));
        let json = serde_json::to_string(&value).expect("TOML values are JSON values");
        fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("OUT_DIR is writable");
    }
}
