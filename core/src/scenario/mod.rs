//! Scenarios: the empty cluster an import starts from, any scenario packed into a link (`share`, its JSON in `share_json`) and
//! the built-in scenarios ([`BuiltIn`]): the default picture from the classic
//! explanation of Services, the seed's opening (a frontend calling its backend by pod IP
//! or by Service name, `chains`), and long-lived gRPC connections through a scale-up
//! (`grpc`).
//!
//! The default scenario:
//!
//! Two nodes; a Deployment `dev` with one pod labelled `app=dev` and a Deployment `prod`
//! with two pods labelled `app=prod`; Services `dev` and `prod` selecting them; a client
//! inside the cluster (the pod `client`, labelled `app=client`, selected by no Service)
//! sending requests to each (see ../shared/STORY.md); and a user outside the cluster
//! (198.51.100.7) sending to `prod` at a modest rate: while `prod` is a ClusterIP
//! Service those requests are unreachable, and they flow once it is made NodePort or
//! LoadBalancer (the cloud's load-balancer pool is 203.0.113.10–19).
//!
//! Every app pod runs one container `web` (agnhost `netexec` on port `http` 8080/TCP)
//! with a readiness probe at the API defaults; each Service has port `http` 80 with
//! `targetPort: http`. The client pod runs fortio twice, `fortio load -qps 4` to
//! `http://dev/hostname` and `-qps 8` to `http://prod/hostname`, each with `-c 1 -t 0
//! -keepalive=false`: a new connection per request, so kube-proxy spreads them over
//! the pods. Pods start 2 s after they are created and pass their first probe at once,
//! so at 2 s every pod is Ready and every Service has one EndpointSlice.

use crate::objects::NamespacedName;
use crate::objects::build::{
    app, client_pod, fortio_container, http_service, node_in_zone, web_deployment,
};
use crate::world::{ClientSpec, Command, World};

pub mod chains;
mod format;
pub mod grpc;
pub mod limits;
pub mod share;
mod share_json;

/// A scenario the playground offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltIn {
    /// The default picture.
    Default,
    /// The seed's opening: a frontend calling its backend by pod IP or by Service name.
    PodIpVsServiceName,
    /// A gRPC client's one connection through a scale-up.
    GrpcScaleUp,
}

impl BuiltIn {
    /// Every built-in scenario, in the order the page lists them.
    pub const ALL: [BuiltIn; 3] = [
        BuiltIn::Default,
        BuiltIn::PodIpVsServiceName,
        BuiltIn::GrpcScaleUp,
    ];

    /// A stable id (`default`, `pod-ip`, `grpc`).
    pub fn id(self) -> &'static str {
        match self {
            BuiltIn::Default => "default",
            BuiltIn::PodIpVsServiceName => "pod-ip",
            BuiltIn::GrpcScaleUp => "grpc",
        }
    }

    /// The scenario with this [`BuiltIn::id`].
    pub fn from_id(id: &str) -> Option<BuiltIn> {
        BuiltIn::ALL.into_iter().find(|b| b.id() == id)
    }

    /// A one-line title.
    pub fn title(self) -> &'static str {
        match self {
            BuiltIn::Default => "Services: dev and prod",
            BuiltIn::PodIpVsServiceName => "A pod's IP or the Service's name",
            BuiltIn::GrpcScaleUp => "gRPC connections through a scale-up",
        }
    }

    /// The commands that build it in an empty world of `seed`.
    pub fn commands(self, seed: u64) -> Vec<Command> {
        match self {
            BuiltIn::Default => default_commands(),
            BuiltIn::PodIpVsServiceName => chains::commands(seed),
            BuiltIn::GrpcScaleUp => grpc::commands(),
        }
    }

    /// The scenario's world.
    pub fn world(self, seed: u64) -> World {
        let mut w = World::new(seed);
        for c in self.commands(seed) {
            // Built-in scenarios are constants, valid by construction (their tests
            // check them); a refusal would leave the world emptier, never broken.
            let _ = w.apply(c);
        }
        w
    }
}

/// The outside user's address (TEST-NET-2, RFC 5737).
pub const EXTERNAL_USER_IP: std::net::IpAddr =
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

/// The seed the playground opens with.
pub const DEFAULT_SEED: u64 = 2026;

/// The commands that build the default scenario in an empty world.
pub fn default_commands() -> Vec<Command> {
    let (dev, prod) = (
        NamespacedName::default_ns("dev"),
        NamespacedName::default_ns("prod"),
    );
    vec![
        Command::Create {
            objects: vec![
                node_in_zone("node-a", "zone-a").into(),
                node_in_zone("node-b", "zone-b").into(),
                web_deployment(&dev, app("dev"), 1).into(),
                web_deployment(&prod, app("prod"), 2).into(),
                http_service(&dev, app("dev")).into(),
                http_service(&prod, app("prod")).into(),
                client_pod(
                    &NamespacedName::default_ns("client"),
                    vec![
                        fortio_container("dev", "http://dev/hostname", 4, 1, false),
                        fortio_container("prod", "http://prod/hostname", 8, 1, false),
                    ],
                )
                .into(),
            ],
        },
        Command::AddClient {
            client: ClientSpec::external("user", prod, EXTERNAL_USER_IP, 2),
        },
    ]
}

/// The default world, with a seed.
#[allow(clippy::expect_used)]
pub fn default_world(seed: u64) -> World {
    let mut w = World::new(seed);
    for c in default_commands() {
        // The default scenario is a constant, valid by construction (its tests check
        // it); no user input reaches this.
        w.apply(c).expect("the default scenario applies");
    }
    w
}

/// The nodes of an empty cluster, one per zone.
pub const EMPTY_CLUSTER_NODES: [(&str, &str); 3] = [
    ("node-1", "zone-a"),
    ("node-2", "zone-b"),
    ("node-3", "zone-c"),
];

/// The command that makes an empty cluster: three nodes join (as `kind create cluster`
/// or a cloud's node pool gives them); nothing else exists but the API server's own
/// `default/kubernetes` Service and the system namespaces.
pub fn empty_cluster_commands() -> Vec<Command> {
    vec![Command::JoinNodes {
        nodes: EMPTY_CLUSTER_NODES
            .iter()
            .map(|(name, zone)| node_in_zone(name, zone))
            .collect(),
    }]
}

/// An empty cluster, with a seed.
#[allow(clippy::expect_used)]
pub fn empty_cluster(seed: u64) -> World {
    let mut w = World::new(seed);
    for c in empty_cluster_commands() {
        // Three fresh nodes with default addresses in an empty world: valid by
        // construction (its test checks it).
        w.apply(c).expect("the empty cluster applies");
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_empty_cluster_has_three_nodes_and_nothing_to_export() {
        let w = empty_cluster(1);
        assert_eq!(w.nodes().len(), 3);
        assert!(w.nodes().keys().all(|n| w.is_provisioned_node(n)));
        assert_eq!(crate::manifest::export_world(&w), "");
        assert_eq!(default_world(1).nodes().len(), 2);
    }
}
