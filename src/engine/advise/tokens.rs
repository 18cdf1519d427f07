//! The charged days of one user's product for any choice of covered months (M3, M4).
//!
//! A plan covers a product month by month (an annual subscription covers every month), so
//! its uncovered time is a set of runs of whole months. Windows never outlive a covered
//! month (24 hours against at least 28 days), so the charges of a coverage are the sum over
//! its uncovered runs of the charges of that run alone, plus the few charges outside the
//! months (a user whose zone differs from the team's keeps a sliver of the period before
//! the first month or after the last one).
//!
//! The charges of a run `[i, j)` are those of one meter pass that starts at the run's first
//! instant, counted up to `B_j − GRACE` (a charge due later would be cut off by the covered
//! month after it, M4). A pass started at month i soon meets the pass that started at the
//! period's beginning (the same charge at the same instant, after which both are the same
//! machine), so each pass past that meeting point is read from the first one.

use crate::engine::intervals::Span;
use crate::engine::meter::{Meter, GRACE};
use crate::engine::time::Instant;

/// Charged days of one (user, product) per coverage.
#[derive(Debug, Clone)]
pub struct DayTable {
    pub months: usize,
    /// Days charged in month i when it is uncovered, as if months were independent.
    pub uncovered: Vec<u32>,
    /// Days charged because of month i when it is covered (the slivers outside the months).
    pub covered: Vec<u32>,
    /// `runs[i * (months + 1) + j]`: days of the uncovered run `[i, j)`; `None` when every
    /// run is the sum of its months (the usual case: then `uncovered` says it all).
    pub runs: Option<Vec<u32>>,
}

/// One meter pass: charges of its own, then (from index `merge`) the first pass's charges.
struct Pass {
    own: Vec<Instant>,
    merge: Option<usize>,
}

fn charges(spans: Vec<Span>, first: Option<&[Instant]>) -> Pass {
    let mut m = Meter::new(spans);
    let mut own = Vec::new();
    let mut k = 0;
    while let Some(t) = m.due() {
        if let Some(f) = first {
            while k < f.len() && f[k] < t {
                k += 1;
            }
            if k < f.len() && f[k] == t {
                return Pass {
                    own,
                    merge: Some(k),
                };
            }
        }
        own.push(t);
        m.charged(t);
    }
    Pass { own, merge: None }
}

impl Pass {
    /// Charges due before `limit`.
    fn before(&self, first: &[Instant], limit: Instant) -> u32 {
        let own = self.own.partition_point(|&t| t < limit);
        let rest = match self.merge {
            Some(k) if own == self.own.len() => {
                first.partition_point(|&t| t < limit).saturating_sub(k)
            }
            _ => 0,
        };
        (own + rest) as u32
    }
}

impl DayTable {
    /// `spans`: the product's use (merged, sorted); `bounds`: the `months + 1` instants where
    /// the plan's months start (the last one is where the period's last month ends).
    pub fn new(spans: &[Span], bounds: &[Instant]) -> DayTable {
        let m = bounds.len() - 1;
        let first = charges(spans.to_vec(), None).own;
        let mut passes = Vec::with_capacity(m + 1);
        passes.push(Pass {
            own: first.clone(),
            merge: None,
        });
        for &b in &bounds[1..] {
            let k = spans.partition_point(|s| s.1 <= b);
            // A pass from b meets the first one within a few spans, almost always: try a few
            // spans, then more, until it does or has seen the rest.
            let mut width = 8;
            loop {
                let end = (k + width).min(spans.len());
                let mut clipped: Vec<Span> = spans[k..end].to_vec();
                if let Some(s) = clipped.first_mut() {
                    s.0 = s.0.max(b);
                }
                let pass = charges(clipped, Some(&first));
                if pass.merge.is_some() || end == spans.len() {
                    passes.push(pass);
                    break;
                }
                width *= 4;
            }
        }
        let run = |i: usize, j: usize| -> u32 {
            let limit = if j == m {
                Instant::MAX
            } else {
                bounds[j] - GRACE
            };
            passes[i].before(&first, limit)
        };
        let uncovered: Vec<u32> = (0..m).map(|i| run(i, i + 1)).collect();
        let mut covered = vec![0u32; m];
        covered[0] += passes[0].before(&first, bounds[0] - GRACE);
        covered[m - 1] += passes[m].before(&first, Instant::MAX);
        let mut additive = true;
        let mut table = vec![0u32; (m + 1) * (m + 1)];
        for i in 0..m {
            let mut sum = 0;
            for j in i + 1..=m {
                sum += uncovered[j - 1];
                let r = run(i, j);
                table[i * (m + 1) + j] = r;
                additive &= r == sum;
            }
        }
        DayTable {
            months: m,
            uncovered,
            covered,
            runs: (!additive).then_some(table),
        }
    }

    pub fn run(&self, i: usize, j: usize) -> u32 {
        match &self.runs {
            Some(r) => r[i * (self.months + 1) + j],
            None => self.uncovered[i..j].iter().sum(),
        }
    }

    /// Days charged when the months in `mask` (bit i: month i) are covered.
    pub fn days(&self, mask: u64) -> u32 {
        let m = self.months;
        let mut total = 0;
        let mut start: Option<usize> = None;
        for i in 0..m {
            if mask >> i & 1 == 1 {
                if let Some(s) = start.take() {
                    total += self.run(s, i);
                }
                total += self.covered[i];
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            total += self.run(s, m);
        }
        total
    }

    /// Days charged with no coverage at all.
    pub fn all(&self) -> u32 {
        self.run(0, self.months)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::intervals::subtract;

    fn brute(spans: &[Span], bounds: &[Instant], mask: u64) -> u32 {
        let m = bounds.len() - 1;
        let cover: Vec<Span> = (0..m)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| (bounds[i], bounds[i + 1]))
            .collect();
        let cover = crate::engine::intervals::union(cover);
        charges(subtract(spans, &cover), None).own.len() as u32
    }

    #[test]
    fn runs_match_a_meter_on_the_uncovered_time() {
        let day = 86_400;
        let bounds: Vec<Instant> = (0..5).map(|i| 1_000 + i * 30 * day).collect();
        // Office days, overnight work across month ends, round-the-clock stretches, slivers
        // before the first month and after the last.
        let mut spans = vec![(0, 900)];
        for d in 0..150 {
            let base = 1_000 + d * day;
            match d % 7 {
                0..=3 => spans.push((base + 8 * 3600, base + 17 * 3600)),
                4 => spans.push((base + 20 * 3600, base + 30 * 3600)),
                _ => {}
            }
        }
        spans.push((1_000 + 29 * day, 1_000 + 33 * day + 7));
        spans.push((1_000 + 120 * day - 200, 1_000 + 120 * day + 5_000));
        let spans = crate::engine::intervals::union(spans);
        let t = DayTable::new(&spans, &bounds);
        assert!(t.runs.is_some(), "this use is not month-additive");
        for mask in 0..16 {
            assert_eq!(t.days(mask), brute(&spans, &bounds, mask), "mask {mask:b}");
        }
    }
}
