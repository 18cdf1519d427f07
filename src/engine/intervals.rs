//! Half-open instant intervals `[a, b)`: union (M1), difference (M2, M3) and clipping.

use crate::engine::time::Instant;

pub type Span = (Instant, Instant);

/// Sorts and merges overlapping or touching spans; drops empty ones (M1).
pub fn union(mut spans: Vec<Span>) -> Vec<Span> {
    union_in_place(&mut spans);
    spans
}

/// [`union`] in the vector it is given.
pub fn union_in_place(spans: &mut Vec<Span>) {
    spans.retain(|&(a, b)| a < b);
    if !spans.is_sorted() {
        // Stable for its run detection: a product's spans are a few sorted runs (one per
        // usage entry), merged in linear time; equal spans are identical, so the order is
        // the same as an unstable sort's.
        spans.sort();
    }
    let mut n = 0usize;
    for i in 0..spans.len() {
        let (a, b) = spans[i];
        match n.checked_sub(1).map(|l| &mut spans[l]) {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => {
                spans[n] = (a, b);
                n += 1;
            }
        }
    }
    spans.truncate(n);
}

/// `spans` minus `holes`; both sorted and merged. The result is sorted and merged.
pub fn subtract(spans: &[Span], holes: &[Span]) -> Vec<Span> {
    let mut out = Vec::with_capacity(spans.len());
    subtract_into(spans, holes, &mut out);
    out
}

/// [`subtract`] into `out` (cleared first).
pub fn subtract_into(spans: &[Span], holes: &[Span], out: &mut Vec<Span>) {
    out.clear();
    if holes.is_empty() {
        out.extend_from_slice(spans);
        return;
    }
    let mut h = 0;
    for &(a, b) in spans {
        let mut a = a;
        while h < holes.len() && holes[h].1 <= a {
            h += 1;
        }
        let mut k = h;
        while a < b {
            match holes.get(k) {
                Some(&(ha, hb)) if ha < b => {
                    if ha > a {
                        out.push((a, ha));
                    }
                    a = a.max(hb);
                    k += 1;
                }
                _ => {
                    out.push((a, b));
                    break;
                }
            }
        }
    }
}

/// The part of `[a, b)` inside `[lo, hi)`, if any.
pub fn clip((a, b): Span, lo: Instant, hi: Instant) -> Option<Span> {
    let (a, b) = (a.max(lo), b.min(hi));
    (a < b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_touching_and_overlapping() {
        assert_eq!(
            union(vec![(5, 7), (0, 2), (2, 3), (6, 9), (4, 4)]),
            vec![(0, 3), (5, 9)]
        );
    }

    #[test]
    fn subtract_cuts_holes() {
        let s = vec![(0, 10), (20, 30)];
        assert_eq!(
            subtract(&s, &[(2, 4), (8, 22), (25, 40)]),
            vec![(0, 2), (4, 8), (22, 25)]
        );
        assert_eq!(subtract(&s, &[(-5, 50)]), vec![]);
        assert_eq!(subtract(&s, &[(10, 20)]), s);
    }
}
