//! The lesson panel's half of the reducer: which lesson and step is open, the learner's
//! prediction, whether the step's goal is met, and "show me" running its lines one at
//! a time, [`SHOW_ME_PAUSE_MILLIS`] apart, so the learner can watch.
//!
//! Lessons, their goals and what "show me" does are the core's (`svcplay_core::lessons`):
//! this module only holds where the learner is, runs each line through the same paths a
//! click or the console takes (a console line through the console, a control's words as
//! its `Command` through `Sim::apply`), and asks the core whether the goal holds.

use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::OnceLock;

use svcplay_core::lessons::{self, Action as LessonLine, Baseline, Lesson};

use super::{AppState, Sim};

/// Wall milliseconds between two lines of "show me".
pub const SHOW_ME_PAUSE_MILLIS: f64 = 600.0;

/// Every lesson, parsed once (an empty list if a file does not parse: the core's tests
/// make sure they all do).
pub fn catalogue() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| lessons::catalogue().unwrap_or_default())
}

/// Where the learner is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LessonView {
    /// The open lesson (0-based), if any.
    pub open: Option<usize>,
    /// The step (0-based).
    pub step: usize,
    /// Whether the step's goal has been met (it stays met once it was).
    pub met: bool,
    /// The learner's answer to the step's prediction.
    pub choice: Option<usize>,
    /// Lines "show me" has still to run.
    pub pending: VecDeque<String>,
    /// The line "show me" ran last, as it ran.
    pub doing: Option<Rc<str>>,
    /// What the live region announces.
    pub announce: Rc<str>,
    /// Whether the first-visit offer of the tour is showing.
    pub offer: bool,
    /// Lessons completed (0-based).
    pub completed: Vec<usize>,
    /// Why a lesson could not open, or a line failed.
    pub error: Option<Rc<str>>,
    wait: f64,
    baseline: Baseline,
}

/// What the learner can do with the lesson panel.
#[derive(Debug, Clone, PartialEq)]
pub enum LessonAction {
    /// Open lesson N (0-based) at its first step.
    Open(usize),
    /// Close the panel (the sandbox stays as it is).
    Close,
    /// Answer the prediction.
    Choose(usize),
    /// Run the step's "show me", slowly.
    ShowMe,
    /// The next step, or the next lesson after the last step.
    Next,
    /// Hide the first-visit offer.
    DismissOffer,
}

impl LessonView {
    /// The open lesson and step.
    pub fn current(&self) -> Option<(usize, &'static Lesson, &'static lessons::Step)> {
        let i = self.open?;
        let lesson = catalogue().get(i)?;
        Some((i, lesson, lesson.steps.get(self.step)?))
    }

    /// Whether "show me" is running.
    pub fn running(&self) -> bool {
        !self.pending.is_empty()
    }
}

impl AppState {
    /// Applies a lesson action.
    pub(super) fn lesson(&mut self, action: LessonAction) {
        let l = &mut self.view.lesson;
        match action {
            LessonAction::Open(i) => self.open_lesson(i, 0),
            LessonAction::Close => {
                l.open = None;
                l.pending.clear();
                l.announce = "Lesson closed; the sandbox is yours.".into();
            }
            LessonAction::Choose(c) => l.choice = Some(c),
            LessonAction::ShowMe => {
                if let Some((_, _, step)) = l.current() {
                    l.pending = step.show_me.iter().cloned().collect();
                    // The first line runs on the next frame.
                    l.wait = SHOW_ME_PAUSE_MILLIS;
                    self.view.playing = true;
                }
            }
            LessonAction::Next => {
                let Some((i, lesson, _)) = l.current() else {
                    return;
                };
                if !l.met {
                    return;
                }
                if l.step + 1 < lesson.steps.len() {
                    l.step += 1;
                    self.start_step();
                } else if i + 1 < catalogue().len() {
                    self.open_lesson(i + 1, 0);
                } else {
                    l.open = None;
                    l.announce = "That was the last lesson. The sandbox is yours.".into();
                }
            }
            LessonAction::DismissOffer => l.offer = false,
        }
    }

    /// Opens lesson `i` at `step`, in a fresh world built for it.
    pub fn open_lesson(&mut self, i: usize, step: usize) {
        let Some((file, _)) = lessons::FILES.get(i) else {
            return;
        };
        let Some(lesson) = catalogue().get(i) else {
            return;
        };
        let step = step.min(lesson.steps.len().saturating_sub(1));
        match lessons::world_at_step(file, lesson, step) {
            Ok(world) => {
                let mut sim = Sim::new(self.view.scenario);
                sim.world = world;
                sim.sync_events();
                self.sim = Rc::new(std::cell::RefCell::new(sim));
                self.view.playing = true;
                self.view.error = None;
                self.view.edits = Default::default();
                // A new world: the transcript of the last one would describe other pods.
                self.view.console.entries = Rc::default();
                let l = &mut self.view.lesson;
                l.open = Some(i);
                l.step = step;
                l.offer = false;
                l.error = None;
                self.start_step();
            }
            Err(e) => self.view.lesson.error = Some(e.to_string().into()),
        }
    }

