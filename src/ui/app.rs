//! The app shell: header (presets, language, currency, save and share), the editor tabs
//! and the live results. Loads a shared link or the autosaved state on start.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use std::rc::Rc;

use crate::engine::scenario::Scenario;
use crate::ui::advisor::AdvisorTab;
use crate::ui::assumptions::assumptions_tab;
use crate::ui::autosave::{use_autosave, SaveWarning};
use crate::ui::i18n::{self, t, Lang, LANGS};
use crate::ui::js;
use crate::ui::packs::PacksTab;
use crate::ui::presets::{self, PRESETS};
use crate::ui::results::ResultsPane;
use crate::ui::settings::{currencies, SettingsTab};
use crate::ui::share::{self, LinkError};
use crate::ui::state::{edit, Action, Banner, BannerKind, Ctx, Outcome, State, Tab};
use crate::ui::storage::{self, Notice};
use crate::ui::team::TeamTab;
use crate::ui::templates;
use crate::ui::usage_import::{use_usage_file, UsageButton, UsageReview};
use crate::ui::worker;

fn starter(lang: Lang) -> Scenario {
    let names = match lang {
        Lang::Fr => ["Anaïs", "Bruno", "Chloé"],
        Lang::Ja => ["佐藤", "鈴木", "高橋"],
        Lang::En => ["Ana", "Ben", "Chloe"],
    };
    let currency = match lang {
        Lang::Ja => "JPY",
        Lang::Fr => "EUR",
        Lang::En => "GBP",
    };
    // The browser's own zone (its data is fetched like any other zone's; see `zones`).
    let zone = js::browser_zone();
    let zone = if crate::ui::zones::plausible(&zone) {
        zone
    } else {
        "UTC".to_string()
    };
    let mut s = templates::starter(&zone, currency, names);
    s.name = Some(t(lang, "starter.name").to_string());
    s
}

/// The language to start in: the one last chosen, else the browser's, else English.
fn start_lang() -> Lang {
    js::storage_get(storage::LANG_KEY)
        .and_then(|c| Lang::from_code(&c))
        .or_else(|| Lang::from_code(&js::browser_lang()))
        .unwrap_or(Lang::En)
}

/// Runs `then` once the strings of `lang` are in: at once for English or a language
/// already fetched, else after fetching `i18n/CODE.txt` (if that fails, the page stays
/// readable in English).
fn with_lang(lang: Lang, then: impl FnOnce() + 'static) {
    if i18n::loaded(lang) {
        return then();
    }
    let done = Closure::once_into_js(move |text: Option<String>| {
        if let Some(text) = text {
            i18n::install(lang, text);
        }
        then();
    });
    js::fetch_text(&format!("i18n/{}.txt", lang.code()), &done);
}

/// The state on start: a shared link wins, then the autosave, then a starter team.
fn initial() -> State {
    // What `storage::restore` found (it has already set an unreadable copy aside).
    let loaded = LOADED
        .with(|l| l.borrow_mut().take())
        .unwrap_or(storage::Loaded {
            scenario: None,
            notice: None,
        });
    let lang = start_lang();
    let mut banner = match &loaded.notice {
        Some(Notice::Migrated) => Some(Banner::new(BannerKind::Info, "banner.migrated", "")),
        Some(Notice::Reset(why)) => Some(Banner::new(
            BannerKind::Warning,
            "banner.reset",
            why.clone(),
        )),
        None => None,
    };
    let mut scenario = loaded.scenario;
    if let Some(link) = SHARED.with(|s| s.borrow_mut().take()) {
        js::clear_hash();
        match link {
            Ok(s) => {
                scenario = Some(s);
                banner = Some(Banner::new(BannerKind::Info, "banner.shared", ""));
            }
            Err(LinkError::Damaged) => {
                banner = Some(Banner::new(BannerKind::Error, "banner.link_damaged", ""))
            }
            Err(LinkError::Invalid(m)) => {
                banner = Some(Banner::new(BannerKind::Error, "banner.link_invalid", m))
            }
        }
    }
    let state = State::new(scenario.unwrap_or_else(|| starter(lang)), lang, banner);
    // The build's prerender (natively, src/bin/prerender.rs) has no worker: the engine
    // answers at once, so the page's HTML carries the starter team's figures.
    #[cfg(not(target_arch = "wasm32"))]
    let state = {
        let mut state = state;
        state.outcome = crate::ui::state::compute(&state.scenario).map(Rc::new);
        state.last_good = state.outcome.clone().ok();
        state.loading = false;
        state
    };
    js::set_perf("state_ready", js::now_ms());
    state
}

