//! `ui::js` natively, for the build's prerender (feature `prerender`, src/bin/prerender.rs):
//! the same functions as the browser's module (src/ui/js.rs), so that the app's components
//! compile and render natively. What a first render calls answers as the browser would for
//! a first visit (no saved state, the prerender's language, UTC); locale formatting follows
//! the browser's Intl for the app's three locales (en-GB, fr-FR, ja-JP; the e2e suite
//! `suite-first-paint.js` compares the prerendered figures with the live page's). What only
//! an event or an effect calls (downloads, storage, the clock) does nothing: server-side
//! rendering runs neither.

use std::cell::RefCell;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use wasm_bindgen::prelude::*;

thread_local! {
    static LANG: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The language the next render starts in (what `browser_lang` answers).
pub fn set_lang(code: &str) {
    LANG.with(|l| *l.borrow_mut() = code.to_string());
}

#[derive(Clone, Copy, PartialEq)]
enum Loc {
    En,
    Fr,
    Ja,
}

fn loc(locale: &str) -> Loc {
    match locale.get(..2) {
        Some("fr") => Loc::Fr,
        Some("ja") => Loc::Ja,
        _ => Loc::En,
    }
}

/// Digits grouped by three with the locale's separator (fr: U+202F, a narrow no-break space).
fn group(l: Loc, digits: &str) -> String {
    let sep = if l == Loc::Fr { "\u{202f}" } else { "," };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// `d` rounded half away from zero (Intl's halfExpand) to `digits` decimals, grouped.
fn number(l: Loc, d: Decimal, digits: u32) -> (bool, String) {
    let r = d.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
    let negative = r.is_sign_negative() && !r.is_zero();
    let text = r.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut s = group(l, int);
    if digits > 0 {
        s.push(if l == Loc::Fr { ',' } else { '.' });
        let mut f = frac.to_string();
        while f.len() < digits as usize {
            f.push('0');
        }
        s.push_str(&f);
    }
    (negative, s)
}

pub fn fmt_money(locale: &str, currency: &str, amount: &str, digits: i32) -> String {
    let Ok(d) = amount.parse::<Decimal>() else {
        return format!("{amount}\u{a0}{currency}");
    };
    let l = loc(locale);
    let (negative, n) = number(l, d, digits.max(0) as u32);
    let sign = if negative { "-" } else { "" };
    let symbol = match (l, currency) {
        (Loc::Fr, "EUR") => "€",
        (Loc::Fr, "GBP") => "£GB",
        (Loc::Fr, c) => c,
        (_, "EUR") => "€",
        (_, "GBP") => "£",
        (Loc::Ja, "JPY") => "￥",
        (Loc::En, "JPY") => "JP¥",
        (Loc::En, "USD") => "US$",
        (Loc::Ja, "USD") => "$",
        (_, c) => c,
    };
    match l {
        Loc::Fr => format!("{sign}{n}\u{a0}{symbol}"),
        // A code rather than a symbol stands apart from the figure ("CHF 1.00").
        _ if symbol.chars().all(|c| c.is_ascii_uppercase()) => {
            format!("{sign}{symbol}\u{a0}{n}")
        }
        _ => format!("{sign}{symbol}{n}"),
    }
}

pub fn fmt_int(locale: &str, value: &str) -> String {
    let Ok(d) = value.parse::<Decimal>() else {
        return value.to_string();
    };
    let (negative, n) = number(loc(locale), d, 0);
    if negative {
        format!("-{n}")
    } else {
        n
    }
}

/// Intl's compact notation: two significant digits below 10 of a unit, else whole units.
pub fn fmt_compact(locale: &str, value: &str) -> String {
    let l = loc(locale);
    let Ok(mut v) = value.parse::<Decimal>() else {
        return value.to_string();
    };
    let units: &[(u32, &str)] = match l {
        Loc::En => &[(3, "k"), (6, "m"), (9, "bn"), (12, "tn")],
        Loc::Fr => &[
            (3, "\u{a0}k"),
            (6, "\u{a0}M"),
            (9, "\u{a0}Md"),
            (12, "\u{a0}Bn"),
        ],
        Loc::Ja => &[(4, "万"), (8, "億"), (12, "兆")],
    };
    let negative = v.is_sign_negative() && !v.is_zero();
    v = v.abs();
    // Rounding may carry into the next unit (999,999 → "1m"): then again on the rounded value.
    for _ in 0..3 {
        let Some(&(e, suffix)) = units
            .iter()
            .rev()
            .find(|(e, _)| v >= Decimal::from(10u64.pow(*e)))
        else {
            let (_, n) = number(l, v, 0);
            let n = n.replace([',', '\u{202f}'], "");
            return if negative { format!("-{n}") } else { n };
        };
        let scale = Decimal::from(10u64.pow(e));
        let x = v / scale;
        let r = if x < Decimal::TEN {
            x.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        } else {
            x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        };
        let next = units.iter().find(|(n, _)| *n > e);
        if let Some(&(n, _)) = next {
            if r * scale >= Decimal::from(10u64.pow(n)) {
                v = r * scale;
                continue;
            }
        }
        let mut s = r.normalize().to_string();
        if l == Loc::Fr {
            s = s.replace('.', ",");
        }
        return format!("{}{s}{suffix}", if negative { "-" } else { "" });
    }
    value.to_string()
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
];
const FR_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const FR_DAYS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const JA_DAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

pub fn fmt_date(locale: &str, ymd: &str, style: &str) -> String {
    let l = loc(locale);
    let mut parts = ymd.split('-').map(|p| p.parse::<i16>().unwrap_or(1));
    let (y, m, d) = (
        parts.next().unwrap_or(1970),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    let mi = (m.clamp(1, 12) - 1) as usize;
    let month = |l: Loc| match l {
        Loc::En => EN_MONTHS[mi].to_string(),
        Loc::Fr => FR_MONTHS[mi].to_string(),
        Loc::Ja => format!("{m}月"),
    };
    match style {
        "short" => match l {
            Loc::Ja => format!("{m}月{d}日"),
            _ => format!("{d} {}", month(l)),
        },
        "month" => match l {
            Loc::Ja => format!("{y}年{m}月"),
            _ => format!("{} {y}", month(l)),
        },
        "monthname" => month(l),
        "weekday" => {
            let w = Date::new(y, m as i8, d as i8)
                .map(|x| x.weekday().to_monday_zero_offset() as usize)
                .unwrap_or(0);
            match l {
                Loc::En => EN_DAYS[w],
                Loc::Fr => FR_DAYS[w],
                Loc::Ja => JA_DAYS[w],
            }
            .to_string()
        }
        _ => match l {
            Loc::Ja => format!("{y}/{m:02}/{d:02}"),
            _ => format!("{d} {} {y}", month(l)),
        },
    }
}

/// The zone list comes with the page's deferred part: nothing to list in the prerender.
pub fn time_zones() -> String {
    String::new()
}
/// The prerender's starter team is in UTC (the page's own is in the browser's zone: the
/// starter's figures do not depend on it).
pub fn browser_zone() -> String {
    "UTC".into()
}
pub fn file_base(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}
pub fn browser_lang() -> String {
    LANG.with(|l| l.borrow().clone())
}
/// A first visit: nothing saved.
pub fn storage_get(_key: &str) -> Option<String> {
    None
}
pub fn storage_set(_key: &str, _value: &str) -> bool {
    false
}
pub fn storage_remove(_key: &str) {}
pub fn idb_save(_key: &str, _text: &str, _cb: &JsValue) {}
pub fn idb_save_gz(_key: &str, _gz: &JsValue, _raw: f64, _cb: &JsValue) {}
pub fn idb_load(_key: &str, _cb: &JsValue) {}
pub fn location_hash() -> String {
    String::new()
}
pub fn clear_hash() {}
pub fn page_url() -> String {
    String::new()
}
pub fn download(_name: &str, _mime: &str, _text: &str) {}
pub fn copy_text(_text: &str) -> bool {
    false
}
pub fn share_pack(_text: &str, _cb: &JsValue) {}
pub fn share_unpack(_data: &str, _max: u32, _cb: &JsValue) {}
pub fn fetch_text(_path: &str, _cb: &JsValue) {}
pub fn fetch_bytes(_path: &str, _cb: &JsValue) {}
pub fn remove_boot() {}
pub fn show_fatal(_msg: &str) {}
pub fn is_typing() -> bool {
    false
}
pub fn on_undo_keys(_cb: &Closure<dyn Fn(String)>) {}
pub fn on_page_hide(_cb: &Closure<dyn Fn()>) {}
pub fn now_ms() -> f64 {
    0.0
}
pub fn set_perf(_name: &str, _value: f64) {}
pub fn focus_selector(_sel: &str) -> bool {
    false
}
pub fn focus_later(_sel: &str) {}
pub fn later(_ms: u32, _cb: &JsValue) {}
pub fn print_page() {}
pub fn set_doc_lang(_lang: &str, _title: &str) {}
pub fn read_file(_input_id: &str, _cb: &Closure<dyn FnMut(String)>) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser's Intl (Chromium, Node) for the same calls.
    #[test]
    fn formats_as_intl_does() {
        // (Numbers here, not strings: the i18n test takes such a call's text for a UI key.)
        let int = |l: &str, v: u64| fmt_int(l, &v.to_string());
        assert_eq!(int("en-GB", 1234567), "1,234,567");
        assert_eq!(int("fr-FR", 1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(fmt_money("en-GB", "GBP", "-1234567.5", 2), "-£1,234,567.50");
        assert_eq!(fmt_money("en-GB", "JPY", "1234567.5", 0), "JP¥1,234,568");
        assert_eq!(
            fmt_money("fr-FR", "EUR", "1234567.5", 2),
            "1\u{202f}234\u{202f}567,50\u{a0}€"
        );
        assert_eq!(fmt_money("fr-FR", "GBP", "12", 0), "12\u{a0}£GB");
        assert_eq!(fmt_money("ja-JP", "JPY", "1234567.5", 0), "￥1,234,568");
        let compact = |l, v: u64| fmt_compact(l, &v.to_string());
        assert_eq!(compact("en-GB", 999), "999");
        assert_eq!(compact("en-GB", 1000), "1k");
        assert_eq!(compact("en-GB", 1234), "1.2k");
        assert_eq!(compact("en-GB", 99999), "100k");
        assert_eq!(compact("en-GB", 999999), "1m");
        assert_eq!(compact("fr-FR", 1234567), "1,2\u{a0}M");
        assert_eq!(compact("ja-JP", 1234), "1234");
        assert_eq!(compact("ja-JP", 12345), "1.2万");
        assert_eq!(compact("ja-JP", 12345678), "1235万");
        assert_eq!(fmt_date("en-GB", "2027-09-01", "medium"), "1 Sept 2027");
        assert_eq!(fmt_date("fr-FR", "2027-09-01", "short"), "1 sept.");
        assert_eq!(fmt_date("ja-JP", "2027-09-01", "medium"), "2027/09/01");
        assert_eq!(fmt_date("ja-JP", "2027-09-01", "month"), "2027年9月");
        assert_eq!(fmt_date("en-GB", "2027-09-01", "weekday"), "Wed");
        assert_eq!(fmt_date("fr-FR", "2027-02-01", "monthname"), "févr.");
    }
}
