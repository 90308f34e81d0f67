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

pub mod share;
mod share_json;

use crate::objects::Labels;
use crate::world::World;

/// The outside user's address (TEST-NET-2, RFC 5737).
pub const EXTERNAL_USER_IP: std::net::IpAddr =
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

/// The seed the playground opens with.
pub const DEFAULT_SEED: u64 = 2026;

fn app(value: &str) -> Labels {
    Labels::from([("app".to_owned(), value.to_owned())])
}

/// The default world, with a seed.
pub fn default_world(seed: u64) -> World {
    let mut w = World::new(seed);
    w.add_node("node-a", "zone-a");
    w.add_node("node-b", "zone-b");
    w.add_deployment("dev", app("dev"), 1);
    w.add_deployment("prod", app("prod"), 2);
    w.add_service("dev", app("dev"));
    w.add_service("prod", app("prod"));
    w.add_client("client", "dev", 4);
    w.add_client("client", "prod", 8);
    w.add_external_client("user", "prod", EXTERNAL_USER_IP, 2);
    w
}
