//! The lesson panel's half of the reducer: which lesson and step is open, the learner's
//! prediction, whether the step's goal is met, and "show me" running its lines one at
//! a time, [`SHOW_ME_PAUSE_MILLIS`] apart, so the learner can watch.
//!
//! Lessons, their goals and what "show me" does are the core's (`svcplay_core::lessons`):
//! this module only holds where the learner is, runs each line through the same paths a
//! click or the console takes (a console line through the console, a control's words as
//! its `Command` through `Sim::apply`), and asks the core whether the goal holds.

use std::cell::RefCell;
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
    baseline: Baseline,
}

/// The learner's own sandbox while a lesson is open: the world, its speed and pause,
/// the boxes' text and the console's transcript, as they were when the first lesson
/// opened over them. Closing the lesson (or finishing the last one) puts it back.
#[derive(Debug, Clone)]
pub struct Sandbox {
    sim: Rc<RefCell<Sim>>,
    edits: super::Edits,
    console: super::ConsoleView,
    speed_percent: u32,
    playing: bool,
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
                let back = self.leave_lesson();
                self.view.lesson.announce = if back {
                    "Lesson closed; back to your own sandbox, as you left it."
                } else {
                    "Lesson closed; the sandbox is yours."
                }
                .into();
            }
            LessonAction::Choose(c) => l.choice = Some(c),
            LessonAction::ShowMe => {
                if let Some((_, _, step)) = l.current() {
                    l.pending = step.show_me.iter().cloned().collect();
                    // The first line runs on the next frame.
                    self.sim.borrow_mut().show_me_wait = SHOW_ME_PAUSE_MILLIS;
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
                    l.pending.clear();
                    l.announce = "That was the last lesson. The sandbox is yours.".into();
                    self.leave_lesson();
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
                if self.view.lesson.open.is_none() && self.sandbox.is_none() {
                    self.sandbox = Some(Sandbox {
                        sim: self.sim.clone(),
                        edits: self.view.edits.clone(),
                        console: self.view.console.clone(),
                        speed_percent: self.view.speed_percent,
                        playing: self.view.playing,
                    });
                }
                self.enter_world(world);
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

    /// Puts a lesson's world on screen, with a fresh console and boxes.
    fn enter_world(&mut self, world: svcplay_core::World) {
        let mut sim = Sim::new(self.view.scenario);
        sim.world = world;
        sim.sync_events();
        self.sim = Rc::new(RefCell::new(sim));
        self.view.playing = true;
        self.view.error = None;
        self.view.edits = Default::default();
        // A new world: the transcript of the last one would describe other pods.
        self.view.console.entries = Rc::default();
    }

    /// Puts the learner's own sandbox back, if one was kept aside; true if it was.
    fn leave_lesson(&mut self) -> bool {
        let Some(sandbox) = self.sandbox.take() else {
            return false;
        };
        self.sim = sandbox.sim;
        self.view.edits = sandbox.edits;
        self.view.console = sandbox.console;
        self.view.speed_percent = sandbox.speed_percent;
        self.view.playing = sandbox.playing;
        self.view.error = None;
        true
    }

    /// A returning learner: opens lesson `i` at `step` and, when `saved` is that
    /// lesson and step's world as they left it (`(lesson, step, fragment)`, 0-based, as
    /// autosave wrote it), puts that world back; a saved world that does not read is
    /// refused with a notice and the step starts from its own world instead.
    pub fn resume_lesson(&mut self, i: usize, step: usize, saved: Option<(usize, usize, &str)>) {
        self.open_lesson(i, step);
        let here = (self.view.lesson.open, self.view.lesson.step);
        let Some((li, si, fragment)) = saved else {
            return;
        };
        if here != (Some(li), si) || (li, si) != (i, step) {
            return;
        }
        let (Some((file, _)), Some(lesson)) = (lessons::FILES.get(i), catalogue().get(i)) else {
            return;
        };
        match lessons::restore_world(file, lesson, fragment) {
            Ok(world) => {
                self.enter_world(world);
                self.start_step();
            }
            Err(e) => {
                self.view.menu.notice = Some(
                    format!(
                        "Your lesson's saved world could not be read ({}); step {} starts from its own world.",
                        e.message,
                        step + 1
                    )
                    .into(),
                );
            }
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
            let due = {
                let mut sim = self.sim.borrow_mut();
                if wall_ms.is_finite() {
                    sim.show_me_wait += wall_ms.clamp(0.0, super::MAX_TICK_MILLIS);
                }
                let due = sim.show_me_wait >= SHOW_ME_PAUSE_MILLIS;
                if due {
                    sim.show_me_wait = 0.0;
                }
                due
            };
            if due && let Some(line) = self.view.lesson.pending.pop_front() {
                self.show_me_line(&line);
                changed = true;
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
mod tests;
