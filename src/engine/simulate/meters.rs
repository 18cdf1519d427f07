//! Every meter of a simulation (one per user and product, M4) in flat arrays: their use
//! intervals in one arena, the optimistic charge plan, and the lazy state of the meters
//! that were denied once.
//!
//! Meters are numbered in (user listing order, product id) order, the L6 order of daily
//! charges at one instant, so a plan key `(t − start) << 32 | meter` sorts events in L6
//! order by plain integer comparison.

use crate::engine::intervals::Span;
pub use crate::engine::meter::NO_WINDOW;
use crate::engine::meter::{next_due_in, GRACE, WINDOW};
use crate::engine::report::{Charge, Item};
use crate::engine::time::Instant;

/// Who a meter charges, for what, and how much: read together for every charge, so kept
/// together (one cache line instead of three).
#[derive(Clone, Copy, Default)]
pub struct Info {
    pub rate: u64,
    pub user: u32,
    pub product: u32,
}

impl Info {
    #[inline]
    pub fn charge(&self, at: Instant) -> Charge {
        Charge::new(self.user, Item::Product(self.product), at, self.rate)
    }
}

#[derive(Default)]
pub struct Meters {
    pub info: Vec<Info>,
    /// Meter `m`'s intervals are `spans[first[m]..first[m + 1]]`, in seconds from `origin`
    /// (the period's start: every interval is cut to the period, at most 36 months): half
    /// the memory of instants, for the arena of a big team is the largest thing built.
    first: Vec<usize>,
    spans: Vec<(u32, u32)>,
    origin: Instant,
    /// Where each meter stands: its next interval (relative to `first[m]`) and the end of
    /// its open window. Planned meters stand at the end of the last plan; meters that left
    /// the plan (denied once) at their next due charge.
    next: Vec<usize>,
    window: Vec<Instant>,
}

impl Meters {
    pub fn new(origin: Instant) -> Meters {
        Meters {
            first: vec![0],
            origin,
            ..Meters::default()
        }
    }

    pub fn len(&self) -> usize {
        self.info.len()
    }

    /// Adds a meter with its sorted, merged intervals (subscriptions taken out).
    pub fn push(&mut self, user: u32, product: u32, rate: u64, spans: &[Span]) {
        self.info.push(Info {
            rate,
            user,
            product,
        });
        let o = self.origin;
        self.spans.extend(spans.iter().map(|&(a, b)| {
            debug_assert!(a >= o && b - o <= i64::from(u32::MAX));
            ((a - o) as u32, (b - o) as u32)
        }));
        self.first.push(self.spans.len());
        self.next.push(0);
        self.window.push(NO_WINDOW);
    }

    /// Room for the intervals and meters of `all` users, guessed from the first `done`
    /// (with an eighth to spare). A guess too large for memory is let go: the vectors
    /// grow as they need then.
    pub fn reserve_like(&mut self, done: usize, all: usize) {
        let more = |n: usize| {
            let guess = (n.saturating_mul(all) / done.max(1) / 8).saturating_mul(9);
            guess.saturating_sub(n)
        };
        let _ = self.spans.try_reserve(more(self.spans.len()));
        let meters = more(self.info.len());
        let _ = self.info.try_reserve(meters);
        let _ = self.first.try_reserve(meters);
        let _ = self.next.try_reserve(meters);
        let _ = self.window.try_reserve(meters);
    }

    /// Meter `m`'s intervals, each read as instants with [`Meters::at`].
    pub fn intervals(&self, m: usize) -> &[(u32, u32)] {
        &self.spans[self.first[m]..self.first[m + 1]]
    }

    /// An interval of [`Meters::intervals`] as instants.
    #[inline]
    pub fn at(&self, (a, b): (u32, u32)) -> Span {
        (self.origin + i64::from(a), self.origin + i64::from(b))
    }

