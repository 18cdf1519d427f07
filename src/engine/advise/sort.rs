//! One sort for the engine's short lists (the advisor's groups and moves, a report's marks
//! and purchases, a pattern's dates). Each `slice::sort*` call site brings its own copy of
//! std's sort, a few KB each in the wasm bundle; these functions share one stable merge sort
//! of positions, so a call site adds only its comparison.
//!
//! The order is std's whenever std's is determined: `sort_by` and `sort_by_key` are stable
//! like `slice::sort_by` and `slice::sort_by_key`; `sort` also stands in for
//! `sort_unstable` where equal elements are indistinguishable (integers, dates, strings,
//! tuples of them). Not for an unstable sort by a key that leaves ties between different
//! elements: there std's order among them is its own.

use std::cmp::Ordering;

/// Stable sort by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let v = &*v;
        merge_sort(&mut order, &mut |a, b| {
            cmp(&v[a], &v[b]) == Ordering::Greater
        });
    }
    permute(&mut order, &mut |i, j| v.swap(i, j));
}

/// Stable sort by key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Ascending, like `slice::sort` (and `sort_unstable` on plain values).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp)
}

/// Stable bottom-up merge sort of positions; `after(a, b)`: the element at `a` goes after
/// the one at `b`. Runs of 8 are first put in order by insertion.
#[inline(never)]
fn merge_sort(p: &mut [usize], after: &mut dyn FnMut(usize, usize) -> bool) {
    const RUN: usize = 8;
    let n = p.len();
    for run in p.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && after(run[j - 1], run[j]) {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut buf = vec![0usize; n];
    let mut width = RUN;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                // Ties take the left run first: stable.
                if after(p[i], p[j]) {
                    buf[k] = p[j];
                    j += 1;
                } else {
                    buf[k] = p[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&p[i..mid]);
            k += mid - i;
            buf[k..k + hi - j].copy_from_slice(&p[j..hi]);
            lo = hi;
        }
        p.copy_from_slice(&buf);
        width *= 2;
    }
}

/// Puts at each position k the element that was at `order[k]`, by swaps along the
/// permutation's cycles; `order` is used up.
#[inline(never)]
fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut cur = start;
        while order[cur] != usize::MAX {
            let from = order[cur];
            order[cur] = usize::MAX;
            if from == start {
                break;
            }
            swap(cur, from);
            cur = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no crate.
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    #[allow(clippy::unnecessary_sort_by)] // std's `sort_by` itself is what is compared
    fn orders_like_std_stable_sorts() {
        for (seed, n) in (1..400u64).map(|s| (s, (s as usize * 7) % 131)) {
            for modulo in [2, 5, 1000, u64::MAX] {
                let keys = numbers(seed, n, modulo);
                // Pairs (key, original position): stability shows in the second field.
                let v: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                let mut a = v.clone();
                let mut b = v.clone();
                sort_by_key(&mut a, |x| x.0);
                b.sort_by_key(|x| x.0);
                assert_eq!(a, b, "seed {seed} n {n} modulo {modulo}");
                let mut a = v.clone();
                let mut b = v.clone();
                sort_by(&mut a, |x, y| y.0.cmp(&x.0));
                b.sort_by(|x, y| y.0.cmp(&x.0));
                assert_eq!(a, b);
                let mut a = keys.clone();
                let mut b = keys.clone();
                sort(&mut a);
                b.sort_unstable();
                assert_eq!(a, b);
            }
        }
        let mut s = vec!["b".to_string(), "a".into(), "c".into(), "a".into()];
        sort(&mut s);
        assert_eq!(s, ["a", "a", "b", "c"]);
    }
}
