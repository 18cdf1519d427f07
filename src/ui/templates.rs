//! Ready-made usage patterns and team edits that keep ids unique. Pure functions over the
//! scenario format, so they are tested natively.

use std::sync::Arc;

use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use crate::engine::catalog::Catalog;
use crate::engine::scenario::{
    stamp, Dates, Monthly, Period, Scenario, Session, Stamp, Usage, User, Weekly,
};
use crate::engine::time::{format_date, instant, parse_datetime};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Template {
    /// 3 working days a month.
    Occasional,
    /// Two days a week.
    PartTime,
    /// Monday to Friday.
    FullTime,
    /// Monday to Friday in three peak months.
    Seasonal,
}

pub const TEMPLATES: [Template; 4] = [
    Template::Occasional,
    Template::PartTime,
    Template::FullTime,
    Template::Seasonal,
];

impl Template {
    pub fn key(self) -> &'static str {
        match self {
            Template::Occasional => "tpl.occasional",
            Template::PartTime => "tpl.parttime",
            Template::FullTime => "tpl.fulltime",
            Template::Seasonal => "tpl.seasonal",
        }
    }

    pub fn usage(self, product: &str) -> Usage {
        let weekdays = |d: &[&str]| Weekly {
            days: d.iter().map(|s| s.to_string()).collect(),
            from: "09:00".into(),
            to: "17:30".into(),
        };
        let mut u = Usage {
            product: product.to_string(),
            ..Usage::default()
        };
        match self {
            Template::Occasional => {
                u.monthly = Some(Monthly {
                    days: 3,
                    from: "09:00".into(),
                    to: "17:00".into(),
                })
            }
            Template::PartTime => u.weekly = Some(weekdays(&["tue", "thu"])),
            Template::FullTime => u.weekly = Some(weekdays(&["mon", "tue", "wed", "thu", "fri"])),
            Template::Seasonal => {
                u.weekly = Some(weekdays(&["mon", "tue", "wed", "thu", "fri"]));
                u.months = Some(vec![3, 4, 5]);
            }
        }
        u
    }
}

/// Which of the four patterns a usage holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PatternKind {
    Weekly,
    Monthly,
    Dates,
    Sessions,
}

pub fn kind_of(u: &Usage) -> PatternKind {
    if u.monthly.is_some() {
        PatternKind::Monthly
    } else if u.dates.is_some() {
        PatternKind::Dates
    } else if u.sessions.is_some() {
        PatternKind::Sessions
    } else {
        PatternKind::Weekly
    }
}

/// Switches a usage to another pattern, keeping its hours where the new one has hours.
pub fn set_kind(u: &mut Usage, kind: PatternKind, period: &Period) {
    if kind_of(u) == kind && (u.weekly.is_some() || kind != PatternKind::Weekly) {
        return;
    }
    let (from, to) = hours(u).unwrap_or(("09:00".into(), "17:00".into()));
    u.weekly = None;
    u.monthly = None;
    u.dates = None;
    u.sessions = None;
    match kind {
        PatternKind::Weekly => {
            u.weekly = Some(Weekly {
                days: vec!["mon".into(), "wed".into()],
                from,
                to,
            })
        }
        PatternKind::Monthly => u.monthly = Some(Monthly { days: 4, from, to }),
        PatternKind::Dates => {
            u.dates = Some(Dates {
                dates: vec![period.start.clone()],
                from,
                to,
            })
        }
        PatternKind::Sessions => {
            u.sessions = Some(vec![crate::engine::scenario::Session {
                start: stamp(format!("{}T{from}", period.start)),
                end: stamp(format!("{}T{to}", period.start)),
                inactive: None,
            }])
        }
    }
}

pub fn hours(u: &Usage) -> Option<(String, String)> {
    if let Some(w) = &u.weekly {
        return Some((w.from.clone(), w.to.clone()));
    }
    if let Some(m) = &u.monthly {
        return Some((m.from.clone(), m.to.clone()));
    }
    if let Some(d) = &u.dates {
        return Some((d.from.clone(), d.to.clone()));
    }
    None
}

pub fn set_hours(u: &mut Usage, from: Option<String>, to: Option<String>) {
    let apply = |f: &mut String, t: &mut String| {
        if let Some(x) = &from {
            *f = x.clone();
        }
        if let Some(x) = &to {
            *t = x.clone();
        }
    };
    if let Some(w) = &mut u.weekly {
        apply(&mut w.from, &mut w.to);
    } else if let Some(m) = &mut u.monthly {
        apply(&mut m.from, &mut m.to);
    } else if let Some(d) = &mut u.dates {
        apply(&mut d.from, &mut d.to);
    }
}

