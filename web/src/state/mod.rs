//! The single update path: `AppState { sim, view }` and the actions that change it.
//!
//! The world lives in an `Rc<RefCell<Sim>>` that every state shares, so a frame mutates
//! it in place instead of cloning 200 pods. `reduce` is the only code that borrows it
//! mutably, and [`Sim::apply`] the only way an action changes it: an [`Action`]
//! becomes at most one core `Command`. A tick advances the world on every animation
//! frame, but asks Yew for a new render only when the DOM is due (every
//! [`DOM_REFRESH_MILLIS`] of wall time, or at once after any user action): the traffic
//! canvas reads the world itself every frame.
//!
//! Submodules: `edit` (text boxes, menus, the explain view's picks), `menu` (import,
//! export, share, embed), `scenario` (the default and stress worlds), `requests` (the
//! request log), `console` (the console panel's transcript; its lines run through the
//! core's console kept here in [`Sim`]).

use std::cell::{Ref, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use svcplay_core::kubectl::{Console, LineOutput};
use svcplay_core::world::{Applied, Command};
use svcplay_core::{Event, World};
use yew::Reducible;

pub mod console;
mod edit;
pub mod lesson;
pub mod menu;
pub mod requests;
pub mod scenario;

pub use console::{ConsoleAction, ConsoleEntry, ConsoleView};
pub use edit::{EditAction, Edits, Field, Imported};
pub use lesson::{LessonAction, LessonView};
pub use menu::{Dialog, IMPORT_AT_ONCE_BYTES, ImportOutcome, ImportProgress, MenuAction, MenuView};
pub use requests::{Flight, RequestLog, WindowCount};
pub use scenario::ScenarioKind;

/// The longest wall-clock gap one tick may cover (a hidden tab does not fast-forward).
pub const MAX_TICK_MILLIS: f64 = 250.0;

/// The DOM (cards, counters, panels) is refreshed at most this often in wall time while
/// playing; the canvas animates every frame. Any user action refreshes it at once.
pub const DOM_REFRESH_MILLIS: f64 = 100.0;

/// Simulated milliseconds one press of "step" advances.
pub const STEP_MILLIS: u64 = 100;

/// How many events the log keeps.
pub const EVENT_LOG_LEN: usize = 200;

/// The simulation and what the view remembers of it.
#[derive(Debug)]
pub struct Sim {
    /// The simulated cluster.
    pub world: World,
    /// The last seconds of requests (animation and request share).
    pub log: RequestLog,
    /// The event log, oldest first.
    pub events: VecDeque<Event>,
    /// The console: kubectl's lines against the world, and the traffic it has seen.
    pub console: Console,
    /// Fractional simulated milliseconds carried between ticks.
    carry: f64,
    /// Wall milliseconds since the DOM was last refreshed.
    since_refresh: f64,
    /// Wall milliseconds since "show me" last ran a line. It lives here, mutated in
    /// place like `carry`, because a frame that renders nothing is dropped by the
    /// reducer with its view: counted in the view, the pause lost most frames' time.
    pub(crate) show_me_wait: f64,
    /// The import running in slices, if any (simulated time waits for it).
    pub(crate) import: Option<menu::PendingImport>,
}

impl Sim {
    fn new(kind: ScenarioKind) -> Self {
        let mut sim = Sim {
            world: kind.world(),
            log: RequestLog::default(),
            events: VecDeque::new(),
            console: Console::new(),
            carry: 0.0,
            since_refresh: 0.0,
            show_me_wait: 0.0,
            import: None,
        };
        sim.sync_events();
        sim
    }

    fn push_event(&mut self, event: Event) {
        if self.events.len() == EVENT_LOG_LEN {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    fn advance(&mut self, millis: u64) {
        self.world.step(millis);
        self.collect();
    }

    /// Moves the requests and events the world reported into the logs.
    fn collect(&mut self) {
        let now = self.world.now();
        let requests = self.world.drain_requests();
        self.console.observe(&requests);
        self.log.record(requests, now);
        self.sync_events();
    }

    /// Runs a console line (it may change the world, or let time run: `sleep`), then
    /// moves what the world reported into the logs.
    pub(crate) fn run_console(&mut self, line: &str, stdin: Option<&str>) -> LineOutput {
        let out = self.console.run_with_stdin(&mut self.world, line, stdin);
        self.collect();
        out
    }

    /// Applies one command to the world, then moves the core's new events into the
    /// log. A refusal is the core's message, and changes nothing.
    pub(crate) fn apply(&mut self, command: Command) -> Result<Applied, String> {
        let result = self.world.apply(command).map_err(|e| e.to_string());
        self.sync_events();
        result
    }

    /// Moves the core's new events into the log.
    fn sync_events(&mut self) {
        for e in self.world.drain_events() {
            self.push_event(e);
        }
    }
}

/// Read access to the live simulation for the canvas, which draws every frame between
/// renders. Equal when it is the same simulation.
#[derive(Debug, Clone)]
pub struct SimHandle(pub(crate) Rc<RefCell<Sim>>);

impl SimHandle {
    /// Reads the simulation.
    pub fn borrow(&self) -> Ref<'_, Sim> {
        self.0.borrow()
    }
}

impl PartialEq for SimHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Playback and everything else the user sees besides the world.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    /// Whether simulated time runs.
    pub playing: bool,
    /// Simulated time per wall time, in hundredths (100 = ×1).
    pub speed_percent: u32,
    /// The last command's error, shown inline.
    pub error: Option<String>,
    /// The scenario Reset rebuilds.
    pub scenario: ScenarioKind,
    /// Bumped whenever the DOM should show the world anew.
    pub epoch: u64,
    /// Text boxes, their inline errors, and the explain view's picks.
    pub edits: Edits,
    /// The console panel: the line typed, the transcript, the history.
    pub console: ConsoleView,
    /// The scenario menu: dialogs, notices, autosave revision (see `menu`).
    pub menu: MenuView,
    /// The lesson panel: lesson, step, prediction, goal, "show me" (see `lesson`).
    pub lesson: LessonView,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            playing: true,
            speed_percent: 100,
            error: None,
            scenario: ScenarioKind::Default,
            epoch: 0,
            edits: Edits::default(),
            console: ConsoleView::default(),
            menu: MenuView::default(),
            lesson: LessonView::default(),
        }
    }
}

