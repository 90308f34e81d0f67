//! Each object's fields as the API names them, listed once and walked both ways: the
//! importer reads a document through them ([`super::decode`]) and the exporter writes
//! one ([`super::export`]).
//!
//! A type lists its fields in [`Fields::walk`] by calling a [`Walker`] per field, with
//! the field's JSON name and, for numbers, the Go type the API declares (for error
//! messages in Go's words). The walker is a trait object, so the importer and the
//! exporter are each compiled once rather than once per type: this keeps the
//! WebAssembly small (see BENCHMARKS.md, "Size").
//!
//! What a user writes is walked as plain fields. What only the cluster writes goes
//! through two walker calls of its own: [`Walker::server`] (a `status`) and
//! [`Walker::timestamp`] (a `metav1.Time`). An import of manifests drops them with a
//! notice before reading, an export leaves them out, and only a read of a cluster's
//! dump ([`super::live`]) takes them; so too with [`Walker::live_list`], for what a user
//! writes but the simulation does not act on. The status types and the kinds only the cluster
//! writes (EndpointSlice, Endpoints, Event) list their fields in `fields_status` and
//! `fields_cluster`; uid and owner references are not walked at all.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go`, `apps/v1/types.go`,
//! kubernetes/apimachinery `pkg/apis/meta/v1/types.go`.

use std::collections::BTreeMap;

use super::schema::{ApiNodeStatus, Namespace, NodeAddress, NodeCondition};
use crate::objects::api_enum::ApiText;
use crate::objects::probe_handler::{ExecAction, GrpcAction, HttpGetAction, TcpSocketAction};
use crate::objects::service::{ClientIpConfig, SessionAffinityConfig};
use crate::objects::{
    Container, ContainerPort, Deployment, EnvVar, IntOrString, LabelSelector,
    LabelSelectorRequirement, Node, NodeSpec, ObjectMeta, Pod, PodReadinessGate, PodSpec,
    PodTemplate, Probe, ReplicaSet, Service, ServicePort, ServiceSpec, WorkloadSpec,
};
use crate::sim::SimTime;

/// Whether an export writes a field at its zero value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Written only when set (Go's `omitempty`).
    Set,
    /// Always written (no `omitempty` in the Go type).
    Always,
}

/// A struct of the API.
pub(crate) trait Fields {
    /// The Go type's name (`ServicePort`), as Go's JSON errors name it.
    fn go_name(&self) -> &'static str;
    /// Calls `w` once per field, in the API's order.
    fn walk(&mut self, w: &mut dyn Walker);
}

