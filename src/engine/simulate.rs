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
use crate::engine::meter::{Meter, GRACE, WINDOW};
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
        let name = tz.iana_name().unwrap_or("");
        let model = self.model;
        if !self.by_zone.contains_key(name) {
            self.by_zone.insert(name.to_string(), day_table(model, tz));
        }
        &self.by_zone[name]
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
            let spans = if subs[ui].is_empty() {
                spans
            } else {
                let cover = covered(model, user, subs[ui], p);
                if cover.is_empty() {
                    spans
                } else {
                    subtract(&spans, &cover)
                }
            };
            if !spans.is_empty() {
                meters.push((p, Meter::new(spans)));
            }
        }
        users.push(UserMeters { meters });
    }
    simulate_meters(model, users, used_products)
}

fn simulate_meters(model: &Model, mut users: Vec<UserMeters>, used_products: Vec<bool>) -> Report {
    let empty = Vec::new();
    let packs = model.packs.as_ref().unwrap_or(&empty);
    let mut ledger = model
        .packs
        .as_ref()
        .map(|p| Ledger::new(p, model.low_balance_percent));
    // Ledger and result events: few; sorted once by the L6 key.
    let mut others: Vec<(Instant, u8, u32, u32)> = Vec::new();
    for (i, p) in packs.iter().enumerate() {
        if p.usable_from < model.end {
            others.push((p.usable_from, PURCHASE, i as u32, 0));
        }
        if p.expires < model.end {
            others.push((p.expires, EXPIRY, i as u32, 0));
        }
    }
    let mut used_services = vec![false; model.services.len()];
    for (ui, user) in model.users.iter().enumerate() {
        for (k, r) in user.results.iter().enumerate() {
            used_services[r.service] = true;
            if r.at >= model.start && r.at < model.end {
                others.push((r.at, RESULT, ui as u32, k as u32));
            }
        }
    }
    others.sort_unstable();

    // Meters numbered in (user, product id) order, the L6 order of daily charges at one
    // instant; flat per-meter arrays so the event pass never chases a pointer.
    let mut meter_user: Vec<u32> = Vec::new();
    let mut meter_k: Vec<u32> = Vec::new();
    let mut meter_product: Vec<u32> = Vec::new();
    let mut meter_rate: Vec<u64> = Vec::new();
    for (ui, u) in users.iter().enumerate() {
        for (k, (p, _)) in u.meters.iter().enumerate() {
            meter_user.push(ui as u32);
            meter_k.push(k as u32);
            meter_product.push(*p as u32);
            meter_rate.push(model.products[*p].tokens);
        }
    }
    let nm = meter_user.len();

    // Phase A: every meter's charges as if none were denied (M4).
    let mut sorted = plan(model, &users, &vec![(0, Instant::MIN); nm]);
    let min_rate = meter_rate.iter().copied().min().unwrap_or(u64::MAX);
    // A sweep (see below): its denials, and where each meter stands when it ends.
    let mut sweep: Vec<u64> = Vec::new();
    let mut sp = 0usize;
    let mut sweep_state: Vec<(usize, Instant)> = Vec::new();
    // The instant the last sweep covered up to: no new sweep before it.
    let mut swept_until = Instant::MIN;

    // Phase B: one pass in L6 order over the optimistic charges, the ledger and result
    // events, and the charges of meters that were denied once (those go back to the
    // lazy state machine and a small heap, M6: the next interval tries again).
    let mut diverged = vec![false; nm];
    let mut last_window = vec![Instant::MIN; nm];
    let mut lazy: BinaryHeap<Reverse<(Instant, u32)>> = BinaryHeap::new();
    let (mut p, mut q) = (0usize, 0usize);

    let mut charges = Vec::new();
    let mut denials = Vec::new();
    let mut expirations = Vec::new();
    let mut alerts = Vec::new();
    loop {
        while p < sorted.len() && diverged[(sorted[p] & 0xFFFF_FFFF) as usize] {
            p += 1;
        }
        // The next event of each source, as (t, class, x, y) with meters compared by number.
        let opt = sorted.get(p).map(|&k| {
            (
                model.start + (k >> 32) as i64,
                DAILY,
                (k & 0xFFFF_FFFF) as u32,
                0u32,
            )
        });
        let lz = lazy.peek().map(|Reverse((t, m))| (*t, DAILY, *m, 0u32));
        let oth = others.get(q).copied();
        let swp = sweep.get(sp).map(|&k| {
            (
                model.start + (k >> 32) as i64,
                DAILY,
                (k & 0xFFFF_FFFF) as u32,
                0u32,
            )
        });
        let (source, (t, class, a, b)) = match [opt, lz, oth, swp]
            .into_iter()
            .enumerate()
            .filter_map(|(i, e)| e.map(|e| (i, e)))
            .min_by_key(|&(_, e)| e)
        {
            Some(x) => x,
            None => break,
        };
        match source {
            0 => p += 1,
            1 => {
                lazy.pop();
            }
            2 => q += 1,
            _ => sp += 1,
        }
        let ui = a as usize;
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
            _ => 'charge: {
                let (user, item, tokens) = if class == DAILY {
                    let m = a as usize;
                    (
                        meter_user[m],
                        Item::Product(meter_product[m]),
                        meter_rate[m],
                    )
                } else {
                    let r = &model.users[ui].results[b as usize];
                    (
                        a,
                        Item::Service(r.service as u32),
                        model.services[r.service].tokens * r.quantity,
                    )
                };
                let charge = Charge {
                    user,
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
                if class != DAILY {
                    break 'charge;
                }
                let m = a as usize;
                if ok {
                    last_window[m] = t + WINDOW;
                }
                if source == 3 || (source == 0 && ok) {
                    break 'charge;
                }
                let meter = &mut users[meter_user[m] as usize].meters[meter_k[m] as usize].1;
                if source == 0 {
                    // First denial of this meter: its later optimistic charges no longer hold.
                    diverged[m] = true;
                    let j = meter.intervals().partition_point(|&(_, e)| e <= t);
                    let w = last_window[m];
                    meter.resume(j, (w != Instant::MIN).then_some(w));
                }
                if ok {
                    meter.charged(t);
                } else {
                    meter.denied();
                }
                if let Some(next) = meter.due() {
                    lazy.push(Reverse((next, a)));
                }
            }
        }
        if sp == sweep.len() && !sweep.is_empty() {
            // The sweep is over: plan every meter again from where it stands.
            sweep.clear();
            sp = 0;
            sorted = plan(model, &users, &sweep_state);
            p = 0;
            for (m, &(_, w)) in sweep_state.iter().enumerate() {
                last_window[m] = w;
                diverged[m] = false;
            }
        }
        // Dry: the usable balance is below every daily rate and only a purchase can raise
        // it, so every daily charge due before the next purchase is denied (M6). Sweep them
        // meter by meter in memory order instead of one heap event each.
        if sweep.is_empty()
            && t >= swept_until
            && ledger.as_ref().is_some_and(|l| l.balance < min_rate)
        {
            let until = others[q..]
                .iter()
                .find(|e| e.1 == PURCHASE)
                .map_or(model.end, |e| e.0);
            swept_until = until;
            sweep_state.clear();
            for m in 0..nm {
                let meter = &users[meter_user[m] as usize].meters[meter_k[m] as usize].1;
                let iv = meter.intervals();
                let (mut j, w) = if diverged[m] {
                    let (next, we) = meter.state();
                    (next, we.unwrap_or(Instant::MIN))
                } else {
                    (iv.partition_point(|&(_, e)| e <= t), last_window[m])
                };
                while let Some(&(ia, ib)) = iv.get(j) {
                    let due = if ia < w { w } else { ia };
                    // A due before now was met already: a charge would have moved the
                    // window past it, so it was denied (by an earlier sweep).
                    if ib - due > GRACE && due >= t {
                        if due >= until {
                            break;
                        }
                        sweep.push(((due - model.start) as u64) << 32 | m as u64);
                    }
                    j += 1;
                }
                sweep_state.push((j, w));
            }
            sweep.sort_unstable();
            sp = 0;
            lazy.clear();
            p = sorted.len();
            if sweep.is_empty() {
                sorted = plan(model, &users, &sweep_state);
                p = 0;
                for (m, &(_, w)) in sweep_state.iter().enumerate() {
                    last_window[m] = w;
                    diverged[m] = false;
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

/// Phase A of the event pass: every meter's charges from `from[m]` = (interval index,
/// window end) on, as if none were denied (M4), read interval by interval in memory order.
/// Keys `(t - start) << 32 | meter` (meters are numbered in user, product-id order: the
/// L6 order), ordered by a counting sort on time buckets; a bucket holding more than one
/// instant is then sorted in full.
fn plan(model: &Model, users: &[UserMeters], from: &[(usize, Instant)]) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::new();
    let mut m = 0usize;
    for u in users {
        for (_, meter) in &u.meters {
            let (j0, mut w) = from[m];
            for &(a, b) in meter.intervals().get(j0..).unwrap_or(&[]) {
                let mut t = if a < w { w } else { a };
                while b - t > GRACE {
                    keys.push(((t - model.start) as u64) << 32 | m as u64);
                    w = t + WINDOW;
                    t = w;
                }
            }
            m += 1;
        }
    }
    // Buckets of 2^shift seconds (64 s at least), about as many as there are keys (a
    // small team does not pay for a year of minutes).
    let span = (model.end - model.start).max(1) as u64;
    let mut shift = 6u32;
    while (span >> shift) > keys.len().max(1024) as u64 {
        shift += 1;
    }
    let buckets = (span >> shift) as usize + 2;
    let mut counts = vec![0u32; buckets + 1];
    for &key in &keys {
        counts[((key >> 32) >> shift) as usize + 1] += 1;
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let mut sorted = vec![0u64; keys.len()];
    for &key in &keys {
        let slot = &mut counts[((key >> 32) >> shift) as usize];
        sorted[*slot as usize] = key;
        *slot += 1;
    }
    let mut lo = 0usize;
    for &hi in counts.iter() {
        let hi = hi as usize;
        if hi > lo + 1 && !sorted[lo..hi].windows(2).all(|w| w[0] < w[1]) {
            sorted[lo..hi].sort_unstable();
        }
        lo = lo.max(hi);
    }
    sorted
}
