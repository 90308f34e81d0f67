//! A Service: the stable thing beside the ephemeral pods. Its layers nest, innermost
//! ClusterIP inside NodePort inside LoadBalancer, each keeping what the inner has.

use yew::prelude::*;

use crate::model::{ServiceLayer, ServiceView};

/// Props of [`ServiceCard`].
#[derive(Properties, PartialEq)]
pub struct ServiceCardProps {
    /// The Service.
    pub service: ServiceView,
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
            <span class="svc-selector" title="selector">
                <span class="visually-hidden">{ "selector " }</span>
                if s.selector.is_empty() { { "no selector" } } else { <code>{ &s.selector }</code> }
            </span>
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
