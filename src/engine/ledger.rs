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

    /// How many tokens the next draws may take, one after another, with nothing but the
    /// counts changing: all from one pack (the first in draw order with tokens), the
    /// balance staying at `keep` or more, and no L4 threshold crossed. For a run of draws
    /// booked at once with [`Ledger::take`].
    pub fn room(&self, keep: u64) -> (usize, u64) {
        let Some(&i) = self.draw_order.iter().find(|&&i| {
            let s = &self.state[i];
            s.active && self.packs[i].tokens > s.used + s.expired
        }) else {
            return (0, 0);
        };
        let s = &self.state[i];
        let mut room =
            (self.packs[i].tokens - s.used - s.expired).min(self.balance.saturating_sub(keep));
        let threshold = self.low_percent * self.active_size;
        if self.balance * 100 >= threshold {
            // The balance may fall to ⌈threshold / 100⌉ without an alert.
            room = room.min(self.balance - threshold.div_ceil(100));
        }
        (i, room)
    }

    /// Books draws of `tokens` in all from pack `i`, the first of them at `first`: what
    /// [`Ledger::draw`] would have done draw by draw, within [`Ledger::room`].
    pub fn take(&mut self, i: usize, tokens: u64, first: Instant) {
        if tokens > 0 {
            let s = &mut self.state[i];
            s.used += tokens;
            s.first_draw.get_or_insert(first);
            self.balance -= tokens;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(id: &str, expires: Instant, tokens: u64) -> PackM {
        let d = jiff::civil::date(2027, 1, 1);
        PackM {
            id: id.into(),
            purchased: d,
            usable_from: 0,
            expires_date: d,
            expires,
            return_deadline: 0,
            tokens,
        }
    }

    /// Draws of `rate` booked in runs (`room`, `take`) leave the ledger as draw-by-draw
    /// does, and a run never holds a draw that alerts or spills into a second pack.
    #[test]
    fn runs_within_room_match_single_draws() {
        let packs = [pack("a", 100, 13), pack("b", 200, 40), pack("c", 300, 7)];
        for rate in [1u64, 3, 5, 7] {
            for keep in [0u64, 1, rate] {
                let mut one = Ledger::new(&packs, 25);
                let mut runs = Ledger::new(&packs, 25);
                for i in 0..3 {
                    one.purchase(i);
                    runs.purchase(i);
                }
                let (mut lane, mut room) = runs.room(keep);
                let (mut run, mut from) = (0, 0);
                for t in 1.. {
                    if one.balance < rate + keep {
                        break;
                    }
                    let before = one.state.iter().map(|s| s.used).collect::<Vec<_>>();
                    let alert = matches!(one.draw(t, rate), Draw::Charged { alert: true });
                    if rate <= room {
                        let moved: Vec<usize> =
                            (0..3).filter(|&i| one.state[i].used != before[i]).collect();
                        assert_eq!(moved, [lane], "rate {rate}, t {t}: one pack");
                        assert!(!alert, "rate {rate}, t {t}: no alert inside a run");
                        if run == 0 {
                            from = t;
                        }
                        room -= rate;
                        run += rate;
                    } else {
                        runs.take(lane, run, from);
                        run = 0;
                        runs.draw(t, rate);
                        (lane, room) = runs.room(keep);
                    }
                }
                runs.take(lane, run, from);
                assert_eq!(runs.balance, one.balance, "rate {rate}, keep {keep}");
                for (a, b) in runs.state.iter().zip(&one.state) {
                    assert_eq!((a.used, a.first_draw), (b.used, b.first_draw));
                }
            }
        }
    }
}
