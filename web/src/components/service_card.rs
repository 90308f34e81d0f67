//! A Service: the stable thing beside the ephemeral pods. Its layers nest, innermost
//! ClusterIP inside NodePort inside LoadBalancer, each keeping what the inner has.

use yew::prelude::*;

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;

use crate::components::text_box::TextBox;
use crate::model::{Layer, ServiceView};
use crate::state::{EditAction, Field};

/// Props of [`ServiceCard`].
#[derive(Properties, PartialEq)]
pub struct ServiceCardProps {
    /// The Service.
    pub service: ServiceView,
    /// Many Services on the map: the selector box and spec controls fold away behind
    /// a toggle.
    #[prop_or_default]
    pub compact: bool,
    /// Selector edits.
    pub on_edit: Callback<EditAction>,
}

/// A Service card; `data-service`, `data-type`, `data-cluster-ip`, `data-node-port`
/// are stable test hooks.
#[component]
pub fn ServiceCard(props: &ServiceCardProps) -> Html {
    let s = &props.service;
    let cluster_ip = s.layers.iter().find_map(|l| match l {
        Layer::ClusterIp(ip) => Some(ip.clone().unwrap_or_default()),
        _ => None,
    });
    let node_port = s.layers.iter().find_map(|l| match l {
        Layer::NodePort(p) => Some(p.to_string()),
        _ => None,
    });
    let endpoints = match s.endpoints.len() {
        0 => "no ready endpoints".to_owned(),
        1 => "1 ready endpoint".to_owned(),
        n => format!("{n} ready endpoints"),
    };
    let selector_box = html! {
            <label class="svc-selector">
                <span class="muted">{ "selector" }</span>
                <TextBox field={Field::Selector(s.name.clone())} action="selector"
                    value={s.selector_draft.clone().unwrap_or_else(|| s.selector.clone())}
                    error={s.selector_error.clone()} id={format!("selector-{}", s.name)}
                    label={format!("selector of Service {}: key=value pairs, comma-separated; Enter applies, Escape cancels", s.name)}
                    placeholder={Some("no selector".to_owned())} on_edit={props.on_edit.clone()} />
            </label>
    };
    let spec = spec_controls(s, &props.on_edit);
    let core = html! {
        <div class="svc-core">
            <span class="svc-name">{ format!("svc/{}", s.name) }</span>
            if !props.compact { { selector_box.clone() } }
            <span class="svc-endpoints">{ endpoints.clone() }</span>
            if s.refused > 0 {
                <span class={classes!("svc-refused", s.refusing.then_some("refusing"))}>
                    <span aria-hidden="true">{ "✕ " }</span>{ format!("{} refused", s.refused) }
                </span>
            }
            if s.dropped > 0 {
                <span class="svc-dropped" data-dropped={s.dropped.to_string()}>
                    <span aria-hidden="true">{ "◯ " }</span>{ format!("{} dropped (timed out)", s.dropped) }
                </span>
            }
            if s.unreachable > 0 {
                <span class="svc-dropped" data-unreachable={s.unreachable.to_string()}>
                    <span aria-hidden="true">{ "⊘ " }</span>{ format!("{} unreachable from outside", s.unreachable) }
                </span>
            }
            if props.compact {
                <details class="svc-edit" open={s.selector_draft.is_some() || s.selector_error.is_some() || s.spec_error.is_some()}>
                    <summary>{ "selector, type, traffic" }</summary>
                    { selector_box }{ spec }
                </details>
            } else {
                { spec }
            }
        </div>
    };
    let nested = s.layers.iter().fold(core, |inner, layer| {
        html! {
            <div class="layer" data-layer={layer.type_name()}>
                <span class="layer-tag">
                    <span class="layer-type">{ layer.type_name() }</span>
                    <span class="layer-addr">{ layer.address() }</span>
                </span>
                { inner }
            </div>
        }
    });
    html! {
        <div class={classes!("service", s.colour.class(), s.refusing.then_some("refusing"))}
            data-service={s.name.clone()} data-type={s.type_name.clone()}
            data-cluster-ip={cluster_ip} data-node-port={node_port}
            tabindex="0" role="group"
            aria-label={format!("Service {}, type {}, selector {}, {}", s.name, s.type_name,
                if s.selector.is_empty() { "none" } else { &s.selector }, endpoints)}>
            { nested }
        </div>
    }
}

