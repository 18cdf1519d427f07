#!/usr/bin/env bash
# Fuzzes the scenario reader, validation and simulation (issue 2, part 9).
# Usage: bash scripts/fuzz.sh [SECONDS] [TARGET]   (default 300 s, target "scenario")
# Installs what is missing (the nightly toolchain, cargo-fuzz from crates.io), then runs
# libFuzzer on one core. New interesting inputs go to fuzz/corpus/TARGET (not committed);
# fuzz/seeds holds the committed starting points. A crash stops the run and leaves the
# input in fuzz/artifacts/TARGET/; minimise it with
#   cargo +nightly fuzz tmin TARGET fuzz/artifacts/TARGET/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-300}"
TARGET="${2:-scenario}"

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

mkdir -p "fuzz/corpus/$TARGET"
# The first folder collects new inputs; the seeds and every example (each a valid scenario)
# are read-only starting points for the mutator.
cargo +nightly fuzz run "$TARGET" "fuzz/corpus/$TARGET" fuzz/seeds examples -- \
    -dict=fuzz/scenario.dict \
    -max_len=65536 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_total_time="$SECONDS_TO_RUN" \
    -print_final_stats=1
