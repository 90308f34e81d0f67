//! The root: owns the reducer, makes every callback in one place, ticks the reducer on
//! animation frames, and hands view structs to the components.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::cluster_map::ClusterMap;
use crate::components::console::ConsolePanel;
use crate::components::deployments_panel::DeploymentsPanel;
use crate::components::endpoints_panel::EndpointsPanel;
use crate::components::event_log::EventLog;
use crate::components::explain_panel::ExplainPanel;
use crate::components::flight_canvas::FlightCanvas;
use crate::components::legend::Legend;
use crate::components::lesson_panel::{LessonOffer, LessonPanel};
use crate::components::pod_filter::PodFilter;
use crate::components::rules_panel::RulesPanel;
use crate::components::scenario_menu::{EmbedBar, ScenarioMenu};
use crate::components::share_panel::SharePanel;
use crate::components::toolbar::Toolbar;
use crate::hooks::{use_animation_frame, use_media_query};
use crate::lesson_progress::{self, Progress};
use crate::model::from_world;
use crate::state::{Action, ConsoleAction, EditAction, LessonAction, PodCommand, ScenarioKind};

/// How many events the panel shows.
const EVENTS_SHOWN: usize = 200;

/// Every callback the components get, made once per mounted app so their props stay
/// equal between frames.
#[derive(Clone, PartialEq)]
pub struct Callbacks {
    /// The clock: wall milliseconds since the last frame.
    pub tick: Callback<f64>,
    /// A command on a pod.
    pub pod: Callback<(String, PodCommand)>,
    /// Play or pause.
    pub toggle: Callback<()>,
    /// One step.
    pub step: Callback<()>,
    /// Set the speed.
    pub speed: Callback<u32>,
    /// Reset.
    pub reset: Callback<()>,
    /// Text boxes, scale buttons, explain pickers.
    pub edit: Callback<EditAction>,
    /// The scenario picker (a built-in scenario's id).
    pub scenario: Callback<String>,
    /// The console panel.
    pub console: Callback<ConsoleAction>,
    /// The lesson panel.
    pub lesson: Callback<LessonAction>,
}

impl Callbacks {
    /// All callbacks, each turning its input into one [`Action`].
    pub fn new(dispatch: Callback<Action>) -> Self {
        Callbacks {
            tick: dispatch.reform(Action::Tick),
            pod: dispatch.reform(|(pod, c)| Action::Pod(pod, c)),
            toggle: dispatch.reform(|()| Action::TogglePlay),
            step: dispatch.reform(|()| Action::Step),
            speed: dispatch.reform(Action::Speed),
            reset: dispatch.reform(|()| Action::Reset),
            edit: dispatch.reform(Action::Edit),
            scenario: dispatch.reform(|id: String| {
                Action::Scenario(ScenarioKind::from_id(&id).unwrap_or_default())
            }),
            console: dispatch.reform(Action::Console),
            lesson: dispatch.reform(Action::Lesson),
        }
    }
}

/// The playground as the page opens it: the scenario comes from the URL
/// (`?bench=frames` loads the stress world; `?bench=limits` is the page that builds
/// Kubernetes' limits instead of the playground).
#[component]
pub fn App() -> Html {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let scenario = crate::state::scenario::scenario_from_query(&query);
    let embed = crate::share::is_embed(&query);
    let limits = crate::components::limits_bench::limits_scale(&query);
    let lessons = crate::state::lesson::catalogue().len();
    let asked = lesson_progress::lesson_param(&query, lessons);
    let start = use_memo((), move |_| {
        limits
            .is_none()
            .then(|| crate::storage::startup(embed, scenario))
            .flatten()
    });
    let learner = use_memo((), move |_| lesson_start(asked, embed, scenario, lessons));
    if let Some(scale) = limits {
        return html! { <crate::components::limits_bench::LimitsBench scale={scale} /> };
    }
    html! { <Playground scenario={scenario} embed={embed} start={(*start).clone()} learner={(*learner).clone()} /> }
}

