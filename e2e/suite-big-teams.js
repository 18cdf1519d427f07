// Big teams in the browser: the benchmark's generated years (benches/gen, written out by
// `cargo run --release --example gen_team -- USERS`) imported through the page as a user
// would, then one edit, a reload, and the memory of the tab. Prints each figure against
// its target (issue "Big teams in the browser"); asserts only behaviour, never a time.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

module.exports = (h) => {
  const { test, open, assert, eq, perf, tmpRoot, ROOT } = h;

  /** The generated team of `n` users as a file (written once per run). */
  function teamFile(n) {
    const file = path.join(tmpRoot, `team-${n}.json`);
    if (!fs.existsSync(file)) {
      const json = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'gen_team', '--', String(n)],
        { cwd: ROOT, maxBuffer: 1 << 30 });
      fs.writeFileSync(file, json);
    }
    return file;
  }

  /** The engine's total for a file, from the CLI (the page must show the same). */
  function cliTokens(file) {
    const out = execFileSync(h.CLI, ['simulate', file, '--summary'], { maxBuffer: 1 << 28 });
    return JSON.parse(out).totals.tokens;
  }

  // Long tasks of the main thread, recorded from the page's start.
  const LONGTASKS = `window.__longtasks = [];
    try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true }); } catch (e) {}`;

  const shown = (page) => page.evaluate(() => {
    const b = document.querySelector('.results-body');
    const v = document.querySelector('#sum-tokens .stat-value');
    return b && v && b.getAttribute('aria-busy') === 'false' ? Number(v.dataset.value) : null;
  });

  async function waitTokens(page, want, timeout = 180000) {
    await page.waitForFunction((w) => {
      const b = document.querySelector('.results-body');
      const v = document.querySelector('#sum-tokens .stat-value');
      return b && v && b.getAttribute('aria-busy') === 'false' && Number(v.dataset.value) === w;
    }, want, { timeout, polling: 20 });
  }

  /** Clicks the first weekday box of the selected user's first weekly pattern and times
   *  it until the results are answered again; the longest main-thread task meanwhile. */
  async function oneEdit(page) {
    return page.evaluate(() => new Promise((resolve, reject) => {
      const box = document.querySelector('input[type=checkbox][id^="wd-"]');
      if (!box) return reject(new Error('no weekday box on the screen'));
      const body = document.querySelector('.results-body');
      const t0 = performance.now();
      let busy = false;
      const obs = new MutationObserver(() => {
        const b = body.getAttribute('aria-busy') === 'true';
        if (b) busy = true;
        if (busy && !b) {
          obs.disconnect();
          const t1 = performance.now();
          requestAnimationFrame(() => setTimeout(() => {
            const tasks = window.__longtasks.filter(([s, d]) => s + d >= t0);
            const p = window.__flexcalcPerf || {};
            resolve({ ms: t1 - t0, longest: Math.max(0, ...tasks.map(([, d]) => d)), id: box.id,
              parts: ['to_worker_ms', 'worker_ms', 'from_worker_ms', 'autosave_ms'].map((k) => `${k.replace(/_ms$/, '')} ${(p[k] || 0).toFixed(0)}`).join(', ') });
          }, 100));
        }
      });
      obs.observe(body, { attributes: true });
      box.click();
    }));
  }

  async function heapMb(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    await cdp.detach();
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return Math.round((m.JSHeapUsedSize || 0) / 1e5) / 10;
  }

  for (const n of [1000, 10000]) {
    test(`big team of ${n} users: import, one edit, reload (figures printed)`, async () => {
      const file = teamFile(n);
      const want = cliTokens(file);
      const { page, done } = await open();
      await page.addInitScript(LONGTASKS);
      await page.goto(h.base());
      await h.ready(page);
      const t0 = Date.now();
      await page.setInputFiles('#import-file', file);
      await waitTokens(page, want);
      const importMs = Date.now() - t0;
      eq(await shown(page), want, 'the page shows the CLI\'s total');
      const edit = await oneEdit(page);
      assert(await shown(page) !== null, 'answered after the edit');
      const heap = await heapMb(page);
      const edited = await shown(page);
      const mb = (fs.statSync(file).size / 1e6).toFixed(1);
      console.log(`perf: ${n} users (${mb} MB): import to results ${importMs} ms (target ≤ ${n === 1000 ? 300 : 3000}); one edit (${edit.id}) ${edit.ms.toFixed(0)} ms (target ≤ ${n === 1000 ? 100 : 1000}; of which ms: ${edit.parts}); longest main-thread task in the edit ${edit.longest ? edit.longest.toFixed(0) + ' ms' : 'none over 50 ms'} (target ≤ 50); JS heap ${heap} MB`);
      perf[`import_${n}_ms`] = importMs;
      perf[`edit_${n}_ms`] = edit.ms;
      perf[`edit_${n}_longest_task_ms`] = edit.longest;
      perf[`heap_${n}_mb`] = heap;
      // Reload once the edit is saved (the worker gzips a big team's JSON after answering):
      // the edited team is back, with the same answer.
      const s0 = Date.now();
      await page.waitForFunction(() => (window.__flexcalcPerf || {}).saving === 0, null, { timeout: 120000 });
      console.log(`perf: ${n} users: the edit saved ${Date.now() - s0} ms after its answer`);
      const r0 = Date.now();
      await page.reload();
      await waitTokens(page, edited);
      console.log(`perf: ${n} users: reload to results ${Date.now() - r0} ms, the edited team restored`);
      perf[`reload_${n}_ms`] = Date.now() - r0;
      await done();
    });
  }

  test('typing while a 10,000-user run is pending shows each key at once; two quick edits end on the second', async () => {
    const file = teamFile(10000);
    const { page, done } = await open();
    await page.goto(h.base());
    await h.ready(page);
    await page.setInputFiles('#import-file', file);
    await waitTokens(page, cliTokens(file));
    // Two quick edits: the final figures are those of the second (the first's answer, if
    // it comes, is stale and dropped).
    const boxes = await page.$$eval('input[type=checkbox][id^="wd-"]', (l) => l.slice(0, 2).map((e) => e.id));
    assert(boxes.length === 2, 'two weekday boxes');
    await page.click(`#${boxes[0]}`);
    await page.click(`#${boxes[1]}`);
    // The scenario as the page now holds it, through the CLI: the page must end on its total.
    const { text } = await h.download(page, '#export-json');
    const after = path.join(tmpRoot, 'after-two-edits.json');
    fs.writeFileSync(after, text);
    await waitTokens(page, cliTokens(after));
    // Typing into the selected user's name while a run is pending: real key presses, each
    // timed from its keydown to the next frame; the editor's heading, drawn from the app's
    // state, must end on what was typed (a key lost or late would leave it short).
    const id = await page.$eval('input[id$="-name"]', (e) => e.id);
    await page.click(`#${boxes[0]}`);
    await page.evaluate((i) => {
      window.__lags = [];
      document.getElementById(i).addEventListener('keydown', () => {
        const t0 = performance.now();
        requestAnimationFrame(() => window.__lags.push(performance.now() - t0));
      });
    }, id);
    await page.fill(`#${id}`, '');
    await page.focus(`#${id}`);
    await page.keyboard.type('Zoë');
    eq(await page.inputValue(`#${id}`), 'Zoë', 'the field shows what was typed');
    await page.waitForFunction(() => document.querySelector('#user-h').textContent === 'Zoë', null, { timeout: 60000 });
    const lags = await page.evaluate(() => window.__lags);
    eq(lags.length, 3, 'three keys');
    console.log(`perf: 10,000 users: a key typed while a run is pending painted in ${lags.map((x) => x.toFixed(0)).join(', ')} ms`);
    perf.typing_10000_ms = lags;
    await done();
  });
};
