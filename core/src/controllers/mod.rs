//! The controllers, one folder each with its rules and its driver: `endpointslice`
//! (which pods are endpoints, slice packing, the incremental sync), `replicaset` (the
//! scale-down order, the sync), `kubelet` (the probe state machine, pod lifecycle and
//! timed events), and `scheduler`.
//!
//! Rules are pure functions of objects, so tests, the explain view and the sync share
//! them; drivers are `impl World` blocks that read and write the world's owned parts
//! and are called by `World::settle` and `World::step` (`crate::world`).

pub mod endpointslice;
pub mod kubelet;
pub mod replicaset;
pub mod scheduler;
