//! A traffic source: a client pod inside the cluster (its load generators, one stream
//! each), or a user on the internet. A stream shows its tool and target, and edits the
//! generator's own flags: the rate (`-qps`, hey's `-q`, a loop's `sleep`) in a box with
//! `−`/`+`, `-c` connections, keep-alive and protocol, and (for a generator in a pod)
//! the Service it sends to, in a box offering every Service in the world (the map's
//! `<datalist id="service-names">`): Enter points the stream there, the core writing
//! the Service's URL into the generator's command line. Below, its connections as the
//! tool counts them.

use yew::prelude::*;

use svcplay_core::world::MAX_CLIENT_RATE;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;

use crate::components::text_box::TextBox;
use crate::model::{ClientTarget, ClientView, Entry};
use crate::state::{EditAction, Field};

/// The id of the map's `<datalist>` of every Service, which the target boxes offer.
pub const SERVICE_LIST: &str = "service-names";

/// Props of [`ClientCard`].
#[derive(Properties, PartialEq)]
pub struct ClientCardProps {
    /// The client.
    pub client: ClientView,
    /// Rate and flag edits.
    pub on_edit: Callback<EditAction>,
}

/// More streams than this and the card folds them: a summary line, and when opened one
/// line per stream (its Service and rate; the other flags show while the stream has the
/// focus), so that a client sending to every imported Service stays one short card.
pub const MANY_STREAMS: usize = 6;

/// A client card; `data-client` is its hook, and each stream's `li[data-target]` holds
/// `input[data-action="rate"]`, `button[data-action="rate-down"|"rate-up"]` and, for
/// fortio and hey, `input[data-action="connections"]` and
/// `select[data-action="keepalive"|"protocol"]`; in a pod, `input[data-action="target"]`.
#[component]
pub fn ClientCard(props: &ClientCardProps) -> Html {
    let c = &props.client;
    let (kind, icon) = if c.inside {
        ("client pod", "▣")
    } else {
        ("user on the internet", "☺")
    };
    let many = c.targets.len() > MANY_STREAMS;
    let streams = html! {
        <ul class="client-targets">
            { for c.targets.iter().map(|t| target(&c.name, t, &props.on_edit)) }
        </ul>
    };
    let services: std::collections::BTreeSet<&str> =
        c.targets.iter().map(|t| t.service.as_str()).collect();
    html! {
        <div class={classes!("client", if c.inside { "inside" } else { "outside" }, many.then_some("many"))}
            data-client={c.name.clone()} tabindex="0" role="group"
            aria-label={format!("{kind} {}", c.name)}>
            <span class="client-icon" aria-hidden="true">{ icon }</span>
            <span class="client-kind">{ kind }</span>
            <span class="client-name">{ &c.name }</span>
            if c.targets.is_empty() {
                <span class="client-idle">{ "idle: no Service reachable from outside" }</span>
            }
            if many {
                <details class="client-streams">
                    <summary>{ format!("{} streams to {} Services", c.targets.len(), services.len()) }</summary>
                    { streams }
                </details>
            } else {
                { streams }
            }
        </div>
    }
}

fn select_value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
}

