#!/usr/bin/env bash
# The `simulate` benchmark (issue 2, part 8), pinned to one core, release build.
# Usage: bash scripts/bench.sh [FILTER]   e.g. `bash scripts/bench.sh 10000` for the big year.
# Prints, per generated team size (100, 1,000, 10,000 users): what the scenario holds (use
# intervals, charges, denials, alerts, expirations), then criterion's timings of
#   parse              JSON text → Scenario
#   validate+simulate  Scenario → Report (the target: ≤ 100 ms for 10,000 users)
#   run                checked Model → Report (expansion and the event pass)
# and a summary table of the median times at the end. Two reference workloads always run
# with it (a sort of 3 million u64, 64 MB of fresh pages touched), so that a figure can be
# read against the machine that measured it.
set -euo pipefail
cd "$(dirname "$0")/.."
FILTER="${1:-}"
PIN=()
if command -v taskset >/dev/null 2>&1; then
    PIN=(taskset -c 0)
fi
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
cargo bench --bench simulate --no-run
"${PIN[@]}" cargo bench --bench simulate -- ${FILTER:+"$FILTER|reference"} 2>&1 | tee "$LOG"
echo
echo "== summary (median of criterion's estimate) =="
awk '
    /^scenario/ { print }
    /^(simulate|reference)\// { name = $0; sub(/ +time:.*/, "", name) }
    /time:/ && name != "" {
        for (i = 1; i <= NF; i++) if ($i == "time:") break
        median = $(i + 3); unit = $(i + 4)
        printf "%-34s %s %s\n", name, median, unit
        name = ""
    }
' "$LOG"
