#!/usr/bin/env bash
# Prints the partner widget's bundle size (what a compact <flex-estimator> loads from
# DIST/widget/: the module, its strings, the wasm-bindgen glue and the wasm), raw and
# gzipped, against the 250 KB gzipped budget (docs/embedding.md). Not counted: the
# time-zone files (fetched only for a scenario outside UTC, one zone each), the .d.ts and
# the demo page. Exits 1 over budget or when the widget is not built.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST="${1:-dist}"
W="$DIST/widget"
BUDGET_KB=250
[ -f "$W/flexcalc-widget.js" ] || { echo "widget-budget: $W is not built (bash scripts/build-widget.sh $DIST)" >&2; exit 1; }
total_raw=0; total_gz=0
for f in flexcalc-widget.js widget-strings.js engine.js engine_bg.wasm; do
  raw=$(stat -c %s "$W/$f"); gz=$(gzip -9 -c "$W/$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '  widget/%-30s %9d B  %8d B gzipped\n' "$f" "$raw" "$gz"
done
gz_kb=$(( (total_gz + 1023) / 1024 ))
if [ "$gz_kb" -le "$BUDGET_KB" ]; then verdict="within budget"; else verdict="OVER budget by $((gz_kb - BUDGET_KB)) KB"; fi
echo "widget bundle: $((total_raw / 1024)) KB raw, ${gz_kb} KB gzipped (budget ${BUDGET_KB} KB gzipped): $verdict"
if [ -f "$W/tz/index.txt" ]; then
  echo "  not counted: tz/ (index.txt $(gzip -9 -c "$W/tz/index.txt" | wc -c) B gzipped, then one zone file each, fetched only for a scenario outside UTC)"
fi
[ "$gz_kb" -le "$BUDGET_KB" ]
