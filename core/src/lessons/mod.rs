//! Lessons: STORY.md's beats and the production surprises, taught step by step, each
//! step checked on the simulated cluster's real state.
//!
//! A lesson is data: one YAML file per lesson in `core/lessons/` (compiled in with
//! `include_str!`), with a starting scenario, a few short steps, and for each step a
//! goal made of predicates from a documented set ([`predicate`]), a "show me" list of
//! lines ([`action`]) and another path that also meets the goal (the lesson tests run
//! both). A docs writer adds a lesson by adding a file and a line to [`FILES`].
//!
//! File format:
//!
//! ```yaml
//! title: Pods are ephemeral
//! scenario:                  # the default scenario, then:
//!   load_balancer_pool: []   # optional: the cloud's addresses ([] leaves LBs pending)
//!   manifests: |             # optional: more objects, imported as `kubectl apply`
//!   setup: [kubectl …]       # optional: console lines run before the lesson opens
//! steps:
//!   - text: plain words, at most 80
//!     focus: pods            # the part of the screen the step is about
//!     predict: { question: …, choices: [a, b, c], answer: 1, why: … }   # optional
//!     goal: [ { pod_replaced: { deployment: prod } } ]
//!     show_me: [ "kubectl delete pod {pod:prod}" ]
//!     other_path: [ "kubectl delete pods -l app=prod" ]
//!     done: what the learner just saw, in one sentence
//! ```

pub mod action;
mod baseline;
pub mod predicate;
mod world;

use serde::Deserialize;

pub use action::Action;
pub use predicate::{Baseline, Predicate, all_hold};
pub use world::{
    GOAL_WITHIN_MILLIS, SETTLE_MILLIS, lesson_world, restore_world, run_lines, wait_for_goal,
    world_at_step,
};

/// The lesson files, in order (lesson N is `FILES[N - 1]`).
pub const FILES: &[(&str, &str)] = &[
    (
        "01-pods-are-ephemeral.yaml",
        include_str!("../../lessons/01-pods-are-ephemeral.yaml"),
    ),
    (
        "02-the-service-is-stable.yaml",
        include_str!("../../lessons/02-the-service-is-stable.yaml"),
    ),
    (
        "03-the-selector-is-the-contract.yaml",
        include_str!("../../lessons/03-the-selector-is-the-contract.yaml"),
    ),
    (
        "04-membership-follows-labels.yaml",
        include_str!("../../lessons/04-membership-follows-labels.yaml"),
    ),
    (
        "05-readiness-gates-traffic.yaml",
        include_str!("../../lessons/05-readiness-gates-traffic.yaml"),
    ),
    (
        "06-the-types-are-layers.yaml",
        include_str!("../../lessons/06-the-types-are-layers.yaml"),
    ),
    (
        "07-terminating-pods-finish.yaml",
        include_str!("../../lessons/07-terminating-pods-finish.yaml"),
    ),
    (
        "08-external-traffic-policy-local.yaml",
        include_str!("../../lessons/08-external-traffic-policy-local.yaml"),
    ),
    (
        "09-session-affinity.yaml",
        include_str!("../../lessons/09-session-affinity.yaml"),
    ),
    (
        "10-load-balancer-pending.yaml",
        include_str!("../../lessons/10-load-balancer-pending.yaml"),
    ),
    (
        "11-selector-matches-nothing.yaml",
        include_str!("../../lessons/11-selector-matches-nothing.yaml"),
    ),
    (
        "12-named-target-port.yaml",
        include_str!("../../lessons/12-named-target-port.yaml"),
    ),
    (
        "13-long-lived-connections.yaml",
        include_str!("../../lessons/13-long-lived-connections.yaml"),
    ),
    (
        "14-services-by-dns-name.yaml",
        include_str!("../../lessons/14-services-by-dns-name.yaml"),
    ),
];

/// The most words a step's text may have.
pub const MAX_STEP_WORDS: usize = 80;

