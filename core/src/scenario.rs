//! The default scenario: the picture from the classic explanation of Services.
//!
//! Two nodes; a Deployment `dev` with one pod labelled `app=dev` and a Deployment `prod`
//! with two pods labelled `app=prod`; Services `dev` and `prod` selecting them; a client
//! inside the cluster sending requests to each (see ../shared/STORY.md).
//!
//! Every pod runs one container `web` with port `http` 8080/TCP and a readiness probe at
//! the API defaults; each Service has port `http` 80 with `targetPort: http`. Pods start
//! 2 s after they are created and pass their first probe at once, so at 2 s every pod is
//! Ready and every Service has one EndpointSlice.

use crate::objects::Labels;
use crate::world::World;

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
    w
}
