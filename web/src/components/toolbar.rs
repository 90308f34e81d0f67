//! Play / pause, single step, speed, reset, the built-in scenario picker and the
//! simulated clock.

use svcplay_core::SimTime;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::format;

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// Whether time runs.
    pub playing: bool,
    /// Speed in hundredths (100 = ×1).
    pub speed_percent: u32,
    /// Simulated time.
    pub now: SimTime,
    /// Play or pause.
    pub on_toggle: Callback<()>,
    /// Advance one step.
    pub on_step: Callback<()>,
    /// Set the speed.
    pub on_speed: Callback<u32>,
    /// Back to the start.
    pub on_reset: Callback<()>,
    /// The scenario on screen (its id), when it is a built-in one.
    #[prop_or_default]
    pub scenario: Option<&'static str>,
    /// Pick a built-in scenario (its id).
    #[prop_or_default]
    pub on_scenario: Callback<String>,
}

/// The playback controls.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let step = props.on_step.reform(|_: MouseEvent| ());
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    let speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let select = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok());
            if let Some(speed) = select.and_then(|s| s.value().parse::<u32>().ok()) {
                on_speed.emit(speed);
            }
        })
    };
    let pick = {
        let on_scenario = props.on_scenario.clone();
        Callback::from(move |e: Event| {
            let select = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok());
            if let Some(s) = select {
                on_scenario.emit(s.value());
            }
        })
    };
    let (play_label, play_glyph) = if props.playing {
        ("Pause", "❚❚")
    } else {
        ("Play", "▶")
    };
    html! {
        <div class="toolbar" role="toolbar" aria-label="simulation controls">
            <button data-action="play" onclick={toggle} aria-label={play_label}
                aria-pressed={props.playing.to_string()}>
                <span aria-hidden="true">{ play_glyph }</span>{ " " }{ play_label }
            </button>
            <button data-action="step" onclick={step} disabled={props.playing}
                aria-label="step 100 simulated milliseconds">
                <span aria-hidden="true">{ "▶❘" }</span>{ " Step" }
            </button>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select data-action="speed" onchange={speed} aria-label="simulation speed">
                    { for format::SPEEDS.iter().map(|&s| html! {
                        <option value={s.to_string()} selected={s == props.speed_percent}>
                            { format::speed_label(s) }
                        </option>
                    }) }
                </select>
            </label>
            <button data-action="reset" onclick={reset} aria-label="reset the scenario">
                <span aria-hidden="true">{ "↺" }</span>{ " Reset" }
            </button>
            <label class="scenario-pick">
                <span>{ "Scenario" }</span>
                <select data-action="scenario" onchange={pick} aria-label="built-in scenario">
                    { for svcplay_core::scenario::BuiltIn::ALL.iter().map(|b| html! {
                        <option value={b.id()} selected={props.scenario == Some(b.id())}>{ b.title() }</option>
                    }) }
                </select>
            </label>
            <output class="clock" aria-label="simulated time">{ format::clock(props.now) }</output>
        </div>
    }
}
