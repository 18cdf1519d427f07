#!/usr/bin/env bash
# Compares the `flexcalc simulate` output (and exit code) of the working tree with that of
# another revision on random scenarios (scripts/random-scenarios.py) and on the examples:
# for engine changes meant to leave every report byte-identical (speed work).
# Usage: bash scripts/compare-engines.sh [REV [COUNT]]   (default HEAD, 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
REV="${1:-HEAD}"
COUNT="${2:-3000}"
BASE_SRC="$PWD/target/compare-src"
rm -rf "$BASE_SRC"
git worktree prune
git worktree add --force --detach "$BASE_SRC" "$REV" >/dev/null
( cd "$BASE_SRC" && CARGO_TARGET_DIR="$PWD/../compare" cargo build --quiet --release --locked --bin flexcalc )
cargo build --quiet --release --locked --bin flexcalc
OLD="$PWD/target/compare/release/flexcalc"
NEW="$PWD/target/release/flexcalc"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"; git worktree remove --force "$BASE_SRC" 2>/dev/null || true' EXIT
python3 scripts/random-scenarios.py 0 "$COUNT" "$DIR"
same=0; differ=0; refused=0
for f in "$DIR"/*.json examples/*.json tests/fixtures/*.json; do
    [ -e "$f" ] || continue
    a="$("$OLD" simulate "$f" 2>&1; echo "exit $?")"
    b="$("$NEW" simulate "$f" 2>&1; echo "exit $?")"
    if [ "$a" == "$b" ]; then same=$((same + 1)); else differ=$((differ + 1)); echo "differs: $f"; fi
    case "$a" in *"exit 0") ;; *) refused=$((refused + 1)) ;; esac
done
echo "compare-engines: $same identical, $differ different ($refused refused by both or either) against $REV"
[ "$differ" -eq 0 ]
