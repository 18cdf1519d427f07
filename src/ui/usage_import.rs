//! Importing Autodesk's usage exports (docs/import.md) on the page: a file picked or dropped
//! is read by the import worker (`engine::import::review`: the file never leaves the
//! page), then reviewed here before it becomes the scenario: its format (changeable), the
//! rows it could not read, the product names it could not match (each mappable by hand),
//! the tokens it holds by product and month (and, for a Token Flex export, by usage
//! category too), the file held against its replay, and what
//! its tokens would cost bought today. "Use the history" takes the replay, "Use the
//! forecast" the next months projected from it (scaled if asked). Every figure is the
//! engine's; the view places them.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::engine::catalog::Catalog;
use crate::engine::import::{DateOrder, Format, ImportOptions, Review};
use crate::engine::scenario::Scenario;
use crate::ui::format::Fmt;
use crate::ui::i18n::{t, Lang};
use crate::ui::names::item_name;
use crate::ui::state::{Action, Banner, BannerKind, Ctx, Tab};
use crate::ui::worker::{self, Which};

/// Files above this size show a progress bar and Cancel while the worker reads them.
const BIG_FILE: f64 = 1_000_000.0;
/// Rows of the long lists (skipped, reconciliation) shown at once.
const SHOWN: usize = 100;

/// A file the user gave: the browser's `File`, its name and size; `seq` tells two picks
/// of the same file apart.
#[derive(Clone)]
pub struct UsageFile {
    pub file: JsValue,
    pub name: String,
    pub size: f64,
    pub seq: u32,
}

impl PartialEq for UsageFile {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}

/// The file being reviewed, set by the toolbar's picker (`UsageButton`) or by a file
/// dropped anywhere on the page.
#[hook]
pub fn use_usage_file() -> UseStateHandle<Option<UsageFile>> {
    let file = use_state(|| None::<UsageFile>);
    {
        let file = file.clone();
        use_effect_with((), move |_| {
            dom::on_file_drop(move |f| file.set(Some(f)));
        });
    }
    file
}

#[derive(Properties, PartialEq)]
pub struct ButtonProps {
    pub on_file: Callback<UsageFile>,
}

