//! svcplay-core: a deterministic simulation of Kubernetes Services.
//!
//! The core decides, the shell acts: a [`World`] takes commands, advances only when it
//! is stepped, and reports what happened. It never touches a DOM, a wall clock, the OS
//! or the network, so the same seed and the same commands give the same run natively,
//! under `cargo test`, and in the browser.
//!
//! Module map: `objects` (the Kubernetes vocabulary), `apps` (what a container runs,
//! read from its command line: load generators and servers), `sim` (time, randomness, the
//! timed-event queue), `controllers` (the controllers' rules as pure functions), `dns`
//! (cluster DNS as CoreDNS answers it, a pod's stub resolver, busybox's `nslookup`),
//! `world` (the aggregate, its commands and the incremental controllers), `scenario`
//! (the default picture), `kubectl` (kubectl's printers and table text).

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod apiserver;
pub mod apps;
pub mod controllers;
pub mod dns;
pub mod error;
pub mod kubectl;
pub mod labels;
pub mod manifest;
pub mod objects;
pub mod proxy;
pub mod scenario;
pub mod selector;
pub mod sim;
pub mod validation;
pub mod world;

pub use error::CommandError;
pub use sim::{SimRng, SimTime};
pub use world::{Event, Explanation, Reason, Request, World};
