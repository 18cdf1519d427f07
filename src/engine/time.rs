//! Strict parsing of the scenario's dates and times, and the local-time ↔ instant rules of
//! SPEC §6: a local time in a spring-forward gap moves forward by the gap, one in an autumn
//! fold takes the earlier instant (jiff's "compatible" disambiguation does exactly that).
//!
//! Instants inside the engine are whole seconds since the Unix epoch (`i64`).

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

pub type Instant = i64;

/// The value of ASCII digits `b[i]` for each `i` of `at` (most significant first), if
/// every one is a digit.
#[inline]
fn digits_at(b: &[u8], at: &[usize]) -> Option<i32> {
    let mut v: i32 = 0;
    for &i in at {
        let c = b[i].wrapping_sub(b'0');
        if c > 9 {
            return None;
        }
        v = v * 10 + i32::from(c);
    }
    Some(v)
}

/// The date of `YYYY-MM-DD` at the start of `b` (length checked by the caller).
#[inline]
fn date_at(b: &[u8]) -> Option<Date> {
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits_at(b, &[0, 1, 2, 3])?;
    let m = digits_at(b, &[5, 6])?;
    let d = digits_at(b, &[8, 9])?;
    Date::new(y as i16, m as i8, d as i8).ok()
}

/// The time of `HH:MM` at `b[i..i + 5]` (length checked by the caller).
#[inline]
fn time_at(b: &[u8], i: usize) -> Option<Time> {
    if b[i + 2] != b':' {
        return None;
    }
    let h = digits_at(b, &[i, i + 1])?;
    let m = digits_at(b, &[i + 3, i + 4])?;
    Time::new(h as i8, m as i8, 0, 0).ok()
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 {
        return None;
    }
    date_at(b)
}

/// `HH:MM`, from 00:00 to 23:59.
pub fn parse_time(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    if b.len() != 5 {
        return None;
    }
    time_at(b, 0)
}

/// `YYYY-MM-DDTHH:MM`.
pub fn parse_datetime(s: &str) -> Option<DateTime> {
    // Read in place (no sub-slices, no UTF-8 boundary checks): the scenario of a big team
    // holds over a million of these.
    let b = s.as_bytes();
    if b.len() != 16 || b[10] != b'T' {
        return None;
    }
    Some(date_at(b)?.to_datetime(time_at(b, 11)?))
}

/// A local date-time of a scenario as its date's day number (days since 1970-01-01) and
/// its time of day in seconds: what a [`DayTable`] needs to place it, so that a big team's
/// sessions are not taken apart again when they are expanded; 8 bytes, as a big team has
/// millions of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Local {
    pub day: i32,
    pub secs: i32,
}

impl Local {
    pub fn new(dt: DateTime) -> Local {
        Local {
            day: epoch_day(dt.date()) as i32,
            secs: seconds_of_day(dt.time()) as i32,
        }
    }

    /// The date-time again (rarely needed: on a day with an offset change, for `months`
    /// and `except` of sessions, for results).
    pub fn datetime(&self) -> DateTime {
        let s = self.secs;
        let time = Time::new((s / 3600) as i8, (s / 60 % 60) as i8, (s % 60) as i8, 0);
        self.date().to_datetime(time.unwrap_or_default())
    }

    pub fn date(&self) -> Date {
        add_days(Date::constant(1970, 1, 1), i64::from(self.day))
    }
}

/// Seconds since midnight of a time of day (as on a day without an offset change).
pub fn seconds_of_day(t: Time) -> i64 {
    i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())
}

/// [`parse_datetime`] for many values in a row: a big team's sessions fall on a few
/// hundred dates, so each date's day number is kept once worked out (jiff checks every
/// field it is given), in a slot picked by its month and day.
pub struct DateTimes {
    /// Date parts read (as two words) and their day numbers; a slot holds the last date
    /// read of its month and day.
    dates: Box<[((u64, u16), i32); DATE_SLOTS]>,
}

/// Slots of [`DateTimes`]: month digits `[01]x` (20) times day digits `[0-3]x` (40).
const DATE_SLOTS: usize = 20 * 40;

impl Default for DateTimes {
    fn default() -> Self {
        Self::new()
    }
}

impl DateTimes {
    pub fn new() -> DateTimes {
        DateTimes {
            // No slot matches before it is written: bytes 0xFF are never in UTF-8 text.
            dates: Box::new([((u64::MAX, u16::MAX), 0); DATE_SLOTS]),
        }
    }

