// End-to-end tests of the built app (dist/) in Debian Chromium through playwright-core.
// `node e2e/run.js [dist]`. Saves screenshots into e2e/out/screenshots, prints the
// performance figures, and ends with the line `N passed, N failed`.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const { serve } = require('./server.js');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
const OUT = path.join(__dirname, 'out');
const SHOTS = path.join(OUT, 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];
const DESKTOP = { width: 1400, height: 1000 };
const PHONE = { width: 390, height: 844 };

let base;
const results = [];
const perf = {};
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcalc-e2e-'));

function assert(cond, msg) { if (!cond) throw new Error(msg); }
function eq(a, b, msg) { if (a !== b) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); }

/** A fresh browser profile; the page fails the test on any console error or page error. */
async function open(viewport = DESKTOP, options = {}) {
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'p-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport, acceptDownloads: true, ...options });
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  const done = async () => { await ctx.close(); assert(errors.length === 0, errors.join('\n')); };
  return { ctx, page, errors, done };
}

async function ready(page) {
  // The summary comes first; the charts, heat map and table a task later (data-full).
  await page.waitForSelector('.results-body[data-full="true"] #summary', { timeout: 20000 });
}
// The engine answers from its worker: a figure is read once the answer to the last change is
// on the page (the render after a change marks the results busy at once).
const answered = (page) => page.waitForFunction(() => {
  const b = document.querySelector('.results-body');
  return !b || b.getAttribute('aria-busy') === 'false';
}, null, { timeout: 60000 });
const tokens = async (page) => { await answered(page); return page.$eval('#sum-tokens .stat-value', (e) => Number(e.dataset.value)); };
const cost = async (page) => { await answered(page); return page.$eval('#sum-cost .stat-value', (e) => e.dataset.value); };
const costText = async (page) => { await answered(page); return page.$eval('#sum-cost .stat-value', (e) => e.textContent); };
/** The scenario IndexedDB holds, decoded, with its encoding and sizes (null if none).
 * Never creates the database (an empty one would stop the app's own upgrade). */
function idbRecord(page) {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'flexcalc')) return null;
    const rec = await new Promise((ok, ko) => {
      const r = indexedDB.open('flexcalc');
      r.onerror = () => ko(r.error);
      r.onsuccess = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains('state')) { db.close(); return ok(undefined); }
        const g = db.transaction('state').objectStore('state').get('scenario');
        g.onsuccess = () => { db.close(); ok(g.result); };
        g.onerror = () => { db.close(); ko(g.error); };
      };
    });
    if (!rec) return null;
    const text = rec.enc === 'gzip'
      ? await new Response(new Blob([rec.data]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
      : rec.data;
    const raw = new Blob([text]).size;
    return { enc: rec.enc, stored: rec.enc === 'gzip' ? rec.data.byteLength : raw, raw, text };
  });
}

/** The autosaved scenario's text once the save of the last change is written: the copy in
 * local storage if there is one (a fallback write, newer), else IndexedDB's (decoded). */
async function stored(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  await page.waitForFunction(() => (window.__flexcalcPerf || {}).saving !== 1, null, { timeout: 120000 });
  const local = await page.evaluate(() => localStorage.getItem('flexcalc.scenario'));
  if (local !== null) return local;
  const rec = await idbRecord(page);
  return rec && rec.text;
}

async function shot(page, name, full = true) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: full });
}

async function tab(page, n) {
  await page.click(`#tab-${n}`);
}

/** A team of `n` users, each with two products on different patterns (for perf). */
function bigTeam(n) {
  const users = [];
  for (let i = 0; i < n; i++) {
    users.push({
      id: `u${i}`, name: `User ${i}`,
      usage: [
        { product: i % 3 === 0 ? 'revit' : 'autocad', weekly: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' } },
        { product: i % 2 ? 'navisworks' : '3dsmax', monthly: { days: 3 + (i % 5), from: '09:00', to: '17:00' } },
      ],
    });
  }
  return { flexcalc: 1, name: 'Large team', currency: 'EUR', timezone: 'Europe/Paris', period: { start: '2027-01-01', months: 12 }, users };
}

async function importJson(page, obj, name = 'scenario.json') {
  const file = path.join(tmpRoot, name);
  fs.writeFileSync(file, typeof obj === 'string' ? obj : JSON.stringify(obj, null, 2));
  await page.setInputFiles('#import-file', file);
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(tmpRoot, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8'), file };
}

// Cargo's target directory: CARGO_TARGET_DIR when set (as cargo itself reads it), else target/.
const TARGET = path.resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target');
const CLI = ['release/flexcalc', 'debug/flexcalc'].map((p) => path.join(TARGET, p)).find((p) => fs.existsSync(p));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('loads the starter team with results and no console error', async () => {
  const { page, done } = await open();
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('_bg.wasm')) wasm.push(r.url()); });
  await page.goto(base);
  await ready(page);
  assert(await tokens(page) > 0, 'tokens shown');
  // index.html compiles the wasm early and the loader takes that module (early-wasm.sh):
  // one fetch, not a second one by the loader.
  eq(wasm.length, 1, `the wasm fetched once (${wasm.join(', ')})`);
  assert(await page.evaluate(() => window.__flexcalcWasm instanceof Promise), 'the early compile started');
  eq(await page.$('#boot'), null, 'the loading message is gone');
  eq(await page.getAttribute('#summary', 'role'), 'status', 'results in a role=status region');
  assert(await page.$('.users li') !== null, 'team list');
  // The heat-map reads a day by keyboard and by pointer.
  await page.focus('#heat-map');
  await page.keyboard.press('ArrowRight');
  assert(/8 Jan 2027: \d+ tokens/.test(await page.textContent('#heat-readout')), `keyboard readout: ${await page.textContent('#heat-readout')}`);
  const box = await page.$eval('#heat-map', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  await page.mouse.move(box.x + box.w - 3, box.y + box.h * 0.3);
  assert(/Dec 2027/.test(await page.textContent('#heat-readout')), `pointer readout: ${await page.textContent('#heat-readout')}`);
  await shot(page, 'desktop-team');
  await done();
});

