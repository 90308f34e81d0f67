//! The endpoints of one service port, read from EndpointSlices as kube-proxy's
//! EndpointSlice cache reads them.
//!
//! For each slice port with the service port's name and protocol (and a port number
//! other than 0), every endpoint with an address of the proxier's family becomes
//! `address:port`; duplicates across slices are merged (the first kept); the list is
//! sorted by its `ip:port` text, the order kube-proxy writes the endpoint rules in.
//!
//! Upstream: kubernetes/kubernetes@c2c7d507 `pkg/proxy/endpointslicecache.go`
//! (`newEndpointSliceInfo`, `endpointInfoByServicePort`, `addEndpoints`,
//! `endpointsMapFromEndpointInfo`, `byEndpoint`).
//! Simplification: when the same `ip:port` is in two slices, upstream prefers the copy
//! whose node is this node; the simulated slices never repeat an address, so the
//! first is kept.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::sloppy::parse_ip_sloppy;
use super::types::{Endpoint, Protocol};
use crate::objects::{EndpointSlice, NamespacedName};

/// The endpoints of the service port `port_name`/`protocol` in `slices` (the slices of
/// one Service), for a proxier of the IPv6 family when `ipv6`.
pub fn endpoints_for_port(
    slices: &[&EndpointSlice],
    port_name: &str,
    protocol: &Protocol,
    ipv6: bool,
) -> Vec<Endpoint> {
    let mut by_addr: BTreeMap<String, Endpoint> = BTreeMap::new();
    for slice in slices {
        for p in &slice.ports {
            if p.name != port_name || p.protocol.effective().as_ref() != Some(protocol) {
                continue;
            }
            let Some(port) = u16::try_from(p.port).ok().filter(|p| *p != 0) else {
                continue;
            };
            for e in &slice.endpoints {
                let Some(ip) = e.addresses.first().and_then(|a| parse_ip_sloppy(a)) else {
                    continue;
                };
                if ip.is_ipv6() != ipv6 {
                    continue;
                }
                let pod = e
                    .target_ref
                    .as_ref()
                    .filter(|r| r.kind == "Pod")
                    .map(|r| Arc::new(NamespacedName::new(&r.namespace, &r.name)));
                let ep = Endpoint {
                    pod,
                    ip,
                    port,
                    node: e.node_name.clone().unwrap_or_default(),
                    zone: e.zone.clone(),
                    ready: e.conditions.ready,
                    serving: e.conditions.serving,
                    terminating: e.conditions.terminating,
                    zone_hints: Vec::new(),
                };
                by_addr.entry(ep.addr()).or_insert(ep);
            }
        }
    }
    by_addr.into_values().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::objects::endpoint_slice::{EndpointConditions, EndpointPort};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn slice(addrs: &[&str], port: i32) -> EndpointSlice {
        let ready = EndpointConditions {
            ready: true,
            serving: true,
            terminating: false,
        };
        EndpointSlice {
            endpoints: addrs
                .iter()
                .map(|a| crate::objects::endpoint_slice::Endpoint {
                    addresses: vec![(*a).to_owned()],
                    conditions: ready,
                    ..Default::default()
                })
                .collect(),
            ports: vec![EndpointPort {
                name: "p80".into(),
                port,
                protocol: Protocol::Tcp,
                app_protocol: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn sorted_by_text_deduplicated_and_filtered() {
        let a = slice(&["10.0.1.9", "10.0.1.10", "fd00::1", "10.180.00.001"], 80);
        let b = slice(&["10.0.1.9"], 80);
        let zero = slice(&["10.0.9.9"], 0);
        let eps = endpoints_for_port(&[&a, &b, &zero], "p80", &Protocol::Tcp, false);
        let addrs: Vec<String> = eps.iter().map(Endpoint::addr).collect();
        // Text order, as kube-proxy's byEndpoint: "10.0.1.10:80" < "10.0.1.9:80".
        assert_eq!(addrs, ["10.0.1.10:80", "10.0.1.9:80", "10.180.0.1:80"]);
        assert!(endpoints_for_port(&[&a], "p80", &Protocol::Udp, false).is_empty());
        assert!(endpoints_for_port(&[&a], "other", &Protocol::Tcp, false).is_empty());
        let v6 = endpoints_for_port(&[&a], "p80", &Protocol::Tcp, true);
        assert_eq!(v6.first().map(Endpoint::addr).unwrap(), "[fd00::1]:80");
    }
}
