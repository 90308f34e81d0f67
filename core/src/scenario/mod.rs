//! Scenarios: the default picture, and any scenario packed into a link (`share`, its
//! JSON in `share_json`).
//!
//! The default scenario is the picture from the classic explanation of Services.
//! Two nodes; a Deployment `dev` with one pod labelled `app=dev` and a Deployment `prod`
//! with two pods labelled `app=prod`; Services `dev` and `prod` selecting them; a client
//! inside the cluster (the pod `client`, labelled `app=client`, selected by no Service)
//! sending requests to each (see ../shared/STORY.md); and a user outside the cluster
//! (198.51.100.7) sending to `prod` at a modest rate: while `prod` is a ClusterIP
//! Service those requests are unreachable, and they flow once it is made NodePort or
//! LoadBalancer (the cloud's load-balancer pool is 203.0.113.10–19).
//!
//! Every pod runs one container `web` with port `http` 8080/TCP and a readiness probe at
//! the API defaults; each Service has port `http` 80 with `targetPort: http`. Pods start
//! 2 s after they are created and pass their first probe at once, so at 2 s every pod is
//! Ready and every Service has one EndpointSlice.

mod format;
pub mod limits;
pub mod share;
mod share_json;

use crate::objects::NamespacedName;
use crate::objects::build::{app, http_service, node_in_zone, web_deployment};
use crate::world::{ClientSpec, Command, World};

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
            ],
        },
        Command::AddClient {
            client: ClientSpec::in_cluster("client", dev, 4),
        },
        Command::AddClient {
            client: ClientSpec::in_cluster("client", prod.clone(), 8),
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
