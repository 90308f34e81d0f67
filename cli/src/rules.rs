//! `svcplay rules`: what kube-proxy would program on each node, read from the world's own
//! kube-proxy data plane (kept in sync with its Services and EndpointSlices).

use svcplay_core::World;
use svcplay_core::proxy::ProxyMode;
use svcplay_core::world::{Command, RulesFormat};

/// The rules of every node (or the one asked for), `(node, text)`, in `mode`'s form
/// (`iptables` or `nftables`).
pub fn render(
    world: &World,
    mode: &str,
    node: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let (proxy_mode, format) = if mode == "nftables" {
        (ProxyMode::Nftables, RulesFormat::Nftables)
    } else {
        (ProxyMode::Iptables, RulesFormat::Iptables)
    };
    let mut world = world.clone();
    if world.config().proxy_mode != proxy_mode {
        // Switching the proxy mode cannot be refused.
        let _ = world.apply(Command::SetProxyMode { mode: proxy_mode });
    }
    let names: Vec<String> = match node {
        Some(n) => vec![n.to_owned()],
        None => world.nodes().keys().cloned().collect(),
    };
    names
        .into_iter()
        .map(|n| {
            world
                .rules(&n, format)
                .map(|t| (n.clone(), t))
                .map_err(|_| format!("nodes {n:?} not found"))
        })
        .collect()
}
