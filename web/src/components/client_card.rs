//! A traffic source: a client pod inside the cluster, or a user on the internet. Each
//! stream to a Service has its rate in a box with `−`/`+`, as the replicas box has.

use yew::prelude::*;

use svcplay_core::world::MAX_CLIENT_RATE;

use crate::components::text_box::TextBox;
use crate::model::{ClientTarget, ClientView};
use crate::state::{EditAction, Field};

/// Props of [`ClientCard`].
#[derive(Properties, PartialEq)]
pub struct ClientCardProps {
    /// The client.
    pub client: ClientView,
    /// Rate edits.
    pub on_edit: Callback<EditAction>,
}

/// A client card; `data-client` is its hook, and each stream's `li[data-target]` holds
/// `input[data-action="rate"]` and `button[data-action="rate-down"|"rate-up"]`.
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
                { for c.targets.iter().map(|t| target(&c.name, t, &props.on_edit)) }
            </ul>
        </div>
    }
}

/// One stream: the Service, then its rate box between `−` and `+`.
fn target(client: &str, t: &ClientTarget, on_edit: &Callback<EditAction>) -> Html {
    let set = |to: i64| {
        let (client, service) = (client.to_owned(), t.service.clone());
        on_edit.reform(move |_: MouseEvent| EditAction::Rate(client.clone(), service.clone(), to))
    };
    let rate = i64::from(t.rate_per_sec);
    let svc = &t.service;
    html! {
        <li class={t.colour.class()} data-target={svc.clone()} data-rate={t.rate_per_sec.to_string()}>
            <span class="client-target"><span aria-hidden="true">{ "→ " }</span>{ format!("svc/{svc}") }</span>
            <span class="rate" role="group" aria-label={format!("request rate of {client} to Service {svc}")}>
                <button data-action="rate-down" onclick={set(rate - 1)} disabled={rate <= 0}
                    aria-label={format!("{client}: {} requests per second to {svc}", rate - 1)}>{ "−" }</button>
                <TextBox field={Field::Rate(client.to_owned(), svc.clone())} action="rate" inputmode="numeric"
                    apply_on_blur=true value={t.rate_draft.clone().unwrap_or_else(|| t.rate_per_sec.to_string())}
                    error={t.rate_error.clone()} id={format!("rate-{client}-{svc}")}
                    label={format!("rate: requests per second from {client} to Service {svc} (0 to {MAX_CLIENT_RATE}); Enter applies")}
                    on_edit={on_edit.clone()} />
                <button data-action="rate-up" onclick={set(rate + 1)}
                    aria-label={format!("{client}: {} requests per second to {svc}", rate + 1)}>{ "+" }</button>
                <span class="rate-unit" aria-hidden="true">{ "/s" }</span>
            </span>
        </li>
    }
}
