//! The team editor: users, their products and usage patterns, subscriptions and
//! per-result services. Every change is an edit of the scenario sent to the reducer.

use jiff::civil::Date;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::catalog::Catalog;
use crate::engine::scenario::{stamp, ResultEvent, Scenario, Session, Subscription, Usage};
use crate::engine::time::{add_days, add_months, format_date, parse_date};
use crate::ui::i18n::{t, Lang};
pub use crate::ui::names::item_name;
use crate::ui::names::product_names;
use crate::ui::paging::{self, Sort, TEAM_PAGE};
use crate::ui::state::{edit, Action, Ctx};
use crate::ui::templates::{
    self, kind_of, set_hours, set_kind, PatternKind, StretchIssue, Template, TEMPLATES,
};
use crate::ui::widgets::{
    check, error_at, field_id, select_field, CheckProps, NumField, SelectProps, TextField,
};

/// An edit of one list inside a user.
type ListEdit<T> = std::rc::Rc<dyn Fn(&mut Vec<T>)>;

/// Edits the list `pick` finds in the scenario, each call one undoable change.
fn list_editor<T: 'static>(
    ctx: &Ctx,
    pick: impl Fn(&mut Scenario) -> Option<&mut Vec<T>> + 'static,
) -> impl Fn(ListEdit<T>) + Clone + 'static {
    let ctx = ctx.clone();
    let pick = std::rc::Rc::new(pick);
    move |f: ListEdit<T>| {
        let pick = pick.clone();
        edit(&ctx, move |s| {
            if let Some(v) = pick(s) {
                f(v)
            }
        })
    }
}

/// A callback that changes item `j` of a list with the value it is given.
fn on_item<T: 'static, V: Clone + 'static>(
    upd: impl Fn(ListEdit<T>) + 'static,
    j: usize,
    set: impl Fn(&mut T, V) + 'static,
) -> Callback<V> {
    let set = std::rc::Rc::new(set);
    Callback::from(move |v: V| {
        let set = set.clone();
        upd(std::rc::Rc::new(move |list: &mut Vec<T>| {
            if let Some(x) = list.get_mut(j) {
                set(x, v.clone())
            }
        }))
    })
}

/// A callback that removes item `j` of a list.
fn on_remove<T: 'static>(upd: impl Fn(ListEdit<T>) + 'static, j: usize) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        upd(std::rc::Rc::new(move |list: &mut Vec<T>| {
            if j < list.len() {
                list.remove(j);
            }
        }))
    })
}

/// A `datetime-local` value as the scenario writes it (`YYYY-MM-DDTHH:MM`, no seconds).
fn minutes(v: &str) -> String {
    v.get(..16).unwrap_or(v).to_string()
}

pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

pub fn daily_rate(s: &Scenario, id: &str) -> Option<u64> {
    Catalog::builtin()
        .product(id)
        .map(|p| p.tokens_per_day)
        .or_else(|| {
            s.catalog.as_ref().and_then(|c| {
                c.products
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.tokens_per_day)
            })
        })
}

pub fn user_label(s: &Scenario, i: usize) -> String {
    s.users
        .get(i)
        .map(|u| u.name.clone().unwrap_or_else(|| u.id.clone()))
        .unwrap_or_default()
}

