//! The lesson panel: the step's words, its prediction (one multiple-choice question,
//! answered by the simulation), "show me", "next" once the core says the goal is met,
//! and a polite live region that announces each change for screen readers. Plus
//! [`LessonOffer`], the first-visit offer of the tour, which never blocks the sandbox,
//! and the lesson picker.
//!
//! After "next" (a new step or lesson) keyboard focus moves to the panel's heading
//! (`tabindex="-1"`), so a keyboard or screen-reader user starts reading the new step
//! there instead of staying on a button that is gone; the first render moves nothing.
//!
//! Test hooks: `[data-lesson="N"]` (1-based) with `data-goal="met"|"unmet"` and
//! `data-step` (1-based), `[data-action="show-me"]`, `[data-action="next-lesson"]`.

use yew::prelude::*;

use crate::state::lesson::catalogue;
use crate::state::{LessonAction, LessonView};

/// Props of [`LessonPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// Where the learner is.
    pub view: LessonView,
    /// Sends a lesson action.
    pub on_lesson: Callback<LessonAction>,
    /// `?embed`: no close button, no picker.
    #[prop_or_default]
    pub embed: bool,
}

/// The open lesson's panel (nothing when no lesson is open).
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let view = &props.view;
    let heading = use_node_ref();
    let seen = use_mut_ref(|| None::<(Option<usize>, usize)>);
    {
        let heading = heading.clone();
        let at = (view.current().map(|(i, _, _)| i), view.step);
        use_effect_with(at, move |at| {
            let before = seen.borrow_mut().replace(*at);
            if before.is_some_and(|b| b != *at && at.0.is_some())
                && let Some(h) = heading.cast::<web_sys::HtmlElement>()
            {
                let _ = h.focus();
            }
        });
    }
    let send = |a: LessonAction| props.on_lesson.reform(move |_: MouseEvent| a.clone());
    let live = html! {
        <p class="visually-hidden" aria-live="polite" data-lesson-live="">{ view.announce.to_string() }</p>
    };
    let Some((i, lesson, step)) = view.current() else {
        return live;
    };
    let last_step = view.step + 1 == lesson.steps.len();
    let next_label = match (last_step, i + 1 < catalogue().len()) {
        (false, _) => "Next step →".to_owned(),
        (true, true) => format!("Next lesson: {} →", catalogue()[i + 1].title),
        (true, false) => "Finish".to_owned(),
    };
    let predict = step.predict.as_ref().map(|p| {
        let chosen = view.choice;
        if view.met {
            // The simulation has answered: the question folds to its answer.
            return html! {
                <p class="lesson-why"><b>{ &p.question }</b>{ " " }{ &p.choices[p.answer] }{ ". " }{ &p.why }</p>
            };
        }
        html! {
            <fieldset class="lesson-predict">
                <legend>{ "Predict: " }{ &p.question }</legend>
                { for p.choices.iter().enumerate().map(|(c, text)| {
                    let class = match chosen {
                        Some(_) if c == p.answer => Some("right"),
                        Some(x) if x == c => Some("wrong"),
                        _ => None,
                    };
                    html! {
                        <button class={classes!("choice", class)} data-choice={c.to_string()}
                            aria-pressed={(chosen == Some(c)).to_string()}
                            onclick={send(LessonAction::Choose(c))}>{ text }</button>
                    }
                }) }
                if let Some(c) = chosen {
                    <p class="lesson-why">
                        <b>{ if c == p.answer { "Right. " } else { "Not quite. " } }</b>
                        { &p.why }{ " Now try it and watch." }
                    </p>
                }
            </fieldset>
        }
    });
    html! {
        <section class="lesson-panel" data-lesson={(i + 1).to_string()} data-step={(view.step + 1).to_string()}
            data-goal={if view.met { "met" } else { "unmet" }} aria-labelledby="lesson-title">
            <header class="lesson-head">
                <h2 id="lesson-title" tabindex="-1" ref={heading}>{ format!("Lesson {} · {}", i + 1, lesson.title) }</h2>
                <span class="muted lesson-count">{ format!("step {} of {}", view.step + 1, lesson.steps.len()) }</span>
                if !props.embed {
                    <button class="lesson-close" data-action="close-lesson" aria-label="close the lesson"
                        title="close the lesson (the sandbox stays)" onclick={send(LessonAction::Close)}>{ "✕" }</button>
                }
            </header>
            <p class="lesson-text">{ step.text.trim() }</p>
            { predict.unwrap_or_default() }
            <div class="lesson-actions">
                <button data-action="show-me" disabled={view.running() || view.met}
                    title="do this step for me, slowly" onclick={send(LessonAction::ShowMe)}>
                    { if view.running() { "Showing…" } else { "Show me" } }
                </button>
                if view.met && props.embed && last_step {
                    <span class="lesson-goal"><b>{ "✓ Lesson complete." }</b></span>
                } else if view.met {
                    <button class="primary" data-action="next-lesson" onclick={send(LessonAction::Next)}>{ next_label }</button>
                } else {
                    <span class="lesson-goal muted">{ "goal not met yet" }</span>
                }
            </div>
            if let Some(doing) = &view.doing {
                <p class="lesson-doing"><span class="muted">{ "show me ran: " }</span><code>{ doing.to_string() }</code></p>
            }
            if view.met {
                <p class="lesson-done" role="status"><b>{ "✓ Goal met. " }</b>{ step.done.trim() }</p>
            }
            if let Some(e) = &view.error {
                <p class="error">{ e.to_string() }</p>
            }
            { live }
        </section>
    }
}

