//! A traffic source: a client pod inside the cluster, or a user on the internet.

use yew::prelude::*;

use crate::format;
use crate::model::ClientView;

/// Props of [`ClientCard`].
#[derive(Properties, PartialEq)]
pub struct ClientCardProps {
    /// The client.
    pub client: ClientView,
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
                { for c.targets.iter().map(|t| html! {
                    <li class={t.colour.class()}>
                        <span aria-hidden="true">{ "→ " }</span>
                        { format!("svc/{} {}", t.service, format::rate(t.rate_per_sec)) }
                    </li>
                }) }
            </ul>
        </div>
    }
}