test('the loading message speaks the language the app will start in, one language only, and says when the app cannot load', async () => {
  // The wasm held back, so the page stays on its loading message (index.html's inline script).
  for (const [locale, saved, want, lang] of [['fr-FR', null, 'Chargement', 'fr'], ['en-US', 'ja', '読み込み中', 'ja'], ['de-DE', null, 'Loading the estimator', '']]) {
    const { ctx, page, errors } = await open(DESKTOP, { locale });
    // The saved choice in place before the page's own scripts run.
    if (saved) await page.addInitScript((l) => localStorage.setItem('flexcalc.lang', l), saved);
    await page.route('**/*_bg.wasm', () => {});
    await page.goto(base, { waitUntil: 'domcontentloaded' });
    const boot = await page.$eval('#boot', (b) => [b.textContent, b.lang]);
    assert(boot[0].startsWith(want), `${locale}/${saved}: ${boot[0]}`);
    eq(boot[1], lang, `${locale}/${saved}: the message's lang`);
    assert(!/·/.test(boot[0]), 'one language');
    eq(errors.length, 0, `no error: ${errors.join('; ')}`);
    // Not `done()`: closing with the wasm request held back fails that request.
    await ctx.close();
  }
  // A wasm that cannot be fetched: the message says so instead of loading for ever.
  const { ctx, page } = await open();
  await page.route('**/*_bg.wasm', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await page.goto(base);
  await page.waitForFunction(() => /could not load/.test(document.getElementById('boot').textContent));
  assert(/404.*Reload the page/.test(await page.textContent('#boot')), await page.textContent('#boot'));
  await ctx.close();
});

test('build a team: add users from a template, add a product, duplicate', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  const before = await tokens(page);
  const n0 = await page.$$eval('.users li', (l) => l.length);
  await page.selectOption('#add-template', 'tpl.fulltime');
  await page.click('#add-user');
  eq(await page.$$eval('.users li', (l) => l.length), n0 + 1, 'one user added');
  const afterAdd = await tokens(page);
  assert(afterAdd > before, `a full-time user adds tokens (${before} → ${afterAdd})`);
  await page.fill('#f-users-3--name', 'Dana');
  await page.waitForFunction(() => document.querySelector('#user-h').textContent === 'Dana');
  await page.fill('#product-search', 'maya');
  await page.selectOption('#product-choice', 'maya');
  await page.click('#add-product');
  await page.waitForSelector('article.usage >> nth=1');
  const withMaya = await tokens(page);
  assert(withMaya > afterAdd, 'adding Maya adds tokens');
  await page.fill('#f-ui-copies3', '5');
  await page.click('#duplicate-user');
  eq(await page.$$eval('.users li', (l) => l.length), n0 + 6, 'add 5 users like this');
  const ids = JSON.parse(await stored(page)).users.map((u) => u.id);
  eq(new Set(ids).size, ids.length, 'ids stay unique');
  await done();
});

test('change a pattern and see the total change (weekly, monthly, calendar dates, months)', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  const t0 = await tokens(page);
  // Ana's Revit runs Monday–Friday: add Saturdays (52 × 10 tokens in 2027).
  await page.check('#wd-0-0-sat');
  eq(await tokens(page), t0 + 520, 'Saturdays of Revit add 520 tokens');
  await page.click('#undo');
  eq(await tokens(page), t0, 'undo takes the change back');
  await page.keyboard.press('Control+Shift+Z');
  eq(await tokens(page), t0 + 520, 'redo (keyboard) applies it again');
  await page.keyboard.press('Control+Z');
  eq(await tokens(page), t0, 'undo (keyboard)');
  // AutoCAD 3 days a month → 5 days a month: 24 more days × 7 tokens.
  await page.fill('#f-users-0--usage-1--monthly-days', '5');
  eq(await tokens(page), t0 + 24 * 7, 'days per month');
  await page.fill('#f-users-0--usage-1--monthly-days', 'x');
  assert(await page.isVisible('#f-users-0--usage-1--monthly-days-err'), 'a non-number keeps the text and says so');
  eq(await tokens(page), t0 + 24 * 7, 'nothing changes while the field is not a number');
  await page.fill('#f-users-0--usage-1--monthly-days', '3');
  // Calendar dates: switch AutoCAD to dates and pick two days.
  await page.selectOption('#kind-0-1', 'dates');
  const dates0 = await tokens(page);
  await page.click('#cal-0-1 [data-date="2027-01-12"]');
  await page.click('#cal-0-1 [data-date="2027-01-14"]');
  eq(await tokens(page), dates0 + 14, 'two picked dates cost 2 × 7');
  eq(await page.getAttribute('#cal-0-1 [data-date="2027-01-14"]', 'aria-pressed'), 'true', 'picked day is pressed');
  await shot(page, 'desktop-calendar', false);
  // Seasonal months on Revit: keep only March.
  await page.uncheck('#allyear-0-0');
  await page.check('#m-0-0-3');
  const march = await tokens(page);
  assert(march < dates0, 'Revit in March only costs less than all year');
  await done();
});

/** A screenshot of one element (the first match). */
async function shotOf(page, selector, name) {
  await page.locator(selector).first().screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

test('idle stretches in an explicit session: the engine\'s total, inline checks, idle detection, reload', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  const t0 = await tokens(page);
  // Ben: AutoCAD 3 days a month (36 days × 7) becomes one explicit session, Fri 1 Jan 09:00–17:00.
  await page.click('.users li:nth-child(2) button');
  await page.selectOption('#kind-1-0', 'sessions');
  const t1 = t0 - 35 * 7;
  eq(await tokens(page), t1, 'one session: one AutoCAD day');
  // Until Saturday 11:00: a second 24 h window opens at 09:00 with 2 h of use left.
  const S = '#f-users-1--usage-0--sessions-0-';
  await page.fill(`${S}-end`, '2027-01-02T11:00');
  eq(await tokens(page), t1 + 7, 'a session over the window boundary costs a second day');
  // A new stretch sits in the session's middle (Friday 22:00–23:00): idle inside the first
  // window changes nothing, as the engine says.
  await page.click('#add-idle-1-0-0');
  const A = `${S}-inactive-0--0-`, B = `${S}-inactive-0--1-`;
  eq(await page.inputValue(A), '2027-01-01T22:00', 'default stretch start');
  eq(await page.inputValue(B), '2027-01-01T23:00', 'default stretch end');
  eq(await tokens(page), t1 + 7, 'idle inside the first window: same total');
  // Saturday 08:00 start, end still Friday 23:00: the field says so, and the engine's located message.
  await page.fill(A, '2027-01-02T08:00');
  await page.waitForSelector('#scenario-error');
  assert(/^Idle stretch 1 \(until\): must be after/.test(await page.textContent(`${B}-err`)), `inline: ${await page.textContent(`${B}-err`)}`);
  assert((await page.textContent('#error-message')).startsWith('users[1].usage[0].sessions[0].inactive[0][1]:'), 'the engine names the JSON path');
  eq(await page.getAttribute(B, 'aria-invalid'), 'true', 'the field is marked');
  await shotOf(page, 'fieldset.sessions', 'desktop-idle-stretch-error');
  await page.click('#scenario-error button');
  await page.waitForFunction((id) => document.activeElement.id === id, B.slice(1), { timeout: 3000 });
  // Saturday 08:00–11:00 (3 h ≥ 15 min): idle from 08:15, so use ends before the second window.
  await page.fill(B, '2027-01-02T11:00');
  await page.waitForSelector('#scenario-error', { state: 'detached' });
  eq(await tokens(page), t1, 'the idle stretch across the boundary saves the second day');
  await shotOf(page, 'article.usage', 'desktop-idle-stretch');
  // Past the session's end: said beside the field (the engine only counts the part inside).
  await page.fill(B, '2027-01-02T12:00');
  assert(/outside its session \(2027-01-01 09:00 to 2027-01-02 11:00\)/.test(await page.textContent(`${B}-err`)), 'outside the session');
  eq(await tokens(page), t1, 'the engine counts only the part inside');
  await page.fill(B, '2027-01-02T11:00');
  eq(await page.$(`${B}-err`), null, 'fixed: no message');
  // The CLI finds the same total for the exported scenario.
  if (CLI) {
    const exp = await download(page, '#export-json');
    const out = JSON.parse(execFileSync(CLI, ['simulate', exp.file], { encoding: 'utf8' }));
    eq(out.totals.tokens, t1, 'the CLI agrees');
    eq(out.totals.by_user.ben, 7, 'Ben: one AutoCAD day');
  }
  // Idle detection off: the stretch counts as use and is hidden, with a way back.
  await page.uncheck('#idle-1-0');
  eq(await tokens(page), t1 + 7, 'idle detection off: the stretch is use');
  eq(await page.$(A), null, 'stretches hidden while idle detection is off');
  assert(/only count when idle detection is on/.test(await page.textContent('#idle-off-1-0')), 'explains why');
  await page.click('#idle-off-1-0 button');
  eq(await tokens(page), t1, 'turned on again');
  await page.click('#undo');
  eq(await tokens(page), t1 + 7, 'undo');
  await page.click('#redo');
  eq(await tokens(page), t1, 'redo');
  // Nothing typed is lost on reload.
  eq(JSON.stringify(JSON.parse(await stored(page)).users[1].usage[0].sessions),
    JSON.stringify([{ start: '2027-01-01T09:00', end: '2027-01-02T11:00', inactive: [['2027-01-02T08:00', '2027-01-02T11:00']] }]), 'saved');
  await page.reload();
  await ready(page);
  await page.click('.users li:nth-child(2) button');
  eq(await page.inputValue(A), '2027-01-02T08:00', 'start kept');
  eq(await page.inputValue(B), '2027-01-02T11:00', 'end kept');
  eq(await tokens(page), t1, 'total kept');
  // Removing the stretch leaves no empty list behind.
  await page.click('[aria-label="Remove idle stretch 1"]');
  eq(await tokens(page), t1 + 7, 'removed');
  assert(!('inactive' in JSON.parse(await stored(page)).users[1].usage[0].sessions[0]), 'no empty inactive list');
  await done();
});

