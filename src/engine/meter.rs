//! M4: the 24-hour windows of one user and one product, as a state machine that the
//! simulation asks for the next instant a charge is due, then tells what became of it.

use crate::engine::intervals::Span;
use crate::engine::time::Instant;

/// M4: a window lasts 24 hours of elapsed time, whatever the zone or daylight saving.
pub const WINDOW: i64 = 86_400;
/// M4: a stretch of at most 5 minutes outside any window costs nothing.
pub const GRACE: i64 = 300;

#[derive(Debug, Clone)]
pub struct Meter {
    /// Sorted, merged use intervals, subscriptions already taken out (M1, M3).
    intervals: Vec<Span>,
    next: usize,
    window_end: Option<Instant>,
}

impl Meter {
    pub fn new(intervals: Vec<Span>) -> Meter {
        Meter {
            intervals,
            next: 0,
            window_end: None,
        }
    }

    /// The instant the next charge is due, if any is left.
    pub fn due(&mut self) -> Option<Instant> {
        while let Some(&(a, b)) = self.intervals.get(self.next) {
            let t = match self.window_end {
                Some(w) if a < w => w,
                _ => a,
            };
            if b - t > GRACE {
                return Some(t);
            }
            self.next += 1;
        }
        None
    }

    /// The charge due at `t` went through: a window opens at `t`.
    pub fn charged(&mut self, t: Instant) {
        self.window_end = Some(t + WINDOW);
    }

    /// The charge due now was denied (M6): locked out for the rest of this interval.
    pub fn denied(&mut self) {
        self.next += 1;
    }

    /// Continues from interval `next` with the window of the last charge that went through.
    pub fn resume(&mut self, next: usize, window_end: Option<Instant>) {
        self.next = next;
        self.window_end = window_end;
    }

    /// Where the meter stands: the next interval to look at and the open window's end.
    pub fn state(&self) -> (usize, Option<Instant>) {
        (self.next, self.window_end)
    }

    pub fn intervals(&self) -> &[Span] {
        &self.intervals
    }
}
