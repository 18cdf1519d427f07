//! Figures derived from a report for the app's dashboard: money spent, effective price,
//! run-out date, denied user-days, waste, the balance over time, the per-user × product
//! table and the per-day charges of the heat-map.
//!
//! Pure Rust like the rest of the engine: the web app shows these figures and never
//! computes a token or a price itself. Money stays `Decimal`; dates are the team's.

use std::collections::HashSet;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
// The page gets these figures from the engine's worker, serialised (src/ui/worker.rs).
use serde::{Deserialize, Serialize};

use crate::engine::model::Model;
use crate::engine::price::{order_total, quote, unit_price, Order};
use crate::engine::report::{Item, Report};
use crate::engine::simulate::{month_starts, run};
use crate::engine::time::{add_days, format_date, midnight, Instant};

/// One purchase date's packs, priced as one order (P1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    #[serde(with = "crate::engine::time::day")]
    pub date: Date,
    /// Pack ids bought that date, in listing order.
    pub packs: Vec<String>,
    pub tokens: u64,
    pub unit_price: Decimal,
    pub total: Decimal,
}

/// P3's tier cliff: buying `order.tokens` costs less than the plain `exact.tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cliff {
    pub needed: u64,
    pub exact: Order,
    pub order: Order,
    /// `exact.total − order.total` (> 0).
    pub saving: Decimal,
    /// Extra tokens the cheaper order brings.
    pub extra_tokens: u64,
}

/// What happened on a marked date of the balance chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkKind {
    Purchase,
    Expiry,
    LowBalance,
    RunOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub day: usize,
    pub kind: MarkKind,
    /// Tokens bought, lost at expiry, or the balance after an alert / at a denial.
    pub tokens: u64,
    /// The pack id for purchases and expiries.
    pub label: String,
}

