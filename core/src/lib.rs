//! svcplay-core: a deterministic simulation of Kubernetes Services.
//!
//! The core decides, the shell acts: a [`World`] takes [`Command`]s through
//! [`World::apply`] (validated, applied, controllers settled, recorded), advances only
//! when it is stepped ([`World::step`]), and reports what happened. It never touches a
//! DOM, a wall clock, the OS or the network, so the same seed and the same commands give
//! the same run natively, under `cargo test`, and in the browser.
//!
//! Module map, from the vocabulary up:
//! - `objects` (the Kubernetes vocabulary, keyed by `NamespacedName`; the API's string
//!   enums), `apps` (what a container runs, read from its command line: load generators
//!   and servers), `validation` (field errors in the API server's words), `labels` and
//!   `selector` (apimachinery's label selectors), `sim` (time, randomness, the timed
//!   queue), `limits` (every limit on what the playground is given, in one place);
//! - `apiserver` (defaults, allocation, one validation per kind, the Service registry),
//!   `proxy` (kube-proxy: balancing, traces, rules), `dns` (CoreDNS's kubernetes plugin,
//!   a pod's resolver, `nslookup`), `kubectl` (kubectl's printers and tables, and the
//!   console: kubectl's command lines against the world, for the page and `svcplay run`);
//! - `world` (the aggregate of owned parts: `Command`, `apply`, `step`, history and
//!   replay) and `controllers` (EndpointSlice, ReplicaSet, kubelet, scheduler: rules and
//!   drivers, one folder each);
//! - `manifest` (YAML in and out), `scenario` (the default picture and share links),
//!   `error`.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod apiserver;
pub mod apps;
pub mod controllers;
pub mod diagnose;
pub mod dns;
pub mod error;
pub mod kubectl;
pub mod labels;
pub mod lessons;
pub mod limits;
pub mod manifest;
pub mod objects;
pub mod proxy;
pub mod scenario;
pub mod selector;
pub mod sim;
pub mod sort;
pub mod validation;
pub mod world;

pub use error::CommandError;
pub use sim::{SimRng, SimTime};
pub use world::{Command, Event, Explanation, Reason, Request, World};
