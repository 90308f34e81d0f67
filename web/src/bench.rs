//! The stress scenario behind `?bench=frames`: 200 pods on 20 nodes and about 1,000
//! requests in flight. Built from the core's own scenario calls; no logic of its own.

use svcplay_core::World;
use svcplay_core::objects::Labels;

use crate::state::ScenarioKind;

/// Nodes in the stress world.
pub const NODES: usize = 20;
/// Deployments (and Services) in the stress world.
pub const APPS: usize = 10;
/// Replicas per Deployment: `APPS * REPLICAS` = 200 pods.
pub const REPLICAS: i32 = 20;
/// Requests per second per Service: with 900 ms flights, about 1,000 in flight.
pub const RATE_PER_SERVICE: u32 = 111;

/// The stress world.
pub fn stress_world(seed: u64) -> World {
    let mut w = World::new(seed);
    for n in 0..NODES {
        w.add_node(&format!("node-{n:02}"), &format!("zone-{}", n % 3));
    }
    for a in 0..APPS {
        let name = format!("app{a}");
        let labels = Labels::from([("app".to_owned(), name.clone())]);
        w.add_deployment(&name, labels.clone(), REPLICAS);
        w.add_service(&name, labels);
        w.add_client("loadgen", &name, RATE_PER_SERVICE);
    }
    w
}

/// The scenario a page URL's query string asks for: `?bench=frames` is the stress world.
pub fn scenario_from_query(query: &str) -> ScenarioKind {
    let stress = query
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == "bench=frames");
    if stress {
        ScenarioKind::Stress
    } else {
        ScenarioKind::Default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn stress_world_size() {
        let mut w = stress_world(1);
        assert_eq!(
            (w.nodes().len(), w.pods().len(), w.services().len()),
            (20, 201, 11),
            "200 app pods and the client pod; 10 Services and default/kubernetes"
        );
        w.step(3_000);
        w.drain_requests();
        w.step(900);
        let in_flight = w.drain_requests().len();
        assert!(
            (950..=1050).contains(&in_flight),
            "{in_flight} requests in 900 ms"
        );
    }

    #[test]
    fn query_selects_the_scenario() {
        assert_eq!(scenario_from_query("?bench=frames"), ScenarioKind::Stress);
        assert_eq!(
            scenario_from_query("?x=1&bench=frames"),
            ScenarioKind::Stress
        );
        assert_eq!(scenario_from_query(""), ScenarioKind::Default);
        assert_eq!(scenario_from_query("?bench=other"), ScenarioKind::Default);
    }
}
