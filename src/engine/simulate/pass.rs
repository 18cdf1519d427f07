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

/// Simulates a checked model's meters (built by `run_with_subscriptions`).
pub fn pass(model: &Model, meters: Meters, used_products: Vec<bool>) -> Report {
    let mut pass = Pass::new(model, meters);
    pass.run();
    pass.report(used_products)
}

/// The kinds of event, declared in the order L6 applies them at one instant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Expiry,
    Purchase,
    Daily,
    Result,
}

/// An event; the derived order is L6's. `x` is the pack, the meter's number or the
/// result's user, `y` a result's number in `Pass::sources` (0 otherwise), so that results
/// of one user at one instant keep their listing order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    at: Instant,
    class: Class,
    x: u32,
    y: u32,
}

impl Event {
    /// A plan or sweep key `(t − start) << 32 | meter` as a daily charge.
    #[inline]
    fn from_key(start: Instant, k: u64) -> Event {
        Event::daily(start + (k >> 32) as i64, (k & 0xFFFF_FFFF) as u32)
    }

    #[inline]
    fn daily(at: Instant, meter: u32) -> Event {
        Event {
            at,
            class: Class::Daily,
            x: meter,
            y: 0,
        }
    }
}

/// Where the next event comes from. Declared in the order that breaks a tie between
/// sources (none is expected: a meter is in one source at a time).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The optimistic plan of meters never denied.
    Plan,
    /// Meters denied once, each due again at its next interval.
    Lazy,
    /// Ledger and result events, sorted once.
    Others,
    /// A dry sweep's charges.
    Sweep,
}

/// Daily charges denied in bulk while the ledger is dry: only a purchase can raise a
/// balance below every rate, so every due before the next purchase is denied (M6).
struct Sweep {
    /// Its denials as plan keys, in L6 order, and the first not yet taken.
    keys: Vec<u64>,
    next: usize,
    /// Where each meter stands once the sweep ends: `Meters::resume`'s interval and window.
    state: Vec<(usize, Instant)>,
    scratch: Vec<u64>,
    /// The instant the last sweep covered up to: no new sweep before it.
    until: Instant,
}

impl Sweep {
    #[inline]
    fn next_event(&self, start: Instant) -> Option<Event> {
        self.keys.get(self.next).map(|&k| Event::from_key(start, k))
    }

    fn is_over(&self) -> bool {
        self.next == self.keys.len() && !self.keys.is_empty()
    }
}

/// What the pass carries from one event to the next.
struct Pass<'m> {
    model: &'m Model,
    meters: Meters,
    /// `None` when the scenario has no packs: every charge goes through.
    ledger: Option<Ledger<'m>>,
    /// What each charge of the report is for (`Report::sources`): the meters', then the
    /// results' in (user, listing) order, so a result's number orders it as L6 says.
    sources: Vec<Charge>,
    used_services: Vec<bool>,
    /// Ledger and result events (few), sorted once, and the first not yet taken.
    others: Vec<Event>,
    next_other: usize,
    plan: Plan,
    hot: Vec<Hot>,
    lazy: BinaryHeap<Reverse<(Instant, u32)>>,
    min_rate: u64,
    sweep: Sweep,
    /// Charges and denials as keys `(t − start) << 32 | source` (a plan key is one).
    charges: Chunks,
    denials: Vec<(u64, u64)>,
    pool: Pool,
    expirations: Vec<Expiration>,
    alerts: Vec<Alert>,
    tally: Tally,
}

