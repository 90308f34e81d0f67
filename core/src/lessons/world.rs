//! A lesson's starting world: the default scenario, the cloud's pool as the lesson
//! says, its manifests imported and its setup lines run, then time let run until every
//! pod has started ([`SETTLE_MILLIS`]).

use super::{Lesson, LessonError, Predicate};
use crate::kubectl::Console;
use crate::scenario::{DEFAULT_SEED, default_commands};
use crate::world::{ClusterConfig, World};

/// Simulated time a lesson's world runs before the lesson opens: pods start 2 s after
/// they are created and pass their first probe at once.
pub const SETTLE_MILLIS: u64 = 3_000;

/// Builds the lesson's starting world and checks that every Service and Deployment its
/// goals name exists in it.
pub fn lesson_world(file: &str, lesson: &Lesson) -> Result<World, LessonError> {
    let err = |message: String| LessonError {
        file: file.to_owned(),
        message,
    };
    let mut world =
        World::with_config(DEFAULT_SEED, config(file, lesson)?).map_err(|e| err(e.to_string()))?;
    for c in default_commands() {
        world.apply(c).map_err(|e| err(e.to_string()))?;
    }
    if let Some(text) = &lesson.scenario.manifests {
        crate::manifest::apply_import(&mut world, text)
            .map_err(|e| err(format!("manifests: {e}")))?;
    }
    let mut console = Console::new();
    for line in &lesson.scenario.setup {
        let out = console.run(&mut world, line);
        if !out.ok {
            return Err(err(format!("setup {line:?}: {}", out.text().trim_end())));
        }
    }
    world.step(SETTLE_MILLIS);
    check_goal_names(&world, lesson).map_err(err)?;
    Ok(world)
}

/// The lesson's world as a learner left it, read back from its saved scenario (the
/// packed fragment a share link carries, read under the same limits) on the lesson's
/// own cluster configuration, then let run [`SETTLE_MILLIS`]; refused, with why, if the
/// fragment or its objects do not read or a Service or Deployment a goal names is gone.
///
/// Simplification: a scenario is a start state (see [`crate::scenario::share`]): what
/// the learner made comes back (objects, replicas, selectors, types, clients), not the
/// live state of the run (a failing probe, requests counted, addresses added to the
/// cloud's pool); the step's baseline is taken anew from the restored world.
pub fn restore_world(file: &str, lesson: &Lesson, fragment: &str) -> Result<World, LessonError> {
    let err = |message: String| LessonError {
        file: file.to_owned(),
        message,
    };
    let scenario =
        crate::scenario::share::decode_fragment(fragment).map_err(|e| err(e.to_string()))?;
    let mut world =
        crate::scenario::share::scenario_to_world_with(&scenario, config(file, lesson)?)
            .map_err(|e| err(e.to_string()))?;
    world.step(SETTLE_MILLIS);
    check_goal_names(&world, lesson).map_err(err)?;
    Ok(world)
}

/// Every Service and Deployment the lesson's goals name is in `world` (or, for a
/// Service, made by one of its show-me lines).
fn check_goal_names(world: &World, lesson: &Lesson) -> Result<(), String> {
    for step in &lesson.steps {
        for p in &step.goal {
            check_names(world, lesson, p)?;
        }
    }
    Ok(())
}

/// The lesson's cluster: the default, with the cloud's pool as the lesson says.
fn config(file: &str, lesson: &Lesson) -> Result<ClusterConfig, LessonError> {
    let err = |message: String| LessonError {
        file: file.to_owned(),
        message,
    };
    let mut config = ClusterConfig::default();
    if let Some(pool) = &lesson.scenario.load_balancer_pool {
        config.load_balancer_pool = pool
            .iter()
            .map(|ip| {
                ip.parse()
                    .map_err(|_| err(format!("load_balancer_pool: {ip:?} is not an IP address")))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(config)
}

/// Whether one of the lesson's show-me lines creates Service `name` (`kubectl expose …
/// NAME`, `kubectl create service TYPE NAME`, or `--name NAME`).
fn created_by_lesson(lesson: &Lesson, name: &str) -> bool {
    let short = super::predicate::key(name).name;
    lesson.steps.iter().flat_map(|s| &s.show_me).any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let creates = words.starts_with(&["kubectl", "expose"])
            || words.starts_with(&["kubectl", "create", "service"]);
        creates
            && words
                .iter()
                .any(|w| *w == short || *w == format!("--name={short}"))
    })
}

fn check_names(world: &World, lesson: &Lesson, p: &Predicate) -> Result<(), String> {
    use super::predicate::key;
    let (service, deployment) = p.names();
    if let Some(s) = service
        && world.service(&key(s)).is_none()
        && !created_by_lesson(lesson, s)
    {
        return Err(format!(
            "goal names Service {s:?}, which the scenario does not have"
        ));
    }
    if let Some(d) = deployment
        && !world.deployments().contains_key(&key(d))
    {
        return Err(format!(
            "goal names Deployment {d:?}, which the scenario does not have"
        ));
    }
    Ok(())
}

/// The longest simulated time a goal may take to be met after its actions (the
/// readiness lesson needs three failed probes, 10 s apart).
pub const GOAL_WITHIN_MILLIS: u64 = 60_000;

/// Runs show-me lines as the page runs them, without pauses: console lines through
/// `console`, the page's words as their command. The first failure stops, with the
/// line and what it printed.
pub fn run_lines(world: &mut World, console: &mut Console, lines: &[String]) -> Result<(), String> {
    for line in lines {
        match super::action::resolve(line, world)? {
            super::Action::Line(l) => {
                let out = console.run(world, &l);
                if !out.ok {
                    return Err(format!("{l}: {}", out.text().trim_end()));
                }
            }
            super::Action::Command(c) => {
                world.apply(c).map_err(|e| format!("{line}: {e}"))?;
            }
        }
    }
    Ok(())
}

/// Steps time in 100 ms slices, at most [`GOAL_WITHIN_MILLIS`], until the goal holds;
/// the simulated milliseconds it took.
pub fn wait_for_goal(
    world: &mut World,
    goal: &[Predicate],
    baseline: &mut super::Baseline,
) -> Option<u64> {
    let mut waited = 0;
    loop {
        baseline.observe(world);
        if super::all_hold(goal, world, baseline) {
            return Some(waited);
        }
        if waited >= GOAL_WITHIN_MILLIS {
            return None;
        }
        world.step(100);
        waited += 100;
    }
}

/// The world at the start of step `step` (0-based): the lesson's world with the
/// earlier steps done by their "show me" (for a returning learner).
pub fn world_at_step(file: &str, lesson: &Lesson, step: usize) -> Result<World, LessonError> {
    let mut world = lesson_world(file, lesson)?;
    let mut console = Console::new();
    for (i, s) in lesson.steps.iter().take(step).enumerate() {
        let err = |message: String| LessonError {
            file: file.to_owned(),
            message: format!("steps[{i}]: {message}"),
        };
        let mut baseline = super::Baseline::take(&world);
        run_lines(&mut world, &mut console, &s.show_me).map_err(err)?;
        wait_for_goal(&mut world, &s.goal, &mut baseline)
            .ok_or_else(|| err("show me does not meet the goal".into()))?;
    }
    Ok(world)
}
