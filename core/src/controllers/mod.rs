//! The controllers, one folder each with its rules and its driver: `endpointslice`
//! (which pods are endpoints, slice packing, the incremental sync), `replicaset` (the
//! scale-down order, the sync), `replicationcontroller` (the ReplicaSet's sync over a
//! ReplicationController), `statefulset` (ordinal names, ordered start), `daemonset`
//! (a pod per eligible node), `job` (pods that run to completion), `cronjob` (the cron
//! schedule, runs and history), `kubelet` (the probe state machine, pod lifecycle and
//! timed events), and `scheduler`; `template_hash` names template revisions.
//!
//! Rules are pure functions of objects, so tests, the explain view and the sync share
//! them; drivers are `impl World` blocks that read and write the world's owned parts
//! and are called by `World::settle` and `World::step` (`crate::world`).

pub mod cronjob;
pub mod daemonset;
pub mod endpointslice;
pub mod job;
pub mod kubelet;
pub mod replicaset;
pub mod replicationcontroller;
pub mod scheduler;
pub mod statefulset;
pub mod template_hash;
