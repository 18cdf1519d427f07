//! A simulation: the meters of every user and product (M1–M5, phase A: their optimistic
//! plan) and one event-ordered pass with the ledger (phase B, `pass`).

mod meters;
mod pass;

use std::collections::HashMap;

use crate::engine::error::InputError;
use crate::engine::intervals::{subtract_into, union, union_in_place, union_len, Span};
use crate::engine::model::{Model, SubscriptionM, UsageM, UserM};
use crate::engine::patterns::{day_table, Expander};
use crate::engine::report::Report;
use crate::engine::scenario::Scenario;
use crate::engine::time::{add_days, add_months, midnight, DayTable, Instant};
use crate::engine::validate::validate;

use meters::Meters;

/// Reads scenario JSON, checks it and simulates it.
pub fn simulate_json(text: &str) -> Result<Report, InputError> {
    simulate(&Scenario::from_json(text)?)
}

/// Checks a scenario and simulates it.
pub fn simulate(scenario: &Scenario) -> Result<Report, InputError> {
    let report = run(&validate(scenario)?);
    if let Some(order) = &report.order {
        // A custom book of tiny packs, or (any book) results in huge quantities.
        let (path, what) = if scenario.price_book.is_some() {
            ("price_book.packs", "use larger packs")
        } else {
            (
                "users",
                "the usage and result quantities ask for more tokens than an order lists",
            )
        };
        order.too_large(path, what)?;
    }
    Ok(report)
}

/// What expanding one user after another needs: day tables per zone name (users mostly
/// share a zone), each product's rank in id order, and buffers reused between users.
pub struct Tables<'m> {
    model: &'m Model,
    by_zone: HashMap<String, DayTable>,
    rank: Vec<u32>,
    spans: Vec<Span>,
    /// Each usage entry's spans in `spans`, and whether they are their own union already.
    ranges: Vec<(usize, usize, bool)>,
    products: Vec<(u32, usize)>,
    merged: Vec<Span>,
    /// Sessions in order of start (`Expander::expand`).
    order: Vec<u64>,
}

impl<'m> Tables<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut order: Vec<usize> = (0..model.products.len()).collect();
        order.sort_by(|&a, &b| model.products[a].id.cmp(&model.products[b].id));
        let mut rank = vec![0u32; order.len()];
        for (r, &p) in order.iter().enumerate() {
            rank[p] = r as u32;
        }
        Tables {
            model,
            by_zone: HashMap::new(),
            rank,
            spans: Vec::new(),
            ranges: Vec::new(),
            products: Vec::new(),
            merged: Vec::new(),
            order: Vec::new(),
        }
    }

    pub fn get(&mut self, tz: &jiff::tz::TimeZone) -> &DayTable {
        let name = tz.iana_name().unwrap_or("");
        let model = self.model;
        if !self.by_zone.contains_key(name) {
            self.by_zone.insert(name.to_string(), day_table(model, tz));
        }
        &self.by_zone[name]
    }

    /// M1, M2, M5 for one user: calls `f(product, intervals)` for each product the user
    /// works with, in product id order, with its sorted, merged use intervals (a plug-in
    /// gets its host's), before subscriptions.
    pub fn each_product(&mut self, user: &UserM, mut f: impl FnMut(usize, &[Span])) {
        let model = self.model;
        self.get(&user.tz);
        let name = user.tz.iana_name().unwrap_or("");
        let days = &self.by_zone[name];
        let ex = Expander { model, days };
        self.spans.clear();
        self.ranges.clear();
        self.products.clear();
        for u in &user.usages {
            let a = self.spans.len();
            let ordered = ex.expand(u, &mut self.spans, &mut self.order);
            self.ranges.push((a, self.spans.len(), ordered));
            for &p in std::iter::once(&u.product).chain(&u.plugins) {
                self.products.push((self.rank[p], p));
            }
        }
        self.products.sort_unstable();
        self.products.dedup();
        for &(_, p) in &self.products {
            let uses = |u: &UsageM| u.product == p || u.plugins.contains(&p);
            let mut sources = user.usages.iter().enumerate().filter(|(_, u)| uses(u));
            let (Some((k, _)), None) = (sources.next(), sources.next()) else {
                self.merged.clear();
                for (u, &(a, b, _)) in user.usages.iter().zip(&self.ranges) {
                    if uses(u) {
                        self.merged.extend_from_slice(&self.spans[a..b]);
                    }
                }
                union_in_place(&mut self.merged);
                f(p, &self.merged);
                continue;
            };
            // One usage entry feeds the product (the common case): merged where it lies,
            // which leaves it valid for a plug-in that shares it (a union is idempotent).
            let (a, b, ordered) = self.ranges[k];
            let n = if ordered {
                debug_assert_eq!(union(self.spans[a..b].to_vec()), &self.spans[a..b]);
                b - a
            } else {
                union_len(&mut self.spans[a..b])
            };
            self.ranges[k] = (a, a + n, true);
            f(p, &self.spans[a..a + n]);
        }
    }
}