/// `YYYY-MM-DDTHH:MM` of a count of seconds read as local time (seconds dropped).
fn local(secs: i64) -> String {
    let Ok(ts) = Timestamp::from_second(secs) else {
        return String::new();
    };
    let dt = Offset::UTC.to_datetime(ts);
    let mut s = format_date(dt.date());
    for (sep, v) in [('T', dt.hour()), (':', dt.minute())] {
        s.push(sep);
        if v < 10 {
            s.push('0');
        }
        s.push_str(&v.to_string());
    }
    s
}

/// A local date-time as a count of seconds (the engine's instants, read in UTC), so
/// stretches are placed with plain integer arithmetic.
fn secs(s: &str) -> Option<i64> {
    parse_datetime(s).map(|d| instant(&TimeZone::UTC, d))
}

/// Appends an idle stretch to a session: an hour (cut at the session's end) from the
/// end of its last stretch, else from the session's middle. A session whose times do
/// not read yet gets a stretch as long as itself, to be corrected by the user.
pub fn add_stretch(s: &mut Session) {
    let stretch = match (secs(&s.start), secs(&s.end)) {
        (Some(a), Some(b)) if b > a => {
            let last = s
                .inactive
                .as_ref()
                .and_then(|v| v.last())
                .and_then(|x| secs(&x[1]))
                .filter(|t| *t >= a && *t < b);
            let from = last.unwrap_or(a + (b - a) / 2);
            [stamp(local(from)), stamp(local((from + 3600).min(b)))]
        }
        _ => [s.start.clone(), s.end.clone()],
    };
    s.inactive.get_or_insert_with(Vec::new).push(stretch);
}

/// Removes idle stretch `n`; the last one removed leaves no `inactive` field at all.
pub fn remove_stretch(s: &mut Session, n: usize) {
    if let Some(v) = &mut s.inactive {
        if n < v.len() {
            v.remove(n);
        }
        if v.is_empty() {
            s.inactive = None;
        }
    }
}

/// Sets the start (`end` false) or the end of idle stretch `n` as typed.
pub fn set_stretch(s: &mut Session, n: usize, end: bool, value: &str) {
    if let Some(x) = s.inactive.as_mut().and_then(|v| v.get_mut(n)) {
        x[usize::from(end)] = stamp(value.get(..16).unwrap_or(value));
    }
}

/// What is wrong with an idle stretch of a session, for the message beside the field.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StretchIssue {
    /// Not a local date-time `YYYY-MM-DDTHH:MM`.
    Format,
    /// The end is not after the start.
    Order,
    /// Outside its session (the engine measures it, but only the part inside counts).
    Outside,
}

/// The first problem of `stretch` in `session`, with the end it is about (false: the
/// start, true: the end).
pub fn stretch_issue(session: &Session, stretch: &[Stamp; 2]) -> Option<(bool, StretchIssue)> {
    let Some(a) = parse_datetime(&stretch[0]) else {
        return Some((false, StretchIssue::Format));
    };
    let Some(b) = parse_datetime(&stretch[1]) else {
        return Some((true, StretchIssue::Format));
    };
    if b <= a {
        return Some((true, StretchIssue::Order));
    }
    let (Some(ss), Some(se)) = (parse_datetime(&session.start), parse_datetime(&session.end))
    else {
        return None;
    };
    if a < ss || a >= se {
        Some((false, StretchIssue::Outside))
    } else if b > se {
        Some((true, StretchIssue::Outside))
    } else {
        None
    }
}

/// The products a usage may load as plug-ins: any product the engine knows but the host
/// and those already listed (the rate data marks none as a plug-in: M5 meters a plug-in
/// as its own product). The scenario's own products first, with their daily rates.
pub fn plugin_choices(s: &Scenario, u: &Usage) -> Vec<(String, u64)> {
    let listed = |id: &str| id == u.product || u.plugins.iter().flatten().any(|p| p == id);
    let own = s.catalog.iter().flat_map(|c| c.products.iter());
    own.map(|p| (p.id.clone(), p.tokens_per_day))
        .chain(
            Catalog::builtin()
                .products
                .iter()
                .map(|p| (p.id.clone(), p.tokens_per_day)),
        )
        .filter(|(id, _)| !listed(id))
        .collect()
}

/// Lists a plug-in on a usage (once, never the host itself).
pub fn add_plugin(u: &mut Usage, id: &str) {
    if id.is_empty() || id == u.product || u.plugins.iter().flatten().any(|p| p == id) {
        return;
    }
    u.plugins.get_or_insert_with(Vec::new).push(id.to_string());
}

/// Removes plug-in `n`; the last one removed leaves no `plugins` field at all.
pub fn remove_plugin(u: &mut Usage, n: usize) {
    if let Some(v) = &mut u.plugins {
        if n < v.len() {
            v.remove(n);
        }
        if v.is_empty() {
            u.plugins = None;
        }
    }
}

