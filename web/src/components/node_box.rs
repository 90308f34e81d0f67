//! A node: a box holding the pods scheduled on it.

use yew::prelude::*;

use crate::components::pod_card::PodCard;
use crate::model::NodeView;
use crate::state::PodCommand;

/// Props of [`NodeBox`].
#[derive(Properties, PartialEq)]
pub struct NodeBoxProps {
    /// The node.
    pub node: NodeView,
    /// A command on a pod.
    pub on_command: Callback<(String, PodCommand)>,
}

/// A node box.
#[component]
pub fn NodeBox(props: &NodeBoxProps) -> Html {
    let n = &props.node;
    html! {
        <section class={classes!("node", (!n.ready).then_some("node-not-ready"))} data-node={n.name.clone()}
            aria-label={format!("node {}", n.name)}>
            <header class="node-head">
                <span class="node-name">{ &n.name }</span>
                <span class="node-ip">{ &n.ip }</span>
                if let Some(zone) = &n.zone { <span class="node-zone">{ zone }</span> }
                if !n.ready { <span class="node-state">{ "NotReady" }</span> }
            </header>
            <div class="pods">
                if n.pods.is_empty() { <p class="empty">{ "no pods" }</p> }
                // Keyed children in a list of their own: Yew matches them by key only
                // when every sibling has one, so a pod added or removed leaves the
                // other cards (and the focus on their buttons) in place.
                <>{ for n.pods.iter().map(|p| html! {
                    <PodCard key={p.name.clone()} pod={p.clone()} on_command={props.on_command.clone()} />
                }) }</>
            </div>
        </section>
    }
}