fn file_name(s: &Scenario, ext: &str, what: &str) -> String {
    // Letters and digits of the name, anything else '-' (as char::is_alphanumeric).
    let base = js::file_base(s.name.as_deref().unwrap_or("flexcalc"));
    let base = base.trim_matches('-');
    format!(
        "{}{what}.{ext}",
        if base.is_empty() { "flexcalc" } else { base }
    )
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial);
    let l = state.lang;
    {
        use_effect_with((), |_| js::set_perf("first_render", js::now_ms()));
    }
    // Saved just after the render, so typing never waits for the write.
    let save_status = use_autosave(state.lang);
    {
        use_effect_with(l, move |l| js::set_doc_lang(l.code(), t(*l, "app.title")));
    }
    {
        // Each change of the scenario, just after its render (so the edit shows at once), is
        // sent to the engine's worker under its run number (as what changed since the last
        // run, see `worker`), which also writes the autosave; the answer comes back as an
        // action, which the reducer drops if a later change superseded it.
        let s = state.scenario.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(state.job, move |job| {
            let job = *job;
            let send = Closure::once_into_js(move || {
                let t0 = js::now_ms();
                let by_worker = storage::by_worker();
                if by_worker {
                    storage::saving(s.clone());
                } else {
                    // No IndexedDB: the page saves the text itself (local storage).
                    storage::save(serde_json::to_string(&*s).unwrap_or_default());
                }
                js::set_perf("autosave_ms", js::now_ms() - t0);
                worker::run_scenario(s, by_worker, move |reply| {
                    let t0 = js::now_ms();
                    let outcome = reply.and_then(|text| worker::read_answer::<Outcome>(&text));
                    js::set_perf("from_worker_ms", js::now_ms() - t0);
                    dispatcher.dispatch(Action::Answer(job, outcome.map(Rc::new)));
                });
                js::set_perf("to_worker_ms", js::now_ms() - t0);
            });
            js::later(0, &send);
        });
    }
    {
        // In a partner's iframe: the postMessage protocol (src/ui/embed.rs).
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            crate::ui::embed::listen(move |kind, key, scenario| {
                let d = dispatcher.clone();
                crate::ui::embed::request(&kind, key, &scenario, move |s| {
                    d.dispatch(Action::Replace(Box::new(s), None))
                });
            });
        });
        let answer = (!state.loading).then(|| (state.outcome.clone(), state.scenario.clone()));
        use_effect_with((state.job, state.loading), move |_| match answer {
            Some((Ok(o), s)) => crate::ui::embed::answered(&o, &s),
            Some((Err(e), _)) => crate::ui::embed::refused(&e.to_string()),
            None => {}
        });
    }
    let share_link = use_state(|| None::<String>);
    let usage_file = use_usage_file();
    // What waits until the first screen is up (progressive: the summary answers first):
    // the zone list (hundreds of options), then the charts, heat map and table (`full`).
    // (The build's prerender renders natively, with everything, and no zone to list.)
    let zones = use_state(|| cfg!(not(target_arch = "wasm32")).then(String::new));
    {
        let zones = zones.clone();
        use_effect_with((), move |_| {
            let load = Closure::once_into_js(move || zones.set(Some(js::time_zones())));
            js::later(0, &load);
        });
    }

    let set_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(l) =
                Lang::from_code(&e.target_unchecked_into::<HtmlSelectElement>().value())
            {
                let state = state.clone();
                with_lang(l, move || state.dispatch(Action::SetLang(l)));
            }
        })
    };
    let set_currency = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            edit(&state, move |s| s.currency = v.clone());
        })
    };
    let load_preset = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let el = e.target_unchecked_into::<HtmlSelectElement>();
            let v = el.value();
            el.set_value("");
            if v == "new" {
                state.dispatch(Action::Replace(
                    Box::new(starter(state.lang)),
                    Some(Banner::new(BannerKind::Info, "banner.new", "")),
                ));
                return;
            }
            if let Some(p) = presets::find(&v) {
                let (state, title) = (state.clone(), t(state.lang, p.key));
                let done = Closure::once_into_js(move |text: Option<String>| {
                    let Some(text) = text else {
                        return state.dispatch(Action::Banner(Some(Banner::new(
                            BannerKind::Error,
                            "banner.preset_failed",
                            title,
                        ))));
                    };
                    match Scenario::from_json(&text) {
                        Ok(s) => state.dispatch(Action::Replace(
                            Box::new(s),
                            Some(Banner::new(BannerKind::Info, "banner.preset", title)),
                        )),
                        Err(e) => state.dispatch(Action::Banner(Some(Banner::new(
                            BannerKind::Error,
                            "banner.import_bad",
                            e.to_string(),
                        )))),
                    }
                });
                js::fetch_text(&p.path(), &done);
            }
        })
    };
    let do_share = {
        let state = state.clone();
        let share_link = share_link.clone();
        Callback::from(move |_| {
            let share_link = share_link.clone();
            let done = Closure::once_into_js(move |data: String| {
                let link = format!("{}#{}{data}", js::page_url(), share::PREFIX);
                js::copy_text(&link);
                share_link.set(Some(link));
            });
            js::share_pack(&state.scenario.to_json(), &done);
        })
    };
    let export_json = {
        let state = state.clone();
        Callback::from(move |_| {
            js::download(
                &file_name(&state.scenario, "json", ""),
                "application/json",
                &state.scenario.to_json(),
            )
        })
    };
    let export_csv = |summary: bool| {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(o) = state.shown() {
                if summary {
                    js::download(
                        &file_name(&state.scenario, "csv", "-summary"),
                        "text/csv",
                        &o.insights.summary_csv(),
                    );
                } else {
                    let name = file_name(&state.scenario, "csv", "-charges");
                    let state = state.clone();
                    worker::ask(
                        worker::Kind::ChargesCsv,
                        state.scenario.clone(),
                        move |reply| match reply {
                            Ok(csv) => js::download(&name, "text/csv", &csv),
                            Err(e) => state.dispatch(Action::Banner(Some(Banner::new(
                                BannerKind::Error,
                                "banner.export_failed",
                                e.to_string(),
                            )))),
                        },
                    );
                }
            }
        })
    };
    let import = {
        let state = state.clone();
        Callback::from(move |_: Event| {
            let state = state.clone();
            let cb =
                Closure::<dyn FnMut(String)>::new(move |text: String| {
                    match Scenario::from_json(&text) {
                        Ok(s) => state.dispatch(Action::Replace(
                            Box::new(s),
                            Some(Banner::new(BannerKind::Info, "banner.imported", "")),
                        )),
                        Err(e) => state.dispatch(Action::Banner(Some(Banner::new(
                            BannerKind::Error,
                            "banner.import_bad",
                            e.to_string(),
                        )))),
                    }
                });
            js::read_file("import-file", &cb);
            // The file is read asynchronously; the closure lives until then (once per import).
            cb.forget();
        })
    };
    let tabs = [
        (Tab::Team, "tab.team"),
        (Tab::Packs, "tab.packs"),
        (Tab::Settings, "tab.settings"),
        (Tab::Assumptions, "tab.assumptions"),
        (Tab::Advisor, "tab.advisor"),
    ];
    let tab_keys = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = tabs.iter().position(|(t, _)| *t == state.tab).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % tabs.len(),
                "ArrowLeft" => (i + tabs.len() - 1) % tabs.len(),
                "Home" => 0,
                "End" => tabs.len() - 1,
                _ => return,
            };
            e.prevent_default();
            state.dispatch(Action::SetTab(tabs[next].0));
            js::focus_selector(&format!("#tab-{}", next));
        })
    };
    let shown = state.shown().cloned();
    let mut curr = currencies();
    if !curr.contains(&state.scenario.currency) {
        curr.push(state.scenario.currency.clone());
    }
    let ctx: Ctx = state.clone();
    // Ctrl/⌘+Z and Ctrl/⌘+Shift+Z (or Ctrl+Y) undo and redo anywhere on the page, except
    // while typing in a field, where the field's own undo applies.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let cb = Closure::<dyn Fn(String)>::new(move |a: String| {
                dispatcher.dispatch(if a == "redo" {
                    Action::Redo
                } else {
                    Action::Undo
                })
            });
            js::on_undo_keys(&cb);
            // The listener lives as long as the page.
            cb.forget();
        });
    }
    html! {
        <ContextProvider<Ctx> context={ctx}>
          <div class="app">
            <a class="skip" href="#results">{ t(l, "skip") }</a>
            <header class="top">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "◆" }</span>
                    <div><h1>{ t(l, "app.title") }</h1><p class="tagline">{ t(l, "app.tagline") }</p></div>
                </div>
                <div class="controls">
                    <div class="field compact">
                        <label for="preset">{ t(l, "presets") }</label>
                        <select id="preset" onchange={load_preset}>
                            <option value="" selected=true>{ t(l, "presets.choose") }</option>
                            <option value="new">{ t(l, "presets.new") }</option>
                            { for PRESETS.iter().map(|p| html! { <option value={p.id}>{ t(l, p.key) }</option> }) }
                        </select>
                    </div>
                    <div class="field compact">
                        <label for="lang">{ t(l, "language") }</label>
                        <select id="lang" onchange={set_lang}>
                            // The other languages come with the deferred part: on a machine
                            // without CJK fonts, laying out "日本語" first searched every font
                            // (20-40 ms more before the first paint, by A/B of cold loads).
                            { for LANGS.iter().filter(|x| zones.is_some() || **x == l).map(|x| html! { <option value={x.code()} selected={*x == l}>{ x.name() }</option> }) }
                        </select>
                    </div>
                    <div class="field compact">
                        <label for="currency">{ t(l, "currency") }</label>
                        <select id="currency" onchange={set_currency}>
                            { for curr.iter().map(|c| html! { <option value={c.clone()} selected={*c == state.scenario.currency}>{ c.clone() }</option> }) }
                        </select>
                    </div>
                </div>
                <nav class="toolbar" aria-label={t(l, "toolbar")}>
                    <button type="button" id="undo" disabled={state.past.is_empty()} title={t(l, "undo.keys")}
                        onclick={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Undo)) }}>{ t(l, "undo") }</button>
                    <button type="button" id="redo" disabled={state.future.is_empty()}
                        onclick={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Redo)) }}>{ t(l, "redo") }</button>
                    <button type="button" id="share" onclick={do_share}>{ t(l, "share") }</button>
                    <button type="button" id="export-json" onclick={export_json.clone()}>{ t(l, "export.json") }</button>
                    <label class="button" for="import-file">{ t(l, "import.json") }</label>
                    <input type="file" id="import-file" class="visually-hidden" accept=".json,application/json" onchange={import} />
                    <UsageButton on_file={{ let u = usage_file.clone(); Callback::from(move |f| u.set(Some(f))) }} />
                    <button type="button" id="export-csv" onclick={export_csv(false)}>{ t(l, "export.csv") }</button>
                    <button type="button" id="export-summary" onclick={export_csv(true)}>{ t(l, "export.summary") }</button>
                    <button type="button" id="print" onclick={Callback::from(|_| js::print_page())}>{ t(l, "print") }</button>
                </nav>
            </header>
            if let Some(link) = (*share_link).clone() {
                <div class="share-panel" role="dialog" aria-labelledby="share-h">
                    <h2 id="share-h">{ t(l, "share.title") }</h2>
                    <p class="hint">{ t(l, "share.hint") }</p>
                    <label for="share-url" class="visually-hidden">{ t(l, "share.title") }</label>
                    <input id="share-url" type="text" readonly=true value={link.clone()} onfocus={Callback::from(|e: FocusEvent| {
                        e.target_unchecked_into::<web_sys::HtmlInputElement>().select();
                    })} />
                    <div class="row">
                        <button type="button" onclick={Callback::from(move |_| { js::copy_text(&link); })}>{ t(l, "share.copy") }</button>
                        <button type="button" onclick={{ let s = share_link.clone(); Callback::from(move |_| s.set(None)) }}>{ t(l, "close") }</button>
                    </div>
                </div>
            }
            if let Some(b) = &state.banner {
                <div class={classes!("banner", match b.kind { BannerKind::Info => "info", BannerKind::Warning => "warning", BannerKind::Error => "error" })}
                    role={if b.kind == BannerKind::Info { "status" } else { "alert" }} id="banner">
                    <p>{ t(l, b.key) }{ if b.detail.is_empty() { String::new() } else { format!(" ({})", b.detail) } }</p>
                    <button type="button" class="link" onclick={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Banner(None))) }}>{ t(l, "dismiss") }</button>
                </div>
            }
            <SaveWarning status={save_status} lang={l} on_export={export_json.clone()} />
            if let Some(file) = (*usage_file).clone() {
                <UsageReview {file} on_close={{ let u = usage_file.clone(); Callback::from(move |_| u.set(None)) }} />
            }
            if let Some(o) = &shown {
                <a class="mini-summary" href="#results" aria-hidden="true" tabindex="-1">
                    <span>{ crate::ui::format::Fmt::new(l, &o.insights.currency, o.insights.minor_units).int(o.insights.tokens_charged) }{ " " }{ t(l, "unit.tokens") }</span>
                    <strong>{ crate::ui::format::Fmt::new(l, &o.insights.currency, o.insights.minor_units).money(&o.insights.money_spent) }</strong>
                </a>
            }
            <main class="layout">
                <div class="editor">
                    <div class="tabs" role="tablist" aria-label={t(l, "tabs")} onkeydown={tab_keys}>
                        { for tabs.iter().enumerate().map(|(k, (tab, key))| {
                            let sel = state.tab == *tab;
                            let s = state.clone();
                            let tab = *tab;
                            html! {
                                <button type="button" role="tab" id={format!("tab-{k}")} aria-selected={sel.to_string()} aria-controls="tabpanel"
                                    tabindex={if sel { "0" } else { "-1" }} class={classes!(sel.then_some("active"))}
                                    onclick={Callback::from(move |_| s.dispatch(Action::SetTab(tab)))}>{ t(l, key) }</button>
                            }
                        }) }
                    </div>
                    <div role="tabpanel" id="tabpanel" aria-labelledby={format!("tab-{}", tabs.iter().position(|(t, _)| *t == state.tab).unwrap_or(0))}>
                        { match state.tab {
                            Tab::Team => html! { <TeamTab /> },
                            Tab::Packs => html! { <PacksTab /> },
                            Tab::Settings => html! { <SettingsTab /> },
                            Tab::Assumptions => assumptions_tab(l),
                            Tab::Advisor => html! { <AdvisorTab /> },
                        } }
                    </div>
                </div>
                <ResultsPane full={zones.is_some()} />
            </main>
            <footer class="foot">
                <p>{ t(l, "footer") }</p>
            </footer>
            <datalist id="zones">{ for zones.as_deref().unwrap_or_default().lines().map(|z| html! { <option value={z.to_string()} /> }) }</datalist>
          </div>
        </ContextProvider<Ctx>>
    }
}

