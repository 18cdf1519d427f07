//! Autosave: the scenario, in exactly the CLI's format, in IndexedDB (database `flexcalc`,
//! store `state`, key `scenario`; gzipped by the browser when that makes it smaller), and
//! the UI language in local storage (`flexcalc.lang`, read synchronously by index.html).
//!
//! Local storage held the scenario before (`flexcalc.scenario`, or the first draft's
//! `flexcalc`), and still does when IndexedDB refuses a write (the fallback). So a copy in
//! local storage is always newer than IndexedDB's: it is the one loaded, written into
//! IndexedDB, and removed from local storage once that write succeeds. An unreadable state
//! is set aside (kept under a backup key, never deleted) and the app starts fresh with a
//! visible message. Writes are serialised, the latest text wins, and a write that both
//! stores refuse is reported (`SaveStatus::failed`) until a later one succeeds.
//!
//! The decisions are plain Rust (`plan`, `Queue`), tested natively; the browser side
//! (`restore`, `save`, `watch`) is wasm-only.

use std::rc::Rc;

use crate::engine::scenario::Scenario;

pub const KEY: &str = "flexcalc.scenario";
pub const LANG_KEY: &str = "flexcalc.lang";
/// The first draft's key, read once and migrated.
pub const LEGACY_KEY: &str = "flexcalc";
pub const BACKUP_KEY: &str = "flexcalc.scenario.unreadable";
/// The scenario's key in IndexedDB's store; an unreadable record is kept under
/// `IDB_BACKUP_KEY` (the browser side sets aside a record it cannot even decode itself).
pub const IDB_KEY: &str = "scenario";
pub const IDB_BACKUP_KEY: &str = "scenario.unreadable";

/// What loading found, for the message the app shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// An older saved state was converted.
    Migrated,
    /// The saved state could not be read; the app started fresh. The detail says why.
    Reset(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub scenario: Option<Scenario>,
    pub notice: Option<Notice>,
}

/// Reads what local storage held under the current and the legacy key.
pub fn load(current: Option<&str>, legacy: Option<&str>) -> Loaded {
    if let Some(text) = current {
        return match Scenario::from_json(text) {
            Ok(s) => Loaded {
                scenario: Some(s),
                notice: None,
            },
            Err(e) => Loaded {
                scenario: None,
                notice: Some(Notice::Reset(e.to_string())),
            },
        };
    }
    match legacy {
        None => Loaded {
            scenario: None,
            notice: None,
        },
        Some(text) => match Scenario::from_json(text) {
            Ok(s) => Loaded {
                scenario: Some(s),
                notice: Some(Notice::Migrated),
            },
            Err(e) => Loaded {
                scenario: None,
                notice: Some(Notice::Reset(e.to_string())),
            },
        },
    }
}

/// What IndexedDB answered when asked for the saved scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The saved text.
    Text(String),
    /// Nothing saved yet.
    Empty,
    /// A record that could not be decoded (the browser side has already set it aside under
    /// `IDB_BACKUP_KEY`); the detail says why.
    Unreadable(String),
    /// IndexedDB cannot be used (absent, private mode, refused, blocked); the detail says
    /// why. Writes then go to local storage for the page's life.
    Unavailable(String),
}

/// Where a write went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Idb,
    Local,
}

/// What to do on start, given what both stores hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The scenario to start with and the message to show.
    pub loaded: Loaded,
    /// An unreadable text to keep under the backup key of the store it came from.
    pub set_aside: Option<(Place, String)>,
    /// A text from local storage to write into IndexedDB now (local storage's copies are
    /// removed once a write into IndexedDB succeeds).
    pub migrate: Option<String>,
    /// What IndexedDB already holds, when it is what was loaded (an identical save is
    /// skipped).
    pub saved: Option<String>,
    /// Whether to write into IndexedDB this time (else into local storage only, so a
    /// store that failed to open is never overwritten by a fresh team).
    pub use_idb: bool,
}