/** One user on AutoCAD every Monday of 2027, and a plug-in of the scenario's own catalog. */
const pluginTeam = (extra = {}) => ({
  flexcalc: 1, currency: 'EUR', timezone: 'Europe/Paris', period: { start: '2027-01-01', months: 12 },
  catalog: { products: [{ id: 'myplugin', name: 'A plug-in', tokens_per_day: 2 }] },
  users: [{ id: 'ana', name: 'Ana', usage: [{ product: 'autocad', weekly: { days: ['mon'], from: '09:00', to: '17:00' }, ...extra }] }],
});

test('plug-ins: chosen and removed by keyboard, charged by the engine in the results table', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await importJson(page, pluginTeam(), 'plugins.json');
  await page.waitForFunction(() => document.querySelector('#sum-tokens .stat-value').dataset.value === String(52 * 7));
  const options = await page.$$eval('#plugin-choice-0-0 option', (o) => o.map((x) => x.textContent.trim()));
  eq(options[1], 'A plug-in — 2 tokens/day', 'the scenario\'s own product first, with its rate');
  assert(options.includes('ReCap Pro — 1 token/day'), 'built-in products with their rates');
  assert(!options.some((o) => o.startsWith('AutoCAD')), 'never the host');
  // Keyboard: the select, then the button.
  await page.focus('#plugin-choice-0-0');
  await page.keyboard.press('ArrowDown');
  eq(await page.inputValue('#plugin-choice-0-0'), 'myplugin', 'chosen by keyboard');
  await page.keyboard.press('Tab');
  eq(await page.evaluate(() => document.activeElement.id), 'add-plugin-0-0', 'the add button is next');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-plugin="myplugin"]');
  eq(await tokens(page), 52 * 9, 'the plug-in burns its own 2 tokens on each of the 52 days');
  assert((await page.textContent('[data-plugin="myplugin"]')).includes('2 tokens/day'), 'listed with its rate');
  const heads = await page.$$eval('#user-table thead th', (h) => h.map((x) => x.textContent.trim()));
  const col = heads.indexOf('A plug-in');
  assert(col > 0, `a column for the plug-in: ${heads.join(' | ')}`);
  const cell = await page.$eval(`#user-table tbody tr td:nth-child(${col + 1})`, (e) => e.textContent);
  assert(/^104 \(52\)/.test(cell), `its tokens in the table: ${cell}`);
  eq(JSON.parse(await stored(page)).users[0].usage[0].plugins.join(), 'myplugin', 'saved in the scenario');
  await shotOf(page, 'fieldset.plugins', 'desktop-plugins');
  // A second, built-in one; it leaves the list of choices.
  await page.selectOption('#plugin-choice-0-0', 'recap-pro');
  await page.click('#add-plugin-0-0');
  eq(await tokens(page), 52 * 10, 'ReCap Pro adds 1 a day');
  assert(!(await page.$$eval('#plugin-choice-0-0 option', (o) => o.map((x) => x.value))).includes('recap-pro'), 'not offered twice');
  await page.focus('[aria-label="Remove plug-in A plug-in"]');
  await page.keyboard.press('Enter');
  eq(await tokens(page), 52 * 8, 'removed by keyboard');
  assert(!(await page.$$eval('#user-table thead th', (h) => h.map((x) => x.textContent.trim()))).includes('A plug-in'), 'its column is gone');
  // An unknown plug-in from a file: the engine's located message, beside the entry and in the box.
  await importJson(page, pluginTeam({ plugins: ['nosuch'] }), 'bad-plugin.json');
  await page.waitForSelector('#scenario-error');
  assert((await page.textContent('#error-message')).startsWith('users[0].usage[0].plugins[0]:'), 'located');
  assert((await page.textContent('#f-users-0--usage-0--plugins-0-')).includes('not a known product'), 'beside the entry');
  await page.click('#scenario-error button');
  await page.waitForFunction(() => document.activeElement.id === 'f-users-0--usage-0--plugins-0-', null, { timeout: 3000 });
  await page.click('[aria-label="Remove plug-in nosuch"]');
  await page.waitForSelector('#scenario-error', { state: 'detached' });
  await done();
});