/// One lesson, as its file gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The title.
    pub title: String,
    /// Where it starts.
    #[serde(default)]
    pub scenario: Scenario,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// A lesson's starting world: the default scenario, changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The cloud's load-balancer addresses; absent keeps the default pool.
    #[serde(default)]
    pub load_balancer_pool: Option<Vec<String>>,
    /// More objects, as a manifest.
    #[serde(default)]
    pub manifests: Option<String>,
    /// Console lines run before the lesson opens.
    #[serde(default)]
    pub setup: Vec<String>,
}

/// The part of the screen a step is about (the page highlights it, dims the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Focus {
    /// The pod cards.
    Pods,
    /// The Service cards.
    Services,
    /// The Workloads panel (Deployments and every other workload kind).
    Deployments,
    /// The EndpointSlices panel.
    Endpoints,
    /// The request-share panel.
    Shares,
    /// The console.
    Console,
    /// The client cards (a load generator's rate, `-c`, keep-alive).
    Clients,
}

impl Focus {
    /// The name the page's `data-region` attributes use.
    pub fn as_str(self) -> &'static str {
        match self {
            Focus::Pods => "pods",
            Focus::Services => "services",
            Focus::Deployments => "deployments",
            Focus::Endpoints => "endpoints",
            Focus::Shares => "shares",
            Focus::Console => "console",
            Focus::Clients => "clients",
        }
    }
}

/// A multiple-choice prediction asked before the action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    /// The question.
    pub question: String,
    /// Two to four choices.
    pub choices: Vec<String>,
    /// The index of the right choice.
    pub answer: usize,
    /// Why, shown once the learner has chosen.
    pub why: String,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do, in plain words (at most [`MAX_STEP_WORDS`]).
    pub text: String,
    /// The part of the screen it is about.
    pub focus: Focus,
    /// The prediction asked first, if the action has a visible consequence.
    #[serde(default)]
    pub predict: Option<Prediction>,
    /// The goal: every predicate must hold.
    pub goal: Vec<Predicate>,
    /// What "show me" does, one line at a time.
    pub show_me: Vec<String>,
    /// Another way to the same goal (run by the tests; shown as a hint).
    pub other_path: Vec<String>,
    /// What the learner just saw, said once the goal is met.
    pub done: String,
}

/// A lesson file that does not hold together: the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LessonError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// Parses one lesson file and checks what can be checked without a world.
pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let err = |message: String| LessonError {
        file: file.to_owned(),
        message,
    };
    // A predicate is written as a one-key map (`ready_endpoints: {…}`), not a YAML tag.
    let lesson: Lesson = yaml_serde::with::singleton_map_recursive::deserialize(
        yaml_serde::Deserializer::from_str(text),
    )
    .map_err(|e| err(e.to_string()))?;
    if lesson.steps.is_empty() {
        return Err(err("a lesson needs at least one step".into()));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = |m: String| err(format!("steps[{i}]: {m}"));
        let words = step.text.split_whitespace().count();
        if words > MAX_STEP_WORDS {
            return Err(at(format!(
                "text has {words} words (at most {MAX_STEP_WORDS})"
            )));
        }
        if step.goal.is_empty() || step.show_me.is_empty() || step.other_path.is_empty() {
            return Err(at("goal, show_me and other_path must not be empty".into()));
        }
        if let Some(p) = &step.predict
            && (!(2..=4).contains(&p.choices.len()) || p.answer >= p.choices.len())
        {
            return Err(at(
                "predict needs 2 to 4 choices and an answer among them".into()
            ));
        }
        for line in step.show_me.iter().chain(&step.other_path) {
            action::known(line).map_err(at)?;
        }
    }
    Ok(lesson)
}

/// Every lesson, in order; the first file that does not parse is the error.
pub fn catalogue() -> Result<Vec<Lesson>, LessonError> {
    FILES.iter().map(|(f, t)| parse(f, t)).collect()
}

#[cfg(test)]
mod tests;