/// An id not yet used by any user: `base`, else `base-2`, `base-3`, …
pub fn free_user_id(s: &Scenario, base: &str) -> String {
    let base = if base.trim().is_empty() { "user" } else { base };
    let taken = |id: &str| s.users.iter().any(|u| u.id == id);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// Appends a user whose name is `name` + a number, using `product` with `template`.
pub fn add_user(s: &mut Scenario, name: &str, product: &str, template: Template) -> usize {
    let n = (1..)
        .find(|n| !s.users.iter().any(|u| u.id == format!("user-{n}")))
        .unwrap_or(1);
    let id = free_user_id(s, &format!("user-{n}"));
    s.users.push(Arc::new(User {
        id,
        name: Some(format!("{name} {n}")),
        timezone: None,
        subscriptions: Vec::new(),
        usage: vec![template.usage(product)],
        results: Vec::new(),
    }));
    s.users.len() - 1
}

/// Inserts `count` copies of user `i` after it ("add 5 users like this"), with fresh ids
/// and numbered names.
pub fn duplicate_user(s: &mut Scenario, i: usize, count: usize) {
    let Some(src) = s.users.get(i).map(|u| User::clone(u)) else {
        return;
    };
    let base_name = src.name.clone().unwrap_or_else(|| src.id.clone());
    for k in 0..count {
        let mut u = src.clone();
        u.id = free_user_id(s, &src.id);
        let n = s
            .users
            .iter()
            .filter(|x| {
                x.name
                    .as_deref()
                    .is_some_and(|nm| nm.starts_with(&base_name))
            })
            .count()
            + 1;
        u.name = Some(format!("{base_name} ({n})"));
        s.users.insert(i + 1 + k, Arc::new(u));
    }
}

/// A new team: three users showing the three common patterns.
pub fn starter(timezone: &str, currency: &str, names: [&str; 3]) -> Scenario {
    let user = |id: &str, name: &str, usage: Vec<Usage>| {
        Arc::new(User {
            id: id.into(),
            name: Some(name.into()),
            timezone: None,
            subscriptions: Vec::new(),
            usage,
            results: Vec::new(),
        })
    };
    Scenario {
        flexcalc: 1,
        name: None,
        currency: currency.into(),
        timezone: timezone.into(),
        period: Period {
            start: "2027-01-01".into(),
            months: 12,
        },
        packs: None,
        low_balance_percent: None,
        offerings: Vec::new(),
        catalog: None,
        price_book: None,
        users: vec![
            user(
                "ana",
                names[0],
                vec![
                    Template::FullTime.usage("revit"),
                    Template::Occasional.usage("autocad"),
                ],
            ),
            user("ben", names[1], vec![Template::Occasional.usage("autocad")]),
            user(
                "chloe",
                names[2],
                vec![Template::Seasonal.usage("navisworks")],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate::simulate;

    #[test]
    fn templates_are_valid_scenarios_with_the_expected_tokens() {
        let s = starter("Europe/Paris", "EUR", ["Ana", "Ben", "Chloé"]);
        let r = simulate(&s).expect("the starter team is valid");
        // Ana: 261 weekdays of Revit (10) + 36 days of AutoCAD (7); Ben 36 × 7;
        // Chloé: the weekdays of March–May 2027 (23 + 22 + 21 = 66) × 9.
        assert_eq!(r.totals.by_user, vec![2610 + 252, 252, 594]);
    }

    #[test]
    fn duplicates_get_fresh_ids_and_numbered_names() {
        let mut s = starter("UTC", "EUR", ["Ana", "Ben", "Chloé"]);
        duplicate_user(&mut s, 1, 3);
        let ids: Vec<&str> = s.users.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["ana", "ben", "ben-2", "ben-3", "ben-4", "chloe"]);
        assert_eq!(s.users[2].name.as_deref(), Some("Ben (2)"));
        assert_eq!(s.users[4].name.as_deref(), Some("Ben (4)"));
        assert!(simulate(&s).is_ok());
        let i = add_user(&mut s, "User", "maya", Template::PartTime);
        assert_eq!(s.users[i].id, "user-1");
        assert_eq!(
            s.users[i].usage[0].weekly.as_ref().unwrap().days,
            ["tue", "thu"]
        );
    }

    #[test]
    fn switching_pattern_keeps_hours() {
        let p = Period {
            start: "2027-01-01".into(),
            months: 12,
        };
        let mut u = Template::FullTime.usage("revit");
        set_kind(&mut u, PatternKind::Dates, &p);
        assert_eq!(kind_of(&u), PatternKind::Dates);
        assert_eq!(hours(&u), Some(("09:00".into(), "17:30".into())));
        assert!(u.weekly.is_none());
        set_kind(&mut u, PatternKind::Sessions, &p);
        assert_eq!(u.sessions.as_ref().unwrap()[0].start, "2027-01-01T09:00");
    }

    fn session(start: &str, end: &str) -> Session {
        Session {
            start: start.into(),
            end: end.into(),
            inactive: None,
        }
    }

    #[test]
    fn idle_stretches_are_added_inside_their_session_and_removed_cleanly() {
        let mut s = session("2027-01-04T09:00", "2027-01-04T17:00");
        add_stretch(&mut s);
        add_stretch(&mut s);
        let v = s.inactive.clone().unwrap();
        assert_eq!(v[0], ["2027-01-04T13:00", "2027-01-04T14:00"]);
        assert_eq!(v[1], ["2027-01-04T14:00", "2027-01-04T15:00"]);
        // Cut at the session's end; seconds never written.
        let mut short = session("2027-01-04T09:00", "2027-01-04T09:21");
        add_stretch(&mut short);
        assert_eq!(
            short.inactive.as_ref().unwrap()[0],
            ["2027-01-04T09:10", "2027-01-04T09:21"]
        );
        set_stretch(&mut s, 1, true, "2027-01-04T16:30:00");
        assert_eq!(s.inactive.as_ref().unwrap()[1][1], "2027-01-04T16:30");
        remove_stretch(&mut s, 0);
        remove_stretch(&mut s, 5);
        assert_eq!(s.inactive.as_ref().unwrap().len(), 1);
        remove_stretch(&mut s, 0);
        assert_eq!(s.inactive, None, "no empty list left in the JSON");
        // A session that does not read yet: the stretch copies it for the user to fix.
        let mut bad = session("", "2027-01-04T17:00");
        add_stretch(&mut bad);
        assert_eq!(bad.inactive.unwrap()[0], ["", "2027-01-04T17:00"]);
    }

    #[test]
    fn stretch_issues_name_the_end_at_fault() {
        let s = session("2027-01-04T09:00", "2027-01-04T17:00");
        let check = |a: &str, b: &str| stretch_issue(&s, &[stamp(a), stamp(b)]);
        assert_eq!(check("2027-01-04T12:00", "2027-01-04T13:00"), None);
        assert_eq!(check("2027-01-04T09:00", "2027-01-04T17:00"), None);
        assert_eq!(
            check("2027-01-04 12:00", "2027-01-04T13:00"),
            Some((false, StretchIssue::Format))
        );
        assert_eq!(
            check("2027-01-04T12:00", ""),
            Some((true, StretchIssue::Format))
        );
        assert_eq!(
            check("2027-01-04T12:00", "2027-01-04T12:00"),
            Some((true, StretchIssue::Order))
        );
        assert_eq!(
            check("2027-01-04T08:00", "2027-01-04T10:00"),
            Some((false, StretchIssue::Outside))
        );
        assert_eq!(
            check("2027-01-04T17:00", "2027-01-04T18:00"),
            Some((false, StretchIssue::Outside))
        );
        assert_eq!(
            check("2027-01-04T16:00", "2027-01-04T17:01"),
            Some((true, StretchIssue::Outside))
        );
    }

    #[test]
    fn plugins_are_any_other_product_once() {
        let mut s = starter("UTC", "EUR", ["Ana", "Ben", "Chloé"]);
        s.catalog = Some(crate::engine::scenario::CustomCatalog {
            products: vec![crate::engine::scenario::CustomProduct {
                id: "myplugin".into(),
                name: Some("A plug-in".into()),
                tokens_per_day: 2,
            }],
            services: Vec::new(),
        });
        let mut u = s.users[1].usage[0].clone();
        let all = plugin_choices(&s, &u);
        assert_eq!(
            all[0],
            ("myplugin".to_string(), 2),
            "the scenario's own first"
        );
        assert!(!all.iter().any(|(id, _)| id == "autocad"), "never the host");
        assert!(all.contains(&("recap-pro".to_string(), 1)));
        add_plugin(&mut u, "myplugin");
        add_plugin(&mut u, "myplugin");
        add_plugin(&mut u, "autocad");
        add_plugin(&mut u, "");
        add_plugin(&mut u, "recap-pro");
        assert_eq!(u.plugins.as_deref().unwrap(), ["myplugin", "recap-pro"]);
        assert_eq!(plugin_choices(&s, &u).len(), all.len() - 2);
        // The engine charges each plug-in its own rate on the host's days (36 × (2 + 1)).
        let before = simulate(&s).unwrap().totals.by_user[1];
        s.user_mut(1).unwrap().usage[0] = u.clone();
        assert_eq!(simulate(&s).unwrap().totals.by_user[1], before + 36 * 3);
        remove_plugin(&mut u, 0);
        remove_plugin(&mut u, 0);
        assert_eq!(u.plugins, None, "no empty list left in the JSON");
    }
}