/// The toolbar's "Import usage export" (CSV or XLSX).
#[function_component(UsageButton)]
pub fn usage_button(p: &ButtonProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let on_change = {
        let on_file = p.on_file.clone();
        Callback::from(move |_: Event| {
            if let Some(f) = dom::picked("usage-file") {
                on_file.emit(f);
            }
        })
    };
    html! {
        <>
            <label class="button" for="usage-file" title={t(l, "usage.button.hint")}>{ t(l, "usage.button") }</label>
            <input type="file" id="usage-file" class="visually-hidden" accept=".csv,.tsv,.txt,.xlsx,text/csv" onchange={on_change} />
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub file: UsageFile,
    pub on_close: Callback<()>,
}

/// What the review asks of the import: the user's choices.
#[derive(Clone, PartialEq, Default)]
struct Choices {
    format: Option<Format>,
    date_order: Option<DateOrder>,
    products: BTreeMap<String, String>,
    forecast_months: u32,
    scale: i32,
}

fn options(c: &Choices, s: &Scenario, forecast: bool) -> ImportOptions {
    ImportOptions {
        format: c.format,
        currency: s.currency.clone(),
        timezone: s.timezone.clone(),
        forecast: forecast.then_some(c.forecast_months),
        date_order: c.date_order,
        start: None,
        products: c.products.clone(),
        scale_percent: if forecast { c.scale } else { 0 },
    }
}

type Answer = Rc<Result<Review, String>>;

#[function_component(UsageReview)]
pub fn usage_review(p: &ReviewProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let choices = use_state(|| Choices {
        forecast_months: 12,
        ..Default::default()
    });
    let answer = use_state(|| None::<Answer>);
    let pending = use_state(|| true);
    // How far the worker has read the file (done, total), once it has said.
    let read_so_far = use_state(|| None::<(u64, u64)>);
    let sent_file = use_mut_ref(|| 0u32);
    let latest = use_mut_ref(|| 0u32);
    {
        // The review of the file with the current choices (the forecast's own two aside):
        // the file's bytes go to the worker once; a new choice reads them again there.
        let (answer, pending, ctx) = (answer.clone(), pending.clone(), ctx.clone());
        let read_so_far = read_so_far.clone();
        let file = p.file.clone();
        let key = Choices {
            forecast_months: 0,
            scale: 0,
            ..(*choices).clone()
        };
        use_effect_with((file.seq, key), move |(seq, key)| {
            let ask_id = {
                let mut n = latest.borrow_mut();
                *n += 1;
                *n
            };
            let first = *sent_file.borrow() != *seq;
            *sent_file.borrow_mut() = *seq;
            let opts = options(key, &ctx.scenario, false);
            pending.set(true);
            read_so_far.set(None);
            let text = serde_json::to_string(&opts).unwrap_or_default();
            let blob = if first {
                file.file.clone()
            } else {
                JsValue::NULL
            };
            // Whole counts that crossed from JavaScript as numbers.
            let heard =
                move |done: f64, total: f64| read_so_far.set(Some((done as u64, total as u64)));
            worker::import(blob, text, opts.timezone, heard, move |reply| {
                if *latest.borrow() != ask_id {
                    return;
                }
                let r = reply
                    .and_then(|text| worker::read_answer::<Review>(&text))
                    .map_err(|e| e.to_string());
                answer.set(Some(Rc::new(r)));
                pending.set(false);
            });
        });
    }
    let close = {
        let on_close = p.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let cancel = {
        let on_close = p.on_close.clone();
        Callback::from(move |_| {
            worker::cancel(Which::Import);
            on_close.emit(());
        })
    };
    let on_format = on_change(&choices, |c, v| c.format = Format::parse(&v));
    let on_order = on_change(&choices, |c, v| c.date_order = DateOrder::parse(&v));
    let on_months = on_change(&choices, |c, v| {
        c.forecast_months = v.parse().unwrap_or(12).clamp(1, 36)
    });
    let on_scale = on_change(&choices, |c, v| {
        c.scale = v.parse().unwrap_or(0).clamp(-100, 100)
    });
    let use_scenario = |forecast: bool| {
        let (ctx, choices, on_close, answer) = (
            ctx.clone(),
            choices.clone(),
            p.on_close.clone(),
            answer.clone(),
        );
        Callback::from(move |_| {
            let (target, on_close) = (ctx.clone(), on_close.clone());
            let take = move |s: Scenario| {
                let key = if forecast {
                    "usage.banner.forecast"
                } else {
                    "usage.banner.history"
                };
                target.dispatch(Action::Replace(
                    Box::new(s),
                    Some(Banner::new(BannerKind::Info, key, "")),
                ));
                target.dispatch(Action::SetTab(if forecast {
                    Tab::Advisor
                } else {
                    Tab::Team
                }));
                on_close.emit(());
            };
            if !forecast {
                if let Some(Ok(r)) = answer.as_deref() {
                    if let Some(s) = r.import.scenario.clone() {
                        take(s);
                    }
                }
                return;
            }
            let opts = options(&choices, &ctx.scenario, true);
            let text = serde_json::to_string(&opts).unwrap_or_default();
            let answer = answer.clone();
            worker::import(
                JsValue::NULL,
                text,
                opts.timezone,
                |_, _| {},
                move |reply| match reply.and_then(|text| worker::read_answer::<Review>(&text)) {
                    Ok(r) => {
                        if let Some(s) = r.import.scenario {
                            take(s);
                        }
                    }
                    Err(e) => answer.set(Some(Rc::new(Err(e.to_string())))),
                },
            );
        })
    };
    // The review prices with the built-in book of the scenario's currency (its minor unit).
    let minor = Catalog::builtin()
        .book(&ctx.scenario.currency)
        .map_or(2, |b| b.minor_units);
    let f = Fmt::new(l, &ctx.scenario.currency, minor);
    let busy = *pending;
    let size = f.int(p.file.size as u64);
    html! {
        <section class="usage-review" id="usage-review" aria-labelledby="usage-h" aria-busy={busy.to_string()}>
            <div class="row spread">
                <h2 id="usage-h">{ t(l, "usage.title").replace("{file}", &p.file.name) }</h2>
                <button type="button" id="usage-close" onclick={close}>{ t(l, "usage.close") }</button>
            </div>
            <p class="hint">{ t(l, "usage.private") }</p>
            <div class="row">
                <div class="field compact">
                    <label for="usage-format">{ t(l, "usage.format") }</label>
                    <select id="usage-format" onchange={on_format} disabled={busy}>
                        <option value="auto" selected={choices.format.is_none()}>{ t(l, "usage.format.auto") }</option>
                        { for Format::ALL.iter().map(|x| html! {
                            <option value={x.name()} selected={choices.format == Some(*x)}>{ t(l, format_key(*x)) }</option>
                        }) }
                    </select>
                </div>
                <div class="field compact">
                    <label for="usage-date-order">{ t(l, "usage.date_order") }</label>
                    <select id="usage-date-order" onchange={on_order} disabled={busy}>
                        <option value="auto" selected={choices.date_order.is_none()}>{ t(l, "usage.format.auto") }</option>
                        <option value="dmy" selected={choices.date_order == Some(DateOrder::Dmy)}>{ "DD/MM/YYYY" }</option>
                        <option value="mdy" selected={choices.date_order == Some(DateOrder::Mdy)}>{ "MM/DD/YYYY" }</option>
                    </select>
                </div>
            </div>
            if busy {
                <div class="usage-progress" role="status">
                    <p>{ t(l, "usage.reading").replace("{file}", &p.file.name).replace("{size}", &size) }</p>
                    if p.file.size > BIG_FILE {
                        { progress_bar(l, *read_so_far) }
                        <button type="button" id="usage-cancel" onclick={cancel}>{ t(l, "usage.cancel") }</button>
                    }
                </div>
            }
            { match answer.as_deref() {
                None => html! {},
                Some(Err(e)) => html! { <p class="error-box" role="alert" id="usage-error">{ e.clone() }</p> },
                Some(Ok(r)) => review_view(l, &f, &ctx.scenario, r, &choices, busy),
            } }
            if let Some(Ok(r)) = answer.as_deref() {
                <div class="usage-use">
                    if r.import.scenario.is_some() {
                        <button type="button" class="primary" id="usage-use-history" disabled={busy} onclick={use_scenario(false)}>{ t(l, "usage.use_history") }</button>
                        <div class="field compact">
                            <label for="usage-months">{ t(l, "usage.forecast_months") }</label>
                            <input type="number" id="usage-months" min="1" max="36" value={choices.forecast_months.to_string()} onchange={on_months} />
                        </div>
                        <div class="field compact">
                            <label for="usage-scale">{ t(l, "usage.scale") }</label>
                            <input type="number" id="usage-scale" min="-100" max="100" step="5" value={choices.scale.to_string()} onchange={on_scale} />
                        </div>
                        <button type="button" id="usage-use-forecast" disabled={busy} onclick={use_scenario(true)}>{ t(l, "usage.use_forecast") }</button>
                        <p class="hint">{ t(l, "usage.forecast_hint") }</p>
                    } else {
                        <p class="hint" id="usage-no-scenario">{ t(l, "usage.no_scenario") }</p>
                    }
                </div>
            }
        </section>
    }
}

/// The reading's progress: how far the worker has read the file (its bytes, or a
/// worksheet's rows), indeterminate until it has said.
fn progress_bar(l: Lang, read: Option<(u64, u64)>) -> Html {
    let label = t(l, "usage.reading.short");
    match read.filter(|(_, total)| *total > 0) {
        // Integers: printing an f64 would bring Rust's float formatting into the bundle.
        Some((done, total)) => html! {
            <progress id="usage-progress" aria-label={label} max={total.to_string()} value={done.to_string()}></progress>
        },
        None => html! { <progress id="usage-progress" aria-label={label}></progress> },
    }
}

fn format_key(f: Format) -> &'static str {
    match f {
        Format::TokenUsage => "usage.format.token_usage",
        Format::SeatUsage => "usage.format.seat_usage",
        Format::UsageReport => "usage.format.usage_report",
        Format::TokenFlex => "usage.format.token_flex",
        Format::Sessions => "usage.format.sessions",
    }
}

fn review_view(
    l: Lang,
    f: &Fmt,
    current: &Scenario,
    r: &Review,
    choices: &UseStateHandle<Choices>,
    busy: bool,
) -> Html {
    let imp = &r.import;
    let tokens = |t: &crate::engine::import::Tokens| t.value.normalize().to_string();
    let users = imp.scenario.as_ref().map_or(0, |s| s.users.len());
    let skipped = imp.skipped.len() as u64;
    let summary = t(l, "usage.summary")
        .replace("{format}", t(l, format_key(imp.format)))
        .replace("{rows}", &f.int(imp.rows))
        .replace("{skipped}", &f.int(skipped))
        .replace("{users}", &f.int(users as u64))
        .replace("{tokens}", &tokens(&imp.history.tokens));
    let catalog = Catalog::builtin();
    let name = |id: &str| item_name(l, current, id);
    let map = |file_name: String| {
        on_change(choices, move |c, v| {
            if v.is_empty() {
                c.products.remove(&file_name);
            } else {
                c.products.insert(file_name.clone(), v);
            }
        })
    };
    // Names mapped by hand stay listed (with their choice) once matched.
    let mut mappable: Vec<(String, Option<(u64, String)>)> = imp
        .unmatched
        .iter()
        .map(|u| (u.name.clone(), Some((u.rows, tokens(&u.tokens)))))
        .collect();
    for name in choices.products.keys() {
        if !mappable.iter().any(|(n, _)| n == name) {
            mappable.push((name.clone(), None));
        }
    }
    let differ: Vec<_> = r
        .reconciliation
        .iter()
        .filter(|x| x.why.is_some())
        .collect();
    let agree = r.reconciliation.len() - differ.len();
    let more = |n: usize| {
        (n > SHOWN).then(|| html! {
            <p class="hint">{ t(l, "usage.more").replace("{n}", &f.int((n - SHOWN) as u64)) }</p>
        })
    };
    let why = |w: &str, rate: u64| match w {
        "days" => t(l, "usage.why.days").to_string(),
        _ => t(l, "usage.why.rate").replace("{rate}", &f.int(rate)),
    };
    html! {
        <>
            <p id="usage-summary" role="status">{ summary }</p>
            if !imp.extra_columns.is_empty() {
                <p class="hint" id="usage-extra">{ t(l, "usage.extra").replace("{columns}", &imp.extra_columns.join(", ")) }</p>
            }
            if !mappable.is_empty() {
                <h3>{ t(l, "usage.unmatched.title") }</h3>
                <p class="hint">{ t(l, "usage.unmatched.hint") }</p>
                <table class="data" id="usage-unmatched">
                    <thead><tr><th scope="col">{ t(l, "usage.col.name") }</th><th scope="col">{ t(l, "usage.col.rows") }</th><th scope="col">{ t(l, "usage.col.tokens") }</th><th scope="col">{ t(l, "usage.col.product") }</th></tr></thead>
                    <tbody>
                        { for mappable.iter().enumerate().map(|(i, (n, counts))| {
                            let chosen = choices.products.get(n).cloned().unwrap_or_default();
                            let id = format!("usage-map-{i}");
                            html! {
                                <tr data-name={n.clone()}>
                                    <th scope="row"><label for={id.clone()}>{ n.clone() }</label></th>
                                    <td class="num">{ counts.as_ref().map(|c| f.int(c.0)).unwrap_or_default() }</td>
                                    <td class="num">{ counts.as_ref().map(|c| c.1.clone()).unwrap_or_default() }</td>
                                    <td><select id={id} onchange={map(n.clone())} disabled={busy}>
                                        <option value="" selected={chosen.is_empty()}>{ t(l, "usage.leave_out") }</option>
                                        { for catalog.products.iter().map(|p| html! {
                                            <option value={p.id.clone()} selected={chosen == p.id}>{ p.name.get(l.code()).to_string() }</option>
                                        }) }
                                    </select></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <div class="usage-history">
                { text_table("usage-products", Some(t(l, "usage.by_product")), &[t(l, "usage.col.product"), t(l, "usage.col.tokens")],
                    imp.history.by_product.iter().map(|(id, v)| (id.clone(), "", vec![name(id), tokens(v)])).collect()) }
                { text_table("usage-months-table", Some(t(l, "usage.by_month")), &[t(l, "usage.col.month"), t(l, "usage.col.tokens")],
                    imp.history.by_month.iter().map(|(m, v)| (m.clone(), "", vec![f.month(m), tokens(v)])).collect()) }
            </div>
            if !imp.by_category.is_empty() {
                { text_table("usage-categories", Some(t(l, "usage.by_category")),
                    &["usage.col.category", "usage.col.product", "usage.col.month", "usage.col.tokens"].map(|k| t(l, k)),
                    imp.by_category.iter().map(|x| (
                        format!("{} {} {}", x.category, x.product, x.month), "",
                        vec![x.category.clone(), name(&x.product), f.month(&x.month), tokens(&x.tokens)],
                    )).collect()) }
            }
            <p id="usage-cost">{ t(l, "usage.cost")
                .replace("{tokens}", &f.int(r.matched_tokens))
                .replace("{total}", &f.money(&r.order.total))
                .replace("{bought}", &f.int(r.order.tokens)) }</p>
            if !r.reconciliation.is_empty() {
                <h3>{ t(l, "usage.reconciliation") }</h3>
                <p class="hint" id="usage-reconciliation-summary">{ t(l, "usage.reconciliation.summary")
                    .replace("{agree}", &f.int(agree as u64))
                    .replace("{rows}", &f.int(r.reconciliation.len() as u64)) }</p>
                { text_table("usage-reconciliation", None,
                    &["usage.col.user", "usage.col.product", "usage.col.month", "usage.col.file", "usage.col.flexcalc", "usage.col.why"].map(|k| t(l, k)),
                    differ.iter().copied().chain(r.reconciliation.iter().filter(|x| x.why.is_none())).take(SHOWN).map(|x| (
                        format!("{} {} {}", x.user, x.product, x.month),
                        match x.why.as_deref() { Some("rate") => "rate", Some(_) => "days", None => "" },
                        vec![
                            user_name(imp, &x.user), name(&x.product), f.month(&x.month), x.file.normalize().to_string(), f.int(x.flexcalc),
                            x.why.as_deref().map(|w| why(w, x.rate)).unwrap_or_else(|| t(l, "usage.why.none").to_string()),
                        ],
                    )).collect()) }
                { more(r.reconciliation.len()) }
            }
            if !imp.skipped.is_empty() {
                <h3>{ t(l, "usage.skipped").replace("{n}", &f.int(skipped)) }</h3>
                { text_table("usage-skipped", None, &[t(l, "usage.col.line"), t(l, "usage.col.reason")],
                    imp.skipped.iter().take(SHOWN).map(|x| (x.line.to_string(), "", vec![x.line.to_string(), x.reason.clone()])).collect()) }
                { more(imp.skipped.len()) }
            }
        </>
    }
}

/// A change to one of the review's choices: `f` given the field's new value.
fn on_change(
    choices: &UseStateHandle<Choices>,
    f: impl Fn(&mut Choices, String) + 'static,
) -> Callback<Event> {
    let choices = choices.clone();
    Callback::from(move |e: Event| {
        let mut c = (*choices).clone();
        f(
            &mut c,
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        );
        choices.set(c);
    })
}

/// A row of `text_table`: its key, class and cells.
type Row = (String, &'static str, Vec<String>);

/// A table of text: its column headings, then rows of a key (`data-key`), a class and
/// cells (the first a row heading; numbers, right-aligned, are told by their digits).
/// (Not generic: one copy of the markup's code for every table.)
fn text_table(id: &str, caption: Option<&str>, head: &[&str], rows: Vec<Row>) -> Html {
    let num = |c: &str| {
        c.chars().next().is_some_and(|x| x.is_ascii_digit())
            && c.chars().all(|x| x.is_ascii_digit() || ",. ".contains(x))
    };
    html! {
        <table class="data" id={id.to_string()}>
            if let Some(c) = caption { <caption>{ c }</caption> }
            <thead><tr>{ for head.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>{ for rows.into_iter().map(|(key, class, cells)| html! {
                <tr data-key={key} class={class}>
                    { for cells.into_iter().enumerate().map(|(k, c)| if k == 0 {
                        html! { <th scope="row">{ c }</th> }
                    } else {
                        html! { <td class={num(&c).then_some("num")}>{ c }</td> }
                    }) }
                </tr>
            }) }</tbody>
        </table>
    }
}

/// The user's name as the import read it.
fn user_name(imp: &crate::engine::import::Import, id: &str) -> String {
    imp.scenario
        .as_ref()
        .and_then(|s| s.users.iter().find(|u| u.id == id))
        .and_then(|u| u.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The browser's side of picking and dropping a file.
#[cfg(target_arch = "wasm32")]
mod dom {
    use std::cell::Cell;

    use wasm_bindgen::prelude::*;

    use super::UsageFile;

    #[wasm_bindgen(inline_js = r#"
export function picked(id) {
  const el = document.getElementById(id);
  const f = el && el.files && el.files[0];
  if (el) el.value = '';
  return f || null;
}
export function file_name(f) { return f.name; }
export function file_size(f) { return f.size; }
// A file dragged over the page is taken wherever it is dropped (body.dropping shows it).
export function on_drop(cb) {
  const files = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  addEventListener('dragover', (e) => { if (files(e)) { e.preventDefault(); document.body.classList.add('dropping'); } });
  addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dropping'); });
  addEventListener('drop', (e) => {
    document.body.classList.remove('dropping');
    if (!files(e)) return;
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) cb(f);
  });
}
"#)]
    extern "C" {
        #[wasm_bindgen(js_name = picked)]
        fn picked_js(id: &str) -> JsValue;
        fn file_name(f: &JsValue) -> String;
        fn file_size(f: &JsValue) -> f64;
        fn on_drop(cb: &Closure<dyn FnMut(JsValue)>);
    }

    thread_local! {
        static SEQ: Cell<u32> = const { Cell::new(0) };
    }

    fn usage_file(file: JsValue) -> UsageFile {
        let seq = SEQ.with(|s| {
            s.set(s.get() + 1);
            s.get()
        });
        UsageFile {
            name: file_name(&file),
            size: file_size(&file),
            file,
            seq,
        }
    }

    pub fn picked(id: &str) -> Option<UsageFile> {
        let f = picked_js(id);
        (!f.is_null()).then(|| usage_file(f))
    }

    pub fn on_file_drop(cb: impl Fn(UsageFile) + 'static) {
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |f: JsValue| cb(usage_file(f)));
        on_drop(&cb);
        // Listens for the page's life.
        cb.forget();
    }
}

/// Natively (the build's prerender) nothing is ever picked or dropped.
#[cfg(not(target_arch = "wasm32"))]
mod dom {
    use super::UsageFile;

    pub fn picked(_id: &str) -> Option<UsageFile> {
        None
    }

    pub fn on_file_drop(_cb: impl Fn(UsageFile) + 'static) {}
}