    /// The instant meter `m`'s next charge is due, if any is left (M4).
    pub fn due(&mut self, m: usize) -> Option<Instant> {
        let spans = &self.spans[self.first[m]..self.first[m + 1]];
        let o = self.origin;
        let at = |i: usize| {
            spans
                .get(i)
                .map(|&(a, b)| (o + i64::from(a), o + i64::from(b)))
        };
        next_due_in(at, &mut self.next[m], self.window[m])
    }

    /// The charge due at `t` went through: a window opens at `t`.
    pub fn charged(&mut self, m: usize, t: Instant) {
        self.window[m] = t + WINDOW;
    }

    /// The charge due now was denied (M6): locked out for the rest of this interval.
    pub fn denied(&mut self, m: usize) {
        self.next[m] += 1;
    }

    /// Continues from interval `next` with the window of the last charge that went through.
    pub fn resume(&mut self, m: usize, next: usize, window: Instant) {
        self.next[m] = next;
        self.window[m] = window;
    }

    /// Where the meter stands: its next interval and its open window's end.
    pub fn state(&self, m: usize) -> (usize, Instant) {
        (self.next[m], self.window[m])
    }
}

/// Phase A: every meter's charges from where it stands to the period's end, as if none
/// were denied (M4), as plan keys in L6 order. Keys are made meter by meter (reading the
/// arena in memory order) into buckets of a week; a bucket is sorted when the pass
/// reaches it, while it fits in cache.
pub struct Plan {
    buckets: Vec<Vec<u64>>,
    /// Buckets read, for [`Plan::spent`].
    spent: Vec<Vec<u64>>,
    /// The bucket being read (sorted) and the position in it.
    b: usize,
    p: usize,
    scratch: Vec<u64>,
    /// The counts of a bucket's sort.
    count: Vec<u32>,
}

/// The time a plan bucket spans, in seconds.
const BUCKET: i64 = 7 * 86_400;

impl Plan {
    pub fn new(meters: &Meters, start: Instant, end: Instant) -> Plan {
        let n = ((end - start).max(0) / BUCKET + 1) as usize;
        // About one charge per interval, unevenly spread over the weeks.
        let guess = meters.spans.len() * 5 / 4 / n + 16;
        let mut buckets: Vec<Vec<u64>> = (0..n).map(|_| Vec::with_capacity(guess)).collect();
        // In seconds from `start` (the arena's origin): no conversion per interval, and
        // an unsigned division per key.
        debug_assert_eq!(meters.origin, start);
        for m in 0..meters.len() {
            let mut w = meters.window[m].max(start - WINDOW) - start;
            let lo = meters.first[m] + meters.next[m];
            for &(a, b) in &meters.spans[lo..meters.first[m + 1]] {
                let (a, b) = (i64::from(a), i64::from(b));
                let mut t = if a < w { w } else { a };
                while b - t > GRACE {
                    let d = t as u64;
                    buckets[(d / BUCKET as u64) as usize].push(d << 32 | m as u64);
                    w = t + WINDOW;
                    t = w;
                }
            }
        }
        let mut plan = Plan {
            buckets,
            spent: Vec::new(),
            b: 0,
            p: 0,
            scratch: Vec::new(),
            count: Vec::new(),
        };
        plan.sort_current();
        plan
    }

    /// An empty plan.
    pub fn none() -> Plan {
        Plan {
            buckets: Vec::new(),
            spent: Vec::new(),
            b: 0,
            p: 0,
            scratch: Vec::new(),
            count: Vec::new(),
        }
    }

    fn sort_current(&mut self) {
        let Some(keys) = self.buckets.get_mut(self.b) else {
            return;
        };
        // Times from `b` weeks on, within the week: no scan for the bounds.
        let lo = (self.b as i64 * BUCKET) as u64;
        let bins = BUCKET as usize / 60;
        if sort_minutes(keys, &mut self.scratch, lo, bins, &mut self.count) {
            return;
        }
        sort_keys(keys, &mut self.scratch);
    }

