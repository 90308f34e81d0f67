//! The fields of the kinds only the cluster writes (EndpointSlice, `v1` Endpoints,
//! Event), listed for a read of a cluster's dump ([`super::live`]); an import of
//! manifests does not take these kinds.
//! Upstream: kubernetes/api@10b39a39 `discovery/v1/types.go`, `core/v1/types.go`
//! (`Endpoints`, `ObjectReference`, `Event`).

use super::fields::{Fields, Keep, Walker};
use crate::objects::endpoints::EndpointPort as EndpointsPort;
use crate::objects::{
    Endpoint, EndpointAddress, EndpointConditions, EndpointPort, EndpointSlice, EndpointSubset,
    Endpoints, Event, EventSeries, EventSource, ObjectReference,
};

impl Fields for EndpointSlice {
    fn go_name(&self) -> &'static str {
        "EndpointSlice"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.string("addressType", &mut self.address_type, Keep::Always);
        w.list("endpoints", &mut self.endpoints, Keep::Always);
        w.list("ports", &mut self.ports, Keep::Always);
    }
}

impl Fields for Endpoint {
    fn go_name(&self) -> &'static str {
        "Endpoint"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.strings("addresses", &mut self.addresses);
        w.object("conditions", &mut self.conditions, Keep::Always);
        w.opt_string("hostname", &mut self.hostname);
        w.opt_object("targetRef", &mut self.target_ref);
        w.opt_string("nodeName", &mut self.node_name);
        w.opt_string("zone", &mut self.zone);
    }
}

impl Fields for EndpointConditions {
    fn go_name(&self) -> &'static str {
        "EndpointConditions"
    }
    /// Simplification: the API's conditions are optional booleans (a nil `ready` or
    /// `serving` means true); an absent one reads as false here. The EndpointSlice
    /// controller writes all three, so a dump of a cluster carries them.
    fn walk(&mut self, w: &mut dyn Walker) {
        w.boolean("ready", &mut self.ready, Keep::Always);
        w.boolean("serving", &mut self.serving, Keep::Always);
        w.boolean("terminating", &mut self.terminating, Keep::Always);
    }
}

impl Fields for EndpointPort {
    fn go_name(&self) -> &'static str {
        "EndpointPort"
    }
    /// Simplification: `name` and `port` are pointers in the API; an absent one reads as
    /// `""` or 0 here (a set port is 1..=65535, so 0 stands for nil without ambiguity).
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Set);
        w.api_text("protocol", "v1.Protocol", &mut self.protocol, Keep::Set);
        w.int32("port", &mut self.port, Keep::Set);
        w.opt_string("appProtocol", &mut self.app_protocol);
    }
}

impl Fields for ObjectReference {
    fn go_name(&self) -> &'static str {
        "ObjectReference"
    }
    /// `uid` is not walked: the model's uids are counters, the cluster's are UUIDs.
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("kind", &mut self.kind, Keep::Set);
        w.string("namespace", &mut self.namespace, Keep::Set);
        w.string("name", &mut self.name, Keep::Set);
        w.string("fieldPath", &mut self.field_path, Keep::Set);
    }
}

impl Fields for Endpoints {
    fn go_name(&self) -> &'static str {
        "Endpoints"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.list("subsets", &mut self.subsets, Keep::Set);
    }
}

impl Fields for EndpointSubset {
    fn go_name(&self) -> &'static str {
        "EndpointSubset"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.list("addresses", &mut self.addresses, Keep::Set);
        let not_ready = &mut self.not_ready_addresses;
        w.list("notReadyAddresses", not_ready, Keep::Set);
        w.list("ports", &mut self.ports, Keep::Set);
    }
}

impl Fields for EndpointAddress {
    fn go_name(&self) -> &'static str {
        "EndpointAddress"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("ip", &mut self.ip, Keep::Always);
        w.string("hostname", &mut self.hostname, Keep::Set);
        w.opt_string("nodeName", &mut self.node_name);
        w.opt_object("targetRef", &mut self.target_ref);
    }
}

impl Fields for EndpointsPort {
    fn go_name(&self) -> &'static str {
        "EndpointPort"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Set);
        w.int32("port", &mut self.port, Keep::Always);
        w.string("protocol", &mut self.protocol, Keep::Set);
        w.opt_string("appProtocol", &mut self.app_protocol);
    }
}

impl Fields for Event {
    fn go_name(&self) -> &'static str {
        "Event"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("involvedObject", &mut self.involved_object, Keep::Always);
        w.string("reason", &mut self.reason, Keep::Set);
        w.string("message", &mut self.message, Keep::Set);
        w.object("source", &mut self.source, Keep::Set);
        w.timestamp("firstTimestamp", &mut self.first_timestamp);
        w.timestamp("lastTimestamp", &mut self.last_timestamp);
        w.int32("count", &mut self.count, Keep::Set);
        w.string("type", &mut self.type_, Keep::Set);
        w.timestamp("eventTime", &mut self.event_time);
        w.opt_object("series", &mut self.series);
        let component = &mut self.reporting_component;
        w.string("reportingComponent", component, Keep::Set);
        let instance = &mut self.reporting_instance;
        w.string("reportingInstance", instance, Keep::Set);
    }
}

impl Fields for EventSource {
    fn go_name(&self) -> &'static str {
        "EventSource"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("component", &mut self.component, Keep::Set);
        w.string("host", &mut self.host, Keep::Set);
    }
}

impl Fields for EventSeries {
    fn go_name(&self) -> &'static str {
        "EventSeries"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("count", &mut self.count, Keep::Set);
        w.timestamp("lastObservedTime", &mut self.last_observed_time);
    }
}