test('idle stretches and plug-ins at 390 px: labelled, no overflow', async () => {
  const { page, done } = await open(PHONE);
  await page.goto(base);
  await ready(page);
  await importJson(page, pluginTeam({
    weekly: undefined, plugins: ['myplugin', 'recap-pro'],
    sessions: [{ start: '2027-01-04T08:00', end: '2027-01-05T10:00', inactive: [['2027-01-05T07:00', '2027-01-05T10:00'], ['2027-01-04T12:00', '2027-01-04T13:00']] }],
  }), 'phone.json');
  // 26 h with the last 2 h 45 min idle: one day of AutoCAD and of each plug-in.
  await page.waitForFunction(() => document.querySelector('#sum-tokens .stat-value').dataset.value === '10');
  const unlabelled = await page.$$eval('article.usage input, article.usage select', (els) => els.filter((e) => {
    const label = e.id && document.querySelector(`label[for="${e.id}"]`);
    return !(label && label.textContent.trim()) && !e.closest('label');
  }).map((e) => e.id));
  eq(unlabelled.length, 0, `unlabelled: ${unlabelled.join(', ')}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `page wider than 390 px by ${overflow}`);
  await page.focus('#add-idle-0-0-0');
  assert(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle) !== 'none', 'visible focus');
  await shotOf(page, 'article.usage', 'mobile-idle-plugins');
  await page.selectOption('#lang', 'ja');
  await page.waitForFunction(() => document.querySelector('#tab-0').textContent === 'チーム');
  assert(!(await page.textContent('article.usage')).includes('??'), 'translated');
  await shotOf(page, 'article.usage', 'mobile-idle-plugins-ja');
  await done();
});

test('switch currency and language: Intl formats money and every label changes', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await page.selectOption('#currency', 'EUR');
  await page.selectOption('#lang', 'en');
  const eur = await cost(page);
  assert(/^\d+\.\d\d$/.test(eur), `EUR has 2 decimals (${eur})`);
  assert((await costText(page)).includes('€'), 'euro sign');
  await page.selectOption('#currency', 'JPY');
  const jpy = await cost(page);
  assert(/^\d+$/.test(jpy), `JPY has no decimals (${jpy})`);
  assert(/[¥￥]/.test(await costText(page)), 'yen sign');
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.querySelector('#tab-0').textContent === 'Équipe');
  eq(await page.getAttribute('html', 'lang'), 'fr', 'document language');
  await page.selectOption('#currency', 'EUR');
  const fr = await costText(page);
  assert(/€$/.test(fr.trim()) && fr.includes(','), `French money format (${fr})`);
  await shot(page, 'desktop-french');
  await page.selectOption('#lang', 'ja');
  await page.waitForFunction(() => document.querySelector('#tab-0').textContent === 'チーム');
  await page.selectOption('#currency', 'JPY');
  await shot(page, 'desktop-japanese');
  // No untranslated key marker anywhere.
  for (const n of [0, 1, 2, 3, 4]) {
    await tab(page, n);
    const body = await page.textContent('body');
    assert(!body.includes('??'), `tab ${n} has an untranslated string`);
  }
  await page.selectOption('#lang', 'fr');
  for (const n of [0, 1, 2, 3, 4]) {
    await tab(page, n);
    assert(!(await page.textContent('body')).includes('??'), `fr tab ${n} untranslated`);
  }
  await done();
});

test('share link round trip restores exactly; a tampered link says so', async () => {
  const a = await open();
  await a.page.goto(base);
  await ready(a.page);
  await a.page.check('#wd-0-0-sun');
  await a.page.click('.users li:nth-child(2) button');
  await a.page.fill('#f-users-1--name', 'Bérénice 日本');
  await a.page.click('#share');
  const link = await a.page.inputValue('#share-url');
  assert(link.startsWith(base) && link.includes('#s='), `link ${link.slice(0, 60)}`);
  const original = await stored(a.page);
  const t = await tokens(a.page);
  await shot(a.page, 'desktop-share', false);
  await a.done();

  const b = await open();
  await b.page.goto(link);
  await ready(b.page);
  eq(await stored(b.page), original, 'the shared scenario is the same, byte for byte');
  eq(await tokens(b.page), t, 'same total');
  assert((await b.page.textContent('#banner')).length > 0, 'a message says it came from a link');
  eq(await b.page.evaluate(() => location.hash), '', 'the fragment is cleared so a reload keeps later edits');
  await b.done();

  const c = await open();
  const i = link.indexOf('#s=') + 20;
  const tampered = link.slice(0, i) + (link[i] === 'A' ? 'B' : 'A') + link.slice(i + 1);
  await c.page.goto(tampered);
  await ready(c.page);
  const msg = await c.page.textContent('#banner');
  assert(/damaged|altered|cannot be used/.test(msg), `tamper message: ${msg}`);
  eq(await c.page.getAttribute('#banner', 'role'), 'alert', 'the message is an alert');
  await shot(c.page, 'desktop-tampered-link', false);
  await c.done();
});

test('JSON export → import round trip, and the export is CLI input', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await page.check('#wd-0-0-sat');
  const t = await tokens(page);
  const exp = await download(page, '#export-json');
  assert(exp.name.endsWith('.json'), 'a .json file');
  const before = await stored(page);
  // The save is compact JSON, the export the CLI's pretty format: the same scenario.
  const same = (x) => JSON.stringify(JSON.parse(x));
  eq(same(exp.text), same(before), 'the export is the saved scenario');
  if (CLI) {
    const out = JSON.parse(execFileSync(CLI, ['simulate', exp.file], { encoding: 'utf8' }));
    eq(out.totals.tokens, t, 'the CLI reads the export and finds the same tokens');
  }
  // Change the page, then import the file back.
  await page.selectOption('#preset', 'new');
  await page.uncheck('#wd-0-0-mon');
  assert(await tokens(page) !== t, 'changed');
  await page.setInputFiles('#import-file', exp.file);
  await page.waitForFunction((n) => document.querySelector('#sum-tokens .stat-value').dataset.value === String(n), t);
  eq(await stored(page), before, 'the import restores the scenario exactly');
  // A bad file: the engine's located message, nothing lost.
  await importJson(page, '{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{"start":"2027-01-01","months":1},"userz":[]}', 'bad.json');
  await page.waitForSelector('#banner.error');
  assert((await page.textContent('#banner')).includes('userz'), 'names the unknown field');
  eq(await stored(page), before, 'a refused import changes nothing');
  await done();
});

test('CSV exports equal the screen', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  const summary = await download(page, '#export-summary');
  const rows = Object.fromEntries(summary.text.trim().split('\n').slice(1).map((l) => l.split(',')));
  eq(Number(rows.tokens_charged), await tokens(page), 'tokens');
  eq(rows.cost, await cost(page), 'cost');
  eq(rows.effective_price_per_token, await page.$eval('#sum-effective .stat-value', (e) => e.dataset.value), 'effective price');
  const charges = await download(page, '#export-csv');
  const lines = charges.text.trim().split('\n');
  eq(lines[0], 'user,item,kind,at,tokens,status', 'header');
  const sum = lines.slice(1).reduce((s, l) => s + Number(l.split(',')[4]), 0);
  eq(sum, await tokens(page), 'the charges add up to the total on screen');
  const tableTotal = await page.$eval('#user-table tfoot td:last-child', (e) => e.textContent.replace(/\D/g, ''));
  eq(Number(tableTotal), await tokens(page), 'table total');
  await done();
});

test('reload keeps everything; corrupt or older saved state recovers with a message', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await page.selectOption('#lang', 'fr');
  await page.fill('#f-users-0--name', 'Zoé');
  await page.check('#wd-0-0-sat');
  const t = await tokens(page);
  await page.reload();
  await ready(page);
  eq(await page.inputValue('#f-users-0--name'), 'Zoé', 'name kept');
  eq(await tokens(page), t, 'total kept');
  eq(await page.textContent('#tab-0'), 'Équipe', 'language kept');
  // Corrupt saved state (once the saves are done: leaving with a save still to come writes
  // the scenario to local storage, which would replace the corrupt text).
  await stored(page);
  await page.evaluate(() => localStorage.setItem('flexcalc.scenario', '{"flexcalc":1, broken'));
  await page.reload();
  await ready(page);
  await page.waitForSelector('#banner.warning');
  assert((await page.textContent('#banner')).length > 20, 'a visible message');
  eq(await page.evaluate(() => localStorage.getItem('flexcalc.scenario.unreadable')), '{"flexcalc":1, broken', 'the unreadable text is kept');
  assert(await tokens(page) > 0, 'a working team');
  await shot(page, 'desktop-recovered', false);
  // The first draft's key is migrated.
  const old = JSON.parse(await stored(page));
  old.name = 'Migrated team';
  await stored(page);
  await page.evaluate((s) => { localStorage.removeItem('flexcalc.scenario'); localStorage.setItem('flexcalc', s); }, JSON.stringify(old));
  await page.reload();
  await ready(page);
  await page.waitForSelector('#banner.info');
  eq(JSON.parse(await stored(page)).name, 'Migrated team', 'migrated');
  eq(await page.evaluate(() => localStorage.getItem('flexcalc')), null, 'old key removed');
  await done();
});

test('bad input shows the engine\'s located message and the field, never a blank page', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await tab(page, 2);
  await page.fill('#f-timezone', 'Mars/Olympus');
  await page.waitForSelector('#scenario-error');
  const msg = await page.textContent('#error-message');
  assert(msg.startsWith('timezone:') && msg.includes('Mars/Olympus'), `located message: ${msg}`);
  eq(await page.getAttribute('#f-timezone', 'aria-invalid'), 'true', 'the field is marked');
  assert(await page.isVisible('#summary'), 'the last results stay visible');
  await shot(page, 'desktop-error', false);
  await page.fill('#f-timezone', 'Asia/Tokyo');
  await page.waitForSelector('#scenario-error', { state: 'detached' });
  await tab(page, 0);
  await page.fill('#f-users-0--id', 'ben');
  await page.waitForSelector('#scenario-error');
  assert((await page.textContent('#error-message')).includes('users[1].id'), 'duplicate id located');
  await page.click('#scenario-error button');
  eq(await page.evaluate(() => document.activeElement.id), 'f-users-1--id', 'go to the field');
  await done();
});

/** The zone files fetched (paths under tz/), in order. */
function tzRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/tz/')) seen.push(p.slice(4));
  });
  return seen;
}
const settled = (page) => page.waitForFunction(() => !document.querySelector('#zones-loading') && !!document.querySelector('.results-body[data-full="true"] #summary'));

test('time zones load on demand: team and user zones fetched once, kept on reload and in a share link', async () => {
  const { page, done } = await open();
  const fetched = tzRequests(page);
  await page.goto(base);
  await ready(page);
  await tab(page, 2);
  await page.fill('#f-timezone', 'America/New_York');
  await settled(page);
  assert(!(await page.$('#scenario-error')), 'New York is a zone');
  // The engine's charges are in the team's zone: New York's offsets, winter and summer.
  let csv = (await download(page, '#export-csv')).text;
  assert(/-05:00/.test(csv) && /-04:00/.test(csv), `charges in New York time: ${csv.split('\n')[1]}`);
  // A user's own zone: Tokyo.
  await tab(page, 0);
  await page.fill('#f-users-0--timezone', 'Asia/Tokyo');
  await settled(page);
  assert(!(await page.$('#scenario-error')), 'Tokyo is a zone');
  csv = (await download(page, '#export-csv')).text;
  assert(/\+09:00/.test(csv), 'a charge in Tokyo time');
  eq(fetched.join(' '), 'index.txt America/New_York Asia/Tokyo', 'the index, then each zone once');
  const t = await tokens(page);
  assert(t > 0, 'tokens');
  // Reload: the saved scenario's zones are fetched again before its answer.
  await page.reload();
  await ready(page);
  eq(await tokens(page), t, 'same total after a reload');
  await page.click('#share');
  const link = await page.inputValue('#share-url');
  await done();
  const b = await open();
  const fetchedB = tzRequests(b.page);
  await b.page.goto(link);
  await ready(b.page);
  eq(await tokens(b.page), t, 'same total from the share link');
  // The worker's requests reach the test's listener a little later than its answer.
  for (let i = 0; i < 100 && fetchedB.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
  eq(fetchedB.sort().join(' '), 'America/New_York Asia/Tokyo index.txt', 'the link\'s zones fetched');
  assert(!(await b.page.$('#scenario-error')), 'no refusal');
  await b.done();
});

test('an unknown zone, or one whose data cannot be fetched, gets the engine\'s located message', async () => {
  const { page, errors, done } = await open();
  // Tokyo is in the index, but its file is missing on this server.
  await page.route('**/tz/Asia/Tokyo', (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  const fetched = tzRequests(page);
  await page.goto(base);
  await ready(page);
  await tab(page, 2);
  await page.fill('#f-timezone', 'Mars/Olympus');
  await page.waitForSelector('#scenario-error');
  let msg = await page.textContent('#error-message');
  assert(msg.startsWith('timezone:') && msg.includes('"Mars/Olympus" is not an IANA time zone'), `located message: ${msg}`);
  assert(!fetched.includes('Mars/Olympus'), 'a name the index does not list is never fetched');
  await page.fill('#f-timezone', 'Asia/Tokyo');
  await page.waitForFunction(() => (document.querySelector('#error-message') || {}).textContent?.includes('Asia/Tokyo'));
  msg = await page.textContent('#error-message');
  assert(msg.startsWith('timezone:') && msg.includes('"Asia/Tokyo" is not an IANA time zone'), `located message: ${msg}`);
  eq(await page.getAttribute('#f-timezone', 'aria-invalid'), 'true', 'the field is marked');
  assert(await page.isVisible('#summary'), 'the last results stay visible');
  // Any case, as the CLI reads it.
  await page.fill('#f-timezone', 'europe/PARIS');
  await page.waitForSelector('#scenario-error', { state: 'detached' });
  await settled(page);
  eq(fetched.join(' '), 'index.txt Asia/Tokyo Europe/Paris', 'fetched');
  // The browser reports the missing file: expected here, and nothing else.
  const rest = errors.filter((e) => !/status of 404/.test(e));
  errors.length = 0;
  errors.push(...rest);
  await done();
});

test('packs: run-out date, denied user-days, suggested order, balance marks', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await tab(page, 1);
  await shot(page, 'desktop-packs-estimate');
  assert(await page.isVisible('#cheapest-order'), 'estimate shows the cheapest order');
  await page.check('#mode-packs');
  await page.waitForSelector('#sum-runout');
  await page.fill('#f-packs-0--tokens', '1000');
  await page.waitForFunction(() => document.querySelector('#sum-runout .stat-value').dataset.value !== '');
  const runout = await page.$eval('#sum-runout .stat-value', (e) => e.dataset.value);
  assert(/^2027-\d\d-\d\d$/.test(runout), `run-out date ${runout}`);
  assert(Number(await page.$eval('#sum-denied .stat-value', (e) => e.dataset.value)) > 0, 'denied user-days');
  assert(await page.$('.mark.mk-runout') !== null, 'run-out marked on the balance chart');
  assert(await page.$('.mark.mk-purchase') !== null, 'purchase marked');
  await shot(page, 'desktop-packs-short');
  await page.click('#buy-suggested');
  await page.waitForFunction(() => document.querySelector('#sum-runout .stat-value').dataset.value === '');
  eq(Number(await page.$eval('#sum-denied .stat-value', (e) => e.dataset.value)), 0, 'the suggested order covers the year');
  await done();
});

test('subscriptions held: an offering priced by the user removes the tokens it covers', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  const t0 = await tokens(page);
  await tab(page, 2);
  await page.click('#add-offering');
  await page.click('.covers summary');
  await page.uncheck('#cov-0-revit').catch(() => {});
  await page.check('#cov-0-revit');
  await page.uncheck('#cov-0-autocad').catch(() => {});
  await page.fill('#f-offerings-0--annual', '2900.00');
  await shot(page, 'desktop-offerings', false);
  await tab(page, 0);
  await page.click('#add-subscription-0');
  // Ana's Revit (Monday–Friday, 261 days × 10 tokens) is now covered all year.
  eq(await tokens(page), t0 - 2610, 'covered time costs no token');
  await page.fill('#f-users-0--subscriptions-0--to', '2027-06-30');
  assert(await tokens(page) > t0 - 2610, 'a shorter subscription covers less');
  await done();
});

test('advisor: the plan and its totals, apply, undo, break-even chart', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  // The starter team has no offering: the tab says how to add them.
  await tab(page, 4);
  assert(/Period & prices/.test(await page.textContent('#advisor-no-offerings')), 'explains where offerings go');
  // The one price it needs, asked inline: an offering for the team's first product, priced
  // here, and the advisor answers on the starter team.
  await page.fill('#ask-annual', '2000.00');
  await page.click('#ask-add');
  await page.waitForSelector('#advisor-totals');
  assert(Number(await page.$eval('#advisor-plan .stat-value', (e) => e.dataset.value)) > 0, 'a plan for the starter team');
  await page.click('#undo');
  await page.waitForSelector('#advisor-no-offerings');
  await page.selectOption('#preset', 'architecture-studio');
  await page.waitForSelector('#banner.info');
  await tab(page, 4);
  await page.waitForSelector('#advisor-totals');
  const total = (id) => page.$eval(`#advisor-${id} .stat-value`, (e) => e.dataset.value);
  const plan = await total('plan');
  const money = /^\d+\.\d\d$/;
  for (const id of ['plan', 'all-flex', 'all-subscription', 'current']) {
    const v = await total(id);
    assert(money.test(v), `${id} total ${v}`);
    assert(Number(v) >= Number(plan), `${id} (${v}) never below the plan (${plan})`);
    assert(/€/.test(await page.textContent(`#advisor-${id} .stat-value`)), `${id} in euros`);
  }
  const saving = await page.$eval('#advisor-current .saving', (e) => e.dataset.value);
  assert(Number(saving) > 0, `the preset's own subscriptions cost more than the plan (${saving})`);
  const rows = await page.$$eval('#advisor-plan-table tbody tr', (r) => r.map((x) => x.dataset.user));
  assert(rows.includes('claire'), `plan rows ${rows}`);
  { const p = await page.textContent('#advisor-plan-table'); assert(/annual|monthly/.test(p), `the plan names its terms: ${p}`); }
  assert(/proven optimal|no plan costs less/.test(await page.textContent('#advisor-optimal')), 'optimal or gap line');
  // Break-even chart: both lines, the crossing, and another user × product on request.
  await page.waitForSelector('#break-even #flex-line');
  const picks = await page.$$eval('#break-even-pick option', (o) => o.map((x) => x.value));
  assert(picks.length >= 2, 'several user × product pairs');
  let crossed = false;
  for (const v of picks) {
    await page.selectOption('#break-even-pick', v);
    if (await page.$('#break-even #crossing')) { crossed = true; break; }
  }
  assert(crossed, 'a crossing is marked for some pair');
  assert(await page.$('#break-even #sub-line'), 'subscription line');
  assert(/cost the same at \d+\.\d\d days/.test(await page.textContent('#break-even-text')), await page.textContent('#break-even-text'));
  await shot(page, 'desktop-advisor');
  // Apply: the scenario's subscriptions become the plan's; the results follow.
  const costBefore = await cost(page);
  const tokensBefore = await tokens(page);
  await page.click('#apply-plan');
  // The advisor plans the new scenario in its worker (the button is disabled meanwhile),
  // then finds the plan applied.
  await page.waitForSelector('section.advisor[aria-busy="false"]');
  assert(await page.$eval('#apply-plan', (e) => e.disabled), 'the plan is applied');
  eq(await total('current'), plan, 'the current subscriptions now cost what the plan costs');
  const held = JSON.parse(await stored(page));
  const planSubs = await page.$$eval('#advisor-plan-table .plan-subs li', (l) => l.length);
  eq(held.users.reduce((n, u) => n + (u.subscriptions || []).length, 0), planSubs, 'the saved scenario holds the plan');
  assert(await tokens(page) !== tokensBefore, `the results changed (${tokensBefore} tokens before)`);
  assert(!(await page.$eval('#undo', (b) => b.disabled)), 'undo available');
  await page.click('#undo');
  await page.waitForFunction(() => !document.querySelector('#apply-plan').disabled);
  await page.waitForSelector('section.advisor[aria-busy="false"]');
  eq(await cost(page), costBefore, 'undo restores the results');
  eq(await tokens(page), tokensBefore, 'undo restores the tokens');
  eq(Number(await page.$eval('#advisor-current .saving', (e) => e.dataset.value)), Number(saving), 'undo restores the saving');
  // Every label of the tab is translated.
  await page.selectOption('#lang', 'ja');
  await page.waitForSelector('#advisor-totals');
  assert(!(await page.textContent('body')).includes('??'), 'ja advisor untranslated');
  await done();
});

test('advisor: usage sensitivity slider, figures and flips', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await page.selectOption('#preset', 'architecture-studio');
  await page.waitForSelector('#banner.info');
  await tab(page, 4);
  await page.waitForSelector('#sens-usage:not([disabled])', { timeout: 20000 });
  perf.sensitivity_preset_ms = await page.evaluate(() => window.__flexcalcPerf.sensitivity_ms);
  assert(/Usage compared/.test(await page.textContent('label[for=sens-usage]')), 'the slider is labelled');
  const figure = (id) => page.$eval(`#sens-${id} .stat-value`, (e) => e.dataset.value);
  const plan = await page.$eval('#advisor-plan .stat-value', (e) => e.dataset.value);
  eq(await figure('plan'), plan, 'at 0 % the figure is the plan');
  eq((await page.textContent('#sens-value')).trim(), 'Usage 0%', 'value shown as text');
  eq(await page.getAttribute('#sens-same', 'data-same'), 'true', 'same plan at 0 %');
  const flexAt0 = Number(await figure('all-flex'));
  // Keyboard: two steps right is +20 %.
  await page.focus('#sens-usage');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#sens-value').textContent.includes('+20'));
  eq((await page.textContent('#sens-value')).trim(), 'Usage +20%', 'value text at +20 %');
  eq(await page.getAttribute('#sens-usage', 'aria-valuetext'), 'Usage +20%', 'value for assistive technology');
  const at20 = await figure('plan');
  assert(Number(at20) > Number(plan), `more usage costs more (${at20} against ${plan})`);
  assert(Number(await figure('all-flex')) > flexAt0, 'all-Flex rises with usage');
  eq(await page.getAttribute('#sens-same', 'data-same'), 'false', 'the plan differs at +20 %');
  const flips = await page.$$eval('#sens-flips li', (l) => l.map((x) => x.textContent));
  assert(flips.some((x) => /^At \+20% usage, Léa .*: subscribe to Revit/.test(x)), `a flip in words: ${flips.join(' | ')}`);
  assert(await page.$('#sens-flips li.passed[data-percent="20"]'), 'the flip the slider passed is marked');
  await shot(page, 'desktop-advisor-sensitivity');
  // Home and End reach the ends; below today's usage the plan costs less.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('#sens-value').textContent.includes('50'));
  eq((await page.textContent('#sens-value')).trim(), 'Usage \u221250%', 'value text at −50 %');
  assert(Number(await figure('plan')) < Number(plan), 'less usage costs less');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('#sens-value').textContent.includes('+50'));
  // Translated: the value and the flips in French and Japanese.
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => /Utilisation \+50/.test(document.querySelector('#sens-value').textContent));
  assert(/^À \+20\u202f% d'utilisation, Léa/.test(await page.textContent('#sens-flips li[data-percent="20"]')), 'French flip');
  await page.selectOption('#lang', 'ja');
  await page.waitForFunction(() => /利用量 \+50%/.test(document.querySelector('#sens-value').textContent));
  assert(!(await page.textContent('#sensitivity')).includes('??'), 'ja sensitivity untranslated');
  // A 200-user team with offerings: the plan and the sweep run in the advisor's worker, so
  // the page keeps painting while they run (no frame gap near the sweep's length).
  const team = bigTeam(200);
  team.offerings = [
    { id: 'revit', covers: ['revit'], annual: '3000.00', monthly: '380.00' },
    { id: 'autocad', covers: ['autocad'], annual: '2100.00', monthly: '265.00' },
    { id: '3dsmax', covers: ['3dsmax'], annual: '2000.00', monthly: '250.00' },
    { id: 'aec', covers: ['autocad', 'revit', 'navisworks'], annual: '3900.00', monthly: '490.00' },
  ];
  await page.selectOption('#lang', 'en');
  await tab(page, 0);
  await importJson(page, team, 'big-advisor.json');
  await page.waitForFunction(() => document.querySelectorAll('.users li').length === 200);
  // Every frame's time from before the tab opens; the frames during the sweep are kept.
  await page.evaluate(() => {
    const w = window; w.__frames = []; w.__recording = true;
    const frame = (t) => { w.__frames.push(t); if (w.__recording) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  });
  await tab(page, 4);
  await page.waitForSelector('#sens-usage:not([disabled])', { timeout: 60000 });
  const sweep = await page.evaluate(() => {
    window.__recording = false;
    const p = window.__flexcalcPerf;
    const start = p.sensitivity_end - p.sensitivity_ms;
    // Frames painted while the sweep ran, and the gaps between them up to the first frame
    // after it (the gap before its first frame also holds the advisor's own render).
    const f = window.__frames;
    const during = f.filter((t) => t > start && t <= p.sensitivity_end);
    const after = f.find((t) => t > p.sensitivity_end);
    const ts = [...during, after].filter((t) => t !== undefined);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]);
    return { ms: p.sensitivity_ms, advise: p.advise_ms, frames: during.length, longest: Math.max(...gaps) };
  });
  perf.advise_200_users_ms = sweep.advise;
  perf.sensitivity_200_users_ms = sweep.ms;
  perf.sensitivity_200_users_frames = sweep.frames;
  perf.sensitivity_200_users_longest_frame_ms = sweep.longest;
  assert(sweep.frames >= 3, `the page painted during the sweep (${sweep.frames} frames in ${sweep.ms} ms)`);
  assert(sweep.longest < sweep.ms, 'no single block as long as the whole sweep');
  // A new visit to the tab starts at today's usage.
  eq((await page.textContent('#sens-value')).trim(), 'Usage 0%', 'back at 0 %');
  eq(await figure('plan'), await page.$eval('#advisor-plan .stat-value', (e) => e.dataset.value), 'the big team at 0 %');
  await done();
});

