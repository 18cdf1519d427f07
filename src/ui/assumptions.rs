//! The assumptions panel: the rules the engine applies (SPEC names, in plain words), the
//! rate data's sources and dates, what is left out, and the readings taken where the
//! seed documents are ambiguous.

use yew::prelude::*;

use crate::engine::catalog::Catalog;
use crate::ui::i18n::{t, Lang};

const RULES: &[(&str, &str)] = &[
    ("M1", "rule.m1"),
    ("M2", "rule.m2"),
    ("M3", "rule.m3"),
    ("M4", "rule.m4"),
    ("M6", "rule.m6"),
    ("M7", "rule.m7"),
    ("M8", "rule.m8"),
    ("L1", "rule.l1"),
    ("L2", "rule.l2"),
    ("L3", "rule.l3"),
    ("L4", "rule.l4"),
    ("L5", "rule.l5"),
    ("P1", "rule.p1"),
    ("P3", "rule.p3"),
    ("P4", "rule.p4"),
];

const AMBIGUITIES: &[&str] = &[
    "amb.day",
    "amb.packs_outside",
    "amb.userdays",
    "amb.monthly",
    "amb.effective",
];

pub fn assumptions_tab(l: Lang) -> Html {
    let c = Catalog::builtin();
    let sources = [
        (t(l, "src.products"), &c.products_source),
        (t(l, "src.services"), &c.services_source),
        (t(l, "src.prices"), &c.prices_source),
        (t(l, "src.groups"), &c.groups_source),
    ];
    html! {
        <section class="assumptions" aria-labelledby="assume-h" id="assumptions">
            <h2 id="assume-h">{ t(l, "assume.title") }</h2>
            <p>{ t(l, "assume.intro") }</p>
            <h3>{ t(l, "assume.rules") }</h3>
            <dl class="rules">
                { for RULES.iter().map(|(name, key)| html! { <><dt>{ *name }</dt><dd>{ t(l, key) }</dd></> }) }
            </dl>
            <h3>{ t(l, "assume.sources") }</h3>
            <ul class="sources">
                { for sources.iter().map(|(what, s)| html! {
                    <li><strong>{ *what }</strong>{ ": " }{ s.source.clone() }{ " — " }{ t(l, "assume.asof").replace("{date}", &crate::ui::js::fmt_date(l.locale(), &s.as_of, "medium")) }</li>
                }) }
            </ul>
            <h3>{ t(l, "assume.excluded") }</h3>
            <ul>
                <li>{ t(l, "ex.taxes") }</li>
                <li>{ t(l, "ex.discounts") }</li>
                <li>{ t(l, "ex.subs") }</li>
                <li>{ t(l, "ex.fx") }</li>
            </ul>
            <h3>{ t(l, "assume.ambiguous") }</h3>
            <ul>{ for AMBIGUITIES.iter().map(|k| html! { <li>{ t(l, k) }</li> }) }</ul>
            <h3>{ t(l, "assume.privacy") }</h3>
            <p>{ t(l, "assume.privacy.text") }</p>
        </section>
    }
}