/// Decides what to load: a copy in local storage first (a previous version's, or a
/// fallback write, newer than IndexedDB's either way), else IndexedDB's.
pub fn plan(idb: Stored, current: Option<String>, legacy: Option<String>) -> Plan {
    let use_idb = !matches!(idb, Stored::Unavailable(_));
    if current.is_some() || legacy.is_some() {
        let loaded = load(current.as_deref(), legacy.as_deref());
        let text = current.or(legacy);
        let (set_aside, migrate) = match loaded.scenario {
            Some(_) => (None, text.filter(|_| use_idb)),
            None => (text.map(|t| (Place::Local, t)), None),
        };
        return Plan {
            loaded,
            set_aside,
            migrate,
            saved: None,
            use_idb,
        };
    }
    let (loaded, set_aside, saved) = match idb {
        Stored::Text(text) => {
            let loaded = load(Some(&text), None);
            if loaded.scenario.is_some() {
                (loaded, None, Some(text))
            } else {
                (loaded, Some((Place::Idb, text)), None)
            }
        }
        Stored::Unreadable(why) => (
            Loaded {
                scenario: None,
                notice: Some(Notice::Reset(why)),
            },
            None,
            None,
        ),
        Stored::Empty | Stored::Unavailable(_) => (load(None, None), None, None),
    };
    Plan {
        loaded,
        set_aside,
        migrate: None,
        saved,
        use_idb,
    }
}

/// How autosave is doing, for the app: the warning shows while `failed` is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveStatus {
    /// Where the last write that succeeded went (`None` before the first).
    pub saved: Option<Place>,
    /// Why the last write failed, when both stores refused it: the work is not being
    /// saved. Cleared by the next write that succeeds.
    pub failed: Option<String>,
}

impl SaveStatus {
    /// The text of the persistent warning, if it is to show.
    pub fn warning(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    fn after(&mut self, result: Result<Place, String>) {
        match result {
            Ok(place) => {
                self.saved = Some(place);
                self.failed = None;
            }
            Err(why) => self.failed = Some(why),
        }
    }
}

/// The save queue: one write at a time; while one is under way, only the latest text
/// waits (each new one replaces the one waiting), and it is written when the current write
/// ends, so an older text is never the last written. A text equal to the one being
/// written (with nothing waiting) or to the last one written is not written again.
#[derive(Debug, Default)]
pub struct Queue {
    writing: Option<Rc<str>>,
    waiting: Option<Rc<str>>,
    /// The text the stores hold, as far as known.
    last: Option<Rc<str>>,
    pub status: SaveStatus,
}

impl Queue {
    /// A queue knowing that the stores hold `saved` already.
    pub fn new(saved: Option<Rc<str>>) -> Queue {
        Queue {
            last: saved,
            ..Queue::default()
        }
    }

    /// A new text to save: the text to start writing now, if any (else it waits, or is
    /// already saved).
    pub fn submit(&mut self, text: Rc<str>) -> Option<Rc<str>> {
        match &self.writing {
            Some(w) => {
                self.waiting = (*w != text).then_some(text);
                None
            }
            None if self.last.as_ref() == Some(&text) => None,
            None => {
                self.writing = Some(text.clone());
                Some(text)
            }
        }
    }

    /// The write under way ended: the next text to write, if one waits.
    pub fn done(&mut self, result: Result<Place, String>) -> Option<Rc<str>> {
        let written = self.writing.take();
        self.last = if result.is_ok() { written } else { None };
        self.status.after(result);
        let next = self.waiting.take()?;
        if self.last.as_ref() == Some(&next) {
            return None;
        }
        self.writing = Some(next.clone());
        Some(next)
    }

    /// Whether a write is under way.
    pub fn busy(&self) -> bool {
        self.writing.is_some()
    }
}

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub use web::{
    by_worker, expect_worker_save, guard_exit, restore, save, saving, status, stored_by_worker,
    watch, worker_lost,
};

/// The browser side: IndexedDB through `js::idb_*`, local storage as the fallback.
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
mod web {
    use super::*;
    use crate::ui::js;
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::prelude::*;

    struct Saver {
        queue: Queue,
        /// Why IndexedDB is not used this time (it failed to open on start).
        no_idb: Option<String>,
        watcher: Option<Rc<dyn Fn(SaveStatus)>>,
    }