test('tier cliff explained when buying more costs less', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  // 94 users × 26 days × 10 tokens = 24,440 tokens: 24,500 at €3.08 costs more than 25,000 at €3.00.
  const users = [];
  for (let i = 0; i < 94; i++) users.push({ id: `u${i}`, usage: [{ product: 'revit', weekly: { days: ['mon', 'tue'], from: '09:00', to: '17:00' } }] });
  await importJson(page, { flexcalc: 1, currency: 'EUR', timezone: 'UTC', period: { start: '2027-01-01', months: 3 }, users });
  await page.waitForFunction(() => document.querySelector('#sum-tokens .stat-value').dataset.value === '24440');
  eq(await cost(page), '75000.00', 'the cheaper, larger order');
  await tab(page, 1);
  const text = await page.textContent('#tier-cliff');
  assert(text.includes('24,440') && text.includes('25,000') && text.includes('€460.00'), `cliff text: ${text}`);
  await shot(page, 'desktop-tier-cliff', false);
  await done();
});

test('demo presets open in one click', async () => {
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  const ids = await page.$$eval('#preset option', (o) => o.map((x) => x.value).filter((v) => v && v !== 'new'));
  assert(ids.length >= 1, 'presets listed');
  for (const id of ids) {
    await page.selectOption('#preset', id);
    await page.waitForSelector('#banner.info');
    await settled(page);
    assert(await page.$('#scenario-error') === null, `preset ${id} computes`);
    assert(await tokens(page) > 0, `preset ${id} has tokens`);
    await shot(page, `desktop-preset-${id}`);
  }
  await done();
});

