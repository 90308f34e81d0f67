//! What the API server does to objects: defaults, allocation, validation per kind, and
//! the Service registry.
//!
//! Module map: `defaults` (`SetDefaults_Service`), `bitmap` (the band-aware allocator
//! bitmap), `cluster_ip` and `node_port` (the two allocators), `load_balancer` (a
//! simulated cloud LB controller), `validate_service`, `validate_ips` and
//! `validate_meta` (`ValidateService`, `ValidateServiceUpdate`), `validate_pod`,
//! `validate_workload` (Pods, Deployments, ReplicaSets, ReplicationControllers),
//! `validate_apps` (StatefulSets, DaemonSets), `validate_batch` (Jobs, CronJobs),
//! `defaults_workload` (the workloads' defaults and the Job's generated selector),
//! `validate` (one validation per kind, and the refusal), `service_registry` (create, update, delete with allocation
//! as one transaction; `alloc` holds the transaction).
//!
//! Simplification: one IP family per cluster (IPv4 by default; an IPv6 Service CIDR
//! works too), so dual-stack Services are refused at allocation.

mod alloc;
pub mod bitmap;
pub mod cluster_ip;
pub mod defaults;
pub mod defaults_workload;
pub mod load_balancer;
pub mod node_port;
pub mod service_registry;
pub mod validate;
pub mod validate_apps;
pub mod validate_batch;
pub mod validate_ips;
pub mod validate_meta;
pub mod validate_pod;
pub mod validate_service;
pub mod validate_workload;

#[cfg(test)]
mod registry_tests;
#[cfg(test)]
mod validate_tests;

pub use service_registry::{RegistryConfig, ServiceRegistry};
