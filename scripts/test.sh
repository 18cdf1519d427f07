#!/usr/bin/env bash
# Every check, as a newcomer or CI runs it: installs what is missing, then formatting,
# lints, the native test suites (engine, CLI, examples, advisor) and the browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "test: cargo is missing (this machine kind ships Rust via rustup)" >&2; exit 1; }
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lint (engine and CLI)"
cargo clippy --all-targets --locked -- -D warnings

step "lint (web app)"
cargo clippy --all-targets --locked --features web -- -D warnings

step "lint (web app as the browser compiles it: wasm-only modules included)"
bash scripts/setup-web.sh
cargo clippy --locked --target wasm32-unknown-unknown --features web --lib --bins -- -D warnings

step "lint (the partner widget's wasm; the build's prerender of the page, native)"
cargo clippy --locked --target wasm32-unknown-unknown --features widget --bin widget -- -D warnings
cargo clippy --locked --features prerender --bin prerender --lib --tests -- -D warnings

step "native tests"
cargo test --locked --quiet
# The prerender's stand-in for the browser's Intl (src/ui/prerender_js.rs).
cargo test --locked --quiet --features prerender --lib ui::js

# The browser runs the engine's wasm32 branches, which the tests above never run:
# built for wasm32-wasip1 and run under Node's WASI against the native CLI (docs/wasm-check.md).
step "the engine as wasm32 compiles it, against native"
bash scripts/compare-wasm.sh 500

# The fuzz crate is a workspace of its own that `cargo test` never builds: checked here so
# that an engine change cannot break it unseen (the fuzzing itself: scripts/fuzz.sh).
step "fuzz targets compile"
cargo check --locked --quiet --manifest-path fuzz/Cargo.toml --bins

if [ -f scripts/test-web.sh ]; then
  step "web app: build, budget, browser tests"
  bash scripts/test-web.sh
fi
