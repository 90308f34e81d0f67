//! The root component: owns the reducer, ticks it on animation frames, draws the scene.

use yew::prelude::*;

use crate::components::{scene::Scene, toolbar::Toolbar};
use crate::hooks::use_animation_frame;
use crate::state::{Action, AppState};

/// The playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    use_animation_frame(dispatch.reform(Action::Tick));
    html! {
        <main class="app">
            <header class="top">
                <h1>{ "svcplay" }</h1>
                <Toolbar playing={state.view.playing} now={state.world.now()} dispatch={dispatch.clone()} />
            </header>
            if let Some(err) = &state.view.error {
                <p class="error" role="alert">{ err }</p>
            }
            <Scene state={(*state).clone()} dispatch={dispatch} />
        </main>
    }
}
