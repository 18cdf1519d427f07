//! Ready-made usage patterns and team edits that keep ids unique. Pure functions over the
//! scenario format, so they are tested natively.

use crate::engine::scenario::{Dates, Monthly, Period, Scenario, Usage, User, Weekly};

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
                start: format!("{}T{from}", period.start),
                end: format!("{}T{to}", period.start),
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
    s.users.push(User {
        id,
        name: Some(format!("{name} {n}")),
        timezone: None,
        subscriptions: Vec::new(),
        usage: vec![template.usage(product)],
        results: Vec::new(),
    });
    s.users.len() - 1
}

/// Inserts `count` copies of user `i` after it ("add 5 users like this"), with fresh ids
/// and numbered names.
pub fn duplicate_user(s: &mut Scenario, i: usize, count: usize) {
    let Some(src) = s.users.get(i).cloned() else {
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
        s.users.insert(i + 1 + k, u);
    }
}

/// A new team: three users showing the three common patterns.
pub fn starter(timezone: &str, currency: &str, names: [&str; 3]) -> Scenario {
    let user = |id: &str, name: &str, usage: Vec<Usage>| User {
        id: id.into(),
        name: Some(name.into()),
        timezone: None,
        subscriptions: Vec::new(),
        usage,
        results: Vec::new(),
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
}
