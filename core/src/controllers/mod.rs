//! The controllers' rules as pure functions: which pods are endpoints and how slices are
//! packed, the readiness-probe state machine, and the ReplicaSet's scale-down order.
//!
//! The world (`crate::world`) owns the state and calls these; keeping the rules free of
//! state lets tests, the explain command and the incremental sync share them.

pub mod endpoints;
pub mod probe;
pub mod replica_set;
pub mod slices;
