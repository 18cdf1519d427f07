//! Dates and date-times as exports write them: ISO (`2026-01-05`, `2016-01-01 00:00:00`,
//! `2026-01-05T09:00:00Z`), `MM/DD/YYYY` or `DD/MM/YYYY` (the order decided from the
//! file's own values), `DD.MM.YYYY`, each with or without a time (`9:05 AM` too).

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Serialize};

/// How slashed dates read: day first or month first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// `DD/MM/YYYY`
    Dmy,
    /// `MM/DD/YYYY`
    Mdy,
}

impl DateOrder {
    pub fn parse(s: &str) -> Option<DateOrder> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" | "dd/mm/yyyy" | "day-first" => Some(DateOrder::Dmy),
            "mdy" | "mm/dd/yyyy" | "month-first" => Some(DateOrder::Mdy),
            _ => None,
        }
    }
}

/// The two leading numbers of a slashed date (`a/b/yyyy`), to decide the order.
pub fn slashed(s: &str) -> Option<(u32, u32)> {
    let date = s.trim().split([' ', 'T']).next()?;
    let mut it = date.split('/');
    let (a, b, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || a.len() > 2 || y.len() == 4 && a.len() == 4 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?)).filter(|_| y.chars().all(|c| c.is_ascii_digit()))
}

fn num(s: &str) -> Option<i32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn ymd(y: i32, m: i32, d: i32) -> Option<Date> {
    let y = if (0..100).contains(&y) { 2000 + y } else { y };
    if !(1900..=9000).contains(&y) {
        return None;
    }
    Date::new(y as i16, m as i8, d as i8).ok()
}

fn date_part(s: &str, order: Option<DateOrder>) -> Option<Date> {
    for sep in ['-', '/', '.'] {
        let mut it = s.split(sep);
        let (Some(p0), Some(p1), Some(p2), None) = (it.next(), it.next(), it.next(), it.next())
        else {
            continue;
        };
        let (a, b, c) = (num(p0)?, num(p1)?, num(p2)?);
        if p0.len() == 4 {
            return ymd(a, b, c);
        }
        if sep == '-' {
            return None;
        }
        return match (sep, order) {
            ('.', _) | (_, Some(DateOrder::Dmy)) => ymd(c, b, a),
            (_, Some(DateOrder::Mdy)) => ymd(c, a, b),
            // Undecided: only a date that reads one way alone.
            (_, None) if a > 12 => ymd(c, b, a),
            (_, None) if b > 12 => ymd(c, a, b),
            (_, None) if a == b => ymd(c, a, b),
            _ => None,
        };
    }
    None
}

/// `H:MM[:SS[.fff]] [AM|PM]`, then what follows (an offset, perhaps).
fn time_part(s: &str) -> Option<(Time, &str)> {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(s.len());
    let (clock, mut rest) = s.split_at(end);
    let mut f = clock.split(':');
    let h: i32 = num(f.next()?)?;
    let m: i32 = num(f.next()?)?;
    let sec: f64 = match f.next() {
        Some(x) => x.parse().ok()?,
        None => 0.0,
    };
    if f.next().is_some() {
        return None;
    }
    let mut h = h;
    let r = rest.trim_start();
    let upper = r.get(..2).map(str::to_ascii_uppercase);
    if let Some(ampm @ ("AM" | "PM")) = upper.as_deref() {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = h % 12 + if ampm == "PM" { 12 } else { 0 };
        rest = &r[2..];
    }
    let t = Time::new(h as i8, m as i8, sec.trunc() as i8, 0).ok()?;
    Some((t, rest))
}

/// A time of day alone (`13:00`, `1:05 PM`): nothing may follow it.
pub fn time_of_day(s: &str) -> Option<Time> {
    time_part(s)
        .filter(|(_, rest)| rest.trim().is_empty())
        .map(|(t, _)| t)
}

/// `Z`, `UTC`, `+01:00`, `-0500`: an offset in seconds; `None` for nothing.
fn offset_part(s: &str) -> Result<Option<i32>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s == "Z" || s.eq_ignore_ascii_case("UTC") || s.eq_ignore_ascii_case("GMT") {
        return Ok(Some(0));
    }
    let sign = match s.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return Err(()),
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 {
        return Err(());
    }
    let h = num(&digits[..2]).ok_or(())?;
    let m = num(&digits[2..]).ok_or(())?;
    if h > 23 || m > 59 {
        return Err(());
    }
    Ok(Some(sign * (h * 3600 + m * 60)))
}

/// A date with an optional time and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<i32>,
}

impl Stamp {
    /// The local date-time in `tz`: an offset given is honoured, else the time is local.
    pub fn local(&self, tz: &TimeZone) -> DateTime {
        let dt = self.date.to_datetime(self.time.unwrap_or(Time::midnight()));
        match self.offset.and_then(|o| Offset::from_seconds(o).ok()) {
            Some(off) => off
                .to_timestamp(dt)
                .map(|ts| tz.to_datetime(ts))
                .unwrap_or(dt),
            None => dt,
        }
    }
}

/// Reads one value; `None` when it is no date this reader knows (or, undecided, a
/// slashed date that reads both ways).
pub fn parse(s: &str, order: Option<DateOrder>) -> Option<Stamp> {
    let s = s.trim();
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let date = date_part(date, order)?;
    if rest.trim().is_empty() {
        return Some(Stamp {
            date,
            time: None,
            offset: None,
        });
    }
    let (time, rest) = time_part(rest)?;
    let offset = offset_part(rest).ok()?;
    Some(Stamp {
        date,
        time: Some(time),
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, o: Option<DateOrder>) -> Option<String> {
        parse(s, o).map(|st| {
            let t = st.time.map(|t| format!(" {t}")).unwrap_or_default();
            format!("{}{t}", st.date)
        })
    }

    #[test]
    fn formats() {
        assert_eq!(d("2026-01-05", None).unwrap(), "2026-01-05");
        assert_eq!(
            d("2016-01-01 00:00:00", None).unwrap(),
            "2016-01-01 00:00:00"
        );
        assert_eq!(
            d("2026-01-05T09:30:00Z", None).unwrap(),
            "2026-01-05 09:30:00"
        );
        assert_eq!(d("13/01/2026", None).unwrap(), "2026-01-13");
        assert_eq!(d("01/13/2026", None).unwrap(), "2026-01-13");
        assert_eq!(d("01/02/2026", None), None);
        assert_eq!(d("01/02/2026", Some(DateOrder::Dmy)).unwrap(), "2026-02-01");
        assert_eq!(d("01/02/2026", Some(DateOrder::Mdy)).unwrap(), "2026-01-02");
        assert_eq!(
            d("1/2/2026 9:05 PM", Some(DateOrder::Mdy)).unwrap(),
            "2026-01-02 21:05:00"
        );
        assert_eq!(d("05.01.2026", None).unwrap(), "2026-01-05");
        assert_eq!(d("2026-02-30", None), None);
        assert_eq!(d("yesterday", None), None);
        assert_eq!(d("2026-01-05 25:00", None), None);
        assert_eq!(slashed("13/01/2026 10:00"), Some((13, 1)));
        assert_eq!(slashed("2026-01-13"), None);
    }

    #[test]
    fn offsets_move_to_the_zone() {
        let st = parse("2026-07-01T08:00:00+02:00", None).unwrap();
        assert_eq!(st.local(&TimeZone::UTC).to_string(), "2026-07-01T06:00:00");
    }
}
