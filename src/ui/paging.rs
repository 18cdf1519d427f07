//! Long lists (the team list, the per-user table) shown a page at a time, so the page's
//! size does not grow with the team: which rows a search keeps, in which order, and which
//! of them one page shows. Plain functions, tested natively; the components only hold the
//! search, the order and the page number. Every figure they order by is the engine's.

use std::cmp::Ordering;
use std::ops::Range;

use crate::engine::advise::sort::sort_by;
use crate::ui::slim::fold;

/// Users on one page of the team list.
pub const TEAM_PAGE: usize = 200;
/// Rows on one page of the per-user table.
pub const TABLE_PAGE: usize = 100;
/// A list longer than this gets its search and order (a short one reads at a glance).
pub const TOOLS_FROM: usize = 10;

/// What a list is ordered by.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum By {
    /// As the scenario lists the users.
    Entered,
    /// By name, "User 9" before "User 10".
    Name,
    /// By the engine's tokens for the user.
    Tokens,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Sort {
    pub by: By,
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort::new(By::Entered)
    }
}

impl Sort {
    /// `by` in its usual direction: names A to Z, most tokens first.
    pub fn new(by: By) -> Sort {
        Sort {
            by,
            desc: by == By::Tokens,
        }
    }

    /// A column header pressed: the other direction if the list is already by it.
    pub fn toggle(self, by: By) -> Sort {
        if self.by == by {
            Sort {
                by,
                desc: !self.desc,
            }
        } else {
            Sort::new(by)
        }
    }

    /// The `aria-sort` of a column header that sorts by `by`.
    pub fn aria(self, by: By) -> &'static str {
        match (self.by == by, self.desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }

    /// The name of the order in a `<select>`'s value.
    pub fn key(self) -> &'static str {
        match self.by {
            By::Entered => "entered",
            By::Name => "name",
            By::Tokens => "tokens",
        }
    }

    pub fn from_key(key: &str) -> Sort {
        Sort::new(match key {
            "name" => By::Name,
            "tokens" => By::Tokens,
            _ => By::Entered,
        })
    }
}

/// Whether the search `q` (already folded by [`fold`]; empty keeps everything) is in one
/// of `fields`, case aside.
pub fn matches<'a>(q: &str, fields: impl IntoIterator<Item = &'a str>) -> bool {
    q.is_empty() || fields.into_iter().any(|f| fold(f).contains(q))
}

