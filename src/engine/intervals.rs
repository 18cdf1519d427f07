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
    let n = union_len(spans);
    spans.truncate(n);
}

/// [`union`] in the slice it is given: the union is left in `spans[..n]`; returns `n`.
pub fn union_len(spans: &mut [Span]) -> usize {
    // One pass while the spans come in order of start (one usage entry's days, the common
    // case): the merged prefix `spans[..n]` is the union of `spans[..i]`.
    let len = spans.len();
    let (mut n, mut i) = (0usize, 0usize);
    while i < len {
        let (a, b) = spans[i];
        if a < b {
            match n.checked_sub(1) {
                Some(l) if a < spans[l].0 => break,
                Some(l) if a <= spans[l].1 => spans[l].1 = spans[l].1.max(b),
                _ => {
                    spans[n] = (a, b);
                    n += 1;
                }
            }
        }
        i += 1;
    }
    if i == len {
        return n;
    }
    // Out of order: the merged prefix and the rest, sorted and merged again.
    spans.copy_within(i.., n);
    let rest = &mut spans[..n + len - i];
    // By start alone: the merge below takes the larger end whatever the order of spans
    // that start together.
    rest.sort_unstable_by_key(|s| s.0);
    let mut n = 0usize;
    for i in 0..rest.len() {
        let (a, b) = rest[i];
        if a >= b {
            continue;
        }
        match n.checked_sub(1).map(|l| &mut rest[l]) {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => {
                rest[n] = (a, b);
                n += 1;
            }
        }
    }
    n
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
    fn union_in_a_slice_handles_order_empties_and_late_disorder() {
        let cases: Vec<Vec<Span>> = vec![
            vec![],
            vec![(3, 3)],
            vec![(0, 2), (2, 5), (7, 9), (8, 8), (9, 12)],
            vec![(0, 10), (5, 6), (3, 4), (20, 30)],
            vec![(0, 2), (10, 12), (4, 6), (1, 5), (12, 12), (11, 20)],
            vec![(5, 6), (1, 1), (0, 1), (6, 7)],
        ];
        for spans in cases {
            // The reference: every covered unit point, regrouped.
            let mut points: Vec<i64> = spans.iter().flat_map(|&(a, b)| a..b).collect();
            points.sort();
            points.dedup();
            let mut want: Vec<Span> = Vec::new();
            for x in points {
                match want.last_mut() {
                    Some(l) if l.1 == x => l.1 = x + 1,
                    _ => want.push((x, x + 1)),
                }
            }
            let mut got = spans.clone();
            let n = union_len(&mut got);
            assert_eq!(&got[..n], &want[..], "{spans:?}");
        }
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