/// Visits one field of a struct. The importer sets it from the document, the exporter
/// writes it out; `go` is the Go type of a number (`int32`, `int64`).
#[allow(missing_docs)]
pub(crate) trait Walker {
    fn string(&mut self, key: &'static str, v: &mut String, keep: Keep);
    fn opt_string(&mut self, key: &'static str, v: &mut Option<String>);
    fn int32(&mut self, key: &'static str, v: &mut i32, keep: Keep);
    fn opt_int32(&mut self, key: &'static str, v: &mut Option<i32>);
    /// A number the model keeps unsigned: a negative one is a validation error, as the
    /// API server's `must be greater than or equal to 0`.
    fn count(&mut self, key: &'static str, go: &'static str, v: &mut u32, keep: Keep);
    fn opt_count(&mut self, key: &'static str, go: &'static str, v: &mut Option<u32>);
    fn boolean(&mut self, key: &'static str, v: &mut bool, keep: Keep);
    fn opt_bool(&mut self, key: &'static str, v: &mut Option<bool>);
    fn strings(&mut self, key: &'static str, v: &mut Vec<String>);
    fn string_map(&mut self, key: &'static str, v: &mut BTreeMap<String, String>);
    fn opt_string_map(&mut self, key: &'static str, v: &mut Option<BTreeMap<String, String>>);
    fn int_or_string(&mut self, key: &'static str, v: &mut IntOrString, keep: Keep);
    /// An API string enum (`v1.Protocol`, `v1.ServiceType`, …); `go` is its Go type.
    fn api_text(&mut self, key: &'static str, go: &'static str, v: &mut dyn ApiText, keep: Keep);
    fn object(&mut self, key: &'static str, v: &mut dyn Fields, keep: Keep);
    fn opt_object(&mut self, key: &'static str, v: &mut dyn OptSlot);
    fn list(&mut self, key: &'static str, v: &mut dyn ListSlot, keep: Keep);
    /// A `metav1.Time` (RFC 3339 text in the API), as simulated time; `None` is Go's zero
    /// time. Only the cluster writes one: a read of a dump takes it, an export leaves it
    /// out.
    fn timestamp(&mut self, key: &'static str, v: &mut Option<SimTime>);
    /// A part only the cluster writes (a `status`): a read of a dump takes it, an export
    /// leaves it out.
    fn server(&mut self, key: &'static str, v: &mut dyn Fields);
    /// A list the simulation carries but does not act on (`readinessGates`): a read of a
    /// dump takes it; an import of manifests leaves it, so that its notice says it is
    /// not modelled; an export leaves it out.
    fn live_list(&mut self, key: &'static str, v: &mut dyn ListSlot);
}

/// An optional struct field, seen without its type.
pub(crate) trait OptSlot {
    /// The value, if set.
    fn get(&mut self) -> Option<&mut dyn Fields>;
    /// Sets a default value and returns it.
    fn fill(&mut self) -> &mut dyn Fields;
    /// The Go type's name of the value.
    fn go_name(&self) -> &'static str;
}

impl<T: Fields + Default> OptSlot for Option<T> {
    fn get(&mut self) -> Option<&mut dyn Fields> {
        self.as_mut().map(|t| t as &mut dyn Fields)
    }
    fn fill(&mut self) -> &mut dyn Fields {
        self.insert(T::default())
    }
    fn go_name(&self) -> &'static str {
        T::default().go_name()
    }
}

/// A list of structs, seen without its element type.
pub(crate) trait ListSlot {
    /// How many elements.
    fn len(&self) -> usize;
    /// Element `i`.
    fn at(&mut self, i: usize) -> Option<&mut dyn Fields>;
    /// Appends a default element and returns it.
    fn push_default(&mut self) -> &mut dyn Fields;
    /// Removes every element.
    fn clear(&mut self);
    /// The Go type's name of an element.
    fn go_name(&self) -> &'static str;
}

impl<T: Fields + Default> ListSlot for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn at(&mut self, i: usize) -> Option<&mut dyn Fields> {
        self.get_mut(i).map(|t| t as &mut dyn Fields)
    }
    fn push_default(&mut self) -> &mut dyn Fields {
        self.push(T::default());
        let last = self.len() - 1;
        &mut self[last]
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
    fn go_name(&self) -> &'static str {
        T::default().go_name()
    }
}

impl Fields for ObjectMeta {
    fn go_name(&self) -> &'static str {
        "ObjectMeta"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Always);
        w.string("generateName", &mut self.generate_name, Keep::Set);
        w.string("namespace", &mut self.namespace, Keep::Set);
        w.timestamp("creationTimestamp", &mut self.creation_timestamp);
        w.timestamp("deletionTimestamp", &mut self.deletion_timestamp);
        w.string_map("labels", &mut self.labels);
        w.string_map("annotations", &mut self.annotations);
    }
}

impl Fields for Namespace {
    fn go_name(&self) -> &'static str {
        "Namespace"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.server("status", &mut self.status);
    }
}

impl Fields for Node {
    fn go_name(&self) -> &'static str {
        "Node"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Set);
        w.server("status", &mut self.status);
    }
}

impl Fields for NodeSpec {
    fn go_name(&self) -> &'static str {
        "NodeSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("podCIDR", &mut self.pod_cidr, Keep::Set);
        w.boolean("unschedulable", &mut self.unschedulable, Keep::Set);
    }
}

impl Fields for ApiNodeStatus {
    fn go_name(&self) -> &'static str {
        "NodeStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.list("addresses", &mut self.addresses, Keep::Set);
        w.list("conditions", &mut self.conditions, Keep::Set);
    }
}

impl Fields for NodeAddress {
    fn go_name(&self) -> &'static str {
        "NodeAddress"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("type", &mut self.type_, Keep::Always);
        w.string("address", &mut self.address, Keep::Always);
    }
}

impl Fields for NodeCondition {
    fn go_name(&self) -> &'static str {
        "NodeCondition"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("type", &mut self.type_, Keep::Always);
        w.string("status", &mut self.status, Keep::Always);
    }
}

impl Fields for Pod {
    fn go_name(&self) -> &'static str {
        "Pod"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
        w.server("status", &mut self.status);
    }
}

impl Fields for PodSpec {
    fn go_name(&self) -> &'static str {
        "PodSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("nodeName", &mut self.node_name, Keep::Set);
        w.list("containers", &mut self.containers, Keep::Always);
        w.list("initContainers", &mut self.init_containers, Keep::Set);
        w.opt_count(
            "terminationGracePeriodSeconds",
            "int64",
            &mut self.termination_grace_period_seconds,
        );
        w.string("hostname", &mut self.hostname, Keep::Set);
        w.string("subdomain", &mut self.subdomain, Keep::Set);
        w.string("restartPolicy", &mut self.restart_policy, Keep::Set);
        w.string_map("nodeSelector", &mut self.node_selector);
        w.live_list("readinessGates", &mut self.readiness_gates);
    }
}

impl Fields for PodReadinessGate {
    fn go_name(&self) -> &'static str {
        "PodReadinessGate"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("conditionType", &mut self.condition_type, Keep::Always);
    }
}

impl Fields for Container {
    fn go_name(&self) -> &'static str {
        "Container"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Always);
        w.string("image", &mut self.image, Keep::Set);
        w.strings("command", &mut self.command);
        w.strings("args", &mut self.args);
        w.list("ports", &mut self.ports, Keep::Set);
        w.list("env", &mut self.env, Keep::Set);
        w.opt_object("readinessProbe", &mut self.readiness_probe);
        w.opt_string("restartPolicy", &mut self.restart_policy);
    }
}