/// Text order with runs of digits compared by value: "user 9" < "user 10" < "user 010b".
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let run = |s: &[u8], mut k: usize| {
                while k < s.len() && s[k] == b'0' {
                    k += 1;
                }
                let start = k;
                while k < s.len() && s[k].is_ascii_digit() {
                    k += 1;
                }
                (start, k)
            };
            let ((sa, ea), (sb, eb)) = (run(a, i), run(b, j));
            let o = (ea - sa)
                .cmp(&(eb - sb))
                .then_with(|| a[sa..ea].cmp(&b[sb..eb]));
            if o != Ordering::Equal {
                return o;
            }
            (i, j) = (ea, eb);
        } else {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

/// The rows `rows` (positions in the list) put in `sort`'s order; rows that tie keep the
/// order they came in. `name` and `tokens` read a row's name and the engine's tokens.
pub fn sorted(
    mut rows: Vec<usize>,
    sort: Sort,
    name: impl Fn(usize) -> String,
    tokens: impl Fn(usize) -> u64,
) -> Vec<usize> {
    let dir = |o: Ordering| if sort.desc { o.reverse() } else { o };
    match sort.by {
        By::Entered => {
            if sort.desc {
                rows.reverse();
            }
        }
        By::Name => {
            // Each name folded once, not at each comparison.
            let mut keyed: Vec<(String, usize)> =
                rows.iter().map(|&i| (fold(&name(i)), i)).collect();
            sort_by(&mut keyed, |a, b| dir(natural_cmp(&a.0, &b.0)));
            rows = keyed.into_iter().map(|k| k.1).collect();
        }
        By::Tokens => sort_by(&mut rows, |&a, &b| dir(tokens(a).cmp(&tokens(b)))),
    }
    rows
}

/// How many pages `total` rows take (one, empty, when there are none).
pub fn pages(total: usize, size: usize) -> usize {
    total.div_ceil(size.max(1)).max(1)
}

/// `page` kept within the pages there are (a search or a removal may leave fewer).
pub fn clamp(page: usize, total: usize, size: usize) -> usize {
    page.min(pages(total, size) - 1)
}

/// The positions in the ordered rows that page `page` shows.
pub fn window(total: usize, page: usize, size: usize) -> Range<usize> {
    let size = size.max(1);
    let start = clamp(page, total, size) * size;
    start.min(total)..(start + size).min(total)
}

/// The page that shows `item`, if the rows keep it.
pub fn page_of(rows: &[usize], item: usize, size: usize) -> Option<usize> {
    rows.iter()
        .position(|&r| r == item)
        .map(|p| p / size.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_windows_and_the_page_of_a_row() {
        assert_eq!(pages(0, 100), 1);
        assert_eq!(pages(100, 100), 1);
        assert_eq!(pages(101, 100), 2);
        assert_eq!(pages(10_000, 200), 50);
        assert_eq!(window(10_000, 0, 200), 0..200);
        assert_eq!(window(10_000, 49, 200), 9_800..10_000);
        // Past the end (rows removed, a narrower search): the last page.
        assert_eq!(window(250, 7, 100), 200..250);
        assert_eq!(window(0, 3, 100), 0..0);
        assert_eq!(clamp(7, 250, 100), 2);
        let rows: Vec<usize> = (0..10_000).rev().collect();
        assert_eq!(page_of(&rows, 9_999, 200), Some(0));
        assert_eq!(page_of(&rows, 0, 200), Some(49));
        assert_eq!(page_of(&rows[..10], 0, 200), None);
    }

    #[test]
    fn search_folds_case_and_looks_in_every_field() {
        let q = fold("USER 99");
        assert!(matches(&q, ["User 9999", "u9999"]));
        assert!(!matches(&q, ["User 98", "u98"]));
        assert!(matches(&fold("revit"), ["Ana", "ana", "Revit, AutoCAD"]));
        assert!(matches(&fold("élo"), ["Éloïse"]));
        assert!(matches("", []), "an empty search keeps every row");
    }

    #[test]
    fn names_order_digits_by_value_and_ties_keep_their_order() {
        assert_eq!(natural_cmp("user 9", "user 10"), Ordering::Less);
        assert_eq!(natural_cmp("user 10", "user 9"), Ordering::Greater);
        assert_eq!(natural_cmp("user 007", "user 7"), Ordering::Equal);
        assert_eq!(natural_cmp("a2b", "a2"), Ordering::Greater);
        assert_eq!(natural_cmp("ana", "ben"), Ordering::Less);
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
        let names = ["User 10", "ana", "User 9", "Ben", "user 9"];
        let by_name = sorted(
            (0..5).collect(),
            Sort::new(By::Name),
            |i| names[i].into(),
            |_| 0,
        );
        assert_eq!(by_name, vec![1, 3, 2, 4, 0], "folded, natural, stable");
        let desc = Sort::new(By::Name).toggle(By::Name);
        assert_eq!(
            sorted((0..5).collect(), desc, |i| names[i].into(), |_| 0),
            vec![0, 2, 4, 3, 1],
            "reversed, ties still in listing order"
        );
    }

    #[test]
    fn tokens_most_first_then_least_first_and_a_search_result_is_kept_as_is() {
        let tk = [5u64, 50, 5, 0, 7];
        let most = sorted(
            (0..5).collect(),
            Sort::new(By::Tokens),
            |_| String::new(),
            |i| tk[i],
        );
        assert_eq!(most, vec![1, 4, 0, 2, 3]);
        let least = Sort::new(By::Tokens).toggle(By::Tokens);
        assert_eq!(
            sorted((0..5).collect(), least, |_| String::new(), |i| tk[i]),
            vec![3, 0, 2, 4, 1]
        );
        assert_eq!(
            sorted(vec![4, 2, 0], Sort::default(), |_| String::new(), |i| tk[i]),
            vec![4, 2, 0]
        );
        // 10,000 rows sort quickly and every row stays.
        let big: Vec<u64> = (0..10_000u64).map(|i| (i * 7919) % 1000).collect();
        let out = sorted(
            (0..10_000).collect(),
            Sort::new(By::Tokens),
            |_| String::new(),
            |i| big[i],
        );
        assert_eq!(out.len(), 10_000);
        assert!(out.windows(2).all(|w| big[w[0]] >= big[w[1]]));
    }

    #[test]
    fn orders_read_back_from_their_keys_and_headers_say_their_direction() {
        for by in [By::Entered, By::Name, By::Tokens] {
            assert_eq!(Sort::from_key(Sort::new(by).key()), Sort::new(by));
        }
        assert_eq!(Sort::from_key("nonsense"), Sort::default());
        let s = Sort::new(By::Name);
        assert_eq!(s.aria(By::Name), "ascending");
        assert_eq!(s.aria(By::Tokens), "none");
        assert_eq!(s.toggle(By::Tokens).aria(By::Tokens), "descending");
    }
}
