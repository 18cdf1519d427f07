//! Usage patterns → use intervals (SPEC §6 patterns, M2 idle time).
//!
//! Dates of `weekly`, `monthly` and `dates` are those inside the period (start date
//! inclusive, end date exclusive, as calendar dates in the user's zone); every session, of
//! any pattern, is then cut to the period's instants.

use jiff::civil::{Date, Time};

use crate::engine::intervals::{clip, union_in_place, Span};
use crate::engine::model::{Model, PatternM, SessionM, UsageM};
use crate::engine::time::{add_days, seconds_of_day, DayTable, Instant, Local};

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

    /// The session of `day` on the table's `i`-th date.
    #[inline]
    fn push_day(&self, out: &mut Vec<Span>, i: usize, day: &Day) {
        let start = self.days.at(i, day.from, day.from_secs);
        let end = self.days.at(i + day.next as usize, day.to, day.to_secs);
        if let Some(s) = clip((start, end), self.model.start, self.model.end) {
            out.push(s);
        }
    }

    /// Table positions of the period's first date and of the first date after it.
    fn period_range(&self) -> (usize, usize) {
        let m = self.model;
        let a = self.days.index(m.start_date).unwrap_or(0);
        let b = self.days.index(m.end_date).unwrap_or(a);
        (a, b)
    }

    #[inline]
    fn at(&self, l: Local) -> Instant {
        self.days.local(&l)
    }

    /// One session minus its idle time (M2), cut to the period; `holes` is a buffer.
    fn push_session(
        &self,
        out: &mut Vec<Span>,
        s: &SessionM,
        inactive: &[(Local, Local)],
        idle_detection: bool,
        holes: &mut Vec<Span>,
    ) {
        let (a, b) = (self.at(s.start), self.at(s.end));
        if a >= b {
            return;
        }
        holes.clear();
        if idle_detection && !s.inactive.is_empty() {
            let stretches = &inactive[s.inactive.clone()];
            holes.extend(stretches.iter().map(|&(x, y)| (self.at(x), self.at(y))));
            union_in_place(holes);
            holes.retain(|&(x, y)| y - x >= IDLE_AFTER);
            for h in holes.iter_mut() {
                h.0 += IDLE_AFTER;
            }
        }
        let mut push = |x, y| {
            if let Some(c) = clip((x, y), self.model.start, self.model.end) {
                out.push(c);
            }
        };
        let mut from = a;
        for &(ha, hb) in holes.iter() {
            if hb <= from {
                continue;
            }
            if ha >= b {
                break;
            }
            if ha > from {
                push(from, ha);
            }
            from = hb;
        }
        if from < b {
            push(from, b);
        }
    }

    /// Use intervals of one usage entry (not yet merged). True when they are already
    /// their own union (M1): a weekly or monthly session that ends the day it starts ends
    /// before the next day's begins, and clipping drops the empty ones; unless a gap carries
    /// a day's times onto the next day's (`DayTable::tidy`: Pacific/Apia skipped 30
    /// December 2011, whose times moved forward onto the 31st's).
    /// `order` is a buffer.
    pub fn expand(&self, u: &UsageM, out: &mut Vec<Span>, order: &mut Vec<u64>) -> bool {
        match &u.pattern {
            PatternM::Sessions { list, inactive } => {
                self.expand_sessions(u, list, inactive, out, order);
                false
            }
            PatternM::Weekly { days, from, to } => {
                self.expand_weekly(u, days, &Day::new(*from, *to), out);
                from < to && self.days.tidy()
            }
            PatternM::Monthly { days, from, to } => {
                self.expand_monthly(u, *days, &Day::new(*from, *to), out);
                from < to && self.days.tidy()
            }
            PatternM::Dates { dates, from, to } => {
                self.expand_dates(u, dates, &Day::new(*from, *to), out);
                false
            }
        }
    }

    /// Sessions in order of start (`order` is a buffer): their use intervals then come out
    /// in order (unless sessions overlap), and merging them (M1) needs no sort of their
    /// pieces, whose sort mispredicts its branches: the run of the benchmark's 1,000-user
    /// year takes 15 % less (criterion medians over six alternated runs), though its
    /// instructions hardly change.
    fn expand_sessions(
        &self,
        u: &UsageM,
        list: &[SessionM],
        inactive: &[(Local, Local)],
        out: &mut Vec<Span>,
        order: &mut Vec<u64>,
    ) {
        let mut holes = Vec::new();
        // A session's date is worked out only for a filter to read.
        let filtered = u.months.is_some() || !u.except.is_empty();
        let mut visit = |s: &SessionM| {
            if !filtered || self.keeps(u, s.start.date()) {
                self.push_session(out, s, inactive, u.idle_detection, &mut holes);
            }
        };
        if start_order(list, order) {
            for &k in order.iter() {
                visit(&list[(k & POSITION) as usize]);
            }
        } else {
            list.iter().for_each(visit);
        }
    }

    fn expand_weekly(&self, u: &UsageM, days: &[bool; 7], day: &Day, out: &mut Vec<Span>) {
        let (a, b) = self.period_range();
        out.reserve(b.saturating_sub(a));
        let mut wd = self.model.start_date.weekday().to_monday_zero_offset() as usize;
        // `except` is sorted: as table positions, walked beside the dates rather than
        // searched per date.
        let mut ex = u
            .except
            .iter()
            .filter_map(|&d| self.days.index(d))
            .peekable();
        for i in a..b {
            if days[wd] {
                while ex.next_if(|&x| x < i).is_some() {}
                let kept = ex.peek() != Some(&i)
                    && u.months
                        .is_none_or(|ms| ms[self.days.date(i).month() as usize]);
                if kept {
                    self.push_day(out, i, day);
                }
            }
            wd = if wd == 6 { 0 } else { wd + 1 };
        }
    }

    fn expand_monthly(&self, u: &UsageM, days: u32, day: &Day, out: &mut Vec<Span>) {
        let (a, b) = self.period_range();
        let mut w = Vec::with_capacity(23);
        // Months whose working days all count are spread in place (8 % of the run of the
        // benchmark's 1,000-user year, in instructions).
        let plain = u.months.is_none() && u.except.is_empty();
        for month in self.days.workdays_by_month() {
            // Most months: all their working days count (no copy).
            let inside = |&i: &u32| (a..b).contains(&(i as usize));
            if plain && month.first().is_some_and(inside) && month.last().is_some_and(inside) {
                spread(month, days, |i| self.push_day(out, i as usize, day));
                continue;
            }
            w.clear();
            w.extend(
                month
                    .iter()
                    .map(|&i| i as usize)
                    .filter(|&i| (a..b).contains(&i) && self.keeps(u, self.days.date(i))),
            );
            spread(&w, days, |i| self.push_day(out, i, day));
        }
    }

    fn expand_dates(&self, u: &UsageM, dates: &[Date], day: &Day, out: &mut Vec<Span>) {
        let m = self.model;
        for &d in dates {
            if d >= m.start_date && d < m.end_date && self.keeps(u, d) {
                if let Some(i) = self.days.index(d) {
                    self.push_day(out, i, day);
                }
            }
        }
    }
}

