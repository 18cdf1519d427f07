#!/usr/bin/env bash
# Trunk post-build hook: the web app's tools worker (src/bin/tools.rs: the advisor) as
# tools/tools.js and tools/tools_bg.wasm, fetched the first time the Advisor tab asks. A
# folder of its own: its glue's snippets/ would otherwise share names with the page's.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/wasm-bin.sh tools web "${TRUNK_STAGING_DIR:-${1:-dist}}/tools" tools
