//! `kubectl get services`: `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR]`.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`serviceColumnDefinitions`,
//! `printService`, `getServiceExternalIP`, `loadBalancerStatusStringer`,
//! `makePortString`).

use std::collections::BTreeSet;

use super::{Cell, Column, Row};
use crate::kubectl::duration::translate_timestamp_since;
use crate::labels::format_labels;
use crate::objects::service::LoadBalancerStatus;
use crate::objects::{Service, ServicePort};
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Service";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("Type", 0),
    Column::text("Cluster-IP", 0),
    Column::text("External-IP", 0),
    Column::text("Port(s)", 0),
    Column::AGE,
    Column::text("Selector", 1),
];

/// How long the load balancer's addresses may be before a narrow table clips them.
const LOAD_BALANCER_WIDTH: usize = 16;

/// `printService`: one row; `wide` adds the selector (and leaves long load-balancer
/// addresses whole).
pub fn print(svc: &Service, now: SimTime, wide: bool) -> Row {
    let internal_ip = svc
        .spec
        .cluster_ips
        .first()
        .map_or("<none>", String::as_str);
    let mut ports = make_port_string(&svc.spec.ports);
    if ports.is_empty() {
        ports = "<none>".to_owned();
    }
    let mut cells: Vec<Cell> = vec![
        svc.metadata.name.as_str().into(),
        svc.spec.type_.as_str().into(),
        internal_ip.into(),
        external_ip(svc, wide).into(),
        ports.into(),
        translate_timestamp_since(svc.metadata.creation_timestamp, now).into(),
    ];
    if wide {
        let selector = svc
            .spec
            .selector
            .as_ref()
            .map_or_else(|| "<none>".to_owned(), format_labels);
        cells.push(selector.into());
    }
    Row::new(cells)
}

/// `getServiceExternalIP`: by type; `<unknown>` for a type kubectl does not know.
fn external_ip(svc: &Service, wide: bool) -> String {
    let external = &svc.spec.external_ips;
    match svc.spec.type_.as_str() {
        "ClusterIP" | "NodePort" if external.is_empty() => "<none>".to_owned(),
        "ClusterIP" | "NodePort" => external.join(","),
        "LoadBalancer" => {
            let lb = load_balancer_status_stringer(&svc.status.load_balancer, wide);
            if !external.is_empty() {
                let mut results: Vec<&str> = Vec::new();
                if !lb.is_empty() {
                    results.extend(lb.split(','));
                }
                results.extend(external.iter().map(String::as_str));
                return results.join(",");
            }
            if lb.is_empty() {
                "<pending>".to_owned()
            } else {
                lb
            }
        }
        "ExternalName" => svc.spec.external_name.clone(),
        _ => "<unknown>".to_owned(),
    }
}

/// `loadBalancerStatusStringer`: the ingress IPs (or hostnames where there is no IP),
/// sorted and unique, joined by `,`; unless `wide`, longer than 16 bytes is clipped to
/// 13 and `...`.
///
/// Simplification: Go clips at byte 13 even inside a character; this clips at the last
/// character boundary at or before it (addresses and DNS names are ASCII, where the two
/// agree).
fn load_balancer_status_stringer(s: &LoadBalancerStatus, wide: bool) -> String {
    let result: BTreeSet<&str> = s
        .ingress
        .iter()
        .filter_map(|i| {
            if !i.ip.is_empty() {
                Some(i.ip.as_str())
            } else if !i.hostname.is_empty() {
                Some(i.hostname.as_str())
            } else {
                None
            }
        })
        .collect();
    let mut r = result.into_iter().collect::<Vec<_>>().join(",");
    if !wide && r.len() > LOAD_BALANCER_WIDTH {
        let mut cut = LOAD_BALANCER_WIDTH - 3;
        while !r.is_char_boundary(cut) {
            cut -= 1;
        }
        r.truncate(cut);
        r.push_str("...");
    }
    r
}

/// `makePortString`: `port/protocol`, or `port:nodePort/protocol` with a node port,
/// joined by `,`; the protocol is printed as written.
fn make_port_string(ports: &[ServicePort]) -> String {
    let pieces: Vec<String> = ports
        .iter()
        .map(|p| {
            if p.node_port > 0 {
                format!("{}:{}/{}", p.port, p.node_port, p.protocol)
            } else {
                format!("{}/{}", p.port, p.protocol)
            }
        })
        .collect();
    pieces.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::LoadBalancerIngress;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn lb(ingress: &[(&str, &str)]) -> Service {
        let mut svc = Service::default();
        svc.metadata.name = "s".into();
        svc.spec.type_ = "LoadBalancer".into();
        svc.status.load_balancer.ingress = ingress
            .iter()
            .map(|(ip, host)| LoadBalancerIngress {
                ip: (*ip).into(),
                hostname: (*host).into(),
                ip_mode: None,
            })
            .collect();
        svc
    }

    fn cell(row: &Row, i: usize) -> String {
        row.cells[i].to_string()
    }

    /// Upstream: OchukoWH/kubernetes@3669de28 `pkg/printers/internalversion/printers_test.go`
    /// `TestPrintServiceLoadBalancer` case 3 (clipped) and
    /// `TestPrintService` test7 (ExternalName).
    #[test]
    fn external_ip_by_type() {
        let svc = lb(&[("2.3.4.5", ""), ("3.4.5.6", ""), ("5.6.7.8", "host5678")]);
        assert_eq!(
            cell(&print(&svc, SimTime::ZERO, false), 3),
            "2.3.4.5,3.4.5..."
        );
        let svc = lb(&[
            ("", "b.example"),
            ("", "a.example"),
            ("", "a.example"),
            ("", ""),
        ]);
        assert_eq!(
            cell(&print(&svc, SimTime::ZERO, true), 3),
            "a.example,b.example"
        );
        let mut svc = lb(&[]);
        assert_eq!(cell(&print(&svc, SimTime::ZERO, false), 3), "<pending>");
        svc.spec.type_ = "ExternalName".into();
        svc.spec.external_name = "my.database.example.com".into();
        let row = print(&svc, SimTime::ZERO, false);
        assert_eq!(cell(&row, 2), "<none>");
        assert_eq!(cell(&row, 3), "my.database.example.com");
        assert_eq!(cell(&row, 4), "<none>");
        svc.spec.type_ = crate::objects::ServiceType::Unset;
        assert_eq!(cell(&print(&svc, SimTime::ZERO, false), 3), "<unknown>");
    }
}
