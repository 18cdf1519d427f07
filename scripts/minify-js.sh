#!/usr/bin/env bash
# Trunk post-build hook: minifies the JS that wasm-bindgen writes (the glue and the inline
# snippet of src/ui/js.rs) with terser, which Trunk's own minifier cannot parse. About
# 2 KB gzipped off the bundle; the code is the same, only names and layout change.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${TRUNK_STAGING_DIR:-${1:-dist}}"
# Release builds only: a debug build keeps the glue readable.
[ "${TRUNK_PROFILE:-release}" = "release" ] || exit 0
TERSER=node_modules/.bin/terser
if [ ! -x "$TERSER" ]; then
  # A node_modules/ from before terser joined package.json.
  npm ci --no-audit --no-fund --silent
fi
find "$DIR" -name '*.js' -type f | while IFS= read -r f; do
  "$TERSER" "$f" --module --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
