#!/usr/bin/env bash
# The engine as wasm32 compiles it, against the native CLI: `flexcalc simulate` and
# `flexcalc advise --sensitivity` built for wasm32-wasip1 (target_arch "wasm32", so every `cfg(target_arch = "wasm32")` branch the
# browser takes) and run under Node's WASI (scripts/wasi-run.js), on N random scenarios
# (scripts/random-scenarios.py, seeds 0..N, with their altered copies) and on every
# examples/*.json and tests/fixtures/*.json; standard output, standard error and exit
# status must be byte-identical to the native release CLI's. docs/wasm-check.md.
# Usage: bash scripts/compare-wasm.sh [N]   (default 500)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-500}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
WORK="$TARGET_DIR/wasm-check"
rm -rf "$WORK/differs"
mkdir -p "$WORK"
started=$SECONDS

command -v node >/dev/null || { echo "compare-wasm: node is missing" >&2; exit 1; }
command -v python3 >/dev/null || { echo "compare-wasm: python3 is missing" >&2; exit 1; }
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1

# The native CLI, and the zone files the web app fetches (the wasm has no tz database).
cargo build --quiet --release --locked --bin flexcalc
NATIVE="$TARGET_DIR/release/flexcalc"
rm -rf "$WORK/tz"
cargo run --quiet --locked --example tz_export -- "$WORK/tz" >/dev/null

# The engine for wasm32-wasip1, then the CLI around it. The CLI is src/bin/flexcalc.rs as
# it stands, but for one thing the browser does and the CLI does not: registering the zones
# a scenario names (register_time_zone, with tz_export's TZif files, as src/ui/zones.rs
# does with those it fetches) before the engine is called. It is compiled with rustc against the rlibs cargo
# just built, with the release profile's settings, so that src/ and Cargo.toml stay as
# they are.
cargo build --quiet --release --locked --target wasm32-wasip1 --lib --message-format=json >"$WORK/lib.json"
read -r LIB SERDE SERDE_JSON VERSION < <(python3 - "$WORK/lib.json" <<'EOF'
import json, sys
found = {}
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or "lib" not in m["target"]["kind"]:
        continue
    rlibs = [f for f in m["filenames"] if f.endswith(".rlib") and "/wasm32-wasip1/" in f]
    if rlibs:
        found[m["target"]["name"]] = (rlibs[0], m["package_id"])
print(found["flexcalc"][0], found["serde"][0], found["serde_json"][0],
      found["flexcalc"][1].rsplit("@", 1)[-1].rsplit("#", 1)[-1])
EOF
)
[ -n "${VERSION:-}" ] || { echo "compare-wasm: the wasm32-wasip1 rlibs were not found in cargo's output" >&2; exit 1; }
{
    grep -v '^//!' src/bin/flexcalc.rs | sed 's/^fn main() -> ExitCode {$/fn cli_main() -> ExitCode {/'
    cat <<'EOF'

// Added by scripts/compare-wasm.sh: first, what the web app does before it calls the
// engine (src/ui/zones.rs): the zones the scenario names (the team's, each user's) that the
// engine does not know yet, as spelled in tz_export's index, registered from their TZif
// files; a name the index lacks stays unregistered, and the engine refuses it.
fn main() -> ExitCode {
    if let Some(dir) = std::env::var_os("FLEXCALC_TZ_DIR") {
        register_zones(std::path::Path::new(&dir));
    }
    cli_main()
}

fn register_zones(dir: &std::path::Path) {
    use flexcalc::engine::time::{register_time_zone, time_zone};
    let index = std::fs::read_to_string(dir.join("index.txt")).expect("tz index.txt");
    let file = std::env::args().skip(2).find(|a| !a.starts_with("--") && a != "-");
    let Some(text) = file.and_then(|f| std::fs::read_to_string(f).ok()) else { return };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return };
    let users = v.get("users").and_then(|u| u.as_array()).map(Vec::as_slice).unwrap_or(&[]);
    for name in std::iter::once(&v).chain(users).filter_map(|x| x.get("timezone")?.as_str()) {
        if time_zone(name).is_some() {
            continue;
        }
        if let Some(canonical) = index.lines().find(|n| n.eq_ignore_ascii_case(name)) {
            let tzif = std::fs::read(dir.join(canonical)).expect("a listed zone's file");
            assert!(register_time_zone(canonical, &tzif), "{canonical}: not TZif");
        }
    }
}
EOF
} >"$WORK/main.rs"
grep -q '^fn cli_main() -> ExitCode {$' "$WORK/main.rs" \
    || { echo "compare-wasm: src/bin/flexcalc.rs has no 'fn main() -> ExitCode {' line to wrap" >&2; exit 1; }