    thread_local! {
        static SAVER: RefCell<Saver> = RefCell::new(Saver { queue: Queue::default(), no_idb: None, watcher: None });
    }

    /// Reads the saved state (asynchronously), migrates a copy from local storage into
    /// IndexedDB, sets an unreadable one aside, then calls `then` with what to start with.
    pub fn restore(then: impl FnOnce(Loaded) + 'static) {
        let done = Closure::once_into_js(
            move |text: Option<String>, error: Option<String>, unreadable: bool| {
                let idb = match (text, error) {
                    (Some(t), _) => Stored::Text(t),
                    (None, None) => Stored::Empty,
                    (None, Some(e)) if unreadable => Stored::Unreadable(e),
                    (None, Some(e)) => Stored::Unavailable(e),
                };
                let no_idb = match &idb {
                    Stored::Unavailable(e) => Some(format!("IndexedDB: {e}")),
                    _ => None,
                };
                let p = plan(idb, js::storage_get(KEY), js::storage_get(LEGACY_KEY));
                match p.set_aside {
                    Some((Place::Local, text)) if !js::storage_set(BACKUP_KEY, &text) => {
                        js::idb_save(IDB_BACKUP_KEY, &text, &JsValue::UNDEFINED)
                    }
                    Some((Place::Idb, text)) => {
                        js::idb_save(IDB_BACKUP_KEY, &text, &JsValue::UNDEFINED)
                    }
                    _ => {}
                }
                SAVER.with(|s| {
                    let mut s = s.borrow_mut();
                    s.queue = Queue::new(p.saved.map(Rc::from));
                    s.no_idb = no_idb;
                });
                if let Some(text) = p.migrate {
                    save(text);
                }
                then(p.loaded);
            },
        );
        js::idb_load(IDB_KEY, &done);
    }

    /// Saves `text` (the scenario's JSON) after the writes under way; only the latest
    /// waiting text is written.
    pub fn save(text: impl Into<Rc<str>>) {
        if let Some(t) = SAVER.with(|s| s.borrow_mut().queue.submit(text.into())) {
            write(t);
        }
    }

    /// How autosave is doing now.
    pub fn status() -> SaveStatus {
        SAVER.with(|s| s.borrow().queue.status.clone())
    }

    /// Calls `f` with the status each time a write ends and the status changed.
    pub fn watch(f: impl Fn(SaveStatus) + 'static) {
        SAVER.with(|s| s.borrow_mut().watcher = Some(Rc::new(f)));
    }

    /// Whether the engine's worker writes the autosave (IndexedDB opened at start): the
    /// page then never writes a big team's JSON itself. Else the page saves the text
    /// (`save`), to local storage.
    pub fn by_worker() -> bool {
        SAVER.with(|s| s.borrow().no_idb.is_none())
    }

    /// The scenario the worker saves, for the fallback's text should IndexedDB refuse it.
    pub fn saving(s: Rc<Scenario>) {
        SOURCE.with(|x| *x.borrow_mut() = Some(s));
    }

    thread_local! {
        static SOURCE: RefCell<Option<Rc<Scenario>>> = const { RefCell::new(None) };
    }

    /// The worker's gzipped JSON of the scenario (`gz`, an `ArrayBuffer`, of `raw` bytes):
    /// stored as `write` would, with the same fallback and report. The worker's saves come
    /// in the order of the runs and IndexedDB writes in order, so the latest is the last.
    pub fn stored_by_worker(gz: JsValue, raw: f64) {
        PENDING.with(|p| p.set(p.get().saturating_sub(1)));
        let text = || {
            SOURCE.with(|x| {
                x.borrow()
                    .as_ref()
                    .map(|s| serde_json::to_string(&**s).unwrap_or_default())
                    .unwrap_or_default()
            })
        };
        if gz.as_string().as_deref() == Some("skipped") {
            // A newer run's save is coming instead.
            return;
        }
        if gz.is_string() {
            return fallback(&text(), String::from("gzip: refused by the browser"));
        }
        js::idb_save_gz(IDB_KEY, &gz, raw, &idb_done(text));
    }