/// One row of the per-user × product table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub user: usize,
    pub id: String,
    pub name: String,
    /// Tokens per column of `UserTable::items`.
    pub tokens: Vec<u64>,
    /// Charges (days for daily products, results for services) per column.
    pub charges: Vec<u32>,
    /// Tokens denied to this user.
    pub denied: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTable {
    /// Product and service ids that have at least one charge or denial, sorted by id.
    pub items: Vec<String>,
    pub rows: Vec<UserRow>,
    /// Column totals, then the grand total.
    pub column_totals: Vec<u64>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insights {
    pub currency: String,
    pub minor_units: u32,
    /// No `packs` field: an estimate with unlimited balance.
    pub estimate: bool,
    pub tokens_charged: u64,
    pub tokens_denied: u64,
    pub denials: usize,
    /// Distinct (user, team date) pairs with at least one denial.
    pub denied_user_days: usize,
    /// The team date of the first denial: the balance ran out.
    #[serde(with = "crate::engine::time::opt_day")]
    pub run_out: Option<Date>,
    /// Estimate: the cheapest order (P3) for the tokens charged. Packs: every purchase.
    pub money_spent: Decimal,
    /// P4: money spent ÷ tokens charged, to the minor unit plus two decimals.
    pub effective_price: Option<Decimal>,
    /// The estimate's cheapest order (P3); `None` with packs.
    pub order: Option<Order>,
    pub cliff: Option<Cliff>,
    /// Packs mode: each purchase date priced as one order.
    pub purchases: Vec<Purchase>,
    pub tokens_bought: u64,
    /// Tokens lost at expiry inside the period.
    pub expired_tokens: u64,
    /// Tokens still unused at the period's end in packs usable by then.
    pub unused_tokens: u64,
    /// Low-balance alerts: team date and balance after the charge.
    #[serde(with = "crate::engine::time::dated")]
    pub alerts: Vec<(Date, u64)>,
    /// The period's dates, first and count; day i is `add_days(first_day, i)`.
    #[serde(with = "crate::engine::time::day")]
    pub first_day: Date,
    pub days: usize,
    /// Tokens charged per team day of the period.
    pub by_day: Vec<u64>,
    /// Tokens denied per team day.
    pub denied_by_day: Vec<u64>,
    /// Packs: usable balance at each day's end. Estimate: tokens charged so far.
    pub balance: Vec<u64>,
    /// Usable balance as the period starts (packs bought earlier); 0 in estimate mode.
    pub opening_balance: u64,
    pub marks: Vec<Mark>,
    /// `YYYY-MM`, tokens charged, tokens denied.
    pub by_month: Vec<(String, u64, u64)>,
    /// The day index where each month of `by_month` starts (clamped to the period).
    pub month_first_day: Vec<usize>,
    pub table: UserTable,
    /// Busiest team day: index and tokens.
    pub peak_day: Option<(usize, u64)>,
    /// Days with at least one charge.
    pub active_days: usize,
}

/// Rounds an effective price: the currency's minor unit plus two decimals, half away
/// from zero, so cents of a cent stay visible.
fn per_token(minor_units: u32, money: Decimal, tokens: u64) -> Option<Decimal> {
    if tokens == 0 {
        return None;
    }
    let dp = minor_units + 2;
    let mut v = (money / Decimal::from(tokens))
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(dp);
    Some(v)
}

/// Local midnights of the period's days and of the day after it. Asking the zone for
/// every day is slow in the browser: a day with no offset transition near it is exactly
/// 24 hours, so only the days around a transition are asked.
fn midnights(model: &Model) -> (Vec<Instant>, usize) {
    let transitions: Vec<Instant> = match jiff::Timestamp::from_second(model.start) {
        Ok(ts) => model
            .tz
            .following(ts)
            .map(|t| t.timestamp().as_second())
            .take_while(|&t| t <= model.end + 2 * 86_400)
            .collect(),
        Err(_) => Vec::new(),
    };
    let mut out: Vec<Instant> = Vec::with_capacity(400);
    let mut d = model.start_date;
    while d < model.end_date {
        let m = match out.last() {
            Some(&prev)
                if !transitions
                    .iter()
                    .any(|&t| t > prev - 86_400 && t <= prev + 2 * 86_400) =>
            {
                prev + 86_400
            }
            _ => midnight(&model.tz, d),
        };
        out.push(m);
        d = add_days(d, 1);
    }
    let days = out.len();
    out.push(model.end);
    (out, days)
}

/// `day_of` for instants that mostly come in time order: steps forward from the last
/// answer, and searches only when time goes back.
#[derive(Default)]
struct Cursor {
    last: Option<(Instant, usize)>,
}

impl Cursor {
    fn day(&mut self, m: &[Instant], t: Instant) -> Option<usize> {
        let d = match self.last {
            Some((prev, mut i)) if t >= prev => {
                while i + 1 < m.len() && m[i + 1] <= t {
                    i += 1;
                }
                Some(i)
            }
            _ => day_of(m, t),
        };
        if let Some(i) = d {
            self.last = Some((t, i));
        }
        d
    }
}

/// The team day index of an instant: `None` before the period, `days` at or after its end.
fn day_of(m: &[Instant], t: Instant) -> Option<usize> {
    let i = m.partition_point(|&s| s <= t);
    i.checked_sub(1)
}

impl Insights {
    /// Money spent per user and month of the period (`money_spent ÷ users ÷ months`,
    /// rounded to the currency's minor unit by P1); `None` for a team of nobody.
    pub fn per_user_month(&self, model: &Model) -> Option<Decimal> {
        let users = model.users.len() as u64;
        (users > 0).then(|| {
            let div = Decimal::from(users * u64::from(model.months.max(1)));
            crate::engine::price::money(&model.book, self.money_spent / div)
        })
    }

    /// The dashboard's figures for a checked scenario and its report.
    pub fn new(model: &Model, report: &Report) -> Insights {
        let book = &model.book;
        let (m, days) = midnights(model);
        let day = |t: Instant| day_of(&m, t).map(|d| d.min(days.saturating_sub(1)));

        let mut by_day = vec![0u64; days];
        let mut denied_by_day = vec![0u64; days];
        // Charges come in time order: walk the days alongside instead of searching.
        let mut cursor = Cursor::default();
        for c in report.charges() {
            if let Some(d) = cursor.day(&m, c.at) {
                by_day[d.min(days.saturating_sub(1))] += c.tokens;
            }
        }
        let mut denied_days: HashSet<(u32, usize)> = HashSet::new();
        let mut tokens_denied = 0;
        for d in report.denials() {
            tokens_denied += d.charge.tokens;
            if let Some(i) = day(d.charge.at) {
                denied_by_day[i] += d.charge.tokens;
                denied_days.insert((d.charge.user, i));
            }
        }
        let run_out = report
            .denials()
            .next()
            .and_then(|d| day(d.charge.at))
            .map(|i| add_days(model.start_date, i as i64));

        let starts = month_starts(model);
        let mut by_month: Vec<(String, u64, u64)> = starts
            .iter()
            .take(model.months as usize)
            .map(|(k, _)| (k.clone(), 0, 0))
            .collect();
        let month_first_day: Vec<usize> = starts
            .iter()
            .take(model.months as usize)
            .map(|(_, t)| day_of(&m, *t).unwrap_or(0).min(days.saturating_sub(1)))
            .collect();
        let month = |t: Instant| starts.partition_point(|(_, s)| *s <= t).checked_sub(1);
        // Per month from the per-day sums: a month starts on a team day's midnight.
        let mut bounds = month_first_day.clone();
        bounds.push(days);
        for (k, slot) in by_month.iter_mut().enumerate() {
            slot.1 = by_day[bounds[k]..bounds[k + 1].max(bounds[k])].iter().sum();
        }
        for d in report.denials() {
            if let Some(slot) = month(d.charge.at).and_then(|i| by_month.get_mut(i)) {
                slot.2 += d.charge.tokens;
            }
        }

        let tokens_charged = report.totals.tokens;
        let estimate = model.packs.is_none();
        let mut purchases: Vec<Purchase> = Vec::new();
        let mut marks = Vec::new();
        let mut balance = vec![0u64; days];
        let mut opening_balance = 0;
        let (money_spent, order, cliff);
        if let Some(packs) = &model.packs {
            for p in packs {
                match purchases.iter_mut().find(|x| x.date == p.purchased) {
                    Some(x) => {
                        x.tokens += p.tokens;
                        x.packs.push(p.id.clone());
                    }
                    None => purchases.push(Purchase {
                        date: p.purchased,
                        packs: vec![p.id.clone()],
                        tokens: p.tokens,
                        unit_price: Decimal::ZERO,
                        total: Decimal::ZERO,
                    }),
                }
            }
            crate::engine::advise::sort::sort_by_key(&mut purchases, |x| x.date);
            for x in &mut purchases {
                x.unit_price = unit_price(book, x.tokens);
                x.total = order_total(book, x.tokens);
            }
            money_spent = purchases.iter().map(|x| x.total).sum();
            order = None;
            cliff = None;

            // Balance: every purchase, charge and expiry, bucketed by team day.
            let mut delta = vec![0i128; days];
            let mut opening: i128 = 0;
            let mut add = |t: Instant, v: i128| match day_of(&m, t) {
                None => opening += v,
                Some(i) if i < days => delta[i] += v,
                Some(_) => {}
            };
            for p in packs {
                if p.usable_from < model.end {
                    add(p.usable_from, i128::from(p.tokens));
                    if let Some(d) = day_of(&m, p.usable_from).filter(|&d| d < days) {
                        marks.push(Mark {
                            day: d,
                            kind: MarkKind::Purchase,
                            tokens: p.tokens,
                            label: p.id.clone(),
                        });
                    }
                }
            }
            for c in report.charges() {
                add(c.at, -i128::from(c.tokens));
            }
            for e in &report.expirations {
                add(e.at, -i128::from(e.tokens));
                if let Some(d) = day_of(&m, e.at).filter(|&d| d < days) {
                    marks.push(Mark {
                        day: d,
                        kind: MarkKind::Expiry,
                        tokens: e.tokens,
                        label: report.pack_ids[e.pack as usize].clone(),
                    });
                }
            }
            opening_balance = opening.max(0) as u64;
            let mut run = opening;
            for (i, v) in delta.iter().enumerate() {
                run += v;
                balance[i] = run.max(0) as u64;
            }
        } else {
            let q = quote(book, tokens_charged);
            money_spent = q.order.total;
            cliff =
                (q.order.tokens > q.exact.tokens && q.order.total < q.exact.total).then(|| Cliff {
                    needed: tokens_charged,
                    saving: q.exact.total - q.order.total,
                    extra_tokens: q.order.tokens - q.exact.tokens,
                    exact: q.exact.clone(),
                    order: q.order.clone(),
                });
            order = Some(report.order.clone().unwrap_or(q.order));
            let mut run = 0;
            for (i, v) in by_day.iter().enumerate() {
                run += v;
                balance[i] = run;
            }
        }
        let alerts: Vec<(Date, u64)> = report
            .alerts
            .iter()
            .filter_map(|a| day(a.at).map(|i| (add_days(model.start_date, i as i64), a.balance)))
            .collect();
        for a in &report.alerts {
            if let Some(d) = day(a.at) {
                marks.push(Mark {
                    day: d,
                    kind: MarkKind::LowBalance,
                    tokens: a.balance,
                    label: String::new(),
                });
            }
        }
        if let Some(d) = report.denials().next() {
            if let Some(i) = day(d.charge.at) {
                marks.push(Mark {
                    day: i,
                    kind: MarkKind::RunOut,
                    tokens: d.balance,
                    label: String::new(),
                });
            }
        }
        crate::engine::advise::sort::sort_by_key(&mut marks, |k| (k.day, k.kind as u8));

        let expired_tokens = report.expirations.iter().map(|e| e.tokens).sum();
        let unused_tokens = match &model.packs {
            Some(packs) => packs
                .iter()
                .zip(&report.packs)
                .filter(|(p, _)| p.usable_from < model.end)
                .map(|(_, r)| r.remaining)
                .sum(),
            None => 0,
        };
        let tokens_bought = model
            .packs
            .as_ref()
            .map_or(0, |p| p.iter().map(|p| p.tokens).sum());
        let peak_day = by_day
            .iter()
            .enumerate()
            .filter(|(_, &v)| v > 0)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(i, &v)| (i, v));
        let active_days = by_day.iter().filter(|&&v| v > 0).count();

        Insights {
            currency: book.currency.clone(),
            minor_units: book.minor_units,
            estimate,
            tokens_charged,
            tokens_denied,
            denials: report.denials().len(),
            denied_user_days: denied_days.len(),
            run_out,
            effective_price: per_token(book.minor_units, money_spent, tokens_charged),
            money_spent,
            order,
            cliff,
            purchases,
            tokens_bought,
            expired_tokens,
            unused_tokens,
            alerts,
            first_day: model.start_date,
            days,
            by_day,
            denied_by_day,
            balance,
            opening_balance,
            marks,
            by_month,
            month_first_day,
            table: user_table(model, report),
            peak_day,
            active_days,
        }
    }

    /// The date of day `i` of the period.
    pub fn date(&self, i: usize) -> Date {
        add_days(self.first_day, i as i64)
    }

    /// The summary as CSV (`metric,value`): the same figures, unformatted, as the screen.
    pub fn summary_csv(&self) -> String {
        let mut rows: Vec<(String, String)> = vec![
            ("currency".into(), self.currency.clone()),
            (
                "mode".into(),
                if self.estimate { "estimate" } else { "packs" }.into(),
            ),
            ("tokens_charged".into(), self.tokens_charged.to_string()),
            ("cost".into(), self.money_spent.to_string()),
            (
                "effective_price_per_token".into(),
                self.effective_price
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
        ];
        if let Some(o) = &self.order {
            rows.push(("order_tokens".into(), o.tokens.to_string()));
            rows.push((
                "order_packs".into(),
                o.packs
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(" + "),
            ));
            rows.push((
                "order_unit_price".into(),
                o.unit_price.map(|p| p.to_string()).unwrap_or_default(),
            ));
            rows.push(("order_total".into(), o.total.to_string()));
        }
        if !self.estimate {
            rows.push(("tokens_bought".into(), self.tokens_bought.to_string()));
            rows.push(("tokens_denied".into(), self.tokens_denied.to_string()));
            rows.push(("denied_user_days".into(), self.denied_user_days.to_string()));
            rows.push((
                "run_out".into(),
                self.run_out.map(format_date).unwrap_or_default(),
            ));
            rows.push(("expired_tokens".into(), self.expired_tokens.to_string()));
            rows.push(("unused_tokens".into(), self.unused_tokens.to_string()));
            for (d, b) in &self.alerts {
                rows.push((
                    "low_balance_alert".into(),
                    format!("{} {b}", format_date(*d)),
                ));
            }
            for p in &self.purchases {
                rows.push((
                    format!("purchase {}", format_date(p.date)),
                    format!("{} tokens {}", p.tokens, p.total),
                ));
            }
        }
        for (k, t, _) in &self.by_month {
            rows.push((format!("tokens {k}"), t.to_string()));
        }
        for r in &self.table.rows {
            rows.push((format!("user {}", r.id), r.total.to_string()));
        }
        let mut out = String::from("metric,value\n");
        for (k, v) in rows {
            out.push_str(&csv_field(&k));
            out.push(',');
            out.push_str(&csv_field(&v));
            out.push('\n');
        }
        out
    }
}

fn user_table(model: &Model, report: &Report) -> UserTable {
    let n_items = report.products.len() + report.services.len();
    let col = |item: Item| match item {
        Item::Product(p) => p as usize,
        Item::Service(s) => report.products.len() + s as usize,
    };
    let mut tokens = vec![vec![0u64; n_items]; model.users.len()];
    let mut charges = vec![vec![0u32; n_items]; model.users.len()];
    let mut denied = vec![0u64; model.users.len()];
    let mut seen = vec![false; n_items];
    for c in report.charges() {
        let j = col(c.item());
        tokens[c.user as usize][j] += c.tokens;
        charges[c.user as usize][j] += 1;
        seen[j] = true;
    }
    for d in report.denials() {
        denied[d.charge.user as usize] += d.charge.tokens;
        seen[col(d.charge.item())] = true;
    }
    let mut cols: Vec<usize> = (0..n_items).filter(|&j| seen[j]).collect();
    let id_of = |j: usize| -> &str {
        if j < report.products.len() {
            &report.products[j]
        } else {
            &report.services[j - report.products.len()]
        }
    };
    crate::engine::advise::sort::sort_by(&mut cols, |&a, &b| id_of(a).cmp(id_of(b)));
    let rows: Vec<UserRow> = model
        .users
        .iter()
        .enumerate()
        .map(|(u, user)| {
            let t: Vec<u64> = cols.iter().map(|&j| tokens[u][j]).collect();
            UserRow {
                user: u,
                id: user.id.clone(),
                name: user.name().to_string(),
                total: t.iter().sum(),
                tokens: t,
                charges: cols.iter().map(|&j| charges[u][j]).collect(),
                denied: denied[u],
            }
        })
        .collect();
    let column_totals: Vec<u64> = (0..cols.len())
        .map(|k| rows.iter().map(|r| r.tokens[k]).sum())
        .collect();
    UserTable {
        items: cols.iter().map(|&j| id_of(j).to_string()).collect(),
        total: column_totals.iter().sum(),
        column_totals,
        rows,
    }
}

/// Packs mode: the cheapest order (P3) for what the team would burn with an unlimited
/// balance (the same scenario simulated as an estimate).
pub fn suggested_order(model: &Model) -> Order {
    let mut estimate = model.clone();
    estimate.packs = None;
    let report = run(&estimate);
    report
        .order
        .unwrap_or_else(|| crate::engine::price::cheapest_order(&model.book, report.totals.tokens))
}

/// Quotes a field for CSV (RFC 4180) only when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Every charge and denial, in time order per kind: the report's charges as CSV.
pub fn charges_csv(report: &Report) -> String {
    let mut out = String::from("user,item,kind,at,tokens,status\n");
    let mut line = |c: &crate::engine::report::Charge, status: &str| {
        let kind = match c.item() {
            Item::Product(_) => "daily",
            Item::Service(_) => "result",
        };
        out.push_str(&csv_field(&report.user_ids[c.user as usize]));
        out.push(',');
        out.push_str(&csv_field(report.item_id(c.item())));
        out.push(',');
        out.push_str(kind);
        out.push(',');
        out.push_str(&report.charge_time(c));
        out.push(',');
        out.push_str(&c.tokens.to_string());
        out.push(',');
        out.push_str(status);
        out.push('\n');
    };
    for c in report.charges() {
        line(&c, "charged");
    }
    for d in report.denials() {
        line(&d.charge, "denied");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::Scenario;
    use crate::engine::validate::validate;

    fn insights(json: &str) -> (Insights, Report) {
        let s = Scenario::from_json(json).expect("scenario");
        let model = validate(&s).expect("valid");
        let report = run(&model);
        (Insights::new(&model, &report), report)
    }

    const SEED: &str = r#"{"flexcalc":1,"currency":"EUR","timezone":"Europe/London",
      "period":{"start":"2027-03-01","months":1},
      "users":[{"id":"priscilla","usage":[{"product":"autocad","sessions":[
        {"start":"2027-03-01T08:00","end":"2027-03-01T17:00"},
        {"start":"2027-03-02T07:00","end":"2027-03-02T17:00"}]}]}]}"#;

    #[test]
    fn estimate_costs_the_cheapest_order_and_divides_by_tokens_charged() {
        let (i, _) = insights(SEED);
        assert!(i.estimate);
        assert_eq!(i.tokens_charged, 14);
        // 14 tokens need one 500-token pack at €3.33: €1,665.00 (P1, P3).
        assert_eq!(i.money_spent.to_string(), "1665.00");
        // P4: 1665 / 14 = 118.928571… → 118.9286 (minor unit + 2 decimals).
        assert_eq!(i.effective_price.unwrap().to_string(), "118.9286");
        assert_eq!(i.order.as_ref().unwrap().tokens, 500);
        assert!(i.cliff.is_none());
        assert_eq!(i.days, 31);
        assert_eq!(i.by_day[0], 7);
        assert_eq!(i.by_day[1], 7);
        assert_eq!(i.by_day[2..].iter().sum::<u64>(), 0);
        // Estimate mode: the series is the running total.
        assert_eq!(i.balance[0], 7);
        assert_eq!(i.balance[30], 14);
        assert_eq!(i.peak_day, Some((0, 7)));
        assert_eq!(i.active_days, 2);
        assert_eq!(i.by_month, vec![("2027-03".to_string(), 14, 0)]);
        assert_eq!(i.month_first_day, vec![0]);
        assert_eq!(i.table.items, vec!["autocad".to_string()]);
        assert_eq!(i.table.rows[0].tokens, vec![14]);
        assert_eq!(i.table.rows[0].charges, vec![2]);
        assert_eq!(i.table.total, 14);
    }

    /// A team burning 24,500 tokens: P3's example, €3.08 × 24,500 > €3.00 × 25,000.
    fn big_team(users: usize) -> String {
        let user = |i: usize| {
            format!(
                r#"{{"id":"u{i}","usage":[{{"product":"revit","weekly":{{"days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"17:00"}}}}]}}"#
            )
        };
        let list: Vec<String> = (0..users).map(user).collect();
        format!(
            r#"{{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{{"start":"2027-01-01","months":12}},"users":[{}]}}"#,
            list.join(",")
        )
    }

    #[test]
    fn no_cliff_when_the_plain_order_is_cheaper() {
        // 2027 has 261 weekdays: 261 × 10 tokens per user. 9 users → 23,490 tokens, which
        // round to 23,500 at €3.08 (€72,380.00), below 25,000 at €3.00 (€75,000.00).
        let (i, r) = insights(&big_team(9));
        assert_eq!(i.tokens_charged, 23_490);
        let months: Vec<(String, u64)> =
            i.by_month.iter().map(|(k, t, _)| (k.clone(), *t)).collect();
        assert_eq!(
            months, r.totals.by_month,
            "per month as the engine counts it"
        );
        assert_eq!(i.by_day.iter().sum::<u64>(), 23_490);
        assert!(i.cliff.is_none());
        assert_eq!(i.money_spent.to_string(), "72380.00");
    }

    #[test]
    fn cliff_reported_just_under_a_tier() {
        // SPEC P3's example: 24,500 tokens at €3.08 = €75,460.00 > 25,000 at €3.00.
        let mut users = Vec::new();
        // 94 users × 26 Revit days (10 tokens) = 24,440 tokens → plain 24,500.
        for i in 0..94 {
            users.push(format!(
                r#"{{"id":"u{i}","usage":[{{"product":"revit","weekly":{{"days":["mon","tue"],"from":"09:00","to":"17:00"}}}}]}}"#
            ));
        }
        let json = format!(
            r#"{{"flexcalc":1,"currency":"EUR","timezone":"UTC","period":{{"start":"2027-01-01","months":3}},"users":[{}]}}"#,
            users.join(",")
        );
        let (i, _) = insights(&json);
        // Jan–Mar 2027 has 13 Mondays and 13 Tuesdays: 26 days × 10 × 94 = 24,440.
        assert_eq!(i.tokens_charged, 24_440);
        let c = i.cliff.expect("a cliff under 25,000");
        assert_eq!(c.exact.tokens, 24_500);
        assert_eq!(c.exact.total.to_string(), "75460.00");
        assert_eq!(c.order.tokens, 25_000);
        assert_eq!(c.order.total.to_string(), "75000.00");
        assert_eq!(c.saving.to_string(), "460.00");
        assert_eq!(c.extra_tokens, 500);
        assert_eq!(i.money_spent.to_string(), "75000.00");
    }

    #[test]
    fn packs_short_run_out_denied_days_purchases_priced_per_date() {
        let json = r#"{"flexcalc":1,"currency":"GBP","timezone":"Europe/London",
          "period":{"start":"2027-03-01","months":1},
          "packs":[{"id":"A","purchased":"2027-03-01","tokens":20},{"id":"B","purchased":"2027-03-01","tokens":10},
                   {"id":"C","purchased":"2027-03-20","tokens":7}],
          "users":[{"id":"p","name":"Priscilla","usage":[{"product":"revit","weekly":{"days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"17:00"}}]}]}"#;
        let (i, r) = insights(json);
        assert!(!i.estimate);
        // Mar 1–3 charged (30 tokens); Mar 4 onward denied until C's 7 tokens: still < 10.
        assert_eq!(i.tokens_charged, 30);
        assert_eq!(i.run_out.map(format_date).as_deref(), Some("2027-03-04"));
        // Weekdays 4–31 March 2027: 20 days, each denied once.
        assert_eq!(i.denied_user_days, 20);
        assert_eq!(i.denials, r.denials().len());
        assert_eq!(i.tokens_denied, 200);
        // Two purchase dates: 30 tokens at £2.94 = £88.20; 7 tokens = £20.58.
        assert_eq!(i.purchases.len(), 2);
        assert_eq!(i.purchases[0].tokens, 30);
        assert_eq!(i.purchases[0].total.to_string(), "88.20");
        assert_eq!(i.purchases[1].total.to_string(), "20.58");
        assert_eq!(i.money_spent.to_string(), "108.78");
        // P4: 108.78 / 30 = 3.626 → 3.6260.
        assert_eq!(i.effective_price.unwrap().to_string(), "3.6260");
        assert_eq!(i.tokens_bought, 37);
        assert_eq!(i.unused_tokens, 7);
        assert_eq!(i.expired_tokens, 0);
        // Balance: 20 after day 1, 10 after day 2, 0 after day 3, 7 from 20 March.
        assert_eq!(i.balance[0], 20);
        assert_eq!(i.balance[2], 0);
        assert_eq!(i.balance[18], 0);
        assert_eq!(i.balance[19], 7);
        assert_eq!(i.balance[30], 7);
        assert!(i
            .marks
            .iter()
            .any(|m| m.kind == MarkKind::RunOut && m.day == 3));
        assert_eq!(
            i.marks
                .iter()
                .filter(|m| m.kind == MarkKind::Purchase)
                .count(),
            3
        );
        assert_eq!(i.by_month[0].2, 200);
        assert_eq!(i.table.rows[0].denied, 200);
        assert!(i.order.is_none());
        let csv = i.summary_csv();
        assert!(csv.contains("cost,108.78\n"), "{csv}");
        assert!(csv.contains("run_out,2027-03-04\n"));
    }

    #[test]
    fn expiry_inside_the_period_is_reported_as_waste_and_marked() {
        let json = r#"{"flexcalc":1,"currency":"EUR","timezone":"UTC",
          "period":{"start":"2027-01-01","months":6},
          "packs":[{"id":"old","purchased":"2026-03-01","tokens":500}],
          "users":[{"id":"p","usage":[{"product":"autocad","dates":{"dates":["2027-01-05","2027-02-10"],"from":"09:00","to":"12:00"}}]}]}"#;
        let (i, _) = insights(json);
        assert_eq!(i.opening_balance, 500);
        assert_eq!(i.tokens_charged, 14);
        assert_eq!(i.expired_tokens, 486);
        assert_eq!(i.unused_tokens, 0);
        let expiry = i
            .marks
            .iter()
            .find(|m| m.kind == MarkKind::Expiry)
            .expect("expiry mark");
        assert_eq!(format_date(i.date(expiry.day)), "2027-03-01");
        assert_eq!(expiry.tokens, 486);
        assert_eq!(i.balance[i.days - 1], 0);
        // Bought before the period, but paid for: one order of 500 at €3.33.
        assert_eq!(i.money_spent.to_string(), "1665.00");
    }

    #[test]
    fn suggested_order_covers_what_an_unlimited_balance_would_burn() {
        let json = r#"{"flexcalc":1,"currency":"EUR","timezone":"UTC",
          "period":{"start":"2027-01-01","months":1},"packs":[],
          "users":[{"id":"p","usage":[{"product":"revit","weekly":{"days":["mon"],"from":"09:00","to":"17:00"}}]}]}"#;
        let s = Scenario::from_json(json).unwrap();
        let model = validate(&s).unwrap();
        let o = suggested_order(&model);
        // January 2027 has 4 Mondays: 40 tokens → one 500 pack.
        assert_eq!(o.tokens_needed, 40);
        assert_eq!(o.tokens, 500);
        let r = run(&model);
        let i = Insights::new(&model, &r);
        assert_eq!(i.tokens_charged, 0);
        assert_eq!(i.effective_price, None);
        assert_eq!(i.denied_user_days, 4);
    }

    #[test]
    fn midnights_follow_daylight_saving_shifts() {
        let json = r#"{"flexcalc":1,"currency":"EUR","timezone":"Europe/Paris","period":{"start":"2027-01-01","months":12},"users":[]}"#;
        let model = validate(&Scenario::from_json(json).unwrap()).unwrap();
        let (m, days) = midnights(&model);
        assert_eq!(days, 365);
        let mut d = model.start_date;
        for (i, &t) in m.iter().take(days).enumerate() {
            assert_eq!(t, midnight(&model.tz, d), "day {i}");
            d = add_days(d, 1);
        }
        assert_eq!(m[days], model.end);
        let r = run(&model);
        let i = Insights::new(&model, &r);
        assert_eq!(
            i.month_first_day,
            vec![0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        );
    }

    #[test]
    fn figures_agree_with_the_report_on_every_example() {
        for json in [
            include_str!("../../examples/architecture-studio.json"),
            include_str!("../../examples/media-seasonal.json"),
            include_str!("../../examples/manufacturing-run-dry.json"),
        ] {
            let (i, r) = insights(json);
            let months: Vec<(String, u64)> =
                i.by_month.iter().map(|(k, t, _)| (k.clone(), *t)).collect();
            assert_eq!(months, r.totals.by_month);
            assert_eq!(i.by_day.iter().sum::<u64>(), r.totals.tokens);
            assert_eq!(i.table.total, r.totals.tokens);
            let by_user: Vec<u64> = i.table.rows.iter().map(|row| row.total).collect();
            assert_eq!(by_user, r.totals.by_user);
            assert_eq!(i.denied_by_day.iter().sum::<u64>(), i.tokens_denied);
            assert_eq!(
                i.expired_tokens,
                r.packs.iter().map(|p| p.expired).sum::<u64>()
            );
        }
    }

    #[test]
    fn charges_csv_lists_charges_then_denials() {
        let (_, r) = insights(SEED);
        let csv = charges_csv(&r);
        assert_eq!(
            csv,
            "user,item,kind,at,tokens,status\npriscilla,autocad,daily,2027-03-01T08:00:00+00:00,7,charged\npriscilla,autocad,daily,2027-03-02T08:00:00+00:00,7,charged\n"
        );
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
