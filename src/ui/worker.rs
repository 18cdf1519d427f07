//! The engine off the page's thread. The page and a dedicated Web Worker run the same wasm
//! (the worker instantiates the module the page compiled, `www/engine-worker.js`): the page
//! sends a scenario in the CLI's JSON with what it wants, the worker answers with text.
//! One engine request is in flight at a time (a gzip for the autosave runs beside it, in
//! the worker's JavaScript); a new run of the scenario replaces one still queued (the
//! latest edit wins), and the reducer drops an answer whose run an edit superseded
//! (`Action::Answer`). So typing never waits for the engine, and a stale answer never
//! overwrites a newer one.
//!
//! The messages and what the worker computes are plain Rust (natively tested); only the
//! transport is the browser's.

use crate::engine::error::InputError;
use crate::engine::insights::charges_csv;
use crate::engine::scenario::Scenario;
use crate::engine::simulate::run;
use crate::engine::validate::validate;
use crate::ui::state::{compute, Outcome};

/// What the page asks of the worker about a scenario.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The answer the results show (`Outcome`, as JSON).
    Simulate,
    /// Every charge as CSV (the export button): the report itself never crosses.
    ChargesCsv,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Simulate => "simulate",
            Kind::ChargesCsv => "charges-csv",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        [Kind::Simulate, Kind::ChargesCsv]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// The worker's side: the reply's text for `kind` of the scenario `json`, or the engine's
/// located refusal.
pub fn answer(kind: Kind, json: &str) -> Result<String, InputError> {
    let s = Scenario::from_json(json)?;
    match kind {
        Kind::Simulate => {
            let out = compute(&s)?;
            serde_json::to_string(&out).map_err(|e| InputError::new("", e.to_string()))
        }
        Kind::ChargesCsv => Ok(charges_csv(&run(&validate(&s)?))),
    }
}

/// The page's side: the answer read back from the worker's text.
pub fn read_outcome(text: &str) -> Result<Outcome, InputError> {
    serde_json::from_str(text).map_err(|e| {
        InputError::new(
            "",
            format!("the engine's answer could not be read (an internal error): {e}"),
        )
    })
}

/// A refusal sent as a reply: `path`, a tab, then the message (a path has no tab).
pub fn error_text(e: &InputError) -> String {
    format!("{}\t{}", e.path, e.message)
}

pub fn read_error(text: &str) -> InputError {
    match text.split_once('\t') {
        Some((path, message)) => InputError::new(path, message),
        None => InputError::new("", text),
    }
}

#[cfg(target_arch = "wasm32")]
pub use web::{ask, gzip, in_worker, serve};

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;

    use super::{answer, error_text, read_error, Kind};
    use crate::engine::error::InputError;
    use crate::engine::scenario::Scenario;
    use crate::ui::{js, zones};

    #[wasm_bindgen(inline_js = r#"
