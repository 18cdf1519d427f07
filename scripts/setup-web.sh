#!/usr/bin/env bash
# Installs what the web build and the browser tests need, skipping what is already there,
# so a warm machine passes through in seconds. Everything comes from the package registries
# (crates.io, npm, Debian): nothing is downloaded from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v node >/dev/null || need_apt+=(nodejs npm)
# CJK glyphs: without them Chromium draws the Japanese pages' text as boxes in screenshots.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

if ! trunk --version 2>/dev/null | grep -q '0.21.14'; then
  echo "setup: cargo install trunk 0.21.14 (about 6 minutes, once)"
  cargo install trunk --locked --version 0.21.14
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q '0.2.130'; then
  echo "setup: cargo install wasm-bindgen-cli 0.2.130 (about 2 minutes, once)"
  # without --locked: one locked dependency of this release is missing from the registry
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -x node_modules/.bin/tsc ]; then
  echo "setup: npm ci (binaryen, playwright-core, terser, typescript)"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
fi
