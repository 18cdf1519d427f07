#!/usr/bin/env bash
# Prints the release bundle's size (wasm + JS + CSS of dist/), raw and gzipped, against
# the 400 KB gzipped budget, then the time-zone files the app fetches on demand (dist/tz/). A figure to read, not a gate: it always exits 0 once dist/
# exists (the e2e suite is what fails a build).
set -euo pipefail
cd "$(dirname "$0")/.."
DIST="${1:-dist}"
BUDGET_KB=400
[ -f "$DIST/index.html" ] || { echo "web-budget: $DIST/ is not built (run trunk build --release)" >&2; exit 1; }
total_raw=0; total_gz=0
while IFS= read -r f; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '  %-52s %9d B  %8d B gzipped\n' "${f#$DIST/}" "$raw" "$gz"
done < <(find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) \
  -not -path "$DIST/advisor/*" -not -path "$DIST/import/*" -not -path "$DIST/widget/*" -not -name 'embed-demo*' | sort)
gz_kb=$(( (total_gz + 1023) / 1024 ))
if [ "$gz_kb" -le "$BUDGET_KB" ]; then verdict="within budget"; else verdict="OVER budget by $((gz_kb - BUDGET_KB)) KB"; fi
echo "bundle: $((total_raw / 1024)) KB raw, ${gz_kb} KB gzipped (budget ${BUDGET_KB} KB gzipped): $verdict"
html_gz=$(gzip -9 -c "$DIST/index.html" | wc -c)
echo "  ($total_gz B gzipped of $((BUDGET_KB * 1024)); not counted: index.html, $(stat -c %s "$DIST/index.html") B raw, $html_gz B gzipped)"

# The other workers: not in the first load, each fetched the first time it is needed
# (scripts/build-workers.sh).
for w in advisor:"the Advisor tab" import:"a usage export picked or dropped"; do
  dir="${w%%:*}" when="${w#*:}"
  if [ -d "$DIST/$dir" ]; then
    t_raw=0; t_gz=0
    while IFS= read -r f; do
      t_raw=$((t_raw + $(stat -c %s "$f"))); t_gz=$((t_gz + $(gzip -9 -c "$f" | wc -c)))
    done < <(find "$DIST/$dir" -type f)
    echo "$dir worker, fetched for $when (not in the bundle): $((t_raw / 1024)) KB raw, $((t_gz / 1024)) KB gzipped"
  else
    echo "$dir worker: $DIST/$dir/ is missing ($when would fail)"
  fi
done

# Time-zone data: not in the bundle above, fetched on demand (src/ui/zones.rs). Each file
# gzipped on its own, as a server would send it.
TZ="$DIST/tz"
if [ -f "$TZ/index.txt" ]; then
  gzsize() { gzip -9 -c "$1" | wc -c; }
  n=0; tz_raw=0; tz_gz=0
  while IFS= read -r f; do
    n=$((n + 1)); tz_raw=$((tz_raw + $(stat -c %s "$f"))); tz_gz=$((tz_gz + $(gzsize "$f")))
  done < <(find "$TZ" -type f ! -name index.txt)
  ix_raw=$(stat -c %s "$TZ/index.txt"); ix_gz=$(gzsize "$TZ/index.txt")
  echo "time zones, fetched on demand (not in the bundle): $n zone files, $((tz_raw / 1024)) KB raw, $((tz_gz / 1024)) KB gzipped in all (mean $((tz_raw / n)) B raw); index.txt ${ix_raw} B raw, ${ix_gz} B gzipped"
  typical=""
  for z in Europe/Paris America/New_York Asia/Tokyo; do
    [ -f "$TZ/$z" ] && typical+=" $z $(stat -c %s "$TZ/$z") B raw / $(gzsize "$TZ/$z") B gz;"
  done
  echo "  a scenario in UTC fetches nothing; one in another zone fetches index.txt once, then one file per zone it names:${typical%;}"
else
  echo "time zones: $TZ/index.txt is missing (the web app would refuse every zone but UTC)"
fi
# The other data fetched when first needed: the French and Japanese strings, the demo presets.
for d in i18n presets; do
  [ -d "$DIST/$d" ] || continue
  line=""
  for f in "$DIST/$d"/*; do line+=" ${f##*/} $(stat -c %s "$f") B raw / $(gzip -9 -c "$f" | wc -c) B gz;"; done
  echo "$d/, fetched when chosen (not in the bundle):${line%;}"
done
