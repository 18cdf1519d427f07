// The page answers before the wasm arrives: the starter team's estimate is prerendered into
// index.html (fr.html, ja.html) at build time by the app's own components
// (scripts/prerender.sh), shown with JavaScript off, and replaced by the live app once it
// shows its own answer (www/boot.js). Prints the time to a painted token figure and to live
// results on Chrome's "Fast 3G" (1.6 Mbit/s down, 750 kbit/s up, 150 ms), and on localhost;
// asserts behaviour only, never timings (targets: figure ≤ 1.5 s and live ≤ 4 s on Fast 3G,
// first render ≤ 300 ms on localhost).
'use strict';
const path = require('path');

const FAST_3G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };

/** Marks, in the page's clock (ms since navigation): a token figure in the DOM, then painted
 * (the task after the frame that drew it), and the live app showing its answer with the
 * prerendered copy gone; and whether the copy ever left before the live answer was there. */
function marks() {
  const fp = (window.__firstPaint = { gapless: true });
  const mark = (k) => {
    fp[`${k}_dom`] = performance.now();
    requestAnimationFrame(() => setTimeout(() => { fp[k] = performance.now(); }, 0));
  };
  let sawCopy = false;
  const check = () => {
    const copy = document.getElementById('prerender');
    if (copy) sawCopy = true;
    if (!fp.figure_dom && document.querySelector('[id="pre-sum-tokens"] .stat-value, #sum-tokens .stat-value')) mark('figure');
    const live = document.querySelector('#app .results-body[aria-busy="false"] #sum-tokens .stat-value');
    if (sawCopy && !copy && !fp.copy_gone) {
      fp.copy_gone = performance.now();
      // The copy went: the live answer must be on the page in the same task.
      if (!live) fp.gapless = false;
    }
    if (!fp.live_dom && live && !copy) mark('live');
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
}

/** dist/ served gzipped, as a deployment would (the suite's own server sends it raw). */
function gzipServer(root) {
  return require('./server.js').serve(root, 0, '127.0.0.1', { gzip: true });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const ms = (v) => (typeof v === 'number' ? `${v.toFixed(0)} ms` : 'n/a');

module.exports = (h) => {
  const { test, open, ready, tokens, assert, eq, perf } = h;
  const DIST = path.resolve(process.argv[2] || path.join(h.ROOT, 'dist'));

  /** The prerendered starter estimate as a browser without JavaScript shows it. */
  async function jsOff(file) {
    const { ctx, page, errors } = await open(undefined, { javaScriptEnabled: false });
    await page.goto(h.base() + file);
    const r = await page.evaluate(() => {
      const v = document.querySelector('[id="pre-sum-tokens"] .stat-value');
      const vis = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
      const alt = {};
      document.querySelectorAll('link[rel=alternate][hreflang]').forEach((l) => { alt[l.hreflang] = l.getAttribute('href'); });
      return {
        lang: document.documentElement.lang,
        title: document.title,
        description: (document.querySelector('meta[name=description]') || {}).content || '',
        ogTitle: (document.querySelector('meta[property="og:title"]') || {}).content || '',
        canonical: (document.querySelector('link[rel=canonical]') || {}).href || '',
        alt,
        value: v && Number(v.dataset.value),
        text: v && v.textContent,
        shown: vis(v),
        cost: (document.querySelector('[id="pre-sum-cost"] .stat-value') || {}).textContent,
        noscript: (document.querySelector('noscript') || {}).textContent || document.querySelector('.noscript')?.textContent || '',
        noscriptShown: vis(document.querySelector('.noscript')),
        charts: document.querySelectorAll('#prerender svg').length,
        heat: document.querySelectorAll('#prerender .results-body[data-full="true"]').length,
        liveIds: document.querySelectorAll('#sum-tokens, #summary, #results').length,
        resultsText: document.getElementById('pre-results').innerText,
        editorText: document.querySelector('#prerender .editor').innerText,
      };
    });
    await ctx.close();
    // Without JavaScript the browser drops the page's module preloads: nothing else may fail.
    const left = errors.filter((e) => !/^request failed: .*\.js$/.test(e));
    assert(left.length === 0, left.join('\n'));
    return r;
  }

  test('first paint: with JavaScript off the page shows the starter estimate and says the editor needs JavaScript', async () => {
    const en = await jsOff('');
    eq(en.lang, 'en', 'html lang');
    assert(en.value > 0 && en.shown, `a token figure on the page (${en.value}, shown ${en.shown})`);
    eq(en.text, en.value.toLocaleString('en-GB'), 'the figure as the app writes it');
    assert(/£/.test(en.cost || ''), `the cost in pounds (${en.cost})`);
    assert(en.noscriptShown && /needs JavaScript/.test(en.noscript), `the "needs JavaScript" line: ${en.noscript}`);
    assert(en.charts >= 2 && en.heat === 1, `charts as SVG (${en.charts}) and the full results`);
    eq(en.liveIds, 0, 'the copy holds none of the live app\'s ids');
    assert(/Flex token estimator/.test(en.title) && en.description.length > 50 && en.ogTitle, `title, description, og (${en.title})`);
    assert(/\/$/.test(en.canonical), `canonical (${en.canonical})`);
    eq(Object.keys(en.alt).sort().join(' '), 'en fr ja x-default', 'hreflang alternates');
    const fr = await jsOff('fr.html');
    eq(fr.lang, 'fr', 'fr.html: html lang');
    assert(fr.value > 0 && fr.shown && /€/.test(fr.cost || ''), `fr.html: the starter estimate in euros (${fr.text}, ${fr.cost})`);
    assert(/JavaScript/.test(fr.noscript) && /Estimateur/.test(fr.title) && /fr\.html$/.test(fr.canonical), `fr.html: noscript, title, canonical (${fr.title}, ${fr.canonical})`);
    const ja = await jsOff('ja.html');
    eq(ja.lang, 'ja', 'ja.html: html lang');
    assert(ja.value > 0 && ja.shown && /￥/.test(ja.cost || ''), `ja.html: the starter estimate in yen (${ja.text}, ${ja.cost})`);
    assert(/JavaScript/.test(ja.noscript) && /ja\.html$/.test(ja.canonical), 'ja.html: noscript, canonical');
    console.log(`     JS off: ${en.text} tokens, ${en.cost} (en); ${fr.text}, ${fr.cost} (fr); ${ja.text}, ${ja.cost} (ja); ${en.charts} SVG charts`);
  });

  for (const [file, lang] of [['', 'en'], ['fr.html', 'fr'], ['ja.html', 'ja']]) {
    test(`first paint: the prerendered estimate equals the live one, and the live app replaces it with no gap (${lang})`, async () => {
      const off = await jsOff(file);
      const { page, done } = await open();
      await page.addInitScript(marks);
      await page.goto(h.base() + file);
      await ready(page);
      const live = await tokens(page);
      const r = await page.evaluate(() => ({
        text: document.querySelector('#sum-tokens .stat-value').textContent,
        cost: document.querySelector('#sum-cost .stat-value').textContent,
        lang: document.documentElement.lang,
        copy: document.querySelectorAll('#prerender, [id^="pre-"]').length,
        boot: !!document.getElementById('boot'),
        fp: window.__firstPaint,
        resultsText: document.getElementById('results').innerText,
        editorText: document.querySelector('#app .editor').innerText,
      }));
      eq(r.lang, lang, 'the app runs in the page\'s language');
      eq(live, off.value, 'tokens: live = prerendered');
      eq(r.text, off.text, 'the token figure as written');
      eq(r.cost, off.cost, 'the cost as written');
      // Every figure, date and label of the results and the editor as the browser's Intl
      // writes them (the prerender formats natively: src/ui/prerender_js.rs).
      eq(r.resultsText, off.resultsText, 'the results read the same');
      eq(r.editorText, off.editorText, 'the editor reads the same');
      eq(r.copy, 0, 'the prerendered copy is gone');
      assert(!r.boot, 'the loading message is gone');
      assert(r.fp.copy_gone, 'the prerendered copy was seen, then left');
      assert(r.fp.gapless, 'the copy left only with the live answer on the page');
      await done();
    });
  }

  test('first paint: fr.html and ja.html work under the strict Content-Security-Policy too', async () => {
    // The policy of suite-csp.js, here on the language pages.
    const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'";
    for (const [file, lang] of [['fr.html', 'fr'], ['ja.html', 'ja']]) {
      const { page, done } = await open();
      await page.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      await page.route((url) => url.pathname.endsWith('.html'), async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
      });
      await page.goto(h.base() + file);
      await ready(page);
      assert(await tokens(page) > 0, `${file}: results under the policy`);
      eq(await page.evaluate(() => document.documentElement.lang), lang, `${file}: the app in its language`);
      eq((await page.evaluate(() => window.__cspViolations)).join('; '), '', `${file}: no CSP violation`);
      await done();
    }
  });

  test('first paint: a returning visitor\'s own team replaces the copy at the app\'s first render', async () => {
    const { page, done } = await open();
    await page.goto(h.base());
    await ready(page);
    await h.importJson(page, h.bigTeam(3), 'three.json');
    await page.waitForFunction(() => document.querySelectorAll('.users li').length === 3 && document.body.textContent.includes('User 2'));
    await h.stored(page);
    await page.addInitScript(marks);
    await page.reload();
    await ready(page);
    const p = await page.evaluate(() => ({ ...window.__flexcalcPerf }));
    assert(p.prerender_removed !== undefined && p.live_mounted !== undefined, 'the copy removed');
    assert(p.prerender_removed - p.live_mounted < 50, `removed at the first render (${(p.prerender_removed - p.live_mounted).toFixed(1)} ms after)`);
    await done();
  });

  /** One cold load (fresh profile), throttled or not; the page's marks. */
  async function load(base, throttle) {
    const { page, done } = await open();
    await new Promise((r) => setTimeout(r, 1000));
    await page.addInitScript(marks);
    if (throttle) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', throttle);
    }
    await page.goto(base);
    await ready(page);
    await page.waitForFunction(() => window.__firstPaint.live !== undefined && window.__firstPaint.figure !== undefined, null, { timeout: 60000 });
    const r = await page.evaluate(() => ({ ...window.__firstPaint, app: window.__flexcalcPerf.first_render }));
    await done();
    return r;
  }

  test('first paint: timings on Fast 3G and on localhost (printed, not asserted)', async () => {
    const gz = await gzipServer(DIST);
    const gzBase = `http://127.0.0.1:${gz.address().port}/`;
    try {
      const runs = { fast3g_gzip: [], fast3g_raw: [], localhost: [] };
      for (let i = 0; i < 3; i++) {
        runs.fast3g_gzip.push(await load(gzBase, FAST_3G));
        runs.fast3g_raw.push(await load(h.base(), FAST_3G));
        runs.localhost.push(await load(h.base(), null));
      }
      for (const [k, rs] of Object.entries(runs)) {
        const f = median(rs.map((r) => r.figure)), l = median(rs.map((r) => r.live)), a = median(rs.map((r) => r.app));
        perf[`first_paint_${k}`] = { figure_painted_ms: f, live_ms: l, app_first_render_ms: a, runs: rs };
        console.log(`     ${k}: token figure painted ${ms(f)}, live results ${ms(l)}, the app's first render ${ms(a)} (medians of ${rs.length} cold loads)`);
      }
      console.log(`perf: Fast 3G (gzipped, as served): token figure ${ms(perf.first_paint_fast3g_gzip.figure_painted_ms)} (target ≤ 1.5 s), live results ${ms(perf.first_paint_fast3g_gzip.live_ms)} (target ≤ 4 s); uncompressed: ${ms(perf.first_paint_fast3g_raw.figure_painted_ms)} / ${ms(perf.first_paint_fast3g_raw.live_ms)}; localhost: first render (prerendered figure painted) ${ms(perf.first_paint_localhost.figure_painted_ms)} (target ≤ 300 ms), live ${ms(perf.first_paint_localhost.live_ms)}`);
    } finally {
      gz.close();
    }
  });
};
