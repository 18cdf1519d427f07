//! Small stand-ins for two std conveniences whose code is large in the wasm bundle, with
//! the same results on what the UI hands them:
//! - `str::to_lowercase` brings the whole Unicode case table (about 8 KB gzipped);
//! - every `sort`/`sort_by_key` call site brings its own copy of std's sort (a few KB
//!   each), where the UI only ever keeps a short list in order after one change;
//! - float formatting (`{:.2}`) brings a float printer, where a chart only needs a number
//!   with one or two decimals.

/// Lower case for the product search: ASCII and Latin-1 letters, the letters product
/// names and ids are written in; every other character is kept as typed. Same as
/// `to_lowercase` for every character up to U+00FF (a test checks them all).
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => {
                char::from_u32(c as u32 + 32).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Stable insertion sort by key: the same order as `sort_by_key`, in one small function.
/// Quadratic only on a list out of order; the UI's lists (a user's days, months, dates)
/// are short and already in order but for the one element just added.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Stable insertion sort: the same order as `sort` (and, the elements being plain
/// values, as `sort_unstable`).
pub fn sort<T: Ord>(v: &mut [T]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// `v` rounded to `places` decimals (half away from zero) and written with exactly that
/// many, from integers.
pub fn fixed(v: f64, places: u32) -> String {
    let scale = 10u64.pow(places);
    let t = (v * scale as f64).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    format!("{sign}{}.{:0w$}", a / scale, a % scale, w = places as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_is_to_lowercase_up_to_latin_1() {
        for c in (0u32..=0xff).filter_map(char::from_u32) {
            assert_eq!(fold(&c.to_string()), c.to_lowercase().to_string(), "{c:?}");
        }
        assert_eq!(fold("AutoCAD Ça ÉTÉ"), "autocad ça été");
        assert_eq!(fold("日本語 Ωmega"), "日本語 Ωmega");
    }

    #[test]
    fn the_sorts_order_like_std() {
        // A small deterministic generator: many short lists, with repeats.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..500 {
            let n = (next() % 20) as usize;
            let v: Vec<(u32, u32)> = (0..n).map(|i| ((next() % 6) as u32, i as u32)).collect();
            let mut a = v.clone();
            let mut b = v.clone();
            sort_by_key(&mut a, |p| p.0);
            b.sort_by_key(|p| p.0);
            assert_eq!(a, b, "stable by key");
            let mut c: Vec<String> = v
                .iter()
                .map(|p| format!("2027-0{}-1{}", p.0, p.1 % 3))
                .collect();
            let mut d = c.clone();
            sort(&mut c);
            d.sort();
            assert_eq!(c, d);
        }
    }

    #[test]
    fn fixed_rounds_ties_away_from_zero_and_otherwise_writes_what_float_formatting_does() {
        assert_eq!(fixed(7.5149, 2), "7.51");
        assert_eq!(fixed(0.04, 1), "0.0");
        assert_eq!(fixed(-0.25, 1), "-0.3");
        assert_eq!(fixed(-3.0, 2), "-3.00");
        assert_eq!(fixed(240.0, 1), "240.0");
        for v in [0.0, 1.25, 12.345, 99.999, 560.0, 2.71] {
            assert_eq!(fixed(v, 2), format!("{v:.2}"), "{v}");
        }
    }
}
