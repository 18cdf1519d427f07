// The partner widget (docs/embedding.md): dist/embed-demo.html, a mock partner page with
// aggressive CSS under the strict policy, two compact <flex-estimator>s and the full app in
// an iframe; the JavaScript API against the native CLI; the widget served from another
// origin. Needs scripts/build-widget.sh DIST to have run after Trunk.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'";
// The first estimate's page: the snippet of docs/embedding.md and nothing else.
const FIRST_PAGE = `<!doctype html><meta charset="utf-8"><title>first estimate</title>
<script type="module" src="widget/flexcalc-widget.js"></script>
<flex-estimator currency="EUR" products="revit,autocad"></flex-estimator>`;

module.exports = (h) => {
  const { test, open, assert, eq, DESKTOP, PHONE, ROOT, perf } = h;
  const SHOTS = path.join(__dirname, 'out', 'screenshots');
  const demo = () => `${h.base()}embed-demo.html`;

  /** The demo page, its violations collected from the start, both widgets answered. */
  async function openDemo(viewport = DESKTOP) {
    const o = await open(viewport);
    await o.page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await o.page.goto(demo());
    await firstEstimates(o.page, ['w-eur', 'w-jpy']);
    return o;
  }
  const firstEstimates = (page, ids) => page.waitForFunction((want) => want.every((id) => (window.__widgetEvents || []).some((e) => e.id === id && e.type === 'estimate-change')), ids, { timeout: 20000 });
  /** Waits for the next estimate-change of widget `id` after `action`; its detail. */
  async function nextEstimate(page, id, action) {
    const n = await page.evaluate((i) => window.__widgetEvents.filter((e) => e.id === i && e.type === 'estimate-change').length, id);
    await action();
    await page.waitForFunction(([i, k]) => window.__widgetEvents.filter((e) => e.id === i && e.type === 'estimate-change').length > k, [id, n], { timeout: 20000 });
    return page.evaluate((i) => window.__widgetEvents.filter((e) => e.id === i && e.type === 'estimate-change').pop().detail, id);
  }
  const shown = (page, id, name) => page.$eval(`#${id}`, (w, n) => w.shadowRoot.querySelector(`[data-name="${n}"] .value`).textContent, name);
  const violations = async (page) => (await page.evaluate(() => window.__cspViolations)).join('; ');
  /** The engine's own report for the scenario an estimate was made from, through the API. */
  const report = (page, scenario) => page.evaluate(async (s) => (await import('./widget/flexcalc-widget.js')).simulate(s, { summary: true }), scenario);

  test('widget: the demo page under the strict policy: two compact widgets and the full app render, isolated both ways, no violation, screenshots', async () => {
    const { page, done } = await openDemo();
    for (const id of ['w-eur', 'w-jpy']) {
      assert(/\d/.test(await shown(page, id, 'tokens')), `${id}: tokens shown`);
      assert(/\d/.test(await shown(page, id, 'total')), `${id}: cost shown`);
      assert(/\d/.test(await shown(page, id, 'per-user')), `${id}: cost per user per month shown`);
    }
    assert(/€/.test(await shown(page, 'w-eur', 'total')), 'euros');
    assert(/[¥￥]/.test(await shown(page, 'w-jpy', 'total')), 'yen');
    eq(await page.$eval('#w-jpy', (w) => w.shadowRoot.querySelector('label').textContent), '何人で使いますか?', 'the lang="ja" widget speaks Japanese');
    // Flex against a subscription, from the EUR widget's offerings.
    assert(await page.$eval('#w-eur', (w) => w.shadowRoot.querySelectorAll('table[part=compare] tbody tr').length) >= 1, 'Flex vs subscription table');
    // In: the page's `* { color: red !important; font-size: 31px !important }` stops at the shadow root.
    const inside = await page.$eval('#w-eur', (w) => [...w.shadowRoot.querySelectorAll('label, .value, .label, button, input, select, td, footer')].map((e) => {
      const cs = getComputedStyle(e);
      return { tag: e.tagName, size: cs.fontSize, color: cs.color, border: cs.borderTopStyle, family: cs.fontFamily };
    }));
    assert(inside.length > 10, 'elements inside');
    for (const e of inside) {
      assert(e.size !== '31px', `${e.tag} keeps its own font size (${e.size})`);
      assert(e.color !== 'rgb(176, 0, 32)', `${e.tag} keeps its own colour`);
      assert(e.border !== 'dashed', `${e.tag}: no dashed border from the page`);
      assert(!/Comic/.test(e.family), `${e.tag}: not the page's font`);
    }
    // The theme does pass: the page's --flex-accent and ::part(cta).
    eq(await page.$eval('#w-eur', (w) => getComputedStyle(w.shadowRoot.querySelector('.value')).color), 'rgb(11, 122, 62)', '--flex-accent from the page');
    eq(await page.$eval('#w-eur', (w) => getComputedStyle(w.shadowRoot.querySelector('button')).textTransform), 'uppercase', '::part(cta) from the page');
    // Out: nothing of the widget's CSS reaches the page.
    const out = await page.evaluate(() => ({
      adopted: document.adoptedStyleSheets.length,
      sheets: document.styleSheets.length,
      p: getComputedStyle(document.querySelector('.partner-note')).fontSize,
      h2: [getComputedStyle(document.querySelector('h2')).fontSize, getComputedStyle(document.querySelector('h2')).color],
    }));
    eq(out.adopted, 0, 'no style sheet adopted by the document');
    eq(out.sheets, 1, "the page's own style sheet only");
    eq(out.h2.join(' '), '31px rgb(176, 0, 32)', "the page's CSS still applies to the page");
    // The full form: the app in an iframe, answering inside it.
    await page.waitForFunction(() => document.querySelector('#w-full').shadowRoot.querySelector('iframe'));
    // The frame loads lazily, once near the viewport.
    await page.$eval('#w-full', (w) => w.scrollIntoView());
    let app;
    for (let k = 0; k < 100 && !app; k++) {
      app = page.frames().find((f) => f !== page.mainFrame() && /index\.html/.test(f.url()));
      if (!app) await page.waitForTimeout(100);
    }
    assert(app, `the app's frame (${page.frames().map((f) => f.url()).join(', ')})`);
    await app.waitForSelector('.results-body[data-full="true"] #sum-tokens', { timeout: 30000 });
    assert(Number(await app.$eval('#sum-tokens .stat-value', (e) => e.dataset.value)) > 0, "the app's results in the frame");
    await page.waitForTimeout(300);
    eq(await violations(page), '', 'no CSP violation');
    await page.screenshot({ path: path.join(SHOTS, 'widget-demo-desktop.png'), fullPage: true });
    await done();
    const phone = await openDemo(PHONE);
    const overflow = await phone.page.$eval('#w-eur', (w) => w.shadowRoot.querySelector('.w').scrollWidth - w.shadowRoot.querySelector('.w').clientWidth);
    assert(overflow <= 1, `no horizontal overflow at 390 px (${overflow})`);
    await phone.page.screenshot({ path: path.join(SHOTS, 'widget-demo-390.png'), fullPage: true });
    eq(await violations(phone.page), '', 'no CSP violation at 390 px');
    await phone.done();
  });

  test('widget: first estimate after the module starts loading, and the bundle it loads', async () => {
    const times = [];
    let bytes = 0;
    // A partner page holding one compact widget and nothing else (the demo page also loads
    // the whole app in its iframe, which shares the main thread).
    const url = `${h.base()}widget-first.html`;
    for (let k = 0; k < 5; k++) {
      const { page, done } = await open();
      await page.route(url, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': CSP }, body: FIRST_PAGE }));
      await new Promise((r) => setTimeout(r, 300));
      await page.goto(url);
      await page.waitForFunction(() => document.querySelector('flex-estimator').estimate, null, { timeout: 20000 });
      const t = await page.evaluate(async () => {
        const mod = performance.getEntriesByType('resource').find((e) => /widget\/flexcalc-widget\.js$/.test(e.name));
        // The module's own record: when the widget's first estimate was on its page.
        const first = (await import('./widget/flexcalc-widget.js')).timings.firstEstimate;
        const loaded = performance.getEntriesByType('resource').filter((e) => /\/widget\//.test(e.name)).map((e) => [e.name.replace(/.*\/widget\//, ''), e.encodedBodySize]);
        return { ms: first - mod.startTime, loaded };
      });
      times.push(t.ms);
      eq(t.loaded.map((x) => x[0]).sort().join(' '), 'engine.js engine_bg.wasm flexcalc-widget.js widget-strings.js', 'what a compact widget in UTC loads');
      bytes = t.loaded.reduce((a, x) => a + x[1], 0);
      await done();
    }
    times.sort((a, b) => a - b);
    perf.widget_first_estimate_ms = times[2];
    const load = require('os').loadavg()[0].toFixed(2);
    console.log(`perf: widget first estimate shown ${times[2].toFixed(1)} ms after its module starts loading (median of 5 cold loads: ${times.map((x) => x.toFixed(1)).join(', ')}; target ≤ 300; load average ${load}); ${bytes} B fetched (uncompressed server)`);
    // A figure to read, like the app's, never asserted: the machine is shared (a run at load
    // average 13 never once reached 300 ms, with nothing wrong in the widget).
    try {
      console.log(execFileSync('bash', [path.join(ROOT, 'scripts/widget-budget.sh'), path.resolve(process.argv[2] || path.join(ROOT, 'dist'))], { encoding: 'utf8' }).trim().split('\n').filter((l) => /widget bundle/.test(l)).join('\n'));
    } catch (e) {
      throw new Error(`widget budget: ${e.stdout || e.message}`);
    }
  });

  test('widget: attributes are live and every estimate-change carries the engine figures', async () => {
    const { page, done } = await openDemo();
    const check = async (d, what) => {
      const r = await report(page, d.scenario);
      eq(d.tokens, r.totals.tokens, `${what}: tokens are the report's`);
      eq(d.total, r.order.total, `${what}: total is the cheapest order's`);
      eq(JSON.stringify(d.order), JSON.stringify(r.order), `${what}: the order is the report's`);
      eq(d.currency, r.order.currency, `${what}: currency`);
      assert(typeof d.total === 'string' && /^\d+(\.\d+)?$/.test(d.total), `${what}: money as a decimal string (${d.total})`);
    };
    const first = await page.evaluate(() => window.__widgetEvents.find((e) => e.id === 'w-eur').detail);
    await check(first, 'first estimate');
    eq(first.currency, 'EUR', 'first currency');
    // currency
    const gbp = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => w.setAttribute('currency', 'GBP')));
    eq(gbp.currency, 'GBP', 'currency attribute');
    assert(gbp.total !== first.total, `a GBP total (${gbp.total}) differs from the EUR one (${first.total})`);
    assert(/£/.test(await shown(page, 'w-eur', 'total')), 'pounds shown');
    await check(gbp, 'GBP');
    // the visitor's answers: people, products, frequency
    const more = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => {
      const i = w.shadowRoot.querySelector('#fe-people');
      i.value = '12';
      i.dispatchEvent(new Event('input'));
    }));
    assert(more.tokens > gbp.tokens, `12 people burn more than 5 (${gbp.tokens} → ${more.tokens})`);
    eq(more.scenario.users.length, 12, '12 users in the scenario');
    await check(more, '12 people');
    const two = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => w.shadowRoot.querySelector('input[value=revit]').click()));
    assert(two.tokens > more.tokens, 'adding Revit adds tokens');
    const full = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => {
      const s = w.shadowRoot.querySelector('select');
      s.value = 'fulltime';
      s.dispatchEvent(new Event('change'));
    }));
    assert(full.tokens > two.tokens, 'full-time burns more than occasional');
    eq(JSON.stringify(full.scenario.users[0].usage[0].weekly.days), '["mon","tue","wed","thu","fri"]', 'the full-time template');
    const days = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => {
      const s = w.shadowRoot.querySelector('select');
      s.value = 'days';
      s.dispatchEvent(new Event('change'));
      const d = w.shadowRoot.querySelector('#fe-days');
      d.value = '7';
      d.dispatchEvent(new Event('input'));
    }));
    eq(days.scenario.users[0].usage[0].monthly.days, 7, 'days a month: the monthly pattern');
    await check(days, '7 days a month');
    // lang, products
    await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => w.setAttribute('lang', 'fr')));
    eq(await page.$eval('#w-eur', (w) => w.shadowRoot.querySelector('label').textContent), 'Combien de personnes ?', 'lang="fr"');
    const prods = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => w.setAttribute('products', 'navisworks,maya')));
    eq(await page.$eval('#w-eur', (w) => [...w.shadowRoot.querySelectorAll('.chip input')].map((i) => i.value).join(',')), 'navisworks,maya', 'products offered');
    eq(prods.scenario.users[0].usage.map((u) => u.product).join(','), 'navisworks', 'the first offered product picked');
    // config: the partner's own price book changes the money, not the tokens
    const book = { currency: 'EUR', minor_units: 2, tiers: [{ from: 1, price: '2.50' }], packs: [100] };
    const eur = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => w.setAttribute('currency', 'EUR')));
    const own = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w, b) => w.setAttribute('config', JSON.stringify({ price_book: b })), book));
    eq(own.tokens, eur.tokens, 'a price book changes no token');
    eq(own.order.unit_price, '2.50', "the partner's unit price");
    await check(own, 'own price book');
    // scenario-src: a scenario in Europe/Paris (the zone's file fetched from widget/tz/)
    const preset = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/architecture-studio.json'), 'utf8'));
    const src = await nextEstimate(page, 'w-jpy', () => page.$eval('#w-jpy', (w) => { w.removeAttribute('currency'); w.setAttribute('scenario-src', 'presets/architecture-studio.json'); }));
    const cli = JSON.parse(execFileSync(h.CLI, ['simulate', path.join(ROOT, 'examples/architecture-studio.json'), '--summary'], { encoding: 'utf8' }));
    eq(src.tokens, cli.totals.tokens, `scenario-src (${preset.timezone}): the CLI's tokens`);
    assert(cli.order, 'the preset is an estimate: the CLI orders');
    eq(src.total, cli.order.total, "scenario-src: the CLI's total");
    assert(await page.$eval('#w-jpy', (w) => w.shadowRoot.querySelector('form').hidden), 'a given scenario hides the questions');
    // inline scenario
    const inline = { flexcalc: 1, name: 'Inline', currency: 'GBP', timezone: 'UTC', period: { start: '2027-01-01', months: 12 }, users: [{ id: 'a', usage: [{ product: 'revit', weekly: { days: ['mon'], from: '09:00', to: '17:00' } }] }] };
    const inl = await nextEstimate(page, 'w-jpy', () => page.$eval('#w-jpy', (w, s) => w.setAttribute('scenario', JSON.stringify(s)), inline));
    const r = await report(page, inline);
    eq(inl.tokens, r.totals.tokens, 'inline scenario: tokens');
    eq(inl.currency, 'GBP', "the scenario's own currency when the attribute is absent");
    eq(await violations(page), '', 'no CSP violation');
    await done();
  });

  test('widget: the call to action sends estimate-cta with a share link that opens the same team in the app', async () => {
    const { page, done } = await openDemo();
    const before = await page.evaluate(() => window.__widgetEvents.find((e) => e.id === 'w-eur').detail);
    await page.$eval('#w-eur', (w) => w.shadowRoot.querySelector('button[part=cta]').click());
    await page.waitForFunction(() => window.__widgetEvents.some((e) => e.type === 'estimate-cta'));
    const cta = await page.evaluate(() => window.__widgetEvents.find((e) => e.type === 'estimate-cta').detail);
    eq(cta.tokens, before.tokens, 'the estimate in the event');
    assert(cta.share.startsWith(`${h.base()}#s=`), `share link at the app (${cta.share.slice(0, 60)})`);
    eq(page.context().pages().length, 1, 'preventDefault kept the visitor on the page');
    await done();
    const app = await open();
    await app.page.goto(cta.share);
    await h.ready(app.page);
    eq(await h.tokens(app.page), cta.tokens, "the share link opens the widget's team in the app");
    await app.done();
  });

  test('widget: two widgets stay independent, and one removed is released', async () => {
    const { page, done } = await openDemo();
    const jpy0 = await page.evaluate(() => window.__widgetEvents.filter((e) => e.id === 'w-jpy').length);
    await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => w.setAttribute('currency', 'GBP')));
    await page.waitForTimeout(200);
    eq(await page.evaluate(() => window.__widgetEvents.filter((e) => e.id === 'w-jpy').length), jpy0, 'the other widget did not re-estimate');
    assert(/[¥￥]/.test(await shown(page, 'w-jpy', 'total')), 'the other widget keeps its currency');
    eq(await page.$eval('#w-jpy', (w) => w.estimate.currency), 'JPY', 'its estimate is its own');
    // Removed: no more estimates, nothing left in its shadow root; put back: alive again.
    await page.evaluate(() => { window.__removed = document.getElementById('w-eur'); window.__removed.remove(); window.__removed.setAttribute('currency', 'JPY'); });
    await page.waitForTimeout(300);
    eq(await page.evaluate(() => window.__removed.shadowRoot.childElementCount), 0, 'released');
    const n = await page.evaluate(() => window.__widgetEvents.filter((e) => e.id === 'w-eur').length);
    await page.waitForTimeout(200);
    eq(await page.evaluate(() => window.__widgetEvents.filter((e) => e.id === 'w-eur').length), n, 'no estimate after removal');
    const back = await nextEstimate(page, 'w-eur', () => page.evaluate(() => document.querySelector('main section').append(window.__removed)));
    eq(back.currency, 'JPY', 'back on the page with the attribute set meanwhile');
    // A third widget made by script, with defaults.
    await page.evaluate(() => { const w = document.createElement('flex-estimator'); w.id = 'w-new'; document.body.append(w); });
    await firstEstimates(page, ['w-new']);
    eq(await page.$eval('#w-new', (w) => w.estimate.currency), 'EUR', 'a default widget estimates in EUR');
    await done();
  });

  test('widget: bad configuration shows a message naming the attribute, and nothing is thrown into the page', async () => {
    const { page, errors, done } = await openDemo();
    const message = (id) => page.$eval(`#${id}`, (w) => { const e = w.shadowRoot.querySelector('[part=error]'); return e && !e.hidden ? e.textContent : ''; });
    const bad = async (attr, value, want) => {
      await page.$eval('#w-eur', (w, [a, v]) => w.setAttribute(a, v), [attr, value]);
      await page.waitForFunction((re) => new RegExp(re).test((() => { const e = document.querySelector('#w-eur').shadowRoot.querySelector('[part=error]'); return e && !e.hidden ? e.textContent : ''; })()), want.source, { timeout: 10000 })
        .catch(async (e) => { throw new Error(`${attr}=${value}: ${await message('w-eur')} (${e.message})`); });
      const text = await message('w-eur');
      assert(want.test(text), `${attr}=${value}: ${text}`);
      return text;
    };
    const good = await page.$eval('#w-eur', (w) => w.getAttribute('config'));
    console.log(`  ${await bad('config', '{"branding": {', /config attribute: not JSON/)}`);
    await bad('config', '{"price_book":{"currency":"EUR","minor_units":2,"tiers":[{"from":2,"price":"3"}],"packs":[100]}}', /config attribute: price_book\.tiers\[0\]\.from/);
    await bad('config', '{"cta":{"href":"javascript:alert(1)"}}', /config attribute: cta\.href/);
    await page.$eval('#w-eur', (w, c) => w.setAttribute('config', c), good);
    console.log(`  ${await bad('currency', 'USD', /currency attribute: "USD" is not one of JPY, EUR, GBP|currency attribute: "USD" is not one of/)}`);
    await page.$eval('#w-eur', (w) => w.setAttribute('currency', 'EUR'));
    await bad('products', 'autocad,nosuchthing', /products attribute: "nosuchthing" is not a product id/);
    await page.$eval('#w-eur', (w) => w.removeAttribute('products'));
    const scenario = { flexcalc: 1, currency: 'EUR', timezone: 'UTC', period: { start: '2027-01-01', months: 12 }, users: [{ id: 'a', usage: [{ product: 'revit', weekly: { days: ['mon'], from: '25:00', to: '17:00' } }] }] };
    console.log(`  ${await bad('scenario', JSON.stringify(scenario), /scenario attribute: users\[0\]\.usage\[0\]\.weekly\.from: "25:00" is not a time of day/)}`);
    await bad('scenario', '{"flexcalc": 1,', /scenario attribute: .*line 1, column/);
    await page.$eval('#w-eur', (w) => w.removeAttribute('scenario'));
    await bad('scenario-src', 'nowhere.json', /scenario-src attribute: nowhere\.json could not be fetched \(HTTP 404\)/);
    // The one request that failed is the 404 this step asked for; nothing else went wrong.
    const rest = errors.filter((e) => !/nowhere\.json/.test(e) && !/404/.test(e));
    eq(rest.join('\n'), '', 'no error in the page');
    errors.length = 0;
    // Fixed again: the estimate is back.
    const back = await nextEstimate(page, 'w-eur', () => page.$eval('#w-eur', (w) => { w.removeAttribute('scenario-src'); w.removeAttribute('scenario'); }));
    assert(back.tokens > 0, 'estimates again once the attributes are right');
    eq(await message('w-eur'), '', 'the message is gone');
    eq(await violations(page), '', 'no CSP violation');
    await done();
  });

  test('widget: the JavaScript API gives the CLI\'s answers byte for byte (simulate and advise on random scenarios, quote), errors the engine\'s', async () => {
    assert(h.CLI, 'the CLI is built (cargo build --bin flexcalc)');
    const dir = fs.mkdtempSync(path.join(h.tmpRoot, 'random-'));
    execFileSync('python3', [path.join(ROOT, 'scripts/random-scenarios.py'), '0', '130', dir]);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f))
      .concat(['architecture-studio', 'manufacturing-run-dry', 'media-seasonal', 'partner-price-book'].map((n) => path.join(ROOT, 'examples', `${n}.json`)));
    assert(files.length >= 200, `${files.length} scenarios`);
    const native = (args) => {
      const r = spawnSync(h.CLI, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
      // The CLI's messages start with its name; the engine's message follows.
      return r.status === 0 ? { ok: r.stdout.replace(/\n$/, '') } : { err: r.stderr.replace(/\n$/, '').replace(/^flexcalc: /, ''), status: r.status };
    };
    const { page, done } = await open();
    await page.goto(demo());
    await firstEstimates(page, ['w-eur']);
    let same = 0;
    let refused = 0;
    let objects = 0;
    const differ = [];
    for (const [cmd, fn, opts] of [['simulate', 'simulateText', {}], ['advise', 'adviseText', { sensitivity: false }]]) {
      for (let i = 0; i < files.length; i += 20) {
        const batch = files.slice(i, i + 20);
        const texts = batch.map((f) => fs.readFileSync(f, 'utf8'));
        const got = await page.evaluate(async ([t, f, o]) => {
          const api = await import('./widget/flexcalc-widget.js');
          const out = [];
          for (const text of t) {
            try {
              const s = await api[f](text, o);
              // The plain object, written back as the CLI writes it.
              const obj = f === 'simulateText' ? JSON.stringify(await api.simulate(text), null, 2) === s : null;
              out.push({ ok: s, obj });
            } catch (e) { out.push({ err: e.message }); }
          }
          return out;
        }, [texts, fn, opts]);
        batch.forEach((f, k) => {
          const want = native([cmd, f]);
          const g = got[k];
          if (g.err !== undefined) refused++;
          if (g.obj) objects++;
          // simulate's plain object, written back, is the CLI's text too.
          else if (cmd === 'simulate' && g.ok !== undefined) differ.push(`simulate ${path.basename(f)}: the plain object differs from the text`);
          if ((want.ok !== undefined && want.ok === g.ok) || (want.err !== undefined && want.err === g.err)) same++;
          else differ.push(`${cmd} ${path.basename(f)}: native ${JSON.stringify((want.ok || want.err || '').slice(0, 160))} / browser ${JSON.stringify((g.ok || g.err || '').slice(0, 160))}`);
        });
      }
    }
    console.log(`  API vs CLI: ${same} identical, ${differ.length} different (${files.length} scenarios × simulate, advise; ${refused} refused with the engine's message; ${objects} simulate objects re-serialized identically)`);
    perf.widget_api_vs_cli = { same, differ: differ.length, scenarios: files.length };
    eq(differ.slice(0, 5).join('\n'), '', 'the browser API equals the CLI');
    // quote, and a located error
    const q = await page.evaluate(async () => (await import('./widget/flexcalc-widget.js')).quote('EUR', 24500));
    eq(JSON.stringify(q, null, 2), native(['quote', '--currency', 'EUR', '--tokens', '24500']).ok, 'quote equals the CLI');
    const err = await page.evaluate(async () => {
      try { await (await import('./widget/flexcalc-widget.js')).simulate({ flexcalc: 1, currency: 'EUR', timezone: 'UTC', period: { start: '2027-01-01', months: 12 }, users: [{ id: 'a', usage: [{ product: 'revit', weekly: { days: ['mon'], from: '25:00', to: '17:00' } }] }] }); return null; } catch (e) { return [e instanceof Error, e.message]; }
    });
    assert(err && err[0], 'an Error');
    eq(err[1], 'users[0].usage[0].weekly.from: "25:00" is not a time of day (expected HH:MM, 00:00 to 23:59)', "the engine's located message");
    await done();
  });

  test('widget: served from another origin (CORS) on a partner page under the strict policy', async () => {
    const dist = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
    // The widget's host: dist/widget/ with Access-Control-Allow-Origin (docs/embedding.md).
    const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
    const files = http.createServer((req, res) => {
      const p = path.normalize(path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (!p.startsWith(dist) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': TYPES[path.extname(p)] || 'application/octet-stream', 'access-control-allow-origin': '*' });
      fs.createReadStream(p).pipe(res);
    });
    await new Promise((r) => files.listen(0, '127.0.0.1', r));
    const widgetOrigin = `http://127.0.0.1:${files.address().port}`;
    // The partner's page on another origin (localhost vs 127.0.0.1), its policy naming the widget's origin.
    const policy = `default-src 'self'; script-src 'self' ${widgetOrigin} 'wasm-unsafe-eval'; connect-src 'self' ${widgetOrigin}; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'`;
    const partner = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy });
      res.end(`<!doctype html><title>partner</title><script type="module" src="${widgetOrigin}/widget/flexcalc-widget.js"></script>
<flex-estimator id="x" currency="GBP" scenario='{"flexcalc":1,"currency":"GBP","timezone":"Asia/Tokyo","period":{"start":"2027-01-01","months":12},"users":[{"id":"a","usage":[{"product":"revit","weekly":{"days":["mon"],"from":"09:00","to":"17:00"}}]}]}'></flex-estimator>`);
    });
    await new Promise((r) => partner.listen(0, '127.0.0.1', r));
    const { page, done } = await open();
    const seen = [];
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page.on('request', (r) => seen.push(r.url()));
    try {
      await page.goto(`http://localhost:${partner.address().port}/`);
      await page.waitForFunction(() => document.getElementById('x').estimate, null, { timeout: 20000 });
      const d = await page.$eval('#x', (w) => w.estimate);
      assert(d.tokens > 0, 'an estimate from the other origin');
      assert(seen.some((u) => u.endsWith('/widget/tz/Asia/Tokyo')), "the scenario's zone fetched from the widget's origin");
      eq(await violations(page), '', 'no CSP violation');
    } finally {
      files.close();
      partner.close();
    }
    await done();
  });

  test('widget: the iframe protocol (partner side): handshake, requests and events from the app\'s exact origin only', async () => {
    // A stand-in for the app's side (docs/embedding.md): answers an allowed origin only, and
    // a rogue frame of a third origin posting look-alike estimates to its parent.
    const dist = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
    // Pages written when asked, once every server has its port.
    const serveHtml = (body) => http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(body()); });
    let partnerOrigin;
    const app = serveHtml(() => `<!doctype html><title>app</title><script>
      const ALLOWED = ${JSON.stringify([partnerOrigin])};
      let parentOrigin = null;
      window.addEventListener('message', (e) => {
        const m = e.data;
        if (!ALLOWED.includes(e.origin) || !m || m.flexcalc !== 1) return;
        const reply = (type, detail) => e.source.postMessage({ flexcalc: 1, type, id: m.id, detail }, e.origin);
        if (m.type === 'flexcalc:hello') {
          parentOrigin = e.origin;
          reply('flexcalc:ready', { version: 1 });
          setTimeout(() => parent.postMessage({ flexcalc: 1, type: 'flexcalc:estimate', detail: { tokens: 4242, currency: 'EUR', total: '12726.00', order: null, scenario: null } }, parentOrigin), 50);
        } else if (m.type === 'flexcalc:get-estimate') reply('flexcalc:estimate', { tokens: 4242 });
        else if (m.type === 'flexcalc:set-scenario') {
          if (!m.detail.scenario.users) reply('flexcalc:error', { message: 'users: missing' });
          else reply('flexcalc:estimate', { tokens: 7, scenario: m.detail.scenario });
        }
      });
    </script>`);
    const rogue = serveHtml(() => `<!doctype html><title>rogue</title><script>
      setInterval(() => parent.postMessage({ flexcalc: 1, type: 'flexcalc:estimate', detail: { tokens: 666 } }, '*'), 100);
      setInterval(() => parent.postMessage({ flexcalc: 1, type: 'flexcalc:ready', detail: {} }, '*'), 100);
    </script>`);
    await Promise.all([app, rogue].map((x) => new Promise((r) => x.listen(0, '127.0.0.1', r))));
    // Other ports of the same host: other origins (Chromium's local network checks refuse a
    // frame of `localhost` in a page of 127.0.0.1).
    const appUrl = `http://127.0.0.1:${app.address().port}/`;
    const rogueUrl = `http://127.0.0.1:${rogue.address().port}/`;
    // The partner's page from a server of its own (Chromium's local network checks refuse
    // frames in a page that the test fulfils itself).
    const partner = http.createServer((req, res) => {
      const p = new URL(req.url, 'http://x').pathname;
      if (p === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><meta charset="utf-8"><title>protocol</title>
<script type="module" src="widget/flexcalc-widget.js"></script>
<flex-estimator id="f" layout="full" config='${JSON.stringify({ app: appUrl })}'></flex-estimator>
<iframe id="rogue" src="${rogueUrl}"></iframe><iframe id="own" src="${appUrl}"></iframe>`);
      }
      if (p === '/favicon.ico') { res.writeHead(204); return res.end(); }
      const f = path.join(dist, path.normalize(p));
      if (!f.startsWith(path.join(dist, 'widget')) || !fs.existsSync(f)) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': f.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
      fs.createReadStream(f).pipe(res);
    });
    await new Promise((r) => partner.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${partner.address().port}/`;
    partnerOrigin = new URL(url).origin;
    const { page, done } = await open();
    try {
      await page.addInitScript(() => {
        window.__got = [];
        document.addEventListener('estimate-change', (e) => window.__got.push(e.detail.tokens));
      });
      await page.goto(url);
      await page.waitForFunction(() => window.__got.length > 0, null, { timeout: 20000 });
      await page.waitForTimeout(400);
      eq((await page.evaluate(() => window.__got)).join(','), '4242', "layout=full: the app's estimate, not the rogue frame's");
      const r = await page.evaluate(async () => {
        const api = await import('./widget/flexcalc-widget.js');
        const out = {};
        try { api.connectApp(document.getElementById('own'), '*'); } catch (e) { out.star = e.message; }
        // Pointed at the rogue frame with the app's origin: its messages have the wrong origin.
        const wrong = api.connectApp(document.getElementById('rogue'), document.getElementById('own').src);
        const own = api.connectApp(document.getElementById('own'), new URL(document.getElementById('own').src).origin);
        const events = [];
        own.on('flexcalc:estimate', (d) => events.push(d.tokens));
        out.ready = await own.ready;
        out.get = (await own.getEstimate()).tokens;
        out.set = (await own.setScenario({ flexcalc: 1, users: [] })).tokens;
        try { await own.setScenario({ flexcalc: 1 }); } catch (e) { out.error = e.message; }
        await new Promise((res) => setTimeout(res, 300));
        out.events = events;
        out.wrong = await Promise.race([wrong.ready.then(() => 'answered', () => 'refused'), new Promise((res) => setTimeout(() => res('silent'), 1000))]);
        wrong.close();
        own.close();
        return out;
      });
      assert(/exact origin/.test(r.star), `'*' refused (${r.star})`);
      eq(JSON.stringify(r.ready), '{"version":1}', 'handshake answered');
      eq(r.get, 4242, 'get-estimate answered');
      eq(r.set, 7, 'set-scenario answered');
      eq(r.error, 'users: missing', "a refusal rejects with the app's message");
      eq(r.events.join(','), '4242', "the app's event, once");
      assert(r.wrong !== 'answered', `a frame of another origin is never taken for the app (${r.wrong})`);
    } finally {
      app.close();
      rogue.close();
      partner.close();
    }
    await done();
  });

  test('widget: the TypeScript declarations check (tsc --noEmit on e2e/widget-types/example.ts)', async () => {
    const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
    assert(fs.existsSync(tsc), 'typescript is installed (npm ci)');
    const r = spawnSync(tsc, ['--noEmit', '-p', path.join(__dirname, 'widget-types')], { encoding: 'utf8' });
    eq(r.status, 0, `tsc: ${r.stdout}${r.stderr}`);
  });
};

