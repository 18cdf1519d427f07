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

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::engine::advise::{advise, sensitivity, PERCENTS};
use crate::engine::error::InputError;
use crate::engine::import::{review_with_progress, ImportOptions};
use crate::engine::insights::charges_csv;

use crate::engine::scenario::{Scenario, User};
use crate::engine::simulate::run;
use crate::engine::validate::validate;
use crate::ui::state::compute;

/// What the page asks of the worker about a scenario.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The answer the results show (`Outcome`, as JSON).
    Simulate,
    /// Every charge as CSV (the export button): the report itself never crosses.
    ChargesCsv,
    /// The advisor's plan (`Advice`, as JSON): a big team's takes seconds, never the page's.
    Advise,
    /// The plan at usage −50 % … +50 % (`Sensitivity`, as JSON).
    Sensitivity,
    /// A usage export read (`Review`, as JSON): the file's bytes travel instead of a
    /// scenario, with the import's options (`import_answer`).
    Import,
}

const KINDS: [Kind; 5] = [
    Kind::Simulate,
    Kind::ChargesCsv,
    Kind::Advise,
    Kind::Sensitivity,
    Kind::Import,
];

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Simulate => "simulate",
            Kind::ChargesCsv => "charges-csv",
            Kind::Advise => "advise",
            Kind::Sensitivity => "sensitivity",
            Kind::Import => "import",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.code() == code)
    }
}

/// The two workers. The engine's starts with the page and runs what the results show; the
/// advisor's (`src/bin/advisor.rs`, its own wasm) starts the first time the advisor is asked
/// for, so the advisor's search is not in the wasm every visitor loads first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Which {
    Engine,
    Advisor,
    Import,
}

impl Kind {
    pub fn worker(self) -> Which {
        match self {
            Kind::Simulate | Kind::ChargesCsv => Which::Engine,
            Kind::Advise | Kind::Sensitivity => Which::Advisor,
            Kind::Import => Which::Import,
        }
    }
}

/// What a worker answers: the reply's text for `kind` of the scenario `s`, or the
/// engine's located refusal.
pub type Answer = fn(Kind, &Scenario) -> Result<String, InputError>;

/// What a worker answers about a file (its bytes and the request's options as JSON),
/// telling the progress callback how far it has read (done and total).
pub type FileAnswer = fn(&[u8], &str, &mut dyn FnMut(u64, u64)) -> Result<String, InputError>;

/// Everything a worker answers: each bin's `main` hands its own to `serve`, so the engine's
/// wasm links neither the advisor nor the import's readers.
#[derive(Clone, Copy)]
pub struct Answers {
    pub scenario: Answer,
    pub file: Option<FileAnswer>,
}

pub const ENGINE: Answers = Answers {
    scenario: engine_answer,
    file: None,
};

pub const ADVISOR: Answers = Answers {
    scenario: advisor_answer,
    file: None,
};

pub const IMPORT: Answers = Answers {
    scenario: no_scenario,
    file: Some(import_answer),
};

