//! The app's one state: the scenario being edited (the CLI's own format), the UI's
//! language and selection, and the engine's answer for the current scenario. Every edit
//! goes through the reducer, which re-runs the engine: the UI never computes a figure.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::error::InputError;
use crate::engine::insights::{suggested_order, Insights};
use crate::engine::model::Model;
use crate::engine::price::Order;
use crate::engine::report::Report;
use crate::engine::scenario::{Scenario, Subscription};
use crate::engine::simulate::run;
use crate::engine::validate::validate;
use crate::ui::i18n::Lang;
use crate::ui::zones;

/// The engine's answer for one scenario.
pub struct Outcome {
    pub model: Model,
    pub report: Report,
    pub insights: Insights,
    /// Packs mode: the cheapest order for what the team would burn (P3).
    pub suggested: Option<Order>,
}

impl Outcome {
    /// Tokens charged per user, in the scenario's order.
    pub fn by_user(&self) -> &[u64] {
        &self.report.totals.by_user
    }

    /// Each pack's report, in the scenario's order (packs mode).
    pub fn packs(&self) -> &[crate::engine::report::PackReport] {
        &self.report.packs
    }
}

/// Milliseconds since the page started (the browser's clock), for the perf figures.
fn clock() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return crate::ui::js::now_ms();
    #[cfg(not(target_arch = "wasm32"))]
    return 0.0;
}

fn record(name: &str, ms: f64) {
    #[cfg(target_arch = "wasm32")]
    crate::ui::js::set_perf(name, ms);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, ms);
}

/// The engine's answer, or `None` while a zone the scenario names is being fetched
/// (the browser only: see `zones`).
fn answer(s: &Scenario) -> Option<Result<Rc<Outcome>, InputError>> {
    (!zones::waiting(s)).then(|| compute(s).map(Rc::new))
}

/// Stands for the answer while zones load: never shown (`State::loading` is checked first).
fn not_yet() -> InputError {
    InputError::new("", "time zones loading")
}

pub fn compute(s: &Scenario) -> Result<Outcome, InputError> {
    let t0 = clock();
    let out = compute_inner(s);
    record("compute_ms", clock() - t0);
    out
}

