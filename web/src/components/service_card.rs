//! A Service: the stable thing beside the ephemeral pods. Its layers nest, innermost
//! ClusterIP inside NodePort inside LoadBalancer, each keeping what the inner has.

use yew::prelude::*;

use crate::components::text_box::TextBox;
use crate::model::{ServiceLayer, ServiceView};
use crate::state::{EditAction, Field};

/// Props of [`ServiceCard`].
#[derive(Properties, PartialEq)]
pub struct ServiceCardProps {
    /// The Service.
    pub service: ServiceView,
    /// Selector edits.
    pub on_edit: Callback<EditAction>,
}

/// A Service card; `data-service`, `data-type`, `data-cluster-ip`, `data-node-port`
/// are stable test hooks.
#[component]
pub fn ServiceCard(props: &ServiceCardProps) -> Html {
    let s = &props.service;
    let cluster_ip = s.layers.iter().find_map(|l| match l {
        ServiceLayer::ClusterIp(ip) => Some(ip.clone().unwrap_or_default()),
        _ => None,
    });
    let node_port = s.layers.iter().find_map(|l| match l {
        ServiceLayer::NodePort(p) => Some(p.to_string()),
        _ => None,
    });
    let endpoints = match s.endpoints.len() {
        0 => "no ready endpoints".to_owned(),
        1 => "1 ready endpoint".to_owned(),
        n => format!("{n} ready endpoints"),
    };
    let core = html! {
        <div class="svc-core">
            <span class="svc-name">{ format!("svc/{}", s.name) }</span>
            <label class="svc-selector">
                <span class="muted">{ "selector" }</span>
                <TextBox field={Field::Selector(s.name.clone())} action="selector"
                    value={s.selector_draft.clone().unwrap_or_else(|| s.selector.clone())}
                    error={s.selector_error.clone()} id={format!("selector-{}", s.name)}
                    label={format!("selector of Service {}: key=value pairs, comma-separated; Enter applies, Escape cancels", s.name)}
                    placeholder={Some("no selector".to_owned())} on_edit={props.on_edit.clone()} />
            </label>
            <span class="svc-endpoints">{ endpoints.clone() }</span>
            if s.refused > 0 {
                <span class={classes!("svc-refused", s.refusing.then_some("refusing"))}>
                    <span aria-hidden="true">{ "✕ " }</span>{ format!("{} refused", s.refused) }
                </span>
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