    /// The next key, `(t − start) << 32 | meter`.
    #[inline]
    pub fn peek(&mut self) -> Option<u64> {
        loop {
            let keys = self.buckets.get(self.b)?;
            if let Some(&k) = keys.get(self.p) {
                return Some(k);
            }
            // The bucket is done: its memory goes to `spent`; sort the next one.
            let done = std::mem::take(&mut self.buckets[self.b]);
            self.spent.push(done);
            self.b += 1;
            self.p = 0;
            self.sort_current();
        }
    }

    /// The keys left in the bucket being read (empty once the plan is done).
    #[inline]
    pub fn rest(&mut self) -> &[u64] {
        if self.peek().is_none() {
            return &[];
        }
        &self.buckets[self.b][self.p..]
    }

    /// Passes `n` keys of [`Plan::rest`].
    #[inline]
    pub fn skip(&mut self, n: usize) {
        self.p += n;
    }

    /// Buckets read since the last call: memory to write into.
    pub fn spent(&mut self) -> std::vec::Drain<'_, Vec<u64>> {
        self.spent.drain(..)
    }

    /// Every bucket's memory, read or not (the plan is dropped).
    pub fn into_buffers(self) -> impl Iterator<Item = Vec<u64>> {
        self.spent.into_iter().chain(self.buckets)
    }

    pub fn advance(&mut self) {
        self.p += 1;
    }
}

/// The most bits of the time part sorted per pass of [`sort_keys`], whose passes are as few
/// as that allows, of equal width (a week of seconds, a plan bucket, is two passes of 10
/// bits; a sweep's two months, two of 12 rather than three of 10). A digit's counts stay
/// in the first-level cache.
const DIGIT: u32 = 12;

