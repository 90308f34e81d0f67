//! Tests of the lesson half of the reducer: show me's pace, goals, the sandbox kept
//! aside while a lesson is open, and a returning learner's lesson world.

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

/// Frames as the page sends them: ~60 Hz through the reducer, which drops a frame's
/// state when it renders nothing.
fn reduced_frames(s: AppState, wall_ms: u32) -> AppState {
    use yew::Reducible;
    let mut s = Rc::new(s);
    let mut t = 0;
    while t < wall_ms {
        s = s.reduce(Action::Tick(16.0));
        t += 16;
    }
    Rc::try_unwrap(s).unwrap_or_else(|s| (*s).clone())
}

#[test]
fn show_me_ends_when_its_lines_end_between_frames_that_render_nothing() {
    // Lesson 14, step 1: "show me" has two lines, 600 ms apart.
    let mut s = AppState::default();
    s.apply(Action::Lesson(LessonAction::Open(13)));
    assert_eq!(catalogue()[13].steps[0].show_me.len(), 2);
    s.apply(Action::Lesson(LessonAction::ShowMe));
    assert!(s.view.lesson.running());
    // Both lines have run after one pause (plus two frames of slack).
    let s = reduced_frames(s, SHOW_ME_PAUSE_MILLIS as u32 + 48);
    assert!(
        !s.view.lesson.running(),
        "\"Showing…\" ends with the lines: {:?} still pending",
        s.view.lesson.pending
    );
    assert_eq!(
        s.view.lesson.doing.as_deref(),
        Some("kubectl exec shopper -- nslookup api.shop")
    );
    let s = reduced_frames(s, 20_000);
    assert!(s.view.lesson.met, "the goal is met and next appears");
}

fn prod_pods(s: &AppState) -> usize {
    let prod = svcplay_core::objects::NamespacedName::default_ns("prod");
    s.sim().world.pods_of_deployment(&prod).len()
}

fn prod_type(s: &AppState) -> String {
    let prod = svcplay_core::objects::NamespacedName::default_ns("prod");
    let sim = s.sim();
    sim.world
        .service(&prod)
        .unwrap()
        .spec
        .type_
        .as_str()
        .to_owned()
}

#[test]
fn closing_a_lesson_puts_the_learners_own_sandbox_back_as_they_left_it() {
    let mut s = AppState::default();
    s.run_line("kubectl scale deployment prod --replicas=5", None);
    s.apply(Action::Speed(300));
    frames(&mut s, 3_000);
    let mine = s.scenario();
    assert_eq!(prod_pods(&s), 5);
    s.apply(Action::Lesson(LessonAction::Open(3)));
    assert_eq!(prod_pods(&s), 2, "the lesson's own world");
    assert_ne!(s.scenario(), mine, "autosave would see the lesson's world");
    s.apply(Action::Lesson(LessonAction::ShowMe));
    frames(&mut s, 8_000);
    assert!(s.view.lesson.met);
    s.apply(Action::Lesson(LessonAction::Next)); // lesson 5: still no sandbox change
    s.apply(Action::Lesson(LessonAction::Close));
    assert_eq!(s.view.lesson.open, None);
    assert_eq!(s.scenario(), mine, "the learner's sandbox, as they left it");
    assert_eq!(prod_pods(&s), 5);
    assert_eq!(s.view.speed_percent, 300);
    assert_eq!(
        s.view.console.entries.back().map(|e| e.line.as_str()),
        Some("kubectl scale deployment prod --replicas=5")
    );
    assert!(s.view.lesson.announce.contains("your own sandbox"));
}

#[test]
fn a_returning_learner_gets_the_lesson_world_they_left_or_the_steps_own() {
    // Lesson 10 (no load-balancer addresses), step 1: the learner made prod a
    // LoadBalancer and scaled it to 4, then left; autosave kept that world.
    let mut s = AppState::default();
    s.apply(Action::Lesson(LessonAction::Open(9)));
    s.run_line("kubectl scale deployment prod --replicas=4", None);
    frames(&mut s, 100);
    let fragment = svcplay_core::scenario::share::encode_fragment(&s.scenario());

    let mut back = AppState::default();
    back.resume_lesson(9, 0, Some((9, 0, &fragment)));
    assert_eq!((back.view.lesson.open, back.view.lesson.step), (Some(9), 0));
    assert_eq!(prod_pods(&back), 4, "their world, not the step's");
    assert_eq!(back.view.menu.notice, None);
    // Closing it returns to the sandbox the page opened with.
    back.apply(Action::Lesson(LessonAction::Close));
    assert_eq!(prod_pods(&back), 2);

    // Saved for another step: the step's own world.
    let mut other = AppState::default();
    other.resume_lesson(9, 1, Some((9, 0, &fragment)));
    assert_eq!(prod_type(&other), "LoadBalancer", "step 2's world, rebuilt");
    assert_eq!(prod_pods(&other), 2);
    // Unreadable: the step's own world, and a notice says why.
    let mut bad = AppState::default();
    bad.resume_lesson(9, 0, Some((9, 0, "s=1.!!!")));
    assert_eq!(bad.view.lesson.open, Some(9));
    assert_eq!(prod_pods(&bad), 2);
    let notice = bad.view.menu.notice.as_deref().unwrap_or_default();
    assert!(notice.contains("could not be read"), "{notice}");
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
