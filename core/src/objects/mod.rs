//! The Kubernetes objects the simulation holds, shaped and named as the API has them.
//!
//! Field names follow the API (`targetPort`, `publishNotReadyAddresses`, …) so that the
//! same types serialise to and from manifests. Only the fields the playground models are
//! present; `Simplification:` notes say where a field is narrower than upstream.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go`, `apps/v1/types.go`,
//! `batch/v1/types.go`, `discovery/v1/types.go`.

pub mod api_enum;
pub mod apps;
pub mod batch;
pub mod build;
pub mod endpoint_slice;
pub mod endpoints;
pub mod event;
pub mod meta;
pub mod node;
pub mod object;
pub mod pod;
pub mod pod_status;
pub mod probe_handler;
pub mod replication_controller;
pub mod service;
pub mod time;
pub mod workload;

pub use apps::{DaemonSet, DaemonSetSpec, StatefulSet, StatefulSetOrdinals, StatefulSetSpec};
pub use batch::{
    CronJob, CronJobSpec, CronJobStatus, Job, JobCondition, JobSpec, JobStatus, JobTemplate,
};
pub use endpoint_slice::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, ObjectReference,
};
pub use endpoints::{EndpointAddress, EndpointSubset, Endpoints};
pub use event::{Event, EventSeries, EventSource};
pub use meta::{DEFAULT_NAMESPACE, Labels, NamespacedName, ObjectMeta, OwnerReference};
pub use node::{Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo};
pub use object::{Namespace, NamespaceStatus, Object};
pub use pod::{Container, ContainerPort, EnvVar, Pod, PodReadinessGate, PodSpec, Probe};
pub use pod_status::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, PodCondition, PodIp, PodPhase, PodStatus,
};
pub use replication_controller::{ReplicationController, ReplicationControllerSpec};
pub use service::{
    IntOrString, IpFamily, Layer, LoadBalancerIngress, Protocol, Service, ServicePort, ServiceSpec,
    ServiceStatus, ServiceType, SessionAffinity, TrafficPolicy,
};
pub use time::{Epoch, TimeError};
pub use workload::{
    Deployment, DeploymentStatus, LabelSelector, LabelSelectorRequirement, PodTemplate, ReplicaSet,
    ReplicaSetStatus, WorkloadSpec,
};