thread_local! {
    /// What the autosave held, read (asynchronously) before the app starts.
    static LOADED: std::cell::RefCell<Option<storage::Loaded>> =
        const { std::cell::RefCell::new(None) };
    /// A shared link's scenario, unpacked by the browser before the app starts.
    static SHARED: std::cell::RefCell<Option<Result<Scenario, LinkError>>> =
        const { std::cell::RefCell::new(None) };
}

pub fn mount() {
    js::set_perf("wasm_start", js::now_ms());
    // A defect must not leave a blank page: say so, and point at the saved work.
    std::panic::set_hook(Box::new(|info| js::show_fatal(&info.to_string())));
    // The first screen waits for its language's strings (English needs none).
    with_lang(start_lang(), boot);
}

/// Starts the app, after unpacking a shared link if the address holds one.
fn boot() {
    let hash = js::location_hash();
    match hash.strip_prefix(share::PREFIX) {
        // The browser unpacks a shared link (asynchronously), then the app starts with it.
        Some(data) => {
            let done = Closure::once_into_js(move |json: Option<String>| {
                SHARED.with(|s| *s.borrow_mut() = Some(share::read(json)));
                start();
            });
            js::share_unpack(data, share::MAX_JSON as u32, &done);
        }
        None => start(),
    }
}

fn start() {
    storage::restore(|loaded| {
        LOADED.with(|l| *l.borrow_mut() = Some(loaded));
        js::remove_boot();
        yew::Renderer::<App>::with_root(crate::ui::root()).render();
    });
}