WASM="$WORK/flexcalc.wasm"
KEY="$(cat "$WORK/main.rs" "$LIB" "$SERDE" "$SERDE_JSON" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$WASM" ] || [ "$(cat "$WORK/wasm.key" 2>/dev/null)" != "$KEY" ]; then
    rm -f "$WASM"
    CARGO_PKG_VERSION="$VERSION" rustc --edition 2021 --crate-type bin --crate-name flexcalc_wasi \
        --target wasm32-wasip1 -C opt-level=3 -C lto=fat -C codegen-units=1 \
        -L "dependency=$TARGET_DIR/wasm32-wasip1/release/deps" -L "dependency=$TARGET_DIR/release/deps" \
        --extern "flexcalc=$LIB" --extern "serde=$SERDE" --extern "serde_json=$SERDE_JSON" \
        -o "$WASM" "$WORK/main.rs"
    echo "$KEY" >"$WORK/wasm.key"
fi
echo "compare-wasm: built in $((SECONDS - started)) s"

DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
mkdir "$DIR/scenarios"
python3 scripts/random-scenarios.py 0 "$N" "$DIR/scenarios"
files=()
for f in "$DIR"/scenarios/*.json "$PWD"/examples/*.json "$PWD"/tests/fixtures/*.json; do
    [ -e "$f" ] && files+=("$f")
done
run_started=$SECONDS
same=0; differ=0; refused=0; runs=0
for command in "simulate" "advise --sensitivity"; do
    out="$DIR/${command%% *}"
    # shellcheck disable=SC2086 # the command's words
    node scripts/wasi-run.js --tz "$WORK/tz" --batch "$out/wasm" "$WASM" $command -- "${files[@]}"
    mkdir -p "$out/native"
    for i in "${!files[@]}"; do
        f="${files[$i]}"
        n="$out/native/$i" w="$out/wasm/$i"
        set +e
        # shellcheck disable=SC2086
        "$NATIVE" $command "$f" >"$n.out" 2>"$n.err"
        echo "$?" >"$n.rc"
        set -e
        runs=$((runs + 1))
        if cmp -s "$n.out" "$w.out" && cmp -s "$n.err" "$w.err" && cmp -s "$n.rc" "$w.rc"; then
            same=$((same + 1))
        else
            differ=$((differ + 1))
            keep="$WORK/differs/$(basename "$f")"
            mkdir -p "$WORK/differs"
            cp "$f" "$keep"
            echo "differs: flexcalc $command $f (kept as $keep; native exit $(cat "$n.rc"), wasm exit $(cat "$w.rc"))"
            for part in err out; do
                diff "$n.$part" "$w.$part" | head -20 | sed "s/^/  $part: /" || true
            done
        fi
        [ "$(cat "$n.rc")" = 0 ] || refused=$((refused + 1))
    done
done
echo "wasm vs native: $same identical, $differ different ($runs runs: simulate, advise --sensitivity on ${#files[@]} scenarios each; $refused refused natively; $((SECONDS - run_started)) s)"
[ "$differ" -eq 0 ]
