#!/usr/bin/env bash
# Installs what is missing and serves the app on 127.0.0.1 (prints the address).
# `scripts/run.sh cli [FILE]` instead runs the command line on a bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "cli" ]; then
  file=${2:-examples/architecture-studio.json}
  cargo run --release --quiet --bin flexcalc -- simulate "$file"
  exit
fi
bash scripts/serve-web.sh