export function in_worker() { return typeof document === 'undefined'; }
// The worker (engine-worker.js) is handed the page's compiled module, else its URL, and
// the URL of wasm-bindgen's glue, which sits beside the wasm.
export function worker_new(on_reply, on_error) {
  const link = document.querySelector('link[rel=preload][href$="_bg.wasm"]');
  const wasm = link.href;
  const glue = wasm.replace(/_bg\.wasm$/, '.js');
  const w = new Worker(new URL('engine-worker.js', document.baseURI), { type: 'module' });
  w.onmessage = (e) => on_reply(e.data.id, e.data.ok, e.data.text || '', e.data.ms || 0, e.data.gz);
  w.onerror = (e) => { e.preventDefault(); on_error(e.message || 'the engine stopped'); };
  const boot = (module) => w.postMessage({ boot: { glue, module } });
  Promise.resolve(window.__flexcalcWasm).then((m) => boot(m || wasm), () => boot(wasm));
  return w;
}
export function worker_post(w, id, kind, text) { w.postMessage({ id, kind, text }); }
// In the worker: gzip is the browser's CompressionStream, run here so a big team's save
// costs the page nothing; the bytes go back without a copy (transferred).
function gzip(d) {
  const t0 = performance.now();
  new Response(new Blob([d.text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer().then(
    (gz) => self.postMessage({ id: d.id, ok: true, gz, ms: performance.now() - t0 }, [gz]),
    (e) => self.postMessage({ id: d.id, ok: false, text: '\tgzip: ' + (e && e.message) }));
}
export function worker_end(w) { w.terminate(); }
// In the worker: requests that came while the wasm started wait in __flexcalcEarly.
export function worker_listen(cb) {
  const take = (d) => (d.kind === 'gzip' ? gzip(d) : cb(d.id, d.kind, d.text));
  self.onmessage = (e) => { if (!e.data.boot) take(e.data); };
  for (const d of self.__flexcalcEarly.splice(0)) take(d);
}
export function worker_reply(id, ok, text, ms) { self.postMessage({ id, ok, text, ms }); }
"#)]
    extern "C" {
        pub fn in_worker() -> bool;
        fn worker_new(on_reply: &JsValue, on_error: &JsValue) -> JsValue;
        fn worker_post(w: &JsValue, id: u32, kind: &str, text: &str);
        fn worker_end(w: &JsValue);
        fn worker_listen(cb: &Closure<dyn FnMut(u32, String, String)>);
        fn worker_reply(id: u32, ok: bool, text: &str, ms: f64);
    }

    /// What a reply carries: the text, and the bytes of a `gzip` request.
    type Reply = Box<dyn FnOnce(Result<(String, JsValue), InputError>)>;

    /// The worker's answer to a request is `Kind::code`'s, or `GZIP`'s.
    const GZIP: &str = "gzip";

    struct Request {
        id: u32,
        code: &'static str,
        json: Rc<str>,
        reply: Reply,
    }

    #[derive(Default)]
    struct Client {
        worker: Option<JsValue>,
        in_flight: Option<(u32, Reply)>,
        /// Gzip requests under way: the worker's JavaScript answers them beside the engine
        /// (asynchronously), so they neither wait in the queue nor hold it up.
        gzipping: Vec<(u32, Reply)>,
        queue: VecDeque<Request>,
        next_id: u32,
    }

    thread_local! {
        static CLIENT: RefCell<Client> = RefCell::new(Client::default());
    }

    /// Asks the worker for `kind` of the scenario `json`; `reply` gets the text or the
    /// engine's refusal. A `Simulate` request replaces one still queued (whose `reply` is
    /// then never called: its run was superseded).
    pub fn ask(
        kind: Kind,
        json: Rc<str>,
        reply: impl FnOnce(Result<String, InputError>) + 'static,
    ) {
        request(
            kind.code(),
            json,
            Box::new(|r| reply(r.map(|(text, _)| text))),
        );
    }

    /// `text` gzipped by the worker: the bytes (an `ArrayBuffer`) to `reply`.
    pub fn gzip(text: Rc<str>, reply: impl FnOnce(Result<JsValue, InputError>) + 'static) {
        request(GZIP, text, Box::new(|r| reply(r.map(|(_, gz)| gz))));
    }

    fn request(code: &'static str, json: Rc<str>, reply: Reply) {
        let simulate = Kind::Simulate.code();
        if code == GZIP {
            let (w, id) = CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                c.next_id = c.next_id.wrapping_add(1);
                let id = c.next_id;
                c.gzipping.push((id, reply));
                (c.worker.get_or_insert_with(start).clone(), id)
            });
            return worker_post(&w, id, code, &json);
        }
        CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            if code == simulate {
                c.queue.retain(|r| r.code != simulate);
            }
            c.next_id = c.next_id.wrapping_add(1);
            let id = c.next_id;
            c.queue.push_back(Request {
                id,
                code,
                json,
                reply,
            });
        });
        pump();
    }

    /// Sends the next request if none is in flight (starting the worker if need be).
    fn pump() {
        let send = CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            if c.in_flight.is_some() {
                return None;
            }
            let r = c.queue.pop_front()?;
            let w = c.worker.get_or_insert_with(start).clone();
            c.in_flight = Some((r.id, r.reply));
            Some((w, r.id, r.code, r.json))
        });
        if let Some((w, id, code, json)) = send {
            worker_post(&w, id, code, &json);
        }
    }

    fn start() -> JsValue {
        let on_reply = Closure::<dyn FnMut(u32, bool, String, f64, JsValue)>::new(
            |id, ok, text: String, ms, gz: JsValue| {
                // The worker's own time on the request (the engine and writing its answer, or gzip).
                js::set_perf(
                    if gz.is_undefined() {
                        "worker_ms"
                    } else {
                        "gzip_ms"
                    },
                    ms,
                );
                let reply = CLIENT.with(|c| {
                    let mut c = c.borrow_mut();
                    match c.in_flight.take() {
                        Some((want, reply)) if want == id => Some(reply),
                        other => {
                            c.in_flight = other;
                            let i = c.gzipping.iter().position(|(want, _)| *want == id)?;
                            Some(c.gzipping.swap_remove(i).1)
                        }
                    }
                });
                if let Some(reply) = reply {
                    reply(if ok {
                        Ok((text, gz))
                    } else {
                        Err(read_error(&text))
                    });
                }
                pump();
            },
        );
        // The worker died (an internal error, or it could not start): the request in
        // flight is refused with the reason, and the next one starts a new worker.
        let on_error = Closure::<dyn FnMut(String)>::new(|why: String| {
            let replies = CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                if let Some(w) = c.worker.take() {
                    worker_end(&w);
                }
                let mut all: Vec<Reply> = c.gzipping.drain(..).map(|(_, r)| r).collect();
                all.extend(c.in_flight.take().map(|(_, r)| r));
                all
            });
            for reply in replies {
                reply(Err(InputError::new(
                    "",
                    format!("the engine stopped on an internal error ({why})"),
                )));
            }
            pump();
        });
        let w = worker_new(on_reply.as_ref(), on_error.as_ref());
        // Both live as long as the page (one worker at a time, rarely restarted).
        on_reply.forget();
        on_error.forget();
        w
    }

    thread_local! {
        /// The worker's request being answered, for the panic hook.
        static CURRENT: Cell<u32> = const { Cell::new(0) };
    }

    /// The worker's entry: answers the page's requests one at a time, after fetching the
    /// time zones a scenario names (as the page once did).
    pub fn serve() {
        std::panic::set_hook(Box::new(|info| {
            worker_reply(CURRENT.with(Cell::get), false, &format!("\t{info}"), 0.0);
        }));
        let cb = Closure::<dyn FnMut(u32, String, String)>::new(|id, kind: String, json| {
            match Kind::from_code(&kind) {
                Some(kind) => answer_when_zones_are_in(id, kind, json),
                None => worker_reply(id, false, &format!("\tunknown request {kind:?}"), 0.0),
            }
        });
        worker_listen(&cb);
        // Listens for the worker's whole life.
        cb.forget();
    }

    fn answer_when_zones_are_in(id: u32, kind: Kind, json: String) {
        if let Ok(s) = Scenario::from_json(&json) {
            if zones::waiting(&s) {
                zones::load(&s, move || answer_when_zones_are_in(id, kind, json.clone()));
                return;
            }
        }
        CURRENT.with(|c| c.set(id));
        let t0 = js::now_ms();
        match answer(kind, &json) {
            Ok(text) => worker_reply(id, true, &text, js::now_ms() - t0),
            Err(e) => worker_reply(id, false, &error_text(&e), js::now_ms() - t0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::templates::starter;

    #[test]
    fn an_answer_crosses_the_boundary_unchanged() {
        let s = starter("Europe/Paris", "EUR", ["A", "B", "C"]);
        let direct = compute(&s).unwrap();
        let text = answer(Kind::Simulate, &s.to_json()).unwrap();
        assert_eq!(read_outcome(&text).unwrap(), direct);
        // Packs mode: the packs' reports and the suggested order too.
        let preset = crate::ui::presets::find("manufacturing-run-dry")
            .unwrap()
            .json;
        let s = Scenario::from_json(preset).unwrap();
        let direct = compute(&s).unwrap();
        assert!(!direct.packs().is_empty() && direct.suggested.is_some());
        let back = read_outcome(&answer(Kind::Simulate, preset).unwrap()).unwrap();
        assert_eq!(back, direct);
    }

    #[test]
    fn a_refusal_crosses_located() {
        let mut s = starter("UTC", "EUR", ["A", "B", "C"]);
        s.users[0].usage[0].weekly.as_mut().unwrap().from = "25:00".into();
        let e = answer(Kind::Simulate, &s.to_json()).unwrap_err();
        assert_eq!(e.path, "users[0].usage[0].weekly.from");
        assert_eq!(read_error(&error_text(&e)), e);
        // A message at the top has no path; an internal error's text has no tab.
        let top = InputError::new("", "expected value");
        assert_eq!(read_error(&error_text(&top)), top);
        assert_eq!(read_error("boom").message, "boom");
        assert!(read_outcome("{not json").is_err());
    }

    #[test]
    fn the_charges_csv_is_the_engines() {
        let s = starter("UTC", "GBP", ["A", "B", "C"]);
        let csv = answer(Kind::ChargesCsv, &s.to_json()).unwrap();
        let model = validate(&s).unwrap();
        assert_eq!(csv, charges_csv(&run(&model)));
        assert!(csv.lines().count() > 1);
        for k in [Kind::Simulate, Kind::ChargesCsv] {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        assert_eq!(Kind::from_code("advise"), None);
    }
}
