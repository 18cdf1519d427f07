// A 10,000-user team: the team list and the per-user table show a page at a time (the DOM
// stays bounded), search and order them, page by keyboard; figures never wrap inside, and
// nothing overflows a 390 px page.
'use strict';

module.exports = (h) => {
  const { test, open, ready, tokens, shot, importJson, assert, eq, bigTeam, perf, DESKTOP, PHONE } = h;
  const N = 10000;

  /** Imports the big team and waits until its results and both lists are on screen. */
  async function importBig(page) {
    const before = await tokens(page);
    const t0 = Date.now();
    await importJson(page, bigTeam(N), 'big-10000.json');
    // The engine may answer asynchronously (a Web Worker): wait for the new total.
    await page.waitForFunction((b) => {
      const v = document.querySelector('#sum-tokens .stat-value');
      return v && v.dataset.value !== String(b) && Number(v.dataset.value) > 0
        && document.querySelectorAll('.users li').length > 0
        && document.querySelector('.results-body[data-full="true"] #user-table tbody tr');
    }, before, { timeout: 120000, polling: 100 });
    const ms = Date.now() - t0;
    await page.waitForFunction(() => /10,000|10 000/.test((document.querySelector('#users-showing') || {}).textContent || ''), null, { timeout: 120000 });
    return ms;
  }

  const count = (page, sel) => page.$$eval(sel, (l) => l.length);
  const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());
  const names = (page) => page.$$eval('.users li .user-name', (l) => l.map((e) => e.textContent));
  const showing = (page, id, want) => page.waitForFunction(([i, w]) => (document.getElementById(`${i}-showing`) || {}).textContent === w, [id, want], { timeout: 30000 });

  test('big lists: a 10,000-user team keeps the DOM bounded; search, order, pages by keyboard, select, add', async () => {
    const { page, done } = await open(DESKTOP);
    await page.goto(h.base());
    await ready(page);
    perf.big_lists_10000_import_to_results_ms = await importBig(page);
    const total = await tokens(page);
    // Bounded DOM: one page of each list.
    const nodes = await page.evaluate(() => ({
      li: document.querySelectorAll('.users li').length,
      tr: document.querySelectorAll('#user-table tbody tr').length,
      all: document.getElementsByTagName('*').length,
    }));
    perf.big_lists_10000_dom = nodes;
    console.log(`     10,000 users: results on screen ${perf.big_lists_10000_import_to_results_ms} ms after the import; DOM ${nodes.li} list rows, ${nodes.tr} table rows, ${nodes.all} elements`);
    assert(nodes.li > 0 && nodes.li <= 200, `team list rows in the DOM: ${nodes.li}`);
    assert(nodes.tr > 0 && nodes.tr <= 200, `table rows in the DOM: ${nodes.tr}`);
    assert(nodes.all < 5000, `elements in the page: ${nodes.all}`);
    eq(await text(page, '#users-showing'), '10,000 users · showing 1–200', 'the team list says what it shows');
    eq(await text(page, '#table-showing'), '10,000 users · showing 1–100', 'the table says what it shows');
    eq(await page.getAttribute('#users-showing', 'aria-live'), 'polite', 'read out as it changes');
    // The table's totals are the engine's, for every user, not for the page shown.
    eq(Number((await text(page, '#user-table tfoot td:last-child')).replace(/\D/g, '')), total, 'table total covers all users');

    // Search: case aside, by name, then by id; the table too.
    await page.fill('#users-search', 'user 9999');
    await showing(page, 'users', '1 of 10,000 users match · showing 1–1');
    eq((await names(page)).join(), 'User 9999', 'found by name');
    await page.fill('#users-search', 'U1234');
    await showing(page, 'users', '1 of 10,000 users match · showing 1–1');
    eq((await names(page)).join(), 'User 1234', 'found by id');
    await page.fill('#users-search', 'zzz');
    await showing(page, 'users', 'No user matches this search.');
    eq(await count(page, '.users li'), 0, 'nothing listed');
    await page.fill('#users-search', '');
    await showing(page, 'users', '10,000 users · showing 1–200');
    await page.fill('#table-search', 'USER 9999');
    await showing(page, 'table', '1 of 10,000 users match · showing 1–1');
    eq(await text(page, '#user-table tbody th'), 'User 9999', 'the table finds the user');
    eq(Number((await text(page, '#user-table tfoot td:last-child')).replace(/\D/g, '')), total, 'the totals stay the whole team\'s');
    await page.fill('#table-search', '');
    await showing(page, 'table', '10,000 users · showing 1–100');

    // Pages by keyboard: the focus stays on the button, even at the ends.
    await page.focus('#users-next');
    await page.keyboard.press('Enter');
    await showing(page, 'users', '10,000 users · showing 201–400');
    eq((await names(page))[0], 'User 200', 'page 2 starts with user 200');
    await page.keyboard.press('Enter');
    await showing(page, 'users', '10,000 users · showing 401–600');
    eq(await page.evaluate(() => document.activeElement.id), 'users-next', 'focus stays on Next');
    await page.focus('#users-prev');
    await page.keyboard.press('Space');
    await showing(page, 'users', '10,000 users · showing 201–400');
    eq(await text(page, '.pager-nav .page-no'), 'Page 2 of 50', 'page number');
    eq(await count(page, '.users li'), 200, 'one page in the DOM');
    // Select a user of page 2 (by keyboard): its editor opens.
    await page.focus('.users li:nth-child(5) button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#user-h').textContent === 'User 204');
    eq(await page.getAttribute('.users li:nth-child(5) button', 'aria-pressed'), 'true', 'selected');
    eq(await page.inputValue('#f-users-204--name'), 'User 204', 'its editor');
    await shot(page, 'big-team-desktop');

    // Order: by name (digits by value), then most tokens first (the engine's figures).
    await page.selectOption('#users-sort', 'name');
    await showing(page, 'users', '10,000 users · showing 1–200');
    eq((await names(page)).slice(0, 4).join(), 'User 0,User 1,User 2,User 3', 'names in natural order');
    await page.selectOption('#users-sort', 'tokens');
    const tk = await page.$$eval('.users li .user-tokens', (l) => l.map((e) => Number(e.textContent.replace(/\D/g, ''))));
    assert(tk.length === 200 && tk.every((v, i) => i === 0 || tk[i - 1] >= v), `most tokens first: ${tk.slice(0, 5)}`);
    // The table: by total (header buttons), both ways, then its second page.
    await page.click('#sort-total');
    eq(await page.getAttribute('#user-table thead th:last-child', 'aria-sort'), 'descending', 'aria-sort');
    const totals = () => page.$$eval('#user-table tbody td:last-child', (l) => l.map((e) => Number(e.textContent.replace(/\D/g, ''))));
    let col = await totals();
    assert(col.every((v, i) => i === 0 || col[i - 1] >= v), `table by total, most first: ${col.slice(0, 4)}`);
    await page.click('#sort-total');
    col = await totals();
    assert(col.every((v, i) => i === 0 || col[i - 1] <= v), `table by total, least first: ${col.slice(0, 4)}`);
    await page.click('#sort-name');
    eq(await page.getAttribute('#user-table thead th:first-child', 'aria-sort'), 'ascending', 'by name');
    await page.click('#table-next');
    await showing(page, 'table', '10,000 users · showing 101–200');
    eq(await text(page, '#user-table tbody tr:first-child th'), 'User 100', 'page 2 of the table by name');
    assert(await count(page, '#user-table tbody tr') <= 100, 'one page of the table');

    // Adding a user selects it and brings its page, whatever was searched.
    await page.selectOption('#users-sort', 'entered');
    await page.fill('#users-search', 'user 5');
    await page.click('#add-user');
    await showing(page, 'users', '10,001 users · showing 10,001–10,001');
    eq(await page.inputValue('#users-search'), '', 'the search is cleared');
    eq(await page.getAttribute('.users li:last-child button', 'aria-pressed'), 'true', 'the new user is selected and listed');
    eq(await page.getAttribute('.users .user-row.selected', 'data-user'), 'user-1', 'the new one');
    eq(await page.inputValue('#f-users-10000--name'), 'User 1', 'its editor');
    // The selected row is within the list's visible box.
    const inView = await page.$eval('.users', (ul) => {
      const a = ul.getBoundingClientRect(); const b = ul.querySelector('.selected').getBoundingClientRect();
      return b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
    });
    assert(inView, 'the new user is scrolled into the list\'s view');
    await done();
  });

  test('big lists at 390 px: no page-wide overflow, figures on one line, lists paged', async () => {
    const { page, done } = await open(PHONE);
    await page.goto(h.base());
    await ready(page);
    await importBig(page);
    assert(await count(page, '.users li') <= 200, 'team list bounded');
    assert(await count(page, '#user-table tbody tr') <= 200, 'table bounded');
    for (const n of [0, 1, 2, 3, 4]) {
      await h.tab(page, n);
      const over = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(over <= 390, `tab ${n}: the page is ${over} px wide`);
    }
    await h.tab(page, 0);
    // Line boxes of a text: its boxes (a figure, its unit, a smaller note) that do not
    // overlap vertically the line before.
    await page.evaluate(() => {
      window.lineCount = (range) => {
        let lines = 0; let bottom = -Infinity;
        for (const b of [...range.getClientRects()].filter((r) => r.width > 0).sort((x, y) => x.top - y.top)) {
          if (b.top >= bottom - 2) { lines++; bottom = b.bottom; } else bottom = Math.max(bottom, b.bottom);
        }
        return lines;
      };
    });
    // Every summary figure on one line box, inside its card.
    const figs = await page.$$eval('#summary .stat-value, .mini-summary > *', (l) => l.map((e) => {
      const r = e.getBoundingClientRect(); const card = e.parentElement.getBoundingClientRect();
      const lh = parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.5;
      const range = document.createRange(); range.selectNodeContents(e);
      const lines = lineCount(range);
      return { text: e.textContent, lines, h: r.height, lh, inside: r.right <= card.right + 0.5 && r.left >= card.left - 0.5 };
    }));
    for (const f of figs) {
      assert(f.lines === 1 && f.h <= f.lh * 1.5, `"${f.text}" on one line (${f.lines} lines, ${f.h} px high, line ${f.lh} px)`);
      assert(f.inside, `"${f.text}" inside its card`);
    }
    const money = figs.find((f) => /€/.test(f.text));
    assert(money && /€\d{2},\d{3},\d{3}/.test(money.text), `a big money figure: ${money && money.text}`);
    // Table figures do not wrap; the table scrolls in its own box.
    const cells = await page.$$eval('#user-table td.num', (l) => l.slice(0, 40).map((e) => {
      const range = document.createRange(); range.selectNodeContents(e);
      return [e.textContent, lineCount(range)];
    }));
    const broken = cells.filter((c) => c[1] !== 1);
    assert(cells.length > 0 && broken.length === 0, `table figures on one line: ${JSON.stringify(broken.slice(0, 3))}`);
    const box = await page.$eval('.table-wrap .scroll-x', (e) => ({ sw: e.scrollWidth, cw: e.clientWidth, right: e.getBoundingClientRect().right }));
    assert(box.right <= 390, `the table's box fits the page (${box.right})`);
    await shot(page, 'big-team-phone');
    // The parts to look at, each whole at 390 px.
    const dir = require('path').join(h.ROOT, 'e2e', 'out', 'screenshots');
    for (const [sel, name] of [['.team-list', 'list'], ['#summary', 'summary'], ['.table-wrap', 'table']]) {
      await page.locator(sel).first().screenshot({ path: require('path').join(dir, `big-team-phone-${name}.png`) });
    }
    await page.$eval('#summary', (e) => e.scrollIntoView());
    await shot(page, 'big-team-phone-results', false);
    // Translated: the lists' lines in French.
    await page.selectOption('#lang', 'fr');
    await page.waitForFunction(() => /^10\s000 utilisateurs · 1–200 affichés$/.test(document.querySelector('#users-showing').textContent), null, { timeout: 30000 });
    assert(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'French fits too');
    await done();
  });
};
