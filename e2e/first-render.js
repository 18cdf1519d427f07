// First render of one or more built apps, cold (a fresh profile per load), loads alternated
// between the builds so that a busy machine weighs on all alike: for A/B of a change.
// Usage: node e2e/first-render.js DIST_A [DIST_B ...]  (FR_LOADS loads each, default 8; prints medians).
const { chromium } = require('playwright-core');
const { serve } = require('./server.js');
const fs = require('fs'), os = require('os'), path = require('path');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
(async () => {
  const dirs = process.argv.slice(2);
  const servers = [];
  for (const d of dirs) servers.push(await serve(d, 0));
  const res = dirs.map(() => []);
  const N = Number(process.env.FR_LOADS || 8);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < dirs.length; k++) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-'));
      const ctx = await chromium.launchPersistentContext(tmp, { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
      const page = ctx.pages()[0] || await ctx.newPage();
      // A fresh profile (no cache), but the browser's own start-up work left to finish first
      // (FR_SETTLE ms, default 1000): a visitor's browser is already running.
      await new Promise((r) => setTimeout(r, Number(process.env.FR_SETTLE ?? 1000)));
      await page.goto(`http://127.0.0.1:${servers[k].address().port}/`);
      await page.waitForSelector('#summary', { timeout: 20000 });
      await page.waitForFunction(() => window.__flexcalcPerf && window.__flexcalcPerf.first_render);
      const p = await page.evaluate(() => ({ ...window.__flexcalcPerf }));
      res[k].push([p.first_render, p.wasm_start, p.state_ready]);
      await ctx.close();
      fs.rmSync(tmp, { recursive: true, force: true });
      // The closed browser's processes wind down for a while: let them, so that they do
      // not weigh on the next load (FR_PAUSE ms, default 1500).
      await new Promise((r) => setTimeout(r, Number(process.env.FR_PAUSE || 1500)));
    }
  }
  for (let k = 0; k < dirs.length; k++) {
    const f = res[k].map((x) => x[0]).sort((a, b) => a - b);
    const w = res[k].map((x) => x[1]).sort((a, b) => a - b);
    const r = res[k].map((x) => x[0] - x[2]).sort((a, b) => a - b);
    console.log(`${dirs[k]}: first_render median ${f[N >> 1].toFixed(0)} (min ${f[0].toFixed(0)}, max ${f[N - 1].toFixed(0)}); wasm_start median ${w[N >> 1].toFixed(0)}; state_ready->first_render median ${r[N >> 1].toFixed(0)} (min ${r[0].toFixed(0)})`);
  }
  servers.forEach((s) => s.close());
  console.log('load', os.loadavg().map((v) => v.toFixed(2)).join(' '));
})();
