//! `svcplay check`: every Service with its addresses and endpoints, and the problems a
//! user must know about.

use std::collections::BTreeSet;

use serde::Serialize;
use svcplay_core::World;
use svcplay_core::controllers::endpointslice::rules::find_port;
use svcplay_core::manifest::ImportError;
use svcplay_core::objects::ServiceType;
use svcplay_core::objects::{IntOrString, Pod, Service};
use svcplay_core::selector::api::service_selects;

/// One row of the Service table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow {
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
    /// The type.
    #[serde(rename = "type")]
    pub type_: String,
    /// The ClusterIP (`None` for headless, empty for ExternalName).
    #[serde(rename = "clusterIP")]
    pub cluster_ip: String,
    /// `port:nodePort/PROTOCOL` for every port with a node port.
    pub node_ports: Vec<String>,
    /// External IPs: `spec.externalIPs` and load-balancer ingress IPs.
    #[serde(rename = "externalIPs")]
    pub external_ips: Vec<String>,
    /// Ready endpoints.
    pub ready: usize,
    /// All endpoints.
    pub total: usize,
}

/// A problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// A short, stable identifier.
    pub kind: &'static str,
    /// `Kind/name`.
    pub object: String,
    /// What is wrong, in words.
    pub message: String,
    /// The document, line and column, when it came from the import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<(usize, usize, usize)>,
}

/// The rows, one per Service, by name.
pub fn rows(world: &World) -> Vec<ServiceRow> {
    world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.key()))
        .map(|s| row(world, s))
        .collect()
}

fn row(world: &World, s: &Service) -> ServiceRow {
    let spec = &s.spec;
    let node_ports = spec
        .ports
        .iter()
        .filter(|p| p.node_port != 0)
        .map(|p| format!("{}:{}/{}", p.port, p.node_port, p.protocol))
        .collect();
    let mut external_ips = spec.external_ips.clone();
    let ingress = s
        .status
        .load_balancer
        .ingress
        .iter()
        .filter(|i| !i.ip.is_empty());
    external_ips.extend(ingress.map(|i| i.ip.clone()));
    let mut all = BTreeSet::new();
    let mut ready = BTreeSet::new();
    for slice in world.endpoint_slices_for(&s.metadata.key()) {
        for e in &slice.endpoints {
            let Some(addr) = e.addresses.first() else {
                continue;
            };
            all.insert(addr.clone());
            if e.conditions.ready {
                ready.insert(addr.clone());
            }
        }
    }
    ServiceRow {
        namespace: s.metadata.namespace.clone(),
        name: s.metadata.name.clone(),
        type_: spec.type_.to_string(),
        cluster_ip: spec.cluster_ip.clone(),
        node_ports,
        external_ips,
        ready: ready.len(),
        total: all.len(),
    }
}

/// The problems: rejected objects (with positions), then Services whose selector
/// matches no pod, then named target ports no selected pod declares.
pub fn findings(world: &World, rejected: &[ImportError]) -> Vec<Finding> {
    let mut out: Vec<Finding> = rejected
        .iter()
        .map(|e| Finding {
            kind: "rejected",
            object: e.object.clone().unwrap_or_default(),
            message: e.problem.to_string(),
            at: Some((e.document, e.line(), e.column())),
        })
        .collect();
    for s in world.services().values() {
        // The cluster's own `kube-system/kube-dns` is no manifest's: its CoreDNS pods are
        // not modelled (see `world::cluster_dns`), so its selector matching none is no
        // finding.
        if s.spec.type_ == ServiceType::ExternalName || world.is_built_in_service(&s.metadata.key())
        {
            continue;
        }
        let Some(sel) = s.spec.effective_selector() else {
            continue;
        };
        let object = format!("Service/{}", s.metadata.name);
        let pods: Vec<&Pod> = world
            .pods()
            .values()
            .filter(|p| p.metadata.namespace == s.metadata.namespace)
            .filter(|p| service_selects(Some(sel), &p.metadata.labels))
            .collect();
        if pods.is_empty() {
            let text: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push(Finding {
                kind: "selector-matches-no-pods",
                object,
                message: format!("selector {} matches no pods", text.join(",")),
                at: None,
            });
            continue;
        }
        for (i, port) in s.spec.ports.iter().enumerate() {
            let IntOrString::String(name) = &port.target_port else {
                continue;
            };
            let lacking = pods.iter().filter(|p| find_port(p, port).is_none()).count();
            if lacking == 0 {
                continue;
            }
            let message = if lacking == pods.len() {
                format!("spec.ports[{i}].targetPort: no selected pod has a port named {name:?}")
            } else {
                format!(
                    "spec.ports[{i}].targetPort: {lacking} of {} selected pods have no port named {name:?}",
                    pods.len()
                )
            };
            out.push(Finding {
                kind: "named-port-not-found",
                object: object.clone(),
                message,
                at: None,
            });
        }
    }
    out
}

/// The table and the problems as text.
pub fn render_text(rows: &[ServiceRow], findings: &[Finding]) -> String {
    let mut table = vec![[
        "NAMESPACE".to_owned(),
        "NAME".to_owned(),
        "TYPE".to_owned(),
        "CLUSTER-IP".to_owned(),
        "NODE-PORTS".to_owned(),
        "EXTERNAL-IP".to_owned(),
        "ENDPOINTS".to_owned(),
    ]];
    for r in rows {
        let none = |v: &[String]| {
            if v.is_empty() {
                "<none>".to_owned()
            } else {
                v.join(",")
            }
        };
        let external = if r.external_ips.is_empty() && r.type_ == ServiceType::LoadBalancer.as_str()
        {
            "<pending>".to_owned()
        } else {
            none(&r.external_ips)
        };
        table.push([
            r.namespace.clone(),
            r.name.clone(),
            r.type_.clone(),
            if r.cluster_ip.is_empty() {
                "<none>".to_owned()
            } else {
                r.cluster_ip.clone()
            },
            none(&r.node_ports),
            external,
            format!("{}/{}", r.ready, r.total),
        ]);
    }
    // Padded by hand: `format!("{c:<w$}")` panics for a width over 65,535 (a Service
    // with thousands of external IPs makes one).
    let chars = |s: &str| s.chars().count();
    let mut widths = [0usize; 7];
    for line in &table {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(chars(cell));
        }
    }
    let mut out = String::new();
    for line in &table {
        let mut row = String::new();
        for (i, (cell, w)) in line.iter().zip(widths).enumerate() {
            if i > 0 {
                row.push_str("   ");
            }
            row.push_str(cell);
            row.extend(std::iter::repeat_n(' ', w - chars(cell)));
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    if findings.is_empty() {
        out.push_str("\nno problems found\n");
    } else {
        out.push_str(&format!("\n{} problem(s):\n", findings.len()));
        for f in findings {
            let at =
                f.at.map(|(d, l, c)| format!("document {d}, line {l}, column {c}: "))
                    .unwrap_or_default();
            out.push_str(&format!("  {at}{}: {}\n", f.object, f.message));
        }
    }
    out
}

/// The table, the problems and the notices as JSON (`--output json`).
pub fn render_json(rows: &[ServiceRow], findings: &[Finding], notices: &[String]) -> String {
    let v = serde_json::json!({ "services": rows, "problems": findings, "notices": notices });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
