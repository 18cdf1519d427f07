// The app's side of the iframe protocol (src/ui/embed.rs, docs/embedding.md): the real app
// served on one origin with an allow-list naming the partner's, framed by a partner page on
// another origin; the handshake, the estimate asked for, a scenario set (and one refused
// with the engine's located message), the visitor's edit sent unasked, and a page of an
// origin not on the list getting no answer at all.
'use strict';

const http = require('http');
const path = require('path');
const { serve } = require('./server.js');

module.exports = (h) => {
  const { test, open, assert, eq, ROOT } = h;

  /** A partner page framing the app and logging every message it receives. */
  function partnerServer(appUrl) {
    return http.createServer((req, res) => {
      const p = new URL(req.url, 'http://x').pathname;
      if (p === '/favicon.ico') { res.writeHead(204); return res.end(); }
      if (p !== '/') { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><title>partner</title>
<iframe id="app" src="${appUrl}" style="width:1200px;height:900px"></iframe>
<script>
  window.got = [];
  const APP = new URL(${JSON.stringify(appUrl)}).origin;
  addEventListener('message', (e) => { if (e.origin === APP) window.got.push(e.data); });
  window.send = (type, id, detail) => document.getElementById('app').contentWindow.postMessage({ flexcalc: 1, type, id, detail }, APP);
</script>`);
    });
  }

  const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', r));

  test('embedded app: handshake, estimate, set-scenario and refusal, edits sent to the allowed origin only', async () => {
    const dist = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
    let allowed = [];
    // The app's files, with `embed-origins.txt` as a deployer would write it.
    const app = await serve(dist, 0, '127.0.0.1', {
      override: (p) => (p === '/embed-origins.txt' ? `# the test's partner\n${allowed.join('\n')}\n` : undefined),
    });
    const appUrl = `http://127.0.0.1:${app.address().port}/`;
    const partner = partnerServer(appUrl);
    const stranger = partnerServer(appUrl);
    await Promise.all([listen(partner), listen(stranger)]);
    const partnerUrl = `http://127.0.0.1:${partner.address().port}/`;
    allowed = [new URL(partnerUrl).origin];
    const { page, done } = await open();
    try {
      // A page whose origin is not on the list: the app stays silent.
      await page.goto(`http://127.0.0.1:${stranger.address().port}/`);
      const frameOf = () => page.frames().find((f) => f.url().startsWith(appUrl));
      await frameOf().waitForSelector('.results-body[aria-busy=false]', { timeout: 30000 });
      await page.evaluate(() => window.send('flexcalc:hello', 1));
      await page.waitForTimeout(800);
      eq(await page.evaluate(() => window.got.length), 0, 'no answer to an origin not on the list');

      await page.goto(partnerUrl);
      const frame = frameOf();
      await frame.waitForSelector('.results-body[aria-busy=false]', { timeout: 30000 });
      const shown = async () => Number(await frame.$eval('#sum-tokens .stat-value', (e) => e.dataset.value));
      const next = (pred) => page.waitForFunction(pred, null, { timeout: 30000 });
      await page.evaluate(() => window.send('flexcalc:hello', 'h1'));
      await next(() => window.got.some((m) => m.type === 'flexcalc:ready'));
      const ready = await page.evaluate(() => window.got.find((m) => m.type === 'flexcalc:ready'));
      eq(`${ready.id} ${ready.detail.version}`, 'h1 1', 'ready answers the hello');

      await page.evaluate(() => window.send('flexcalc:get-estimate', 7));
      await next(() => window.got.some((m) => m.type === 'flexcalc:estimate' && m.id === 7));
      const est = await page.evaluate(() => window.got.find((m) => m.id === 7).detail);
      eq(est.tokens, await shown(), 'the estimate is what the app shows');
      assert(/^\d+\.\d\d$/.test(est.total) && est.scenario.users.length === 3, `money as a decimal string, the scenario beside (${est.total})`);

      const scenario = { flexcalc: 1, currency: 'JPY', timezone: 'UTC', period: { start: '2027-01-01', months: 1 },
        users: [{ id: 'p', usage: [{ product: 'revit', weekly: { days: ['mon'], from: '09:00', to: '17:00' } }] }] };
      await page.evaluate((s) => window.send('flexcalc:set-scenario', 'set', { scenario: s }), scenario);
      await next(() => window.got.some((m) => m.id === 'set'));
      const set = await page.evaluate(() => window.got.find((m) => m.id === 'set'));
      eq(`${set.type} ${set.detail.currency} ${set.detail.tokens}`, 'flexcalc:estimate JPY 40', 'the scenario set: four Mondays of Revit');
      eq(await shown(), 40, 'the app shows it');

      scenario.users[0].usage[0].weekly.from = '25:00';
      await page.evaluate((s) => window.send('flexcalc:set-scenario', 'bad', { scenario: s }), scenario);
      await next(() => window.got.some((m) => m.id === 'bad'));
      const bad = await page.evaluate(() => window.got.find((m) => m.id === 'bad'));
      eq(bad.type, 'flexcalc:error', 'a refused scenario');
      assert(/^users\[0\]\.usage\[0\]\.weekly\.from: /.test(bad.detail.message), bad.detail.message);
      await frame.waitForSelector('#scenario-error');  // the app shows the refusal too (undo takes it back)
      await frame.click('#undo');
      await frame.waitForSelector('#scenario-error', { state: 'detached' });

      // The visitor's own edit in the app reaches the partner unasked.
      const before = await page.evaluate(() => window.got.length);
      await frame.check('#wd-0-0-tue');
      await next((n) => window.got.length > n && window.got.slice(n).some((m) => m.type === 'flexcalc:estimate' && m.id === undefined && m.detail.tokens === 80), before);
    } finally {
      app.close(); partner.close(); stranger.close();
    }
    await done();
  });
};