impl Fields for EnvVar {
    fn go_name(&self) -> &'static str {
        "EnvVar"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Always);
        w.string("value", &mut self.value, Keep::Set);
    }
}

impl Fields for ContainerPort {
    fn go_name(&self) -> &'static str {
        "ContainerPort"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Set);
        w.int32("containerPort", &mut self.container_port, Keep::Always);
        w.api_text("protocol", "v1.Protocol", &mut self.protocol, Keep::Set);
    }
}

impl Fields for Probe {
    fn go_name(&self) -> &'static str {
        "Probe"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        let n = "int32";
        w.count(
            "initialDelaySeconds",
            n,
            &mut self.initial_delay_seconds,
            Keep::Always,
        );
        w.count("periodSeconds", n, &mut self.period_seconds, Keep::Always);
        w.count("timeoutSeconds", n, &mut self.timeout_seconds, Keep::Always);
        w.count(
            "successThreshold",
            n,
            &mut self.success_threshold,
            Keep::Always,
        );
        w.count(
            "failureThreshold",
            n,
            &mut self.failure_threshold,
            Keep::Always,
        );
        w.opt_object("httpGet", &mut self.http_get);
        w.opt_object("tcpSocket", &mut self.tcp_socket);
        w.opt_object("exec", &mut self.exec);
        w.opt_object("grpc", &mut self.grpc);
    }
}

impl Fields for HttpGetAction {
    fn go_name(&self) -> &'static str {
        "HTTPGetAction"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("path", &mut self.path, Keep::Set);
        w.int_or_string("port", &mut self.port, Keep::Always);
        w.string("scheme", &mut self.scheme, Keep::Set);
    }
}

impl Fields for TcpSocketAction {
    fn go_name(&self) -> &'static str {
        "TCPSocketAction"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int_or_string("port", &mut self.port, Keep::Always);
    }
}

impl Fields for ExecAction {
    fn go_name(&self) -> &'static str {
        "ExecAction"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.strings("command", &mut self.command);
    }
}

impl Fields for GrpcAction {
    fn go_name(&self) -> &'static str {
        "GRPCAction"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("port", &mut self.port, Keep::Always);
        w.opt_string("service", &mut self.service);
    }
}

impl Fields for Service {
    fn go_name(&self) -> &'static str {
        "Service"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
        w.server("status", &mut self.status);
    }
}

