//! One pod: name, IP, state (by shape and word, not colour alone), requests served,
//! and its buttons. `data-pod`, `data-ready`, `data-requests` are stable test hooks.

use yew::prelude::*;

use crate::model::{PodView, ProbeControl};
use crate::state::PodCommand;

/// Props of [`PodCard`].
#[derive(Properties, PartialEq)]
pub struct PodCardProps {
    /// The pod.
    pub pod: PodView,
    /// A command on a pod, by name.
    pub on_command: Callback<(String, PodCommand)>,
}

/// A pod card. Hover or keyboard focus shows its labels.
#[component]
pub fn PodCard(props: &PodCardProps) -> Html {
    let pod = &props.pod;
    // The request counter is left out of the label: it changes ten times a second and
    // is read from the text; the label changes only with the pod's state.
    let summary = format!(
        "pod {}, {}, IP {}{}; Enter explains it",
        pod.name,
        pod.state.label(),
        if pod.ip.is_empty() { "none" } else { &pod.ip },
        match pod.highlight {
            Some(true) => ", matches the selector",
            Some(false) => ", does not match the selector",
            None => "",
        },
    );
    // A click (or Enter) on the card shows the pod in the explain view; the buttons
    // inside stop their clicks from reaching the card.
    let explain = {
        let (name, cb) = (pod.name.clone(), props.on_command.clone());
        Callback::from(move |_: MouseEvent| cb.emit((name.clone(), PodCommand::Explain)))
    };
    let explain_key = {
        let (name, cb) = (pod.name.clone(), props.on_command.clone());
        Callback::from(move |e: KeyboardEvent| {
            let on_card = e.target() == e.current_target();
            if on_card && e.key() == "Enter" {
                cb.emit((name.clone(), PodCommand::Explain));
            }
        })
    };
    html! {
        <div onclick={explain} onkeydown={explain_key} class={classes!("pod", pod.colour.class(), pod.state.class(), pod.hit.then_some("hit"),
                match pod.highlight { Some(true) => Some("match"), Some(false) => Some("no-match"), None => None })}
            data-pod={pod.name.clone()} data-ready={pod.serving.to_string()}
            data-match={pod.highlight.map(|m| m.to_string())}
            data-state={pod.state.class()} data-requests={pod.requests.to_string()}
            tabindex="0" role="group" aria-label={summary} aria-describedby={tip_id(&pod.name)}>
            <PodBody pod={pod.clone()} on_command={props.on_command.clone()} />
            <span class="pod-requests" title="requests served">{ pod.requests }</span>
            if pod.highlight == Some(true) { <span class="pod-match" aria-hidden="true">{ "◆" }</span> }
        </div>
    }
}

fn tip_id(name: &str) -> String {
    format!("tip-{}", name.replace('/', "-"))
}

/// A name that may wrap after each dash (`<wbr>`), never in the middle of a word.
pub(crate) fn with_breaks(text: &str) -> Html {
    let parts: Vec<&str> = text.split_inclusive('-').collect();
    html! { <>{ for parts.iter().map(|p| html! { <>{ *p }<wbr /></> }) }</> }
}

/// Props of [`PodBody`]: equal when what it draws is equal, whatever the counter says,
/// so the ten-times-a-second counter updates do not rebuild the card.
#[derive(Properties)]
struct PodBodyProps {
    pod: PodView,
    on_command: Callback<(String, PodCommand)>,
}

impl PartialEq for PodBodyProps {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.pod, &other.pod);
        a.name == b.name
            && a.workload == b.workload
            && a.generated == b.generated
            && a.ip == b.ip
            && a.labels == b.labels
            && a.state == b.state
            && a.can_kill == b.can_kill
            && a.probe == b.probe
            && a.probe_failing == b.probe_failing
            && self.on_command == other.on_command
    }
}

/// The parts of a pod card that change only with its state.
#[component]
fn PodBody(props: &PodBodyProps) -> Html {
    let pod = &props.pod;
    let command = |c: PodCommand| {
        let name = pod.name.clone();
        props.on_command.reform(move |e: MouseEvent| {
            e.stop_propagation();
            (name.clone(), c)
        })
    };
    let prefix = if pod.workload.is_empty() {
        String::new()
    } else {
        format!("{}-", pod.workload)
    };
    let probe = match pod.probe {
        ProbeControl::Unavailable => html! {},
        ProbeControl::CanBreak => html! {
            <button data-action="break" onclick={command(PodCommand::Break)} title="fail readiness probe"
                aria-label={format!("fail readiness probe of pod {}", pod.name)}>{ "⚡" }</button>
        },
        ProbeControl::CanHeal => html! {
            <button data-action="heal" onclick={command(PodCommand::Heal)} title="heal: pass readiness probe"
                aria-label={format!("heal pod {}: pass its readiness probe", pod.name)}>{ "♥" }</button>
        },
    };
    html! {
        <>
            <span class="pod-glyph" aria-hidden="true">{ pod.state.glyph() }</span>
            <span class="pod-name" title={pod.name.clone()}>
                <span class="pod-prefix">{ with_breaks(&prefix) }</span><b>{ with_breaks(&pod.generated) }</b>
            </span>
            <span class="pod-ip">{ if pod.ip.is_empty() { "no IP" } else { &pod.ip } }</span>
            <span class="pod-state">
                { pod.state.label() }
                if let Some((failures, threshold)) = pod.probe_failing {
                    <span class="probe-failing" data-probe-failures={failures.to_string()}
                        title={format!("readiness probe failing: {failures} of failureThreshold {threshold} failures in a row; at {threshold} the pod leaves the ready endpoints")}>
                        { format!(" · probe ✗ {failures}/{threshold}") }
                    </span>
                }
            </span>
            <span class="tip" role="tooltip" id={tip_id(&pod.name)}>
                <span class="tip-name">{ &pod.name }</span>
                { for pod.labels.iter().map(|l| html! { <code class="label">{ l }</code> }) }
            </span>
            <span class="pod-actions">
                <button data-action="kill" onclick={command(PodCommand::Kill)} disabled={!pod.can_kill}
                    title="delete pod" aria-label={format!("delete pod {}", pod.name)}>{ "✕" }</button>
                { probe }
            </span>
        </>
    }
}
