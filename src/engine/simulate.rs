//! The one event-ordered pass that joins the meters (M1–M7) and the ledger (L1–L6).
//!
//! Events at one instant apply in the order of L6: expiries, purchases, daily charges
//! (users in listing order, then product id), result charges (users in listing order,
//! then listing order).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use crate::engine::error::InputError;
use crate::engine::intervals::{subtract, union, Span};
use crate::engine::ledger::{Draw, Ledger};
use crate::engine::meter::Meter;
use crate::engine::model::{Model, SubscriptionM, UserM};
use crate::engine::patterns::{day_table, Expander};
use crate::engine::price::cheapest_order;
use crate::engine::report::*;
use crate::engine::scenario::Scenario;
use crate::engine::time::{add_days, add_months, midnight, DayTable, Instant};
use crate::engine::validate::validate;

/// Reads scenario JSON, checks it and simulates it.
pub fn simulate_json(text: &str) -> Result<Report, InputError> {
    simulate(&Scenario::from_json(text)?)
}

/// Checks a scenario and simulates it.
pub fn simulate(scenario: &Scenario) -> Result<Report, InputError> {
    let report = run(&validate(scenario)?);
    if let Some(order) = &report.order {
        let path = if scenario.price_book.is_some() {
            "price_book.packs"
        } else {
            ""
        };
        order.too_large(path)?;
    }
    Ok(report)
}

/// One user's meters, sorted by product id (the L6 tie order).
struct UserMeters {
    meters: Vec<(usize, Meter)>,
}

/// Day tables per zone name: users mostly share a zone.
pub struct Tables<'m> {
    model: &'m Model,
    by_zone: HashMap<String, DayTable>,
}

impl<'m> Tables<'m> {
    pub fn new(model: &'m Model) -> Self {
        Tables {
            model,
            by_zone: HashMap::new(),
        }
    }

    pub fn get(&mut self, tz: &jiff::tz::TimeZone) -> &DayTable {
        let key = tz.iana_name().unwrap_or("").to_string();
        let model = self.model;
        self.by_zone
            .entry(key)
            .or_insert_with(|| day_table(model, tz))
    }
}

