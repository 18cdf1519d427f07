#!/usr/bin/env bash
# Trunk post-build hook on the loader Trunk writes inline into index.html:
# 1. It is handed the wasm module that www/boot.js already fetches and compiles while the
#    page loads (window.__flexcalcWasm), so the compile no longer waits for the JS glue to
#    arrive and run. wasm-bindgen's init takes a promise of a compiled module as well as a
#    path; without the promise (a browser with no compileStreaming) it fetches the path.
# 2. It moves into a file of its own (loader-HASH.js), so the page needs no inline script
#    and works under a strict Content-Security-Policy (script-src 'self').
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${TRUNK_STAGING_DIR:-${1:-dist}}"
HTML="$DIR/index.html"
# Fails the build rather than ship without it if a Trunk upgrade changes the loader.
perl -0pi -e '$n = s/module_or_path: (\x27[^\x27]+_bg\.wasm\x27)/module_or_path: window.__flexcalcWasm || $1/g; END { exit($n == 1 ? 0 : 3) }' "$HTML" || {
  echo "early-wasm.sh: Trunk's loader in $HTML no longer reads module_or_path: '…_bg.wasm'" >&2
  exit 1
}
DIR="$DIR" perl -0pi -e '
  use Digest::MD5 qw(md5_hex);
  my $n = s{<script type="?module"?>(\s*import init, \* as bindings from .*?)</script>}{
    my $js = $1; my $name = "loader-" . substr(md5_hex($js), 0, 16) . ".js";
    open(my $f, ">", "$ENV{DIR}/$name") or die "early-wasm.sh: $name: $!";
    print $f $js; close $f;
    qq{<script type="module" src="/$name"></script>}
  }se;
  END { exit($n == 1 ? 0 : 4) }' "$HTML" || {
  echo "early-wasm.sh: Trunk's inline loader (<script type=module>import init…) not found in $HTML" >&2
  exit 1
}
