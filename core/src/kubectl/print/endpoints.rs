//! `kubectl get endpoints`: `NAME ENDPOINTS AGE`.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`endpointColumnDefinitions`,
//! `printEndpoints`, `formatEndpoints`); golang/go `src/net/ipsock.go` (`JoinHostPort`).

use super::{Column, Row};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::Endpoints;
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Endpoints";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[Column::NAME, Column::text("Endpoints", 0), Column::AGE];

/// How many endpoints the cell lists before ` + N more...`.
const MAX: usize = 3;

/// `printEndpoints`: one row (no wide-only columns).
pub fn print(endpoints: &Endpoints, now: SimTime, _wide: bool) -> Row {
    Row::new(vec![
        endpoints.metadata.name.as_str().into(),
        format_endpoints(endpoints).into(),
        translate_timestamp_since(endpoints.metadata.creation_timestamp, now).into(),
    ])
}

/// `formatEndpoints` over every port: up to three `ip:port` (a bare IP in a subset
/// without ports), then ` + N more...` counting every address-port pair; `<none>` with
/// no subsets. Only ready addresses count.
fn format_endpoints(endpoints: &Endpoints) -> String {
    if endpoints.subsets.is_empty() {
        return "<none>".to_owned();
    }
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in &endpoints.subsets {
        if ss.ports.is_empty() {
            // Headless Services can have no ports.
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, port.port));
            }
        }
    }
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count.saturating_sub(MAX));
    }
    ret
}

/// `net.JoinHostPort`: `host:port`, the host in brackets when it holds a colon (IPv6).
fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::endpoints::EndpointPort;
    use crate::objects::{EndpointAddress, EndpointSubset};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn subset(ips: &[&str], ports: &[i32]) -> EndpointSubset {
        EndpointSubset {
            addresses: ips
                .iter()
                .map(|ip| EndpointAddress {
                    ip: (*ip).into(),
                    ..Default::default()
                })
                .collect(),
            not_ready_addresses: Vec::new(),
            ports: ports
                .iter()
                .map(|p| EndpointPort {
                    port: *p,
                    ..Default::default()
                })
                .collect(),
        }
    }

    /// Upstream: OchukoWH/kubernetes@3669de28 `pkg/printers/internalversion/printers_test.go`
    /// `TestPrintEndpoint` (no ports; more than three).
    #[test]
    fn addresses_with_and_without_ports() {
        let mut e = Endpoints {
            subsets: vec![subset(&["1.2.3.4", "5.6.7.8"], &[])],
            ..Endpoints::default()
        };
        assert_eq!(format_endpoints(&e), "1.2.3.4,5.6.7.8");
        e.subsets = vec![subset(
            &["1.2.3.4", "5.6.7.8", "9.8.7.6", "6.6.6.6"],
            &[8001],
        )];
        assert_eq!(
            format_endpoints(&e),
            "1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more..."
        );
        // Every port counts each address again; IPv6 hosts get brackets.
        e.subsets = vec![subset(&["fd00::1", "fd00::2"], &[80, 443])];
        assert_eq!(
            format_endpoints(&e),
            "[fd00::1]:80,[fd00::2]:80,[fd00::1]:443 + 1 more..."
        );
        e.subsets = vec![subset(&[], &[80])];
        assert_eq!(format_endpoints(&e), "");
    }
}
