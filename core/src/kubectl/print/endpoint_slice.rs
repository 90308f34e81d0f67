//! `kubectl get endpointslices`: `NAME ADDRESSTYPE PORTS ENDPOINTS AGE`.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`endpointSliceColumnDefinitions`,
//! `printEndpointSlice`, `formatDiscoveryPorts`, `formatDiscoveryEndpoints`).

use super::{Column, Row, list_with_more};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::{Endpoint, EndpointPort, EndpointSlice};
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "EndpointSlice.discovery.k8s.io";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("AddressType", 0),
    Column::text("Ports", 0),
    Column::text("Endpoints", 0),
    Column::AGE,
];

/// How many ports or addresses a cell lists before ` + N more...`.
const MAX: usize = 3;

/// `printEndpointSlice`: one row (no wide-only columns).
pub fn print(slice: &EndpointSlice, now: SimTime, _wide: bool) -> Row {
    Row::new(vec![
        slice.metadata.name.as_str().into(),
        slice.address_type.as_str().into(),
        format_ports(&slice.ports).into(),
        format_endpoints(&slice.endpoints).into(),
        translate_timestamp_since(slice.metadata.creation_timestamp, now).into(),
    ])
}

/// `formatDiscoveryPorts`: the first three ports' numbers (or names, or `*`).
///
/// Simplification: the API's port and name are optional; here 0 and `""` stand for
/// unset (a set port is 1..=65535; a set but empty name prints `""` upstream, `*` here).
fn format_ports(ports: &[EndpointPort]) -> String {
    let mut list = Vec::new();
    let mut more = false;
    for port in ports {
        if list.len() < MAX {
            list.push(if port.port != 0 {
                port.port.to_string()
            } else if !port.name.is_empty() {
                port.name.clone()
            } else {
                "*".to_owned()
            });
        } else if list.len() == MAX {
            more = true;
        }
    }
    list_with_more(&list, more, ports.len(), MAX)
}

/// `formatDiscoveryEndpoints`: the first three addresses over all endpoints, ready or
/// not.
fn format_endpoints(endpoints: &[Endpoint]) -> String {
    let mut list = Vec::new();
    let mut more = false;
    let mut count = 0;
    for address in endpoints.iter().flat_map(|e| &e.addresses) {
        if list.len() < MAX {
            list.push(address.clone());
        } else if list.len() == MAX {
            more = true;
        }
        count += 1;
    }
    list_with_more(&list, more, count, MAX)
}
