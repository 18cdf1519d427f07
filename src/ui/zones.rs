//! Time zones in the browser. The wasm carries no tz database: the build writes one TZif
//! file per zone into `dist/tz/` with the names in `tz/index.txt` (examples/tz_export.rs,
//! from the same data the CLI bundles). Before the engine sees a scenario, the app fetches
//! the zones it names (the team's and any user's) that are not yet registered, registers
//! them with the engine (`register_time_zone`), and only then validates and simulates.
//! A name the index does not list, or whose file cannot be fetched, stays unregistered,
//! so the engine refuses it with its usual located message. UTC needs no fetch.
//!
//! Natively (the UI's tests) the engine has the bundled database: nothing is ever waited for.

use crate::engine::scenario::Scenario;

/// The zone names a scenario uses: the team's, then each user's own, without repeats.
pub fn names(s: &Scenario) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let all = std::iter::once(s.timezone.as_str())
        .chain(s.users.iter().filter_map(|u| u.timezone.as_deref()));
    for name in all {
        if !out.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            out.push(name);
        }
    }
    out
}

/// Whether the scenario names a zone still to be fetched (the engine would refuse it now
/// but may accept it once its file is in).
pub fn waiting(s: &Scenario) -> bool {
    #[cfg(target_arch = "wasm32")]
    return names(s).into_iter().any(web::missing);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = s;
        false
    }
}

/// A name the browser reports as its own zone that can stand in a scenario: an
/// IANA-looking name (whether the tz data has it is known once the index is in).
pub fn plausible(name: &str) -> bool {
    !name.is_empty()
        && name != "Etc/Unknown"
        && name
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b))
}

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub use web::{load, load_names, missing};

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
mod web {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;

    use super::names;
    use crate::engine::scenario::Scenario;
    use crate::engine::time::{register_time_zone, time_zone};
    use crate::ui::js;

    thread_local! {
        /// The tz data's zone names (canonical spelling), once `tz/index.txt` is in.
        static INDEX: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
        static INDEX_LOADING: Cell<bool> = const { Cell::new(false) };
        /// Names whose data could not be had (not fetched, or not TZif): the engine refuses them.
        static FAILED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        /// Canonical names being fetched.
        static FETCHING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn listed(list: &[String], name: &str) -> bool {
        list.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    fn canonical(name: &str) -> Option<String> {
        INDEX.with(|i| {
            i.borrow()
                .as_ref()
                .and_then(|l| l.iter().find(|n| n.eq_ignore_ascii_case(name)).cloned())
        })
    }

    /// Not registered yet, and worth fetching: listed in the index (or the index not in yet).
    pub fn missing(name: &str) -> bool {
        if name.is_empty()
            || time_zone(name).is_some()
            || FAILED.with(|f| listed(&f.borrow(), name))
        {
            return false;
        }
        INDEX.with(|i| i.borrow().as_ref().is_none_or(|l| listed(l, name)))
    }

    fn fail(name: &str) {
        FAILED.with(|f| f.borrow_mut().push(name.to_string()));
    }

    /// Fetches what `s` is missing, then calls `done` (once, if anything was fetched).
    /// Names already being fetched are left to the fetch under way, whose own `done`
    /// comes later; calling this again after every `done` catches anything left.
    pub fn load(s: &Scenario, done: impl Fn() + 'static) {
        load_names(names(s).into_iter().map(str::to_string).collect(), done);
    }

    /// `load` for zones named otherwise (an import's).
    pub fn load_names(names: Vec<String>, done: impl Fn() + 'static) {
        let need: Vec<String> = names.into_iter().filter(|n| missing(n)).collect();
        if need.is_empty() {
            return;
        }
        let indexed = INDEX.with(|i| i.borrow().is_some());
        if !indexed {
            if INDEX_LOADING.with(|l| l.replace(true)) {
                return;
            }
            let cb = Closure::once_into_js(move |text: Option<String>| {
                INDEX_LOADING.with(|l| l.set(false));
                match text {
                    Some(t) => INDEX
                        .with(|i| *i.borrow_mut() = Some(t.lines().map(str::to_string).collect())),
                    // No index: the names asked for are refused for this page's life (a name
                    // not asked for yet tries the index again).
                    None => need.iter().for_each(|n| fail(n)),
                }
                done();
            });
            js::fetch_text("tz/index.txt", &cb);
            return;
        }
        let need: Vec<String> = need
            .iter()
            .filter_map(|n| canonical(n))
            .filter(|c| !FETCHING.with(|f| listed(&f.borrow(), c)))
            .collect();
        if need.is_empty() {
            return;
        }
        let left = Rc::new(Cell::new(need.len()));
        let done = Rc::new(done);
        for name in need {
            FETCHING.with(|f| f.borrow_mut().push(name.clone()));
            let (left, done) = (left.clone(), done.clone());
            let path = format!("tz/{name}");
            let cb = Closure::once_into_js(move |bytes: Option<Vec<u8>>| {
                FETCHING.with(|f| f.borrow_mut().retain(|n| *n != name));
                if !bytes.is_some_and(|b| register_time_zone(&name, &b)) {
                    fail(&name);
                }
                left.set(left.get() - 1);
                if left.get() == 0 {
                    done();
                }
            });
            js::fetch_bytes(&path, &cb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::templates::starter;

    #[test]
    fn a_scenario_names_its_team_zone_and_each_users_own_once() {
        let mut s = starter("Europe/Paris", "EUR", ["A", "B", "C"]);
        s.user_mut(0).unwrap().timezone = Some("Asia/Tokyo".into());
        s.user_mut(1).unwrap().timezone = Some("europe/paris".into());
        s.user_mut(2).unwrap().timezone = Some("Asia/Tokyo".into());
        assert_eq!(names(&s), ["Europe/Paris", "Asia/Tokyo"]);
        // Natively the engine has the bundled database: nothing to wait for.
        assert!(!waiting(&s));
    }

    #[test]
    fn the_browser_zone_is_used_when_it_reads_as_a_zone_name() {
        for ok in [
            "UTC",
            "Europe/Paris",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
        ] {
            assert!(plausible(ok), "{ok}");
        }
        for bad in [
            "",
            "Etc/Unknown",
            "../x",
            "/UTC",
            "Europe//Paris",
            "Europe/Paris ",
        ] {
            assert!(!plausible(bad), "{bad:?}");
        }
    }
}
