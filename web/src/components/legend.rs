//! The key to the picture: pod states by shape, the Service's double border, requests
//! and refusals. Static; drawn with the same classes as the real things.

use yew::prelude::*;

use crate::model::PodState;

/// The legend under the map.
#[component]
pub fn Legend() -> Html {
    let states = [
        PodState::Ready,
        PodState::Pending,
        PodState::NotReady,
        PodState::Terminating,
        PodState::Completed,
    ];
    html! {
        <ul class="legend" aria-label="legend">
            { for states.iter().map(|s| html! {
                <li><span class={classes!("swatch", "pod-swatch", "cn", s.class())} aria-hidden="true">{ s.glyph() }</span>
                    { format!("pod {}", s.label().to_lowercase()) }</li>
            }) }
            <li><span class="swatch svc-swatch cn" aria-hidden="true"></span>{ "Service: stable address" }</li>
            <li><span class="swatch dot-swatch" aria-hidden="true"></span>{ "request (Service's colour)" }</li>
            <li><span class="swatch refused-swatch" aria-hidden="true">{ "✕" }</span>{ "refused: no ready endpoint" }</li>
            <li><span class="swatch dropped-swatch" aria-hidden="true">{ "◯" }</span>{ "dropped: no answer, the client times out" }</li>
        </ul>
    }
}
