#!/usr/bin/env bash
# Builds the partner widget (docs/embedding.md) into DIST/widget/ (DIST defaults to dist):
# src/bin/widget.rs for wasm32 with the `widget` feature (the engine, no Yew), its
# wasm-bindgen glue (--target web), wasm-opt with the app's settings (www/index.html),
# www/widget/* minified, the time-zone files beside it (DIST/widget/tz, from the app's
# DIST/tz when Trunk wrote it, else from examples/tz_export.rs), and the demo page
# (DIST/embed-demo.html, DIST/embed-demo.js). Offline: everything comes from Cargo.lock and
# node_modules (scripts/setup-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
DIST="${1:-dist}"
OUT="$DIST/widget"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

rm -rf "$OUT"
# The wasm and its glue, built as the app's workers are (cargo, wasm-bindgen, wasm-opt).
bash scripts/wasm-bin.sh widget widget "$OUT" engine >/dev/null
cp www/widget/flexcalc-widget.js www/widget/flexcalc-widget.d.ts "$OUT/"
cp www/widget/widget-strings.js "$OUT/"
# Minified as the app's glue is (scripts/minify-js.sh); the .d.ts stays as written.
for f in "$OUT"/*.js; do
  terser "$f" --module --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
# Time zones: a scenario in a zone other than UTC fetches tz/index.txt and its zone's file.
if [ -f "$DIST/tz/index.txt" ]; then
  cp -r "$DIST/tz" "$OUT/tz"
else
  cargo run --quiet --locked --offline --example tz_export -- "$OUT/tz" >/dev/null
fi
# The mock partner page (its script a file: the page's policy allows no inline script).
cp www/embed-demo.html "$DIST/embed-demo.html"
cp www/widget/embed-demo.js "$DIST/embed-demo.js"
echo "build-widget: $OUT ($(stat -c %s "$OUT/engine_bg.wasm") B wasm)"
