#!/usr/bin/env node
// Runs a wasm32-wasip1 build of the flexcalc CLI under Node's built-in WASI (node:wasi),
// the way the native binary runs: same arguments, same standard output, standard error and
// exit status. The guest sees the host's file system at the same paths (preopened "/"), so
// the paths given and the ones in its messages are the native ones. Used by
// scripts/compare-wasm.sh (docs/wasm-check.md).
//
//   node scripts/wasi-run.js [--tz DIR] WASM ARGS...
//       one run; exits with the guest's status
//   node scripts/wasi-run.js [--tz DIR] --batch OUTDIR WASM ARGS... -- FILE...
//       `ARGS... FILE` for each FILE in turn, the module compiled once and instantiated
//       afresh for each: OUTDIR/<i>.out, <i>.err and <i>.rc for the i-th FILE (from 0)
//
// --tz DIR hands the guest FLEXCALC_TZ_DIR=DIR (the zone files of examples/tz_export.rs),
// which the check's build registers with the engine as the web app does.
// A trap (a panic: wasm32 builds abort) reads as status 134 with the trap after the guest's
// own standard error, as an abort would natively.
"use strict";
// node:wasi announces itself as experimental on standard error: keep that out of the guest's.
const emitWarning = process.emitWarning;
process.emitWarning = (w, ...rest) => {
  const text = String(w && w.message ? w.message : w);
  if (/WASI/.test(text)) return;
  return emitWarning.call(process, w, ...rest);
};
// Node (20, at least) aborts when the garbage collector destroys a finished run's WASI
// object from inside another's file system call (uvwasi_fd_table_free → uv_mutex_destroy,
// reached through a V8 fast API call): no fast API calls, and each finished run collected
// before the next starts (either alone was enough for 900 runs). A single run needs neither.
let collect = () => {};
if (process.argv.includes("--batch")) {
  const v8 = require("node:v8");
  v8.setFlagsFromString("--no-turbo-fast-api-calls");
  v8.setFlagsFromString("--expose-gc");
  collect = require("node:vm").runInNewContext("gc");
}
const { WASI } = require("node:wasi");
const fs = require("node:fs");
const path = require("node:path");

function usage() {
  process.stderr.write(
    "usage: wasi-run.js [--tz DIR] WASM ARGS...\n" +
      "       wasi-run.js [--tz DIR] --batch OUTDIR WASM ARGS... -- FILE...\n",
  );
  process.exit(64);
}

let argv = process.argv.slice(2);
const env = {};
let batch = null;
while (argv.length && argv[0].startsWith("--")) {
  const opt = argv.shift();
  if (opt === "--tz" && argv.length) env.FLEXCALC_TZ_DIR = path.resolve(argv.shift());
  else if (opt === "--batch" && argv.length) batch = argv.shift();
  else usage();
}
if (argv.length < 1) usage();
const wasmPath = argv.shift();
const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));

// One run of the guest with `args` (argv[0] included) and the given standard file
// descriptors: its exit status.
function run(args, stdout, stderr) {
  const wasi = new WASI({
    version: "preview1",
    args,
    env,
    preopens: { "/": "/" },
    stdin: 0,
    stdout,
    stderr,
    returnOnExit: true,
  });
  try {
    const instance = new WebAssembly.Instance(wasmModule, wasi.getImportObject());
    return wasi.start(instance);
  } catch (e) {
    fs.writeSync(stderr, `wasm trap: ${e && e.message ? e.message : e}\n`);
    return 134;
  }
}

if (batch === null) {
  process.exitCode = run(["flexcalc", ...argv], 1, 2);
} else {
  const sep = argv.indexOf("--");
  if (sep < 0) usage();
  const args = argv.slice(0, sep);
  fs.mkdirSync(batch, { recursive: true });
  argv.slice(sep + 1).forEach((file, i) => {
    const base = path.join(batch, String(i));
    const out = fs.openSync(`${base}.out`, "w");
    const err = fs.openSync(`${base}.err`, "w");
    const code = run(["flexcalc", ...args, file], out, err);
    fs.closeSync(out);
    fs.closeSync(err);
    fs.writeFileSync(`${base}.rc`, `${code}\n`);
    collect();
  });
}
