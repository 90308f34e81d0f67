//! Checkers for cluster DNS: CoreDNS's kubernetes plugin tests and the Kubernetes DNS
//! specification's examples, run through `svcplay_core::dns::ClusterDns`.
//!
//! CoreDNS cases build their world from `_meta.kubectl_and_dns.dns_fixtures[fixture]`
//! and compare as `plugin/test.SortAndCheck` does: rcode, counts per section, then the
//! sorted records element-wise on owner, TTL, type and rdata (SOA on MNAME only).
//! Specification cases carry their world inline and compare the answer section as a
//! set, `*` matching any TTL, SRV priority or weight.

use std::collections::BTreeSet;

use serde_json::Value;
use svcplay_core::dns::config::DEFAULT_CLUSTER_DOMAIN;
use svcplay_core::dns::{
    ClusterDns, DnsConfig, PodMode, Question, RData, Rcode, Response, Rr, RrType, Upstream,
};
use svcplay_core::objects::endpoint_slice::SERVICE_NAME_LABEL;
use svcplay_core::objects::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, ObjectMeta, Pod, Protocol, Service,
};

use super::support::{Checker, expect_eq, str_field};

/// The categories this area checks.
pub const CATEGORIES: &[(&str, Checker)] = &[("dns_records", dns_records)];

/// The namespaces every cluster has.
const SYSTEM_NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

fn dns_records(case: &Value, meta: &Value) -> Result<(), String> {
    let query = case.get("query").ok_or("case has no `query`")?;
    let qname = str_field(query, "name")?;
    let qtype_text = str_field(query, "type")?;
    let qtype = RrType::parse(qtype_text).ok_or(format!("unknown type {qtype_text}"))?;
    let question = Question::new(qname, qtype).map_err(|e| e.to_string())?;
    let expected = case.get("expected").ok_or("case has no `expected`")?;
    match case.get("fixture").and_then(Value::as_str) {
        Some(fixture) => {
            let world = meta
                .pointer(&format!("/kubectl_and_dns/dns_fixtures/{fixture}"))
                .ok_or(format!("no fixture {fixture}"))?;
            let dns = coredns_world(world, case, qname)?;
            check_sorted(&dns.serve(&question), expected)
        }
        None => {
            let world = case.get("world").ok_or("case has no `world`")?;
            let dns = spec_world(world, case)?;
            check_spec(&dns.serve(&question), expected)
        }
    }
}

/// The fixture's objects; every namespace exists except `nonexistent_namespaces`.
fn coredns_world(world: &Value, case: &Value, qname: &str) -> Result<ClusterDns, String> {
    let services = services(world)?;
    let slices: Vec<EndpointSlice> = list(world, "endpoints")
        .iter()
        .map(coredns_endpoints)
        .collect::<Result<_, _>>()?;
    let pods: Vec<Pod> = list(world, "pods")
        .iter()
        .map(|p| serde_json::from_value(p.clone()).map_err(|e| format!("pod: {e}")))
        .collect::<Result<_, _>>()?;
    let missing: BTreeSet<&str> = list(world, "nonexistent_namespaces")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // "Every namespace exists": any label the query could name as a namespace, and the
    // objects' own.
    let mut namespaces: BTreeSet<String> = qname
        .trim_end_matches('.')
        .split('.')
        .map(str::to_ascii_lowercase)
        .collect();
    namespaces.extend(services.iter().map(|s| s.metadata.namespace.clone()));
    namespaces.extend(slices.iter().map(|s| s.metadata.namespace.clone()));
    namespaces.extend(pods.iter().map(|p| p.metadata.namespace.clone()));
    namespaces.retain(|n| !missing.contains(n.as_str()));
    let config = config(case, DnsConfig::default())?;
    ClusterDns::new(
        &config,
        &services,
        &slices,
        &pods,
        namespaces,
        Upstream::none(),
    )
    .map_err(|e| e.to_string())
}