test('accessibility: labels, inputmode, keyboard tabs, focus, 390 px', async () => {
  const { page, done } = await open(PHONE);
  await page.goto(base);
  await ready(page);
  for (const n of [0, 1, 2, 3, 4]) {
    await tab(page, n);
    const unlabelled = await page.$$eval('input, select, textarea', (els) => els.filter((e) => {
      if (e.type === 'hidden' || e.classList.contains('visually-hidden') && e.type === 'file' && document.querySelector(`label[for="${e.id}"]`)) return false;
      const label = e.id && document.querySelector(`label[for="${e.id}"]`);
      return !(label && label.textContent.trim()) && !e.getAttribute('aria-label') && !e.closest('label');
    }).map((e) => e.id || e.outerHTML.slice(0, 60)));
    eq(unlabelled.length, 0, `tab ${n}: unlabelled inputs ${unlabelled.join(', ')}`);
    eq(await page.$$eval('input[type=number]', (l) => l.length), 0, 'no type=number');
    if (n === 0) assert(await page.$$eval('input[inputmode=numeric]', (l) => l.length) > 0, 'numeric fields use inputmode');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `tab ${n}: page wider than 390 px by ${overflow}`);
  }
  // AA contrast: every visible text against its painted background (≥ 4.5:1, 3:1 when large).
  for (const n of [0, 1]) {
    await tab(page, n);
    const low = await page.evaluate(() => {
      const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const bg = (el) => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
      const bad = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode; const el = node.parentElement;
        if (!node.textContent.trim() || !el || el.closest('svg, option, select, [disabled], .zero, .cal-day')) continue;
        const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
        if (!r.width || cs.visibility === 'hidden' || Number(cs.opacity) < 1 || el.closest('.stale')) continue;
        const a = lum(rgb(cs.color).slice(0, 3)), b = lum(bg(el));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const large = parseFloat(cs.fontSize) >= 24 || (parseFloat(cs.fontSize) >= 18.66 && Number(cs.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) bad.push(`${node.textContent.trim().slice(0, 30)} (${ratio.toFixed(2)})`);
      }
      return bad;
    });
    eq(low.length, 0, `tab ${n}: low-contrast text: ${low.slice(0, 5).join('; ')}`);
  }
  // Keyboard: arrows move between tabs; focus is visible.
  await tab(page, 4);
  await page.focus('#tab-4');
  await page.keyboard.press('ArrowRight');
  eq(await page.evaluate(() => document.activeElement.id), 'tab-0', 'ArrowRight wraps to the first tab');
  eq(await page.getAttribute('#tab-0', 'aria-selected'), 'true', 'selected');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline !== 'none', 'visible focus');
  await done();
});