impl Fields for ServiceSpec {
    fn go_name(&self) -> &'static str {
        "ServiceSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.api_text("type", "v1.ServiceType", &mut self.type_, Keep::Set);
        w.opt_string_map("selector", &mut self.selector);
        w.list("ports", &mut self.ports, Keep::Set);
        w.string("clusterIP", &mut self.cluster_ip, Keep::Set);
        w.strings("clusterIPs", &mut self.cluster_ips);
        w.strings("ipFamilies", &mut self.ip_families);
        w.opt_string("ipFamilyPolicy", &mut self.ip_family_policy);
        w.strings("externalIPs", &mut self.external_ips);
        w.api_text(
            "sessionAffinity",
            "v1.ServiceAffinity",
            &mut self.session_affinity,
            Keep::Set,
        );
        w.opt_object("sessionAffinityConfig", &mut self.session_affinity_config);
        let etp = &mut self.external_traffic_policy;
        w.api_text(
            "externalTrafficPolicy",
            "v1.ServiceExternalTrafficPolicy",
            etp,
            Keep::Set,
        );
        w.api_text(
            "internalTrafficPolicy",
            "v1.ServiceInternalTrafficPolicy",
            &mut self.internal_traffic_policy,
            Keep::Set,
        );
        let hc = &mut self.health_check_node_port;
        w.int32("healthCheckNodePort", hc, Keep::Set);
        w.opt_string("loadBalancerClass", &mut self.load_balancer_class);
        let alloc = &mut self.allocate_load_balancer_node_ports;
        w.opt_bool("allocateLoadBalancerNodePorts", alloc);
        let ranges = &mut self.load_balancer_source_ranges;
        w.strings("loadBalancerSourceRanges", ranges);
        w.string("externalName", &mut self.external_name, Keep::Set);
        let pnra = &mut self.publish_not_ready_addresses;
        w.boolean("publishNotReadyAddresses", pnra, Keep::Set);
        w.opt_string("trafficDistribution", &mut self.traffic_distribution);
    }
}

impl Fields for SessionAffinityConfig {
    fn go_name(&self) -> &'static str {
        "SessionAffinityConfig"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_object("clientIP", &mut self.client_ip);
    }
}

impl Fields for ClientIpConfig {
    fn go_name(&self) -> &'static str {
        "ClientIPConfig"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_int32("timeoutSeconds", &mut self.timeout_seconds);
    }
}

impl Fields for ServicePort {
    fn go_name(&self) -> &'static str {
        "ServicePort"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Set);
        w.api_text("protocol", "v1.Protocol", &mut self.protocol, Keep::Set);
        w.int32("port", &mut self.port, Keep::Always);
        w.int_or_string("targetPort", &mut self.target_port, Keep::Set);
        w.int32("nodePort", &mut self.node_port, Keep::Set);
        w.opt_string("appProtocol", &mut self.app_protocol);
    }
}

impl Fields for Deployment {
    fn go_name(&self) -> &'static str {
        "Deployment"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
        w.server("status", &mut self.status);
    }
}

impl Fields for ReplicaSet {
    fn go_name(&self) -> &'static str {
        "ReplicaSet"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        let mut spec = GoName(&mut self.spec, "ReplicaSetSpec");
        w.object("spec", &mut spec, Keep::Always);
        w.server("status", &mut self.status);
    }
}

/// A struct shared by two Go types (the model's `WorkloadSpec` is both
/// `DeploymentSpec` and `ReplicaSetSpec`), under the other type's name.
struct GoName<'a>(&'a mut dyn Fields, &'static str);

impl Fields for GoName<'_> {
    fn go_name(&self) -> &'static str {
        self.1
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        self.0.walk(w);
    }
}

impl Fields for WorkloadSpec {
    /// A ReplicaSet's spec goes through [`GoName`] as `ReplicaSetSpec`.
    fn go_name(&self) -> &'static str {
        "DeploymentSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_int32("replicas", &mut self.replicas);
        w.opt_object("selector", &mut self.selector);
        w.object("template", &mut self.template, Keep::Always);
    }
}

impl Fields for PodTemplate {
    fn go_name(&self) -> &'static str {
        "PodTemplateSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
    }
}

impl Fields for LabelSelector {
    fn go_name(&self) -> &'static str {
        "LabelSelector"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string_map("matchLabels", &mut self.match_labels);
        w.list("matchExpressions", &mut self.match_expressions, Keep::Set);
    }
}

impl Fields for LabelSelectorRequirement {
    fn go_name(&self) -> &'static str {
        "LabelSelectorRequirement"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("key", &mut self.key, Keep::Always);
        w.string("operator", &mut self.operator, Keep::Always);
        w.strings("values", &mut self.values);
    }
}
