//! The Kubernetes objects the simulation holds, shaped and named as the API has them.
//!
//! Field names follow the API (`targetPort`, `publishNotReadyAddresses`, …) so that the
//! same types serialise to and from manifests. Only the fields the playground models are
//! present; `Simplification:` notes say where a field is narrower than upstream.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go`, `apps/v1/types.go`,
//! `discovery/v1/types.go`.

pub mod api_enum;
pub mod build;
pub mod endpoint_slice;
pub mod meta;
pub mod node;
pub mod object;
pub mod pod;
pub mod probe_handler;
pub mod service;
pub mod workload;

pub use endpoint_slice::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, ObjectReference,
};
pub use meta::{DEFAULT_NAMESPACE, Labels, NamespacedName, ObjectMeta, OwnerReference};
pub use node::{Node, NodeSpec, NodeStatus};
pub use object::{Namespace, Object};
pub use pod::{Container, ContainerPort, Pod, PodPhase, PodSpec, PodStatus, Probe};
pub use service::{
    IntOrString, IpFamily, Layer, LoadBalancerIngress, Protocol, Service, ServicePort, ServiceSpec,
    ServiceStatus, ServiceType, SessionAffinity, TrafficPolicy,
};
pub use workload::{
    Deployment, LabelSelector, LabelSelectorRequirement, PodTemplate, ReplicaSet, WorkloadSpec,
};