/// M1, M2, M5: use intervals per product of one user, before subscriptions; sorted by
/// product id.
pub fn use_by_product(model: &Model, tables: &mut Tables, user: &UserM) -> Vec<(usize, Vec<Span>)> {
    let days = tables.get(&user.tz);
    let ex = Expander { model, days };
    let mut by: BTreeMap<&str, (usize, Vec<Span>)> = BTreeMap::new();
    let mut spans = Vec::new();
    for u in &user.usages {
        spans.clear();
        ex.expand(u, &mut spans);
        for &p in std::iter::once(&u.product).chain(&u.plugins) {
            by.entry(model.products[p].id.as_str())
                .or_insert_with(|| (p, Vec::new()))
                .1
                .extend_from_slice(&spans);
        }
    }
    by.into_values().map(|(p, s)| (p, union(s))).collect()
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

const EXPIRY: u8 = 0;
const PURCHASE: u8 = 1;
const DAILY: u8 = 2;
const RESULT: u8 = 3;

/// Simulates a checked model.
pub fn run(model: &Model) -> Report {
    let subs: Vec<&[SubscriptionM]> = model
        .users
        .iter()
        .map(|u| u.subscriptions.as_slice())
        .collect();
    run_with_subscriptions(model, &subs)
}

/// Simulates with each user's subscriptions replaced (the advisor's plans, B3).
pub fn run_with_subscriptions(model: &Model, subs: &[&[SubscriptionM]]) -> Report {
    let mut tables = Tables::new(model);
    let mut users: Vec<UserMeters> = Vec::with_capacity(model.users.len());
    let mut used_products: Vec<bool> = vec![false; model.products.len()];
    for (ui, user) in model.users.iter().enumerate() {
        let mut meters = Vec::new();
        for (p, spans) in use_by_product(model, &mut tables, user) {
            used_products[p] = true;
            let cover = covered(model, user, subs[ui], p);
            let spans = subtract(&spans, &cover);
            if !spans.is_empty() {
                meters.push((p, Meter::new(spans)));
            }
        }
        users.push(UserMeters { meters });
    }
    simulate_meters(model, users, used_products)
}

fn simulate_meters(model: &Model, mut users: Vec<UserMeters>, used_products: Vec<bool>) -> Report {
    let mut heap: BinaryHeap<Reverse<(Instant, u8, u32, u32)>> = BinaryHeap::new();
    let empty = Vec::new();
    let packs = model.packs.as_ref().unwrap_or(&empty);
    let mut ledger = model
        .packs
        .as_ref()
        .map(|p| Ledger::new(p, model.low_balance_percent));
    for (i, p) in packs.iter().enumerate() {
        if p.usable_from < model.end {
            heap.push(Reverse((p.usable_from, PURCHASE, i as u32, 0)));
        }
        if p.expires < model.end {
            heap.push(Reverse((p.expires, EXPIRY, i as u32, 0)));
        }
    }
    let mut used_services = vec![false; model.services.len()];
    for (ui, user) in model.users.iter().enumerate() {
        for (k, r) in user.results.iter().enumerate() {
            used_services[r.service] = true;
            if r.at >= model.start && r.at < model.end {
                heap.push(Reverse((r.at, RESULT, ui as u32, k as u32)));
            }
        }
        for (k, (_, m)) in users[ui].meters.iter_mut().enumerate() {
            if let Some(t) = m.due() {
                heap.push(Reverse((t, DAILY, ui as u32, k as u32)));
            }
        }
    }

    let mut charges = Vec::new();
    let mut denials = Vec::new();
    let mut expirations = Vec::new();
    let mut alerts = Vec::new();
    while let Some(Reverse((t, class, a, b))) = heap.pop() {
        let (ui, k) = (a as usize, b as usize);
        match class {
            EXPIRY => {
                if let Some(l) = ledger.as_mut() {
                    let lost = l.expire(ui);
                    if lost > 0 {
                        expirations.push(Expiration {
                            pack: a,
                            at: t,
                            tokens: lost,
                        });
                    }
                }
            }
            PURCHASE => {
                if let Some(l) = ledger.as_mut() {
                    l.purchase(ui);
                }
            }
            _ => {
                let (item, tokens) = if class == DAILY {
                    let p = users[ui].meters[k].0;
                    (Item::Product(p as u32), model.products[p].tokens)
                } else {
                    let r = &model.users[ui].results[k];
                    (
                        Item::Service(r.service as u32),
                        model.services[r.service].tokens * r.quantity,
                    )
                };
                let charge = Charge {
                    user: a,
                    item,
                    at: t,
                    tokens,
                };
                let outcome = match ledger.as_mut() {
                    Some(l) => l.draw(t, tokens),
                    None => Draw::Charged { alert: false },
                };
                let ok = match outcome {
                    Draw::Charged { alert } => {
                        charges.push(charge);
                        if alert {
                            let balance = ledger.as_ref().map_or(0, |l| l.balance);
                            alerts.push(Alert { at: t, balance });
                        }
                        true
                    }
                    Draw::Denied { balance } => {
                        denials.push(Denial { charge, balance });
                        false
                    }
                };
                if class == DAILY {
                    let m = &mut users[ui].meters[k].1;
                    if ok {
                        m.charged(t);
                    } else {
                        m.denied();
                    }
                    if let Some(next) = m.due() {
                        heap.push(Reverse((next, DAILY, a, b)));
                    }
                }
            }
        }
    }

    let pack_reports = match &ledger {
        None => Vec::new(),
        Some(l) => packs
            .iter()
            .zip(&l.state)
            .map(|(p, s)| PackReport {
                id: p.id.clone(),
                tokens: p.tokens,
                used: s.used,
                expired: s.expired,
                remaining: s.remaining(p),
                expires: p.expires_date,
                returnable: s.first_draw.is_none_or(|t| t >= p.return_deadline),
            })
            .collect(),
    };
    let totals = totals(model, &charges, &used_products, &used_services);
    // §7: the order is written when the scenario has no packs: none listed, or no field.
    let order = packs
        .is_empty()
        .then(|| cheapest_order(&model.book, totals.tokens));
    Report {
        user_ids: model.users.iter().map(|u| u.id.clone()).collect(),
        user_tz: model.users.iter().map(|u| u.tz.clone()).collect(),
        team_tz: model.tz.clone(),
        products: model.products.iter().map(|p| p.id.clone()).collect(),
        services: model.services.iter().map(|p| p.id.clone()).collect(),
        pack_ids: packs.iter().map(|p| p.id.clone()).collect(),
        charges,
        denials,
        expirations,
        alerts,
        packs: pack_reports,
        totals,
        order,
        start: model.start,
        end: model.end,
    }
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

fn totals(
    model: &Model,
    charges: &[Charge],
    used_products: &[bool],
    used_services: &[bool],
) -> Totals {
    let mut by_user = vec![0u64; model.users.len()];
    let mut by_product_idx = vec![0u64; model.products.len()];
    let mut by_service_idx = vec![0u64; model.services.len()];
    let starts = month_starts(model);
    let months = starts.len() - 1;
    let mut by_month = vec![0u64; months];
    let mut total = 0u64;
    for c in charges {
        total += c.tokens;
        by_user[c.user as usize] += c.tokens;
        match c.item {
            Item::Product(p) => by_product_idx[p as usize] += c.tokens,
            Item::Service(s) => by_service_idx[s as usize] += c.tokens,
        }
        let m = starts
            .partition_point(|(_, s)| *s <= c.at)
            .saturating_sub(1);
        if let Some(slot) = by_month.get_mut(m) {
            *slot += c.tokens;
        }
    }
    let mut by_product: Vec<(String, u64)> = Vec::new();
    for (i, p) in model.products.iter().enumerate() {
        if used_products[i] {
            by_product.push((p.id.clone(), by_product_idx[i]));
        }
    }
    for (i, s) in model.services.iter().enumerate() {
        if used_services[i] {
            by_product.push((s.id.clone(), by_service_idx[i]));
        }
    }
    by_product.sort();
    Totals {
        tokens: total,
        by_user,
        by_product,
        by_month: starts
            .iter()
            .take(months)
            .map(|(k, _)| k.clone())
            .zip(by_month)
            .collect(),
    }
}