#[function_component(TeamTab)]
pub fn team_tab() -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let s = ctx.scenario.clone();
    let shown = ctx.shown().cloned();
    let template = use_state(|| Template::Occasional);
    // The list's search, order and page: paging.rs says which users they show.
    let query = use_state(String::new);
    let sort = use_state_eq(Sort::default);
    let page = use_state_eq(|| 0usize);
    let list_ref = use_node_ref();
    let add = {
        let ctx = ctx.clone();
        let template = *template;
        let query = query.clone();
        Callback::from(move |_| {
            let name = t(l, "team.user").to_string();
            let sel = ctx.selected;
            let product = ctx
                .scenario
                .users
                .get(sel)
                .and_then(|u| u.usage.first())
                .map(|u| u.product.clone())
                .unwrap_or_else(|| "autocad".to_string());
            let n = ctx.scenario.users.len();
            edit(&ctx, move |s| {
                templates::add_user(s, &name, &product, template);
            });
            // The new user is listed whatever was searched, on the page that shows it.
            query.set(String::new());
            ctx.dispatch(Action::Select(n));
        })
    };
    let by_user: &[u64] = shown.as_deref().map_or(&[], |o| o.by_user());
    let tokens_of = |i: usize| -> Option<u64> { by_user.get(i).copied() };
    let n = s.users.len();
    let q = crate::ui::slim::fold(&query);
    let kept: Vec<usize> = (0..n)
        .filter(|&i| {
            let u = &s.users[i];
            q.is_empty() || {
                let names = product_names(l, &s, u);
                paging::matches(
                    &q,
                    [
                        u.name.as_deref().unwrap_or(""),
                        u.id.as_str(),
                        names.as_str(),
                    ]
                    .into_iter()
                    .chain(u.usage.iter().map(|x| x.product.as_str())),
                )
            }
        })
        .collect();
    let rows = paging::sorted(
        kept,
        *sort,
        |i| user_label(&s, i),
        |i| tokens_of(i).unwrap_or(0),
    );
    let cur = paging::clamp(*page, rows.len(), TEAM_PAGE);
    let win = paging::window(rows.len(), cur, TEAM_PAGE);
    {
        // A new selection (a user added, removed, or chosen elsewhere) brings its page.
        let target = paging::page_of(&rows, ctx.selected, TEAM_PAGE);
        let page = page.clone();
        use_effect_with((ctx.selected, n), move |_| {
            if let Some(p) = target {
                page.set(p);
            }
        });
    }
    {
        // A new page starts at its top; the selected user is scrolled into the list's view.
        let list_ref = list_ref.clone();
        let last = use_mut_ref(|| usize::MAX);
        use_effect_with((cur, ctx.selected), move |(cur, _)| {
            if let Some(ul) = list_ref.cast::<web_sys::Element>() {
                if *last.borrow() != *cur {
                    *last.borrow_mut() = *cur;
                    ul.set_scroll_top(0);
                }
                if let Ok(Some(row)) = ul.query_selector(".selected") {
                    let (a, b) = (
                        ul.get_bounding_client_rect(),
                        row.get_bounding_client_rect(),
                    );
                    let by = if b.top() < a.top() {
                        b.top() - a.top()
                    } else if b.bottom() > a.bottom() {
                        b.bottom() - a.bottom()
                    } else {
                        0.0
                    };
                    if by != 0.0 {
                        ul.set_scroll_top(ul.scroll_top() + by as i32);
                    }
                }
            }
        });
    }
    let tools = n > paging::TOOLS_FROM || !query.is_empty();
    let on_search = {
        let (query, page) = (query.clone(), page.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            page.set(0);
        })
    };
    let on_sort = {
        let (sort, page) = (sort.clone(), page.clone());
        Callback::from(move |v: String| {
            sort.set(Sort::from_key(&v));
            page.set(0);
        })
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: usize| page.set(p))
    };
    let sorts = [
        ("entered", "list.sort.entered"),
        ("name", "list.sort.name"),
        ("tokens", "list.sort.tokens"),
    ];
    html! {
        <section class="team" aria-labelledby="team-h">
            <div class="team-list">
                <h2 id="team-h">{ t(l, "team.title") } <span class="count">{ format!(" ({})", crate::ui::js::fmt_int(l.locale(), &n.to_string())) }</span></h2>
                if tools {
                    <div class="list-tools" role="search" aria-label={t(l, "team.find")}>
                        <div class="field grow">
                            <label for="users-search">{ t(l, "team.find") }</label>
                            <input id="users-search" type="search" value={(*query).clone()} autocomplete="off"
                                placeholder={t(l, "team.find.hint")} aria-controls="users-list" oninput={on_search} />
                        </div>
                        { select_field(SelectProps { id: AttrValue::from("users-sort"), label: AttrValue::from(t(l, "list.sort")), value: AttrValue::from(sort.key()),
                            options: sorts.iter().map(|(k, key)| (AttrValue::from(*k), AttrValue::from(t(l, key)))).collect::<Vec<_>>(), onchange: on_sort }) }
                    </div>
                }
                <ul class="users" role="list" id="users-list" ref={list_ref}>
                    { for rows[win.clone()].iter().map(|&i| {
                        let u = &s.users[i];
                        html! {
                            <UserItem key={i} index={i} id={u.id.clone()} name={u.name.clone().unwrap_or_else(|| u.id.clone())}
                                products={product_names(l, &s, u)}
                                tokens={tokens_of(i)} selected={i == ctx.selected} lang={l} dispatcher={ctx.dispatcher()} />
                        }
                    }) }
                </ul>
                if tools {
                    { pager(PagerProps { lang: l, id: "users", label: t(l, "team.pages"), all: n, kept: rows.len(), page: cur, size: TEAM_PAGE, onpage: on_page }) }
                }
                <div class="add-user">
                    { select_field(SelectProps { id: AttrValue::from("add-template"), label: AttrValue::from(t(l, "team.template")), value: AttrValue::from(template.key()), options: TEMPLATES.iter().map(|tp| (AttrValue::from(tp.key()), AttrValue::from(t(l, tp.key())))).collect::<Vec<_>>(), onchange: { let template = template.clone(); Callback::from(move |v: String| {
                            if let Some(tp) = TEMPLATES.iter().find(|tp| tp.key() == v) { template.set(*tp); }
                        }) } }) }
                    <button type="button" class="primary" id="add-user" onclick={add}>{ t(l, "team.add") }</button>
                </div>
            </div>
            if s.users.is_empty() {
                <p class="empty">{ t(l, "team.empty") }</p>
            } else {
                <UserEditor index={ctx.selected.min(s.users.len() - 1)} />
            }
        </section>
    }
}

/// A paged list's line of what it shows, and its Previous and Next buttons.
pub struct PagerProps {
    pub lang: Lang,
    /// Prefix of the ids: `{id}-showing`, `{id}-prev`, `{id}-next`.
    pub id: &'static str,
    /// The buttons' group, for screen readers.
    pub label: &'static str,
    /// Rows in the whole list, and those the search keeps.
    pub all: usize,
    pub kept: usize,
    pub page: usize,
    pub size: usize,
    pub onpage: Callback<usize>,
}

