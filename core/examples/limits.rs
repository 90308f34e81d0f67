//! Builds the world at Kubernetes' limits once, phase by phase, and prints each
//! phase's wall time and the process's memory: the one-shot companion of
//! `benches/scale.rs`, for `/usr/bin/time -v` (peak RSS) and for running an old and a
//! new build alternately.
//!
//! Run: `cargo run --release -p svcplay-core --example limits -- [scale]` (scale 1, the
//! default, is the full limits: 5,000 nodes, 150,000 pods, 10,000 Services; 4 is a
//! quarter).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/memory.rs"]
mod memory;

use std::time::Instant;

use memory::memory;

use svcplay_core::World;
use svcplay_core::scenario::limits::{self, Shape};

fn main() {
    let scale: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let shape = Shape::limits(scale);
    let total = Instant::now();
    let mut w = limits::empty(1).unwrap();
    let t = Instant::now();
    limits::add_nodes(&mut w, &shape).unwrap();
    let nodes = t.elapsed();
    let t = Instant::now();
    limits::add_deployments(&mut w, &shape).unwrap();
    let deployments = t.elapsed();
    let t = Instant::now();
    limits::add_services(&mut w, &shape).unwrap();
    let services = t.elapsed();
    let (built, _) = memory();
    let t = Instant::now();
    limits::first_reconcile(&mut w);
    let reconcile = t.elapsed();
    let all = total.elapsed();
    let (ready, peak) = memory();
    let serving = w.pods().values().filter(|p| World::is_serving(p)).count();
    assert_eq!(
        serving,
        shape.pods(),
        "every pod serves after the first reconcile"
    );
    println!(
        "limits scale 1/{scale}: {} nodes, {} pods, {} services, {} slices",
        w.nodes().len(),
        w.pods().len(),
        shape.services,
        w.endpoint_slices().len()
    );
    println!(
        "phases ms: nodes {:.1} deployments {:.1} services {:.1} first_reconcile {:.1} total {:.1}",
        nodes.as_secs_f64() * 1e3,
        deployments.as_secs_f64() * 1e3,
        services.as_secs_f64() * 1e3,
        reconcile.as_secs_f64() * 1e3,
        all.as_secs_f64() * 1e3
    );
    println!("memory MiB: built {built:.0} reconciled {ready:.0} peak {peak:.0}");
}