/// Where the lessons start: `?lesson=N` opens lesson N; otherwise a returning learner
/// gets the lesson and step they left (and their completed lessons), and a first-time
/// visitor (no progress saved) the offer of the tour. Embeds and the bench save nothing
/// and offer nothing.
fn lesson_start(
    asked: Option<usize>,
    embed: bool,
    scenario: ScenarioKind,
    lessons: usize,
) -> LessonStart {
    if scenario != ScenarioKind::Default {
        return LessonStart::default();
    }
    let saved = if embed {
        None
    } else {
        lesson_progress::load(lessons)
    };
    let offer = saved.is_none() && asked.is_none() && !embed;
    let saved = saved.unwrap_or_default();
    // The lesson world they left, for the lesson and step they left (not for `?lesson=N`,
    // which starts lesson N afresh).
    let saved_world = (asked.is_none() && saved.open.is_some())
        .then(crate::storage::load_lesson_world)
        .flatten();
    LessonStart {
        open: asked.map(|l| (l, 0)).or(saved.open),
        completed: saved.completed,
        offer,
        saved_world,
    }
}

/// Where the lessons start (see [`lesson_start`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LessonStart {
    /// The lesson and step to open (0-based).
    pub open: Option<(usize, usize)>,
    /// Lessons completed before (0-based).
    pub completed: Vec<usize>,
    /// Whether to offer the tour.
    pub offer: bool,
    /// The lesson world autosave kept (its text), for a returning learner.
    pub saved_world: Option<String>,
}

/// Props of [`Playground`].
#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// The world it starts with (and Reset returns to).
    pub scenario: ScenarioKind,
    /// `?embed`: the scene and play/pause only.
    #[prop_or_default]
    pub embed: bool,
    /// Where the first scenario comes from (a link, the autosave), and why not.
    #[prop_or_default]
    pub start: Option<crate::share::Start>,
    /// Where the lessons start.
    #[prop_or_default]
    pub learner: LessonStart,
}