impl<'m> Pass<'m> {
    fn new(model: &'m Model, meters: Meters) -> Pass<'m> {
        let packs = model.packs.as_deref().unwrap_or_default();
        let ledger = model
            .packs
            .as_ref()
            .map(|p| Ledger::new(p, model.low_balance_percent));
        let mut others = Vec::new();
        for (i, p) in packs.iter().enumerate() {
            let pack = |at, class| Event {
                at,
                class,
                x: i as u32,
                y: 0,
            };
            if p.usable_from < model.end {
                others.push(pack(p.usable_from, Class::Purchase));
            }
            if p.expires < model.end {
                others.push(pack(p.expires, Class::Expiry));
            }
        }
        let mut sources: Vec<Charge> = meters.info.iter().map(|i| i.charge(0)).collect();
        let mut used_services = vec![false; model.services.len()];
        for (ui, user) in model.users.iter().enumerate() {
            for r in &user.results {
                used_services[r.service] = true;
                if r.at >= model.start && r.at < model.end {
                    others.push(Event {
                        at: r.at,
                        class: Class::Result,
                        x: ui as u32,
                        y: sources.len() as u32,
                    });
                    let tokens = model.services[r.service].tokens * r.quantity;
                    let item = Item::Service(r.service as u32);
                    sources.push(Charge::new(ui as u32, item, 0, tokens));
                }
            }
        }
        others.sort_unstable();
        let tally = Tally::new(model, sources.len());
        Pass {
            model,
            plan: Plan::new(&meters, model.start, model.end),
            hot: meters.info.iter().map(|i| Hot::new(i.rate)).collect(),
            min_rate: meters.info.iter().map(|i| i.rate).min().unwrap_or(u64::MAX),
            meters,
            ledger,
            sources,
            used_services,
            others,
            next_other: 0,
            lazy: BinaryHeap::new(),
            sweep: Sweep {
                keys: Vec::new(),
                next: 0,
                state: Vec::new(),
                scratch: Vec::new(),
                until: Instant::MIN,
            },
            charges: Chunks::default(),
            denials: Vec::new(),
            pool: Pool::default(),
            expirations: Vec::new(),
            alerts: Vec::new(),
            tally,
        }
    }

    /// Every event in L6 order: each turn books in bulk the plan's charges that nothing can
    /// precede, then takes one event from whichever source holds the next.
    fn run(&mut self) {
        loop {
            self.run_fast();
            self.deny_swept();
            let Some((source, e)) = self.next_event() else {
                break;
            };
            match e.class {
                Class::Expiry => self.expire(e.x, e.at),
                Class::Purchase => self.purchase(e.x),
                Class::Daily => {
                    let ok = self.charge(e.at, e.x, Class::Daily);
                    self.reschedule(source, e.at, e.x, ok);
                }
                Class::Result => {
                    self.charge(e.at, e.y, Class::Result);
                }
            }
            if self.sweep.is_over() {
                self.end_sweep();
            }
            if self.is_dry(e.at) {
                self.start_dry_sweep(e.at);
            }
        }
    }

    #[inline]
    fn next_lazy(&self) -> Option<Event> {
        self.lazy.peek().map(|Reverse((t, m))| Event::daily(*t, *m))
    }

    #[inline]
    fn next_other(&self) -> Option<Event> {
        self.others.get(self.next_other).copied()
    }

    /// Books the plan's charges that come before the next event of every other source
    /// while the balance surely covers them and stays above every rate: nothing else can
    /// happen then (no denial, no sweep), so they need no choice of the next event.
    fn run_fast(&mut self) {
        let start = self.model.start;
        let bound = [
            self.next_other(),
            self.next_lazy(),
            self.sweep.next_event(start),
        ]
        .into_iter()
        .flatten()
        .min();
        // Keys from `stop` on come at or after the bound.
        let stop = bound.map_or(u64::MAX, |b| key_bound(start, b));
        let Pass {
            plan,
            hot,
            ledger,
            min_rate,
            charges,
            pool,
            alerts,
            tally,
            ..
        } = self;
        let min_rate = *min_rate;
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
                let t = start + (k >> 32) as i64;
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
                charges.push(k, pool);
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
    }

    /// Denies a sweep's charges that come before every other source's next event, all
    /// but the last: that one is taken as an event, so that its handling ends the sweep.
    fn deny_swept(&mut self) {
        let Some(balance) = self.ledger.as_ref().map(|l| l.balance) else {
            return;
        };
        let start = self.model.start;
        let bound = [
            self.next_other(),
            self.next_lazy(),
            self.plan.peek().map(|k| Event::from_key(start, k)),
        ]
        .into_iter()
        .flatten()
        .min();
        let sweep = &mut self.sweep;
        while sweep.next + 1 < sweep.keys.len() {
            let k = sweep.keys[sweep.next];
            if bound.is_some_and(|b| Event::from_key(start, k) >= b) {
                break;
            }
            sweep.next += 1;
            debug_assert!(balance < self.meters.info[(k & 0xFFFF_FFFF) as usize].rate);
            self.denials.push((k, balance));
        }
    }

    /// Takes the first event in L6 order among the sources' next ones, and which source
    /// it came from; `None` once every source is spent.
    fn next_event(&mut self) -> Option<(Source, Event)> {
        let start = self.model.start;
        // A diverged meter's plan keys are stale: its charges come from `lazy`.
        while self
            .plan
            .peek()
            .is_some_and(|k| self.hot[(k & 0xFFFF_FFFF) as usize].diverged())
        {
            self.plan.advance();
        }
        let (source, e) = [
            (
                Source::Plan,
                self.plan.peek().map(|k| Event::from_key(start, k)),
            ),
            (Source::Lazy, self.next_lazy()),
            (Source::Others, self.next_other()),
            (Source::Sweep, self.sweep.next_event(start)),
        ]
        .into_iter()
        .filter_map(|(s, e)| e.map(|e| (s, e)))
        .min_by_key(|&(_, e)| e)?;
        match source {
            Source::Plan => self.plan.advance(),
            Source::Lazy => {
                self.lazy.pop();
            }
            Source::Others => self.next_other += 1,
            Source::Sweep => self.sweep.next += 1,
        }
        Some((source, e))
    }

    /// L4: what remains of `pack` is lost.
    fn expire(&mut self, pack: u32, at: Instant) {
        if let Some(l) = self.ledger.as_mut() {
            let tokens = l.expire(pack as usize);
            if tokens > 0 {
                self.expirations.push(Expiration { pack, at, tokens });
            }
        }
    }

    fn purchase(&mut self, pack: u32) {
        if let Some(l) = self.ledger.as_mut() {
            l.purchase(pack as usize);
        }
    }

    /// Draws source `id`'s tokens at `at` and books a charge or a denial; whether it went
    /// through. A meter's tokens are counted in `hot`, a result's in the tally.
    fn charge(&mut self, at: Instant, id: u32, class: Class) -> bool {
        let tokens = self.sources[id as usize].tokens;
        let key = ((at - self.model.start) as u64) << 32 | u64::from(id);
        let outcome = match self.ledger.as_mut() {
            Some(l) => l.draw(at, tokens),
            None => Draw::Charged { alert: false },
        };
        match outcome {
            Draw::Charged { alert } => {
                self.tally.add(at, tokens);
                if class == Class::Daily {
                    self.hot[id as usize].charged((at - self.model.start) as u32);
                } else {
                    self.tally.by_source[id as usize] += tokens;
                }
                self.charges.push(key, &mut self.pool);
                if alert {
                    let balance = self.ledger.as_ref().map_or(0, |l| l.balance);
                    self.alerts.push(Alert { at, balance });
                }
                true
            }
            Draw::Denied { balance } => {
                self.denials.push((key, balance));
                false
            }
        }
    }

    /// M6 after meter `m`'s charge at `at` (`ok`: it went through): a plan meter's first
    /// denial moves it to the lazy state machine, and a lazy meter is due again.
    fn reschedule(&mut self, source: Source, at: Instant, m: u32, ok: bool) {
        match source {
            // The sweep decided where its meters stand when it ends.
            Source::Sweep => return,
            // The plan holds while its charges go through.
            Source::Plan if ok => return,
            Source::Plan => self.diverge(m as usize, at),
            Source::Lazy | Source::Others => {}
        }
        if ok {
            self.meters.charged(m as usize, at);
        } else {
            self.meters.denied(m as usize);
        }
        if let Some(next) = self.meters.due(m as usize) {
            self.lazy.push(Reverse((next, m)));
        }
    }

    /// Meter `m`, denied at `at` for the first time, continues in the lazy state machine
    /// from the interval `at` falls in: its later optimistic charges no longer hold.
    fn diverge(&mut self, m: usize, at: Instant) {
        self.hot[m].diverge();
        let meters = &mut self.meters;
        let j = meters
            .intervals(m)
            .partition_point(|&s| meters.at(s).1 <= at);
        meters.resume(m, j, self.hot[m].window(self.model.start));
    }

    /// Every meter back in a new plan, from where the sweep left it.
    fn end_sweep(&mut self) {
        self.sweep.keys.clear();
        self.sweep.next = 0;
        self.replan();
    }

    fn replan(&mut self) {
        let start = self.model.start;
        for (m, &(j, w)) in self.sweep.state.iter().enumerate() {
            self.meters.resume(m, j, w);
            self.hot[m].resume(start, w);
        }
        self.plan = Plan::new(&self.meters, start, self.model.end);
    }

    /// Dry: the usable balance is below every daily rate and only a purchase can raise it;
    /// worth a sweep unless one is running or already covered `at`.
    fn is_dry(&self, at: Instant) -> bool {
        self.sweep.keys.is_empty()
            && at >= self.sweep.until
            && self
                .ledger
                .as_ref()
                .is_some_and(|l| l.balance < self.min_rate)
    }

    /// Every daily charge due from `now` until the next purchase is denied (M6): they are
    /// swept meter by meter in memory order instead of one heap event each.
    fn start_dry_sweep(&mut self, now: Instant) {
        let until = self.others[self.next_other..]
            .iter()
            .find(|e| e.class == Class::Purchase)
            .map_or(self.model.end, |e| e.at);
        self.sweep.until = until;
        self.sweep.state.clear();
        for m in 0..self.hot.len() {
            let stands = self.sweep_meter(m, now, until);
            self.sweep.state.push(stands);
        }
        sort_keys(&mut self.sweep.keys, &mut self.sweep.scratch);
        self.sweep.next = 0;
        self.lazy.clear();
        // The plan's memory (read or not) will hold charges after the sweep.
        for v in std::mem::replace(&mut self.plan, Plan::none()).into_buffers() {
            self.pool.give(v);
        }
        if self.sweep.keys.is_empty() {
            self.replan();
        }
    }

    /// Adds meter `m`'s dues in `[now, until)` to the sweep; where the meter stands after
    /// them (`Meters::resume`'s interval and window).
    #[inline]
    fn sweep_meter(&mut self, m: usize, now: Instant, until: Instant) -> (usize, Instant) {
        let start = self.model.start;
        let meters = &self.meters;
        let h = self.hot[m];
        let iv = meters.intervals(m);
        let (mut j, w) = if h.diverged() {
            meters.state(m)
        } else {
            // Scanned from the meter's first interval (their ends rise), neither binary
            // searched nor scanned back from the end: meter after meter, the arena is
            // read as one stream, which the processor fetches ahead. Its tails alone,
            // meter by meter, were a cache miss each (9 ms of a big team's sweep, against
            // 4 ms for the whole arena this way).
            let j = iv
                .iter()
                .position(|&s| meters.at(s).1 > now)
                .unwrap_or(iv.len());
            (j, h.window(start))
        };
        while let Some(&s) = iv.get(j) {
            let (ia, ib) = meters.at(s);
            let due = if ia < w { w } else { ia };
            // A due before now was met already: a charge would have moved the window
            // past it, so it was denied (by an earlier sweep).
            if ib - due > GRACE && due >= now {
                if due >= until {
                    break;
                }
                self.sweep
                    .keys
                    .push(((due - start) as u64) << 32 | m as u64);
            }
            j += 1;
        }
        (j, w)
    }

    fn report(mut self, used_products: Vec<bool>) -> Report {
        let model = self.model;
        let packs = model.packs.as_deref().unwrap_or_default();
        let pack_reports = match &self.ledger {
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
        for (total, h) in self.tally.by_source.iter_mut().zip(&self.hot) {
            *total += h.charges() * h.rate();
        }
        let totals = self
            .tally
            .totals(model, &self.sources, &used_products, &self.used_services);
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
            sources: self.sources,
            charge_keys: self.charges.finish(),
            denial_keys: self.denials,
            expirations: self.expirations,
            alerts: self.alerts,
            packs: pack_reports,
            totals,
            order,
            start: model.start,
            end: model.end,
        }
    }
}

/// The least plan key whose daily charge comes at or after `b` in L6 order.
fn key_bound(start: Instant, b: Event) -> u64 {
    if b.at < start {
        return 0;
    }
    let d = (b.at - start) as u64;
    match b.class.cmp(&Class::Daily) {
        std::cmp::Ordering::Less => d << 32,
        std::cmp::Ordering::Equal => d << 32 | u64::from(b.x),
        std::cmp::Ordering::Greater => (d + 1) << 32,
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
