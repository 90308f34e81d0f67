//! A traffic source: a client pod inside the cluster, or a user on the internet.

use yew::prelude::*;

use crate::format;
use crate::model::{ClientTarget, ClientView, Entry};

/// Props of [`ClientCard`].
#[derive(Properties, PartialEq)]
pub struct ClientCardProps {
    /// The client.
    pub client: ClientView,
}

/// One stream: the Service, the rate and how the requests get in (`data-route`), as
/// the core routes them; a blocked one says why, in the core's words.
fn target(t: &ClientTarget) -> Html {
    let (mark, via) = match &t.entry {
        Entry::ClusterIp => ("→ ", None),
        Entry::NodePort(port) => ("→ ", Some(format!("via any node's IP, port {port}"))),
        Entry::LoadBalancer(addr) => ("→ ", Some(format!("via the load balancer {addr}"))),
        Entry::Unreachable(why) => ("⊘ ", Some((*why).to_owned())),
    };
    html! {
        <li class={classes!(t.colour.class(), (!t.entry.reaches()).then_some("blocked"))}
            data-target={t.service.clone()} data-route={t.entry.hook()}>
            <span class="route-mark" aria-hidden="true">{ mark }</span>
            { format!("svc/{} {}", t.service, format::rate(t.rate_per_sec)) }
            if let Some(via) = via { <span class="client-entry">{ via }</span> }
        </li>
    }
}

/// A client card; `data-client` is its hook.
#[component]
pub fn ClientCard(props: &ClientCardProps) -> Html {
    let c = &props.client;
    let (kind, icon) = if c.inside {
        ("client pod", "▣")
    } else {
        ("user on the internet", "☺")
    };
    html! {
        <div class={classes!("client", if c.inside { "inside" } else { "outside" })}
            data-client={c.name.clone()} tabindex="0" role="group"
            aria-label={format!("{kind} {}", c.name)}>
            <span class="client-icon" aria-hidden="true">{ icon }</span>
            <span class="client-kind">{ kind }</span>
            <span class="client-name">{ &c.name }</span>
            if c.targets.is_empty() {
                <span class="client-idle">{ "idle: no Service reachable from outside" }</span>
            }
            <ul class="client-targets">
                { for c.targets.iter().map(target) }
            </ul>
        </div>
    }
}
