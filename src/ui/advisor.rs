//! The advisor tab (SPEC §5): the engine's recommended plan, its total beside all-Flex,
//! all-subscription and the scenario's own subscriptions, "apply this plan", the plan at
//! other usage levels (a slider over the engine's sensitivity sweep, with the flips in
//! words), and the break-even chart of one user × product. Every figure, both chart lines
//! included, is the engine's: `advise` and `sensitivity` run in the engine's worker (a big
//! team's plan takes seconds), `break_even_line` here; the view only places them.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::engine::advise::{
    break_even_line, Advice, BreakEven, Change, Coverage, PlanOut, Sensitivity, PERCENTS,
};
use crate::engine::error::InputError;
use crate::engine::scenario::{Offering, Scenario, Subscription};
use crate::ui::format::Fmt;
use crate::ui::i18n::{t, Lang};
use crate::ui::js;
use crate::ui::state::{edit, plan_applied, Action, Ctx, Tab};
use crate::ui::team::item_name;
use crate::ui::worker::{self, Kind};

/// The chart's days axis: 0 ..= 31 days of use a month.
const MAX_DAYS: u32 = 31;

#[function_component(AdvisorTab)]
pub fn advisor_tab() -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let advice = use_answer::<Advice>(Kind::Advise, ctx.scenario.clone());
    let chosen = use_state(|| 0usize);
    let s = &ctx.scenario;
    if s.offerings.is_empty() {
        let go = {
            let ctx = ctx.clone();
            Callback::from(move |_| ctx.dispatch(Action::SetTab(Tab::Settings)))
        };
        return html! {
            <section class="advisor" aria-labelledby="advisor-h">
                <h2 id="advisor-h">{ t(l, "advisor.title") }</h2>
                <p class="hint" id="advisor-no-offerings">{ t(l, "advisor.no_offerings") }</p>
                <AskPrice />
                <button type="button" class="link" id="advisor-to-offerings" onclick={go}>{ t(l, "advisor.to_offerings") }</button>
            </section>
        };
    }
    // An earlier scenario's plan stays on screen, dimmed, while the worker plans this one.
    let busy = !advice.as_ref().is_some_and(|(k, _)| same(k, s));
    let a: &Advice = match advice.as_ref().map(|(_, r)| &**r) {
        Some(Ok(a)) => a,
        Some(Err(e)) if !busy => {
            return html! {
                <section class="advisor" aria-labelledby="advisor-h">
                    <h2 id="advisor-h">{ t(l, "advisor.title") }</h2>
                    <p class="error-box" role="alert" id="advisor-error">{ e.to_string() }</p>
                </section>
            };
        }
        _ => {
            return html! {
                <section class="advisor" aria-labelledby="advisor-h" aria-busy="true">
                    <h2 id="advisor-h">{ t(l, "advisor.title") }</h2>
                    <p class="hint" role="status" id="advisor-computing">{ t(l, "advisor.computing") }</p>
                </section>
            };
        }
    };
    let minor = ctx.shown().map(|o| o.insights.minor_units).unwrap_or(2);
    let f = Fmt::new(l, &a.currency, minor);
    let plan: Vec<(String, Subscription)> = a.plan.scenario_subscriptions();
    // Already applied when applying would change nothing (a tie of equal cost is not).
    let applied = plan_applied(s, &plan);
    let apply = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::ApplyPlan(plan.clone())))
    };
    let pick = chosen.min(a.break_even.len().saturating_sub(1));
    let on_pick = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            chosen.set(v.parse().unwrap_or(0));
        })
    };
    html! {
        <section class={classes!("advisor", busy.then_some("stale"))} aria-labelledby="advisor-h" aria-busy={busy.to_string()}>
            <h2 id="advisor-h">{ t(l, "advisor.title") }</h2>
            <p class="hint">{ t(l, "advisor.hint") }</p>
            <div class="advisor-totals" id="advisor-totals">
                { total_card(l, &f, "plan", "advisor.plan", &a.plan, None) }
                { total_card(l, &f, "all-flex", "advisor.all_flex", &a.all_flex, Some(&a.saving.all_flex)) }
                { total_card(l, &f, "all-subscription", "advisor.all_subscription", &a.all_subscription, Some(&a.saving.all_subscription)) }
                { total_card(l, &f, "current", "advisor.current", &a.current, Some(&a.saving.current)) }
            </div>
            <p class="hint" id="advisor-optimal">{
                if a.optimal {
                    t(l, "advisor.optimal").to_string()
                } else {
                    t(l, "advisor.gap").replace("{bound}", &f.money(&a.lower_bound)).replace("{gap}", &f.money(&a.gap))
                }
            }</p>
            <div class="row">
                <button type="button" id="apply-plan" class="primary" disabled={applied || busy} onclick={apply}>{ t(l, "advisor.apply") }</button>
                <span class="hint" id="apply-state">{ t(l, if applied { "advisor.applied" } else { "advisor.apply.hint" }) }</span>
            </div>
            <h3>{ t(l, "advisor.plan.title") }</h3>
            { plan_table(l, &f, s, &a.plan) }
            <SensitivityPanel scenario={s.clone()} fmt={f.clone()} />
            if !a.break_even.is_empty() {
                <h3>{ t(l, "advisor.chart.title") }</h3>
                <div class="field">
                    <label for="break-even-pick">{ t(l, "advisor.chart.pick") }</label>
                    <select id="break-even-pick" onchange={on_pick}>
                        { for a.break_even.iter().enumerate().map(|(k, b)| html! {
                            <option value={k.to_string()} selected={k == pick}>{ format!("{} — {}", user_name(s, &b.user), item_name(l, s, &b.product)) }</option>
                        }) }
                    </select>
                </div>
                { break_even_chart(l, &f, s, &a.break_even[pick]) }
            }
        </section>
    }
}