    /// [`parse_datetime`] as a [`Local`].
    pub fn read_local(&mut self, s: &str) -> Option<Local> {
        let b: &[u8; 16] = s.as_bytes().try_into().ok()?;
        if b[10] != b'T' || b[13] != b':' {
            return None;
        }
        // The date part as two words: compared in two instructions, not a `memcmp` call.
        let key = (
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
            u16::from_le_bytes([b[8], b[9]]),
        );
        let slot = usize::from(b[5] & 1) * 400
            + usize::from(b[6] & 15) * 40
            + usize::from(b[8] & 3) * 10
            + usize::from(b[9] & 15);
        let slot = &mut self.dates[slot.min(DATE_SLOTS - 1)];
        let day = if slot.0 == key {
            slot.1
        } else {
            let n = epoch_day(date_at(b)?) as i32;
            *slot = (key, n);
            n
        };
        let h = digits_at(b, &[11, 12])?;
        let m = digits_at(b, &[14, 15])?;
        if h > 23 || m > 59 {
            return None;
        }
        Some(Local {
            day,
            secs: h * 3600 + m * 60,
        })
    }
}

/// The IANA zone `name` (ASCII case ignored, as the tz database does): a zone registered
/// with `register_time_zone`, else UTC, else jiff's database, which native builds bundle
/// and the browser's lacks: the web app registers every other zone a scenario names,
/// fetched as one TZif file each, before it validates the scenario.
pub fn time_zone(name: &str) -> Option<TimeZone> {
    let registered = REGISTERED.with(|r| {
        r.borrow()
            .iter()
            .find(|tz| tz.iana_name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .cloned()
    });
    if registered.is_some() {
        return registered;
    }
    if name.eq_ignore_ascii_case("UTC") {
        return Some(TimeZone::UTC);
    }
    // jiff answers `Etc/Unknown` with its stand-in for a zone it cannot name, read as UTC:
    // not an IANA zone.
    TimeZone::get(name).ok().filter(|tz| !tz.is_unknown())
}

thread_local! {
    /// Zones registered at run time (this thread's, like everything the engine computes).
    static REGISTERED: std::cell::RefCell<Vec<TimeZone>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes `name` resolve to the zone of the TZif data `tzif` (RFC 8536, as the tz database
/// compiles it) for `time_zone` on this thread. False, and nothing registered, when the
/// data does not read as TZif.
pub fn register_time_zone(name: &str, tzif: &[u8]) -> bool {
    let Ok(tz) = TimeZone::tzif(name, tzif) else {
        return false;
    };
    REGISTERED.with(|r| {
        let mut r = r.borrow_mut();
        r.retain(|z| !z.iana_name().is_some_and(|n| n.eq_ignore_ascii_case(name)));
        r.push(tz);
    });
    true
}

/// The instant of a local date-time in `tz` (gap: forward by the gap; fold: earlier).
pub fn instant(tz: &TimeZone, dt: DateTime) -> Instant {
    match tz.to_ambiguous_timestamp(dt).compatible() {
        Ok(ts) => ts.as_second(),
        // Only reachable at the very ends of jiff's range, which validation keeps us from.
        Err(_) => dt
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0),
    }
}

/// Local midnight starting `date` in `tz`.
pub fn midnight(tz: &TimeZone, date: Date) -> Instant {
    instant(tz, date.to_datetime(Time::midnight()))
}

pub fn add_days(date: Date, days: i64) -> Date {
    // `try_*` rather than `ToSpan`: the latter panics on overflow, and its error path
    // costs the wasm bundle 34 KB gzipped.
    Span::new()
        .try_days(days)
        .and_then(|sp| date.checked_add(sp))
        .unwrap_or(date)
}

/// Same date `months` later; a day past the month's end becomes its last day
/// (29 February + 1 year = 28 February).
pub fn add_months(date: Date, months: i64) -> Date {
    Span::new()
        .try_months(months)
        .and_then(|sp| date.checked_add(sp))
        .unwrap_or(date)
}

pub fn add_years(date: Date, years: i64) -> Date {
    Span::new()
        .try_years(years)
        .and_then(|sp| date.checked_add(sp))
        .unwrap_or(date)
}

/// RFC 3339 with the zone's offset at that instant, e.g. `2027-03-01T08:00:00+00:00`.
pub fn rfc3339(tz: &TimeZone, t: Instant) -> String {
    let Ok(ts) = Timestamp::from_second(t) else {
        return String::from("invalid");
    };
    // RFC 3339 offsets have no seconds, and old local mean times do (Irkutsk +06:57:05 in
    // 1900): the offset is cut to whole minutes and the wall time read at that offset, so
    // that the text still names the exact instant.
    let secs = tz.to_offset(ts).seconds() / 60 * 60;
    let offset = jiff::tz::Offset::from_seconds(secs).unwrap_or(jiff::tz::Offset::UTC);
    let dt = offset.to_datetime(ts);
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (oh, om) = (a / 3600, (a % 3600) / 60);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        sign,
        oh,
        om
    )
}

pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Days from 1970-01-01 to `d` in the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`): plain arithmetic, where jiff's date difference is general and slow.
pub fn epoch_day(d: Date) -> i64 {
    let (y, m, day) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Local date-times → instants for the dates around a period, fast: a day with no offset
/// transition maps by plain addition to its midnight; any other day asks jiff.
#[derive(Debug, Clone)]
pub struct DayTable {
    tz: TimeZone,
    first: Date,
    first_day: i64,
    dates: Vec<Date>,
    /// Per date: local midnight, and whether the offset holds all day long.
    days: Vec<(Instant, bool)>,
    /// Every date's last second comes before the next date's midnight: no gap carries a
    /// date's times onto the next date's (a skipped date, a forward change late at night).
    tidy: bool,
    /// The positions of the working days (Monday to Friday), month after month, and where
    /// each calendar month's end in that list: what every `monthly` pattern walks.
    workdays: Vec<u32>,
    month_ends: Vec<u32>,
}

impl DayTable {
    /// Covers `first ..= last`.
    pub fn new(tz: &TimeZone, first: Date, last: Date) -> DayTable {
        let mut days = Vec::new();
        let mut dates = Vec::new();
        let mut tidy = true;
        let mut d = first;
        let mut m0 = midnight(tz, d);
        while d <= last {
            let next = add_days(d, 1);
            let m1 = midnight(tz, next);
            let uniform = m1 - m0 == 86_400
                && Timestamp::from_second(m0).is_ok_and(|ts| {
                    tz.following(ts)
                        .next()
                        .is_none_or(|tr| tr.timestamp().as_second() >= m1)
                });
            tidy &= uniform || instant(tz, d.to_datetime(Time::MAX)) < m1;
            days.push((m0, uniform));
            dates.push(d);
            if next == d {
                break;
            }
            d = next;
            m0 = m1;
        }
        let mut workdays = Vec::new();
        let mut month_ends = Vec::new();
        for (i, d) in dates.iter().enumerate() {
            if i > 0 && d.day() == 1 {
                month_ends.push(workdays.len() as u32);
            }
            if d.weekday().to_monday_zero_offset() < 5 {
                workdays.push(i as u32);
            }
        }
        month_ends.push(workdays.len() as u32);
        DayTable {
            tz: tz.clone(),
            first,
            first_day: epoch_day(first),
            dates,
            days,
            tidy,
            workdays,
            month_ends,
        }
    }

    /// The positions of each calendar month's working days (Monday to Friday), month by
    /// month.
    pub fn workdays_by_month(&self) -> impl Iterator<Item = &[u32]> {
        let mut from = 0;
        self.month_ends.iter().map(move |&end| {
            let month = &self.workdays[from as usize..end as usize];
            from = end;
            month
        })
    }

    /// See the `tidy` field.
    pub fn tidy(&self) -> bool {
        self.tidy
    }

    /// The position of `date` in the table, if it is covered.
    #[inline]
    pub fn index(&self, date: Date) -> Option<usize> {
        let idx = epoch_day(date) - self.first_day;
        usize::try_from(idx).ok().filter(|&i| i < self.dates.len())
    }

    pub fn date(&self, i: usize) -> Date {
        self.dates[i]
    }

    /// The instant of `time` on the table's `i`-th date (or the day after the table);
    /// `secs` is [`seconds_of_day`] of `time`, worked out once by callers that place one
    /// time of day on many dates.
    #[inline]
    pub fn at(&self, i: usize, time: Time, secs: i64) -> Instant {
        match self.days.get(i) {
            Some(&(m0, true)) => m0 + secs,
            _ => self.at_by_zone(i, time),
        }
    }

    /// [`DayTable::at`] on a day whose offset changes, or past the table: through the zone.
    #[cold]
    fn at_by_zone(&self, i: usize, time: Time) -> Instant {
        match self.dates.get(i) {
            Some(&d) => instant(&self.tz, d.to_datetime(time)),
            None => instant(&self.tz, add_days(self.first, i as i64).to_datetime(time)),
        }
    }

    /// The instant of a scenario's local date-time: by the table on a day without an
    /// offset change, else through the zone.
    #[inline]
    pub fn local(&self, l: &Local) -> Instant {
        let i = i64::from(l.day) - self.first_day;
        match usize::try_from(i).ok().and_then(|i| self.days.get(i)) {
            Some(&(m0, true)) => m0 + i64::from(l.secs),
            _ => instant(&self.tz, l.datetime()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_table_is_tidy_unless_a_gap_carries_a_dates_times_onto_the_next() {
        use jiff::civil::date;
        let table = |tz: &TimeZone, a, b| DayTable::new(tz, a, b).tidy();
        // Paris, a whole year: its changes are at 02:00 and 03:00.
        let paris = TimeZone::get("Europe/Paris").unwrap();
        assert!(table(&paris, date(2027, 1, 1), date(2027, 12, 31)));
        // Samoa skipped 30 December 2011: that date's times are the 31st's.
        let apia = TimeZone::get("Pacific/Apia").unwrap();
        assert!(table(&apia, date(2011, 12, 1), date(2011, 12, 29)));
        assert!(!table(&apia, date(2011, 12, 1), date(2012, 1, 31)));
        // A forward hour at 23:00 ends at midnight: 23:00-23:59 of that date move past it.
        let late = TimeZone::posix("XST5XDT,M3.2.0/23,M11.1.0/2").unwrap();
        assert!(!table(&late, date(2027, 3, 1), date(2027, 3, 31)));
        // At 23:30 the next midnight is in the gap too and moves with it; at 24:00 (Chile's
        // way) the gap opens the next date. Either way the order holds.
        for rule in [
            "XST5XDT,M3.2.0/23:30,M11.1.0/2",
            "XST5XDT,M3.2.0/24,M11.1.0/2",
        ] {
            let tz = TimeZone::posix(rule).unwrap();
            assert!(table(&tz, date(2027, 3, 1), date(2027, 3, 31)), "{rule}");
        }
    }

    #[test]
    fn rfc3339_names_the_exact_instant_even_where_the_offset_has_seconds() {
        // Irkutsk was +06:57:05 and Wake +11:32:04 in 1900 (local mean time); Paris is
        // whole hours. The text, read back, is the instant; the offset is cut to minutes.
        for (zone, offset) in [
            ("Asia/Irkutsk", "+06:57"),
            ("Pacific/Wake", "+11:32"),
            ("America/Havana", "-05:29"),
            ("Europe/Paris", "+01:00"),
        ] {
            let tz = TimeZone::get(zone).unwrap();
            let t0 = if zone == "Europe/Paris" {
                1_800_000_000
            } else {
                -2_208_988_800
            };
            for t in [t0, t0 + 1, t0 + 59, t0 + 3_599, t0 + 86_399] {
                let text = rfc3339(&tz, t);
                assert!(text.ends_with(offset), "{zone}: {text}");
                let back: Timestamp = text.parse().unwrap();
                assert_eq!(back.as_second(), t, "{zone}: {text}");
            }
        }
    }

    #[test]
    fn the_datetime_reader_reads_as_parse_datetime() {
        let mut r = DateTimes::new();
        for s in [
            "2027-01-04T08:00",
            "2027-01-04T23:59",
            "2027-01-04T24:00",
            "2027-01-04T08:60",
            "2027-01-04T8:00x",
            "2027-01-04 08:00",
            "2027-01-04T08-00",
            "2027-02-29T08:00",
            "2028-02-29T00:00",
            "2028-02-29T00:00",
            "2028-13-01T00:00",
            "2028-02-29T0a:00",
            "20a8-02-29T00:00",
            "2027-01-04T08:00:00",
            "2027-01-04T08:0/",
            "2027-01-04T08:0:",
            "2027-01-04T\u{1}8:00",
            "2027/01-04T08:00",
            "2027-01-04t08:00",
            "2027-01-04T08;00",
            "é027-01-04T08:00",
            "2027-01-04T\u{e9}:00",
            "2027-01-04T08:\u{e9}",
            "2027-01-04T\u{7f}8:00",
            "2027-01-04T08:00",
            "2027-01-05T08:00",
            "2027-01-0 T08:00",
            // One cache slot, three dates (a month and day, years apart); and a date part
            // no slot may match before it is written.
            "2027-03-05T10:00",
            "2031-03-05T10:00",
            "2027-03-05T11:00",
            "1999-03-05T00:00",
            "\0\0\0\0\0\0\0\0\0\0T12:00",
            "",
        ] {
            assert_eq!(
                r.read_local(s).map(|l| l.datetime()),
                parse_datetime(s),
                "{s:?}"
            );
            if let Some(l) = r.read_local(s) {
                assert_eq!(l, Local::new(l.datetime()), "{s:?}");
            }
        }
        // Valid values with one or two bytes changed, the date cache warm or not.
        let alphabet = b"0123456789-:T/ 9\x7f";
        let mut x: u64 = 7;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize % n
        };
        for _ in 0..200_000 {
            let mut b = *b"2028-02-29T23:59";
            for _ in 0..1 + next(2) {
                b[next(16)] = alphabet[next(alphabet.len())];
            }
            let s = std::str::from_utf8(&b).expect("ASCII");
            assert_eq!(
                r.read_local(s).map(|l| l.datetime()),
                parse_datetime(s),
                "{s:?}"
            );
            if let Some(l) = r.read_local(s) {
                assert_eq!(l, Local::new(l.datetime()), "{s:?}");
            }
        }
    }

    #[test]
    fn a_local_gives_back_its_date_time_from_year_0_to_9999() {
        // Every 97th day of the years a date-time may be written with (0000 to 9999: a
        // session may lie far outside the period), and both ends, at times from midnight
        // to the day's last second.
        let mut d = jiff::civil::date(0, 1, 1);
        let times = [(0, 0, 0), (0, 0, 1), (9, 30, 0), (12, 0, 59), (23, 59, 59)];
        let mut days = Vec::new();
        while d.year() < 9999 {
            days.push(d);
            d = add_days(d, 97);
        }
        days.push(jiff::civil::date(9999, 12, 31));
        for d in days {
            for &(h, m, s) in &times {
                let dt = d.to_datetime(Time::new(h, m, s, 0).unwrap());
                let l = Local::new(dt);
                assert_eq!(l.datetime(), dt, "{dt}");
                assert_eq!(l.date(), d, "{dt}");
            }
        }
    }

    #[test]
    fn epoch_day_agrees_with_jiff_across_the_accepted_years() {
        let epoch = jiff::civil::date(1970, 1, 1);
        // Every 97th day from 1900 to 9000, and every day around leap days and centuries.
        let mut d = jiff::civil::date(1900, 1, 1);
        while d.year() < 9000 {
            let want = d.since(epoch).unwrap().get_days() as i64;
            assert_eq!(epoch_day(d), want, "{d}");
            d = add_days(d, 97);
        }
        for y in [1900, 2000, 2024, 2100, 8999] {
            let mut d = jiff::civil::date(y, 2, 20);
            for _ in 0..20 {
                let want = d.since(epoch).unwrap().get_days() as i64;
                assert_eq!(epoch_day(d), want, "{d}");
                d = add_days(d, 1);
            }
        }
    }
}

/// Dates in serde as `YYYY-MM-DD`, read and written by the engine's own `parse_date` and
/// `format_date`: the figures the page gets from the engine's worker carry dates, and
/// jiff's own serde support brings its whole ISO 8601 parser and printer into the wasm.
/// `#[serde(with = "day")]` for a `Date`; `opt_day` and `dated` for the other shapes.
pub mod day {
    use jiff::civil::Date;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*d))
    }

    pub fn read<E: Error>(text: &str) -> Result<Date, E> {
        super::parse_date(text).ok_or_else(|| E::custom(format!("{text:?} is not a date")))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        read(&String::deserialize(d)?)
    }
}

/// An optional date, as `day`.
pub mod opt_day {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::day::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| super::day::read(&t))
            .transpose()
    }
}

/// A list of (date, number) pairs, the dates as `day`.
pub mod dated {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[(Date, u64)], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|(d, n)| (super::format_date(*d), *n)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(Date, u64)>, D::Error> {
        Vec::<(String, u64)>::deserialize(d)?
            .into_iter()
            .map(|(t, n)| Ok((super::day::read(&t)?, n)))
            .collect()
    }
}
