//! Packs: estimate mode (unlimited balance, the cheapest order suggested) or the team's
//! purchases with dates; the tier cliff explained when buying more costs less (P3).

use yew::prelude::*;

use crate::engine::scenario::Pack;
use crate::ui::format::Fmt;
use crate::ui::i18n::t;
use crate::ui::state::{edit, Ctx};
use crate::ui::widgets::{NumField, TextField};

fn pack_list(packs: &[u64], f: &Fmt) -> String {
    let mut parts: Vec<(u64, usize)> = Vec::new();
    for &p in packs {
        match parts.iter_mut().find(|x| x.0 == p) {
            Some(x) => x.1 += 1,
            None => parts.push((p, 1)),
        }
    }
    parts
        .iter()
        .map(|(p, n)| format!("{n} × {}", f.int(*p)))
        .collect::<Vec<_>>()
        .join(" + ")
}

#[function_component(PacksTab)]
pub fn packs_tab() -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let s = ctx.scenario.clone();
    let shown = ctx.shown().cloned();
    let estimate = s.packs.is_none();
    let fmt = shown
        .as_ref()
        .map(|o| Fmt::new(l, &o.insights.currency, o.insights.minor_units))
        .unwrap_or_else(|| Fmt::new(l, &s.currency, 2));
    let set_mode = |packs: bool| {
        let ctx = ctx.clone();
        let suggestion = shown.as_ref().and_then(|o| o.insights.order.clone());
        Callback::from(move |_| {
            let suggestion = suggestion.clone();
            edit(&ctx, move |s| {
                if packs && s.packs.is_none() {
                    // Start from the estimate's cheapest order, bought on the first day.
                    let tokens = suggestion
                        .as_ref()
                        .map(|o| o.tokens)
                        .filter(|&n| n > 0)
                        .unwrap_or(500);
                    s.packs = Some(vec![Pack {
                        id: "A".into(),
                        purchased: s.period.start.clone(),
                        tokens,
                    }]);
                } else if !packs {
                    s.packs = None;
                }
            })
        })
    };
    let add_pack = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            edit(&ctx, |s| {
                let list = s.packs.get_or_insert_with(Vec::new);
                let id = (0..)
                    .map(|n: u32| pack_id(n))
                    .find(|id| !list.iter().any(|p| p.id == *id))
                    .unwrap_or_default();
                let date = list
                    .last()
                    .map(|p| p.purchased.clone())
                    .unwrap_or_else(|| s.period.start.clone());
                list.push(Pack {
                    id,
                    purchased: date,
                    tokens: 500,
                });
            })
        })
    };
    let buy_suggested = {
        let ctx = ctx.clone();
        let sug = shown.as_ref().and_then(|o| o.suggested.clone());
        Callback::from(move |_| {
            let Some(o) = sug.clone() else { return };
            edit(&ctx, move |s| {
                let date = s.period.start.clone();
                let mut list = Vec::new();
                for (n, size) in o.packs.iter().enumerate() {
                    list.push(Pack {
                        id: pack_id(n as u32),
                        purchased: date.clone(),
                        tokens: *size,
                    });
                }
                s.packs = Some(list);
            })
        })
    };
    html! {
        <section class="packs" aria-labelledby="packs-h">
            <h2 id="packs-h">{ t(l, "packs.title") }</h2>
            <fieldset class="mode" role="radiogroup">
                <legend>{ t(l, "packs.mode") }</legend>
                <label class="radio"><input type="radio" name="mode" id="mode-estimate" checked={estimate} onchange={set_mode(false)} />
                    <span><strong>{ t(l, "packs.estimate") }</strong><br/><span class="hint">{ t(l, "packs.estimate.hint") }</span></span></label>
                <label class="radio"><input type="radio" name="mode" id="mode-packs" checked={!estimate} onchange={set_mode(true)} />
                    <span><strong>{ t(l, "packs.bought") }</strong><br/><span class="hint">{ t(l, "packs.bought.hint") }</span></span></label>
            </fieldset>
            if let Some(o) = &shown {
                if let Some(order) = &o.insights.order {
                    <div class="card order" id="cheapest-order">
                        <h3>{ t(l, "order.title") }</h3>
                        <p>{ t(l, "order.line").replace("{tokens}", &fmt.int(order.tokens)).replace("{packs}", &pack_list(&order.packs, &fmt)) }</p>
                        if let Some(u) = &order.unit_price {
                            <p>{ t(l, "order.price").replace("{price}", &fmt.price(u)).replace("{total}", &fmt.money(&order.total)) }</p>
                        }
                        <p class="hint">{ t(l, "order.rule") }</p>
                    </div>
                }
                if let Some(c) = &o.insights.cliff {
                    <div class="card cliff" id="tier-cliff" role="note">
                        <h3>{ t(l, "cliff.title") }</h3>
                        <p>{ t(l, "cliff.text")
                            .replace("{need}", &fmt.int(c.needed))
                            .replace("{exact}", &fmt.int(c.exact.tokens))
                            .replace("{exact_price}", &c.exact.unit_price.map(|p| fmt.price(&p)).unwrap_or_default())
                            .replace("{exact_total}", &fmt.money(&c.exact.total))
                            .replace("{order}", &fmt.int(c.order.tokens))
                            .replace("{order_price}", &c.order.unit_price.map(|p| fmt.price(&p)).unwrap_or_default())
                            .replace("{order_total}", &fmt.money(&c.order.total))
                            .replace("{saving}", &fmt.money(&c.saving))
                            .replace("{extra}", &fmt.int(c.extra_tokens)) }</p>
                    </div>
                }
                if let Some(sug) = &o.suggested {
                    <div class="card suggest">
                        <h3>{ t(l, "suggest.title") }</h3>
                        <p>{ t(l, "suggest.text").replace("{need}", &fmt.int(sug.tokens_needed)).replace("{tokens}", &fmt.int(sug.tokens))
                            .replace("{packs}", &pack_list(&sug.packs, &fmt)).replace("{total}", &fmt.money(&sug.total)) }</p>
                        <button type="button" id="buy-suggested" onclick={buy_suggested}>{ t(l, "suggest.apply") }</button>
                    </div>
                }
            }
            if let Some(list) = &s.packs {
                <h3>{ t(l, "packs.purchases") }</h3>
                if list.is_empty() { <p class="hint">{ t(l, "packs.empty") }</p> }
                { for list.iter().enumerate().map(|(i, p)| {
                    let at = format!("packs[{i}]");
                    let (ci, cd, ct, cr) = (ctx.clone(), ctx.clone(), ctx.clone(), ctx.clone());
                    let rep = shown.as_ref().and_then(|o| o.packs().get(i).cloned()).filter(|r| r.id == p.id);
                    html! {
                        <div class="pack-row">
                            <div class="row">
                                <TextField label={t(l, "pack.id")} value={p.id.clone()} path={format!("{at}.id")} class="narrow"
                                    oninput={Callback::from(move |v: String| edit(&ci, move |s| if let Some(x) = s.packs.as_mut().and_then(|l| l.get_mut(i)) { x.id = v.clone(); }))} />
                                <TextField kind="date" label={t(l, "pack.date")} value={p.purchased.clone()} path={format!("{at}.purchased")}
                                    oninput={Callback::from(move |v: String| edit(&cd, move |s| if let Some(x) = s.packs.as_mut().and_then(|l| l.get_mut(i)) { x.purchased = v.clone(); }))} />
                                <NumField label={t(l, "pack.tokens")} value={p.tokens} min={1} max={1_000_000_000} path={format!("{at}.tokens")}
                                    onchange={Callback::from(move |v: u64| edit(&ct, move |s| if let Some(x) = s.packs.as_mut().and_then(|l| l.get_mut(i)) { x.tokens = v; }))} />
                                <button type="button" class="link danger" aria-label={format!("{} {}", t(l, "pack.remove"), p.id)}
                                    onclick={Callback::from(move |_| edit(&cr, move |s| if let Some(l) = s.packs.as_mut() { if i < l.len() { l.remove(i); } }))}>{ t(l, "pack.remove") }</button>
                            </div>
                            if let Some(r) = rep {
                                <p class="hint pack-state">{ t(l, "pack.state")
                                    .replace("{used}", &fmt.int(r.used)).replace("{expired}", &fmt.int(r.expired))
                                    .replace("{remaining}", &fmt.int(r.remaining)).replace("{expires}", &fmt.date(r.expires)) }
                                    if r.returnable { { " · " }{ t(l, "pack.returnable") } }
                                </p>
                            }
                        </div>
                    }
                }) }
                <div class="row">
                    <button type="button" id="add-pack" onclick={add_pack}>{ t(l, "packs.add") }</button>
                </div>
                if let Some(o) = &shown {
                    if !o.insights.purchases.is_empty() {
                        <table class="purchases">
                            <caption>{ t(l, "purchases.caption") }</caption>
                            <thead><tr><th scope="col">{ t(l, "pack.date") }</th><th scope="col" class="num">{ t(l, "pack.tokens") }</th>
                                <th scope="col" class="num">{ t(l, "purchases.unit") }</th><th scope="col" class="num">{ t(l, "purchases.total") }</th></tr></thead>
                            <tbody>
                                { for o.insights.purchases.iter().map(|p| html! {
                                    <tr><td>{ fmt.date(p.date) }</td><td class="num">{ fmt.int(p.tokens) }</td>
                                        <td class="num">{ fmt.price(&p.unit_price) }</td><td class="num">{ fmt.money(&p.total) }</td></tr>
                                }) }
                            </tbody>
                        </table>
                    }
                }
                <NumField label={t(l, "packs.low")} value={u64::from(s.low_balance_percent.unwrap_or(20))} min={0} max={100} path="low_balance_percent"
                    hint={t(l, "packs.low.hint")} class="narrow"
                    onchange={{ let ctx = ctx.clone(); Callback::from(move |v: u64| edit(&ctx, move |s| s.low_balance_percent = Some(v as u32))) }} />
            }
        </section>
    }
}

/// A, B, …, Z, AA, AB, …
fn pack_id(n: u32) -> String {
    let mut n = n;
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}
