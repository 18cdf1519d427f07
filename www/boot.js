// The page's boot: a file, not an inline script, so that the page works under a strict
// Content-Security-Policy (script-src 'self'). It runs as the page is parsed, while the
// network is still busy: the main thread is idle then and would otherwise wait. (1) The loading message in the language the app will
// start in (the app's own rule: the saved choice, else the browser's), one language
// only: a line of Japanese costs a font fallback search, 28-76 ms on a machine without
// CJK fonts, that held the loader back. (2) The wasm fetched and compiled from here
// rather than once the JS glue has loaded and run; the loader is handed the promise
// (scripts/early-wasm.sh). (3) The browser's first Intl call (15-35 ms of locale data),
// which the app would otherwise make on the first render's path.
// (4) The prerendered page (scripts/prerender.sh): the starter team's estimate, drawn at
// build time by the app's own components, is shown until the app, mounted beside it in
// #app (hidden meanwhile by style.css), shows its own answer; then removed in the same
// task as that render, so that no frame shows neither. A returning visitor's own team
// (or another language) is not the starter's: the copy goes at the app's first render.
(function () {
  var d = document, pre = d.getElementById('prerender'), app = d.getElementById('app');
  var b = d.createElement('div');
  b.id = 'boot'; b.className = 'boot'; b.setAttribute('role', 'status');
  b.textContent = 'Loading the estimator…';
  d.body.insertBefore(b, app);
  // fr.html, ja.html: the language's own page, where the app starts in that language.
  var own = d.documentElement.getAttribute('data-page-lang');
  if (own) { try { localStorage.setItem('flexcalc.lang', own); } catch (e) {} }
  if (pre && pre.firstChild && app && window.MutationObserver) {
    var perf = window.__flexcalcPerf = window.__flexcalcPerf || {};
    // The team as the first render shows it (no figures yet): names, products, the
    // language, the currency.
    var team = function (root) {
      var s = '', n = root.querySelectorAll('h1, .user-name, .user-products, select');
      for (var i = 0; i < n.length; i++) s += (n[i].tagName === 'SELECT' ? n[i].value : n[i].textContent) + '\n';
      return root.querySelector('.users') ? s : null;
    };
    var mine = team(pre), timer = 0, obs;
    // Until then the copy's controls take no input: what one typed there would be lost.
    var dead = pre.querySelectorAll('.controls, .toolbar, .editor');
    for (var i = 0; i < dead.length; i++) dead[i].inert = true;
    var done = function () {
      obs.disconnect(); clearTimeout(timer);
      if (pre.parentNode) pre.parentNode.removeChild(pre);
      perf.prerender_removed = performance.now();
    };
    obs = new MutationObserver(function () {
      if (!app.firstChild) return;
      if (!timer) {
        perf.live_mounted = performance.now();
        // Not the starter team as prerendered: the app's own page at once.
        if (mine === null || team(app) !== mine) return done();
        // An answer that never comes must not leave the copy for ever.
        timer = setTimeout(done, 10000);
      }
      if (app.querySelector('.results-body[data-full="true"][aria-busy="false"], #scenario-error')) done();
    });
    obs.observe(app, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy', 'data-full'] });
  }
  try {
    var l = (own || localStorage.getItem('flexcalc.lang') || navigator.language || '').slice(0, 2);
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
