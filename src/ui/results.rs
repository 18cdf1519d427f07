//! Live results: the summary (a `role=status` region), charts of tokens per month and of
//! the balance, the year heat-map and the per-user × product table. Every figure comes
//! from the engine's report and insights.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::insights::{Insights, MarkKind};
use crate::engine::time::format_date;
use crate::ui::format::Fmt;
use crate::ui::i18n::{t, Lang};
use crate::ui::js;
use crate::ui::paging::{self, By, Sort, TABLE_PAGE};
use crate::ui::state::{Ctx, Outcome};
use crate::ui::team::{item_name, pager, PagerProps};
use crate::ui::widgets::field_id;

#[derive(Properties, PartialEq)]
pub struct PaneProps {
    /// The first screen is up: the charts, heat map and table too (else the summary only).
    pub full: bool,
}

#[function_component(ResultsPane)]
pub fn results_pane(p: &PaneProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let error = ctx.refusal().cloned();
    let shown = ctx.shown().cloned();
    {
        // The performance figures: the time from the edit's input event to this render.
        let rev = ctx.rev;
        use_effect_with(rev, move |_| {
            js::set_perf("rendered", js::now_ms());
        });
    }
    html! {
        <section class="results" aria-labelledby="results-h" id="results">
            <h2 id="results-h">{ t(l, "results.heading") }</h2>
            { print_header(&ctx) }
            if ctx.loading {
                <p class="hint loading" role="status" id="zones-loading">{ t(l, "results.loading_zones") }</p>
            }
            if let Some(e) = &error {
                <div class="error-box" role="alert" id="scenario-error">
                    <p><strong>{ t(l, "error.title") }</strong></p>
                    <p class="mono" id="error-message">{ e.to_string() }</p>
                    if !e.path.is_empty() {
                        <button type="button" onclick={{ let path = e.path.clone(); let ctx = ctx.clone(); Callback::from(move |_| go_to(&ctx, &path)) }}>
                            { t(l, "error.goto") }</button>
                    }
                    if shown.is_some() { <p class="hint">{ t(l, "error.stale") }</p> }
                </div>
            }
            if let Some(props) = shown.map(|o| Props { outcome: Wrap(o), lang: l, scenario: ctx.scenario.clone() }) {
                <div class={classes!("results-body", (error.is_some() || ctx.loading).then_some("stale"))} aria-busy={ctx.loading.to_string()} data-full={p.full.to_string()}>
                    { summary(&props) }
                    if p.full {
                        { month_chart(&props) }
                        { balance_chart(&props) }
                        <HeatMap outcome={props.outcome.clone()} lang={l} />
                        <UserTable outcome={props.outcome.clone()} lang={l}
                            heads={props.outcome.0.insights.table.items.iter().map(|id| item_name(l, &props.scenario, id)).collect::<Vec<_>>()} />
                    }
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: crate::engine::insights::UserRow,
    lang: Lang,
    any_denied: bool,
}

/// One user's row; re-rendered only when that user's figures change.
#[function_component(TableRow)]
fn table_row(p: &RowProps) -> Html {
    let r = &p.row;
    let int = |v: u64| js::fmt_int(p.lang.locale(), &v.to_string());
    html! {
        <tr>
            <th scope="row">{ r.name.clone() }</th>
            { for r.tokens.iter().zip(&r.charges).map(|(tk, n)| html! {
                <td class="num">if *tk > 0 { { int(*tk) }<span class="sub">{ format!(" ({})", n) }</span> } else { <span class="zero">{ "–" }</span> }</td>
            }) }
            if p.any_denied { <td class="num bad-text">{ if r.denied > 0 { int(r.denied) } else { "–".into() } }</td> }
            <td class="num"><strong>{ int(r.total) }</strong></td>
        </tr>
    }
}

/// What the printed report is about: only shown on paper.
fn print_header(ctx: &Ctx) -> Html {
    let l = ctx.lang;
    let s = &ctx.scenario;
    let start = js::fmt_date(l.locale(), &s.period.start, "medium");
    html! {
        <div class="print-only print-head">
            <p><strong>{ s.name.clone().unwrap_or_default() }</strong></p>
            <p>{ t(l, "print.scope")
                .replace("{start}", &start)
                .replace("{months}", &s.period.months.to_string())
                .replace("{zone}", &s.timezone)
                .replace("{users}", &s.users.len().to_string())
                .replace("{currency}", &s.currency) }
               { " · " }{ if s.packs.is_some() { t(l, "packs.bought") } else { t(l, "packs.estimate") } }</p>
            <p class="hint">{ t(l, "print.note") }</p>
        </div>
    }
}

/// Shows the field a refusal points at: the right tab, the right user, then focus.
fn go_to(ctx: &Ctx, path: &str) {
    use crate::ui::state::{Action, Tab};
    let tab = if path.starts_with("users") {
        Tab::Team
    } else if path.starts_with("packs") || path.starts_with("low_balance") {
        Tab::Packs
    } else {
        Tab::Settings
    };
    if let Some(n) = path
        .strip_prefix("users[")
        .and_then(|r| r.split(']').next())
        .and_then(|n| n.parse::<usize>().ok())
    {
        ctx.dispatch(Action::Select(n));
    }
    ctx.dispatch(Action::SetTab(tab));
    js::focus_later(&format!("#{}", field_id(path)));
}

/// An outcome compared by identity, so an unchanged answer skips re-rendering.
#[derive(Clone)]
pub struct Wrap(pub Rc<Outcome>);

impl PartialEq for Wrap {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

pub struct Props {
    pub outcome: Wrap,
    pub lang: Lang,
    pub scenario: Rc<crate::engine::scenario::Scenario>,
}

fn fmt_of(i: &Insights, l: Lang) -> Fmt {
    Fmt::new(l, &i.currency, i.minor_units)
}

fn summary(p: &Props) -> Html {
    let l = p.lang;
    let i = &p.outcome.0.insights;
    let f = fmt_of(i, l);
    let card = |id: &str,
                label: &str,
                value: String,
                raw: String,
                note: Option<String>,
                tone: &str| {
        // Its length sizes the figure to fit on one line (style.css); a very long
        // one takes the whole row.
        let chars = value.chars().count();
        html! {
            <div class={classes!("stat", tone.to_string(), (chars > 16).then_some("long"))} id={id.to_string()}>
                <span class="stat-label">{ label.to_string() }</span>
                <span class="stat-value" data-value={raw} style={format!("--chars:{chars}")}>{ value }</span>
                if let Some(n) = note { <span class="stat-note">{ n }</span> }
            </div>
        }
    };
    let cost_label = if i.estimate {
        t(l, "sum.cost.estimate")
    } else {
        t(l, "sum.cost.packs")
    };
    let cost_note = if let Some(o) = &i.order {
        Some(t(l, "sum.order").replace("{tokens}", &f.int(o.tokens)))
    } else {
        Some(t(l, "sum.bought").replace("{tokens}", &f.int(i.tokens_bought)))
    };
    html! {
        <div class="summary" role="status" aria-live="polite" aria-atomic="false" id="summary">
            { card("sum-tokens", t(l, "sum.tokens"), f.int(i.tokens_charged), i.tokens_charged.to_string(),
                Some(t(l, "sum.active_days").replace("{n}", &f.int(i.active_days as u64))), "") }
            { card("sum-cost", cost_label, f.money(&i.money_spent), i.money_spent.to_string(), cost_note, "accent") }
            { card("sum-effective", t(l, "sum.effective"), i.effective_price.map(|p| f.price(&p)).unwrap_or_else(|| "—".into()),
                i.effective_price.map(|p| p.to_string()).unwrap_or_default(), Some(t(l, "sum.effective.note").to_string()), "") }
            if !i.estimate {
                { card("sum-runout", t(l, "sum.runout"), i.run_out.map(|d| f.date(d)).unwrap_or_else(|| t(l, "sum.runout.none").to_string()),
                    i.run_out.map(format_date).unwrap_or_default(),
                    (i.denials > 0).then(|| t(l, "sum.denied_tokens").replace("{n}", &f.int(i.tokens_denied))),
                    if i.run_out.is_some() { "bad" } else { "good" }) }
                { card("sum-denied", t(l, "sum.denied_days"), f.int(i.denied_user_days as u64), i.denied_user_days.to_string(), None,
                    if i.denied_user_days > 0 { "bad" } else { "" }) }
                { card("sum-waste", t(l, "sum.expired"), f.int(i.expired_tokens), i.expired_tokens.to_string(),
                    Some(t(l, "sum.unused").replace("{n}", &f.int(i.unused_tokens))), if i.expired_tokens > 0 { "warn" } else { "" }) }
                { card("sum-alerts", t(l, "sum.alerts"),
                    i.alerts.first().map(|(d, _)| f.date(*d)).unwrap_or_else(|| t(l, "sum.alerts.none").to_string()),
                    i.alerts.iter().map(|(d, _)| format_date(*d)).collect::<Vec<_>>().join(" "),
                    (i.alerts.len() > 1).then(|| t(l, "sum.alerts.more").replace("{n}", &i.alerts.len().to_string())),
                    if i.alerts.is_empty() { "" } else { "warn" }) }
            }
        </div>
    }
}

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD_L: f64 = 48.0;
const PAD_B: f64 = 24.0;
/// Room above the top gridline for its label.
const PAD_T: f64 = 12.0;

/// A round scale top at or above `max`.
fn nice_max(max: u64) -> u64 {
    let mut mag = 1u64;
    while mag.saturating_mul(10) <= max {
        mag *= 10;
    }
    for m in [1, 2, 5, 10] {
        if m * mag >= max.max(1) {
            return (m * mag).max(10);
        }
    }
    10 * mag
}

/// A chart coordinate with at most one decimal, written without float formatting (which
/// would add its whole machinery to the bundle).
fn fx(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    let (sign, a) = (if t < 0 { "-" } else { "" }, t.unsigned_abs());
    if a % 10 == 0 {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

fn month_chart(p: &Props) -> Html {
    let l = p.lang;
    let i = &p.outcome.0.insights;
    let f = fmt_of(i, l);
    let n = i.by_month.len().max(1);
    let top = nice_max(i.by_month.iter().map(|(_, c, d)| c + d).max().unwrap_or(0));
    let bw = (W - PAD_L) / n as f64;
    let y = |v: u64| PAD_T + (H - PAD_B - PAD_T) * (1.0 - v as f64 / top as f64);
    let every = n.div_ceil(12);
    html! {
        <figure class="chart">
            <figcaption><h3>{ t(l, "chart.months") }</h3></figcaption>
            <svg viewBox={format!("0 0 {} {}", fx(W), fx(H))} role="img" aria-labelledby="month-chart-desc" preserveAspectRatio="none">
                <desc id="month-chart-desc">{ t(l, "chart.months.desc").replace("{n}", &f.int(i.tokens_charged)) }</desc>
                { for [0u64, top / 2, top].iter().map(|v| html! {
                    <g class="gridline"><line x1={fx(PAD_L)} x2={fx(W)} y1={fx(y(*v))} y2={fx(y(*v))} />
                    <text x={fx(PAD_L - 6.0)} y={fx(y(*v) + 4.0)} text-anchor="end">{ f.compact(*v) }</text></g>
                }) }
                { for i.by_month.iter().enumerate().map(|(k, (m, c, d))| {
                    let x = PAD_L + k as f64 * bw + bw * 0.15;
                    let w = bw * 0.7;
                    html! {
                        <g class="bar">
                            <title>{ format!("{}: {} {}", f.month(m), f.int(*c), t(l, "unit.tokens")) }{ if *d > 0 { format!(" · {} {}", f.int(*d), t(l, "chart.denied")) } else { String::new() } }</title>
                            <rect class="charged" x={fx(x)} y={fx(y(*c))} width={fx(w)} height={fx(H - PAD_B - y(*c))} />
                            if *d > 0 { <rect class="denied" x={fx(x)} y={fx(y(c + d))} width={fx(w)} height={fx(y(*c) - y(c + d))} /> }
                            if k % every == 0 { <text x={fx(x + w / 2.0)} y={fx(H - 8.0)} text-anchor="middle">{ f.month_name(m) }</text> }
                        </g>
                    }
                }) }
            </svg>
            if i.tokens_denied > 0 { <p class="legend"><span class="key charged"></span>{ t(l, "chart.charged") }<span class="key denied"></span>{ t(l, "chart.denied") }</p> }
            <details class="as-table">
                <summary>{ t(l, "chart.table") }</summary>
                <table><thead><tr><th scope="col">{ t(l, "table.month") }</th><th scope="col" class="num">{ t(l, "unit.tokens") }</th>
                    if i.tokens_denied > 0 { <th scope="col" class="num">{ t(l, "chart.denied") }</th> }</tr></thead>
                <tbody>{ for i.by_month.iter().map(|(m, c, d)| html! {
                    <tr><td>{ f.month(m) }</td><td class="num">{ f.int(*c) }</td>
                    if i.tokens_denied > 0 { <td class="num">{ f.int(*d) }</td> }</tr>
                }) }</tbody></table>
            </details>
        </figure>
    }
}

fn balance_chart(p: &Props) -> Html {
    let l = p.lang;
    let i = &p.outcome.0.insights;
    let f = fmt_of(i, l);
    let days = i.days.max(1);
    let top = nice_max(
        i.balance
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(i.opening_balance),
    );
    let x = |d: f64| PAD_L + (W - PAD_L) * d / days as f64;
    let y = |v: u64| PAD_T + (H - PAD_B - PAD_T) * (1.0 - v as f64 / top as f64);
    let mut pts = String::with_capacity(days * 14);
    let start = if i.estimate { 0 } else { i.opening_balance };
    pts.push_str(&format!("{},{} ", fx(x(0.0)), fx(y(start))));
    for (d, v) in i.balance.iter().enumerate() {
        pts.push_str(&format!("{},{} ", fx(x(d as f64 + 1.0)), fx(y(*v))));
    }
    let area = format!(
        "{},{} {pts}{},{}",
        fx(x(0.0)),
        fx(y(0)),
        fx(x(days as f64)),
        fx(y(0))
    );
    let title = if i.estimate {
        t(l, "chart.cumulative")
    } else {
        t(l, "chart.balance")
    };
    let mark_label = |k: MarkKind| match k {
        MarkKind::Purchase => t(l, "mark.purchase"),
        MarkKind::Expiry => t(l, "mark.expiry"),
        MarkKind::LowBalance => t(l, "mark.low"),
        MarkKind::RunOut => t(l, "mark.runout"),
    };
    let months: Vec<(usize, String)> = i
        .by_month
        .iter()
        .zip(&i.month_first_day)
        .map(|((m, _, _), d)| (*d, m.clone()))
        .collect();
    let every = months.len().div_ceil(12).max(1);
    html! {
        <figure class="chart">
            <figcaption><h3>{ title }</h3></figcaption>
            <svg viewBox={format!("0 0 {} {}", fx(W), fx(H))} role="img" aria-labelledby="balance-desc" preserveAspectRatio="none">
                <desc id="balance-desc">{ if i.estimate { t(l, "chart.cumulative.desc").replace("{n}", &f.int(i.tokens_charged)) }
                    else { t(l, "chart.balance.desc").replace("{n}", &f.int(*i.balance.last().unwrap_or(&0))) } }</desc>
                { for [0u64, top / 2, top].iter().map(|v| html! {
                    <g class="gridline"><line x1={fx(PAD_L)} x2={fx(W)} y1={fx(y(*v))} y2={fx(y(*v))} />
                    <text x={fx(PAD_L - 6.0)} y={fx(y(*v) + 4.0)} text-anchor="end">{ f.compact(*v) }</text></g>
                }) }
                { for months.iter().enumerate().filter(|(k, _)| k % every == 0).map(|(_, (d, m))| html! {
                    <text class="axis" x={fx(x(*d as f64))} y={fx(H - 8.0)}>{ f.month_name(m) }</text>
                }) }
                <polygon class="area" points={area} />
                <polyline class="line" points={pts} />
                { for i.marks.iter().map(|m| {
                    let cx = x(m.day as f64 + 0.5);
                    let cls = match m.kind { MarkKind::Purchase => "mk-purchase", MarkKind::Expiry => "mk-expiry", MarkKind::LowBalance => "mk-low", MarkKind::RunOut => "mk-runout" };
                    html! {
                        <g class={classes!("mark", cls)}>
                            <title>{ format!("{} — {}{}: {} {}", f.date(i.date(m.day)), mark_label(m.kind), if m.label.is_empty() { String::new() } else { format!(" {}", m.label) }, f.int(m.tokens), t(l, "unit.tokens")) }</title>
                            <line x1={fx(cx)} x2={fx(cx)} y1="0" y2={fx(H - PAD_B)} />
                            <circle cx={fx(cx)} cy="8" r="5" />
                        </g>
                    }
                }) }
            </svg>
            if !i.marks.is_empty() {
                <p class="legend">
                    <span class="key mk-purchase"></span>{ t(l, "mark.purchase") }
                    <span class="key mk-expiry"></span>{ t(l, "mark.expiry") }
                    <span class="key mk-low"></span>{ t(l, "mark.low") }
                    <span class="key mk-runout"></span>{ t(l, "mark.runout") }
                </p>
                <ul class="marks-list">
                    { for i.marks.iter().take(12).map(|m| html! {
                        <li>{ format!("{} — {}{}: {} {}", f.date(i.date(m.day)), mark_label(m.kind), if m.label.is_empty() { String::new() } else { format!(" {}", m.label) }, f.int(m.tokens), t(l, "unit.tokens")) }</li>
                    }) }
                </ul>
            }
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct HeatProps {
    outcome: Wrap,
    lang: Lang,
}

/// The period's days as a calendar grid, one path per shade (a few nodes, not one per
/// day, so a large team re-renders quickly). Pointer or arrow keys pick a day to read.
#[function_component(HeatMap)]
fn heat_map(p: &HeatProps) -> Html {
    let l = p.lang;
    let i = &p.outcome.0.insights;
    let f = fmt_of(i, l);
    let picked = use_state(|| None::<usize>);
    let lead = i.first_day.weekday().to_monday_zero_offset() as usize;
    let cols = (lead + i.days).div_ceil(7);
    let max = i.by_day.iter().copied().max().unwrap_or(0).max(1);
    let level = |v: u64| {
        if v == 0 {
            0
        } else {
            1 + ((v * 4 - 1) / max).min(3) as usize
        }
    };
    const CELL: usize = 11;
    const LEFT: usize = 30;
    const TOP: usize = 18;
    let (w, h) = (LEFT + cols * CELL, TOP + 7 * CELL);
    let mut paths: [String; 5] = Default::default();
    let mut denied = String::new();
    for d in 0..i.days {
        let pos = lead + d;
        let (x, y) = (LEFT + pos / 7 * CELL, TOP + pos % 7 * CELL);
        let cell = format!("M{x} {y}h10v10h-10z");
        paths[level(i.by_day[d])].push_str(&cell);
        if i.denied_by_day[d] > 0 {
            denied.push_str(&format!("M{}.5 {}.5h9v9h-9z", x, y));
        }
    }
    let month_labels = i
        .by_month
        .iter()
        .zip(&i.month_first_day)
        .map(|((m, _, _), d)| {
            let x = LEFT + (lead + d) / 7 * CELL;
            html! { <text x={x.to_string()} y="12">{ f.month_name(m) }</text> }
        });
    let peak = i
        .peak_day
        .map(|(d, v)| {
            t(l, "heat.peak")
                .replace("{date}", &f.date(i.date(d)))
                .replace("{n}", &f.int(v))
        })
        .unwrap_or_default();
    let days = i.days;
    let svg_ref = use_node_ref();
    let onmousemove = {
        let picked = picked.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: MouseEvent| {
            // The drawing scales with the pane: measure where and how wide it is drawn now.
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let r = svg.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let scale = r.width() / w as f64;
            let x = (f64::from(e.client_x()) - r.left()) / scale - LEFT as f64;
            let y = (f64::from(e.client_y()) - r.top()) / scale - TOP as f64;
            if x < 0.0 || y < 0.0 {
                return;
            }
            let (c, r) = ((x as usize) / CELL, (y as usize) / CELL);
            if r < 7 {
                let pos = c * 7 + r;
                if pos >= lead && pos - lead < days {
                    picked.set(Some(pos - lead));
                }
            }
        })
    };
    let onkeydown = {
        let picked = picked.clone();
        Callback::from(move |e: KeyboardEvent| {
            let cur = picked.unwrap_or(0) as i64;
            let next = match e.key().as_str() {
                "ArrowRight" => cur + 7,
                "ArrowLeft" => cur - 7,
                "ArrowDown" => cur + 1,
                "ArrowUp" => cur - 1,
                "Home" => 0,
                "End" => days as i64 - 1,
                _ => return,
            };
            e.prevent_default();
            picked.set(Some(next.clamp(0, days as i64 - 1) as usize));
        })
    };
    let readout = picked.filter(|&d| d < days).map(|d| {
        let mut s = format!(
            "{}: {} {}",
            f.date(i.date(d)),
            f.int(i.by_day[d]),
            t(l, "unit.tokens")
        );
        if i.denied_by_day[d] > 0 {
            s.push_str(&format!(
                " · {} {}",
                f.int(i.denied_by_day[d]),
                t(l, "chart.denied")
            ));
        }
        s
    });
    let sel = picked.filter(|&d| d < days).map(|d| {
        let pos = lead + d;
        (LEFT + pos / 7 * CELL, TOP + pos % 7 * CELL)
    });
    html! {
        <figure class="chart heat">
            <figcaption><h3>{ t(l, "heat.title") }</h3></figcaption>
            <div class="heat-scroll">
                <svg ref={svg_ref} viewBox={format!("0 0 {w} {h}")} style={format!("min-width: {}px; max-width: {}px", w * 85 / 100, w * 2)} role="img" aria-labelledby="heat-desc"
                    tabindex="0" {onmousemove} {onkeydown} id="heat-map">
                    <desc id="heat-desc">{ format!("{} {} {}", t(l, "heat.desc").replace("{n}", &f.int(i.active_days as u64)), peak, t(l, "heat.keys")) }</desc>
                    { for month_labels }
                    { for [0usize, 2, 4].iter().map(|r| html! { <text x="0" y={(TOP + 8 + r * CELL).to_string()}>{ js::fmt_date(l.locale(), &format!("2024-01-{:02}", r + 1), "weekday") }</text> }) }
                    { for paths.iter().enumerate().map(|(k, d)| html! { <path class={format!("h{k}")} d={d.clone()} /> }) }
                    <path class="hd" d={denied} />
                    if let Some((x, y)) = sel { <rect class="pick" x={fx(x as f64 - 1.5)} y={fx(y as f64 - 1.5)} width="13" height="13" /> }
                </svg>
            </div>
            <p class="legend">{ t(l, "heat.less") }<span class="key h0"></span><span class="key h1"></span><span class="key h2"></span><span class="key h3"></span><span class="key h4"></span>{ t(l, "heat.more") }
                { format!(" · {}", peak) }</p>
            <p class="heat-readout" aria-live="polite" id="heat-readout">{ readout.unwrap_or_else(|| t(l, "heat.hint").to_string()) }</p>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    outcome: Wrap,
    lang: Lang,
    /// The columns' names (`table.items` in the UI language).
    heads: Vec<String>,
}

/// The per-user table a page at a time: a search (a user's name or id, or a product the
/// user has tokens on), an order by name or by the engine's total (the column headers),
/// and Previous/Next. The totals row is the engine's, for the whole team.
#[function_component(UserTable)]
fn user_table(p: &TableProps) -> Html {
    let l = p.lang;
    let o = &p.outcome.0;
    let tb = &o.insights.table;
    let f = fmt_of(&o.insights, l);
    let query = use_state(String::new);
    let sort = use_state_eq(Sort::default);
    let page = use_state_eq(|| 0usize);
    let q = crate::ui::slim::fold(&query);
    let any_denied = tb.rows.iter().any(|r| r.denied > 0);
    // The columns the search names: a row is kept if it has tokens in one of them.
    let cols: Vec<bool> = tb
        .items
        .iter()
        .zip(&p.heads)
        .map(|(id, h)| !q.is_empty() && paging::matches(&q, [id.as_str(), h.as_str()]))
        .collect();
    let kept: Vec<usize> = (0..tb.rows.len())
        .filter(|&k| {
            let r = &tb.rows[k];
            paging::matches(&q, [r.name.as_str(), r.id.as_str()])
                || r.tokens.iter().zip(&cols).any(|(tk, c)| *c && *tk > 0)
        })
        .collect();
    let rows = paging::sorted(
        kept,
        *sort,
        |k| tb.rows[k].name.clone(),
        |k| tb.rows[k].total,
    );
    let cur = paging::clamp(*page, rows.len(), TABLE_PAGE);
    let win = paging::window(rows.len(), cur, TABLE_PAGE);
    let tools = tb.rows.len() > paging::TOOLS_FROM || !query.is_empty();
    let on_search = {
        let (query, page) = (query.clone(), page.clone());
        Callback::from(move |e: InputEvent| {
            query.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
            page.set(0);
        })
    };
    let head = |by: By, id: &str, text: &str| {
        let onclick = {
            let (sort, page) = (sort.clone(), page.clone());
            Callback::from(move |_: MouseEvent| {
                sort.set(sort.toggle(by));
                page.set(0);
            })
        };
        let arrow = match sort.aria(by) {
            "ascending" => " ▲",
            "descending" => " ▼",
            _ => "",
        };
        html! {
            <button type="button" class="sort" id={id.to_string()} {onclick}>{ text.to_string() }<span aria-hidden="true">{ arrow }</span></button>
        }
    };
    html! {
        <figure class="chart table-wrap">
            <figcaption><h3>{ t(l, "table.title") }</h3></figcaption>
            if tools {
                <div class="list-tools" role="search" aria-label={t(l, "table.find")}>
                    <div class="field grow">
                        <label for="table-search">{ t(l, "table.find") }</label>
                        <input id="table-search" type="search" value={(*query).clone()} autocomplete="off"
                            placeholder={t(l, "team.find.hint")} aria-controls="table-list" oninput={on_search} />
                    </div>
                </div>
            }
            <div class="scroll-x" tabindex="0" role="region" aria-label={t(l, "table.title")}>
                <table class="user-table" id="user-table">
                    <thead><tr>
                        <th scope="col" aria-sort={sort.aria(By::Name)}>{ head(By::Name, "sort-name", t(l, "table.user")) }</th>
                        { for p.heads.iter().map(|h| html! { <th scope="col" class="num">{ h.clone() }</th> }) }
                        if any_denied { <th scope="col" class="num">{ t(l, "chart.denied") }</th> }
                        <th scope="col" class="num" aria-sort={sort.aria(By::Tokens)}>{ head(By::Tokens, "sort-total", t(l, "table.total")) }</th>
                    </tr></thead>
                    <tbody id="table-list">
                        { for rows[win].iter().map(|&k| {
                            let r = &tb.rows[k];
                            html! { <TableRow key={r.user} row={r.clone()} lang={l} any_denied={any_denied} /> }
                        }) }
                    </tbody>
                    <tfoot><tr>
                        <th scope="row">{ t(l, "table.total") }</th>
                        { for tb.column_totals.iter().map(|v| html! { <td class="num">{ f.int(*v) }</td> }) }
                        if any_denied { <td class="num bad-text">{ f.int(o.insights.tokens_denied) }</td> }
                        <td class="num"><strong>{ f.int(tb.total) }</strong></td>
                    </tr></tfoot>
                </table>
            </div>
            if tools {
                { pager(PagerProps { lang: l, id: "table", label: t(l, "table.pages"), all: tb.rows.len(), kept: rows.len(), page: cur, size: TABLE_PAGE,
                    onpage: { let page = page.clone(); Callback::from(move |n: usize| page.set(n)) } }) }
            }
            <p class="hint">{ t(l, "table.note") }</p>
        </figure>
    }
}