/// The playground for one scenario.
#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let scenario = props.scenario;
    let start = props.start.clone();
    let learner = props.learner.clone();
    let state = use_reducer(move || {
        let mut s = crate::storage::initial_state(scenario, start);
        s.view.lesson.offer = learner.offer;
        s.view.lesson.completed = learner.completed;
        if let Some((lesson, step)) = learner.open {
            let saved = learner.saved_world.as_deref().and_then(|t| {
                lesson_progress::parse_lesson_world(t, crate::state::lesson::catalogue().len())
            });
            s.resume_lesson(lesson, step, saved);
        }
        s
    });
    let callbacks = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            Callbacks::new(Callback::from(move |a| dispatcher.dispatch(a)))
        })
    };
    let map_ref = use_node_ref();
    let motion = !use_media_query("(prefers-reduced-motion: reduce)");
    use_animation_frame(callbacks.tick.clone());
    use_effect_with((), |_| mark_first_frame());

    // The DOM snapshot changes once per epoch; the canvas reads flights every frame.
    // What the objects alone decide is kept between snapshots (`from_world::cache`).
    let cache = use_mut_ref(from_world::ViewCache::default);
    let frame = {
        let state = state.clone();
        use_memo((state.view.epoch, motion), move |_| {
            let sim = state.sim();
            let events = from_world::events(sim.events.iter(), EVENTS_SHOWN);
            let mut cache = cache.borrow_mut();
            (
                from_world::frame_with(&sim.world, &sim.log, motion, &state.view.edits, &mut cache),
                Rc::new(events),
            )
        })
    };
    let (frame, events) = (&frame.0, &frame.1);
    let on_menu = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            Callback::from(move |a| dispatcher.dispatch(Action::Menu(a)))
        })
    };
    crate::share::use_hash_change((*on_menu).clone());
    {
        let lesson = &state.view.lesson;
        let progress = Progress::of(lesson);
        let keep = !props.embed && scenario == ScenarioKind::Default && !lesson.offer;
        use_effect_with((progress, keep), |(progress, keep)| {
            if *keep {
                lesson_progress::save(progress);
            }
        });
    }
    let focus = state
        .view
        .lesson
        .current()
        .map(|(_, _, step)| step.focus.as_str());
    let lesson_panel = html! {
        <LessonPanel view={state.view.lesson.clone()} on_lesson={callbacks.lesson.clone()} embed={props.embed} />
    };
    crate::storage::use_autosave(
        state.clone(),
        !props.embed && scenario == ScenarioKind::Default,
    );
    if props.embed {
        return html! {
            <main class="app embed" data-focus={focus}>
                { lesson_panel }
                <ClusterMap scene={frame.scene.clone()} map_ref={map_ref.clone()} on_command={callbacks.pod.clone()}
                    on_edit={callbacks.edit.clone()} />
                <FlightCanvas sim={state.handle()} scene={frame.scene.clone()} traffic={frame.traffic.clone()}
                    motion={motion} map_ref={map_ref} />
                <EmbedBar playing={state.view.playing} on_toggle={callbacks.toggle.clone()} lesson={state.view.lesson.open} />
            </main>
        };
    }
    html! {
        <main class="app" data-focus={focus}>
            <header class="top">
                <h1>{ "svcplay" }<span class="subtitle">{ " · Kubernetes Services playground" }</span></h1>
                <Toolbar playing={state.view.playing} speed_percent={state.view.speed_percent}
                    now={frame.scene.now} on_toggle={callbacks.toggle.clone()} on_step={callbacks.step.clone()}
                    on_speed={callbacks.speed.clone()} on_reset={callbacks.reset.clone()}
                    scenario={state.view.scenario.built_in().map(|b| b.id())}
                    on_scenario={callbacks.scenario.clone()} />
            </header>
            <ScenarioMenu menu={state.view.menu.clone()} on_menu={(*on_menu).clone()} lesson={state.view.lesson.open} />
            <LessonOffer offer={state.view.lesson.offer} completed={state.view.lesson.completed.clone()}
                open={state.view.lesson.open} on_lesson={callbacks.lesson.clone()} />
            { lesson_panel }
            if let Some(err) = &state.view.error {
                <p class="error" role="alert">{ err }</p>
            }
            <PodFilter filter={frame.filter.clone()} on_edit={callbacks.edit.clone()} />
            <ClusterMap scene={frame.scene.clone()} map_ref={map_ref.clone()} on_command={callbacks.pod.clone()}
                on_edit={callbacks.edit.clone()} />
            <FlightCanvas sim={state.handle()} scene={frame.scene.clone()} traffic={frame.traffic.clone()}
                motion={motion} map_ref={map_ref} />
            <Legend />
            <ConsolePanel input={state.view.console.input.clone()} entries={state.view.console.entries.clone()}
                candidates={state.view.console.candidates.clone()} on_console={callbacks.console.clone()} />
            <div class="panels">
                <SharePanel shares={frame.shares.clone()} />
                <DeploymentsPanel deployments={frame.deployments.clone()} on_edit={callbacks.edit.clone()} />
                <EndpointsPanel endpoints={frame.endpoints.clone()} />
                <ExplainPanel explain={frame.explain.clone()} on_edit={callbacks.edit.clone()} />
                <EventLog events={events.clone()} />
                <RulesPanel rules={frame.rules.clone()} on_edit={callbacks.edit.clone()} />
            </div>
        </main>
    }
}

/// Records when the first frame with live controls was committed, for the benchmark:
/// `<html data-first-frame="ms since navigation">`.
fn mark_first_frame() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let ms = window.performance().map_or(0.0, |p| p.now());
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        root.set_attribute("data-first-frame", &format!("{ms:.1}"))
            .ok();
    }
}
