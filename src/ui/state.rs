//! The app's one state: the scenario being edited (the CLI's own format), the UI's
//! language and selection, and the engine's answer for the current scenario. Every edit
//! goes through the reducer, which re-runs the engine: the UI never computes a figure.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::engine::error::InputError;
use crate::engine::insights::{suggested_order, Insights};
use crate::engine::price::Order;
use crate::engine::report::PackReport;
use crate::engine::scenario::{Scenario, Subscription};
use crate::engine::simulate::run;
use crate::engine::validate::validate;
use crate::ui::i18n::Lang;

/// The engine's answer for one scenario, as the view needs it: what the worker sends
/// back to the page (serialised once per answer), never the whole report, whose charges
/// alone are millions for a big team (the charges CSV is asked of the worker apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub insights: Insights,
    /// Tokens charged per user, in the scenario's order.
    by_user: Vec<u64>,
    /// Each pack's report, in the scenario's order (packs mode).
    packs: Vec<PackReport>,
    /// Packs mode: the cheapest order for what the team would burn (P3).
    pub suggested: Option<Order>,
}

impl Outcome {
    /// Tokens charged per user, in the scenario's order.
    pub fn by_user(&self) -> &[u64] {
        &self.by_user
    }

    /// Each pack's report, in the scenario's order (packs mode).
    pub fn packs(&self) -> &[PackReport] {
        &self.packs
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

/// Runs the engine on `s`: what the worker does for each edit (and the UI's native
/// tests, which feed the answer back as the page does).
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
        insights,
        by_user: report.totals.by_user,
        packs: report.packs,
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
    /// The engine's answer (from the worker) for run `job`: kept if that run is still the
    /// current scenario's, dropped if an edit superseded it.
    Answer(u64, Result<Rc<Outcome>, InputError>),
}

/// How many changes Undo can take back.
pub const HISTORY: usize = 100;

pub struct State {
    pub scenario: Rc<Scenario>,
    pub lang: Lang,
    pub selected: usize,
    pub tab: Tab,
    pub banner: Option<Banner>,
    /// The engine's last answer, or its located refusal (a placeholder before the first).
    pub outcome: Result<Rc<Outcome>, InputError>,
    /// The current scenario's answer is on its way (the worker runs the engine): the last
    /// answer is shown dimmed and busy meanwhile.
    pub loading: bool,
    /// The current scenario's run: bumped by each change of the scenario. The app sends the
    /// scenario to the worker under this number; an answer under an older one is stale.
    pub job: u64,
    /// A new scenario (preset, import, link) waits for its answer: `last_good` is still the
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

/// Stands for the answer before the first one: never shown (`State::loading` is checked first).
fn not_yet() -> InputError {
    InputError::new("", "not answered yet")
}

impl State {
    pub fn new(scenario: Scenario, lang: Lang, banner: Option<Banner>) -> State {
        State {
            loading: true,
            job: 1,
            replaced: false,
            last_good: None,
            scenario: Rc::new(scenario),
            lang,
            selected: 0,
            tab: Tab::Team,
            banner,
            outcome: Err(not_yet()),
            rev: 0,
            past: Rc::new(Vec::new()),
            future: Rc::new(Vec::new()),
        }
    }

    /// What to show: the current answer, or the last good one (stale) with the refusal
    /// or while the answer is on its way.
    pub fn shown(&self) -> Option<&Rc<Outcome>> {
        match &self.outcome {
            Ok(o) if !self.loading => Some(o),
            _ => self.last_good.as_ref(),
        }
    }

    /// The engine's refusal of the scenario (none while its answer is on its way).
    pub fn refusal(&self) -> Option<&InputError> {
        match &self.outcome {
            Err(e) if !self.loading => Some(e),
            _ => None,
        }
    }

