//! Usage patterns → use intervals (SPEC §6 patterns, M2 idle time).
//!
//! Dates of `weekly`, `monthly` and `dates` are those inside the period (start date
//! inclusive, end date exclusive, as calendar dates in the user's zone); every session, of
//! any pattern, is then cut to the period's instants.

use jiff::civil::{Date, DateTime, Time};

use crate::engine::intervals::{clip, subtract, union, Span};
use crate::engine::model::{Model, PatternM, SessionM, UsageM};
use crate::engine::time::{add_days, DayTable, Instant};

/// M2: an inactive stretch of at least this long idles the product after this long.
pub const IDLE_AFTER: i64 = 900;

/// What one user's pattern expands with: the period and a day table for the user's zone.
pub struct Expander<'a> {
    pub model: &'a Model,
    pub days: &'a DayTable,
}

impl Expander<'_> {
    fn keeps(&self, u: &UsageM, d: Date) -> bool {
        u.months.is_none_or(|m| m[d.month() as usize]) && u.except.binary_search(&d).is_err()
    }

    fn push_day(&self, out: &mut Vec<Span>, d: Date, from: Time, to: Time) {
        let start = self.days.instant(d, from);
        let end_date = if to <= from { add_days(d, 1) } else { d };
        let end = self.days.instant(end_date, to);
        if let Some(s) = clip((start, end), self.model.start, self.model.end) {
            out.push(s);
        }
    }

    fn at(&self, dt: DateTime) -> Instant {
        self.days.instant(dt.date(), dt.time())
    }

    fn push_session(&self, out: &mut Vec<Span>, s: &SessionM, idle_detection: bool) {
        let (a, b) = (self.at(s.start), self.at(s.end));
        if a >= b {
            return;
        }
        let idle = if idle_detection && !s.inactive.is_empty() {
            let stretches = union(s.inactive.iter().map(|&(x, y)| (self.at(x), self.at(y))).collect());
            stretches
                .into_iter()
                .filter(|&(x, y)| y - x >= IDLE_AFTER)
                .map(|(x, y)| (x + IDLE_AFTER, y))
                .collect()
        } else {
            Vec::new()
        };
        for part in subtract(&[(a, b)], &idle) {
            if let Some(c) = clip(part, self.model.start, self.model.end) {
                out.push(c);
            }
        }
    }

    /// Use intervals of one usage entry (not yet merged).
    pub fn expand(&self, u: &UsageM, out: &mut Vec<Span>) {
        let m = self.model;
        match &u.pattern {
            PatternM::Sessions(list) => {
                for s in list {
                    if self.keeps(u, s.start.date()) {
                        self.push_session(out, s, u.idle_detection);
                    }
                }
            }
            PatternM::Weekly { days, from, to } => {
                let mut d = m.start_date;
                let mut wd = d.weekday().to_monday_zero_offset() as usize;
                while d < m.end_date {
                    if days[wd] && self.keeps(u, d) {
                        self.push_day(out, d, *from, *to);
                    }
                    d = add_days(d, 1);
                    wd = (wd + 1) % 7;
                }
            }
            PatternM::Monthly { days, from, to } => {
                for d in monthly_dates(m.start_date, m.end_date, *days, |d| self.keeps(u, d)) {
                    self.push_day(out, d, *from, *to);
                }
            }
            PatternM::Dates { dates, from, to } => {
                for &d in dates {
                    if d >= m.start_date && d < m.end_date && self.keeps(u, d) {
                        self.push_day(out, d, *from, *to);
                    }
                }
            }
        }
    }
}

/// The `monthly` spread: in each calendar month, W = its working days (Mon–Fri) inside
/// `[start, end)` that `keep` accepts; all of W when n ≥ |W|, else W[⌊(2i+1)|W| / 2n⌋].
pub fn monthly_dates(start: Date, end: Date, n: u32, keep: impl Fn(Date) -> bool) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = start;
    let mut w: Vec<Date> = Vec::with_capacity(23);
    while d < end {
        let month = (d.year(), d.month());
        w.clear();
        while d < end && (d.year(), d.month()) == month {
            if d.weekday().to_monday_zero_offset() < 5 && keep(d) {
                w.push(d);
            }
            d = add_days(d, 1);
        }
        let n = n as usize;
        if n >= w.len() {
            out.extend_from_slice(&w);
        } else {
            out.extend((0..n).map(|i| w[(2 * i + 1) * w.len() / (2 * n)]));
        }
    }
    out
}

/// A day table wide enough for every date a pattern of this model may touch.
pub fn day_table(model: &Model, tz: &jiff::tz::TimeZone) -> DayTable {
    DayTable::new(tz, add_days(model.start_date, -2), add_days(model.end_date, 2))
}
