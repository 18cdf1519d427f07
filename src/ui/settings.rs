//! The scenario's own settings: name, period, team time zone, currency, and the
//! subscription offerings (prices are inputs, SPEC B1).

use yew::prelude::*;

use crate::engine::catalog::Catalog;
use crate::engine::scenario::Offering;
use crate::ui::i18n::t;
use crate::ui::state::{edit, Ctx};
use crate::ui::widgets::{check, select_field, CheckProps, NumField, SelectProps, TextField};

pub fn currencies() -> Vec<String> {
    Catalog::builtin()
        .books
        .iter()
        .map(|b| b.currency.clone())
        .collect()
}

/// The products an offering covers, as toggles (names in the UI language).
fn covers_picker(ctx: &Ctx, i: usize, covers: &[String]) -> Html {
    let l = ctx.lang;
    let s = &ctx.scenario;
    let mut ids: Vec<String> = Catalog::builtin()
        .products
        .iter()
        .map(|p| p.id.clone())
        .collect();
    ids.extend(
        s.catalog
            .iter()
            .flat_map(|c| c.products.iter().map(|p| p.id.clone())),
    );
    // An id the catalog does not know (from an imported file) stays visible so it can be removed.
    ids.extend(
        covers
            .iter()
            .filter(|c| !ids.contains(c))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let names: Vec<String> = covers
        .iter()
        .map(|c| crate::ui::team::item_name(l, s, c))
        .collect();
    html! {
        <details class="covers field grow">
            <summary>{ t(l, "offering.covers") }{ ": " }<strong>{ if names.is_empty() { "—".to_string() } else { names.join(", ") } }</strong></summary>
            <div class="chips" role="group" aria-label={t(l, "offering.covers")}>
                { for ids.iter().map(|id| {
                    let on = covers.contains(id);
                    let ctx = ctx.clone();
                    let id2 = id.clone();
                    check(CheckProps {
                        id: AttrValue::from(format!("cov-{i}-{id}")),
                        label: AttrValue::from(crate::ui::team::item_name(l, s, id)),
                        checked: on,
                        class: "chip",
                        onchange: Callback::from(move |c: bool| {
                            let id = id2.clone();
                            edit(&ctx, move |s| if let Some(x) = s.offerings.get_mut(i) {
                                x.covers.retain(|p| *p != id);
                                if c { x.covers.push(id.clone()); }
                            })
                        }),
                    })
                }) }
            </div>
        </details>
    }
}

#[function_component(SettingsTab)]
pub fn settings_tab() -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let l = ctx.lang;
    let s = ctx.scenario.clone();
    let mut curr = currencies();
    if !curr.contains(&s.currency) {
        curr.push(s.currency.clone());
    }
    let add_offering = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            edit(&ctx, |s| {
                let id = (1..)
                    .map(|n| format!("offering-{n}"))
                    .find(|id| !s.offerings.iter().any(|o| o.id == *id))
                    .unwrap_or_default();
                let product = s
                    .users
                    .iter()
                    .flat_map(|u| u.usage.iter())
                    .next()
                    .map(|u| u.product.clone())
                    .unwrap_or_else(|| "autocad".into());
                s.offerings.push(Offering {
                    id,
                    name: None,
                    covers: vec![product],
                    annual: "0.00".into(),
                    monthly: None,
                });
            })
        })
    };
    html! {
        <section class="settings" aria-labelledby="settings-h">
            <h2 id="settings-h">{ t(l, "settings.title") }</h2>
            <div class="grid2">
                <TextField label={t(l, "settings.name")} value={s.name.clone().unwrap_or_default()} path="name"
                    oninput={{ let ctx = ctx.clone(); Callback::from(move |v: String| edit(&ctx, move |s| s.name = (!v.is_empty()).then(|| v.clone()))) }} />
                { select_field(SelectProps { id: AttrValue::from("currency-settings"), label: AttrValue::from(t(l, "settings.currency")), value: AttrValue::from(s.currency.clone()), options: curr.iter().map(|c| (AttrValue::from(c.clone()), AttrValue::from(c.clone()))).collect::<Vec<_>>(), onchange: { let ctx = ctx.clone(); Callback::from(move |v: String| edit(&ctx, move |s| s.currency = v.clone())) } }) }
                <TextField kind="date" label={t(l, "settings.start")} value={s.period.start.clone()} path="period.start"
                    oninput={{ let ctx = ctx.clone(); Callback::from(move |v: String| edit(&ctx, move |s| s.period.start = v.clone())) }} />
                <NumField label={t(l, "settings.months")} value={u64::from(s.period.months)} min={1} max={36} path="period.months"
                    onchange={{ let ctx = ctx.clone(); Callback::from(move |v: u64| edit(&ctx, move |s| s.period.months = v as u32)) }} />
                <TextField label={t(l, "settings.tz")} value={s.timezone.clone()} path="timezone" list="zones" hint={t(l, "settings.tz.hint")}
                    oninput={{ let ctx = ctx.clone(); Callback::from(move |v: String| edit(&ctx, move |s| s.timezone = v.clone())) }} />
            </div>
            <h3>{ t(l, "offerings.title") }</h3>
            <p class="hint">{ t(l, "offerings.hint") }</p>
            { for s.offerings.iter().enumerate().map(|(i, o)| {
                let at = format!("offerings[{i}]");
                let (c1, c2, c3, c4, c5, c6) = (ctx.clone(), ctx.clone(), ctx.clone(), ctx.clone(), ctx.clone(), ctx.clone());
                html! {
                    <div class="offering row">
                        <TextField label={t(l, "offering.id")} value={o.id.clone()} path={format!("{at}.id")} class="narrow"
                            oninput={Callback::from(move |v: String| edit(&c1, move |s| if let Some(x) = s.offerings.get_mut(i) { x.id = v.clone(); }))} />
                        <TextField label={t(l, "offering.name")} value={o.name.clone().unwrap_or_default()} path={format!("{at}.name")}
                            oninput={Callback::from(move |v: String| edit(&c2, move |s| if let Some(x) = s.offerings.get_mut(i) { x.name = (!v.is_empty()).then(|| v.clone()); }))} />
                        { covers_picker(&c3, i, &o.covers) }
                        <TextField label={t(l, "offering.annual")} value={o.annual.clone()} path={format!("{at}.annual")} inputmode="decimal" class="narrow"
                            oninput={Callback::from(move |v: String| edit(&c4, move |s| if let Some(x) = s.offerings.get_mut(i) { x.annual = v.clone(); }))} />
                        <TextField label={t(l, "offering.monthly")} value={o.monthly.clone().unwrap_or_default()} path={format!("{at}.monthly")} inputmode="decimal" class="narrow"
                            oninput={Callback::from(move |v: String| edit(&c5, move |s| if let Some(x) = s.offerings.get_mut(i) { x.monthly = (!v.is_empty()).then(|| v.clone()); }))} />
                        <button type="button" class="link danger" onclick={Callback::from(move |_| edit(&c6, move |s| if i < s.offerings.len() { s.offerings.remove(i); }))}>{ t(l, "offering.remove") }</button>
                    </div>
                }
            }) }
            <button type="button" id="add-offering" onclick={add_offering}>{ t(l, "offerings.add") }</button>
        </section>
    }
}
