//! Autosave in the app: a hook that answers how saving goes (the app saves each change of
//! the scenario through `storage::save`, serialised, the latest text winning), and the
//! persistent warning shown while the browser refuses to store the work.

use yew::prelude::*;

use crate::ui::i18n::{t, Lang};
use crate::ui::js;
use crate::ui::storage::{self, SaveStatus};

/// Saves `lang` when it changes, and answers how autosave goes: re-renders the caller only
/// when the status changes (a failure, or the first success after one). The scenario itself
/// is saved by the app with the JSON it sends the engine (`storage::save`), written once
/// per change.
#[hook]
pub fn use_autosave(lang: Lang) -> SaveStatus {
    let status = use_state_eq(storage::status);
    {
        let status = status.setter();
        use_effect_with((), move |_| {
            storage::watch(move |s| status.set(s));
            storage::guard_exit();
        });
    }
    use_effect_with(lang, |l| {
        js::storage_set(storage::LANG_KEY, l.code());
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
