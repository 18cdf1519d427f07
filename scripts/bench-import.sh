#!/usr/bin/env bash
# The import's benchmark (issue 19: 1,000,000 rows parsed, mapped and simulated in ≤ 1 s
# natively, memory ≤ 3× the file's size). Generates the token-usage export the browser test
# times (e2e/suite-import.js: 1,000 users × 1,000 days of Revit from 2025-01-01, 10 tokens a
# day), then runs `flexcalc import --reconcile` on it (read, mapped, replayed, simulated and
# reconciled) RUNS times, and prints for each the wall and CPU time and the peak resident
# memory (GNU time's %M) against the file's size; then once without the reconciliation
# and once as a forecast (whose scenario is small: the import's own peak). No assertion:
# figures to read.
# Usage: bash scripts/bench-import.sh [RUNS] [FLEXCALC]   (FLEXCALC: a release binary; by
# default target/release/flexcalc, built first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
BIN="${2:-}"
if [ -z "$BIN" ]; then
    cargo build --release --quiet --bin flexcalc
    BIN="${CARGO_TARGET_DIR:-target}/release/flexcalc"
fi
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
FILE="$DIR/million.csv"
python3 - "$FILE" <<'EOF'
import datetime, sys
day0 = datetime.date(2025, 1, 1)
days = [(day0 + datetime.timedelta(d)).isoformat() for d in range(1000)]
with open(sys.argv[1], "w") as f:
    f.write("email,product_name,day_used,tokens_used")
    for u in range(1000):
        f.write("".join(f"\nu{u}@example.com,Revit,{d},10" for d in days))
EOF
BYTES=$(stat -c %s "$FILE")
echo "file: 1,000,000 token-usage rows, $BYTES bytes"
for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$DIR/time" "$BIN" import "$FILE" --reconcile > "$DIR/out.json"
    read -r wall user sys peak < "$DIR/time"
    awk -v w="$wall" -v u="$user" -v s="$sys" -v p="$peak" -v b="$BYTES" -v i="$i" 'BEGIN {
        printf "run %d: wall %.2f s, CPU %.2f s (user %.2f, system %.2f), peak memory %.1f MiB = %.2f x the file\n",
            i, w, u + s, u, s, p / 1024, p * 1024 / b }'
done
for args in "" "--forecast 12"; do
    /usr/bin/time -f "%e %U %S %M" -o "$DIR/time" "$BIN" import "$FILE" $args > /dev/null
    read -r wall user sys peak < "$DIR/time"
    awk -v a="${args:-(the replay, no reconciliation)}" -v w="$wall" -v u="$user" -v s="$sys" -v p="$peak" -v b="$BYTES" 'BEGIN {
        printf "import %s: wall %.2f s, CPU %.2f s, peak memory %.1f MiB = %.2f x the file\n", a, w, u + s, p / 1024, p * 1024 / b }'
done
echo "output: $(stat -c %s "$DIR/out.json") bytes of JSON, sha256 $(sha256sum < "$DIR/out.json" | cut -c1-16)"