/// The app's whole state.
#[derive(Debug, Clone)]
pub struct AppState {
    sim: Rc<RefCell<Sim>>,
    /// View state.
    pub view: ViewState,
    /// The learner's own sandbox, kept aside while a lesson's world is on screen.
    sandbox: Option<lesson::Sandbox>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim) && self.view == other.view
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new(ScenarioKind::Default)
    }
}

/// A command on one pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodCommand {
    /// Delete it gracefully.
    Kill,
    /// Make its readiness probe fail (`Command::BreakPod`).
    Break,
    /// Make its readiness probe pass again (`Command::HealPod`).
    Heal,
    /// Show it in the explain view (a click on its card): no change to the world.
    Explain,
}

/// Everything the user (or the clock) can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Wall-clock milliseconds passed since the last frame.
    Tick(f64),
    /// A command on a pod, by name.
    Pod(String, PodCommand),
    /// Play or pause.
    TogglePlay,
    /// Advance [`STEP_MILLIS`] of simulated time (while paused).
    Step,
    /// Set the speed, in hundredths (100 = ×1).
    Speed(u32),
    /// Back to the scenario's start.
    Reset,
    /// Switch to another built-in scenario (the toolbar's picker).
    Scenario(ScenarioKind),
    /// A text box, a scale button or the explain view's pickers.
    Edit(EditAction),
    /// Import, export, share, embed, load (see `menu`).
    Menu(MenuAction),
    /// The console panel.
    Console(ConsoleAction),
    /// The lesson panel.
    Lesson(LessonAction),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

impl AppState {
    /// A state at the start of a scenario, playing at ×1.
    pub fn new(scenario: ScenarioKind) -> Self {
        AppState {
            sim: Rc::new(RefCell::new(Sim::new(scenario))),
            view: ViewState {
                scenario,
                ..ViewState::default()
            },
            sandbox: None,
        }
    }

