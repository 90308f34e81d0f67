//! Checkers for kube-proxy's own expectations: chain names, and the whole rule sets of
//! `pkg/proxy/iptables/proxier_test.go` and `pkg/proxy/nftables/proxier_test.go`.
//!
//! A rules case gives the fixture node (`node`), the Services and EndpointSlices as the
//! test builds them, and the expected text. The objects are read as kube-proxy reads
//! them (no API defaults; an endpoint's absent conditions are ready and serving, per
//! `newEndpointSliceInfo`), programmed into a one-node [`Dataplane`], rendered with
//! the node's [`RulesConfig`], normalised exactly as the upstream test does and
//! compared byte for byte.

#![allow(dead_code)]

use std::collections::BTreeMap;

use serde_json::Value;
use svcplay_core::objects::endpoint_slice::{
    Endpoint as SliceEndpoint, EndpointConditions, EndpointPort,
};
use svcplay_core::objects::{EndpointSlice, ObjectMeta, Protocol as ApiProtocol, Service};
use svcplay_core::proxy::chain_names::{
    hash_and_truncate, nft_endpoint_base_str, nft_service_base_str, port_proto_hash_str,
    sep_chain_str,
};
use svcplay_core::proxy::rules_plan::masquerade_mark;
use svcplay_core::proxy::slices::endpoints_for_port;
use svcplay_core::proxy::sloppy::{parse_cidr_sloppy, parse_ip_sloppy};
use svcplay_core::proxy::{
    Dataplane, NodeInfo, ProxyConfig, ProxyMode, RulesConfig, ServicePortInfo, rules_iptables,
    rules_nft,
};

use super::kube_proxy_sort::{check_iptables_rule_jumps, iptables_sides, sort_nft_transaction};
use super::support::{Checker, str_field};

pub const CATEGORIES: &[(&str, Checker)] = &[
    ("kube_proxy_chain_names", check_chain_name),
    ("kube_proxy_iptables_rules", check_iptables_rules),
    ("kube_proxy_nftables_rules", check_nftables_rules),
];

fn check_chain_name(case: &Value, _: &Value) -> Result<(), String> {
    let mode = str_field(case, "mode")?;
    let function = str_field(case, "function")?;
    let protocol = str_field(case, "protocol")?;
    let want = str_field(case, "expected")?;
    let got = match mode {
        "iptables" => {
            let spn = str_field(case, "servicePortName")?;
            if function.starts_with("portProtoHash") {
                port_proto_hash_str(spn, protocol)
            } else if function.starts_with("servicePortEndpointChainName") {
                sep_chain_str(spn, protocol, str_field(case, "endpoint")?)
            } else {
                let prefix = [
                    ("servicePortPolicyClusterChain", "KUBE-SVC-"),
                    ("servicePortPolicyLocalChainName", "KUBE-SVL-"),
                    ("serviceExternalChainName", "KUBE-EXT-"),
                    ("serviceFirewallChainName", "KUBE-FW-"),
                ]
                .iter()
                .find(|(f, _)| function.starts_with(f))
                .map(|(_, p)| *p)
                .ok_or_else(|| format!("unknown iptables function {function:?}"))?;
                format!("{prefix}{}", port_proto_hash_str(spn, protocol))
            }
        }
        "nftables" if function.starts_with("hashAndTruncate") => {
            hash_and_truncate(str_field(case, "hash_input")?)
        }
        "nftables" => {
            let (ns, svc, port) = (
                str_field(case, "namespace")?,
                str_field(case, "service")?,
                str_field(case, "port_name")?,
            );
            if function.starts_with("servicePortEndpointChainNameBase") {
                let prefix = if function.contains("affinity") {
                    "affinity-"
                } else {
                    "endpoint-"
                };
                let base =
                    nft_endpoint_base_str(ns, svc, protocol, port, str_field(case, "endpoint")?)
                        .ok_or("endpoint is not ip:port")?;
                format!("{prefix}{base}")
            } else {
                let prefix = [
                    ("PolicyCluster", "service-"),
                    ("PolicyLocal", "local-"),
                    ("External", "external-"),
                    ("Firewall", "firewall-"),
                ]
                .iter()
                .find(|(f, _)| function.contains(f))
                .map(|(_, p)| *p)
                .ok_or_else(|| format!("unknown nftables function {function:?}"))?;
                format!("{prefix}{}", nft_service_base_str(ns, svc, protocol, port))
            }
        }
        other => return Err(format!("unknown mode {other:?}")),
    };
    if got == want {
        Ok(())
    } else {
        Err(format!("{function}: got {got}, want {want}"))
    }
}

