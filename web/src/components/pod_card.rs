//! One pod: its name, IP, state, request counter and kill button.

use svcplay_core::World;
use svcplay_core::objects::Pod;
use yew::prelude::*;

use crate::layout::Point;
use crate::state::Action;

/// Props of [`PodCard`].
#[derive(Properties, PartialEq)]
pub struct PodCardProps {
    /// The pod.
    pub pod: Pod,
    /// Requests it has served.
    pub requests: u64,
    /// Where its centre sits.
    pub at: Point,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// A pod card; `data-pod`, `data-ready` and `data-requests` are stable test hooks.
#[component]
pub fn PodCard(props: &PodCardProps) -> Html {
    let pod = &props.pod;
    let name = pod.metadata.name.clone();
    let app = pod.metadata.labels.get("app").cloned().unwrap_or_default();
    let ready = World::is_serving(pod);
    let (state, state_class) = if pod.metadata.is_terminating() {
        ("Terminating", "terminating")
    } else if ready {
        ("Ready", "ready")
    } else {
        ("NotReady", "not-ready")
    };
    let kill = {
        let name = name.clone();
        props
            .dispatch
            .reform(move |_: MouseEvent| Action::Kill(name.clone()))
    };
    let labels: Vec<String> = pod
        .metadata
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    html! {
        <div class={classes!("pod", format!("app-{app}"), state_class)}
            style={format!("left:{:.2}%;top:{:.2}%", props.at.x, props.at.y)}
            data-pod={name.clone()} data-ready={ready.to_string()}
            data-requests={props.requests.to_string()}
            title={labels.join(", ")} tabindex="0">
            <div class="pod-name">{ &name }</div>
            <div class="pod-ip">{ &pod.status.pod_ip }</div>
            <div class="pod-meta">
                <span class="pod-state">{ state }</span>
                <span class="pod-requests" aria-label="requests served">{ props.requests }</span>
            </div>
            <button data-action="kill" aria-label={format!("kill pod {name}")}
                disabled={pod.metadata.is_terminating()} onclick={kill}>{ "✕" }</button>
        </div>
    }
}
