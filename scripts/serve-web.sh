#!/usr/bin/env bash
# Serves the web app on 127.0.0.1 (PORT, default 8080; a free port if that one is taken),
# building dist/ first when it is missing or older than the sources. Prints the address.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/index.html ] || [ -n "$(find src www rates examples/tz_export.rs Cargo.toml Cargo.lock Trunk.toml -newer dist/index.html 2>/dev/null | head -1)" ]; then
  bash scripts/setup-web.sh
  export PATH="$PWD/node_modules/.bin:$PATH"
  echo "serve-web: building the release bundle (trunk, offline)"
  cargo fetch --quiet
  trunk build --release
fi
[ -f dist/widget/flexcalc-widget.js ] && [ -z "$(find src www Cargo.toml -newer dist/widget/flexcalc-widget.js 2>/dev/null | head -1)" ] || bash scripts/build-widget.sh dist  # the partner widget and dist/embed-demo.html
exec node e2e/server.js dist "${PORT:-8080}"
