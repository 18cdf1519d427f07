//! Phase B of a simulation: one pass in L6 order that joins the meters (M1–M7) and the
//! ledger (L1–L6).
//!
//! Events at one instant apply in the order of L6: expiries, purchases, daily charges
//! (users in listing order, then product id), result charges (users in listing order,
//! then listing order). Daily charges come from the meters' optimistic plan (phase A,
//! `meters::plan`); a meter denied once leaves the plan for a lazy state machine and a
//! small heap (M6: the next interval tries again), and a dry ledger is swept in bulk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::ledger::{Draw, Ledger};
use crate::engine::meter::{GRACE, WINDOW};
use crate::engine::model::Model;
use crate::engine::price::cheapest_order;
use crate::engine::report::*;
use crate::engine::simulate::meters::{sort_keys, Meters, Plan};
use crate::engine::simulate::month_starts;
use crate::engine::time::Instant;
use crate::engine::validate::MAX_QUANTITY;

const EXPIRY: u8 = 0;
const PURCHASE: u8 = 1;
const DAILY: u8 = 2;
const RESULT: u8 = 3;

/// Simulates a checked model's meters (built by `run_with_subscriptions`).
pub fn pass(model: &Model, mut meters: Meters, used_products: Vec<bool>) -> Report {
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
    // What each charge of the report is for (`Report::sources`): the meters', then the
    // results' in (user, listing) order, so a result's number orders it as L6 says.
    let mut sources: Vec<Charge> = meters.info.iter().map(|i| i.charge(0)).collect();
    let mut used_services = vec![false; model.services.len()];
    for (ui, user) in model.users.iter().enumerate() {
        for r in &user.results {
            used_services[r.service] = true;
            if r.at >= model.start && r.at < model.end {
                let id = sources.len() as u32;
                others.push((r.at, RESULT, ui as u32, id));
                let tokens = model.services[r.service].tokens * r.quantity;
                sources.push(Charge::new(
                    ui as u32,
                    Item::Service(r.service as u32),
                    0,
                    tokens,
                ));
            }
        }
    }
    others.sort_unstable();

    let mut plan = Plan::new(&meters, model.start, model.end);
    let min_rate = meters.info.iter().map(|i| i.rate).min().unwrap_or(u64::MAX);
    // A sweep (see below): its denials, and where each meter stands when it ends.
    let mut sweep: Vec<u64> = Vec::new();
    let mut sp = 0usize;
    let mut sweep_state: Vec<(usize, Instant)> = Vec::new();
    let mut sweep_scratch: Vec<u64> = Vec::new();
    // The instant the last sweep covered up to: no new sweep before it.
    let mut swept_until = Instant::MIN;

    // Phase B: one pass in L6 order over the optimistic charges, the ledger and result
    // events, and the charges of meters that were denied once (those go back to the
    // lazy state machine and a small heap, M6: the next interval tries again).
    let mut hot: Vec<Hot> = meters.info.iter().map(|i| Hot::new(i.rate)).collect();
    let mut lazy: BinaryHeap<Reverse<(Instant, u32)>> = BinaryHeap::new();
    let mut q = 0usize;

    // Charges and denials as keys `(t − start) << 32 | source` (a plan key is one).
    let mut charges = Chunks::default();
    let mut denials: Vec<(u64, u64)> = Vec::new();
    let mut pool = Pool::default();
    let mut expirations = Vec::new();
    let mut alerts = Vec::new();
    let mut tally = Tally::new(model, sources.len());
    loop {
        // Fast path: optimistic charges before the next event of any other source, while
        // the balance surely covers them and stays above every rate (nothing else can
        // happen then: no denial, no sweep).
        let bound = [
            others.get(q).copied(),
            lazy.peek().map(|Reverse((t, m))| (*t, DAILY, *m, 0u32)),
            sweep.get(sp).map(|&k| event(model.start, k)),
        ]
        .into_iter()
        .flatten()
        .min();
        // Keys from `stop` on come at or after the bound.
        let stop = bound.map_or(u64::MAX, |b| key_bound(model.start, b));
        // Draws go in runs booked at once (`room`, `take`); the ledger is up to date
        // whenever the run is booked, before anything else reads it.
        let (mut lane, mut room) = ledger.as_ref().map_or((0, u64::MAX), |l| l.room(min_rate));
        let (mut run, mut run_from) = (0u64, 0);
        'fast: loop {
            for v in plan.spent() {
                pool.give(v);
            }
            let keys = plan.rest();
            if keys.is_empty() {
                break;
            }
            let mut n = 0;
            for &k in keys {
                if k >= stop {
                    plan.skip(n);
                    break 'fast;
                }
                let m = (k & 0xFFFF_FFFF) as usize;
                let h = &mut hot[m];
                if h.diverged() {
                    n += 1;
                    continue;
                }
                let t = model.start + (k >> 32) as i64;
                let tokens = h.rate();
                let mut alert = false;
                if tokens <= room {
                    if run == 0 {
                        run_from = t;
                    }
                    room -= tokens;
                    run += tokens;
                } else {
                    // Past the run (ledger is Some: without one, room is unbounded).
                    let Some(l) = ledger.as_mut() else {
                        unreachable!("no ledger, no limit")
                    };
                    l.take(lane, run, run_from);
                    run = 0;
                    if l.balance < tokens + min_rate {
                        plan.skip(n);
                        break 'fast;
                    }
                    match l.draw(t, tokens) {
                        Draw::Charged { alert: a } => alert = a,
                        Draw::Denied { .. } => unreachable!("the balance covers the charge"),
                    }
                    (lane, room) = l.room(min_rate);
                }
                n += 1;
                h.charged((k >> 32) as u32);
                tally.add(t, tokens);
                charges.push(k, &mut pool);
                if alert {
                    let balance = ledger.as_ref().map_or(0, |l| l.balance);
                    alerts.push(Alert { at: t, balance });
                }
            }
            plan.skip(n);
        }
        if let Some(l) = ledger.as_mut() {
            l.take(lane, run, run_from);
        }
        // Fast path of a sweep (see below): its charges are denied, all but the last, whose
        // general handling ends the sweep.
        if let Some(l) = ledger.as_ref() {
            let bound = [
                others.get(q).copied(),
                lazy.peek().map(|Reverse((t, m))| (*t, DAILY, *m, 0u32)),
                plan.peek().map(|k| event(model.start, k)),
            ]
            .into_iter()
            .flatten()
            .min();
            while sp + 1 < sweep.len() {
                let k = sweep[sp];
                let m = (k & 0xFFFF_FFFF) as u32;
                let t = model.start + (k >> 32) as i64;
                if bound.is_some_and(|b| (t, DAILY, m, 0u32) >= b) {
                    break;
                }
                sp += 1;
                debug_assert!(l.balance < meters.info[m as usize].rate);
                denials.push((k, l.balance));
            }
        }
        while plan
            .peek()
            .is_some_and(|k| hot[(k & 0xFFFF_FFFF) as usize].diverged())
        {
            plan.advance();
        }
        // The next event of each source, as (t, class, x, y) with meters compared by number.
        let opt = plan.peek().map(|k| event(model.start, k));
        let lz = lazy.peek().map(|Reverse((t, m))| (*t, DAILY, *m, 0u32));
        let oth = others.get(q).copied();
        let swp = sweep.get(sp).map(|&k| event(model.start, k));
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
            0 => plan.advance(),
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
                let id = if class == DAILY { a } else { b };
                let mut charge = sources[id as usize];
                charge.at = t;
                let key = ((t - model.start) as u64) << 32 | u64::from(id);
                let tokens = charge.tokens;
                let outcome = match ledger.as_mut() {
                    Some(l) => l.draw(t, tokens),
                    None => Draw::Charged { alert: false },
                };
                let ok = match outcome {
                    Draw::Charged { alert } => {
                        tally.add(t, tokens);
                        if class == DAILY {
                            hot[id as usize].charged((t - model.start) as u32);
                        } else {
                            tally.by_source[id as usize] += tokens;
                        }
                        charges.push(key, &mut pool);
                        if alert {
                            let balance = ledger.as_ref().map_or(0, |l| l.balance);
                            alerts.push(Alert { at: t, balance });
                        }
                        true
                    }
                    Draw::Denied { balance } => {
                        denials.push((key, balance));
                        false
                    }
                };
                if class != DAILY {
                    break 'charge;
                }
                let m = a as usize;
                if source == 3 || (source == 0 && ok) {
                    break 'charge;
                }
                if source == 0 {
                    // First denial of this meter: its later optimistic charges no longer hold.
                    hot[m].diverge();
                    let j = meters
                        .intervals(m)
                        .partition_point(|&s| meters.at(s).1 <= t);
                    meters.resume(m, j, hot[m].window(model.start));
                }
                if ok {
                    meters.charged(m, t);
                } else {
                    meters.denied(m);
                }
                if let Some(next) = meters.due(m) {
                    lazy.push(Reverse((next, a)));
                }
            }
        }
        if sp == sweep.len() && !sweep.is_empty() {
            // The sweep is over: plan every meter again from where it stands.
            sweep.clear();
            sp = 0;
            after_sweep(&mut meters, &sweep_state, &mut hot, model.start);
            plan = Plan::new(&meters, model.start, model.end);
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
            for (m, h) in hot.iter().enumerate() {
                let iv = meters.intervals(m);
                let (mut j, w) = if h.diverged() {
                    meters.state(m)
                } else {
                    // Scanned from the meter's first interval (their ends rise), neither
                    // binary searched nor scanned back from the end: meter after meter,
                    // the arena is read as one stream, which the processor fetches ahead.
                    // Its tails alone, meter by meter, were a cache miss each (9 ms of a
                    // big team's sweep, against 4 ms for the whole arena this way).
                    let j = iv
                        .iter()
                        .position(|&s| meters.at(s).1 > t)
                        .unwrap_or(iv.len());
                    (j, h.window(model.start))
                };
                while let Some(&s) = iv.get(j) {
                    let (ia, ib) = meters.at(s);
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
            sort_keys(&mut sweep, &mut sweep_scratch);
            sp = 0;
            lazy.clear();
            // The plan's memory (read or not) will hold charges after the sweep.
            for v in std::mem::replace(&mut plan, Plan::none()).into_buffers() {
                pool.give(v);
            }
            if sweep.is_empty() {
                after_sweep(&mut meters, &sweep_state, &mut hot, model.start);
                plan = Plan::new(&meters, model.start, model.end);
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
    for (total, h) in tally.by_source.iter_mut().zip(&hot) {
        *total += h.charges() * h.rate();
    }
    let totals = tally.totals(model, &sources, &used_products, &used_services);
    // §7: the order is written when the scenario has no packs: none listed, or no field.
    let order = packs
        .is_empty()
        .then(|| cheapest_order(&model.book, totals.tokens));
    let charge_keys = charges.finish();
    Report {
        user_ids: model.users.iter().map(|u| u.id.clone()).collect(),
        user_tz: model.users.iter().map(|u| u.tz.clone()).collect(),
        team_tz: model.tz.clone(),
        products: model.products.iter().map(|p| p.id.clone()).collect(),
        services: model.services.iter().map(|p| p.id.clone()).collect(),
        pack_ids: packs.iter().map(|p| p.id.clone()).collect(),
        sources,
        charge_keys,
        denial_keys: denials,
        expirations,
        alerts,
        packs: pack_reports,
        totals,
        order,
        start: model.start,
        end: model.end,
    }
}

/// The least plan key whose event `(t, DAILY, meter, 0)` comes at or after `b` in L6 order.
fn key_bound(start: Instant, (t, class, x, _): (Instant, u8, u32, u32)) -> u64 {
    if t < start {
        return 0;
    }
    let d = (t - start) as u64;
    match class.cmp(&DAILY) {
        std::cmp::Ordering::Less => d << 32,
        std::cmp::Ordering::Equal => d << 32 | u64::from(x),
        std::cmp::Ordering::Greater => (d + 1) << 32,
    }
}

/// A plan or sweep key as an event in L6 order: `(t, class, meter, 0)`.
fn event(start: Instant, k: u64) -> (Instant, u8, u32, u32) {
    (start + (k >> 32) as i64, DAILY, (k & 0xFFFF_FFFF) as u32, 0)
}

/// A sweep is over: every meter stands where the sweep left it, back in the plan.
fn after_sweep(meters: &mut Meters, state: &[(usize, Instant)], hot: &mut [Hot], start: Instant) {
    for (m, &(j, w)) in state.iter().enumerate() {
        meters.resume(m, j, w);
        hot[m].resume(start, w);
    }
}

/// What the pass reads and writes of a meter at each of its charges, packed in 8 bytes:
/// the pass meets meters in no order, and this table is the one it reads at every charge
/// (kept as four arrays it cost four cache lines a charge; as a 16-byte record, its load was
/// still 45 % of the pass's samples).
#[derive(Clone, Copy)]
struct Hot {
    /// The end of the last charge's window in seconds from the period's start; 0 (a window
    /// ending at the start) stands for none, as no use begins before the start.
    window: u32,
    /// The rate (at most `MAX_QUANTITY`, below 2^20) in the low bits, [`Hot::DIVERGED`] above
    /// it, and the charges that went through on top (at most one a day: 36 months fit in
    /// the 11 bits left).
    bits: u32,
}

const _: () = assert!(MAX_QUANTITY < 1 << Hot::RATE_BITS);

impl Hot {
    const RATE_BITS: u32 = 20;
    /// Denied once: the meter left the plan for the lazy state machine.
    const DIVERGED: u32 = 1 << Self::RATE_BITS;
    const CHARGE: u32 = 2 << Self::RATE_BITS;

    fn new(rate: u64) -> Hot {
        Hot {
            window: 0,
            bits: rate as u32,
        }
    }

    #[inline]
    fn rate(&self) -> u64 {
        u64::from(self.bits & ((1 << Self::RATE_BITS) - 1))
    }

    fn charges(&self) -> u64 {
        u64::from(self.bits / Self::CHARGE)
    }

    #[inline]
    fn diverged(&self) -> bool {
        self.bits & Self::DIVERGED != 0
    }

    /// A charge went through at `at` (seconds from the start): its window opens.
    #[inline]
    fn charged(&mut self, at: u32) {
        debug_assert!(self.charges() < 2047);
        self.window = at + WINDOW as u32;
        self.bits += Self::CHARGE;
    }

    fn diverge(&mut self) {
        self.bits |= Self::DIVERGED;
    }

    fn window(&self, start: Instant) -> Instant {
        start + i64::from(self.window)
    }

    /// Back in the plan, with the window the lazy state machine left (`NO_WINDOW` too).
    fn resume(&mut self, start: Instant, w: Instant) {
        self.window = (w.max(start) - start) as u32;
        self.bits &= !Self::DIVERGED;
    }
}

/// Tokens per source (meter or result) and month, counted as charges go through (in
/// time order, so the month only moves forward); per user and item at the end.
struct Tally {
    total: u64,
    by_source: Vec<u64>,
    starts: Vec<(String, Instant)>,
    by_month: Vec<u64>,
    month: usize,
}

impl Tally {
    fn new(model: &Model, sources: usize) -> Tally {
        let starts = month_starts(model);
        Tally {
            total: 0,
            by_source: vec![0; sources],
            by_month: vec![0; starts.len() - 1],
            starts,
            month: 0,
        }
    }

    /// A charge's tokens in the total and its month (per source: a result's are added to
    /// `by_source` as they go, a meter's are counted in `Hot` and added at the end).
    #[inline]
    fn add(&mut self, at: Instant, tokens: u64) {
        self.total += tokens;
        while self.month + 1 < self.by_month.len() && self.starts[self.month + 1].1 <= at {
            self.month += 1;
        }
        if let Some(slot) = self.by_month.get_mut(self.month) {
            *slot += tokens;
        }
    }

    fn totals(
        self,
        model: &Model,
        sources: &[Charge],
        used_products: &[bool],
        used_services: &[bool],
    ) -> Totals {
        let mut by_user = vec![0; model.users.len()];
        let mut by_item = vec![0; model.products.len()];
        let mut by_service = vec![0; model.services.len()];
        for (c, &tokens) in sources.iter().zip(&self.by_source) {
            by_user[c.user as usize] += tokens;
            match c.item() {
                Item::Product(p) => by_item[p as usize] += tokens,
                Item::Service(s) => by_service[s as usize] += tokens,
            }
        }
        let mut by_product: Vec<(String, u64)> = Vec::new();
        for (i, p) in model.products.iter().enumerate() {
            if used_products[i] {
                by_product.push((p.id.clone(), by_item[i]));
            }
        }
        for (i, s) in model.services.iter().enumerate() {
            if used_services[i] {
                by_product.push((s.id.clone(), by_service[i]));
            }
        }
        by_product.sort();
        Totals {
            tokens: self.total,
            by_user,
            by_product,
            by_month: self
                .starts
                .into_iter()
                .map(|(k, _)| k)
                .zip(self.by_month)
                .collect(),
        }
    }
}
