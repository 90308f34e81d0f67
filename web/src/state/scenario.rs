//! The worlds the playground starts from: the core's built-in scenarios (the default
//! one, the seed's pod IP vs Service name, gRPC through a scale-up; each through its
//! manifests so that it runs exactly as its shared link does), picked in the toolbar,
//! and the stress scenario behind `?bench=frames` (200 pods on 20 nodes, about 1,000
//! requests in flight). All are built from the core's commands; no logic of their own.

use svcplay_core::World;
use svcplay_core::objects::build::{
    app, client_pod, fortio_container, http_service, node_in_zone, web_deployment,
};
use svcplay_core::objects::{NamespacedName, Object};
use svcplay_core::scenario::share::{Scenario, Settings, scenario_to_world, world_to_scenario};
use svcplay_core::scenario::{BuiltIn, DEFAULT_SEED};
use svcplay_core::world::Command;

/// Nodes in the stress world.
pub const NODES: usize = 20;
/// Deployments (and Services) in the stress world.
pub const APPS: usize = 10;
/// Replicas per Deployment: `APPS * REPLICAS` = 200 pods.
pub const REPLICAS: i32 = 20;
/// Requests per second per Service: with 900 ms flights, about 1,000 in flight.
pub const RATE_PER_SERVICE: u32 = 111;

/// Which world Reset rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScenarioKind {
    /// STORY.md's picture: two nodes, `dev` and `prod`.
    #[default]
    Default,
    /// The seed's opening: a frontend calling its backend by pod IP or by name.
    PodIp,
    /// A gRPC client's one connection through a scale-up.
    Grpc,
    /// The benchmark: 200 pods on 20 nodes, ~1,000 requests in flight.
    Stress,
    /// An empty cluster: three nodes, nothing else (the start for an import).
    Empty,
}

impl ScenarioKind {
    /// The scenarios the toolbar offers, in order.
    pub const PICKABLE: [ScenarioKind; 3] = [
        ScenarioKind::Default,
        ScenarioKind::PodIp,
        ScenarioKind::Grpc,
    ];

    /// The core's built-in scenario, for all but the stress world.
    pub fn built_in(self) -> Option<BuiltIn> {
        match self {
            ScenarioKind::Default => Some(BuiltIn::Default),
            ScenarioKind::PodIp => Some(BuiltIn::PodIpVsServiceName),
            ScenarioKind::Grpc => Some(BuiltIn::GrpcScaleUp),
            ScenarioKind::Stress => None,
            ScenarioKind::Empty => None,
        }
    }

    /// The kind of a built-in scenario's id (`default`, `pod-ip`, `grpc`).
    pub fn from_id(id: &str) -> Option<ScenarioKind> {
        ScenarioKind::PICKABLE
            .into_iter()
            .find(|k| k.built_in().is_some_and(|b| b.id() == id))
    }

    /// A fresh world of this kind.
    pub fn world(self) -> World {
        match self.built_in() {
            Some(BuiltIn::Default) => default_world(),
            Some(b) => through_manifests(b),
            None if self == ScenarioKind::Empty => {
                svcplay_core::scenario::empty_cluster(DEFAULT_SEED)
            }
            None => stress_world(DEFAULT_SEED),
        }
    }
}

/// A built-in scenario's world, built from its exported scenario (as its link runs).
fn through_manifests(b: BuiltIn) -> World {
    let world = b.world(DEFAULT_SEED);
    scenario_to_world(&world_to_scenario(
        &world,
        DEFAULT_SEED,
        Settings::default(),
    ))
    .unwrap_or(world)
}

/// The scenario the playground opens with (and Reset returns to): the core's default
/// world, through its manifests, so that it runs exactly as its shared link does.
pub fn default_scenario() -> Scenario {
    let world = svcplay_core::scenario::default_world(DEFAULT_SEED);
    world_to_scenario(&world, DEFAULT_SEED, Settings::default())
}

/// The world of [`default_scenario`] (the core's default world should it not build).
pub fn default_world() -> World {
    scenario_to_world(&default_scenario())
        .unwrap_or_else(|_| svcplay_core::scenario::default_world(DEFAULT_SEED))
}

/// The commands that build the stress world.
pub fn stress_commands() -> Vec<Command> {
    let mut objects: Vec<Object> = (0..NODES)
        .map(|n| node_in_zone(&format!("node-{n:02}"), &format!("zone-{}", n % 3)).into())
        .collect();
    let mut generators = Vec::new();
    for a in 0..APPS {
        let key = NamespacedName::default_ns(&format!("app{a}"));
        let labels = app(&key.name);
        objects.push(web_deployment(&key, labels.clone(), REPLICAS).into());
        objects.push(http_service(&key, labels).into());
        // A new connection per request: the per-request cost at its highest (DNS, the
        // rules, conntrack every time).
        let url = format!("http://{}/hostname", key.name);
        generators.push(fortio_container(
            &key.name,
            &url,
            RATE_PER_SERVICE,
            1,
            false,
        ));
    }
    objects.push(client_pod(&NamespacedName::default_ns("loadgen"), generators).into());
    vec![Command::Create { objects }]
}

/// The stress world.
pub fn stress_world(seed: u64) -> World {
    let mut w = World::new(seed);
    for c in stress_commands() {
        // Constant objects, valid by construction (`stress_world_size` checks them).
        let _ = w.apply(c);
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
            (20, 201, 12),
            "200 app pods and the client pod; 10 Services, default/kubernetes and kube-system/kube-dns"
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
