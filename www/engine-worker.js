// The engine's Web Worker: the page's own wasm, instantiated a second time off the main
// thread (src/ui/worker.rs says what it answers). The page hands it the module it already
// compiled (or the wasm's URL) and the URL of wasm-bindgen's glue; the glue's start runs
// the wasm's main, which sees no document and listens. Requests that arrive before that
// wait in __flexcalcEarly.
self.__flexcalcEarly = [];
self.onmessage = (e) => {
  const d = e.data;
  if (!d.boot) { self.__flexcalcEarly.push(d); return; }
  import(d.boot.glue)
    .then((glue) => glue.default({ module_or_path: d.boot.module }))
    .catch((err) => {
      // Every request waiting is answered: the page shows why, never waits for ever.
      const why = '\tthe engine could not start in this browser (' + (err && err.message) + ')';
      for (const r of self.__flexcalcEarly.splice(0)) self.postMessage({ id: r.id, ok: false, text: why });
      self.onmessage = (m) => self.postMessage({ id: m.data.id, ok: false, text: why });
    });
};