/// M1, M2, M5: use intervals per product of one user, before subscriptions; sorted by
/// product id.
pub fn use_by_product(tables: &mut Tables, user: &UserM) -> Vec<(usize, Vec<Span>)> {
    let mut out = Vec::new();
    tables.each_product(user, |p, spans| out.push((p, spans.to_vec())));
    out
}

/// M3: the instants a user's subscriptions cover product `p`, merged.
pub fn covered(model: &Model, user: &UserM, subs: &[SubscriptionM], p: usize) -> Vec<Span> {
    union(
        subs.iter()
            .filter(|s| model.offerings[s.offering].covers.contains(&p))
            .map(|s| {
                (
                    midnight(&user.tz, s.from),
                    midnight(&user.tz, add_days(s.to, 1)),
                )
            })
            .collect(),
    )
}

/// Simulates a checked model.
pub fn run(model: &Model) -> Report {
    let subs: Vec<&[SubscriptionM]> = model
        .users
        .iter()
        .map(|u| u.subscriptions.as_slice())
        .collect();
    run_with_subscriptions(model, &subs)
}

/// Users after which a big team's arena is sized for all (see `run_with_subscriptions`).
const ARENA_SAMPLE: usize = 256;

/// Simulates with each user's subscriptions replaced (the advisor's plans, B3).
pub fn run_with_subscriptions(model: &Model, subs: &[&[SubscriptionM]]) -> Report {
    let mut tables = Tables::new(model);
    let mut meters = Meters::new(model.start);
    let mut used_products: Vec<bool> = vec![false; model.products.len()];
    let mut cut: Vec<Span> = Vec::new();
    for (ui, user) in model.users.iter().enumerate() {
        // A big team's arena, sized once from its first users rather than grown by
        // doubling: each growth copies it into fresh pages.
        if ui == ARENA_SAMPLE && model.users.len() >= 4 * ARENA_SAMPLE {
            meters.reserve_like(ui, model.users.len());
        }
        tables.each_product(user, |p, spans| {
            used_products[p] = true;
            let spans = if subs[ui].is_empty() {
                spans
            } else {
                let cover = covered(model, user, subs[ui], p);
                subtract_into(spans, &cover, &mut cut);
                &cut
            };
            if !spans.is_empty() {
                meters.push(ui as u32, p as u32, model.products[p].tokens, spans);
            }
        });
    }
    pass::pass(model, meters, used_products)
}

/// The calendar months the period touches (`YYYY-MM` in the team's zone), each with the
/// instant it starts; the first starts with the period, and a last entry marks its end.
pub fn month_starts(model: &Model) -> Vec<(String, Instant)> {
    let key = |d: jiff::civil::Date| format!("{:04}-{:02}", d.year(), d.month());
    let mut out = vec![(key(model.start_date), model.start)];
    let mut d = model.start_date.first_of_month();
    loop {
        d = add_months(d, 1);
        if d >= model.end_date {
            break;
        }
        out.push((key(d), midnight(&model.tz, d)));
    }
    out.push((key(model.end_date), model.end));
    out
}
