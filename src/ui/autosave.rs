//! Autosave in the app: a hook that saves the scenario after each change (through
//! `storage::save`, serialised, the latest text winning) and answers how saving goes, and
//! the persistent warning shown while the browser refuses to store the work.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::engine::scenario::Scenario;
use crate::ui::i18n::{t, Lang};
use crate::ui::js;
use crate::ui::storage::{self, SaveStatus};

/// Saves `scenario` after each change of `rev` (just after the render, so typing never
/// waits for the write) and `lang` when it changes; re-renders the caller only when the
/// status changes (a failure, or the first success after one).
#[hook]
pub fn use_autosave(scenario: Rc<Scenario>, rev: u64, lang: Lang) -> SaveStatus {
    let status = use_state_eq(storage::status);
    {
        let status = status.setter();
        use_effect_with((), move |_| storage::watch(move |s| status.set(s)));
    }
    use_effect_with(lang, |l| {
        js::storage_set(storage::LANG_KEY, l.code());
    });
    use_effect_with(rev, move |_| {
        let save = Closure::once_into_js(move || {
            let t0 = js::now_ms();
            storage::save(scenario.to_json());
            js::set_perf("autosave_ms", js::now_ms() - t0);
        });
        js::later(0, &save);
    });
    (*status).clone()
}

#[derive(Properties, PartialEq)]
pub struct SaveWarningProps {
    pub status: SaveStatus,
    pub lang: Lang,
    /// Downloads the scenario (what `#export-json` does).
    pub on_export: Callback<MouseEvent>,
}

/// The persistent message while the work is not being saved, with an export button; gone
/// once a later save succeeds.
#[function_component(SaveWarning)]
pub fn save_warning(p: &SaveWarningProps) -> Html {
    let Some(why) = p.status.warning() else {
        return html! {};
    };
    let l = p.lang;
    html! {
        <div class="banner warning" role="alert" id="save-warning">
            <p>{ t(l, "save.failed") }{ format!(" ({why})") }</p>
            <button type="button" id="save-warning-export" onclick={p.on_export.clone()}>{ t(l, "export.json") }</button>
        </div>
    }
}
