//! Locale formatting through the browser's Intl, always fed exact decimal strings: money
//! never passes through a float on its way to the screen.

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::engine::time::format_date;
use crate::ui::i18n::Lang;
use crate::ui::js;

#[derive(Clone, PartialEq)]
pub struct Fmt {
    pub lang: Lang,
    pub currency: String,
    pub minor_units: u32,
}

impl Fmt {
    pub fn new(lang: Lang, currency: &str, minor_units: u32) -> Fmt {
        Fmt {
            lang,
            currency: currency.to_string(),
            minor_units,
        }
    }

    /// An amount in the currency, with the currency's minor unit.
    pub fn money(&self, d: &Decimal) -> String {
        js::fmt_money(
            self.lang.locale(),
            &self.currency,
            &d.to_string(),
            self.minor_units as i32,
        )
    }

    /// A price with as many decimals as the engine wrote (tier prices, effective price).
    pub fn price(&self, d: &Decimal) -> String {
        js::fmt_money(
            self.lang.locale(),
            &self.currency,
            &d.to_string(),
            d.scale() as i32,
        )
    }

    pub fn int(&self, n: u64) -> String {
        js::fmt_int(self.lang.locale(), &n.to_string())
    }

    /// A short axis label: "25K", "2,5 k", "1万".
    pub fn compact(&self, n: u64) -> String {
        js::fmt_compact(self.lang.locale(), &n.to_string())
    }

    pub fn date(&self, d: Date) -> String {
        js::fmt_date(self.lang.locale(), &format_date(d), "medium")
    }

    pub fn date_short(&self, d: Date) -> String {
        js::fmt_date(self.lang.locale(), &format_date(d), "short")
    }

    /// `YYYY-MM` → "Mar 2027" in the locale.
    pub fn month(&self, ym: &str) -> String {
        js::fmt_date(self.lang.locale(), &format!("{ym}-01"), "month")
    }

    pub fn month_name(&self, ym: &str) -> String {
        js::fmt_date(self.lang.locale(), &format!("{ym}-01"), "monthname")
    }

    pub fn weekday(&self, ymd: &str) -> String {
        js::fmt_date(self.lang.locale(), ymd, "weekday")
    }
}
