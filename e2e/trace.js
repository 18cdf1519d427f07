// One cold load of a built app, traced: `node e2e/trace.js DIST OUT.json` writes a Chrome
// trace (open it in DevTools' Performance panel) and prints the app's own timings. Tracing
// slows the page down by a third or so: read the trace for where time goes, not for figures.
const { chromium } = require('playwright-core');
const { serve } = require('./server.js');
(async () => {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) { console.error('usage: node e2e/trace.js DIST OUT.json'); process.exit(2); }
  const srv = await serve(dir, 0);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await new Promise((r) => setTimeout(r, 1000));
  await browser.startTracing(page, {
    path: out,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack',
      'v8', 'v8.execute', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'disabled-by-default-v8.compile', 'blink.user_timing', 'loading'],
  });
  await page.goto(`http://127.0.0.1:${srv.address().port}/`);
  await page.waitForFunction(() => window.__flexcalcPerf && window.__flexcalcPerf.first_render, null, { timeout: 20000 });
  await page.waitForTimeout(500);
  const p = await page.evaluate(() => ({ ...window.__flexcalcPerf }));
  await browser.stopTracing();
  console.log(JSON.stringify(p));
  await browser.close();
  srv.close();
})();