/// "10,000 users · showing 1–200", read out as it changes, then Previous, "Page 1 of 50",
/// Next. A button at the end of the list stays focusable (`aria-disabled`) so that paging
/// by keyboard never drops the focus.
pub fn pager(p: PagerProps) -> Html {
    let l = p.lang;
    let int = |v: usize| crate::ui::js::fmt_int(l.locale(), &v.to_string());
    let win = paging::window(p.kept, p.page, p.size);
    let pages = paging::pages(p.kept, p.size);
    let line = if p.kept == 0 {
        t(l, "list.none").to_string()
    } else {
        let key = match (p.kept == p.all, p.all == 1) {
            (true, true) => "list.showing.one",
            (true, false) => "list.showing",
            (false, _) => "list.showing.match",
        };
        t(l, key)
            .replace("{n}", &int(p.kept))
            .replace("{total}", &int(p.all))
            .replace("{from}", &int(win.start + 1))
            .replace("{to}", &int(win.end))
    };
    let button = |dir: &str, to: Option<usize>, text: &str| {
        let onclick = {
            let cb = p.onpage.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(to) = to {
                    cb.emit(to)
                }
            })
        };
        html! {
            <button type="button" id={format!("{}-{dir}", p.id)} aria-disabled={to.is_none().to_string()}
                aria-controls={format!("{}-list", p.id)} {onclick}>{ text.to_string() }</button>
        }
    };
    html! {
        <div class="pager">
            <p class="showing" id={format!("{}-showing", p.id)} aria-live="polite">{ line }</p>
            if pages > 1 {
                <div class="pager-nav" role="group" aria-label={p.label}>
                    { button("prev", p.page.checked_sub(1), t(l, "list.prev")) }
                    <span class="page-no">{ t(l, "list.page").replace("{n}", &int(p.page + 1)).replace("{m}", &int(pages)) }</span>
                    { button("next", (p.page + 1 < pages).then_some(p.page + 1), t(l, "list.next")) }
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub index: usize,
    pub id: String,
    pub name: String,
    pub products: String,
    pub tokens: Option<u64>,
    pub selected: bool,
    pub lang: Lang,
    pub dispatcher: UseReducerDispatcher<crate::ui::state::State>,
}

/// One line of the team list; re-rendered only when its own figures change, so a large
/// team stays quick to edit.
#[function_component(UserItem)]
fn user_item(p: &ItemProps) -> Html {
    let l = p.lang;
    let onclick = {
        let d = p.dispatcher.clone();
        let i = p.index;
        Callback::from(move |_| d.dispatch(Action::Select(i)))
    };
    html! {
        <li>
            <button type="button" class={classes!("user-row", p.selected.then_some("selected"))}
                aria-pressed={p.selected.to_string()} {onclick} data-user={p.id.clone()}>
                <span class="user-name">{ p.name.clone() }</span>
                <span class="user-products">{ if p.products.is_empty() { t(l, "team.noproducts").to_string() } else { p.products.clone() } }</span>
                if let Some(tk) = p.tokens {
                    <span class="user-tokens">{ crate::ui::js::fmt_int(l.locale(), &tk.to_string()) }{ " " }{ t(l, "unit.tokens") }</span>
                }
            </button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct UserProps {
    pub index: usize,
}

#[function_component(UserEditor)]
pub fn user_editor(p: &UserProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let i = p.index;
    let s = ctx.scenario.clone();
    let u = &s.users[i];
    let copies = use_state(|| 5u64);
    let at = format!("users[{i}]");
    let set_name = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            edit(&ctx, move |s| {
                if let Some(u) = s.user_mut(i) {
                    u.name = Some(v.clone())
                }
            })
        })
    };
    let set_id = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            edit(&ctx, move |s| {
                if let Some(u) = s.user_mut(i) {
                    u.id = v.clone()
                }
            })
        })
    };
    let set_tz = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            edit(&ctx, move |s| {
                if let Some(u) = s.user_mut(i) {
                    u.timezone = (!v.trim().is_empty()).then(|| v.clone())
                }
            })
        })
    };
    let duplicate = {
        let ctx = ctx.clone();
        let copies = copies.clone();
        Callback::from(move |_| {
            let n = *copies as usize;
            edit(&ctx, move |s| templates::duplicate_user(s, i, n));
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            edit(&ctx, move |s| {
                if i < s.users.len() {
                    s.users.remove(i);
                }
            });
            ctx.dispatch(Action::Select(i.saturating_sub(1)));
        })
    };
    html! {
        <div class="user-editor" aria-labelledby="user-h">
            <h3 id="user-h">{ user_label(&s, i) }</h3>
            <div class="grid3">
                <TextField label={t(l, "user.name")} value={u.name.clone().unwrap_or_default()} path={format!("{at}.name")} oninput={set_name} />
                <TextField label={t(l, "user.id")} value={u.id.clone()} path={format!("{at}.id")} oninput={set_id} hint={t(l, "user.id.hint")} />
                <TextField label={t(l, "user.tz")} value={u.timezone.clone().unwrap_or_default()} path={format!("{at}.timezone")}
                    oninput={set_tz} list="zones" placeholder={s.timezone.clone()} hint={t(l, "user.tz.hint")} />
            </div>
            <div class="row actions">
                <NumField label={t(l, "user.copies")} value={*copies} path={format!("ui.copies{i}")} min={1} max={500}
                    onchange={{ let copies = copies.clone(); Callback::from(move |n| copies.set(n)) }} class="narrow" />
                <button type="button" id="duplicate-user" onclick={duplicate}>
                    { t(l, "user.duplicate").replace("{n}", &copies.to_string()) }
                </button>
                <button type="button" class="danger" id="remove-user" onclick={remove}>{ t(l, "user.remove") }</button>
            </div>
            <h4>{ t(l, "user.products") }</h4>
            if u.usage.is_empty() { <p class="hint">{ t(l, "user.noproducts") }</p> }
            { for (0..u.usage.len()).map(|k| html! { <UsageEditor user={i} index={k} key={format!("{i}-{k}-{}", u.usage[k].product)} /> }) }
            <ProductPicker user={i} />
            { subscriptions(&ctx, i) }
            { results(&ctx, i) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct UsageProps {
    pub user: usize,
    pub index: usize,
}

#[function_component(UsageEditor)]
pub fn usage_editor(p: &UsageProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let s = ctx.scenario.clone();
    let (ui, k) = (p.user, p.index);
    let Some(u) = s.users.get(ui).and_then(|u| u.usage.get(k)) else {
        return html! {};
    };
    let at = format!("users[{ui}].usage[{k}]");
    let kind = kind_of(u);
    let upd = {
        let ctx = ctx.clone();
        move |f: std::rc::Rc<dyn Fn(&mut Usage)>| {
            edit(&ctx, move |s| {
                if let Some(x) = s.user_mut(ui).and_then(|u| u.usage.get_mut(k)) {
                    f(x)
                }
            })
        }
    };
    let set_kind_cb = {
        let upd = upd.clone();
        let period = s.period.clone();
        Callback::from(move |v: String| {
            let kind = match v.as_str() {
                "monthly" => PatternKind::Monthly,
                "dates" => PatternKind::Dates,
                "sessions" => PatternKind::Sessions,
                _ => PatternKind::Weekly,
            };
            let period = period.clone();
            upd(std::rc::Rc::new(move |x: &mut Usage| {
                set_kind(x, kind, &period)
            }));
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            edit(&ctx, move |s| {
                if let Some(u) = s.user_mut(ui) {
                    if k < u.usage.len() {
                        u.usage.remove(k);
                    }
                }
            })
        })
    };
    let (from, to) = templates::hours(u).unwrap_or_default();
    let pattern_path = match kind {
        PatternKind::Weekly => "weekly",
        PatternKind::Monthly => "monthly",
        PatternKind::Dates => "dates",
        PatternKind::Sessions => "sessions",
    };
    let hours_fields = (kind != PatternKind::Sessions).then(|| {
        let uf = upd.clone();
        let ut = upd.clone();
        html! {
            <div class="row">
                <TextField kind="time" label={t(l, "usage.from")} value={from.clone()} path={format!("{at}.{pattern_path}.from")}
                    oninput={Callback::from(move |v: String| uf(std::rc::Rc::new(move |x: &mut Usage| set_hours(x, Some(v.clone()), None))))} class="narrow" />
                <TextField kind="time" label={t(l, "usage.to")} value={to.clone()} path={format!("{at}.{pattern_path}.to")}
                    oninput={Callback::from(move |v: String| ut(std::rc::Rc::new(move |x: &mut Usage| set_hours(x, None, Some(v.clone())))))} class="narrow" />
            </div>
        }
    });
    let rate = daily_rate(&s, &u.product);
    let pattern_body = match kind {
        PatternKind::Weekly => {
            let days = u
                .weekly
                .as_ref()
                .map(|w| w.days.clone())
                .unwrap_or_default();
            html! {
                <fieldset class="weekdays">
                    <legend>{ t(l, "usage.weekdays") }</legend>
                    { for WEEKDAYS.iter().enumerate().map(|(d, wd)| {
                        let on = days.iter().any(|x| x == wd);
                        let upd = upd.clone();
                        let wd_s = wd.to_string();
                        // 2024-01-01 was a Monday.
                        let label = crate::ui::js::fmt_date(l.locale(), &format!("2024-01-{:02}", d + 1), "weekday");
                        html! {
                            { check(CheckProps { id: AttrValue::from(format!("wd-{ui}-{k}-{wd}")), label: AttrValue::from(label), checked: on, class: "chip", onchange: Callback::from(move |c: bool| {
                                    let wd = wd_s.clone();
                                    upd(std::rc::Rc::new(move |x: &mut Usage| if let Some(w) = &mut x.weekly {
                                        w.days.retain(|d| *d != wd);
                                        if c { w.days.push(wd.clone()); crate::ui::slim::sort_by_key(&mut w.days, |d| WEEKDAYS.iter().position(|x| x == d)); }
                                    }))
                                }) }) }
                        }
                    }) }
                </fieldset>
            }
        }
        PatternKind::Monthly => {
            let n = u.monthly.as_ref().map(|m| u64::from(m.days)).unwrap_or(1);
            let upd = upd.clone();
            html! {
                <NumField label={t(l, "usage.days_per_month")} value={n} min={1} max={31} path={format!("{at}.monthly.days")}
                    hint={t(l, "usage.days_per_month.hint")} class="narrow"
                    onchange={Callback::from(move |v: u64| upd(std::rc::Rc::new(move |x: &mut Usage| if let Some(m) = &mut x.monthly { m.days = v as u32; })))} />
            }
        }
        PatternKind::Dates => {
            let dates = u
                .dates
                .as_ref()
                .map(|d| d.dates.clone())
                .unwrap_or_default();
            let upd = upd.clone();
            html! {
                <Calendar id={format!("cal-{ui}-{k}")} dates={dates} start={s.period.start.clone()} months={s.period.months}
                    ontoggle={Callback::from(move |d: String| upd(std::rc::Rc::new(move |x: &mut Usage| if let Some(ds) = &mut x.dates {
                        if let Some(pos) = ds.dates.iter().position(|x| *x == d) { ds.dates.remove(pos); } else { ds.dates.push(d.clone()); crate::ui::slim::sort(&mut ds.dates); }
                    })))} />
            }
        }
        PatternKind::Sessions => sessions(&ctx, ui, k),
    };
    let months = u.months.clone();
    let all_year = months.is_none();
    html! {
        <article class="usage" aria-label={item_name(l, &s, &u.product)}>
            <header>
                <h5>{ item_name(l, &s, &u.product) }
                    if let Some(r) = rate { <span class="rate">{ crate::ui::i18n::rate(l, r) }</span> }
                </h5>
                <button type="button" class="link danger" onclick={remove} aria-label={format!("{} {}", t(l, "usage.remove"), item_name(l, &s, &u.product))}>{ t(l, "usage.remove") }</button>
            </header>
            <div class="row templates" role="group" aria-label={t(l, "usage.templates")}>
                <span class="hint">{ t(l, "usage.templates") }</span>
                { for TEMPLATES.iter().map(|tp| {
                    let ctx = ctx.clone();
                    let tp = *tp;
                    html! { <button type="button" class="chip-btn" onclick={Callback::from(move |_| edit(&ctx, move |s| {
                        if let Some(x) = s.user_mut(ui).and_then(|u| u.usage.get_mut(k)) {
                            let mut n = tp.usage(&x.product);
                            n.idle_detection = x.idle_detection;
                            n.plugins = x.plugins.clone();
                            *x = n;
                        }
                    }))}>{ t(l, tp.key()) }</button> }
                }) }
            </div>
            { select_field(SelectProps { id: AttrValue::from(format!("kind-{ui}-{k}")), label: AttrValue::from(t(l, "usage.pattern")), value: AttrValue::from(pattern_path), options: vec![
                    (AttrValue::from("weekly"), AttrValue::from(t(l, "pattern.weekly"))),
                    (AttrValue::from("monthly"), AttrValue::from(t(l, "pattern.monthly"))),
                    (AttrValue::from("dates"), AttrValue::from(t(l, "pattern.dates"))),
                    (AttrValue::from("sessions"), AttrValue::from(t(l, "pattern.sessions"))),
                ], onchange: set_kind_cb }) }
            { pattern_body }
            { hours_fields.unwrap_or_default() }
            <fieldset class="months">
                <legend>{ t(l, "usage.months") }</legend>
                { check(CheckProps { id: AttrValue::from(format!("allyear-{ui}-{k}")), label: AttrValue::from(t(l, "usage.allyear")), checked: all_year, class: "chip", onchange: { let upd = upd.clone(); Callback::from(move |c: bool| upd(std::rc::Rc::new(move |x: &mut Usage| {
                        x.months = if c { None } else { Some(vec![]) };
                    }))) } }) }
                if !all_year {
                    { for (1..=12u32).map(|m| {
                        let on = months.as_ref().is_some_and(|ms| ms.contains(&m));
                        let upd = upd.clone();
                        let label = crate::ui::js::fmt_date(l.locale(), &format!("2027-{m:02}-01"), "monthname");
                        html! { { check(CheckProps { id: AttrValue::from(format!("m-{ui}-{k}-{m}")), label: AttrValue::from(label), checked: on, class: "chip", onchange: Callback::from(move |c: bool| upd(std::rc::Rc::new(move |x: &mut Usage| {
                                let ms = x.months.get_or_insert_with(Vec::new);
                                ms.retain(|v| *v != m);
                                if c { ms.push(m); crate::ui::slim::sort(ms); }
                            }))) }) } }
                    }) }
                }
            </fieldset>
            { check(CheckProps { id: AttrValue::from(format!("idle-{ui}-{k}")), label: AttrValue::from(t(l, "usage.idle")), checked: u.idle_detection.unwrap_or(true), onchange: { let upd = upd.clone(); Callback::from(move |c: bool| upd(std::rc::Rc::new(move |x: &mut Usage| x.idle_detection = if c { None } else { Some(false) }))) }, class: "" }) }
            <Plugins user={ui} index={k} />
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct CalendarProps {
    pub id: AttrValue,
    pub dates: Vec<String>,
    pub start: String,
    pub months: u32,
    pub ontoggle: Callback<String>,
}

/// A month calendar: each day a toggle button; the period's months are navigable.
#[function_component(Calendar)]
pub fn calendar(p: &CalendarProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let start = parse_date(&p.start).unwrap_or(Date::constant(2027, 1, 1));
    let first_month = start.first_of_month();
    // Open on the month of the first picked date inside the period, else the first month.
    let offset = {
        let dates = p.dates.clone();
        use_state(move || {
            dates
                .iter()
                .filter_map(|d| parse_date(d))
                .find(|d| *d >= start)
                .map(|d| {
                    i64::from(d.year() - first_month.year()) * 12
                        + i64::from(d.month() - first_month.month())
                })
                .unwrap_or(0)
        })
    };
    let max = i64::from(p.months.max(1)) - 1 + i64::from(start.day() != 1);
    let off = (*offset).clamp(0, max);
    let month = add_months(first_month, off);
    let ym = format!("{:04}-{:02}", month.year(), month.month());
    let lead = month.weekday().to_monday_zero_offset() as usize;
    let days_in = month.days_in_month() as i64;
    let end = add_months(start, i64::from(p.months));
    let prev = {
        let o = offset.clone();
        Callback::from(move |_| o.set((off - 1).max(0)))
    };
    let next = {
        let o = offset.clone();
        Callback::from(move |_| o.set((off + 1).min(max)))
    };
    let count_in_month = p.dates.iter().filter(|d| d.starts_with(&ym)).count();
    html! {
        <div class="calendar" id={p.id.clone()}>
            <div class="cal-head">
                <button type="button" class="icon" onclick={prev} disabled={off == 0} aria-label={t(l, "cal.prev")}>{ "‹" }</button>
                <strong aria-live="polite">{ crate::ui::js::fmt_date(l.locale(), &format!("{ym}-01"), "month") }
                    <span class="hint">{ format!(" · {}", t(l, "cal.selected").replace("{n}", &count_in_month.to_string())) }</span></strong>
                <button type="button" class="icon" onclick={next} disabled={off >= max} aria-label={t(l, "cal.next")}>{ "›" }</button>
            </div>
            <div class="cal-grid" role="group" aria-label={t(l, "cal.label")}>
                { for (0..7).map(|d| html! { <span class="cal-wd" aria-hidden="true">{ crate::ui::js::fmt_date(l.locale(), &format!("2024-01-{:02}", d + 1), "weekday") }</span> }) }
                { for (0..lead).map(|_| html! { <span></span> }) }
                { for (0..days_in).map(|d| {
                    let date = add_days(month, d);
                    let ds = format_date(date);
                    let on = p.dates.contains(&ds);
                    let inside = date >= start && date < end;
                    let cb = p.ontoggle.clone();
                    let ds2 = ds.clone();
                    html! {
                        <button type="button" class={classes!("cal-day", on.then_some("on"))} aria-pressed={on.to_string()}
                            disabled={!inside} aria-label={crate::ui::js::fmt_date(l.locale(), &ds, "medium")} data-date={ds.clone()}
                            onclick={Callback::from(move |_| cb.emit(ds2.clone()))}>{ date.day() }</button>
                    }
                }) }
            </div>
        </div>
    }
}

/// A date-time field of an idle stretch: the field's own check (named in words) and the
/// engine's located refusal when it points here.
fn stretch_field(
    ctx: &Ctx,
    label: String,
    value: &str,
    path: String,
    local: Option<String>,
    oninput: Callback<String>,
) -> Html {
    let id = field_id(&path);
    let engine = error_at(ctx, &path);
    let bad = local.is_some() || engine.is_some();
    html! {
        <div class={classes!("field", bad.then_some("invalid"))}>
            <label for={id.clone()}>{ label }</label>
            <input id={id.clone()} type="datetime-local" value={value.to_string()} data-path={path}
                aria-invalid={bad.then_some("true")} aria-describedby={bad.then(|| format!("{id}-err"))} autocomplete="off"
                oninput={Callback::from(move |e: InputEvent| oninput.emit(e.target_unchecked_into::<HtmlInputElement>().value()))} />
            if bad {
                <div id={format!("{id}-err")}>
                    if let Some(m) = local { <p class="field-error">{ m }</p> }
                    if let Some(m) = engine { <p class="field-error mono">{ m }</p> }
                </div>
            }
        </div>
    }
}

fn sessions(ctx: &Ctx, ui: usize, k: usize) -> Html {
    let l = ctx.lang;
    let usage = ctx.scenario.users.get(ui).and_then(|u| u.usage.get(k));
    let idle_on = usage.is_some_and(|u| u.idle_detection.unwrap_or(true));
    let list = usage.and_then(|u| u.sessions.clone()).unwrap_or_default();
    let at = format!("users[{ui}].usage[{k}].sessions");
    let upd = list_editor(ctx, move |s| {
        s.user_mut(ui)
            .and_then(|u| u.usage.get_mut(k))
            .and_then(|u| u.sessions.as_mut())
    });
    let add = {
        let upd = upd.clone();
        let start = ctx.scenario.period.start.clone();
        Callback::from(move |_| {
            let start = start.clone();
            upd(std::rc::Rc::new(move |v| {
                let day = v
                    .last()
                    .map(|x| x.start[..10].to_string())
                    .unwrap_or_else(|| start.clone());
                v.push(Session {
                    start: stamp(format!("{day}T09:00")),
                    end: stamp(format!("{day}T17:00")),
                    inactive: None,
                });
            }))
        })
    };
    let kept: usize = list
        .iter()
        .map(|x| x.inactive.as_ref().map_or(0, Vec::len))
        .sum();
    let turn_on = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            edit(&ctx, move |s| {
                if let Some(x) = s.user_mut(ui).and_then(|u| u.usage.get_mut(k)) {
                    x.idle_detection = None;
                }
            })
        })
    };
    html! {
        <fieldset class="sessions">
            <legend>{ t(l, "pattern.sessions") }</legend>
            if !idle_on {
                <p class="hint idle-off" id={format!("idle-off-{ui}-{k}")}>
                    { if kept == 0 { t(l, "idle.off.none").to_string() } else { t(l, "idle.off").replace("{n}", &kept.to_string()) } }{ " " }
                    <button type="button" class="link" onclick={turn_on}>{ t(l, "idle.turn_on") }</button>
                </p>
            }
            { for list.iter().enumerate().map(|(j, x)| {
                let stretches = x.inactive.clone().unwrap_or_default();
                let legend_id = format!("idle-h-{ui}-{k}-{j}");
                html! {
                    <div class="session-block">
                        <div class="row session">
                            <TextField kind="datetime-local" label={t(l, "session.start")} value={x.start.to_string()} path={format!("{at}[{j}].start")}
                                oninput={on_item(upd.clone(), j, |x: &mut Session, v: String| x.start = stamp(minutes(&v)))} />
                            <TextField kind="datetime-local" label={t(l, "session.end")} value={x.end.to_string()} path={format!("{at}[{j}].end")}
                                oninput={on_item(upd.clone(), j, |x: &mut Session, v: String| x.end = stamp(minutes(&v)))} />
                            <button type="button" class="link danger" aria-label={format!("{} {}", t(l, "session.remove"), j + 1)}
                                onclick={on_remove(upd.clone(), j)}>{ t(l, "session.remove") }</button>
                        </div>
                        if idle_on {
                            <div class="idle" role="group" aria-labelledby={legend_id.clone()}>
                                <p class="idle-h" id={legend_id}>{ t(l, "idle.title").replace("{n}", &(j + 1).to_string()) }</p>
                                { for stretches.iter().enumerate().map(|(n, st)| {
                                    let issue = templates::stretch_issue(x, st);
                                    let name = t(l, "idle.stretch").replace("{n}", &(n + 1).to_string());
                                    let message = |end: bool| issue.filter(|(e, _)| *e == end).map(|(_, what)| {
                                        let field = format!("{name} ({})", t(l, if end { "idle.to" } else { "idle.from" }));
                                        match what {
                                            StretchIssue::Format => t(l, "idle.err.format"),
                                            StretchIssue::Order => t(l, "idle.err.order"),
                                            StretchIssue::Outside => t(l, "idle.err.outside"),
                                        }
                                        .replace("{field}", &field)
                                        .replace("{start}", &x.start.replace('T', " "))
                                        .replace("{end}", &x.end.replace('T', " "))
                                    });
                                    let p = format!("{at}[{j}].inactive[{n}]");
                                    // One field per end; the same edit with the end it sets.
                                    let field = |end: bool| {
                                        let key = if end { "idle.to" } else { "idle.from" };
                                        stretch_field(ctx, format!("{name}: {}", t(l, key)), &st[usize::from(end)], format!("{p}[{}]", usize::from(end)), message(end),
                                            on_item(upd.clone(), j, move |x: &mut Session, v: String| templates::set_stretch(x, n, end, &v)))
                                    };
                                    html! {
                                        <div class="row stretch">
                                            { field(false) }
                                            { field(true) }
                                            <button type="button" class="link danger" aria-label={t(l, "idle.remove").replace("{n}", &(n + 1).to_string())}
                                                onclick={on_item(upd.clone(), j, move |x: &mut Session, _: MouseEvent| templates::remove_stretch(x, n))}>{ t(l, "usage.remove") }</button>
                                        </div>
                                    }
                                }) }
                                <p class="hint">{ t(l, "idle.hint") }</p>
                                <button type="button" id={format!("add-idle-{ui}-{k}-{j}")}
                                    onclick={on_item(upd.clone(), j, |x: &mut Session, _: MouseEvent| templates::add_stretch(x))}>{ t(l, "idle.add") }</button>
                            </div>
                        }
                    </div>
                }
            }) }
            <button type="button" onclick={add}>{ t(l, "session.add") }</button>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct PluginProps {
    pub user: usize,
    pub index: usize,
}

/// The plug-ins a usage loads at start-up (M5): each charged its own daily rate on the
/// host's use. Choose one, then add it; each listed one can be removed.
#[function_component(Plugins)]
pub fn plugins(p: &PluginProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let (ui, k) = (p.user, p.index);
    let choice = use_state(String::new);
    let s = ctx.scenario.clone();
    let Some(u) = s.users.get(ui).and_then(|u| u.usage.get(k)) else {
        return html! {};
    };
    let at = format!("users[{ui}].usage[{k}].plugins");
    let listed = u.plugins.clone().unwrap_or_default();
    let choices = templates::plugin_choices(&s, u);
    let own = s.catalog.as_ref().map_or(0, |c| {
        choices
            .iter()
            .filter(|(id, _)| c.products.iter().any(|p| p.id == *id))
            .count()
    });
    let upd = {
        let ctx = ctx.clone();
        move |f: std::rc::Rc<dyn Fn(&mut Usage)>| {
            edit(&ctx, move |s| {
                if let Some(x) = s.user_mut(ui).and_then(|u| u.usage.get_mut(k)) {
                    f(x)
                }
            })
        }
    };
    let add = {
        let upd = upd.clone();
        let choice = choice.clone();
        Callback::from(move |_| {
            let id = (*choice).clone();
            if !id.is_empty() {
                upd(std::rc::Rc::new(move |x: &mut Usage| {
                    templates::add_plugin(x, &id)
                }));
                choice.set(String::new());
            }
        })
    };
    let rate = |id: &str| daily_rate(&s, id).map(|r| crate::ui::i18n::rate(l, r));
    let option = |(id, r): &(String, u64)| {
        html! {
            <option value={id.clone()} selected={*choice == *id}>
                { item_name(l, &s, id) }{ " — " }{ crate::ui::i18n::rate(l, *r) }
            </option>
        }
    };
    let select_id = format!("plugin-choice-{ui}-{k}");
    html! {
        <fieldset class="plugins">
            <legend>{ t(l, "plugins.title") }</legend>
            <p class="hint">{ t(l, "plugins.hint") }</p>
            if !listed.is_empty() {
                <ul class="plugin-list" role="list">
                    { for listed.iter().enumerate().map(|(n, id)| {
                        let path = format!("{at}[{n}]");
                        let err = error_at(&ctx, &path);
                        let name = item_name(l, &s, id);
                        let ur = upd.clone();
                        html! {
                            <li id={field_id(&path)} tabindex="-1" data-plugin={id.clone()} class={classes!(err.is_some().then_some("invalid"))}>
                                <span class="plugin-name">{ name.clone() }</span>
                                if let Some(r) = rate(id) { <span class="rate">{ r }</span> }
                                <button type="button" class="link danger" aria-label={t(l, "plugins.remove").replace("{name}", &name)}
                                    onclick={Callback::from(move |_| ur(std::rc::Rc::new(move |x: &mut Usage| templates::remove_plugin(x, n))))}>{ t(l, "usage.remove") }</button>
                                if let Some(e) = err { <p class="field-error mono">{ e }</p> }
                            </li>
                        }
                    }) }
                </ul>
            }
            <div class="row">
                <div class="field grow">
                    <label for={select_id.clone()}>{ t(l, "plugins.choose") }</label>
                    <select id={select_id} onchange={{ let choice = choice.clone(); Callback::from(move |e: Event| choice.set(e.target_unchecked_into::<HtmlSelectElement>().value())) }}>
                        <option value="" selected={choice.is_empty()}>{ t(l, "plugins.pick") }</option>
                        if own > 0 {
                            <optgroup label={t(l, "plugins.own")}>{ for choices[..own].iter().map(option) }</optgroup>
                        }
                        <optgroup label={t(l, "plugins.builtin")}>{ for choices[own..].iter().map(option) }</optgroup>
                    </select>
                </div>
                <button type="button" id={format!("add-plugin-{ui}-{k}")} onclick={add} disabled={choice.is_empty()}>{ t(l, "plugins.add") }</button>
            </div>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub user: usize,
}

/// Adds a product: search, then choose from the catalog grouped by industry and workflow.
#[function_component(ProductPicker)]
pub fn product_picker(p: &PickerProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let ui = p.user;
    let query = use_state(String::new);
    let choice = use_state(String::new);
    let c = Catalog::builtin();
    let q = crate::ui::slim::fold(&query);
    let used: Vec<String> = ctx
        .scenario
        .users
        .get(ui)
        .map(|u| u.usage.iter().map(|x| x.product.clone()).collect())
        .unwrap_or_default();
    let matches = |id: &str| {
        q.is_empty()
            || id.contains(&q)
            || c.product(id)
                .is_some_and(|p| crate::ui::slim::fold(p.name.get(l.code())).contains(&q))
    };
    let add = {
        let ctx = ctx.clone();
        let choice = choice.clone();
        Callback::from(move |_| {
            let id = (*choice).clone();
            if id.is_empty() {
                return;
            }
            edit(&ctx, move |s| {
                if let Some(u) = s.user_mut(ui) {
                    u.usage.push(Template::PartTime.usage(&id));
                }
            });
            choice.set(String::new());
        })
    };
    let rate_label = |id: &str| {
        let p = c.product(id).expect("grouped products exist");
        format!(
            "{} — {}",
            p.name.get(l.code()),
            crate::ui::i18n::rate(l, p.tokens_per_day)
        )
    };
    html! {
        <div class="picker" role="group" aria-labelledby={format!("pick-h-{ui}")}>
            <h4 id={format!("pick-h-{ui}")}>{ t(l, "picker.title") }</h4>
            <div class="row">
                <div class="field">
                    <label for="product-search">{ t(l, "picker.search") }</label>
                    <input id="product-search" type="search" value={(*query).clone()} autocomplete="off"
                        oninput={{ let query = query.clone(); Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} />
                </div>
                <div class="field grow">
                    <label for="product-choice">{ t(l, "picker.product") }</label>
                    <select id="product-choice" onchange={{ let choice = choice.clone(); Callback::from(move |e: Event| choice.set(e.target_unchecked_into::<HtmlSelectElement>().value())) }}>
                        <option value="" selected={choice.is_empty()}>{ t(l, "picker.choose") }</option>
                        { for c.industries.iter().flat_map(|ind| ind.workflows.iter().map(move |w| (ind, w))).map(|(ind, w)| {
                            let items: Vec<&String> = w.products.iter().filter(|id| matches(id)).collect();
                            if items.is_empty() { return html! {}; }
                            html! {
                                <optgroup label={format!("{} — {}", ind.name.get(l.code()), w.name.get(l.code()))}>
                                    { for items.into_iter().map(|id| html! {
                                        <option value={id.clone()} selected={*choice == **id} disabled={used.contains(id)}>{ rate_label(id) }</option>
                                    }) }
                                </optgroup>
                            }
                        }) }
                        { for ctx.scenario.catalog.iter().flat_map(|cat| cat.products.iter()).filter(|p| matches(&p.id)).map(|p| html! {
                            <option value={p.id.clone()} selected={*choice == p.id}>{ format!("{} — {}", p.name.clone().unwrap_or_else(|| p.id.clone()), crate::ui::i18n::rate(l, p.tokens_per_day)) }</option>
                        }) }
                    </select>
                </div>
                <button type="button" class="primary" id="add-product" onclick={add} disabled={choice.is_empty()}>{ t(l, "picker.add") }</button>
            </div>
        </div>
    }
}

fn subscriptions(ctx: &Ctx, ui: usize) -> Html {
    let l = ctx.lang;
    let s = ctx.scenario.clone();
    let subs = s
        .users
        .get(ui)
        .map(|u| u.subscriptions.clone())
        .unwrap_or_default();
    let at = format!("users[{ui}].subscriptions");
    if s.offerings.is_empty() && subs.is_empty() {
        return html! { <><h4>{ t(l, "subs.title") }</h4><p class="hint">{ t(l, "subs.none") }</p></> };
    }
    let upd = list_editor(ctx, move |s| s.user_mut(ui).map(|u| &mut u.subscriptions));
    let add = {
        let upd = upd.clone();
        let first = s
            .offerings
            .first()
            .map(|o| o.id.clone())
            .unwrap_or_default();
        let from = s.period.start.clone();
        let to = parse_date(&s.period.start)
            .map(|d| format_date(add_days(add_months(d, i64::from(s.period.months)), -1)))
            .unwrap_or_default();
        Callback::from(move |_| {
            let (first, from, to) = (first.clone(), from.clone(), to.clone());
            upd(std::rc::Rc::new(move |v| {
                v.push(Subscription {
                    offering: first.clone(),
                    from: from.clone(),
                    to: to.clone(),
                })
            }))
        })
    };
    html! {
        <fieldset class="subs">
            <legend>{ t(l, "subs.title") }</legend>
            { for subs.iter().enumerate().map(|(j, x)| {
                html! {
                    <div class="row">
                        { select_field(SelectProps { id: AttrValue::from(format!("sub-{ui}-{j}")), label: AttrValue::from(t(l, "subs.offering")), value: AttrValue::from(x.offering.clone()), options: s.offerings.iter().map(|o| (AttrValue::from(o.id.clone()), AttrValue::from(o.name.clone().unwrap_or_else(|| o.id.clone())))).collect::<Vec<_>>(), onchange: on_item(upd.clone(), j, |x: &mut Subscription, v: String| x.offering = v) }) }
                        <TextField kind="date" label={t(l, "subs.from")} value={x.from.clone()} path={format!("{at}[{j}].from")}
                            oninput={on_item(upd.clone(), j, |x: &mut Subscription, v: String| x.from = v)} />
                        <TextField kind="date" label={t(l, "subs.to")} value={x.to.clone()} path={format!("{at}[{j}].to")}
                            oninput={on_item(upd.clone(), j, |x: &mut Subscription, v: String| x.to = v)} />
                        <button type="button" class="link danger" onclick={on_remove(upd.clone(), j)}>{ t(l, "subs.remove") }</button>
                    </div>
                }
            }) }
            if !s.offerings.is_empty() { <button type="button" id={format!("add-subscription-{ui}")} onclick={add}>{ t(l, "subs.add") }</button> }
        </fieldset>
    }
}

fn results(ctx: &Ctx, ui: usize) -> Html {
    let l = ctx.lang;
    let s = ctx.scenario.clone();
    let list = s
        .users
        .get(ui)
        .map(|u| u.results.clone())
        .unwrap_or_default();
    let at = format!("users[{ui}].results");
    let c = Catalog::builtin();
    let upd = list_editor(ctx, move |s| s.user_mut(ui).map(|u| &mut u.results));
    let add = {
        let upd = upd.clone();
        let at = format!("{}T10:00", s.period.start);
        Callback::from(move |_| {
            let at = at.clone();
            upd(std::rc::Rc::new(move |v| {
                v.push(ResultEvent {
                    service: "generative-design".into(),
                    at: at.clone(),
                    quantity: 1,
                })
            }))
        })
    };
    html! {
        <fieldset class="results-ev">
            <legend>{ t(l, "results.title") }</legend>
            { for list.iter().enumerate().map(|(j, x)| {
                html! {
                    <div class="row">
                        { select_field(SelectProps { id: AttrValue::from(format!("svc-{ui}-{j}")), label: AttrValue::from(t(l, "results.service")), value: AttrValue::from(x.service.clone()), options: c.services.iter().map(|sv| (AttrValue::from(sv.id.clone()), AttrValue::from(format!("{} — {} / {}", sv.name.get(l.code()), t(l, "usage.tokens_n").replace("{n}", &sv.tokens.to_string()), sv.unit.get(l.code()))))).collect::<Vec<_>>(), onchange: on_item(upd.clone(), j, |x: &mut ResultEvent, v: String| x.service = v) }) }
                        <TextField kind="datetime-local" label={t(l, "results.at")} value={x.at.clone()} path={format!("{at}[{j}].at")}
                            oninput={on_item(upd.clone(), j, |x: &mut ResultEvent, v: String| x.at = minutes(&v))} />
                        <NumField label={t(l, "results.quantity")} value={x.quantity} min={1} max={1_000_000} path={format!("{at}[{j}].quantity")} class="narrow"
                            onchange={on_item(upd.clone(), j, |x: &mut ResultEvent, v: u64| x.quantity = v)} />
                        <button type="button" class="link danger" onclick={on_remove(upd.clone(), j)}>{ t(l, "results.remove") }</button>
                    </div>
                }
            }) }
            <button type="button" onclick={add}>{ t(l, "results.add") }</button>
        </fieldset>
    }
}
