//! `kubectl describe endpointslice`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/describe/describe.go` (`describeEndpointSliceV1`).

use super::{W, annotations, events, labels};
use crate::objects::{EndpointSlice, Event};
use crate::sim::SimTime;

/// `describeEndpointSliceV1`.
pub(crate) fn describe(w: &mut W, s: &EndpointSlice, event_list: Option<&[Event]>, now: SimTime) {
    w.write(0, &format!("Name:\t{}\n", s.metadata.name));
    w.write(0, &format!("Namespace:\t{}\n", s.metadata.namespace));
    labels(w, "Labels", &s.metadata.labels);
    annotations(w, "Annotations", &s.metadata.annotations);
    w.write(0, &format!("AddressType:\t{}\n", s.address_type));
    if s.ports.is_empty() {
        w.write(0, "Ports: <unset>\n");
    } else {
        w.write(0, "Ports:\n");
        w.write(1, "Name\tPort\tProtocol\n");
        w.write(1, "----\t----\t--------\n");
        for p in &s.ports {
            let name = if p.name.is_empty() {
                "<unset>"
            } else {
                p.name.as_str()
            };
            w.write(1, &format!("{name}\t{}\t{}\n", p.port, p.protocol));
        }
    }
    if s.endpoints.is_empty() {
        w.write(0, "Endpoints: <none>\n");
    } else {
        w.write(0, "Endpoints:\n");
        for e in &s.endpoints {
            let addresses = if e.addresses.is_empty() {
                "<none>".to_owned()
            } else {
                e.addresses.join(", ")
            };
            w.write(1, &format!("- Addresses:\t{addresses}\n"));
            w.write(2, "Conditions:\n");
            w.write(3, &format!("Ready:\t{}\n", e.conditions.ready));
            let hostname = e.hostname.as_deref().unwrap_or("<unset>");
            w.write(2, &format!("Hostname:\t{hostname}\n"));
            if let Some(r) = &e.target_ref {
                w.write(2, &format!("TargetRef:\t{}/{}\n", r.kind, r.name));
            }
            let node = e.node_name.as_deref().unwrap_or("<unset>");
            w.write(2, &format!("NodeName:\t{node}\n"));
            let zone = e.zone.as_deref().unwrap_or("<unset>");
            w.write(2, &format!("Zone:\t{zone}\n"));
        }
    }
    if let Some(list) = event_list {
        events(w, list, now);
    }
}
