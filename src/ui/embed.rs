//! The app in a partner's iframe (docs/embedding.md, "The iframe form and its messages"):
//! the app's side of the `postMessage` protocol. Only when the page is framed, and only for
//! origins on the deployer's allow-list (`embed-origins.txt` beside `index.html`): the
//! handshake, a scenario set by the partner (as a share link opens one, undoable), the
//! estimate asked for, and every new answer of the engine sent to the one origin that
//! greeted the app, never to `*`. The figures are the engine's (`Insights`); the JSON of
//! the estimate is written here from them.

use std::cell::RefCell;

use serde::Serialize;

use crate::engine::price::Order;
use crate::engine::scenario::Scenario;
use crate::ui::state::Outcome;

/// What `flexcalc:estimate` carries (as the widget's `estimate-change`).
#[derive(Serialize)]
struct Estimate<'a> {
    tokens: u64,
    currency: &'a str,
    /// Money as a decimal string.
    total: String,
    order: Option<&'a Order>,
    scenario: &'a Scenario,
}

pub fn estimate_json(o: &Outcome, s: &Scenario) -> String {
    let i = &o.insights;
    let e = Estimate {
        tokens: i.tokens_charged,
        currency: &i.currency,
        total: i.money_spent.to_string(),
        order: i.order.as_ref(),
        scenario: s,
    };
    serde_json::to_string(&e).unwrap_or_default()
}

thread_local! {
    /// Requests waiting for the engine's next answer (their keys), and the last estimate.
    static WAITING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A new answer of the engine: sent to the partner, and to the requests waiting for it.
/// (Kept from the first answer on, when framed: the partner may greet the app later.)
pub fn answered(o: &Outcome, s: &Scenario) {
    if !dom::framed() {
        return;
    }
    let json = estimate_json(o, s);
    if dom::connected() {
        for key in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
            dom::post("flexcalc:estimate", &key, &json);
        }
        dom::post("flexcalc:estimate", "", &json);
    }
    LAST.with(|l| *l.borrow_mut() = Some(json));
}

/// The engine refused the scenario: the requests waiting for an answer get its message.
pub fn refused(message: &str) {
    for key in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
        dom::post("flexcalc:error", &key, &error_json(message));
    }
}

/// A request of the partner's (already checked for its origin): `set` opens a scenario
/// (or gets the engine's located refusal back).
pub fn request(kind: &str, key: String, scenario: &str, set: impl Fn(Scenario)) {
    match kind {
        "flexcalc:set-scenario" => match Scenario::from_json(scenario) {
            Ok(s) => {
                WAITING.with(|w| w.borrow_mut().push(key));
                set(s);
            }
            Err(e) => dom::post("flexcalc:error", &key, &error_json(&e.to_string())),
        },
        "flexcalc:get-estimate" => match LAST.with(|l| l.borrow().clone()) {
            Some(json) => dom::post("flexcalc:estimate", &key, &json),
            None => WAITING.with(|w| w.borrow_mut().push(key)),
        },
        _ => dom::post("flexcalc:error", &key, &error_json("unknown request")),
    }
}

fn error_json(message: &str) -> String {
    format!(
        "{{\"message\":{}}}",
        serde_json::to_string(message).unwrap_or_default()
    )
}

pub use dom::listen;

#[cfg(target_arch = "wasm32")]
mod dom {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(inline_js = r#"
let partner, allowed = [], n = 0;
const ids = {};
// Framed only. Until the allow-list is in, messages are dropped: the partner says hello again.
export function embed_listen(cb) {
  if (parent === window) return;
  fetch(new URL('embed-origins.txt', document.baseURI)).then((r) => (r.ok ? r.text() : '')).then((t) => {
    allowed = t.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  }, () => {});
  addEventListener('message', (e) => {
    const d = e.data;
    if (e.source !== parent || !d || d.flexcalc !== 1 || !allowed.includes(e.origin)) return;
    if (d.type === 'flexcalc:hello') {
      partner = e.origin;
      parent.postMessage({ flexcalc: 1, type: 'flexcalc:ready', id: d.id, detail: { version: 1 } }, partner);
    } else if (e.origin === partner) {
      ids[++n] = d.id;
      const s = d.detail && d.detail.scenario;
      cb(String(d.type), String(n), s === undefined ? '' : typeof s === 'string' ? s : JSON.stringify(s));
    }
  });
}
// 0: not framed, 1: framed, 2: a partner greeted the app.
export function embed_state() { return parent === window ? 0 : partner ? 2 : 1; }
export function embed_post(type, key, detail) {
  if (partner) parent.postMessage({ flexcalc: 1, type, id: ids[key], detail: JSON.parse(detail) }, partner);
  delete ids[key];
}
"#)]
    extern "C" {
        fn embed_listen(cb: &Closure<dyn FnMut(String, String, String)>);
        fn embed_state() -> u8;
        fn embed_post(kind: &str, key: &str, detail: &str);
    }

    /// Listens for the partner's messages, if the page is framed, for the page's life.
    pub fn listen(cb: impl Fn(String, String, String) + 'static) {
        let cb = Closure::<dyn FnMut(String, String, String)>::new(cb);
        embed_listen(&cb);
        cb.forget();
    }

    pub fn connected() -> bool {
        embed_state() == 2
    }

    pub fn framed() -> bool {
        embed_state() > 0
    }

    pub fn post(kind: &str, key: &str, detail: &str) {
        embed_post(kind, key, detail)
    }
}

/// Natively (the build's prerender) the page is never framed.
#[cfg(not(target_arch = "wasm32"))]
mod dom {
    pub fn listen(_cb: impl Fn(String, String, String) + 'static) {}

    pub fn connected() -> bool {
        false
    }

    pub fn framed() -> bool {
        false
    }

    pub fn post(_kind: &str, _key: &str, _detail: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::compute;
    use crate::ui::templates::starter;

    #[test]
    fn the_estimate_is_the_engines_with_money_as_a_decimal_string() {
        let s = starter("UTC", "EUR", ["A", "B", "C"]);
        let o = compute(&s).unwrap();
        let v: serde_json::Value = serde_json::from_str(&estimate_json(&o, &s)).unwrap();
        assert_eq!(v["tokens"], o.insights.tokens_charged);
        assert_eq!(v["currency"], "EUR");
        assert_eq!(v["total"], o.insights.money_spent.to_string());
        assert_eq!(v["order"]["total"], v["total"]);
        assert_eq!(v["scenario"]["users"].as_array().unwrap().len(), 3);
        let e: serde_json::Value = serde_json::from_str(&error_json("a \"quoted\" path")).unwrap();
        assert_eq!(e["message"], "a \"quoted\" path");
    }
}