    /// The same state but for a new scenario, whose answer is now awaited.
    fn with_scenario(&self, scenario: Scenario) -> State {
        let selected = self.selected.min(scenario.users.len().saturating_sub(1));
        State {
            scenario: Rc::new(scenario),
            lang: self.lang,
            selected,
            tab: self.tab,
            banner: self.banner.clone(),
            outcome: self.outcome.clone(),
            loading: true,
            job: self.job + 1,
            replaced: self.replaced,
            last_good: self.last_good.clone(),
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
            job: self.job,
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
                let t0 = clock();
                let mut s = (*self.scenario).clone();
                let t1 = clock();
                f(&mut s);
                let same = s == *self.scenario;
                record("edit_clone_ms", t1 - t0);
                record("edit_compare_ms", clock() - t1);
                if same {
                    return self;
                }
                Rc::new(self.changed(s))
            }
            Action::ApplyPlan(plan) => {
                if plan_applied(&self.scenario, &plan) {
                    return self;
                }
                let mut s = (*self.scenario).clone();
                apply_plan(&mut s, &plan);
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
                next.replaced = true;
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
            Action::Answer(job, outcome) => {
                if job != self.job || !self.loading {
                    return self;
                }
                let mut next = self.copy();
                next.last_good = match &outcome {
                    Ok(o) => Some(o.clone()),
                    Err(_) if self.replaced => None,
                    Err(_) => self.last_good.clone(),
                };
                next.outcome = outcome;
                next.loading = false;
                next.replaced = false;
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
/// gives the user none). Users whose subscriptions stay the same are not copied.
pub fn apply_plan(s: &mut Scenario, plan: &[(String, Subscription)]) {
    let by_user = plan_by_user(plan);
    for u in &mut s.users {
        let subs: Vec<Subscription> = by_user
            .get(u.id.as_str())
            .map(|subs| subs.iter().map(|&sub| sub.clone()).collect())
            .unwrap_or_default();
        if u.subscriptions != subs {
            Arc::make_mut(u).subscriptions = subs;
        }
    }
}

/// The plan's subscriptions by user id, in the plan's order.
fn plan_by_user(plan: &[(String, Subscription)]) -> HashMap<&str, Vec<&Subscription>> {
    let mut by_user: HashMap<&str, Vec<&Subscription>> = HashMap::new();
    for (id, sub) in plan {
        by_user.entry(id).or_default().push(sub);
    }
    by_user
}

/// Whether `apply_plan` would change nothing: each user already has exactly the plan's
/// subscriptions (a big team's check reads it, without a copy of the scenario).
pub fn plan_applied(s: &Scenario, plan: &[(String, Subscription)]) -> bool {
    let by_user = plan_by_user(plan);
    s.users.iter().all(|u| {
        let want = by_user.get(u.id.as_str()).map_or(&[][..], |v| &v[..]);
        u.subscriptions.len() == want.len()
            && u.subscriptions.iter().zip(want).all(|(a, b)| a == *b)
    })
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
            && self.job == other.job
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

    /// What the page does: the reducer's action, then the worker's answer fed back.
    trait Act {
        fn act(self, a: Action) -> Rc<State>;
    }

    impl Act for Rc<State> {
        fn act(self, a: Action) -> Rc<State> {
            settle(self.reduce(a))
        }
    }

    fn settle(s: Rc<State>) -> Rc<State> {
        if !s.loading {
            return s;
        }
        let answer = compute(&s.scenario).map(Rc::new);
        let job = s.job;
        s.reduce(Action::Answer(job, answer))
    }

    fn state() -> Rc<State> {
        settle(Rc::new(State::new(
            starter("Europe/Paris", "EUR", ["A", "B", "C"]),
            Lang::En,
            None,
        )))
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
        let s1 = s0.clone().act(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.user_mut(1).unwrap().usage[0]
                .monthly
                .as_mut()
                .unwrap()
                .days = 5;
        })));
        assert_eq!(s1.rev, 1);
        // Ben's AutoCAD: 5 instead of 3 days a month, 12 months × 2 × 7 tokens more.
        assert_eq!(tokens(&s1), t0 + 12 * 2 * 7);
        // An edit that changes nothing keeps the same state (no recompute, no autosave).
        let s2 = s1.clone().act(Action::Edit(Rc::new(|_: &mut Scenario| {})));
        assert!(Rc::ptr_eq(&s1, &s2));
    }

    #[test]
    fn a_refused_edit_keeps_the_last_answer_and_the_located_message() {
        let s0 = state();
        let s1 = s0.clone().act(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.user_mut(0).unwrap().usage[0]
                .weekly
                .as_mut()
                .unwrap()
                .from = "25:00".into()
        })));
        let err = s1.outcome.as_ref().expect_err("refused");
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
        let s1 = s0.clone().act(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.users.remove(2);
        })));
        let t1 = tokens(&s1);
        assert!(t1 < t0);
        let s2 = s1.act(Action::Undo);
        assert_eq!(s2.scenario, s0.scenario);
        assert_eq!(tokens(&s2), t0);
        let s3 = s2.clone().act(Action::Redo);
        assert_eq!(tokens(&s3), t1);
        assert_eq!(s3.scenario.users.len(), 2);
        // Nothing more to redo; a new edit clears the redo list.
        let s4 = s3.clone().act(Action::Redo);
        assert!(Rc::ptr_eq(&s3, &s4));
        let s5 = s2.act(Action::Edit(Rc::new(|s: &mut Scenario| {
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
        assert!(!plan_applied(&s0.scenario, &plan));
        let s1 = s0.clone().act(Action::ApplyPlan(plan.clone()));
        assert!(plan_applied(&s1.scenario, &plan));
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
        let s2 = s1.clone().act(Action::ApplyPlan(plan));
        assert!(Rc::ptr_eq(&s1, &s2));
        let s3 = s2.act(Action::Undo);
        assert_eq!(s3.scenario, s0.scenario);
    }

    #[test]
    fn an_answer_superseded_by_an_edit_is_dropped_and_the_last_one_shown_meanwhile() {
        let s0 = state();
        let t0 = tokens(&s0);
        // Two quick edits: both runs are asked for, the first answer comes in last.
        let s1 = s0.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.user_mut(1).unwrap().usage[0]
                .monthly
                .as_mut()
                .unwrap()
                .days = 5;
        })));
        assert!(s1.loading && s1.job == s0.job + 1);
        assert!(Rc::ptr_eq(
            s1.shown().unwrap(),
            s0.outcome.as_ref().unwrap()
        ));
        assert!(
            s1.refusal().is_none(),
            "nothing refused while the answer is on its way"
        );
        let first = compute(&s1.scenario).map(Rc::new);
        let s2 = s1.clone().reduce(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.user_mut(1).unwrap().usage[0]
                .monthly
                .as_mut()
                .unwrap()
                .days = 6;
        })));
        let second = compute(&s2.scenario).map(Rc::new);
        let s3 = s2.clone().reduce(Action::Answer(s2.job, second));
        assert!(!s3.loading);
        assert_eq!(tokens(&s3), t0 + 12 * 3 * 7);
        let s4 = s3.clone().reduce(Action::Answer(s1.job, first));
        assert!(Rc::ptr_eq(&s3, &s4), "the stale answer changes nothing");
        // A refused answer for a replaced scenario: the old figures are no longer shown.
        let mut bad = starter("UTC", "EUR", ["X", "Y", "Z"]);
        bad.user_mut(0).unwrap().timezone = Some("Mars/Olympus".into());
        let s5 = s4.reduce(Action::Replace(Box::new(bad), None));
        assert!(s5.loading && s5.shown().is_some());
        let s6 = settle(s5);
        assert_eq!(
            s6.refusal().map(|e| e.path.as_str()),
            Some("users[0].timezone")
        );
        assert!(s6.shown().is_none());
    }

    #[test]
    fn replace_resets_selection_and_sets_the_banner() {
        let s0 = state().act(Action::Select(2));
        assert_eq!(s0.selected, 2);
        let mut other = starter("UTC", "JPY", ["X", "Y", "Z"]);
        other.users.truncate(1);
        let s1 = s0.act(Action::Replace(
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
        let s1 = s0.act(Action::Edit(Rc::new(|s: &mut Scenario| {
            let period = s.period.clone();
            let u = &mut s.user_mut(1).unwrap().usage[0];
            set_kind(u, PatternKind::Sessions, &period);
            u.sessions.as_mut().unwrap()[0].end = "2027-01-02T11:00".into();
        })));
        assert_eq!(tokens(&s1), t0 - 36 * 7 + 2 * 7);
        // Idle from Saturday 08:15: the use ends inside the first window.
        let s2 = s1.clone().act(Action::Edit(Rc::new(|s: &mut Scenario| {
            let x = &mut s.user_mut(1).unwrap().usage[0].sessions.as_mut().unwrap()[0];
            add_stretch(x);
            set_stretch(x, 0, false, "2027-01-02T08:00");
            set_stretch(x, 0, true, "2027-01-02T11:00");
        })));
        assert_eq!(tokens(&s2), tokens(&s1) - 7);
        // Idle detection off: the stretch is use again; the stretch is kept.
        let s3 = s2.clone().act(Action::Edit(Rc::new(|s: &mut Scenario| {
            s.user_mut(1).unwrap().usage[0].idle_detection = Some(false)
        })));
        assert_eq!(tokens(&s3), tokens(&s1));
        assert!(s3.scenario.users[1].usage[0].sessions.as_ref().unwrap()[0]
            .inactive
            .is_some());
        // A plug-in on the host's one day: ReCap Pro's own 1 token.
        let s4 = s2.clone().act(Action::Edit(Rc::new(|s: &mut Scenario| {
            add_plugin(&mut s.user_mut(1).unwrap().usage[0], "recap-pro")
        })));
        assert_eq!(tokens(&s4), tokens(&s2) + 1);
        let s5 = s4.act(Action::Undo);
        assert_eq!(s5.scenario, s2.scenario);
        assert_eq!(tokens(&s5), tokens(&s2));
    }
}