/// An inline specification world; its namespaces are the system ones and the objects'.
fn spec_world(world: &Value, case: &Value) -> Result<ClusterDns, String> {
    let services = services(world)?;
    let slices: Vec<EndpointSlice> = list(world, "endpointslices")
        .iter()
        .map(api_slice)
        .collect::<Result<_, _>>()?;
    let mut namespaces: BTreeSet<String> =
        SYSTEM_NAMESPACES.iter().map(|s| (*s).to_owned()).collect();
    namespaces.extend(services.iter().map(|s| s.metadata.namespace.clone()));
    namespaces.extend(slices.iter().map(|s| s.metadata.namespace.clone()));
    let mut upstream = Upstream::none();
    if let Some(Value::Object(table)) = world.get("upstream") {
        for (key, values) in table {
            let (owner, t) = key
                .split_once(' ')
                .ok_or(format!("bad upstream key {key}"))?;
            let rtype = RrType::parse(t).ok_or(format!("bad upstream type {t}"))?;
            for v in values.as_array().into_iter().flatten() {
                let text = v.as_str().ok_or("upstream rdata is not a string")?;
                upstream.add(Rr {
                    owner: owner.to_owned(),
                    ttl: 300,
                    data: rdata(rtype, text)?,
                });
            }
        }
    }
    // A specification-compliant server is one deployed as kubeadm deploys CoreDNS: the
    // reverse zones served (PTR, 2.3.3 and 2.4.3) and `pods insecure` (2.6).
    let mut config = config(case, DnsConfig::kubeadm(DEFAULT_CLUSTER_DOMAIN))?;
    let kubeadm = DnsConfig::kubeadm(DEFAULT_CLUSTER_DOMAIN);
    config.zones.extend(kubeadm.zones.into_iter().skip(1));
    ClusterDns::new(&config, &services, &slices, &[], namespaces, upstream)
        .map_err(|e| e.to_string())
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The Services as API objects. CoreDNS's fixtures spell protocols `tcp`/`udp`; the
/// API spelling is upper case, and CoreDNS compares protocols ignoring case.
fn services(world: &Value) -> Result<Vec<Service>, String> {
    list(world, "services")
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if let Some(ports) = s.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
                for p in ports {
                    if let Some(proto) = p.get("protocol").and_then(Value::as_str) {
                        p["protocol"] = Value::from(proto.to_ascii_uppercase());
                    }
                }
            }
            serde_json::from_value(s).map_err(|e| format!("service: {e}"))
        })
        .collect()
}

/// The case's `config` over `base`: zones, ttl (null keeps the base's), pods,
/// exposed namespaces (null exposes all).
fn config(case: &Value, base: DnsConfig) -> Result<DnsConfig, String> {
    let c = case.get("config").ok_or("case has no `config`")?;
    let mut config = DnsConfig {
        zones: list(c, "zones")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        ..base
    };
    if let Some(ttl) = c.get("ttl").and_then(Value::as_u64) {
        config.ttl = u32::try_from(ttl).map_err(|e| e.to_string())?;
    }
    if let Some(p) = c.get("pods").and_then(Value::as_str) {
        config.pods = PodMode::parse(p).map_err(|e| e.to_string())?;
    }
    config.namespaces = list(c, "exposed_namespaces")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    Ok(config)
}

fn protocol(p: Option<&str>) -> Result<Protocol, String> {
    match p.map(str::to_ascii_uppercase).as_deref() {
        None | Some("TCP") => Ok(Protocol::Tcp),
        Some("UDP") => Ok(Protocol::Udp),
        Some("SCTP") => Ok(Protocol::Sctp),
        Some(other) => Err(format!("unknown protocol {other}")),
    }
}

fn slice_meta(name: &str, namespace: &str, service: &str) -> ObjectMeta {
    let mut m = ObjectMeta::named(namespace, name);
    m.labels
        .insert(SERVICE_NAME_LABEL.to_owned(), service.to_owned());
    m
}

/// A CoreDNS `object.Endpoints` (every address ready; a `-1` port is CoreDNS's own
/// sentinel for a slice without ports) as the EndpointSlice it came from.
fn coredns_endpoints(e: &Value) -> Result<EndpointSlice, String> {
    let mut slice = EndpointSlice {
        metadata: slice_meta(
            str_field(e, "name")?,
            str_field(e, "namespace")?,
            str_field(e, "service")?,
        ),
        ..EndpointSlice::default()
    };
    for subset in list(e, "subsets") {
        for a in list(subset, "addresses") {
            let ip = str_field(a, "ip")?;
            slice.address_type = if ip.contains(':') { "IPv6" } else { "IPv4" }.to_owned();
            slice.endpoints.push(Endpoint {
                addresses: vec![ip.to_owned()],
                conditions: EndpointConditions {
                    ready: true,
                    serving: true,
                    terminating: false,
                },
                hostname: a.get("hostname").and_then(Value::as_str).map(str::to_owned),
                ..Endpoint::default()
            });
        }
        for p in list(subset, "ports") {
            let port = p.get("port").and_then(Value::as_i64).ok_or("port")?;
            if port == -1 && p.get("name").is_none() {
                continue;
            }
            slice.ports.push(EndpointPort {
                name: p
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                port: i32::try_from(port).map_err(|e| e.to_string())?,
                protocol: protocol(p.get("protocol").and_then(Value::as_str))?,
                app_protocol: None,
            });
        }
    }
    Ok(slice)
}

