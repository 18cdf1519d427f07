#!/usr/bin/env bash
# Trunk post-build hook: the web app's workers beside the page's wasm, each in a folder of
# its own (its glue's snippets/ would otherwise share names with the page's) and fetched
# the first time it is needed: advisor/ (src/bin/advisor.rs: the Advisor tab) and import/
# (src/bin/import.rs: a usage export picked or dropped). One after the other: they share
# the build's target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${TRUNK_STAGING_DIR:-${1:-dist}}"
for bin in advisor import; do
  bash scripts/wasm-bin.sh "$bin" web "$OUT/$bin" "$bin"
done
