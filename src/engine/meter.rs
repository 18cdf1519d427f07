//! M4: the 24-hour windows of one user and one product, as a state machine that the
//! simulation asks for the next instant a charge is due, then tells what became of it.

use crate::engine::intervals::Span;
use crate::engine::time::Instant;

/// M4: a window lasts 24 hours of elapsed time, whatever the zone or daylight saving.
pub const WINDOW: i64 = 86_400;
/// M4: a stretch of at most 5 minutes outside any window costs nothing.
pub const GRACE: i64 = 300;

/// No window open: the next charge is due at the start of the next use.
pub const NO_WINDOW: Instant = Instant::MIN;

/// M4 over sorted, merged use intervals: from interval `*next` on, with the open window
/// ending at `window` (or `NO_WINDOW`), the instant the next charge is due, if any; `*next`
/// moves to that charge's interval.
#[inline]
pub fn next_due(intervals: &[Span], next: &mut usize, window: Instant) -> Option<Instant> {
    next_due_in(|i| intervals.get(i).copied(), next, window)
}

/// [`next_due`] over intervals read by position (`None` past the last).
#[inline]
pub fn next_due_in(
    interval: impl Fn(usize) -> Option<Span>,
    next: &mut usize,
    window: Instant,
) -> Option<Instant> {
    while let Some((a, b)) = interval(*next) {
        let t = if a < window { window } else { a };
        if b - t > GRACE {
            return Some(t);
        }
        *next += 1;
    }
    None
}

/// One user × product's meter for callers that charge every due instant (the advisor, the
/// tests); the simulation keeps all meters in flat arrays (`simulate::meters`) with the
/// same `next_due`.
#[derive(Debug, Clone)]
pub struct Meter {
    /// Sorted, merged use intervals, subscriptions already taken out (M1, M3).
    intervals: Vec<Span>,
    next: usize,
    window_end: Instant,
}

impl Meter {
    pub fn new(intervals: Vec<Span>) -> Meter {
        Meter {
            intervals,
            next: 0,
            window_end: NO_WINDOW,
        }
    }

    /// The instant the next charge is due, if any is left.
    pub fn due(&mut self) -> Option<Instant> {
        next_due(&self.intervals, &mut self.next, self.window_end)
    }

    /// The charge due at `t` went through: a window opens at `t`.
    pub fn charged(&mut self, t: Instant) {
        self.window_end = t + WINDOW;
    }
}
