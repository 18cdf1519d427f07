#!/usr/bin/env bash
# The web app's tests: installs the toolchain (idempotent), builds the release bundle
# offline with Trunk, prints its size against the budget, runs the UI's native tests and
# the Playwright end-to-end suite (with screenshots in e2e/out/screenshots and the
# performance figures). Ends with the e2e suite's line `N passed, N failed`; exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-web.sh
export PATH="$PWD/node_modules/.bin:$PATH"

# Trunk's offline mode passes --offline to cargo: fetch what Cargo.lock names first.
cargo fetch --quiet

start=$(date +%s)
trunk build --release
echo "web build: $(( $(date +%s) - start )) s (trunk build --release)"
bash scripts/web-budget.sh dist
bash scripts/build-widget.sh dist && bash scripts/widget-budget.sh dist  # the partner widget (docs/embedding.md), after the app's budget

echo "web: native tests of the UI modules (cargo test --features web --lib ui::)"
cargo test --quiet --features web --lib ui::

# The e2e suite checks that a JSON export is the CLI's input: give it the CLI.
cargo build --quiet --bin flexcalc

# Chromium leaves temp files behind: keep them in a folder we remove.
export TMPDIR="$(mktemp -d)"
trap 'rm -rf "$TMPDIR"' EXIT
node e2e/run.js dist
