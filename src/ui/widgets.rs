//! Small labelled inputs shared by the editors. Every input has a visible label; numeric
//! fields are text inputs with `inputmode` (never `type=number`) and keep what the user
//! typed while it is not yet a number.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::i18n::t;
use crate::ui::state::Ctx;

/// The engine's located refusal, when it points at `path`.
pub fn error_at(ctx: &Ctx, path: &str) -> Option<String> {
    match ctx.refusal() {
        Some(e) if !path.is_empty() && e.path == path => Some(e.message.clone()),
        _ => None,
    }
}

pub fn field_id(path: &str) -> String {
    let mut s = String::from("f-");
    for c in path.chars() {
        s.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    s
}

#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub label: AttrValue,
    pub value: AttrValue,
    /// The scenario's JSON path this field edits (id, error matching).
    pub path: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub list: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
}

#[function_component(TextField)]
pub fn text_field(p: &TextProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let id = field_id(&p.path);
    let err = error_at(&ctx, &p.path);
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let describe = match (&err, &p.hint) {
        (Some(_), _) => Some(format!("{id}-err")),
        (None, Some(_)) => Some(format!("{id}-hint")),
        _ => None,
    };
    html! {
        <div class={classes!("field", p.class.clone(), err.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <input id={id.clone()} type={p.kind.clone()} value={p.value.clone()} data-path={p.path.clone()}
                inputmode={p.inputmode.clone()} list={p.list.clone()} placeholder={p.placeholder.clone()}
                aria-invalid={err.is_some().then_some("true")} aria-describedby={describe}
                autocomplete="off" {oninput} />
            if let Some(e) = err { <p class="field-error" id={format!("{id}-err")}>{ e }</p> }
            else if let Some(h) = &p.hint { <p class="hint" id={format!("{id}-hint")}>{ h.clone() }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NumProps {
    pub label: AttrValue,
    pub value: u64,
    pub path: AttrValue,
    pub onchange: Callback<u64>,
    #[prop_or(0)]
    pub min: u64,
    #[prop_or(u64::MAX)]
    pub max: u64,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
}

/// A whole number. Typing that is not yet one stays in the field with a message; the
/// scenario changes only when the text is a number in range.
#[function_component(NumField)]
pub fn num_field(p: &NumProps) -> Html {
    let ctx = use_context::<Ctx>().expect("state");
    let lang = ctx.lang;
    let raw = use_state(|| p.value.to_string());
    {
        let raw = raw.clone();
        use_effect_with(p.value, move |v| {
            if raw.trim().parse::<u64>().ok() != Some(*v) {
                raw.set(v.to_string());
            }
        });
    }
    let id = field_id(&p.path);
    let parsed = raw
        .trim()
        .replace([',', ' ', '\u{a0}', '\u{202f}'], "")
        .parse::<u64>();
    let local_err = match parsed {
        Err(_) => Some(t(lang, "err.whole").to_string()),
        Ok(v) if v < p.min || v > p.max => Some(
            t(lang, "err.range")
                .replace("{min}", &p.min.to_string())
                .replace("{max}", &p.max.to_string()),
        ),
        Ok(_) => None,
    };
    let err = local_err.or_else(|| error_at(&ctx, &p.path));
    let oninput = {
        let raw = raw.clone();
        let cb = p.onchange.clone();
        let (min, max) = (p.min, p.max);
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(n) = v
                .trim()
                .replace([',', ' ', '\u{a0}', '\u{202f}'], "")
                .parse::<u64>()
            {
                if n >= min && n <= max {
                    cb.emit(n);
                }
            }
            raw.set(v);
        })
    };
    let describe = if err.is_some() {
        Some(format!("{id}-err"))
    } else {
        p.hint.as_ref().map(|_| format!("{id}-hint"))
    };
    html! {
        <div class={classes!("field", "numfield", p.class.clone(), err.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <input id={id.clone()} type="text" inputmode="numeric" pattern="[0-9]*" value={(*raw).clone()}
                data-path={p.path.clone()} aria-invalid={err.is_some().then_some("true")}
                aria-describedby={describe} autocomplete="off" {oninput} />
            if let Some(e) = err { <p class="field-error" id={format!("{id}-err")}>{ e }</p> }
            else if let Some(h) = &p.hint { <p class="hint" id={format!("{id}-hint")}>{ h.clone() }</p> }
        </div>
    }
}

pub struct SelectProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub id: AttrValue,
    /// (value, text)
    pub options: Vec<(AttrValue, AttrValue)>,
    pub onchange: Callback<String>,
}

pub fn select_field(p: SelectProps) -> Html {
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <select id={p.id.clone()} {onchange}>
                { for p.options.iter().map(|(v, text)| html! {
                    <option value={v.clone()} selected={*v == p.value}>{ text.clone() }</option>
                }) }
            </select>
        </div>
    }
}

pub struct CheckProps {
    pub label: AttrValue,
    pub checked: bool,
    pub id: AttrValue,
    pub onchange: Callback<bool>,
    pub class: &'static str,
}

pub fn check(p: CheckProps) -> Html {
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    html! {
        <label class={classes!("check", p.class)} for={p.id.clone()}>
            <input type="checkbox" id={p.id.clone()} checked={p.checked} {onchange} />
            <span>{ p.label.clone() }</span>
        </label>
    }
}
