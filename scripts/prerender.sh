#!/usr/bin/env bash
# Trunk post-build hook (the last one): the starter team's estimate rendered at build time
# by the app's own components (Yew's server-side renderer, natively: src/bin/prerender.rs)
# into index.html, and the French and Japanese pages fr.html and ja.html beside it, each
# with its title, description, Open Graph tags, canonical URL and hreflang alternates.
# FLEXCALC_SITE_URL (e.g. https://example.org/flexcalc/) makes those URLs absolute.
# Nothing of it reaches the wasm: the `prerender` feature is only ever built natively.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${TRUNK_STAGING_DIR:-${1:-dist}}"
# Trunk's own wasm build sets these for its target; the native build must not inherit them.
unset CARGO_BUILD_TARGET RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
cargo build --quiet --locked --offline --features prerender --bin prerender
# Trunk runs the post-build hooks at the same time: the page is read once early-wasm.sh has
# moved Trunk's inline loader into a file (else one hook's rewrite would undo the other's).
for _ in $(seq 600); do
  grep -q '<script type="\?module"\?>' "$DIR/index.html" || break
  sleep 0.1
done
if grep -q '<script type="\?module"\?>' "$DIR/index.html"; then
  echo "prerender.sh: $DIR/index.html still has an inline module script after 60 s (early-wasm.sh?)" >&2
fi
cargo run --quiet --locked --offline --features prerender --bin prerender -- "$DIR"
