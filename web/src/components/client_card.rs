//! A traffic source: a client pod inside the cluster, or a user on the internet. Each
//! stream to a Service has its rate in a box with `−`/`+`, as the replicas box has, and
//! a `select[data-action="retarget"]` that points it at another Service; a client pod
//! can add a stream to any Service (`select[data-action="add-stream"]`).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use svcplay_core::world::MAX_CLIENT_RATE;

use crate::components::text_box::TextBox;
use crate::model::{ClientTarget, ClientView, Entry};
use crate::state::{EditAction, Field};

/// Props of [`ClientCard`].
#[derive(Properties, PartialEq)]
pub struct ClientCardProps {
    /// The client.
    pub client: ClientView,
    /// Every Service on the map, by the page's names (the streams' choices).
    #[prop_or_default]
    pub services: Rc<Vec<String>>,
    /// Rate edits.
    pub on_edit: Callback<EditAction>,
}

/// The value of the select an event came from.
fn picked(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
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
                { for c.targets.iter().map(|t| target(&c.name, t, &props.services, &props.on_edit)) }
            </ul>
            if c.inside { { add_stream(c, &props.services, &props.on_edit) } }
        </div>
    }
}

/// A select of the Services the client does not send to yet; picking one adds a stream.
fn add_stream(c: &ClientView, services: &[String], on_edit: &Callback<EditAction>) -> Html {
    let free: Vec<&String> = services
        .iter()
        .filter(|s| !c.targets.iter().any(|t| &t.service == *s))
        .collect();
    if free.is_empty() {
        return html! {};
    }
    let client = c.name.clone();
    let onchange =
        on_edit.reform(move |e: Event| EditAction::AddStream(client.clone(), picked(&e)));
    html! {
        <label class="add-stream">
            <select data-action="add-stream" aria-label={format!("add a stream from {} to a Service", c.name)} {onchange}>
                <option value="" selected=true disabled=true>{ "＋ send to…" }</option>
                { for free.iter().map(|s| html! { <option value={(*s).clone()}>{ format!("svc/{s}") }</option> }) }
            </select>
            if let Some(err) = &c.add_error {
                <span class="field-error" role="alert" data-error="add-stream">{ err }</span>
            }
        </label>
    }
}

/// One stream: the Service (a select: pick another to retarget it), then its rate box
/// between `−` and `+`.
fn target(
    client: &str,
    t: &ClientTarget,
    services: &[String],
    on_edit: &Callback<EditAction>,
) -> Html {
    let set = |to: i64| {
        let (client, service) = (client.to_owned(), t.service.clone());
        on_edit.reform(move |_: MouseEvent| EditAction::Rate(client.clone(), service.clone(), to))
    };
    let rate = i64::from(t.rate_per_sec);
    let svc = &t.service;
    // How the requests get in (`data-route`), as the core routes them; a blocked stream
    // says why, in the core's words.
    let (mark, via) = match &t.entry {
        Entry::ClusterIp => ("→ ", None),
        Entry::NodePort(port) => ("→ ", Some(format!("via any node's IP, port {port}"))),
        Entry::LoadBalancer(addr) => ("→ ", Some(format!("via the load balancer {addr}"))),
        Entry::Unreachable(why) => ("⊘ ", Some((*why).to_owned())),
    };
    html! {
        <li class={classes!(t.colour.class(), (!t.entry.reaches()).then_some("blocked"))}
            data-target={svc.clone()} data-rate={t.rate_per_sec.to_string()} data-route={t.entry.hook()}>
            <span class="client-target"><span class="route-mark" aria-hidden="true">{ mark }</span>{ format!("svc/{svc}") }</span>
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
            if let Some(via) = via { <span class="client-entry">{ via }</span> }
            <select class="retarget" data-action="retarget" aria-label={format!("point the stream of {client} to {svc} at another Service")}
                onchange={{
                    let (client, from) = (client.to_owned(), svc.clone());
                    on_edit.reform(move |e: Event| EditAction::Retarget(client.clone(), from.clone(), picked(&e)))
                }}>
                { for services.iter().chain((!services.contains(svc)).then_some(svc)).map(|s| html! {
                    <option value={s.clone()} selected={s == svc}>{ format!("↪ svc/{s}") }</option>
                }) }
            </select>
        </li>
    }
}
