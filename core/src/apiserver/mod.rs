//! The API server's Service machinery: defaults, allocation, validation, registry.
//!
//! Module map: `bitmap` (the band-aware allocator bitmap), `cluster_ip` and
//! `node_port` (the two allocators).

pub mod bitmap;
pub mod cluster_ip;
pub mod node_port;