/// Sorts plan keys appended meter by meter (so, for one instant, in meter order): a stable
/// LSD radix sort on the time part alone, relative to the least time.
pub fn sort_keys(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let n = keys.len();
    if n < 2 {
        return;
    }
    let (mut lo, mut hi, mut sorted) = (u64::MAX, 0, true);
    let mut prev = 0;
    for &k in keys.iter() {
        lo = lo.min(k >> 32);
        hi = hi.max(k >> 32);
        sorted &= prev <= k;
        prev = k;
    }
    if sorted {
        return;
    }
    if (hi - lo) / 60 < MINUTE_BINS {
        let bins = ((hi - lo) / 60 + 1) as usize;
        if sort_minutes(keys, scratch, lo, bins, &mut Vec::new()) {
            return;
        }
    }
    let base = lo << 32;
    let bits = 64 - (hi - lo).leading_zeros();
    let mut from = std::mem::take(keys);
    let mut to = std::mem::take(scratch);
    // Every slot is written by the first scatter: no need to clear what is there.
    if to.len() < n {
        to.resize(n, 0);
    }
    to.truncate(n);
    let width = bits.div_ceil(bits.div_ceil(DIGIT).max(1));
    let mask = (1u64 << width) - 1;
    let mut shift = 32;
    while shift < 32 + bits {
        let digit = |k: u64| (((k - base) >> shift) & mask) as usize;
        let mut count = [0u32; 1 << DIGIT];
        for &k in &from {
            count[digit(k)] += 1;
        }
        let mut sum = 0;
        for c in &mut count[..1 << width] {
            let x = *c;
            *c = sum;
            sum += x;
        }
        for &k in &from {
            let slot = &mut count[digit(k)];
            to[*slot as usize] = k;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
        shift += width;
    }
    debug_assert!(from.is_sorted());
    *keys = from;
    *scratch = to;
}

/// The most minutes [`sort_minutes`] counts in (a plan bucket's week is 10,080).
const MINUTE_BINS: u64 = 1 << 14;

/// [`sort_keys`] of keys whose times lie from `lo` to less than `bins` minutes after it,
/// if they all are whole minutes from `lo` (else false, the keys untouched): one stable
/// counting pass on the minute (`count` is a buffer). Scenario times are whole minutes,
/// and so are a meter's dues (a start, or 24 hours after a due) in every zone of today.
fn sort_minutes(
    keys: &mut Vec<u64>,
    scratch: &mut Vec<u64>,
    lo: u64,
    bins: usize,
    count: &mut Vec<u32>,
) -> bool {
    let n = keys.len();
    let secs = |k: u64| ((k >> 32) - lo) as usize;
    count.clear();
    count.resize(bins + 1, 0);
    let mut off = 0;
    for &k in keys.iter() {
        off |= secs(k) % 60;
        count[secs(k) / 60 + 1] += 1;
    }
    if off != 0 {
        return false;
    }
    for i in 1..count.len() {
        count[i] += count[i - 1];
    }
    if scratch.len() < n {
        scratch.resize(n, 0);
    }
    scratch.truncate(n);
    for &k in keys.iter() {
        let slot = &mut count[secs(k) / 60];
        scratch[*slot as usize] = k;
        *slot += 1;
    }
    debug_assert!(scratch.is_sorted());
    std::mem::swap(keys, scratch);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arena_is_sized_from_its_first_users_and_a_wild_guess_is_let_go() {
        let mut meters = Meters::new(0);
        meters.push(0, 0, 7, &[(0, 100), (200, 300)]);
        meters.push(1, 0, 7, &[(50, 60)]);
        // Two users seen, three intervals and two meters: 300 users want 450 and 300, and
        // about an eighth more (504 and 333, counted in whole eighths).
        meters.reserve_like(2, 300);
        let (spans, info) = (meters.spans.capacity(), meters.info.capacity());
        assert!(spans >= 504 && info >= 333, "{spans} {info}");
        assert!(meters.window.capacity() >= 333);
        // A guess no memory holds: nothing reserved, nothing lost, no abort.
        meters.reserve_like(1, usize::MAX);
        meters.push(2, 1, 3, &[(400, 500)]);
        assert_eq!(meters.intervals(2), &[(400, 500)]);
        assert_eq!(meters.intervals(0), &[(0, 100), (200, 300)]);
    }

    #[test]
    fn radix_sort_orders_by_time_then_meter() {
        // Appended meter by meter; times up to a year and a bit (three digits of 9 bits),
        // two months (two of 12) and a day (two of 9, or one minute count), across digit
        // borders, with seconds off the minute.
        for top in [40_000_000i64, (1 << 23) - 1, 86_399] {
            let mut keys = Vec::new();
            let times = [
                [top, 5, 4095, 4096],
                [4095, 0, top, top / 2 + 1],
                [3, 4096, 5, top / 2 + 1],
            ];
            for (m, ts) in times.iter().enumerate() {
                for &t in ts {
                    keys.push((t as u64) << 32 | m as u64);
                }
            }
            let mut want = keys.clone();
            want.sort_unstable();
            sort_keys(&mut keys, &mut Vec::new());
            assert_eq!(keys, want, "{top}");
        }
    }

    #[test]
    fn minute_sort_orders_by_time_then_meter() {
        // Whole minutes across a week: the counting pass on the minute sorts them, ties at
        // one instant kept in meter order. One key off the minute: the pass declines and
        // leaves the keys as they were, and `sort_keys` takes the radix sort instead.
        for off in [0u64, 1] {
            let mut keys = Vec::new();
            for m in 0..5u64 {
                for &t in &[604_740u64, 0, 3_600, 60 * m, 120] {
                    keys.push((t + 86_400) << 32 | m);
                }
            }
            keys[7] += off << 32;
            let mut want = keys.clone();
            want.sort_unstable();
            let given = keys.clone();
            let (lo, bins) = (86_400, 10_080);
            let took = sort_minutes(&mut keys, &mut vec![9; 3], lo, bins, &mut Vec::new());
            assert_eq!(took, off == 0);
            assert_eq!(keys, if took { want.clone() } else { given });
            sort_keys(&mut keys, &mut vec![9; 3]);
            assert_eq!(keys, want);
        }
    }
}