/// A list of strings, or a comma-separated string.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The pod CIDR of `NewDetectLocalByCIDR("…")`; `None` for the no-op detector.
fn local_detector(
    node: &Value,
) -> Result<Option<svcplay_core::apiserver::cluster_ip::Cidr>, String> {
    let Some(text) = node.get("localDetector").and_then(Value::as_str) else {
        return Ok(None);
    };
    if text.contains("NoOp") {
        return Ok(None);
    }
    let cidr = text
        .split('"')
        .find_map(parse_cidr_sloppy)
        .or_else(|| text.split_whitespace().find_map(parse_cidr_sloppy))
        .ok_or_else(|| format!("localDetector {text:?} names no CIDR"))?;
    Ok(Some(cidr))
}

/// The fixture node: its name and IP, and the [`RulesConfig`] of `NewFakeProxier`.
pub fn node_fixture(node: &Value) -> Result<(NodeInfo, RulesConfig), String> {
    let name = node
        .get("nodeName")
        .and_then(Value::as_str)
        .unwrap_or("test-node")
        .to_owned();
    let ip = node
        .get("nodeIP")
        .and_then(Value::as_str)
        .and_then(parse_ip_sloppy)
        .ok_or("node has no nodeIP")?;
    let mut interface_addresses = Vec::new();
    if let Some(Value::Object(ifaces)) = node.get("node_interface_addresses") {
        for addrs in ifaces.values() {
            for a in strings(Some(addrs)) {
                let ip = a.split('/').next().and_then(parse_ip_sloppy);
                interface_addresses.extend(ip);
            }
        }
    }
    let flag = |k: &str, default: bool| node.get(k).and_then(Value::as_bool).unwrap_or(default);
    let mut service_cidrs: Vec<_> = node
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.to_ascii_lowercase().contains("servicecidr"))
        .flat_map(|(_, v)| strings(Some(v)))
        .filter_map(|s| parse_cidr_sloppy(&s))
        .collect();
    if service_cidrs.is_empty() {
        // The fixture's conventions name its Service ClusterIP range
        // ("Service ClusterIPs: 172.30.0.0/16"), which is what NewFakeProxier passes
        // as serviceCIDRs.
        let conventions = node
            .get("conventions_comment")
            .and_then(|c| c.get("service_cluster_ips"));
        service_cidrs.extend(
            strings(conventions)
                .iter()
                .filter_map(|s| parse_cidr_sloppy(s)),
        );
    }
    let cfg = RulesConfig {
        local_detector: local_detector(node)?,
        masquerade_mark: node
            .get("masqueradeMark")
            .and_then(Value::as_str)
            .map_or_else(|| masquerade_mark(14), str::to_owned),
        masquerade_all: flag("masqueradeAll", false),
        localhost_node_ports: flag("localhostNodePorts", false),
        node_port_addresses: strings(node.get("nodePortAddresses")),
        interface_addresses,
        nfacct_counters: strings(node.get("nfAcctCounters")),
        random_fully: flag("iptables_hasRandomFully", false),
        conntrack_tcp_liberal: flag("conntrackTCPLiberal", false),
        service_cidrs,
    };
    Ok((
        NodeInfo {
            name,
            ip,
            zone: None,
        },
        cfg,
    ))
}

fn api_protocol(v: Option<&Value>) -> ApiProtocol {
    match v.and_then(Value::as_str) {
        Some("UDP") => ApiProtocol::Udp,
        Some("SCTP") => ApiProtocol::Sctp,
        _ => ApiProtocol::Tcp,
    }
}

/// An EndpointSlice as the test builds it: absent conditions read as kube-proxy's
/// `newEndpointSliceInfo` reads nil (ready and serving true, terminating false); ports
/// without a name are ignored, as `endpointInfoByServicePort` ignores them.
pub fn slice_from_json(v: &Value) -> Result<EndpointSlice, String> {
    let metadata: ObjectMeta =
        serde_json::from_value(v.get("metadata").cloned().unwrap_or_default())
            .map_err(|e| format!("slice metadata: {e}"))?;
    let cond = |e: &Value, k: &str| {
        e.get("conditions")
            .and_then(|c| c.get(k))
            .and_then(Value::as_bool)
    };
    let endpoints = v
        .get("endpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| SliceEndpoint {
            addresses: strings(e.get("addresses")),
            conditions: EndpointConditions {
                ready: cond(e, "ready").unwrap_or(true),
                serving: cond(e, "serving").unwrap_or(true),
                terminating: cond(e, "terminating").unwrap_or(false),
            },
            node_name: e.get("nodeName").and_then(Value::as_str).map(str::to_owned),
            zone: e.get("zone").and_then(Value::as_str).map(str::to_owned),
            ..SliceEndpoint::default()
        })
        .collect();
    let ports = v
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(EndpointPort {
                name: p.get("name")?.as_str()?.to_owned(),
                port: p
                    .get("port")
                    .and_then(Value::as_i64)
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or(0),
                protocol: api_protocol(p.get("protocol")),
                app_protocol: None,
            })
        })
        .collect();
    Ok(EndpointSlice {
        metadata,
        address_type: v
            .get("addressType")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        endpoints,
        ports,
    })
}