/// A `discovery.k8s.io/v1` EndpointSlice (nil conditions read as the API says: ready
/// and serving unless false).
fn api_slice(s: &Value) -> Result<EndpointSlice, String> {
    let m = s.get("metadata").ok_or("slice has no metadata")?;
    let service = m
        .pointer("/labels/kubernetes.io~1service-name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut slice = EndpointSlice {
        metadata: slice_meta(str_field(m, "name")?, str_field(m, "namespace")?, service),
        address_type: str_field(s, "addressType")?.to_owned(),
        ..EndpointSlice::default()
    };
    for e in list(s, "endpoints") {
        let cond = |k: &str, default: bool| {
            e.pointer(&format!("/conditions/{k}"))
                .and_then(Value::as_bool)
                .unwrap_or(default)
        };
        slice.endpoints.push(Endpoint {
            addresses: list(e, "addresses")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            conditions: EndpointConditions {
                ready: cond("ready", true),
                serving: cond("serving", true),
                terminating: cond("terminating", false),
            },
            hostname: e.get("hostname").and_then(Value::as_str).map(str::to_owned),
            ..Endpoint::default()
        });
    }
    for p in list(s, "ports") {
        slice.ports.push(EndpointPort {
            name: p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            port: p
                .get("port")
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
                .ok_or("port")?,
            protocol: protocol(p.get("protocol").and_then(Value::as_str))?,
            app_protocol: None,
        });
    }
    Ok(slice)
}

fn rdata(t: RrType, text: &str) -> Result<RData, String> {
    let bad = |_| format!("bad address {text}");
    Ok(match t {
        RrType::A => RData::A(text.parse().map_err(bad)?),
        RrType::Aaaa => RData::Aaaa(text.parse().map_err(bad)?),
        RrType::Cname => RData::Cname(text.to_owned()),
        RrType::Ptr => RData::Ptr(text.to_owned()),
        RrType::Ns => RData::Ns(text.to_owned()),
        RrType::Txt => RData::Txt(vec![text.trim_matches('"').to_owned()]),
        other => return Err(format!("upstream {other} records are not supported")),
    })
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    list(v, key)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn check_rcode(got: &Response, expected: &Value) -> Result<(), String> {
    let want = str_field(expected, "rcode")?;
    expect_eq("rcode", got.rcode, Rcode::parse(want).ok_or("bad rcode")?)
}

/// `SortAndCheck`: per section, the records sorted by their text, compared in order.
fn check_sorted(got: &Response, expected: &Value) -> Result<(), String> {
    check_rcode(got, expected)?;
    for (section, rrs) in [
        ("answer", &got.answer),
        ("authority", &got.authority),
        ("additional", &got.additional),
    ] {
        let want = strings(expected, section);
        let mut have: Vec<String> = rrs.iter().map(ToString::to_string).collect();
        have.sort();
        expect_eq(
            &format!("{section} count ({have:?})"),
            have.len(),
            want.len(),
        )?;
        for (h, w) in have.iter().zip(&want) {
            if !same_rr(h, w, false) {
                return Err(format!("{section}: got {h:?}, want {w:?}"));
            }
        }
    }
    Ok(())
}

/// Specification cases: the answer section as a set, with `*` wildcards.
fn check_spec(got: &Response, expected: &Value) -> Result<(), String> {
    check_rcode(got, expected)?;
    let want = strings(expected, "answer");
    let have: Vec<String> = got.answer.iter().map(ToString::to_string).collect();
    expect_eq(&format!("answer count ({have:?})"), have.len(), want.len())?;
    let mut unused: Vec<&String> = have.iter().collect();
    for w in &want {
        let i = unused
            .iter()
            .position(|h| same_rr(h, w, true))
            .ok_or(format!("answer {w:?} missing from {have:?}"))?;
        unused.remove(i);
    }
    Ok(())
}

/// Compares a record's text with an expected one: owner, TTL, type, rdata (SOA on its
/// MNAME only; `*` in the expected text matches anything when `wildcards`).
fn same_rr(have: &str, want: &str, wildcards: bool) -> bool {
    let h: Vec<&str> = have.split_whitespace().collect();
    let w: Vec<&str> = want.split_whitespace().collect();
    let field = |a: &str, b: &str| a == b || (wildcards && b == "*");
    // plugin/test: an expected TTL of 303 means "do not compare".
    let ttl = |a: &str, b: &str| field(a, b) || b == "303";
    if h.len() < 4 || w.len() < 4 || !field(h[0], w[0]) || !ttl(h[1], w[1]) {
        return false;
    }
    if h[3] != w[3] || !field(h[2], w[2]) {
        return false;
    }
    let (hd, wd) = (&h[4..], &w[4..]);
    match w[3] {
        "SOA" => hd.first() == wd.first(),
        "A" | "AAAA" => {
            let parse = |s: Option<&&str>| s.and_then(|s| s.parse::<std::net::IpAddr>().ok());
            parse(hd.first()).is_some() && parse(hd.first()) == parse(wd.first())
        }
        "TXT" => hd.join("").replace('"', "") == wd.join("").replace('"', ""),
        _ => hd.len() == wd.len() && hd.iter().zip(wd).all(|(a, b)| field(a, b)),
    }
}
