//! The world at Kubernetes' published scalability limits, built phase by phase: the
//! cluster benchmarks, the `limits` example (peak memory) and the page's
//! `?bench=limits` all build this same world, so their figures describe one thing.
//!
//! The limits: 5,000 nodes, 150,000 pods (≤ 110 per node), 10,000 Services
//! (kubernetes.io "Considerations for large clusters"). Here: 5,000 nodes in 3 zones,
//! 10,000 Deployments of 15 replicas and one Service per Deployment, each object
//! created by its own command (the worst case: no bulk path), then one step of 2 s in
//! which every pod starts, passes its first probe and becomes an endpoint.
//!
//! Simplification: the playground's own caps (`crate::limits`) are far below these; this
//! world is built by code, with [`ClusterConfig::max_pods`] raised, never from user input.

use crate::CommandError;
use crate::objects::build::{http_service, node_in_zone, web_deployment};
use crate::objects::{Labels, NamespacedName};
use crate::world::{ClusterConfig, Command, World};

/// The size of a limits world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Nodes.
    pub nodes: usize,
    /// Services, each with one Deployment.
    pub services: usize,
    /// Replicas of each Deployment.
    pub replicas: usize,
}

impl Shape {
    /// Kubernetes' limits divided by `scale` (1: 5,000 nodes, 10,000 Services of 15
    /// pods; 4: a quarter of each).
    pub fn limits(scale: usize) -> Shape {
        let scale = scale.max(1);
        Shape {
            nodes: 5_000 / scale,
            services: 10_000 / scale,
            replicas: 15,
        }
    }

    /// How many pods the shape asks for.
    pub fn pods(&self) -> usize {
        self.services * self.replicas
    }
}

/// The label of Service `i`'s pods: `app=svc-<i>`.
pub fn app_of(i: usize) -> Labels {
    Labels::from([("app".to_owned(), format!("svc-{i}"))])
}

/// An empty world whose pod limit allows `shape`.
pub fn empty(seed: u64) -> Result<World, CommandError> {
    let config = ClusterConfig {
        max_pods: u32::MAX,
        ..ClusterConfig::default()
    };
    World::with_config(seed, config)
}

/// Phase 1: `shape.nodes` nodes, one command each, in 3 zones.
pub fn add_nodes(w: &mut World, shape: &Shape) -> Result<(), CommandError> {
    for n in 0..shape.nodes {
        let node = node_in_zone(&format!("node-{n:05}"), &format!("zone-{}", n % 3));
        w.apply(Command::Create {
            objects: vec![node.into()],
        })?;
    }
    Ok(())
}

/// Phase 2: one Deployment per Service, one command each (pods are created and
/// scheduled, not started).
pub fn add_deployments(w: &mut World, shape: &Shape) -> Result<(), CommandError> {
    let replicas = i32::try_from(shape.replicas).unwrap_or(i32::MAX);
    for i in 0..shape.services {
        let key = NamespacedName::default_ns(&format!("dep-{i:05}"));
        w.apply(Command::Create {
            objects: vec![web_deployment(&key, app_of(i), replicas).into()],
        })?;
    }
    Ok(())
}

/// Phase 3: the Services, one command each.
pub fn add_services(w: &mut World, shape: &Shape) -> Result<(), CommandError> {
    for i in 0..shape.services {
        let key = NamespacedName::default_ns(&format!("svc-{i:05}"));
        w.apply(Command::Create {
            objects: vec![http_service(&key, app_of(i)).into()],
        })?;
    }
    Ok(())
}

/// Phase 4, the first reconcile: 2 simulated seconds in which every pod starts, is
/// probed Ready and becomes an endpoint, and kube-proxy is programmed.
pub fn first_reconcile(w: &mut World) {
    w.step(2_000);
}

/// The whole world, reconciled.
pub fn build(seed: u64, shape: &Shape) -> Result<World, CommandError> {
    let mut w = empty(seed)?;
    add_nodes(&mut w, shape)?;
    add_deployments(&mut w, shape)?;
    add_services(&mut w, shape)?;
    first_reconcile(&mut w);
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_small_limits_world_is_fully_ready() {
        let shape = Shape::limits(500);
        assert_eq!((shape.nodes, shape.services, shape.pods()), (10, 20, 300));
        let w = build(1, &shape).unwrap();
        assert_eq!(w.nodes().len(), 10);
        assert_eq!(w.pods().len(), 300);
        assert_eq!(
            w.pods().values().filter(|p| World::is_serving(p)).count(),
            300
        );
        // One slice of 15 endpoints per Service.
        let key = NamespacedName::default_ns("svc-00007");
        let slices = w.endpoint_slices_for(&key);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0].endpoints.len(), 15);
    }
}