/// The one price the advisor needs, asked where it is needed: a subscription to one of the
/// team's products and its annual price, added to the scenario's offerings in one change
/// (the engine checks the price like any other; more under Period & prices).
#[function_component(AskPrice)]
fn ask_price() -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let s = &ctx.scenario;
    // The team's products, in the order it first uses them.
    let mut used: Vec<&str> = Vec::new();
    for x in s.users.iter().flat_map(|u| u.usage.iter()) {
        if !used.contains(&x.product.as_str()) {
            used.push(&x.product);
        }
    }
    let product = use_state(|| used.first().map(|p| p.to_string()).unwrap_or_default());
    let price = use_state(String::new);
    let value = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: Event| {
            h.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let add = {
        let (ctx, product, price) = (ctx.clone(), product.clone(), price.clone());
        Callback::from(move |_: MouseEvent| {
            let (p, annual) = ((*product).clone(), price.trim().to_string());
            edit(&ctx, move |s| {
                s.offerings.push(Offering {
                    id: p.clone(),
                    name: None,
                    covers: vec![p.clone()],
                    annual: annual.clone(),
                    monthly: None,
                });
            });
        })
    };
    html! {
        <div class="ask-price row" id="ask-price">
            <div class="field compact">
                <label for="ask-product">{ t(l, "advisor.ask.product") }</label>
                <select id="ask-product" onchange={value(&product)}>
                    { for used.iter().map(|p| html! { <option value={p.to_string()} selected={**p == *product}>{ item_name(l, s, p) }</option> }) }
                </select>
            </div>
            <div class="field compact">
                <label for="ask-annual">{ t(l, "advisor.ask.annual").replace("{currency}", &s.currency) }</label>
                <input id="ask-annual" inputmode="decimal" value={(*price).clone()} onchange={value(&price)} />
            </div>
            <button type="button" class="primary" id="ask-add" onclick={add}>{ t(l, "advisor.ask.add") }</button>
        </div>
    }
}

