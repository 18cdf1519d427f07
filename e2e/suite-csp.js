// The page under a partner's strict Content-Security-Policy: no inline script (the boot is
// www/boot.js, Trunk's loader is moved into a file by scripts/early-wasm.sh), the wasm
// compiled under 'wasm-unsafe-eval', the workers (engine, advisor) scripts of the page's
// origin.
'use strict';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'";

module.exports = (h) => {
  const { test, open, ready, tokens, tab, assert, eq } = h;

  test('the page works under a strict Content-Security-Policy, with no violation', async () => {
    const { page, done } = await open();
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    // The document (and only it) served with the policy, as a partner's server would.
    await page.route((url) => url.pathname === '/' || url.pathname.endsWith('/index.html'), async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
    });
    await page.goto(h.base());
    await ready(page);
    const before = await tokens(page);
    assert(before > 0, 'results under the policy');
    // An edit goes through the engine's worker and back.
    await page.check('#wd-0-0-sat');
    await page.waitForFunction((t) => Number(document.querySelector('#sum-tokens .stat-value').dataset.value) !== t, before);
    // The advisor: a worker with its own wasm (advisor/), started on demand.
    await page.selectOption('#preset', 'architecture-studio');
    await ready(page);
    await tab(page, 4);
    await page.waitForSelector('#advisor-totals');
    await page.waitForSelector('#sens-usage:not([disabled])');
    eq((await page.evaluate(() => window.__cspViolations)).join('; '), '', 'no CSP violation');
    await done();
  });
};
