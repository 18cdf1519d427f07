#!/usr/bin/env bash
# Builds one of the crate's wasm binaries outside Trunk, as Trunk builds the page's:
#   scripts/wasm-bin.sh BIN FEATURE OUT_DIR NAME
# cargo (profile web-release, offline), wasm-bindgen's glue for ES modules (OUT_DIR/NAME.js
# beside OUT_DIR/NAME_bg.wasm), wasm-opt with the page's settings (www/index.html's
# data-wasm-opt-params) and the glue minified by terser (as scripts/minify-js.sh does).
# The files are written elsewhere first and moved in at the end: as a Trunk hook this runs
# beside the other post-build hooks, which must never see half a file.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$1" FEATURE="$2" OUT="$3" NAME="$4"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --quiet --profile web-release --target wasm32-unknown-unknown --bin "$BIN" \
  --features "$FEATURE" --locked --offline
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$TMP" --out-name "$NAME" \
  "$TARGET_DIR/wasm32-unknown-unknown/web-release/$BIN.wasm"
wasm-opt "$TMP/${NAME}_bg.wasm" -o "$TMP/${NAME}_bg.wasm" --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  --flatten --rereloop -Oz -Oz --low-memory-unused --strip-producers --strip-target-features \
  --strip-debug
terser "$TMP/$NAME.js" --module --compress --mangle --output "$TMP/$NAME.min.js"
mv "$TMP/$NAME.min.js" "$TMP/$NAME.js"
mkdir -p "$OUT"
# Inline JS snippets (#[wasm_bindgen(inline_js)]) come beside the glue.
if [ -d "$TMP/snippets" ]; then
  find "$TMP/snippets" -name '*.js' -exec sh -c 'terser "$1" --module --compress --mangle --output "$1.min" && mv "$1.min" "$1"' _ {} \;
  mkdir -p "$OUT/snippets"
  cp -r "$TMP/snippets/." "$OUT/snippets/"
fi
mv "$TMP/${NAME}_bg.wasm" "$OUT/${NAME}_bg.wasm"
mv "$TMP/$NAME.js" "$OUT/$NAME.js"
echo "wasm-bin: $OUT/${NAME}_bg.wasm ($(stat -c %s "$OUT/${NAME}_bg.wasm") B)"
