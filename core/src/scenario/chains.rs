//! The seed's opening, as a scenario: two frontends call the same backend for every
//! request they serve; `frontend-ip` was configured with the backend pod's IP, and
//! `frontend-dns` with the Service's name. Kill the backend pod: its replacement gets a
//! new IP, `frontend-ip`'s calls time out and it answers 500, while `frontend-dns`
//! resolves `backend` to the Service's ClusterIP and keeps working.
//!
//! The frontends run nicholasjackson/fake-service, which declares its upstream in its
//! environment (`UPSTREAM_URIS`); the backend runs agnhost `netexec` (without
//! `--delay-shutdown`, it exits as soon as it is deleted). A client pod runs fortio to
//! each frontend, a new connection per request.

use crate::World;
use crate::objects::build::{AGNHOST_IMAGE, app, client_pod, fortio_container, node_in_zone};
use crate::objects::{
    Container, ContainerPort, Deployment, EnvVar, IntOrString, LabelSelector, Labels,
    NamespacedName, Object, ObjectMeta, Probe, Protocol, Service, ServicePort,
};
use crate::world::Command;

/// The image of the frontends.
pub const FAKE_SERVICE_IMAGE: &str = "nicholasjackson/fake-service:v0.26.2";

fn deployment(name: &str, container: Container) -> Deployment {
    let labels = app(name);
    let mut d = Deployment {
        metadata: ObjectMeta::named("default", name),
        ..Default::default()
    };
    d.spec.replicas = Some(1);
    d.spec.selector = Some(LabelSelector {
        match_labels: labels.clone(),
        match_expressions: Vec::new(),
    });
    d.spec.template.metadata.labels = labels;
    d.spec.template.spec.containers = vec![container];
    d
}

fn service(name: &str, target: u16, selector: Labels) -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named("default", name),
        ..Default::default()
    };
    s.spec.selector = Some(selector);
    s.spec.ports = vec![ServicePort {
        name: "http".to_owned(),
        protocol: Protocol::Tcp,
        port: 80,
        target_port: IntOrString::Int(i32::from(target)),
        ..Default::default()
    }];
    s
}

fn frontend(name: &str, upstream: &str) -> Container {
    let env = |k: &str, v: &str| EnvVar {
        name: k.to_owned(),
        value: v.to_owned(),
    };
    Container {
        name: "frontend".to_owned(),
        image: FAKE_SERVICE_IMAGE.to_owned(),
        env: vec![
            env("NAME", name),
            env("LISTEN_ADDR", "0.0.0.0:9090"),
            env("UPSTREAM_URIS", upstream),
        ],
        ports: vec![ContainerPort {
            name: "http".to_owned(),
            container_port: 9090,
            protocol: Protocol::Tcp,
        }],
        readiness_probe: Some(Probe::default()),
        ..Default::default()
    }
}

/// The objects, with `backend_ip` as `frontend-ip`'s upstream address.
fn objects(backend_ip: &str) -> Vec<Object> {
    let backend = Container {
        name: "backend".to_owned(),
        image: AGNHOST_IMAGE.to_owned(),
        args: vec!["netexec".to_owned(), "--http-port=8080".to_owned()],
        ports: vec![ContainerPort {
            name: "http".to_owned(),
            container_port: 8080,
            protocol: Protocol::Tcp,
        }],
        readiness_probe: Some(Probe::default()),
        ..Default::default()
    };
    vec![
        node_in_zone("node-a", "zone-a").into(),
        node_in_zone("node-b", "zone-b").into(),
        deployment("backend", backend).into(),
        service("backend", 8080, app("backend")).into(),
        deployment(
            "frontend-ip",
            frontend("frontend-ip", &format!("http://{backend_ip}:8080")),
        )
        .into(),
        service("frontend-ip", 9090, app("frontend-ip")).into(),
        deployment("frontend-dns", frontend("frontend-dns", "http://backend")).into(),
        service("frontend-dns", 9090, app("frontend-dns")).into(),
        client_pod(
            &NamespacedName::default_ns("client"),
            vec![
                fortio_container("frontend-ip", "http://frontend-ip/", 4, 1, false),
                fortio_container("frontend-dns", "http://frontend-dns/", 4, 1, false),
            ],
        )
        .into(),
    ]
}

/// The commands that build the scenario in an empty world of `seed`: the backend pod's
/// IP is the one it gets in that world (found by building it once; the address a pod
/// gets does not depend on what the frontends are configured with).
pub fn commands(seed: u64) -> Vec<Command> {
    let mut probe = World::new(seed);
    let _ = probe.apply(Command::Create {
        objects: objects("0.0.0.0"),
    });
    probe.step(crate::world::POD_START_MILLIS + 1);
    let ip = probe
        .pods()
        .values()
        .find(|p| p.metadata.name.starts_with("backend-"))
        .map(|p| p.status.pod_ip.clone())
        .unwrap_or_default();
    vec![Command::Create {
        objects: objects(&ip),
    }]
}
