//! L1–L6: the team's packs, their order of draw, expiry, the balance gate and alerts.

use crate::engine::model::PackM;
use crate::engine::time::Instant;

#[derive(Debug, Clone)]
pub struct PackState {
    pub used: u64,
    pub expired: u64,
    pub active: bool,
    pub first_draw: Option<Instant>,
}

impl PackState {
    pub fn remaining(&self, p: &PackM) -> u64 {
        p.tokens - self.used - self.expired
    }
}

#[derive(Debug, Clone)]
pub struct Ledger<'a> {
    pub packs: &'a [PackM],
    pub state: Vec<PackState>,
    /// Pack indexes in order of draw (L2): earliest expiry, smallest size, listing order.
    draw_order: Vec<usize>,
    /// Tokens left in active packs.
    pub balance: u64,
    /// Original size of all active packs (the base of L4's percentage).
    pub active_size: u64,
    low_percent: u64,
}

/// What a draw did, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    Charged { alert: bool },
    Denied { balance: u64 },
}

impl<'a> Ledger<'a> {
    pub fn new(packs: &'a [PackM], low_percent: u64) -> Ledger<'a> {
        let mut draw_order: Vec<usize> = (0..packs.len()).collect();
        draw_order.sort_by_key(|&i| (packs[i].expires, packs[i].tokens, i));
        Ledger {
            packs,
            state: vec![
                PackState {
                    used: 0,
                    expired: 0,
                    active: false,
                    first_draw: None
                };
                packs.len()
            ],
            draw_order,
            balance: 0,
            active_size: 0,
            low_percent,
        }
    }

    /// L1: the pack becomes usable.
    pub fn purchase(&mut self, i: usize) {
        let s = &mut self.state[i];
        if !s.active {
            s.active = true;
            self.balance += self.packs[i].tokens - s.used - s.expired;
            self.active_size += self.packs[i].tokens;
        }
    }

    /// L3: the pack's remaining tokens are lost; returns how many.
    pub fn expire(&mut self, i: usize) -> u64 {
        let tokens = self.packs[i].tokens;
        let s = &mut self.state[i];
        let lost = tokens - s.used - s.expired;
        if s.active {
            self.balance -= lost;
            self.active_size -= tokens;
        }
        s.expired += lost;
        s.active = false;
        lost
    }

    /// M6 + L2 + L4: draws `tokens` at `t`, or denies when the usable balance is short.
    pub fn draw(&mut self, t: Instant, tokens: u64) -> Draw {
        if self.balance < tokens {
            return Draw::Denied {
                balance: self.balance,
            };
        }
        let before = self.balance;
        let mut left = tokens;
        for &i in &self.draw_order {
            if left == 0 {
                break;
            }
            let s = &mut self.state[i];
            if !s.active {
                continue;
            }
            let avail = self.packs[i].tokens - s.used - s.expired;
            let take = avail.min(left);
            if take > 0 {
                s.used += take;
                s.first_draw.get_or_insert(t);
                left -= take;
            }
        }
        self.balance -= tokens;
        // L4, in whole numbers: before ≥ p% of size > after.
        let threshold = self.low_percent * self.active_size;
        let alert = before * 100 >= threshold && self.balance * 100 < threshold;
        Draw::Charged { alert }
    }
}