fn user_name(s: &Scenario, id: &str) -> String {
    s.users
        .iter()
        .find(|u| u.id == id)
        .and_then(|u| u.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn offering_name(s: &Scenario, id: &str) -> String {
    s.offerings
        .iter()
        .find(|o| o.id == id)
        .and_then(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn date(f: &Fmt, ymd: &str) -> String {
    js::fmt_date(f.lang.locale(), ymd, "medium")
}

fn total_card(
    l: Lang,
    f: &Fmt,
    id: &str,
    key: &str,
    p: &PlanOut,
    saving: Option<&Decimal>,
) -> Html {
    html! {
        <div class={classes!("stat", (id == "plan").then_some("good"))} id={format!("advisor-{id}")}>
            <span class="stat-label">{ t(l, key) }</span>
            <strong class="stat-value" data-value={p.cost.total.to_string()}>{ f.money(&p.cost.total) }</strong>
            <span class="stat-note">{ format!("{} {} · {} {}", f.money(&p.cost.subscriptions), t(l, "advisor.subs_money"), f.int(p.cost.tokens), t(l, "unit.tokens")) }</span>
            if let Some(d) = saving {
                <span class="stat-note saving" data-value={d.to_string()}>{
                    if d.is_zero() { t(l, "advisor.same").to_string() }
                    else { t(l, "advisor.saving").replace("{amount}", &f.money(d)) }
                }</span>
            }
        </div>
    }
}

fn plan_table(l: Lang, f: &Fmt, s: &Scenario, p: &PlanOut) -> Html {
    html! {
        <div class="table-wrap">
        <table class="advisor-plan" id="advisor-plan-table">
            <thead><tr>
                <th scope="col">{ t(l, "advisor.col.user") }</th>
                <th scope="col">{ t(l, "advisor.col.subscriptions") }</th>
                <th scope="col">{ t(l, "advisor.col.flex") }</th>
                <th scope="col" class="num">{ t(l, "unit.tokens") }</th>
                <th scope="col" class="num">{ t(l, "advisor.col.subs_cost") }</th>
            </tr></thead>
            <tbody>
            { for p.users.iter().map(|u| html! {
                <tr data-user={u.user.clone()}>
                    <th scope="row">{ user_name(s, &u.user) }</th>
                    <td class="plan-subs">{
                        if u.subscriptions.is_empty() { html! { { "—" } } } else { html! {
                            <ul>{ for u.subscriptions.iter().map(|x| html! {
                                <li>{ format!("{} ({}, {} – {})", offering_name(s, &x.offering),
                                    t(l, if x.term == "annual" { "advisor.term.annual" } else { "advisor.term.monthly" }),
                                    date(f, &x.from), date(f, &x.to)) }</li>
                            }) }</ul>
                        } }
                    }</td>
                    <td class="plan-flex">{
                        if u.flex_products.is_empty() { "—".to_string() }
                        else { u.flex_products.iter().map(|x| item_name(l, s, x)).collect::<Vec<_>>().join(", ") }
                    }</td>
                    <td class="num" data-value={u.tokens.to_string()}>{ f.int(u.tokens) }</td>
                    <td class="num">{ f.money(&u.subscription_cost) }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
    }
}

fn break_even_chart(l: Lang, f: &Fmt, s: &Scenario, b: &BreakEven) -> Html {
    const W: f64 = 560.0;
    const H: f64 = 240.0;
    const PAD_L: f64 = 64.0;
    const PAD_B: f64 = 28.0;
    const PAD_T: f64 = 10.0;
    let line = Rc::new(break_even_line(b, f.minor_units, MAX_DAYS));
    // Pixel placement only: the amounts themselves are the engine's.
    let px = |d: &Decimal| d.to_f64().unwrap_or(0.0);
    let top_money = line
        .iter()
        .map(|p| p.flex.max(p.subscription.unwrap_or(Decimal::ZERO)))
        .max()
        .unwrap_or(Decimal::ZERO);
    let top = px(&top_money).max(1.0);
    let x = |d: f64| PAD_L + d / MAX_DAYS as f64 * (W - PAD_L - 8.0);
    let y = |v: f64| PAD_T + (1.0 - v / top) * (H - PAD_T - PAD_B);
    let fx = |v: f64| crate::ui::slim::fixed(v, 1);
    let flex_pts: String = line
        .iter()
        .map(|p| format!("{},{} ", fx(x(p.days_per_month as f64)), fx(y(px(&p.flex)))))
        .collect();
    let sub_pts: Option<String> = line.first().and_then(|p| p.subscription).map(|v| {
        format!(
            "{},{} {},{}",
            fx(x(0.0)),
            fx(y(px(&v))),
            fx(x(MAX_DAYS as f64)),
            fx(y(px(&v)))
        )
    });
    let sub_value = line.first().and_then(|p| p.subscription);
    let two = |v: f64| crate::ui::slim::fixed(v, 2);
    let verdict = match &*b.verdict {
        "subscription" => "advisor.verdict.subscription",
        "even" => "advisor.verdict.even",
        _ => "advisor.verdict.flex",
    };
    let crossing = b.days_per_month.filter(|d| *d <= MAX_DAYS as f64);
    let desc = match (b.days_per_month, &b.offering) {
        (Some(d), Some(o)) => t(l, "advisor.chart.desc")
            .replace("{days}", &two(d))
            .replace("{offering}", &offering_name(s, o)),
        _ => t(l, "advisor.chart.none").to_string(),
    };
    html! {
        <figure class="chart break-even" id="break-even">
            <svg viewBox={format!("0 0 {} {}", W as u32, H as u32)} role="img" aria-labelledby="break-even-desc" preserveAspectRatio="none">
                <desc id="break-even-desc">{ desc.clone() }</desc>
                { for [Decimal::ZERO, top_money].iter().map(|v| html! {
                    <g class="gridline"><line x1={fx(PAD_L)} x2={fx(W)} y1={fx(y(px(v)))} y2={fx(y(px(v)))} />
                    <text x={fx(PAD_L - 6.0)} y={fx(y(px(v)) + 4.0)} text-anchor="end">{ f.money(v) }</text></g>
                }) }
                { for [0u32, 5, 10, 15, 20, 25, 30].iter().map(|d| html! {
                    <text class="axis" x={fx(x(*d as f64))} y={fx(H - 8.0)} text-anchor="middle">{ d.to_string() }</text>
                }) }
                <polyline class="line flex-line" id="flex-line" points={flex_pts} />
                if let Some(pts) = sub_pts {
                    <polyline class="line sub-line" id="sub-line" points={pts} />
                }
                if let (Some(d), Some(v)) = (crossing, sub_value) {
                    <g class="crossing" id="crossing">
                        <line x1={fx(x(d))} x2={fx(x(d))} y1={fx(PAD_T)} y2={fx(H - PAD_B)} />
                        <circle cx={fx(x(d))} cy={fx(y(px(&v)))} r="5" />
                    </g>
                }
                <g class="used">
                    <line x1={fx(x(b.used_days_per_month.min(MAX_DAYS as f64)))} x2={fx(x(b.used_days_per_month.min(MAX_DAYS as f64)))} y1={fx(PAD_T)} y2={fx(H - PAD_B)} />
                </g>
            </svg>
            <figcaption>
                <ul class="legend">
                    <li class="lg-flex">{ t(l, "advisor.chart.flex") }</li>
                    if sub_value.is_some() { <li class="lg-sub">{ t(l, "advisor.chart.sub") }</li> }
                    <li class="lg-used">{ t(l, "advisor.chart.used").replace("{days}", &two(b.used_days_per_month)) }</li>
                </ul>
                <p id="break-even-text">{ desc }{ " " }<strong id="break-even-verdict">{ t(l, verdict) }</strong></p>
                <p class="hint">{ t(l, "advisor.chart.axis") }</p>
            </figcaption>
        </figure>
    }
}

/// The worker's answer of one kind for one scenario: the engine's value or its refusal.
type Answer<T> = (Rc<Scenario>, Rc<Result<T, InputError>>);

/// A kind's last answer and the scenario it is for (the value an `Rc<Result<T, _>>`).
type Cached = (Kind, Rc<Scenario>, Rc<dyn Any>);

thread_local! {
    /// The last answer of each kind, kept across visits to the tab: the engine runs once
    /// per scenario.
    static ANSWERS: RefCell<Vec<Cached>> = const { RefCell::new(Vec::new()) };
}

fn same(a: &Rc<Scenario>, b: &Rc<Scenario>) -> bool {
    Rc::ptr_eq(a, b) || **a == **b
}

fn cached<T: 'static>(kind: Kind) -> Option<Answer<T>> {
    ANSWERS.with(|c| {
        let c = c.borrow();
        let (_, s, v) = c.iter().find(|(k, ..)| *k == kind)?;
        Some((s.clone(), v.clone().downcast().ok()?))
    })
}

/// The latest answer of `kind` the worker gave for this scenario or an earlier one (the
/// caller shows an earlier one dimmed while the current one is computed). The worker runs
/// it (the advisor of a big team takes seconds); the page only reads the answer, and drops
/// one whose scenario an edit has replaced meanwhile.
#[hook]
fn use_answer<T: DeserializeOwned + 'static>(kind: Kind, s: Rc<Scenario>) -> Option<Answer<T>> {
    let got = use_state(|| cached::<T>(kind));
    let latest = use_mut_ref(|| s.clone());
    {
        let got = got.clone();
        use_effect_with(s, move |s| {
            *latest.borrow_mut() = s.clone();
            match cached::<T>(kind).filter(|(k, _)| same(k, s)) {
                Some(hit) => got.set(Some(hit)),
                None => {
                    let asked = s.clone();
                    let t0 = js::now_ms();
                    worker::ask(kind, s.clone(), move |reply| {
                        let end = js::now_ms();
                        js::set_perf(&format!("{}_ms", kind.code()), end - t0);
                        js::set_perf(&format!("{}_end", kind.code()), end);
                        let r: Rc<Result<T, InputError>> =
                            Rc::new(reply.and_then(|text| worker::read_answer(&text)));
                        ANSWERS.with(|c| {
                            let mut c = c.borrow_mut();
                            c.retain(|(k, ..)| *k != kind);
                            c.push((kind, asked.clone(), r.clone()));
                        });
                        if same(&latest.borrow(), &asked) {
                            got.set(Some((asked, r)));
                        }
                    });
                }
            }
        });
    }
    (*got).clone()
}

#[derive(Properties, PartialEq)]
struct SensitivityProps {
    scenario: Rc<Scenario>,
    fmt: Fmt,
}

#[function_component(SensitivityPanel)]
fn sensitivity_panel(props: &SensitivityProps) -> Html {
    let f = &props.fmt;
    let l = f.lang;
    let s = &props.scenario;
    let answer = use_answer::<Sensitivity>(Kind::Sensitivity, s.clone());
    let percent = use_state(|| 0i32);
    let result = answer
        .as_ref()
        .filter(|(k, _)| same(k, s))
        .map(|(_, r)| r.clone());
    let (lo, hi) = (PERCENTS[0], PERCENTS[PERCENTS.len() - 1]);
    let step_size = PERCENTS[1] - PERCENTS[0];
    let value = pct(l, *percent);
    let on_input = {
        let percent = percent.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            percent.set(v.parse().unwrap_or(0));
        })
    };
    let ready = matches!(result.as_deref(), Some(Ok(_)));
    html! {
        <section class="sensitivity" id="sensitivity" aria-labelledby="sens-h" aria-busy={(!ready).to_string()}>
            <h3 id="sens-h">{ t(l, "sens.title") }</h3>
            <p class="hint">{ t(l, "sens.hint") }</p>
            <div class="field">
                <label for="sens-usage">{ t(l, "sens.slider") }</label>
                <input type="range" id="sens-usage" min={lo.to_string()} max={hi.to_string()}
                    step={step_size.to_string()} value={percent.to_string()}
                    aria-valuetext={t(l, "sens.value").replace("{pct}", &value)}
                    disabled={!ready} oninput={on_input} />
                <output id="sens-value" for="sens-usage">{ t(l, "sens.value").replace("{pct}", &value) }</output>
            </div>
            { match result.as_deref() {
                None => html! { <p class="hint" id="sens-computing" role="status">{ t(l, "sens.computing") }</p> },
                Some(Err(e)) => html! { <p class="error-box" role="alert" id="sens-error">{ e.to_string() }</p> },
                Some(Ok(sens)) => sensitivity_view(f, s, sens, *percent),
            } }
        </section>
    }
}

/// "+20 %", "−10 %", "0 %" as the language writes a percentage.
fn pct(l: Lang, p: i32) -> String {
    let sign = match p.signum() {
        1 => "+",
        -1 => "\u{2212}",
        _ => "",
    };
    t(l, "sens.pct")
        .replace("{sign}", sign)
        .replace("{n}", &p.unsigned_abs().to_string())
}

fn sensitivity_view(f: &Fmt, s: &Scenario, sens: &Sensitivity, percent: i32) -> Html {
    let l = f.lang;
    // The slider only offers the sweep's steps; the nearest one stands for any other value.
    let Some(step) = sens
        .steps
        .iter()
        .min_by_key(|x| (x.percent - percent).unsigned_abs())
    else {
        return html! {};
    };
    let card = |id: &str, key: &str, v: &Decimal| {
        html! {
            <div class={classes!("stat", (id == "plan").then_some("good"))} id={format!("sens-{id}")}>
                <span class="stat-label">{ t(l, key) }</span>
                <strong class="stat-value" data-value={v.to_string()}>{ f.money(v) }</strong>
            </div>
        }
    };
    let (lo, hi) = (PERCENTS[0], PERCENTS[PERCENTS.len() - 1]);
    html! {
        <>
            <div class="advisor-totals" id="sens-totals" aria-live="polite">
                { card("plan", "sens.plan", &step.total) }
                { card("all-flex", "advisor.all_flex", &step.all_flex) }
                { card("all-subscription", "advisor.all_subscription", &step.all_subscription) }
            </div>
            <p id="sens-same" data-same={step.same_as_baseline.to_string()}>{
                t(l, if step.same_as_baseline { "sens.same" } else { "sens.differs" })
            }</p>
            <h4>{ t(l, "sens.flips") }</h4>
            if sens.flips.is_empty() {
                <p class="hint" id="sens-no-flips">{
                    t(l, "sens.no_flips").replace("{lo}", &pct(l, lo)).replace("{hi}", &pct(l, hi))
                }</p>
            } else {
                <ul id="sens-flips">
                    { for sens.flips.iter().map(|x| {
                        // The flips the slider has passed, from 0 % to its value.
                        let passed = (x.percent > 0 && x.percent <= percent) || (x.percent < 0 && x.percent >= percent);
                        let changes: Vec<String> = x.changes.iter().map(|c| change_text(f, s, c)).collect();
                        let text = t(l, "sens.flip").replace("{pct}", &pct(l, x.percent)).replace("{changes}", &changes.join("; "));
                        html! {
                            <li data-percent={x.percent.to_string()} class={classes!(passed.then_some("passed"))}>{
                                if passed { html! { <strong>{ text }</strong> } } else { html! { { text } } }
                            }</li>
                        }
                    }) }
                </ul>
            }
        </>
    }
}

fn term_text(f: &Fmt, c: &Coverage) -> String {
    let l = f.lang;
    if c.term == "annual" {
        return t(l, "advisor.term.annual").to_string();
    }
    let months: Vec<String> = c
        .months
        .iter()
        .map(|m| js::fmt_date(l.locale(), m, "monthname"))
        .collect();
    t(l, "sens.term.monthly").replace("{months}", &months.join(", "))
}

/// One change in words: "Ana: subscribe to Maya (annual)".
fn change_text(f: &Fmt, s: &Scenario, c: &Change) -> String {
    let l = f.lang;
    let key = match (&*c.before.term, &*c.after.term) {
        ("none", _) => "sens.subscribe",
        (_, "none") => "sens.drop",
        _ => "sens.switch",
    };
    t(l, key)
        .replace("{user}", &user_name(s, &c.user))
        .replace("{offering}", &offering_name(s, &c.offering))
        .replace("{term}", &term_text(f, &c.after))
        .replace("{was}", &term_text(f, &c.before))
}