/// Props of [`LessonOffer`].
#[derive(Properties, PartialEq)]
pub struct LessonOfferProps {
    /// Whether the first-visit offer shows.
    pub offer: bool,
    /// Lessons completed (0-based), marked in the picker.
    pub completed: Vec<usize>,
    /// The open lesson, selected in the picker.
    pub open: Option<usize>,
    /// Sends a lesson action.
    pub on_lesson: Callback<LessonAction>,
}

/// The line that says what to try, the first-visit offer, and the lesson picker.
#[component]
pub fn LessonOffer(props: &LessonOfferProps) -> Html {
    let on_pick = props.on_lesson.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        value
            .parse::<usize>()
            .map_or(LessonAction::Close, LessonAction::Open)
    });
    let open = props
        .on_lesson
        .reform(|_: MouseEvent| LessonAction::Open(0));
    let dismiss = props
        .on_lesson
        .reform(|_: MouseEvent| LessonAction::DismissOffer);
    html! {
        <div class="lesson-bar">
            if props.offer {
                <p class="lesson-offer" role="note" data-offer="">
                    <span>{ "New to Services? A guided tour in six short lessons, each checked on this cluster." }</span>
                    <button class="primary" data-action="start-tour" onclick={open}>{ "Start lesson 1" }</button>
                    <button data-action="dismiss-tour" onclick={dismiss}>{ "Not now" }</button>
                </p>
            } else {
                <p class="hint" data-hint="">
                    { "Try: delete a pod with ✕ and watch the Service keep routing; scale prod; change a Service's type. Or follow a lesson →" }
                </p>
            }
            <label class="lesson-pick">
                <span class="muted">{ "lessons" }</span>
                <select data-action="pick-lesson" onchange={on_pick} aria-label="open a lesson">
                    <option value="" selected={props.open.is_none()}>{ "sandbox (no lesson)" }</option>
                    { for catalogue().iter().enumerate().map(|(i, l)| html! {
                        <option value={i.to_string()} selected={props.open == Some(i)}>
                            { format!("{}{}. {}", if props.completed.contains(&i) { "✓ " } else { "" }, i + 1, l.title) }
                        </option>
                    }) }
                </select>
            </label>
        </div>
    }
}