type Options = &'static [(&'static str, &'static str)];
const TYPES: Options = &[
    ("ClusterIP", "ClusterIP"),
    ("NodePort", "NodePort"),
    ("LoadBalancer", "LoadBalancer"),
];
const POLICIES: Options = &[("Cluster", "Cluster"), ("Local", "Local")];
const AFFINITIES: Options = &[("None", "None"), ("ClientIP", "ClientIP (3 h)")];

/// Props of [`SpecSelect`].
#[derive(Properties, PartialEq)]
struct SpecSelectProps {
    action: &'static str,
    label: String,
    current: String,
    options: &'static [(&'static str, &'static str)],
    on: Callback<String>,
}

/// One of the card's menus. A select the user changed keeps showing its pick when the
/// `selected` attributes do not change (a refused choice: the world kept its value), so
/// after every render the select is set to the world's value, as the kube-proxy mode
/// menu is: the menu never names a value the Service does not have.
#[component]
fn SpecSelect(props: &SpecSelectProps) -> Html {
    let node = use_node_ref();
    {
        let (node, current) = (node.clone(), props.current.clone());
        use_effect(move || {
            if let Some(select) = node.cast::<HtmlSelectElement>()
                && select.value() != current
            {
                select.set_value(&current);
            }
        });
    }
    let on = props.on.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(sel) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        {
            on.emit(sel.value());
        }
    });
    html! {
        <select ref={node} data-action={props.action} aria-label={props.label.clone()} {onchange}>
            { for props.options.iter().map(|(value, text)| html! {
                <option value={*value} selected={*value == props.current}>{ *text }</option>
            }) }
        </select>
    }
}

/// One sentence per type, in the words of the explanation the playground grew out of
/// (STORY.md): the layers, innermost first.
pub fn type_help(type_name: &str) -> &'static str {
    match type_name {
        "ClusterIP" => {
            "ClusterIP, the foundation: a virtual IP reachable only from inside the cluster."
        }
        "NodePort" => {
            "NodePort adds a port opened on every node: reachable from outside through any node's IP."
        }
        "LoadBalancer" => {
            "LoadBalancer adds an external load balancer in front of the node ports, with one stable external IP."
        }
        _ => "",
    }
}

/// The Service's type, traffic policies and session affinity, each one core command.
fn spec_controls(s: &ServiceView, on_edit: &Callback<EditAction>) -> Html {
    let name = s.name.clone();
    let ty = {
        let n = name.clone();
        on_edit.reform(move |v| EditAction::ServiceType(n.clone(), v))
    };
    let external = {
        let n = name.clone();
        on_edit.reform(move |v| EditAction::ExternalPolicy(n.clone(), v))
    };
    let internal = {
        let n = name.clone();
        on_edit.reform(move |v| EditAction::InternalPolicy(n.clone(), v))
    };
    let affinity = {
        let n = name.clone();
        on_edit.reform(move |v: String| {
            EditAction::Affinity(n.clone(), (v == "ClientIP").then_some(10_800))
        })
    };
    let exposed = matches!(s.type_name.as_str(), "NodePort" | "LoadBalancer");
    html! {
        <div class="svc-spec">
            <label>{ "type " }
                <SpecSelect action="type" label={format!("type of Service {name}")} current={s.type_name.clone()}
                    options={TYPES} on={ty} />
            </label>
            <p class="type-help muted" data-type-help={s.type_name.clone()}>{ type_help(&s.type_name) }</p>
            <details>
                <summary>{ "traffic" }</summary>
                if exposed {
                    <label>{ "externalTrafficPolicy " }
                        <SpecSelect action="external-traffic-policy" label={format!("externalTrafficPolicy of Service {name}")}
                            current={s.external_policy.clone()} options={POLICIES} on={external} />
                    </label>
                }
                <label>{ "internalTrafficPolicy " }
                    <SpecSelect action="internal-traffic-policy" label={format!("internalTrafficPolicy of Service {name}")}
                        current={s.internal_policy.clone()} options={POLICIES} on={internal} />
                </label>
                <label>{ "sessionAffinity " }
                    <SpecSelect action="session-affinity" label={format!("sessionAffinity of Service {name}")}
                        current={s.affinity.clone()} options={AFFINITIES} on={affinity} />
                </label>
            </details>
            if let Some(err) = &s.spec_error {
                <span class="field-error" role="alert" data-error="type">{ err }</span>
            }
        </div>
    }
}