    /// What an IndexedDB write reports to: the end of the write, or the fallback with the
    /// text `text` gives.
    fn idb_done(text: impl FnOnce() -> String + 'static) -> JsValue {
        Closure::once_into_js(move |ok: bool, detail: String| {
            if ok {
                // IndexedDB holds the latest: local storage's copies are older.
                js::storage_remove(KEY);
                js::storage_remove(LEGACY_KEY);
                finished(Ok(Place::Idb));
            } else {
                fallback(&text(), format!("IndexedDB: {detail}"));
            }
        })
    }

    /// From this size on, the text is gzipped in the engine's worker.
    const GZIP_IN_WORKER: usize = 1 << 20;

    fn write(text: Rc<str>) {
        js::set_perf("saving", 1.0);
        let no_idb = SAVER.with(|s| s.borrow().no_idb.clone());
        match no_idb {
            Some(why) => fallback(&text, why),
            None => {
                let t = text.clone();
                let done = idb_done(move || t.to_string());
                // A big team's text is gzipped by the engine's worker, off the page's thread
                // (CompressionStream on the page ran 3 s in one task for 84 MB).
                if text.len() >= GZIP_IN_WORKER {
                    let raw = text.len() as f64;
                    crate::ui::worker::gzip(text.clone(), move |gz| match gz {
                        Ok(gz) => js::idb_save_gz(IDB_KEY, &gz, raw, &done),
                        Err(e) => fallback(&text, format!("gzip: {}", e.message)),
                    });
                } else {
                    js::idb_save(IDB_KEY, &text, &done);
                }
            }
        }
    }

    /// IndexedDB refused (`why`): local storage, else the failure is reported.
    fn fallback(text: &str, why: String) {
        let result = if js::storage_set(KEY, text) {
            js::storage_remove(LEGACY_KEY);
            Ok(Place::Local)
        } else {
            Err(format!("{why}; localStorage: refused"))
        };
        finished(result);
    }

    fn finished(result: Result<Place, String>) {
        let (next, status, watcher) = SAVER.with(|s| {
            let mut s = s.borrow_mut();
            let before = s.queue.status.clone();
            let next = s.queue.done(result);
            let status = s.queue.status.clone();
            let watcher = (status != before).then(|| s.watcher.clone()).flatten();
            (next, status, watcher)
        });
        if let Some(w) = watcher {
            w(status);
        }
        match next {
            Some(t) => write(t),
            // The page's figure (tests wait on it): 0 once no write is under way or expected.
            None if PENDING.with(Cell::get) == 0 => js::set_perf("saving", 0.0),
            None => {}
        }
    }

    thread_local! {
        /// The worker's saves still to come: one per run sent with `save`.
        static PENDING: Cell<u32> = const { Cell::new(0) };
    }

    /// A run was sent for the worker to save: its bytes are to come.
    pub fn expect_worker_save() {
        PENDING.with(|p| p.set(p.get() + 1));
        js::set_perf("saving", 1.0);
    }

    /// Leaving the page while a save is still to come (the worker writes a run's save once
    /// idle, after its answer): the scenario goes to local storage at once, synchronously,
    /// where the next start takes it as the newer copy (`plan`) and moves it into
    /// IndexedDB. A big team may not fit there; it then keeps the save before.
    pub fn guard_exit() {
        let cb = Closure::<dyn Fn()>::new(|| {
            let pending = PENDING.with(Cell::get) > 0 || SAVER.with(|s| s.borrow().queue.busy());
            if !pending {
                return;
            }
            let text = SOURCE.with(|x| {
                x.borrow()
                    .as_ref()
                    .map(|s| serde_json::to_string(&**s).unwrap_or_default())
            });
            if let Some(text) = text {
                js::storage_set(KEY, &text);
            }
        });
        js::on_page_hide(&cb);
        // Listens for the page's whole life.
        cb.forget();
    }