    /// Reads the simulation.
    pub fn sim(&self) -> Ref<'_, Sim> {
        self.sim.borrow()
    }

    /// The live simulation, for the canvas.
    pub fn handle(&self) -> SimHandle {
        SimHandle(self.sim.clone())
    }

    /// Applies one action; true when the DOM should render anew.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Tick(wall_ms) => {
                let lesson = self.lesson_tick(wall_ms);
                let due = self.tick(wall_ms);
                if lesson && !due {
                    self.view.epoch += 1;
                }
                return lesson || due;
            }
            Action::Pod(pod, command) => self.pod_command(&pod, command),
            Action::TogglePlay => self.view.playing = !self.view.playing,
            Action::Step => {
                let mut sim = self.sim.borrow_mut();
                sim.advance(STEP_MILLIS);
                sim.carry = 0.0;
            }
            Action::Speed(hundredths) => self.view.speed_percent = hundredths.clamp(1, 10_000),
            Action::Edit(edit) => self.edit(edit),
            Action::Menu(action) => self.menu(action),
            Action::Console(action) => self.console(action),
            Action::Lesson(action) => self.lesson(action),
            Action::Reset if self.view.lesson.open.is_some() => {
                // Reset in a lesson starts the step again from its own world.
                let (open, step) = (self.view.lesson.open, self.view.lesson.step);
                if let Some(i) = open {
                    self.open_lesson(i, step);
                }
            }
            Action::Reset => self.restart(self.view.scenario),
            Action::Scenario(kind) => {
                // Another scenario replaces the lesson's world: the lesson closes, and
                // the scenario chosen is the sandbox now (restart drops the one kept).
                self.restart(kind);
                self.lesson(LessonAction::Close);
            }
        }
        self.view.epoch += 1;
        self.sim.borrow_mut().since_refresh = 0.0;
        true
    }

    /// A fresh start of `kind`, keeping the render epoch and saving the new start.
    fn restart(&mut self, kind: ScenarioKind) {
        let view = self.view.clone();
        *self = AppState::new(kind);
        self.view.epoch = view.epoch;
        self.view.console = view.console;
        self.view.lesson = view.lesson;
        self.view.menu.revision = view.menu.revision + 1;
    }

    fn pod_command(&mut self, pod: &str, command: PodCommand) {
        let pod = crate::model::names::key_of(pod);
        let command = match command {
            PodCommand::Explain => {
                self.view.edits.explain_pod = Some(crate::model::names::ref_of(&pod));
                return;
            }
            PodCommand::Kill => Command::DeletePod { pod },
            PodCommand::Break => Command::BreakPod { pod },
            PodCommand::Heal => Command::HealPod { pod },
        };
        let result = self.sim.borrow_mut().apply(command);
        self.view.error = result.err();
    }

    /// Advances the world by wall time × speed (clamped); true when the DOM is due. While
    /// an import runs, the frame goes to it instead and simulated time waits.
    fn tick(&mut self, wall_ms: f64) -> bool {
        if self.sim.borrow().import.is_some() {
            return self.continue_import(false);
        }
        if !self.view.playing || !wall_ms.is_finite() {
            return false;
        }
        let wall = wall_ms.clamp(0.0, MAX_TICK_MILLIS);
        let mut sim = self.sim.borrow_mut();
        let simulated = wall * f64::from(self.view.speed_percent) / 100.0 + sim.carry;
        let whole = simulated.floor();
        sim.carry = simulated - whole;
        if whole >= 1.0 {
            sim.advance(whole as u64);
        }
        sim.since_refresh += wall;
        if sim.since_refresh < DOM_REFRESH_MILLIS {
            return false;
        }
        sim.since_refresh = 0.0;
        self.view.epoch += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcplay_core::SimTime;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn now(s: &AppState) -> SimTime {
        s.sim().world.now()
    }

    fn running() -> AppState {
        let mut s = AppState::default();
        s.apply(Action::Tick(200.0));
        s.apply(Action::Tick(200.0));
        for _ in 0..10 {
            s.apply(Action::Tick(200.0));
        }
        s
    }

    #[test]
    fn tick_advances_by_wall_times_speed() {
        let mut s = AppState::default();
        assert!(s.apply(Action::Tick(100.0)));
        assert_eq!(now(&s), SimTime(100));
        s.apply(Action::Speed(1000));
        s.apply(Action::Tick(50.0));
        assert_eq!(
            now(&s),
            SimTime(600),
            "×10: 50 ms of wall time is 500 ms simulated"
        );
        s.apply(Action::Speed(25));
        s.apply(Action::Tick(10.0));
        assert_eq!(now(&s), SimTime(602), "×0.25: 2.5 ms, the half carried");
        s.apply(Action::Tick(2.0));
        assert_eq!(
            now(&s),
            SimTime(603),
            "the carried half plus 0.5 makes one more"
        );
    }

    #[test]
    fn tick_is_clamped_so_a_hidden_tab_does_not_fast_forward() {
        let mut s = AppState::default();
        s.apply(Action::Tick(60_000.0));
        assert_eq!(now(&s), SimTime(MAX_TICK_MILLIS as u64));
        s.apply(Action::Tick(-5.0));
        s.apply(Action::Tick(f64::NAN));
        assert_eq!(now(&s), SimTime(MAX_TICK_MILLIS as u64));
    }

    #[test]
    fn ticks_record_requests_and_refresh_the_dom_every_100_ms() {
        let s = running();
        assert_eq!(now(&s), SimTime(2_400));
        assert!(!s.sim().log.is_empty(), "the clients sent requests");
        assert_eq!(s.view.epoch, 12, "every 200 ms tick is due for a render");
        let mut s = AppState::default();
        let due: Vec<bool> = (0..7).map(|_| s.apply(Action::Tick(16.0))).collect();
        assert_eq!(
            due,
            [false, false, false, false, false, false, true],
            "7 × 16 ms ≥ 100 ms"
        );
        assert_eq!(now(&s), SimTime(112), "the world moved on every tick");
    }

    #[test]
    fn kill_marks_the_pod_terminating_and_logs_it() {
        let mut s = running();
        let victim = s
            .sim()
            .world
            .pods()
            .keys()
            .find(|n| n.name.starts_with("prod"))
            .map(|n| n.name.clone())
            .unwrap_or_default();
        let epoch = s.view.epoch;
        assert!(s.apply(Action::Pod(victim.clone(), PodCommand::Kill)));
        let key = svcplay_core::objects::NamespacedName::default_ns(&victim);
        assert!(s.sim().world.pods()[&key].metadata.is_terminating());
        assert_eq!(s.view.error, None);
        assert!(s.view.epoch > epoch, "the DOM shows it at once");
        let logged = |s: &AppState| {
            s.sim()
                .events
                .iter()
                .filter(|e| {
                    e.kind == "Pod" && e.name == victim && e.message.contains("Terminating")
                })
                .count()
        };
        assert_eq!(logged(&s), 1, "the core's event reaches the log");
        let before = s.sim().events.len();
        s.apply(Action::Pod(victim.clone(), PodCommand::Kill));
        assert_eq!(
            s.view.error,
            Some(format!(
                "{}",
                svcplay_core::CommandError::PodTerminating {
                    name: victim.clone()
                }
            ))
        );
        assert_eq!(
            s.sim().events.len(),
            before,
            "a refused command is not an event"
        );
    }

    #[test]
    fn toggle_play_stops_and_restarts_time() {
        let mut s = AppState::default();
        s.apply(Action::TogglePlay);
        assert!(!s.view.playing);
        assert!(
            !s.apply(Action::Tick(100.0)),
            "a paused tick changes nothing"
        );
        assert_eq!(now(&s), SimTime::ZERO);
        s.apply(Action::TogglePlay);
        s.apply(Action::Tick(100.0));
        assert_eq!(now(&s), SimTime(100));
    }

    #[test]
    fn step_advances_one_step() {
        let mut s = AppState::default();
        s.apply(Action::TogglePlay);
        s.apply(Action::Step);
        s.apply(Action::Step);
        assert_eq!(now(&s), SimTime(2 * STEP_MILLIS));
    }

    #[test]
    fn speed_is_kept_in_range() {
        let mut s = AppState::default();
        s.apply(Action::Speed(500));
        assert_eq!(s.view.speed_percent, 500);
        s.apply(Action::Speed(0));
        assert_eq!(s.view.speed_percent, 1);
    }

    #[test]
    fn reset_returns_to_the_start_of_the_same_scenario() {
        let mut s = running();
        s.apply(Action::Speed(200));
        s.apply(Action::TogglePlay);
        let before = s.view.epoch;
        s.apply(Action::Reset);
        assert_eq!(now(&s), SimTime::ZERO);
        assert!(s.view.playing);
        assert_eq!(s.view.speed_percent, 100);
        assert!(s.sim().log.is_empty());
        assert!(
            s.sim().events.iter().all(|e| e.at == SimTime::ZERO),
            "only the events of building the world"
        );
        assert!(s.view.epoch > before, "the DOM refreshes after a reset");
        let mut stress = AppState::new(ScenarioKind::Stress);
        stress.apply(Action::Reset);
        assert_eq!(
            stress.sim().world.pods().len(),
            201,
            "200 and the client pod"
        );
    }

    #[test]
    fn reduce_returns_the_same_state_until_a_render_is_due() {
        let paused = Rc::new({
            let mut s = AppState::default();
            s.apply(Action::TogglePlay);
            s
        });
        let next = paused.clone().reduce(Action::Tick(16.0));
        assert!(Rc::ptr_eq(&paused, &next));
        let playing = Rc::new(AppState::default());
        let next = playing.clone().reduce(Action::Tick(16.0));
        assert!(Rc::ptr_eq(&playing, &next), "no render yet…");
        assert_eq!(next.sim().world.now(), SimTime(16), "…but the world moved");
        let next = paused.clone().reduce(Action::Step);
        assert!(!Rc::ptr_eq(&paused, &next));
        assert_ne!(*paused, *next);
    }
}