test('screenshots of each main screen, desktop and 390 px, and print', async () => {
  for (const [label, vp] of [['desktop', DESKTOP], ['mobile', PHONE]]) {
    const { page, done } = await open(vp);
    await page.goto(base);
    await ready(page);
    const names = ['team', 'packs', 'settings', 'assumptions', 'advisor'];
    for (let n = 0; n < names.length; n++) {
      await tab(page, n);
      await shot(page, `${label}-${names[n]}`);
    }
    await page.$eval('#results', (e) => e.scrollIntoView());
    await shot(page, `${label}-results`, false);
    if (label === 'desktop') {
      await tab(page, 1);
      await page.check('#mode-packs');
      await page.fill('#f-packs-0--tokens', '2000');
      await page.emulateMedia({ media: 'print' });
      assert(!(await page.isVisible('.editor')), 'print hides the editor');
      await shot(page, 'print-report');
      await page.emulateMedia({ media: 'screen' });
    }
    await done();
  }
});

test('embed demo: the estimator runs inside a partner page', async () => {
  const { page, done } = await open();
  await page.goto(base + 'embed.html');
  const frame = page.frameLocator('iframe');
  await frame.locator('#summary').waitFor({ timeout: 20000 });
  assert(Number(await frame.locator('#sum-tokens .stat-value').getAttribute('data-value')) > 0, 'results in the frame');
  await shot(page, 'desktop-embed', false);
  await done();
});

