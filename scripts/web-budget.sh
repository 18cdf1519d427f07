#!/usr/bin/env bash
# Prints the release bundle's size (wasm + JS + CSS of dist/), raw and gzipped, against
# the 350 KB gzipped budget. A figure to read, not a gate: it always exits 0 once dist/
# exists (the e2e suite is what fails a build).
set -euo pipefail
cd "$(dirname "$0")/.."
DIST="${1:-dist}"
BUDGET_KB=350
[ -f "$DIST/index.html" ] || { echo "web-budget: $DIST/ is not built (run trunk build --release)" >&2; exit 1; }
total_raw=0; total_gz=0
while IFS= read -r f; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '  %-52s %9d B  %8d B gzipped\n' "${f#$DIST/}" "$raw" "$gz"
done < <(find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) | sort)
gz_kb=$(( (total_gz + 1023) / 1024 ))
if [ "$gz_kb" -le "$BUDGET_KB" ]; then verdict="within budget"; else verdict="OVER budget by $((gz_kb - BUDGET_KB)) KB"; fi
echo "bundle: $((total_raw / 1024)) KB raw, ${gz_kb} KB gzipped (budget ${BUDGET_KB} KB gzipped): $verdict"
