//! kube-proxy: how each node turns Services and endpoints into a data path.
//!
//! Inputs are plain values the world derives from its objects: [`ServicePortInfo`] (one
//! per Service port, see [`ServicePortInfo::from_service`]), [`Endpoint`] (one per
//! EndpointSlice endpoint of that port) and [`NodeInfo`]. [`Dataplane::sync`] programs
//! every node, as kube-proxy's `syncProxyRules` does; [`Dataplane::route`] then follows
//! one new connection through it and returns a [`Trace`]; [`Dataplane::connect`] also
//! records it in the connection-tracking table, so its later packets stay on the same
//! endpoint until [`Dataplane::disconnect`]. The rules a node would hold
//! are rendered, line for line as kube-proxy writes them, by [`rules_iptables::render`]
//! and [`rules_nft::render`] (settings in [`RulesConfig`]).
//!
//! Module map: `categorize` (which endpoints a node uses), `balance` (iptables/nftables
//! random, IPVS rr/lc/sh), `affinity` (ClientIP stickiness), `dataplane` (the per-node
//! tables, routing, conntrack, and [`Dataplane::expected_split`]: where a client's connections go
//! in the long run), `trace` (the request/answer types), `chain_names` (kube-proxy's
//! hashed chain names), `sloppy` (kube-proxy's address parsing), `slices` (endpoints
//! from EndpointSlices), `rules_plan` (renderer settings and per-port decisions),
//! `rules_iptables`, `rules_nft`.

pub mod affinity;
pub mod balance;
pub mod categorize;
pub mod chain_names;
pub mod dataplane;
pub mod rules_iptables;
pub mod rules_nft;
pub mod rules_plan;
pub mod slices;
pub mod sloppy;
pub mod trace;
mod types;

pub use balance::{Close, IpvsScheduler, ProxyMode};
pub use categorize::{Categorized, categorize};
pub use dataplane::{
    ConnId, ConnRef, Conntrack, Dataplane, PortPatch, ProxyConfig, Split, Tracked,
};
pub use rules_plan::RulesConfig;
pub use trace::{Client, DropReason, Hop, Outcome, RefuseReason, Request, Trace, Unreachable};
pub use types::{Endpoint, NodeInfo, Protocol, ServicePortInfo, ServicePortName};