/// The import worker's reading of a usage export: the review (`engine::import::review`) of
/// `bytes` read with `options` (`ImportOptions` as JSON), or the file's located refusal;
/// `progress` hears how far the rows are read.
pub fn import_answer(
    bytes: &[u8],
    options: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<String, InputError> {
    let options: ImportOptions = serde_json::from_str(options)
        .map_err(|e| InputError::new("", format!("an internal error: {e}")))?;
    let r = review_with_progress(bytes, &options, progress)
        .map_err(|e| InputError::new("", e.to_string()))?;
    to_json(&r)
}

fn to_json(v: &impl Serialize) -> Result<String, InputError> {
    serde_json::to_string(v).map_err(|e| InputError::new("", e.to_string()))
}

/// The engine worker's answers.
pub fn engine_answer(kind: Kind, s: &Scenario) -> Result<String, InputError> {
    match kind {
        Kind::Simulate => to_json(&compute(s)?),
        Kind::ChargesCsv => Ok(charges_csv(&run(&validate(s)?))),
        _ => Err(not_here(kind)),
    }
}

/// The import worker answers about files only.
pub fn no_scenario(kind: Kind, _: &Scenario) -> Result<String, InputError> {
    Err(not_here(kind))
}

/// The advisor worker's answers.
pub fn advisor_answer(kind: Kind, s: &Scenario) -> Result<String, InputError> {
    match kind {
        Kind::Advise => to_json(&advise(s)?),
        Kind::Sensitivity => to_json(&sensitivity(s, &PERCENTS)?),
        _ => Err(not_here(kind)),
    }
}

fn not_here(kind: Kind) -> InputError {
    InputError::new(
        "",
        format!(
            "an internal error: {} asked of the wrong worker",
            kind.code()
        ),
    )
}

/// How a request's scenario travels: whole (its compact JSON), or as what changed since
/// the scenario the worker holds (the last one sent). A big team's edit changes one user:
/// its JSON alone, not 34 MB of the team, is written on the page and read in the worker.
/// The message's code is the kind's, with `PATCH` after it for a patch.
pub const PATCH: &str = "-patch";

/// The page's side: the code of a request for `kind` sent whole or as a patch.
pub fn message_code(kind: Kind, patch: bool) -> String {
    format!("{}{}", kind.code(), if patch { PATCH } else { "" })
}

/// The worker's side: the kind a message's code asks for, and whether it is a patch.
pub fn read_code(code: &str) -> Option<(Kind, bool)> {
    match code.strip_suffix(PATCH) {
        Some(kind) => Kind::from_code(kind).map(|k| (k, true)),
        None => Kind::from_code(code).map(|k| (k, false)),
    }
}

#[derive(Serialize)]
struct PatchOut<'a> {
    head: &'a Scenario,
    len: usize,
    users: Vec<(usize, &'a User)>,
}

#[derive(Deserialize)]
struct PatchIn {
    head: Scenario,
    len: usize,
    users: Vec<(usize, User)>,
}

/// The page's side: the message (a patch or not, and its text) that gives the worker `s`
/// when it holds `held`. A patch when the team has the same size and at most half its
/// users changed.
pub fn run_message(held: Option<&Scenario>, s: &Scenario) -> (bool, String) {
    if let Some(h) = held.filter(|h| h.users.len() == s.users.len()) {
        let users: Vec<(usize, &User)> = s
            .users
            .iter()
            .zip(&h.users)
            .enumerate()
            .filter(|(_, (new, old))| new != old)
            .map(|(i, (new, _))| (i, &**new))
            .collect();
        if users.len() * 2 <= s.users.len() {
            let head = head(s);
            let patch = PatchOut {
                head: &head,
                len: s.users.len(),
                users,
            };
            return (true, serde_json::to_string(&patch).unwrap_or_default());
        }
    }
    (false, serde_json::to_string(s).unwrap_or_default())
}

/// Everything of `s` but its users.
fn head(s: &Scenario) -> Scenario {
    let Scenario {
        flexcalc,
        name,
        currency,
        timezone,
        period,
        packs,
        low_balance_percent,
        offerings,
        catalog,
        price_book,
        users: _,
    } = s;
    Scenario {
        flexcalc: *flexcalc,
        name: name.clone(),
        currency: currency.clone(),
        timezone: timezone.clone(),
        period: period.clone(),
        packs: packs.clone(),
        low_balance_percent: *low_balance_percent,
        offerings: offerings.clone(),
        catalog: catalog.clone(),
        price_book: price_book.clone(),
        users: Vec::new(),
    }
}

/// A scenario's compact JSON (`serde_json::to_string`'s text exactly), written a few users
/// at a time: the worker writes a big team's autosave between runs, and an edit's run must
/// not wait for the whole of it (the 10,000-user year's JSON takes the worker about 2 s).
pub struct JsonInSteps {
    scenario: Scenario,
    text: String,
    next: usize,
}

impl JsonInSteps {
    pub fn new(scenario: &Scenario) -> JsonInSteps {
        // `users` is the last field and always written: the head's text ends in `[]}`,
        // where the users go.
        let mut text = serde_json::to_string(&head(scenario)).unwrap_or_default();
        text.truncate(text.len().saturating_sub(2));
        JsonInSteps {
            // Shares the users (a copy of pointers): the held scenario may change meanwhile.
            scenario: scenario.clone(),
            text,
            next: 0,
        }
    }

    /// Writes users while `more()` says so (at least one); the whole text once all are in.
    pub fn step(&mut self, mut more: impl FnMut() -> bool) -> Option<String> {
        let users = &self.scenario.users;
        while self.next < users.len() {
            if self.next > 0 {
                self.text.push(',');
            }
            self.text
                .push_str(&serde_json::to_string(&*users[self.next]).unwrap_or_default());
            self.next += 1;
            if !more() {
                break;
            }
        }
        (self.next == users.len()).then(|| std::mem::take(&mut self.text) + "]}")
    }
}

/// The worker's side: the scenario the message stands for, from the one it holds (taken).
pub fn read_message(
    held: &mut Option<Scenario>,
    patch: bool,
    text: &str,
) -> Result<Scenario, InputError> {
    if !patch {
        return Scenario::from_json(text);
    }
    let internal = |m: String| InputError::new("", format!("an internal error: {m}"));
    let p: PatchIn = serde_json::from_str(text).map_err(|e| internal(e.to_string()))?;
    let mut users = match held.take() {
        Some(h) if h.users.len() == p.len => h.users,
        _ => {
            return Err(internal(
                "a change to a scenario the engine does not hold".into(),
            ))
        }
    };
    for (i, u) in p.users {
        *users
            .get_mut(i)
            .ok_or_else(|| internal(format!("no user {i}")))? = Arc::new(u);
    }
    Ok(Scenario { users, ..p.head })
}

/// The page's side: any kind's answer (`Outcome`, `Advice`, `Sensitivity`, `Review`) read
/// back from the worker's text.
pub fn read_answer<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
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

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub use web::{ask, cancel, gzip, import, in_worker, run_scenario, serve};

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
mod web {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;

    use super::{
        error_text, message_code, read_code, read_error, read_message, run_message, Answers,
        JsonInSteps, Kind, Which,
    };
    use crate::engine::error::InputError;
    use crate::engine::scenario::Scenario;
    use crate::ui::{js, storage, zones};

    #[wasm_bindgen(inline_js = r#"
export function in_worker() { return typeof document === 'undefined'; }
// A worker (engine-worker.js) is handed its wasm (the engine's: the page's compiled module,
// else its URL; another's: DIR/DIR_bg.wasm) and the URL of wasm-bindgen's
// glue, which sits beside the wasm.
export function worker_new(dir, on_reply, on_error, on_save, on_progress) {
  const link = document.querySelector('link[rel=preload][href$="_bg.wasm"]');
  const wasm = dir ? new URL(`${dir}/${dir}_bg.wasm`, document.baseURI).href : link.href;
  const glue = wasm.replace(/_bg\.wasm$/, '.js');
  const w = new Worker(new URL('engine-worker.js', document.baseURI), { type: 'module' });
  w.onmessage = (e) => (e.data.save ? on_save(e.data.save, e.data.raw, e.data.ms || 0)
    : e.data.progress ? on_progress(e.data.id, e.data.progress[0], e.data.progress[1])
    : on_reply(e.data.id, e.data.ok, e.data.text || '', e.data.ms || 0, e.data.gz));
  w.onerror = (e) => { e.preventDefault(); on_error(e.message || 'the engine stopped'); };
  const boot = (module) => w.postMessage({ boot: { glue, module } });
  Promise.resolve(dir ? null : window.__flexcalcWasm).then((m) => boot(m || wasm), () => boot(wasm));
  return w;
}
export function worker_post(w, id, kind, text, save) { w.postMessage({ id, kind, text, save }); }
// A file's bytes go to the worker without a copy (transferred); without a file, the worker
// reads the one it holds again.
export function worker_post_file(w, id, kind, file, text, zone) {
  if (!file) { w.postMessage({ id, kind, text, zone }); return; }
  file.arrayBuffer().then((buf) => w.postMessage({ id, kind, text, zone, file: buf }, [buf]),
    (e) => w.postMessage({ id, kind, text, unreadable: String(e && e.message) }));
}
// In the worker: gzip is the browser's CompressionStream, run here so a big team's save
// costs the page nothing; the bytes go back without a copy (transferred).
function gzip(text) {
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
}
function gzip_request(d) {
  const t0 = performance.now();
  gzip(d.text).then(
    (gz) => self.postMessage({ id: d.id, ok: true, gz, ms: performance.now() - t0 }, [gz]),
    (e) => self.postMessage({ id: d.id, ok: false, text: '\tgzip: ' + (e && e.message) }));
}
export function worker_end(w) { w.terminate(); }
// In the worker: requests that came while the wasm started wait in __flexcalcEarly.
export function worker_listen(cb) {
  const take = (d) => {
    if (d.unreadable) { self.postMessage({ id: d.id, ok: false, text: 'the file could not be read: ' + d.unreadable }); return; }
    if (d.file) self.__flexcalcFile = new Uint8Array(d.file);
    return d.kind === 'gzip' ? gzip_request(d) : cb(d.id, d.kind, d.text, !!d.save, d.zone || '');
  };
  self.onmessage = (e) => { if (!e.data.boot) take(e.data); };
  for (const d of self.__flexcalcEarly.splice(0)) take(d);
}
export function worker_reply(id, ok, text, ms) { self.postMessage({ id, ok, text, ms }); }
// In the worker, while a file is read: how far (done of total), posted as the reading goes.
export function worker_progress(id, done, total) { self.postMessage({ id, progress: [done, total] }); }
export function worker_file() { return self.__flexcalcFile || new Uint8Array(0); }
// The scenario's JSON for the autosave, gzipped here; a failure is left to the page's
// fallback (it saves the text itself).
export function worker_save_skipped() { self.postMessage({ save: 'skipped' }); }
export function worker_save(text) {
  const t0 = performance.now();
  gzip(text).then((gz) => self.postMessage({ save: gz, raw: text.length, ms: performance.now() - t0 }, [gz]),
    () => self.postMessage({ save: 'failed', raw: text.length }));
}
"#)]
    extern "C" {
        pub fn in_worker() -> bool;
        fn worker_new(
            dir: &str,
            on_reply: &JsValue,
            on_error: &JsValue,
            on_save: &JsValue,
            on_progress: &JsValue,
        ) -> JsValue;
        fn worker_post(w: &JsValue, id: u32, kind: &str, text: &str, save: bool);
        fn worker_post_file(
            w: &JsValue,
            id: u32,
            kind: &str,
            file: &JsValue,
            text: &str,
            zone: &str,
        );
        fn worker_file() -> Vec<u8>;
        fn worker_end(w: &JsValue);
        fn worker_listen(cb: &Closure<dyn FnMut(u32, String, String, bool, String)>);
        fn worker_reply(id: u32, ok: bool, text: &str, ms: f64);
        fn worker_progress(id: u32, done: f64, total: f64);
        fn worker_save(text: &str);
        fn worker_save_skipped();
    }

    /// What a reply carries: the text, and the bytes of a `gzip` request.
    type Reply = Box<dyn FnOnce(Result<(String, JsValue), InputError>)>;

    /// The worker's answer to a request is `Kind::code`'s, or `GZIP`'s.
    const GZIP: &str = "gzip";

    struct Payload {
        kind: Kind,
        body: Body,
    }

    enum Body {
        /// A scenario: sent whole or as a patch of the one the worker holds, decided when it
        /// is sent; `save`: the worker saves it too.
        Scenario(Rc<Scenario>, bool),
        /// A file (a `File`, or null for the one the worker holds), the options' JSON,
        /// the time zone they name (fetched before the import) and who hears how far the
        /// worker has read.
        File(JsValue, String, String, Progress),
    }

    /// Hears an import's progress: done and total (bytes or rows).
    pub type Progress = Rc<dyn Fn(f64, f64)>;

    struct Request {
        id: u32,
        payload: Payload,
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
        /// The scenario the worker holds: the last run sent (the next run is a patch of it).
        held: Option<Rc<Scenario>>,
        next_id: u32,
        /// The import in flight's progress: its request id and who hears it.
        progress: Option<(u32, Progress)>,
    }

    thread_local! {
        /// Each worker's client, in `Which`'s order.
        static CLIENTS: [RefCell<Client>; 3] = Default::default();
    }

    fn with<T>(which: Which, f: impl FnOnce(&mut Client) -> T) -> T {
        CLIENTS.with(|c| f(&mut c[which as usize].borrow_mut()))
    }

    /// Asks the worker for `kind` of `s`; `reply` gets the text or the engine's refusal.
    /// Replaces a request of the same kind still queued, whose `reply` is then never
    /// called: it was superseded.
    pub fn ask(
        kind: Kind,
        s: Rc<Scenario>,
        reply: impl FnOnce(Result<String, InputError>) + 'static,
    ) {
        let reply: Reply = Box::new(|r| reply(r.map(|(text, _)| text)));
        let body = Body::Scenario(s, false);
        enqueue(Payload { kind, body }, reply);
    }

    /// Asks the import worker to read `file` (a `File`; null: the file it read last) with
    /// `options` (`ImportOptions` as JSON), as `ask` does; `progress` hears how far the
    /// worker has read it (done and total) while it reads.
    pub fn import(
        file: JsValue,
        options: String,
        zone: String,
        progress: impl Fn(f64, f64) + 'static,
        reply: impl FnOnce(Result<String, InputError>) + 'static,
    ) {
        let reply: Reply = Box::new(|r| reply(r.map(|(text, _)| text)));
        let body = Body::File(file, options, zone, Rc::new(progress));
        let kind = Kind::Import;
        enqueue(Payload { kind, body }, reply);
    }

    /// Stops `which` worker and what it was asked (each `reply` gets a refusal): the next
    /// request starts a new one. The import's Cancel.
    pub fn cancel(which: Which) {
        let replies = with(which, |c| {
            if let Some(w) = c.worker.take() {
                worker_end(&w);
            }
            c.held = None;
            c.progress = None;
            let mut all: Vec<Reply> = c.in_flight.take().into_iter().map(|(_, r)| r).collect();
            all.extend(c.queue.drain(..).map(|r| r.reply));
            all
        });
        for reply in replies {
            reply(Err(InputError::new("", "cancelled")));
        }
    }

    /// Runs the engine on `s` (and, with `save`, has the worker write the autosave's bytes,
    /// handed to `storage::stored_by_worker`), as `ask` does.
    pub fn run_scenario(
        s: Rc<Scenario>,
        save: bool,
        reply: impl FnOnce(Result<String, InputError>) + 'static,
    ) {
        let reply: Reply = Box::new(|r| reply(r.map(|(text, _)| text)));
        let body = Body::Scenario(s, save);
        let kind = Kind::Simulate;
        enqueue(Payload { kind, body }, reply);
    }

    /// `text` gzipped by the worker: the bytes (an `ArrayBuffer`) to `reply`.
    pub fn gzip(text: Rc<str>, reply: impl FnOnce(Result<JsValue, InputError>) + 'static) {
        let (w, id) = with(Which::Engine, |c| {
            c.next_id = c.next_id.wrapping_add(1);
            let id = c.next_id;
            c.gzipping.push((
                id,
                Box::new(|r: Result<(String, JsValue), InputError>| reply(r.map(|(_, gz)| gz))),
            ));
            (
                c.worker.get_or_insert_with(|| start(Which::Engine)).clone(),
                id,
            )
        });
        worker_post(&w, id, GZIP, &text, false);
    }

    fn enqueue(payload: Payload, reply: Reply) {
        let which = payload.kind.worker();
        with(which, |c| {
            c.queue.retain(|r| r.payload.kind != payload.kind);
            c.next_id = c.next_id.wrapping_add(1);
            let id = c.next_id;
            c.queue.push_back(Request { id, payload, reply });
        });
        pump(which);
    }

    /// Sends the next request if none is in flight (starting the worker if need be).
    fn pump(which: Which) {
        let send = with(which, |c| {
            if c.in_flight.is_some() {
                return None;
            }
            let r = c.queue.pop_front()?;
            let w = c.worker.get_or_insert_with(|| start(which)).clone();
            c.in_flight = Some((r.id, r.reply));
            let Payload { kind, body } = r.payload;
            let (scenario, save) = match body {
                Body::File(file, options, zone, progress) => {
                    c.progress = Some((r.id, progress));
                    return Some(Send::File(w, r.id, file, options, zone));
                }
                Body::Scenario(s, save) => (s, save),
            };
            let t0 = js::now_ms();
            let (patch, text) = run_message(c.held.as_deref(), &scenario);
            if kind == Kind::Simulate {
                js::set_perf("to_json_ms", js::now_ms() - t0);
                js::set_perf("to_worker_bytes", text.len() as f64);
            }
            c.held = Some(scenario);
            if save {
                storage::expect_worker_save();
            }
            let code = message_code(kind, patch);
            Some(Send::Text(w, r.id, code, text, save))
        });
        match send {
            Some(Send::Text(w, id, code, text, save)) => worker_post(&w, id, &code, &text, save),
            Some(Send::File(w, id, file, options, zone)) => {
                worker_post_file(&w, id, Kind::Import.code(), &file, &options, &zone)
            }
            None => {}
        }
    }

    /// A message on its way to a worker.
    enum Send {
        Text(JsValue, u32, String, String, bool),
        File(JsValue, u32, JsValue, String, String),
    }

    fn start(which: Which) -> JsValue {
        let on_reply = Closure::<dyn FnMut(u32, bool, String, f64, JsValue)>::new(
            move |id, ok, text: String, ms, gz: JsValue| {
                // The worker's own time on the request (the engine and writing its answer, or gzip).
                let what = if gz.is_undefined() {
                    "worker_ms"
                } else {
                    "gzip_ms"
                };
                js::set_perf(what, ms);
                let reply = with(which, |c| match c.in_flight.take() {
                    Some((want, reply)) if want == id => {
                        if c.progress.as_ref().is_some_and(|(p, _)| *p == id) {
                            c.progress = None;
                        }
                        Some(reply)
                    }
                    other => {
                        c.in_flight = other;
                        let i = c.gzipping.iter().position(|(want, _)| *want == id)?;
                        Some(c.gzipping.swap_remove(i).1)
                    }
                });
                if let Some(reply) = reply {
                    reply(if ok {
                        Ok((text, gz))
                    } else {
                        let e = read_error(&text);
                        if e.message.starts_with(INTERNAL) {
                            // The worker no longer holds what the page thinks: next run whole.
                            with(which, |c| c.held = None);
                        }
                        Err(e)
                    });
                }
                pump(which);
            },
        );
        // The worker died (an internal error, or it could not start): the requests under way
        // are refused with the reason, and the next one starts a new worker.
        let on_error = Closure::<dyn FnMut(String)>::new(move |why: String| {
            let replies = with(which, |c| {
                if let Some(w) = c.worker.take() {
                    worker_end(&w);
                }
                c.held = None;
                if which == Which::Engine {
                    storage::worker_lost();
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
            pump(which);
        });
        let on_save = Closure::<dyn FnMut(JsValue, f64, f64)>::new(|gz: JsValue, raw, ms| {
            js::set_perf("gzip_ms", ms);
            storage::stored_by_worker(gz, raw);
        });
        // Called outside the client's borrow: the callback may well ask the worker again.
        let on_progress = Closure::<dyn FnMut(u32, f64, f64)>::new(move |id, done, total| {
            let hear = with(which, |c| match &c.progress {
                Some((want, p)) if *want == id => Some(p.clone()),
                _ => None,
            });
            if let Some(p) = hear {
                p(done, total);
            }
        });
        let w = worker_new(
            match which {
                Which::Engine => "",
                Which::Advisor => "advisor",
                Which::Import => "import",
            },
            on_reply.as_ref(),
            on_error.as_ref(),
            on_save.as_ref(),
            on_progress.as_ref(),
        );
        // They live as long as the page (one worker of each at a time, rarely restarted).
        on_reply.forget();
        on_error.forget();
        on_save.forget();
        on_progress.forget();
        w
    }

    /// How an error of the worker's own (not the engine's refusal) begins.
    const INTERNAL: &str = "an internal error";

    thread_local! {
        /// The worker's request being answered, for the panic hook.
        static CURRENT: Cell<u32> = const { Cell::new(0) };
        /// The worker's scenario: the last run's (a patch applies to it).
        static HELD: RefCell<Option<Scenario>> = const { RefCell::new(None) };
    }

    thread_local! {
        /// What this worker answers (`ENGINE`, `ADVISOR` or `IMPORT`).
        static ANSWERS: Cell<Option<Answers>> = const { Cell::new(None) };
    }

    /// Imports the file the worker holds with `options`, once `zone` is in.
    fn import_file(id: u32, options: Rc<String>, zone: String) {
        if zones::missing(&zone) {
            let again = zone.clone();
            return zones::load_names(vec![zone], move || {
                import_file(id, options.clone(), again.clone())
            });
        }
        let Some(file) = ANSWERS.with(Cell::get).and_then(|a| a.file) else {
            return worker_reply(id, false, "\tthis worker imports no file", 0.0);
        };
        let t0 = js::now_ms();
        let mut progress = |done: u64, total: u64| worker_progress(id, done as f64, total as f64);
        match file(&worker_file(), &options, &mut progress) {
            Ok(text) => worker_reply(id, true, &text, js::now_ms() - t0),
            Err(e) => worker_reply(id, false, &error_text(&e), js::now_ms() - t0),
        }
    }

    /// A worker's entry: answers the page's requests one at a time with `answers`, after
    /// fetching the time zones a scenario (or an import) names.
    pub fn serve(answers: Answers) {
        ANSWERS.with(|a| a.set(Some(answers)));
        std::panic::set_hook(Box::new(|info| {
            worker_reply(CURRENT.with(Cell::get), false, &format!("\t{info}"), 0.0);
        }));
        let cb = Closure::<dyn FnMut(u32, String, String, bool, String)>::new(
            |id, code: String, text: String, save, zone: String| {
                CURRENT.with(|c| c.set(id));
                if code == Kind::Import.code() {
                    return import_file(id, Rc::new(text), zone);
                }
                let Some((kind, patch)) = read_code(&code) else {
                    return worker_reply(id, false, &format!("\tunknown request {code:?}"), 0.0);
                };
                let read = HELD.with(|h| read_message(&mut h.borrow_mut(), patch, &text));
                match read {
                    Ok(s) => {
                        HELD.with(|h| *h.borrow_mut() = Some(s));
                        run_held(id, kind, save);
                    }
                    Err(e) => worker_reply(id, false, &error_text(&e), 0.0),
                }
            },
        );
        worker_listen(&cb);
        // Listens for the worker's whole life.
        cb.forget();
    }

    /// Answers `kind` of the held scenario once its zones are in, then, with `save`, writes
    /// its autosave (after the answer, which the page waits for).
    fn run_held(id: u32, kind: Kind, save: bool) {
        let waiting = HELD.with(|h| {
            let h = h.borrow();
            let s = h.as_ref()?;
            zones::waiting(s).then(|| s.clone())
        });
        if let Some(s) = waiting {
            return zones::load(&s, move || run_held(id, kind, save));
        }
        HELD.with(|h| {
            let h = h.borrow();
            let Some(s) = h.as_ref() else { return };
            let t0 = js::now_ms();
            let Some(answers) = ANSWERS.with(Cell::get) else {
                return;
            };
            match (answers.scenario)(kind, s) {
                Ok(text) => worker_reply(id, true, &text, js::now_ms() - t0),
                Err(e) => worker_reply(id, false, &error_text(&e), js::now_ms() - t0),
            }
            if save {
                save_when_idle();
            }
        });
    }

    /// How long the worker waits, idle, before writing a run's autosave: a big team's JSON
    /// and its gzip take the worker 2 s, which the next edit's run would otherwise wait for.
    const SAVE_AFTER_MS: u32 = 300;

    thread_local! {
        /// Bumped by each run to save: a save whose run a newer one superseded is skipped.
        static SAVES: Cell<u32> = const { Cell::new(0) };
    }

    /// Writes the held scenario's autosave once no newer run came for `SAVE_AFTER_MS`, its
    /// JSON in steps of about `SAVE_STEP_MS` so that a run asked meanwhile is answered
    /// between them; a superseded save stops and says so (the page counts every save it
    /// asked for).
    fn save_when_idle() {
        let this = SAVES.with(|c| {
            c.set(c.get().wrapping_add(1));
            c.get()
        });
        let later = Closure::once_into_js(move || {
            let json = HELD.with(|h| h.borrow().as_ref().map(JsonInSteps::new));
            match json {
                Some(json) => save_step(this, json),
                None => worker_save_skipped(),
            }
        });
        js::later(SAVE_AFTER_MS, &later);
    }

    /// How long one step of an autosave's JSON may hold the worker.
    const SAVE_STEP_MS: f64 = 20.0;

    fn save_step(this: u32, mut json: JsonInSteps) {
        if SAVES.with(Cell::get) != this {
            return worker_save_skipped();
        }
        let t0 = js::now_ms();
        if let Some(text) = json.step(|| js::now_ms() - t0 < SAVE_STEP_MS) {
            return worker_save(&text);
        }
        let next = Closure::once_into_js(move || save_step(this, json));
        js::later(0, &next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::Outcome;
    use crate::ui::templates::starter;

    #[test]
    fn the_autosave_written_in_steps_is_the_scenarios_json() {
        let mut s = starter("Europe/Paris", "EUR", ["A", "B", "C"]);
        let whole = serde_json::to_string(&s).unwrap();
        let mut json = JsonInSteps::new(&s);
        // A run changes the held scenario between steps: the save writes the one it began.
        s.users.clear();
        let mut steps = 1;
        let text = loop {
            match json.step(|| false) {
                Some(text) => break text,
                None => steps += 1,
            }
        };
        assert_eq!(steps, 3, "one user a step");
        assert_eq!(text, whole);
        assert_eq!(
            JsonInSteps::new(&s).step(|| true).unwrap(),
            serde_json::to_string(&s).unwrap()
        );
    }

    #[test]
    fn an_answer_crosses_the_boundary_unchanged() {
        let s = starter("Europe/Paris", "EUR", ["A", "B", "C"]);
        let direct = compute(&s).unwrap();
        let text = engine_answer(Kind::Simulate, &s).unwrap();
        assert_eq!(read_answer::<Outcome>(&text).unwrap(), direct);
        // Packs mode: the packs' reports and the suggested order too.
        let preset = crate::ui::presets::find("manufacturing-run-dry")
            .unwrap()
            .json;
        let s = Scenario::from_json(preset).unwrap();
        let direct = compute(&s).unwrap();
        assert!(!direct.packs().is_empty() && direct.suggested.is_some());
        let back = read_answer::<Outcome>(&engine_answer(Kind::Simulate, &s).unwrap()).unwrap();
        assert_eq!(back, direct);
    }

    #[test]
    fn a_refusal_crosses_located() {
        let mut s = starter("UTC", "EUR", ["A", "B", "C"]);
        s.user_mut(0).unwrap().usage[0]
            .weekly
            .as_mut()
            .unwrap()
            .from = "25:00".into();
        let e = engine_answer(Kind::Simulate, &s).unwrap_err();
        assert_eq!(e.path, "users[0].usage[0].weekly.from");
        assert_eq!(read_error(&error_text(&e)), e);
        // A message at the top has no path; an internal error's text has no tab.
        let top = InputError::new("", "expected value");
        assert_eq!(read_error(&error_text(&top)), top);
        assert_eq!(read_error("boom").message, "boom");
        assert!(read_answer::<Outcome>("{not json").is_err());
    }

    #[test]
    fn a_run_travels_as_the_users_that_changed_and_reads_back_whole() {
        let preset = crate::ui::presets::find("architecture-studio")
            .unwrap()
            .json;
        let s0 = Scenario::from_json(preset).unwrap();
        let whole = serde_json::to_string(&s0).unwrap();
        // Nothing held: the whole scenario.
        let (patch, text) = run_message(None, &s0);
        assert_eq!((patch, text.as_str()), (false, whole.as_str()));
        let mut held = None;
        assert_eq!(read_message(&mut held, patch, &text).unwrap(), s0);
        // One user's edit: that user alone, read back into the whole scenario.
        let mut s1 = s0.clone();
        s1.user_mut(1).unwrap().name = Some("Zoë".into());
        let (patch, text) = run_message(Some(&s0), &s1);
        assert!(patch);
        assert!(
            text.len() * 2 < whole.len(),
            "{} of {}",
            text.len(),
            whole.len()
        );
        assert!(text.contains("Zoë") && !text.contains(&s0.users[0].id));
        let mut held = Some(s0.clone());
        assert_eq!(read_message(&mut held, patch, &text).unwrap(), s1);
        // A change outside the users (the currency): a patch of no user.
        let mut s2 = s1.clone();
        s2.currency = "JPY".into();
        let (patch, text) = run_message(Some(&s1), &s2);
        assert!(patch);
        assert_eq!(
            read_message(&mut Some(s1.clone()), patch, &text).unwrap(),
            s2
        );
        // A user added, or most users changed: whole again.
        let mut s3 = s2.clone();
        s3.users.push(s3.users[0].clone());
        assert!(!run_message(Some(&s2), &s3).0);
        let mut s4 = s2.clone();
        for u in &mut s4.users {
            Arc::make_mut(u).name = Some("X".into());
        }
        assert!(!run_message(Some(&s2), &s4).0);
        // A patch of a scenario the worker does not hold is an internal error.
        let (_, text) = run_message(Some(&s0), &s1);
        for mut wrong in [None, Some(s3.clone())] {
            let e = read_message(&mut wrong, true, &text).unwrap_err();
            assert!(e.message.starts_with("an internal error"), "{e}");
        }
    }

    #[test]
    fn the_charges_csv_is_the_engines() {
        let s = starter("UTC", "GBP", ["A", "B", "C"]);
        let csv = engine_answer(Kind::ChargesCsv, &s).unwrap();
        let model = validate(&s).unwrap();
        assert_eq!(csv, charges_csv(&run(&model)));
        assert!(csv.lines().count() > 1);
    }

    #[test]
    fn every_kind_crosses_whole_or_as_a_patch() {
        for k in KINDS {
            assert_eq!(Kind::from_code(k.code()), Some(k));
            for patch in [false, true] {
                assert_eq!(read_code(&message_code(k, patch)), Some((k, patch)));
            }
        }
        assert_eq!(read_code("gzip"), None);
        // Each worker answers its own kinds only (the advisor's wasm alone holds the advisor).
        let s = starter("UTC", "EUR", ["A", "B", "C"]);
        for k in KINDS.into_iter().filter(|k| *k != Kind::Import) {
            let (mine, other): (Answer, Answer) = match k.worker() {
                Which::Engine => (engine_answer, advisor_answer),
                Which::Advisor => (advisor_answer, engine_answer),
                Which::Import => unreachable!(),
            };
            assert!(!mine(k, &s).is_err_and(|e| e.message.contains("wrong worker")));
            assert!(other(k, &s).unwrap_err().message.contains("wrong worker"));
        }
        assert_eq!(read_code("-patch"), None);
    }

    #[test]
    fn the_advisors_answers_cross_unchanged() {
        use crate::engine::advise::{advise, sensitivity, Advice, Sensitivity};
        let preset = crate::ui::presets::find("architecture-studio")
            .unwrap()
            .json;
        let s = Scenario::from_json(preset).unwrap();
        assert!(!s.offerings.is_empty());
        let direct = serde_json::to_string(&advise(&s).unwrap()).unwrap();
        let text = advisor_answer(Kind::Advise, &s).unwrap();
        assert_eq!(text, direct);
        // Read on the page and written again: the same JSON, so nothing was lost.
        let back: Advice = read_answer(&text).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), direct);
        let direct = serde_json::to_string(&sensitivity(&s, &PERCENTS).unwrap()).unwrap();
        let text = advisor_answer(Kind::Sensitivity, &s).unwrap();
        assert_eq!(text, direct);
        let back: Sensitivity = read_answer(&text).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), direct);
        // A refusal is the engine's, located.
        let mut bad = s.clone();
        bad.offerings[0].annual = "-1".parse().unwrap();
        let e = advisor_answer(Kind::Advise, &bad).unwrap_err();
        assert!(e.path.starts_with("offerings[0]"), "{e}");
    }

    #[test]
    fn an_import_crosses_as_its_review_and_a_refusal_located() {
        use crate::engine::import::Review;
        let csv = "email,product_name,day_used,tokens_used\n\
                   ana@example.com,Revit,2026-04-01,12\n\
                   ana@example.com,Frobnicator,2026-04-02,5\n";
        let mut options = ImportOptions {
            currency: "GBP".into(),
            ..Default::default()
        };
        let mut heard = Vec::new();
        let text = import_answer(
            csv.as_bytes(),
            &serde_json::to_string(&options).unwrap(),
            &mut |done, total| heard.push((done, total)),
        )
        .unwrap();
        let r: Review = read_answer(&text).unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), text);
        // The reading's end is heard: every byte of the file.
        let len = csv.len() as u64;
        assert_eq!(heard.last(), Some(&(len, len)));
        assert_eq!(r.import.unmatched[0].name, "Frobnicator");
        assert_eq!(r.matched_tokens, 12);
        assert_eq!(
            (r.order.currency.as_str(), r.order.tokens_needed),
            ("GBP", 12)
        );
        assert_eq!(r.reconciliation[0].why.as_deref(), Some("rate"));
        // The review's own choices travel in the options: a name mapped by hand.
        options.products.insert("Frobnicator".into(), "maya".into());
        let text = import_answer(
            csv.as_bytes(),
            &serde_json::to_string(&options).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
        let r: Review = read_answer(&text).unwrap();
        assert!(r.import.unmatched.is_empty());
        assert_eq!(r.matched_tokens, 17);
        // A file that cannot be read: the import's located message.
        let e = import_answer(b"nothing,here\n1,2\n", "{}", &mut |_, _| {}).unwrap_err();
        assert!(e.message.starts_with("line 1, column 1:"), "{e}");
        assert!(import_answer(b"", "not json", &mut |_, _| {})
            .unwrap_err()
            .message
            .contains("internal"));
    }
}