/// One stream: the Service, the tool's rate box between `−` and `+`, its other flags
/// and its connections.
fn target(client: &str, t: &ClientTarget, on_edit: &Callback<EditAction>) -> Html {
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
    let label = if svc.is_empty() {
        t.url.clone()
    } else {
        format!("svc/{svc}")
    };
    let keepalive = {
        let (client, service) = (client.to_owned(), svc.clone());
        on_edit.reform(move |e: Event| {
            EditAction::KeepAlive(
                client.clone(),
                service.clone(),
                select_value(&e).as_deref() == Some("on"),
            )
        })
    };
    let protocol = {
        let (client, service) = (client.to_owned(), svc.clone());
        on_edit.reform(move |e: Event| {
            EditAction::Protocol(
                client.clone(),
                service.clone(),
                select_value(&e).unwrap_or_default(),
            )
        })
    };
    let flag = if t.rate_flag.is_empty() || t.tool == "user" {
        String::new()
    } else {
        format!(" ({} {})", t.tool, t.rate_flag)
    };
    let unit = if t.tool == "hey" {
        "/s per worker"
    } else {
        "/s"
    };
    html! {
        <li class={classes!(t.colour.class(), (!t.entry.reaches()).then_some("blocked"))}
            data-target={svc.clone()} data-rate={t.rate_per_sec.to_string()} data-route={t.entry.hook()}
            data-tool={t.tool} data-connections={t.connections.to_string()} data-open={t.open.to_string()}
            data-keepalive={t.keepalive.to_string()} data-protocol={t.protocol}>
            <span class="client-target"><span class="route-mark" aria-hidden="true">{ mark }</span>
                if t.retargetable {
                    <span class="flag" aria-hidden="true">{ "svc/" }</span>
                    <TextBox field={Field::Target(client.to_owned(), svc.clone())} action="target" list={SERVICE_LIST}
                        value={t.target_draft.clone().unwrap_or_else(|| svc.clone())}
                        error={t.target_error.clone()} id={format!("target-{client}-{svc}")}
                        label={format!("the Service {client} sends this stream to (namespace/name, or a name in default); Enter applies")}
                        on_edit={on_edit.clone()} />
                } else {
                    { label }
                }
            </span>
            if !t.url.is_empty() {
                <code class="client-cmd" title={t.url.clone()}>{ format!("{} {}", t.tool, t.url) }</code>
            }
            <span class="rate" role="group" aria-label={format!("request rate of {client} to Service {svc}")}>
                if t.tool != "user" { <span class="flag" aria-hidden="true">{ t.rate_flag }</span> }
                <button data-action="rate-down" onclick={set(rate - 1)} disabled={rate <= 0}
                    aria-label={format!("{client}: {} requests per second to {svc}", rate - 1)}>{ "−" }</button>
                <TextBox field={Field::Rate(client.to_owned(), svc.clone())} action="rate" inputmode="numeric"
                    apply_on_blur=true value={t.rate_draft.clone().unwrap_or_else(|| t.rate_per_sec.to_string())}
                    error={t.rate_error.clone()} id={format!("rate-{client}-{svc}")}
                    label={format!("rate{flag}: requests per second from {client} to Service {svc} (0 to {MAX_CLIENT_RATE}); Enter applies")}
                    on_edit={on_edit.clone()} />
                <button data-action="rate-up" onclick={set(rate + 1)}
                    aria-label={format!("{client}: {} requests per second to {svc}", rate + 1)}>{ "+" }</button>
                <span class="rate-unit" aria-hidden="true">{ unit }</span>
            </span>
            if t.editable {
                <span class="flags" role="group" aria-label={format!("connections of {client} to Service {svc}")}>
                    <span class="flag" aria-hidden="true">{ "-c" }</span>
                    <TextBox field={Field::Connections(client.to_owned(), svc.clone())} action="connections" inputmode="numeric"
                        apply_on_blur=true value={t.connections_draft.clone().unwrap_or_else(|| t.connections.to_string())}
                        error={t.client_error.clone()} id={format!("conns-{client}-{svc}")}
                        label={format!("-c: connections {client} keeps to Service {svc}; Enter applies")}
                        on_edit={on_edit.clone()} />
                    <select data-action="keepalive" onchange={keepalive} aria-label={format!("keep-alive of {client} to {svc}")}>
                        <option value="on" selected={t.keepalive}>{ "keep-alive" }</option>
                        <option value="off" selected={!t.keepalive}>{ "no keep-alive" }</option>
                    </select>
                    <select data-action="protocol" onchange={protocol} aria-label={format!("protocol of {client} to {svc}")}>
                        { for ["http/1.1", "h2", "grpc"].iter().map(|p| html! {
                            <option value={*p} selected={*p == t.protocol}>{ *p }</option>
                        }) }
                    </select>
                </span>
            }
            if t.entry.reaches() && (t.open > 0 || t.sockets > 0) {
                <span class="client-conns" data-sockets={t.sockets.to_string()} data-reconnects={t.reconnects.to_string()}
                    data-errors={t.errors.to_string()}>
                    { format!("conn: {} open, {} opened, {} reopened · {} errors", t.open, t.sockets, t.reconnects, t.errors) }
                </span>
            }
            if let Some(line) = &t.dns_failure {
                <span class="client-dns" data-unresolved={t.unresolved.to_string()}>
                    <span class="muted">{ "DNS failures (name did not resolve): " }</span><code>{ line.clone() }</code>
                </span>
            }
            if let Some(via) = via { <span class="client-entry">{ via }</span> }
        </li>
    }
}
