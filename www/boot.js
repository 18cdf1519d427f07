// The page's boot: a file, not an inline script, so that the page works under a strict
// Content-Security-Policy (script-src 'self'). It runs as the page is parsed, while the
// network is still busy: the main thread is idle then and would otherwise wait. (1) The loading message in the language the app will
// start in (the app's own rule: the saved choice, else the browser's), one language
// only: a line of Japanese costs a font fallback search, 28-76 ms on a machine without
// CJK fonts, that held the loader back. (2) The wasm fetched and compiled from here
// rather than once the JS glue has loaded and run; the loader is handed the promise
// (scripts/early-wasm.sh). (3) The browser's first Intl call (15-35 ms of locale data),
// which the app would otherwise make on the first render's path.
(function () {
  var b = document.getElementById('boot');
  try {
    var l = (localStorage.getItem('flexcalc.lang') || navigator.language || '').slice(0, 2);
    if (l === 'fr') { b.lang = 'fr'; b.textContent = 'Chargement de l’estimateur…'; }
    if (l === 'ja') { b.lang = 'ja'; b.textContent = '読み込み中…'; }
  } catch (e) {}
  var w = document.querySelector('link[rel=preload][href$="_bg.wasm"]');
  if (w && typeof WebAssembly === 'object' && WebAssembly.compileStreaming) {
    window.__flexcalcWasm = fetch(w.href).then(function (r) {
      if (!r.ok) throw new Error('failed to fetch ' + w.href + ': ' + r.status);
      // A server that does not say application/wasm: compiled from the bytes instead.
      return WebAssembly.compileStreaming(r.clone()).catch(function () {
        return r.arrayBuffer().then(function (x) { return WebAssembly.compile(x); });
      });
    });
    // Say so rather than stay on "Loading…" for ever.
    window.__flexcalcWasm.catch(function (e) {
      b.removeAttribute('lang');
      b.textContent = 'The estimator could not load (' + e.message + '). Reload the page to try again.';
    });
  } else if (typeof WebAssembly !== 'object') {
    b.removeAttribute('lang');
    b.textContent = 'This estimator needs a browser with WebAssembly: it computes everything on this page.';
  }
  try { Intl.DateTimeFormat().resolvedOptions(); new Intl.NumberFormat().format(1); } catch (e) {}
})();