/// The one-node data plane programmed from a case's Services and EndpointSlices.
pub fn program(case: &Value) -> Result<(Dataplane, NodeInfo, RulesConfig), String> {
    let (node, cfg) = node_fixture(case.get("node").ok_or("case has no node")?)?;
    let services: Vec<Service> = case
        .get("services")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| serde_json::from_value(s.clone()).map_err(|e| format!("service: {e}")))
        .collect::<Result<_, _>>()?;
    let slices: Vec<EndpointSlice> = case
        .get("endpoint_slices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(slice_from_json)
        .collect::<Result<_, _>>()?;
    let mut by_service: BTreeMap<(String, String), Vec<&EndpointSlice>> = BTreeMap::new();
    for s in &slices {
        if let Some(svc) = s.service_name() {
            by_service
                .entry((s.metadata.namespace.clone(), svc.to_owned()))
                .or_default()
                .push(s);
        }
    }
    let ipv6 = node.ip.is_ipv6();
    let mut ports = Vec::new();
    for svc in &services {
        let key = (svc.metadata.namespace.clone(), svc.metadata.name.clone());
        let mine = by_service.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        for info in ServicePortInfo::from_service(svc) {
            let eps = endpoints_for_port(mine, &info.name.port, &info.protocol, ipv6);
            ports.push((info, eps));
        }
    }
    let mut dp = Dataplane::new(ProxyConfig {
        mode: ProxyMode::Iptables,
        cluster_cidr: cfg.local_detector,
        service_cidr: None,
    });
    dp.sync(vec![node.clone()], ports);
    Ok((dp, node, cfg))
}

/// Renders a `kube_proxy_iptables_rules` case; `(expected, got)` after
/// `assertIPTablesRulesEqual`'s normalisation.
pub fn iptables_case(case: &Value) -> Result<(String, String), String> {
    let (dp, node, cfg) = program(case)?;
    let text = rules_iptables::render_with(&dp, &node.name, &cfg).ok_or("node not programmed")?;
    let expected = str_field(case, "expected_iptables_restore")?;
    if case.get("check_consistency").and_then(Value::as_bool) == Some(true) {
        check_iptables_rule_jumps(expected).map_err(|e| format!("expected text: {e}"))?;
    }
    iptables_sides(expected, &text)
}

/// Renders a `kube_proxy_nftables_rules` case; `(expected, got)` after
/// `sortNFTablesTransaction` (the case's `expected_normalized` when it has one).
pub fn nftables_case(case: &Value) -> Result<(String, String), String> {
    let (dp, node, cfg) = program(case)?;
    let text = rules_nft::render_with(&dp, &node.name, &cfg).ok_or("node not programmed")?;
    let expected = match case.get("expected_normalized").and_then(Value::as_str) {
        Some(n) => n.to_owned(),
        None => sort_nft_transaction(str_field(case, "expected_nft_transaction")?),
    };
    Ok((expected, sort_nft_transaction(&text)))
}

/// The first differing line of two texts, for a readable failure.
pub fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        if w.get(i) != g.get(i) {
            return format!(
                "line {}: want {:?}, got {:?}",
                i + 1,
                w.get(i).copied().unwrap_or("<end>"),
                g.get(i).copied().unwrap_or("<end>")
            );
        }
    }
    "texts differ only in line endings".to_owned()
}

fn compare((want, got): (String, String)) -> Result<(), String> {
    if want == got {
        Ok(())
    } else {
        Err(format!(
            "{}\n--- got ---\n{got}--- want ---\n{want}",
            first_difference(&want, &got)
        ))
    }
}

fn check_iptables_rules(case: &Value, _: &Value) -> Result<(), String> {
    compare(iptables_case(case)?)
}

fn check_nftables_rules(case: &Value, _: &Value) -> Result<(), String> {
    compare(nftables_case(case)?)
}