    /// Resets the step's state and takes its baseline.
    fn start_step(&mut self) {
        let baseline = Baseline::take(&self.sim.borrow().world);
        let l = &mut self.view.lesson;
        l.baseline = baseline;
        l.met = false;
        l.choice = None;
        l.pending.clear();
        l.doing = None;
        if let Some((i, lesson, _)) = l.current() {
            l.announce = format!(
                "Lesson {}, {}: step {} of {}.",
                i + 1,
                lesson.title,
                l.step + 1,
                lesson.steps.len()
            )
            .into();
        }
    }

    /// Runs a due "show me" line and checks the goal; true when the panel changed.
    pub(super) fn lesson_tick(&mut self, wall_ms: f64) -> bool {
        if self.view.lesson.open.is_none() {
            return false;
        }
        let mut changed = false;
        if self.view.lesson.running() {
            self.view.lesson.wait += wall_ms.clamp(0.0, super::MAX_TICK_MILLIS);
            if self.view.lesson.wait >= SHOW_ME_PAUSE_MILLIS {
                self.view.lesson.wait = 0.0;
                if let Some(line) = self.view.lesson.pending.pop_front() {
                    self.show_me_line(&line);
                    changed = true;
                }
            }
        }
        changed | self.check_goal()
    }

    /// Runs one line of "show me" the way the page's own controls would.
    fn show_me_line(&mut self, line: &str) {
        let resolved = lessons::action::resolve(line, &self.sim.borrow().world);
        match resolved {
            Ok(LessonLine::Line(text)) => {
                self.run_line(&text, None);
                self.view.lesson.doing = Some(text.into());
            }
            Ok(LessonLine::Command(command)) => {
                let shown = lessons::action::fill(line, &self.sim.borrow().world)
                    .unwrap_or_else(|_| line.to_owned());
                let result = self.sim.borrow_mut().apply(command);
                self.view.error = result.err();
                self.view.lesson.doing = Some(shown.into());
            }
            Err(e) => {
                self.view.lesson.error = Some(e.into());
                self.view.lesson.pending.clear();
            }
        }
    }

    /// Asks the core whether the step's goal holds; true when it just became met.
    fn check_goal(&mut self) -> bool {
        let l = &mut self.view.lesson;
        let Some((i, lesson, step)) = l.current() else {
            return false;
        };
        let world = &self.sim.borrow().world;
        l.baseline.observe(world);
        if l.met || !lessons::all_hold(&step.goal, world, &l.baseline) {
            return false;
        }
        l.met = true;
        let last = l.step + 1 == lesson.steps.len();
        if last && !l.completed.contains(&i) {
            l.completed.push(i);
        }
        l.announce = format!(
            "Goal met. {} {}",
            step.done.trim(),
            if last {
                "Lesson complete."
            } else {
                "Next step ready."
            }
        )
        .into();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn frames(s: &mut AppState, wall_ms: u32) {
        let mut t = 0;
        while t < wall_ms {
            s.apply(Action::Tick(100.0));
            t += 100;
        }
    }

    #[test]
    fn every_lesson_loads_from_the_core() {
        assert_eq!(catalogue().len(), 14);
        assert_eq!(catalogue()[13].title, "Services are found by DNS name");
        assert_eq!(catalogue()[0].title, "Pods are ephemeral");
    }

    #[test]
    fn show_me_runs_one_line_at_a_time_and_the_goal_turns_met() {
        let mut s = AppState::default();
        s.apply(Action::Lesson(LessonAction::Open(1)));
        assert_eq!(s.view.lesson.open, Some(1));
        frames(&mut s, 1_000);
        assert!(!s.view.lesson.met, "waiting does not meet the goal");
        s.apply(Action::Lesson(LessonAction::ShowMe));
        assert!(s.view.lesson.running());
        frames(&mut s, 700);
        assert_eq!(
            s.view.console.entries.back().map(|e| e.line.as_str()),
            Some("kubectl delete pods -l app=prod")
        );
        frames(&mut s, 5_000);
        assert!(s.view.lesson.met);
        assert!(s.view.lesson.announce.starts_with("Goal met."));
        assert_eq!(s.view.lesson.completed, vec![1]);
        s.apply(Action::Lesson(LessonAction::Next));
        assert_eq!((s.view.lesson.open, s.view.lesson.step), (Some(2), 0));
        assert!(!s.view.lesson.met);
    }

    #[test]
    fn next_waits_for_the_goal_and_a_control_meets_it_too() {
        let mut s = AppState::default();
        s.apply(Action::Lesson(LessonAction::Open(0)));
        s.apply(Action::Lesson(LessonAction::Next));
        assert_eq!(s.view.lesson.step, 0);
        let pod = {
            let sim = s.sim();
            let prod = svcplay_core::objects::NamespacedName::default_ns("prod");
            sim.world.pods_of_deployment(&prod)[1].metadata.name.clone()
        };
        s.apply(Action::Pod(pod, crate::state::PodCommand::Kill));
        frames(&mut s, 4_000);
        assert!(s.view.lesson.met);
    }
}
