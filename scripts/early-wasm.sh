#!/usr/bin/env bash
# Trunk post-build hook: hands Trunk's loader the wasm module that index.html's inline
# script already fetches and compiles while the page loads (window.__flexcalcWasm), so the
# compile no longer waits for the JS glue to arrive and run. wasm-bindgen's init takes a
# promise of a compiled module as well as a path; without the promise (a browser with no
# compileStreaming) the loader fetches the path as before.
set -euo pipefail
cd "$(dirname "$0")/.."
HTML="${TRUNK_STAGING_DIR:-${1:-dist}}/index.html"
# Fails the build rather than ship without it if a Trunk upgrade changes the loader.
perl -0pi -e '$n = s/module_or_path: (\x27[^\x27]+_bg\.wasm\x27)/module_or_path: window.__flexcalcWasm || $1/g; END { exit($n == 1 ? 0 : 3) }' "$HTML" || {
  echo "early-wasm.sh: Trunk's loader in $HTML no longer reads module_or_path: '…_bg.wasm'" >&2
  exit 1
}