/// The position part of a [`start_order`] key.
const POSITION: u64 = (1 << 20) - 1;

/// Sessions' positions in order of start, as keys packing the start's day (22 bits, from
/// year 0000 to 9999), its seconds (17 bits) and the position (20 bits) in `keys`; false,
/// and `keys` unusable, when a list is too long for that.
fn start_order(list: &[SessionM], keys: &mut Vec<u64>) -> bool {
    keys.clear();
    if list.len() > POSITION as usize {
        return false;
    }
    for (k, s) in list.iter().enumerate() {
        let day = i64::from(s.start.day) + (1 << 20);
        debug_assert!((0..86_400).contains(&s.start.secs));
        if !(0..1 << 22).contains(&day) {
            return false;
        }
        keys.push((day as u64) << 37 | (s.start.secs as u64) << 20 | k as u64);
    }
    keys.sort_unstable();
    true
}

/// A pattern's session on any one date: from `from` to `to`, ending the next day when `to`
/// is not later than `from`; the times also as seconds since midnight.
struct Day {
    from: Time,
    to: Time,
    from_secs: i64,
    to_secs: i64,
    next: bool,
}

impl Day {
    fn new(from: Time, to: Time) -> Day {
        Day {
            from,
            to,
            from_secs: seconds_of_day(from),
            to_secs: seconds_of_day(to),
            next: to <= from,
        }
    }
}