fn compute_inner(s: &Scenario) -> Result<Outcome, InputError> {
    let t0 = clock();
    let model = validate(s)?;
    let t1 = clock();
    let report = run(&model);
    let t2 = clock();
    let insights = Insights::new(&model, &report);
    record("validate_ms", t1 - t0);
    record("simulate_ms", t2 - t1);
    record("insights_ms", clock() - t2);
    let suggested = model.packs.is_some().then(|| suggested_order(&model));
    Ok(Outcome {
        model,
        report,
        insights,
        suggested,
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Team,
    Packs,
    Settings,
    Assumptions,
    Advisor,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BannerKind {
    Info,
    Warning,
    Error,
}

/// A message above the editor: a translation key, and a detail shown verbatim.
#[derive(Clone, PartialEq, Debug)]
pub struct Banner {
    pub kind: BannerKind,
    pub key: &'static str,
    pub detail: String,
}

impl Banner {
    pub fn new(kind: BannerKind, key: &'static str, detail: impl Into<String>) -> Banner {
        Banner {
            kind,
            key,
            detail: detail.into(),
        }
    }
}

pub type Edit = Rc<dyn Fn(&mut Scenario)>;

pub enum Action {
    /// Any change to the scenario.
    Edit(Edit),
    /// A whole new scenario (preset, import, share link), with a message.
    Replace(Box<Scenario>, Option<Banner>),
    SetLang(Lang),
    Select(usize),
    SetTab(Tab),
    Banner(Option<Banner>),
    /// The advisor's plan: every user's subscriptions become the plan's (user id,
    /// subscription), in one change that Undo takes back.
    ApplyPlan(Vec<(String, Subscription)>),
    /// Back to the scenario before the last change, and forward again.
    Undo,
    Redo,
    /// Time-zone data came in (or was found missing): answer the scenario if it waited.
    ZonesLoaded,
}

/// How many changes Undo can take back.
pub const HISTORY: usize = 100;

pub struct State {
    pub scenario: Rc<Scenario>,
    pub lang: Lang,
    pub selected: usize,
    pub tab: Tab,
    pub banner: Option<Banner>,
    /// The engine's answer, or its located refusal (a placeholder while `loading`).
    pub outcome: Result<Rc<Outcome>, InputError>,
    /// The scenario names time zones still being fetched: no answer yet.
    pub loading: bool,
    /// Bumped each time zone data comes in while the scenario still waits (the app then
    /// fetches what is left).
    pub zones_seen: u32,
    /// A new scenario (preset, import, link) waits for its zones: `last_good` is still the
    /// replaced one's, shown dimmed until the answer, then dropped if the answer is a refusal.
    replaced: bool,
    /// The last answer that succeeded, shown dimmed while the scenario is refused.
    pub last_good: Option<Rc<Outcome>>,
    /// Bumped by every scenario change (autosave watches it).
    pub rev: u64,
    /// Earlier scenarios (most recent last) and undone ones (most recent last).
    pub past: Rc<Vec<Rc<Scenario>>>,
    pub future: Rc<Vec<Rc<Scenario>>>,
}

impl State {
    pub fn new(scenario: Scenario, lang: Lang, banner: Option<Banner>) -> State {
        let answer = answer(&scenario);
        let loading = answer.is_none();
        let outcome = answer.unwrap_or_else(|| Err(not_yet()));
        State {
            loading,
            zones_seen: 0,
            replaced: false,
            last_good: outcome.as_ref().ok().cloned(),
            scenario: Rc::new(scenario),
            lang,
            selected: 0,
            tab: Tab::Team,
            banner,
            outcome,
            rev: 0,
            past: Rc::new(Vec::new()),
            future: Rc::new(Vec::new()),
        }
    }

    /// What to show: the current answer, or the last good one (stale) with the refusal
    /// or while zones load.
    pub fn shown(&self) -> Option<&Rc<Outcome>> {
        self.outcome.as_ref().ok().or(self.last_good.as_ref())
    }

    /// The engine's refusal of the scenario (none while zones load).
    pub fn refusal(&self) -> Option<&InputError> {
        match &self.outcome {
            Err(e) if !self.loading => Some(e),
            _ => None,
        }
    }

    fn with_scenario(&self, scenario: Scenario) -> State {
        let answer = answer(&scenario);
        let loading = answer.is_none();
        let outcome = answer.unwrap_or_else(|| Err(not_yet()));
        let last_good = match &outcome {
            Ok(o) => Some(o.clone()),
            Err(_) if self.replaced && !loading => None,
            Err(_) => self.last_good.clone(),
        };
        let selected = self.selected.min(scenario.users.len().saturating_sub(1));
        State {
            scenario: Rc::new(scenario),
            lang: self.lang,
            selected,
            tab: self.tab,
            banner: self.banner.clone(),
            outcome,
            loading,
            zones_seen: self.zones_seen,
            replaced: self.replaced && loading,
            last_good,
            rev: self.rev + 1,
            past: self.past.clone(),
            future: self.future.clone(),
        }
    }

    /// A change the user can undo: the current scenario goes into the history.
    fn changed(&self, scenario: Scenario) -> State {
        let mut next = self.with_scenario(scenario);
        let mut past = (*self.past).clone();
        past.push(self.scenario.clone());
        if past.len() > HISTORY {
            past.remove(0);
        }
        next.past = Rc::new(past);
        next.future = Rc::new(Vec::new());
        next
    }

    fn copy(&self) -> State {
        State {
            scenario: self.scenario.clone(),
            lang: self.lang,
            selected: self.selected,
            tab: self.tab,
            banner: self.banner.clone(),
            outcome: self.outcome.clone(),
            loading: self.loading,
            zones_seen: self.zones_seen,
            replaced: self.replaced,
            last_good: self.last_good.clone(),
            rev: self.rev,
            past: self.past.clone(),
            future: self.future.clone(),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit(f) => {
                let mut s = (*self.scenario).clone();
                f(&mut s);
                if s == *self.scenario {
                    return self;
                }
                Rc::new(self.changed(s))
            }
            Action::ApplyPlan(plan) => {
                let mut s = (*self.scenario).clone();
                apply_plan(&mut s, &plan);
                if s == *self.scenario {
                    return self;
                }
                Rc::new(self.changed(s))
            }
            Action::Undo | Action::Redo => {
                let undo = matches!(action, Action::Undo);
                let (mut from, mut to) = if undo {
                    ((*self.past).clone(), (*self.future).clone())
                } else {
                    ((*self.future).clone(), (*self.past).clone())
                };
                let Some(target) = from.pop() else {
                    return self;
                };
                to.push(self.scenario.clone());
                let mut next = self.with_scenario((*target).clone());
                let (past, future) = if undo { (from, to) } else { (to, from) };
                next.past = Rc::new(past);
                next.future = Rc::new(future);
                Rc::new(next)
            }
            Action::Replace(s, banner) => {
                let mut next = self.changed(*s);
                next.selected = 0;
                next.banner = banner;
                if next.loading {
                    next.replaced = true;
                } else {
                    next.last_good = next.outcome.as_ref().ok().cloned();
                }
                Rc::new(next)
            }
            Action::SetLang(lang) => {
                let mut next = self.copy();
                next.lang = lang;
                next.rev += 1;
                Rc::new(next)
            }
            Action::Select(i) => {
                let mut next = self.copy();
                next.selected = i;
                Rc::new(next)
            }
            Action::SetTab(t) => {
                let mut next = self.copy();
                next.tab = t;
                Rc::new(next)
            }
            Action::ZonesLoaded => {
                if !self.loading {
                    return self;
                }
                let mut next = self.with_scenario((*self.scenario).clone());
                next.scenario = self.scenario.clone();
                next.rev = self.rev;
                next.zones_seen = self.zones_seen.wrapping_add(1);
                Rc::new(next)
            }
            Action::Banner(b) => {
                let mut next = self.copy();
                next.banner = b;
                Rc::new(next)
            }
        }
    }
}

/// Replaces each user's subscriptions with the plan's for that user (none if the plan
/// gives the user none).
pub fn apply_plan(s: &mut Scenario, plan: &[(String, Subscription)]) {
    for u in &mut s.users {
        u.subscriptions = plan
            .iter()
            .filter(|(id, _)| *id == u.id)
            .map(|(_, sub)| sub.clone())
            .collect();
    }
}

pub type Ctx = UseReducerHandle<State>;

/// A callback that applies an edit to the scenario.
pub fn edit(ctx: &Ctx, f: impl Fn(&mut Scenario) + 'static) {
    ctx.dispatch(Action::Edit(Rc::new(f)));
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.scenario, &other.scenario)
            && self.rev == other.rev
            && self.loading == other.loading
            && self.zones_seen == other.zones_seen
            && self.lang == other.lang
            && self.selected == other.selected
            && self.tab == other.tab
            && self.banner == other.banner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::templates::starter;

    fn state() -> Rc<State> {
        Rc::new(State::new(
            starter("Europe/Paris", "EUR", ["A", "B", "C"]),
            Lang::En,
            None,
        ))
    }

    fn tokens(s: &State) -> u64 {
        s.outcome
            .as_ref()
            .map(|o| o.insights.tokens_charged)
            .unwrap_or(0)
    }

    #[test]
    fn an_edit_recomputes_through_the_engine() {
        let s0 = state();
        let t0 = tokens(&s0);
        let s1 = s0.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.users[1].usage[0].monthly.as_mut().unwrap().days = 5;
        })));
        assert_eq!(s1.rev, 1);
        // Ben's AutoCAD: 5 instead of 3 days a month, 12 months × 2 × 7 tokens more.
        assert_eq!(tokens(&s1), t0 + 12 * 2 * 7);
        // An edit that changes nothing keeps the same state (no recompute, no autosave).
        let s2 = s1
            .clone()
            .reduce(Action::Edit(Rc::new(|_: &mut Scenario| {})));
        assert!(Rc::ptr_eq(&s1, &s2));
    }

    #[test]
    fn a_refused_edit_keeps_the_last_answer_and_the_located_message() {
        let s0 = state();
        let s1 = s0.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.users[0].usage[0].weekly.as_mut().unwrap().from = "25:00".into()
        })));
        let err = s1.outcome.as_ref().err().expect("refused");
        assert_eq!(err.path, "users[0].usage[0].weekly.from");
        assert_eq!(
            s1.scenario.users[0].usage[0].weekly.as_ref().unwrap().from,
            "25:00",
            "what the user typed stays"
        );
        assert_eq!(
            s1.shown().map(|o| o.insights.tokens_charged),
            Some(tokens(&s0))
        );
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let s0 = state();
        let t0 = tokens(&s0);
        let s1 = s0.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.users.remove(2).id.clear()
        })));
        let t1 = tokens(&s1);
        assert!(t1 < t0);
        let s2 = s1.reduce(Action::Undo);
        assert_eq!(s2.scenario, s0.scenario);
        assert_eq!(tokens(&s2), t0);
        let s3 = s2.clone().reduce(Action::Redo);
        assert_eq!(tokens(&s3), t1);
        assert_eq!(s3.scenario.users.len(), 2);
        // Nothing more to redo; a new edit clears the redo list.
        let s4 = s3.clone().reduce(Action::Redo);
        assert!(Rc::ptr_eq(&s3, &s4));
        let s5 = s2.reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.currency = "JPY".into()
        })));
        assert!(s5.future.is_empty());
        assert_eq!(s5.past.len(), 1);
    }

    #[test]
    fn applying_the_advisors_plan_is_one_undoable_change() {
        use crate::engine::advise::advise;
        use crate::ui::presets::find;
        let preset = Scenario::from_json(find("architecture-studio").unwrap().json).unwrap();
        let s0 = Rc::new(State::new(preset, Lang::En, None));
        let before = advise(&s0.scenario).unwrap();
        assert!(
            before.saving.current > rust_decimal::Decimal::ZERO,
            "the preset's own subscriptions are not the best plan"
        );
        let plan: Vec<(String, Subscription)> = before.plan.scenario_subscriptions();
        let s1 = s0.clone().reduce(Action::ApplyPlan(plan.clone()));
        assert_eq!(s1.past.len(), 1);
        assert!(s1.outcome.is_ok());
        // The scenario now holds exactly the plan: its current cost is the plan's.
        let after = advise(&s1.scenario).unwrap();
        assert_eq!(after.current.cost.total, before.plan.cost.total);
        assert_eq!(after.saving.current, rust_decimal::Decimal::ZERO);
        let held: usize = s1
            .scenario
            .users
            .iter()
            .map(|u| u.subscriptions.len())
            .sum();
        assert_eq!(held, plan.len());
        // Applying it again changes nothing; Undo restores the scenario as it was.
        let s2 = s1.clone().reduce(Action::ApplyPlan(plan));
        assert!(Rc::ptr_eq(&s1, &s2));
        let s3 = s2.reduce(Action::Undo);
        assert_eq!(s3.scenario, s0.scenario);
    }

    #[test]
    fn a_scenario_waits_for_its_zones_then_is_answered() {
        use crate::ui::zones::pretend_fetching;
        let mut tokyo = starter("Asia/Tokyo", "JPY", ["X", "Y", "Z"]);
        tokyo.users[0].timezone = Some("Mars/Olympus".into());
        // Tokyo's data is being fetched: no answer, no refusal, nothing to show yet.
        pretend_fetching(&["Asia/Tokyo"]);
        let s0 = Rc::new(State::new(tokyo.clone(), Lang::En, None));
        assert!(s0.loading);
        assert!(s0.refusal().is_none() && s0.shown().is_none());
        // An edit meanwhile still waits; undo history works as usual.
        let s1 = s0.reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.currency = "EUR".into()
        })));
        assert!(s1.loading && s1.past.len() == 1);
        // The data is in: the answer is the engine's (here its located refusal of Mars).
        pretend_fetching(&[]);
        let s2 = s1.clone().reduce(Action::ZonesLoaded);
        assert!(!s2.loading);
        assert_eq!(s2.rev, s1.rev, "not a change of the scenario");
        assert!(Rc::ptr_eq(&s2.scenario, &s1.scenario));
        assert_eq!(
            s2.refusal().map(|e| e.path.as_str()),
            Some("users[0].timezone")
        );
        // A new scenario that waits keeps showing the last answer (dimmed) until its own.
        let good = s2.reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.users[0].timezone = None
        })));
        assert!(good.outcome.is_ok());
        pretend_fetching(&["Asia/Tokyo"]);
        let s3 = good.clone().reduce(Action::Replace(Box::new(tokyo), None));
        assert!(s3.loading);
        assert!(Rc::ptr_eq(
            s3.shown().unwrap(),
            good.outcome.as_ref().unwrap()
        ));
        // Its answer is a refusal: the replaced scenario's figures are no longer shown.
        pretend_fetching(&[]);
        let s4 = s3.reduce(Action::ZonesLoaded);
        assert!(s4.refusal().is_some() && s4.shown().is_none());
        // Nothing waits: ZonesLoaded changes nothing.
        let s5 = s4.clone().reduce(Action::ZonesLoaded);
        assert!(Rc::ptr_eq(&s4, &s5));
    }

    #[test]
    fn replace_resets_selection_and_sets_the_banner() {
        let s0 = state().reduce(Action::Select(2));
        assert_eq!(s0.selected, 2);
        let mut other = starter("UTC", "JPY", ["X", "Y", "Z"]);
        other.users.truncate(1);
        let s1 = s0.reduce(Action::Replace(
            Box::new(other),
            Some(Banner::new(BannerKind::Info, "banner.imported", "")),
        ));
        assert_eq!(s1.selected, 0);
        assert_eq!(s1.scenario.currency, "JPY");
        assert_eq!(s1.banner.as_ref().map(|b| b.key), Some("banner.imported"));
        assert_eq!(
            s1.outcome
                .as_ref()
                .map(|o| o.insights.currency.as_str())
                .ok(),
            Some("JPY")
        );
    }

    #[test]
    fn idle_stretches_and_plugins_are_edits_the_engine_prices_and_undo_takes_back() {
        use crate::ui::templates::{add_plugin, add_stretch, set_kind, set_stretch, PatternKind};
        let s0 = state();
        let t0 = tokens(&s0);
        // Ben's AutoCAD becomes one session, Friday 09:00 to Saturday 11:00: two 24 h windows.
        let s1 = s0.reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            let period = s.period.clone();
            let u = &mut s.users[1].usage[0];
            set_kind(u, PatternKind::Sessions, &period);
            u.sessions.as_mut().unwrap()[0].end = "2027-01-02T11:00".into();
        })));
        assert_eq!(tokens(&s1), t0 - 36 * 7 + 2 * 7);
        // Idle from Saturday 08:15: the use ends inside the first window.
        let s2 = s1.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            let x = &mut s.users[1].usage[0].sessions.as_mut().unwrap()[0];
            add_stretch(x);
            set_stretch(x, 0, false, "2027-01-02T08:00");
            set_stretch(x, 0, true, "2027-01-02T11:00");
        })));
        assert_eq!(tokens(&s2), tokens(&s1) - 7);
        // Idle detection off: the stretch is use again; the stretch is kept.
        let s3 = s2.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.users[1].usage[0].idle_detection = Some(false)
        })));
        assert_eq!(tokens(&s3), tokens(&s1));
        assert!(s3.scenario.users[1].usage[0].sessions.as_ref().unwrap()[0]
            .inactive
            .is_some());
        // A plug-in on the host's one day: ReCap Pro's own 1 token.
        let s4 = s2.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            add_plugin(&mut s.users[1].usage[0], "recap-pro")
        })));
        assert_eq!(tokens(&s4), tokens(&s2) + 1);
        let s5 = s4.reduce(Action::Undo);
        assert_eq!(s5.scenario, s2.scenario);
        assert_eq!(tokens(&s5), tokens(&s2));
    }
}
