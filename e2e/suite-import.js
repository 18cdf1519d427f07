// Importing Autodesk usage exports in the browser (src/ui/usage_import.rs, read by the
// import worker): a file dropped on the page is reviewed (format, unmatched names mapped by
// hand, history, the file against its replay, today's cost) and becomes the scenario (its
// history or a forecast), with no network request carrying it anywhere; an unreadable file
// is named with its line; a big file shows progress (counted in bytes read) and can be
// cancelled; the time of a 1,000,000-row export is printed.
//
// Relies on: #usage-file (the toolbar's picker), a drop anywhere on the page, and the
// review's ids: #usage-review, #usage-summary, #usage-unmatched (rows data-name, selects
// #usage-map-N), #usage-products (rows data-key: the product), #usage-categories (rows
// data-key "category product month"), #usage-reconciliation (rows
// data-key "user product month", class rate or days where they differ), #usage-reconciliation-summary, #usage-cost, #usage-months,
// #usage-scale, #usage-use-history, #usage-use-forecast, #usage-error, #usage-progress
// (value and max once the worker has said how far it has read),
// #usage-cancel; window.__flexcalcPerf.import_ms (the import worker's time on the last
// request is worker_ms).
'use strict';

const fs = require('fs');
const path = require('path');

module.exports = (h) => {
  const { test, open, ready, tokens, assert, eq, perf, tmpRoot, ROOT } = h;
  const LONG = { timeout: 120000 };
  const fixture = (name) => fs.readFileSync(path.join(ROOT, 'tests/fixtures/import', name), 'utf8');

  /** Drops a file with `text` on the page, as a user dragging it from their desktop. */
  async function drop(page, name, text) {
    await page.evaluate(([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'text/csv' }));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [name, text]);
  }

  const reviewed = (page) => page.waitForSelector('#usage-review[aria-busy="false"]', LONG);

  test('import: drop a usage export, map a product, see history and reconciliation, use the forecast, advice next; nothing sent', async () => {
    const { page, done } = await open();
    await page.goto(h.base());
    await ready(page);
    const starter = await tokens(page);
    const origin = new URL(h.base()).origin;
    const requests = [];
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));

    await drop(page, 'usage.csv', fixture('token-usage-rate-changed.csv'));
    await reviewed(page);
    const summary = await page.textContent('#usage-summary');
    // Ben's only product is unknown: one user until it is mapped.
    assert(/Flex token usage/.test(summary) && /6 rows/.test(summary) && /users: 1;/.test(summary), `summary: ${summary}`);
    // The unknown name is listed with its rows and tokens, and mapped by hand.
    eq(await page.$eval('#usage-unmatched tr[data-name="Frobnicator Pro"] td:nth-of-type(2)', (e) => e.textContent.trim()), '10', 'its tokens');
    assert(!(await page.$('#usage-products tr[data-key="maya"]')), 'not matched yet');
    await page.selectOption('#usage-map-0', 'maya');
    await page.waitForSelector('#usage-products tr[data-key="maya"]', LONG);
    await reviewed(page);
    eq(await page.$eval('#usage-products tr[data-key="maya"] td', (e) => e.textContent.trim()), '10', 'mapped: its tokens under Maya');
    eq(await page.$eval('#usage-map-0', (e) => e.value), 'maya', 'the choice stays shown');
    assert(/users: 2;/.test(await page.textContent('#usage-summary')), 'Ben is in once Maya is mapped');
    // The file against its replay: today's Revit is 10 a day (the file charged 12 once),
    // AutoCAD was charged twice on 4 May, Maya is 6 a day today (10 in the file).
    const differ = await page.$$eval('#usage-reconciliation tr.rate', (r) => r.map((x) => x.dataset.key.split(' ').slice(1).join(' ')).sort());
    eq(differ.join(', '), 'autocad 2026-05, maya 2026-05, revit 2026-04', 'the rows that differ, explained');
    assert(/1 of 4/.test(await page.textContent('#usage-reconciliation-summary')), 'one row agrees');
    assert(/Another daily rate in the file \(today's: 10 tokens\)/.test(await page.textContent('#usage-reconciliation tr[data-key="ana@example.com revit 2026-04"]')), 'the reason, with today\'s rate');
    assert(/[€£¥]\s?[\d,.]+/.test(await page.textContent('#usage-cost')), 'what the tokens cost today');
    await h.shot(page, 'desktop-usage-review');

    // The forecast, 12 months at +50 %: the review closes and the Advisor asks for prices.
    await page.fill('#usage-months', '12');
    await page.fill('#usage-scale', '50');
    await page.dispatchEvent('#usage-scale', 'change');
    await page.click('#usage-use-forecast');
    await page.waitForSelector('#usage-review', { state: 'detached', ...LONG });
    await page.waitForSelector('#banner.info');
    await page.waitForSelector('#advisor-no-offerings');
    eq(await page.getAttribute('#tab-4', 'aria-selected'), 'true', 'the Advisor tab is open');
    const after = await tokens(page);
    assert(after !== starter && after > 0, `the forecast is simulated (${after} tokens)`);
    // Nothing left the page: only the app's own files were fetched (the import worker's
    // wasm, time zones), never a request with a body or to another origin.
    const bad = requests.filter((r) => r.method !== 'GET' || r.body || !r.url.startsWith(origin));
    eq(bad.map((r) => `${r.method} ${r.url}`).join('; '), '', 'no request carries the file');
    assert(requests.every((r) => !/usage\.csv/.test(r.url)), 'the file name is in no request');
    await done();
  });

  test('import: an unreadable file is named with its line; a big file shows progress and Cancel', async () => {
    const { page, done } = await open();
    await page.goto(h.base());
    await ready(page);
    const file = path.join(tmpRoot, 'no-header.csv');
    fs.writeFileSync(file, fixture('no-header.csv'));
    await page.setInputFiles('#usage-file', file);
    await page.waitForSelector('#usage-error', LONG);
    assert(/^line 1, column 1: /.test(await page.textContent('#usage-error')), 'located');
    eq(await page.$('#usage-use-history'), null, 'nothing to use');
    await page.click('#usage-close');
    // A Token Flex export: its tokens by usage category, product and month, their cost at
    // today's book, and no team to use.
    await drop(page, 'token-flex.csv', fixture('token-flex.csv'));
    await reviewed(page);
    const cells = (key) => page.$$eval(`#usage-categories tr[data-key="${key}"] > *`, (es) => es.map((e) => e.textContent.trim()));
    const civil = await cells('DESKTOP_PRODUCT civil3d 2016-01');
    eq(civil[0], 'DESKTOP_PRODUCT', 'the category');
    eq(civil[3], '12.5', 'its tokens');
    eq((await cells('MANUAL_ADJUSTMENT N/A 2016-02'))[3], '-5', 'an adjustment, unmatched, listed');
    assert(/\b30\b/.test(await page.textContent('#usage-cost')), 'the 29.75 matched tokens, 30 priced');
    assert(await page.$('#usage-no-scenario'), 'no users: no scenario');
    await page.click('#usage-close');
    // About 12 MB: a progress bar and Cancel while the worker reads it.
    const rows = ['email,product_name,day_used,tokens_used'];
    for (let i = 0; i < 240000; i++) rows.push(`user${i % 2000}@example.com,Revit,2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')},10`);
    const big = path.join(tmpRoot, 'big-usage.csv');
    fs.writeFileSync(big, rows.join('\n'));
    await page.setInputFiles('#usage-file', big);
    await page.waitForSelector('#usage-progress');
    await page.click('#usage-cancel');
    await page.waitForSelector('#usage-review', { state: 'detached' });
    // The import worker starts again for the next file.
    const small = path.join(tmpRoot, 'small.csv');
    fs.writeFileSync(small, fixture('token-usage-2026.csv'));
    await page.setInputFiles('#usage-file', small);
    await reviewed(page);
    assert(/10 rows/.test(await page.textContent('#usage-summary')), 'read after a cancel');
    await page.click('#usage-use-history');
    await page.waitForSelector('#usage-review', { state: 'detached' });
    // Ada and Bob (Cy's only row is a launch of 0 tokens: no day to replay).
    await page.waitForFunction(() => document.querySelectorAll('.users li').length === 2);
    await done();
  });

  test('import: 1,000,000 rows read, mapped and replayed in the browser (figure printed)', async () => {
    const { page, done } = await open();
    await page.goto(h.base());
    await ready(page);
    // 1,000 users × 1,000 days of Revit over 2025-2027: a token-usage export of 1,000,000 rows.
    const lines = ['email,product_name,day_used,tokens_used'];
    const day0 = Date.UTC(2025, 0, 1);
    for (let u = 0; u < 1000; u++) {
      for (let d = 0; d < 1000; d++) {
        lines.push(`u${u}@example.com,Revit,${new Date(day0 + d * 86400000).toISOString().slice(0, 10)},10`);
      }
    }
    const file = path.join(tmpRoot, 'million.csv');
    fs.writeFileSync(file, lines.join('\n'));
    const bytes = fs.statSync(file).size;
    // The progress bar counts: determinate (value of max, in bytes read) while the
    // worker reads, before the review.
    const counted = page.waitForFunction(() => {
      const e = document.querySelector('#usage-progress[value]');
      return e && e.value > 0 && [e.value, e.max];
    }, null, { timeout: 120000, polling: 'raf' });
    const t0 = Date.now();
    await page.setInputFiles('#usage-file', file);
    await reviewed(page);
    const ms = Date.now() - t0;
    const [value, max] = await (await counted).jsonValue();
    assert(max === bytes && value > 0 && value <= max, `progress ${value} of ${max} (file ${bytes} bytes)`);
    const summary = await page.textContent('#usage-summary');
    assert(/1,000,000 rows/.test(summary) && /users: 1,000;/.test(summary), summary);
    perf.import_1m_rows_ms = ms;
    perf.import_1m_rows_worker_ms = await page.evaluate(() => window.__flexcalcPerf.worker_ms);
    perf.import_1m_rows_bytes = bytes;
    console.log(`perf: usage export of 1,000,000 rows (${(bytes / 1e6).toFixed(1)} MB) read, mapped, replayed and reconciled in the import worker: ${ms} ms from the pick to the review (the worker's part ${Math.round(perf.import_1m_rows_worker_ms)} ms; target ≤ 2,000)`);
    await done();
  });
};