    /// The worker stopped: the saves it owed will not come (the next run is saved anew).
    pub fn worker_lost() {
        PENDING.with(|p| p.set(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = r#"{"flexcalc":1,"currency":"JPY","timezone":"Asia/Tokyo","period":{"start":"2027-04-01","months":12},"users":[{"id":"a"}]}"#;

    #[test]
    fn round_trip_in_the_cli_format() {
        let s = Scenario::from_json(S).unwrap();
        let l = load(Some(&s.to_json()), None);
        assert_eq!(
            l,
            Loaded {
                scenario: Some(s),
                notice: None
            }
        );
        assert_eq!(
            load(None, None),
            Loaded {
                scenario: None,
                notice: None
            }
        );
    }

    #[test]
    fn the_legacy_key_is_migrated() {
        let l = load(None, Some(S));
        assert_eq!(l.notice, Some(Notice::Migrated));
        assert_eq!(l.scenario.unwrap().currency, "JPY");
    }

    #[test]
    fn corrupt_states_reset_with_the_located_reason() {
        for bad in [
            "{not json",
            "[]",
            r#"{"flexcalc":1}"#,
            r#"{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{"start":"2027-01-01","months":1},"userz":[]}"#,
        ] {
            let l = load(Some(bad), Some(S));
            assert!(l.scenario.is_none(), "{bad}");
            assert!(
                matches!(l.notice, Some(Notice::Reset(ref why)) if !why.is_empty()),
                "{bad}"
            );
        }
        let l = load(
            Some(
                r#"{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{"start":"2027-01-01","months":1},"userz":[]}"#,
            ),
            None,
        );
        assert!(
            matches!(l.notice, Some(Notice::Reset(ref why)) if why.contains("userz")),
            "{l:?}"
        );
    }

    fn text(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn indexeddb_is_read_when_local_storage_is_empty() {
        let p = plan(Stored::Text(S.into()), None, None);
        assert_eq!(p.loaded.scenario.unwrap().currency, "JPY");
        assert_eq!(p.loaded.notice, None);
        assert_eq!(
            (p.saved.as_deref(), p.migrate, p.set_aside),
            (Some(S), None, None)
        );
        assert!(p.use_idb);
        let p = plan(Stored::Empty, None, None);
        assert_eq!(
            (p.loaded.scenario, p.loaded.notice, p.saved),
            (None, None, None)
        );
    }

    #[test]
    fn the_previous_versions_local_storage_is_migrated() {
        // flexcalc.scenario: loaded as it is, written into IndexedDB (the browser side
        // removes it from local storage once that write succeeds).
        let p = plan(Stored::Empty, text(S), None);
        assert_eq!(p.loaded.notice, None);
        assert!(p.loaded.scenario.is_some());
        assert_eq!(
            (p.migrate.as_deref(), p.saved, p.set_aside),
            (Some(S), None, None)
        );
        // The first draft's key: the same, with the message.
        let p = plan(Stored::Empty, None, text(S));
        assert_eq!(p.loaded.notice, Some(Notice::Migrated));
        assert_eq!(p.migrate.as_deref(), Some(S));
        // A copy in local storage (a fallback write) is newer than IndexedDB's.
        let newer = S.replace("JPY", "EUR");
        let p = plan(Stored::Text(S.into()), Some(newer.clone()), None);
        assert_eq!(p.loaded.scenario.unwrap().currency, "EUR");
        assert_eq!((p.migrate, p.saved), (Some(newer), None));
    }

    #[test]
    fn without_indexeddb_local_storage_is_read_and_written() {
        let p = plan(Stored::Unavailable("SecurityError".into()), text(S), None);
        assert!(p.loaded.scenario.is_some());
        assert!(!p.use_idb);
        assert_eq!(
            p.migrate, None,
            "nothing to move into a store that does not open"
        );
        let p = plan(Stored::Unavailable("SecurityError".into()), None, None);
        assert_eq!(
            (p.loaded.scenario, p.loaded.notice, p.use_idb),
            (None, None, false)
        );
    }

    #[test]
    fn unreadable_saves_are_set_aside_where_they_were() {
        let p = plan(Stored::Empty, text("{broken"), text(S));
        assert!(p.loaded.scenario.is_none());
        assert!(matches!(p.loaded.notice, Some(Notice::Reset(_))));
        assert_eq!(p.set_aside, Some((Place::Local, "{broken".into())));
        assert_eq!(p.migrate, None);
        let p = plan(Stored::Text("[]".into()), None, None);
        assert!(matches!(p.loaded.notice, Some(Notice::Reset(_))));
        assert_eq!(
            (p.set_aside, p.saved),
            (Some((Place::Idb, "[]".into())), None)
        );
        // A record the browser could not decode: set aside by the browser side already.
        let p = plan(Stored::Unreadable("TypeError: bad gzip".into()), None, None);
        assert_eq!(
            p.loaded.notice,
            Some(Notice::Reset("TypeError: bad gzip".into()))
        );
        assert_eq!((p.set_aside, p.use_idb), (None, true));
    }

    fn rc(s: &str) -> Rc<str> {
        Rc::from(s)
    }

    #[test]
    fn saves_are_serialised_and_the_latest_wins() {
        let mut q = Queue::default();
        assert_eq!(q.submit(rc("a")), Some(rc("a")));
        assert!(q.busy());
        // While "a" is written, "b" then "c" come: only "c" waits.
        assert_eq!(q.submit(rc("b")), None);
        assert_eq!(q.submit(rc("c")), None);
        assert_eq!(q.done(Ok(Place::Idb)), Some(rc("c")));
        assert_eq!(q.done(Ok(Place::Idb)), None);
        assert!(!q.busy());
        // Back to the text being written: nothing waits any more (never "d" last).
        assert_eq!(q.submit(rc("d")), Some(rc("d")));
        assert_eq!(q.submit(rc("e")), None);
        assert_eq!(q.submit(rc("d")), None);
        assert_eq!(q.done(Ok(Place::Idb)), None);
        // ...but after another text waited, the one being written is written again.
        assert_eq!(q.submit(rc("f")), Some(rc("f")));
        assert_eq!(q.submit(rc("d")), None);
        assert_eq!(q.submit(rc("f")), None);
        assert_eq!(q.done(Ok(Place::Idb)), None);
        assert_eq!(q.submit(rc("d")), Some(rc("d")));
        assert_eq!(q.done(Ok(Place::Local)), None);
    }

    #[test]
    fn a_text_already_stored_is_not_written_again() {
        let mut q = Queue::new(Some(rc("a")));
        assert_eq!(q.submit(rc("a")), None);
        assert_eq!(q.submit(rc("b")), Some(rc("b")));
        assert_eq!(q.submit(rc("a")), None);
        assert_eq!(q.done(Ok(Place::Idb)), Some(rc("a")));
        assert_eq!(q.done(Ok(Place::Idb)), None);
        assert_eq!(q.submit(rc("a")), None);
        // After a failure what the stores hold is unknown: the same text is tried again.
        assert_eq!(q.submit(rc("b")), Some(rc("b")));
        assert_eq!(q.done(Err("full".into())), None);
        assert_eq!(q.submit(rc("b")), Some(rc("b")));
    }

    #[test]
    fn a_refused_save_warns_until_a_later_one_succeeds() {
        let mut q = Queue::default();
        assert_eq!(q.status.warning(), None);
        q.submit(rc("a"));
        q.submit(rc("b"));
        let why = "IndexedDB: QuotaExceededError: full; localStorage: refused";
        assert_eq!(q.done(Err(why.into())), Some(rc("b")));
        assert_eq!(q.status.warning(), Some(why));
        assert_eq!(q.status.saved, None);
        // Still shown while the next write is under way, and after it fails too.
        assert_eq!(q.done(Err("again".into())), None);
        assert_eq!(q.status.warning(), Some("again"));
        // Gone once one succeeds, wherever it went.
        q.submit(rc("c"));
        assert_eq!(q.done(Ok(Place::Local)), None);
        assert_eq!(
            q.status,
            SaveStatus {
                saved: Some(Place::Local),
                failed: None
            }
        );
        q.submit(rc("d"));
        q.done(Err("full".into()));
        assert_eq!(
            q.status.saved,
            Some(Place::Local),
            "the last success is remembered"
        );
        assert!(q.status.warning().is_some());
    }
}