test('performance: one edit on a 200-user team, and first render', async () => {
  // First render: the median of five cold loads, each in a fresh profile (no cache). The
  // browser is left a second to finish its own start-up first, as a visitor's browser is
  // already running: loading at once measured that work too (median 276 ms, max 460, vs
  // 238 ms, max 292, for one build by e2e/first-render.js with FR_SETTLE=0 and 1000).
  const firsts = [];
  for (let k = 0; k < 5; k++) {
    const cold = await open();
    await new Promise((r) => setTimeout(r, 1000));
    await cold.page.goto(base);
    await ready(cold.page);
    firsts.push(await cold.page.evaluate(() => window.__flexcalcPerf.first_render));
    perf.detail_first = await cold.page.evaluate(() => ({ ...window.__flexcalcPerf }));
    await cold.done();
  }
  firsts.sort((a, b) => a - b);
  perf.first_render_ms = firsts[2];
  perf.first_render_ms_min = firsts[0];
  perf.first_render_ms_max = firsts[4];
  const { page, done } = await open();
  await page.goto(base);
  await ready(page);
  await importJson(page, bigTeam(200), 'big.json');
  await page.waitForFunction(() => document.querySelectorAll('.users li').length === 200);
  // Select the last user so its editor is on screen, like a user editing it.
  let samples = [];
  for (let i = 0; i < 15; i++) {
    const day = ['sat', 'sun'][i % 2];
    samples.push(await page.evaluate((id) => new Promise((resolve) => {
      const target = document.querySelector('#sum-tokens .stat-value');
      const box = document.getElementById(id);
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        obs.disconnect();
        const dom = performance.now() - t0;
        // And until the frame with the change is laid out and painted.
        requestAnimationFrame(() => setTimeout(() => resolve([dom, performance.now() - t0]), 0));
      });
      obs.observe(target, { subtree: true, childList: true, characterData: true, attributes: true });
      box.click();
    }), `wd-0-0-${day}`));
  }
  const painted = samples.map((x) => x[1]).sort((a, b) => a - b);
  perf.edit_200_users_painted_ms_median = painted[Math.floor(painted.length / 2)];
  samples = samples.map((x) => x[0]);
  perf.detail_last_edit = await page.evaluate(() => ({ ...window.__flexcalcPerf }));
  samples.sort((a, b) => a - b);
  perf.edit_200_users_ms_median = samples[Math.floor(samples.length / 2)];
  perf.edit_200_users_ms_max = samples[samples.length - 1];
  perf.edit_200_users_ms_min = samples[0];
  await page.reload();
  await ready(page);
  perf.first_render_200_users_ms = await page.evaluate(() => window.__flexcalcPerf.first_render);
  await done();
});

// Further suites, one file each (e2e/suite-*.js): each exports a function that registers
// its tests with the helpers above.
const helpers = { test, open, ready, tokens, cost, costText, stored, idbRecord, shot, tab, importJson, download, assert, eq, bigTeam, perf, tmpRoot, CLI, ROOT, DESKTOP, PHONE, base: () => base };
for (const f of fs.readdirSync(__dirname).filter((n) => /^suite-.*\.js$/.test(n)).sort()) {
  require(path.join(__dirname, f))(helpers);
}

(async () => {
  const server = await serve(DIST, 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  const only = process.env.E2E_ONLY;
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const start = Date.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true });
      console.log(`ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      results.push({ name: t.name, ok: false });
      console.log(`FAIL ${t.name}\n     ${String(e.stack || e).split('\n').slice(0, 4).join('\n     ')}`);
    }
  }
  server.close();
  try { fs.rmSync(tmpRoot, { recursive: true, force: true }); } catch (e) { /* a browser may still be closing */ }
  if (Object.keys(perf).length) {
    const fmt = (v) => (typeof v === 'number' ? v.toFixed(1) : v);
    perf.load_average = os.loadavg().map((v) => Number(v.toFixed(2)));
    if (perf.detail_last_edit) {
      console.log(`perf: first render ${fmt(perf.first_render_ms)} ms median of 5 cold loads in a settled browser (min ${fmt(perf.first_render_ms_min)}, max ${fmt(perf.first_render_ms_max)}; target ≤ 300)`);
      console.log(`perf: one edit on a 200-user team, re-simulate + re-render: median ${fmt(perf.edit_200_users_ms_median)} ms (min ${fmt(perf.edit_200_users_ms_min)}, max ${fmt(perf.edit_200_users_ms_max)}; target ≤ 16; the engine's worker took ${fmt(perf.detail_last_edit.worker_ms)} ms of the last edit); until painted: median ${fmt(perf.edit_200_users_painted_ms_median)} ms`);
      console.log(`perf: reload with 200 users ${fmt(perf.first_render_200_users_ms)} ms; machine load average ${perf.load_average.join(' ')} on ${os.cpus().length} cores`);
    }
    if (perf.sensitivity_200_users_ms !== undefined) {
      console.log(`perf: advisor, in its worker: 200 users with offerings planned in ${fmt(perf.advise_200_users_ms)} ms; usage sensitivity (11 searches): preset ${fmt(perf.sensitivity_preset_ms)} ms, 200 users ${fmt(perf.sensitivity_200_users_ms)} ms (longest frame meanwhile ${fmt(perf.sensitivity_200_users_longest_frame_ms)} ms over ${perf.sensitivity_200_users_frames} frames)`);
    }
    fs.writeFileSync(path.join(OUT, 'perf.json'), JSON.stringify(perf, null, 2));
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`screenshots: ${path.relative(ROOT, SHOTS)}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
