// Autosave in IndexedDB (src/ui/storage.rs, src/ui/autosave.rs): a big team survives a
// reload byte for byte, a refused write shows a persistent warning with an export, the
// previous version's local storage is moved in, an unreadable record is set aside.
//
// Relies on: #save-warning (role="alert", the persistent warning) and its button
// #save-warning-export; #export-json; #banner (.info/.warning); the IndexedDB layout
// (database "flexcalc", store "state", key "scenario", record { enc: "gzip", data:
// ArrayBuffer } or { enc: "text", data: string }); window.__flexcalcPerf.saving (1 while a
// write is under way, 0 once the queue is empty) and save_ms / save_raw_bytes /
// save_stored_bytes (the last write into IndexedDB).
'use strict';

module.exports = (h) => {
  const { test, open, importJson, download, assert, eq, bigTeam, perf } = h;
  const LONG = { timeout: 120000 };

  /** Waits until the summary shows a value (results may come asynchronously). */
  async function results(page, not) {
    await page.waitForFunction((n) => {
      const e = document.querySelector('#sum-tokens .stat-value');
      return !!e && e.dataset.value !== undefined && e.dataset.value !== '' && e.dataset.value !== n;
    }, not === undefined ? null : String(not), LONG);
  }

  /** Waits until the autosave queue is empty (the save of the last change is written). */
  async function settle(page) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await page.waitForFunction(() => (window.__flexcalcPerf || {}).saving !== 1, null, LONG);
  }

  /** The scenario IndexedDB holds once saves are done (see run.js's idbRecord). */
  async function idb(page) {
    await settle(page);
    return h.idbRecord(page);
  }

  const local = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

  test('storage: a 10,000-user team survives a reload byte for byte (IndexedDB, gzipped)', async () => {
    const { page, done } = await open();
    await page.goto(h.base());
    await results(page);
    const starter = await page.$eval('#sum-tokens .stat-value', (e) => e.dataset.value);
    await importJson(page, bigTeam(10000), 'team-10000.json');
    await page.waitForSelector('#banner.info', LONG);
    await results(page, starter);
    const before = await download(page, '#export-json');
    eq(JSON.parse(before.text).users.length, 10000, 'the export holds the team');
    const rec = await idb(page);
    assert(rec, 'IndexedDB holds the scenario');
    // The save is compact JSON, the export the CLI's pretty format: the same scenario.
    const same = (x) => JSON.stringify(JSON.parse(x));
    eq(same(rec.text), same(before.text), 'IndexedDB holds what Export JSON downloads');
    eq(rec.enc, 'gzip', 'stored gzipped');
    assert(rec.stored < rec.raw / 5, `gzip pays (${rec.stored} of ${rec.raw} B)`);
    eq(await local(page, 'flexcalc.scenario'), null, 'nothing in local storage');
    const figures = await page.evaluate(() => window.__flexcalcPerf);
    perf.storage_10000_users_raw_bytes = rec.raw;
    perf.storage_10000_users_stored_bytes = rec.stored;
    perf.storage_10000_users_save_ms = figures.save_ms;
    perf.storage_10000_users_autosave_ms = figures.autosave_ms;
    console.log(`perf: autosave of 10,000 users: ${rec.raw} B of JSON stored as ${rec.stored} B (gzip) in ${figures.save_ms.toFixed(0)} ms off the main task (to_json + hand-over ${figures.autosave_ms.toFixed(0)} ms)`);
    await page.reload();
    await results(page);
    await page.waitForFunction(() => !document.getElementById('save-warning'));
    const after = await download(page, '#export-json');
    eq(after.text.length, before.text.length, 'same length after reload');
    assert(after.text === before.text, 'the export after reload is byte-identical');
    eq(await page.$('#save-warning'), null, 'no warning');
    await done();
  });

  test('storage: a browser that refuses to store shows a persistent warning with an export, gone once a save succeeds', async () => {
    // IndexedDB cannot even open, and local storage is full.
    {
      const { page, done } = await open();
      await page.addInitScript(() => {
        const quota = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
        window.__realSetItem = Storage.prototype.setItem;
        IDBFactory.prototype.open = () => { throw new DOMException('IndexedDB is disabled.', 'SecurityError'); };
        Storage.prototype.setItem = quota;
      });
      await page.goto(h.base());
      await results(page);
      const t0 = await page.$eval('#sum-tokens .stat-value', (e) => e.dataset.value);
      await page.check('#wd-0-0-sat');
      await results(page, t0);
      await page.waitForSelector('#save-warning', LONG);
      eq(await page.getAttribute('#save-warning', 'role'), 'alert', 'the warning is an alert');
      const text = await page.textContent('#save-warning');
      assert(/not being saved/.test(text), `says the work is not saved: ${text}`);
      assert(/SecurityError/.test(text) && /localStorage/.test(text), `says why: ${text}`);
      await h.shot(page, 'desktop-save-warning', false);
      const fromWarning = await download(page, '#save-warning-export');
      const fromToolbar = await download(page, '#export-json');
      eq(fromWarning.name, fromToolbar.name, 'the same file name');
      eq(fromWarning.text, fromToolbar.text, 'the warning exports the scenario');
      assert(JSON.parse(fromWarning.text).users[0].usage[0].weekly.days.includes('sat'), 'with the last edit');
      // Still there after another edit that fails too.
      await page.check('#wd-0-0-sun');
      await settle(page);
      assert(await page.isVisible('#save-warning'), 'persistent');
      // Local storage has room again: the next save goes there, and the warning goes.
      await page.evaluate(() => { Storage.prototype.setItem = window.__realSetItem; });
      await page.uncheck('#wd-0-0-sun');
      await page.waitForSelector('#save-warning', { state: 'detached', timeout: 120000 });
      const savedText = await local(page, 'flexcalc.scenario');
      const saved = JSON.parse(savedText);
      assert(saved.users[0].usage[0].weekly.days.includes('sat') && !saved.users[0].usage[0].weekly.days.includes('sun'), 'the latest state is in local storage');
      // And it is what the next visit starts with.
      await page.reload();
      await results(page);
      const again = await download(page, '#export-json');
      eq(JSON.stringify(JSON.parse(again.text)), JSON.stringify(JSON.parse(savedText)), 'reloaded from the fallback copy');
      await done();
    }
    // IndexedDB opens but refuses the write (quota), and local storage is full.
    {
      const { page, done } = await open();
      await page.addInitScript(() => {
        const quota = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
        window.__realPut = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = quota;
        Storage.prototype.setItem = quota;
      });
      await page.goto(h.base());
      await results(page);
      await page.check('#wd-0-0-sat');
      await page.waitForSelector('#save-warning', LONG);
      assert(/QuotaExceededError/.test(await page.textContent('#save-warning')), await page.textContent('#save-warning'));
      await page.evaluate(() => { IDBObjectStore.prototype.put = window.__realPut; });
      await page.check('#wd-0-0-sun');
      await page.waitForSelector('#save-warning', { state: 'detached', timeout: 120000 });
      const rec = await idb(page);
      const days = JSON.parse(rec.text).users[0].usage[0].weekly.days;
      assert(days.includes('sat') && days.includes('sun'), `IndexedDB holds the latest state (${days})`);
      await done();
    }
  });

  test('storage: the previous version\'s local storage is moved into IndexedDB', async () => {
    const team = bigTeam(3);
    team.name = 'Kept from the previous version';
    for (const [key, banner] of [['flexcalc.scenario', null], ['flexcalc', '#banner.info']]) {
      const { page, done } = await open();
      // A first visit of a browser that used the previous version (seeded once).
      await page.addInitScript(([k, s]) => {
        if (!localStorage.getItem('e2e.seeded')) { localStorage.setItem(k, s); localStorage.setItem('e2e.seeded', '1'); }
      }, [key, JSON.stringify(team)]);
      await page.goto(h.base());
      await results(page);
      if (banner) await page.waitForSelector(banner);
      eq(JSON.parse((await download(page, '#export-json')).text).name, team.name, `${key}: loaded`);
      const rec = await idb(page);
      assert(rec, `${key}: IndexedDB holds it`);
      eq(JSON.parse(rec.text).name, team.name, `${key}: moved into IndexedDB`);
      eq(await local(page, key), null, `${key}: removed from local storage`);
      eq(await local(page, 'flexcalc.scenario'), null, `${key}: no copy left in local storage`);
      await page.reload();
      await results(page);
      eq(JSON.parse((await download(page, '#export-json')).text).name, team.name, `${key}: read from IndexedDB after reload`);
      await done();
    }
  });

  test('storage: an unreadable IndexedDB record is set aside and the app starts fresh with a message', async () => {
    const { page, done } = await open();
    await page.goto(h.base());
    await results(page);
    assert(await idb(page), 'the first save is in');
    // A record whose gzip is damaged, then one that decodes to something not a scenario.
    for (const [rec, why] of [[{ enc: 'gzip', data: [1, 2, 3, 4] }, 'gzip'], [{ enc: 'text', data: '{"flexcalc":1, broken' }, 'json']]) {
      await page.evaluate((r) => new Promise((ok, ko) => {
        const o = indexedDB.open('flexcalc');
        o.onsuccess = () => {
          const db = o.result;
          const tx = db.transaction('state', 'readwrite');
          tx.objectStore('state').put(r.enc === 'gzip' ? { enc: 'gzip', data: new Uint8Array(r.data).buffer } : r, 'scenario');
          tx.oncomplete = () => { db.close(); ok(); };
          tx.onerror = () => ko(tx.error);
        };
      }), rec);
      await page.reload();
      await results(page);
      await page.waitForSelector('#banner.warning');
      assert((await page.textContent('#banner')).length > 20, `${why}: a visible message`);
      const kept = await page.evaluate(() => new Promise((ok) => {
        const o = indexedDB.open('flexcalc');
        o.onsuccess = () => {
          const g = o.result.transaction('state').objectStore('state').get('scenario.unreadable');
          g.onsuccess = () => { o.result.close(); ok(g.result); };
        };
      }));
      assert(kept, `${why}: the unreadable record is kept`);
      if (why === 'json') eq(kept.data, '{"flexcalc":1, broken', 'the unreadable text is kept');
      assert(JSON.parse((await idb(page)).text).users.length > 0, `${why}: a working team is saved`);
    }
    await done();
  });
};
