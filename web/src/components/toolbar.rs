//! Play/pause, reset and the simulated clock.

use svcplay_core::SimTime;
use yew::prelude::*;

use crate::state::Action;

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// Whether time runs.
    pub playing: bool,
    /// Simulated time.
    pub now: SimTime,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The playback controls.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let toggle = props.dispatch.reform(|_: MouseEvent| Action::TogglePlay);
    let reset = props.dispatch.reform(|_: MouseEvent| Action::Reset);
    html! {
        <div class="toolbar">
            <button data-action="play" onclick={toggle} aria-pressed={(!props.playing).to_string()}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button data-action="reset" onclick={reset}>{ "Reset" }</button>
            <span class="clock" aria-label="simulated time">{ format!("t = {}", props.now) }</span>
        </div>
    }
}