/// The `monthly` spread of one calendar month, W = its working days (Mon–Fri) inside the
/// period and not excepted: all of W when n ≥ |W|, else W[⌊(2i+1)|W| / 2n⌋] for
/// i = 0 … n−1, each handed to `pick` in order.
pub fn spread<K: Copy>(w: &[K], n: u32, mut pick: impl FnMut(K)) {
    let n = n as usize;
    if n >= w.len() {
        w.iter().for_each(|&k| pick(k));
    } else {
        (0..n).for_each(|i| pick(w[(2 * i + 1) * w.len() / (2 * n)]));
    }
}

/// A day table wide enough for every date a pattern of this model may touch.
pub fn day_table(model: &Model, tz: &jiff::tz::TimeZone) -> DayTable {
    DayTable::new(
        tz,
        add_days(model.start_date, -2),
        add_days(model.end_date, 2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// The spread over the calendar dates `[start, end)` of one month.
    fn monthly_dates(start: Date, end: Date, n: u32) -> Vec<Date> {
        let mut w = Vec::new();
        let mut d = start;
        while d < end {
            if d.weekday().to_monday_zero_offset() < 5 {
                w.push(d);
            }
            d = add_days(d, 1);
        }
        let mut out = Vec::new();
        spread(&w, n, |d| out.push(d));
        out
    }

    #[test]
    fn sessions_are_visited_in_order_of_start_whatever_their_listing() {
        let at = |day: i32, secs: i32| Local { day, secs };
        let session = |day, secs| SessionM {
            start: at(day, secs),
            end: at(day, secs + 60),
            inactive: 0..0,
        };
        // Days before 1970 and up to the year 9999, a tie on the day, one on the instant.
        let list = [
            session(20_000, 3_600),
            session(-719_528, 0),
            session(20_000, 60),
            session(2_932_896, 86_399),
            session(20_000, 60),
            session(-1, 43_200),
        ];
        let mut keys = vec![7];
        assert!(start_order(&list, &mut keys));
        let order: Vec<usize> = keys.iter().map(|&k| (k & POSITION) as usize).collect();
        assert_eq!(order, [1, 5, 2, 4, 0, 3]);
    }

    #[test]
    fn monthly_spread_picks_evenly() {
        // March 2027 has 23 working days; 4 of them: W[⌊(2i+1)·23/8⌋] = W[2], W[8], W[14], W[20].
        let got = monthly_dates(date(2027, 3, 1), date(2027, 4, 1), 4);
        let want = [
            date(2027, 3, 3),
            date(2027, 3, 11),
            date(2027, 3, 19),
            date(2027, 3, 29),
        ];
        assert_eq!(got, want);
        // More days than working days: all of them.
        assert_eq!(
            monthly_dates(date(2027, 3, 1), date(2027, 4, 1), 31).len(),
            23
        );
        // Only the working days inside the range count: 03-29 .. 03-31 (Mon–Wed), W[0] and W[2].
        let tail = monthly_dates(date(2027, 3, 29), date(2027, 4, 1), 2);
        assert_eq!(tail, [date(2027, 3, 29), date(2027, 3, 31)]);
    }
}
