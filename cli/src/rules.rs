//! `svcplay rules`: what kube-proxy would program on each node, from the world's
//! Services and EndpointSlices.
//!
//! Integration point (TODO(merge)): the world does not own a `proxy::Dataplane` yet, so
//! this module feeds one from the world's read accessors, as kube-proxy's informers
//! would. When the World syncs its own data plane, read that one instead.

use std::net::IpAddr;

use svcplay_core::World;
use svcplay_core::apiserver::cluster_ip::{Cidr, DEFAULT_SERVICE_CIDR};
use svcplay_core::proxy::{
    Dataplane, Endpoint, NodeInfo, ProxyConfig, ProxyMode, ServicePortInfo, rules_iptables,
    rules_nft,
};

/// The pod network the world's nodes carve their /24s from.
const CLUSTER_CIDR: &str = "10.244.0.0/16";

/// A data plane synced from the world.
pub fn dataplane(world: &World, mode: ProxyMode) -> Dataplane {
    let config = ProxyConfig {
        mode,
        cluster_cidr: Cidr::parse(CLUSTER_CIDR).ok(),
        service_cidr: Cidr::parse(DEFAULT_SERVICE_CIDR).ok(),
    };
    let nodes = world
        .nodes()
        .values()
        .filter_map(|n| {
            Some(NodeInfo {
                name: n.metadata.name.clone(),
                ip: n.status.node_ip.parse().ok()?,
                zone: n.zone().map(str::to_owned),
            })
        })
        .collect();
    let mut ports = Vec::new();
    for svc in world.services().values() {
        for info in ServicePortInfo::from_service(svc) {
            let eps = endpoints(world, &svc.metadata.name, &info);
            ports.push((info, eps));
        }
    }
    let mut dp = Dataplane::new(config);
    dp.sync(nodes, ports);
    dp
}

fn endpoints(world: &World, service: &str, info: &ServicePortInfo) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for slice in world.endpoint_slices_for(service) {
        let port = slice.ports.iter().find(|p| {
            p.name == info.name.port
                && p.protocol
                    .as_str()
                    .eq_ignore_ascii_case(info.protocol.lower())
        });
        let Some(port) = port.and_then(|p| u16::try_from(p.port).ok()) else {
            continue;
        };
        for e in &slice.endpoints {
            let Some(ip) = e.addresses.first().and_then(|a| a.parse::<IpAddr>().ok()) else {
                continue;
            };
            out.push(Endpoint {
                ip,
                port,
                node: e.node_name.clone().unwrap_or_default(),
                zone: e.zone.clone(),
                ready: e.conditions.ready,
                serving: e.conditions.serving,
                terminating: e.conditions.terminating,
                zone_hints: Vec::new(),
            });
        }
    }
    out
}

/// The rules of every node (or the one asked for), `(node, text)`.
pub fn render(
    world: &World,
    mode: &str,
    node: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let proxy_mode = if mode == "nftables" {
        ProxyMode::Nftables
    } else {
        ProxyMode::Iptables
    };
    let dp = dataplane(world, proxy_mode);
    let names: Vec<String> = match node {
        Some(n) => vec![n.to_owned()],
        None => dp.nodes().map(|n| n.name.clone()).collect(),
    };
    names
        .into_iter()
        .map(|n| {
            let text = match proxy_mode {
                ProxyMode::Nftables => rules_nft::render(&dp, &n),
                _ => rules_iptables::render(&dp, &n),
            };
            text.map(|t| (n.clone(), t))
                .ok_or_else(|| format!("nodes {n:?} not found"))
        })
        .collect()
}
