//! Long-lived connections and a scale-up (kubernetes/kubernetes#38456, #66970,
//! #101887): a Deployment `backend` of two `fortio server` pods behind a Service with a
//! gRPC port (8079) and an HTTP port (80 → 8080); a gRPC client (`fortio load -grpc
//! -ping -c 1`, one connection carrying every request) and an HTTP client opening a
//! new connection per request (`-keepalive=false`). Scale `backend` to 6: the HTTP
//! client spreads over all six at once, the gRPC client stays on its pod until its
//! connection closes (its pod goes, or the client restarts).

use crate::objects::build::{FORTIO_IMAGE, app, client_pod, fortio_container, node_in_zone};
use crate::objects::{
    Container, ContainerPort, Deployment, IntOrString, LabelSelector, NamespacedName, Object,
    ObjectMeta, Probe, Protocol, Service, ServicePort,
};
use crate::world::Command;

/// The backend Deployment and Service's name.
pub const BACKEND: &str = "backend";

/// How many backend pods the scenario starts with.
pub const REPLICAS: i32 = 2;

fn port(name: &str, port: i32) -> ContainerPort {
    ContainerPort {
        name: name.to_owned(),
        container_port: port,
        protocol: Protocol::Tcp,
    }
}

/// The objects of the scenario.
pub fn objects() -> Vec<Object> {
    let labels = app(BACKEND);
    let mut d = Deployment {
        metadata: ObjectMeta::named("default", BACKEND),
        ..Default::default()
    };
    d.spec.replicas = Some(REPLICAS);
    d.spec.selector = Some(LabelSelector {
        match_labels: labels.clone(),
        match_expressions: Vec::new(),
    });
    d.spec.template.metadata.labels = labels.clone();
    d.spec.template.spec.containers = vec![Container {
        name: "fortio".to_owned(),
        image: FORTIO_IMAGE.to_owned(),
        args: vec!["server".to_owned()],
        ports: vec![port("grpc", 8079), port("http", 8080)],
        readiness_probe: Some(Probe::default()),
        ..Default::default()
    }];
    let mut s = Service {
        metadata: ObjectMeta::named("default", BACKEND),
        ..Default::default()
    };
    s.spec.selector = Some(labels);
    s.spec.ports = vec![
        ServicePort {
            name: "grpc".to_owned(),
            protocol: Protocol::Tcp,
            port: 8079,
            target_port: IntOrString::String("grpc".to_owned()),
            ..Default::default()
        },
        ServicePort {
            name: "http".to_owned(),
            protocol: Protocol::Tcp,
            port: 80,
            target_port: IntOrString::String("http".to_owned()),
            ..Default::default()
        },
    ];
    let mut grpc = fortio_container("grpc", "backend:8079", 20, 1, true);
    // `-grpc -ping`: gRPC ping calls, every one on the client's one connection.
    grpc.args
        .splice(1..1, ["-grpc".to_owned(), "-ping".to_owned()]);
    vec![
        node_in_zone("node-a", "zone-a").into(),
        node_in_zone("node-b", "zone-b").into(),
        d.into(),
        s.into(),
        client_pod(&NamespacedName::default_ns("grpc-client"), vec![grpc]).into(),
        client_pod(
            &NamespacedName::default_ns("http-client"),
            vec![fortio_container("http", "http://backend/", 20, 1, false)],
        )
        .into(),
    ]
}

/// The commands that build the scenario in an empty world.
pub fn commands() -> Vec<Command> {
    vec![Command::Create { objects: objects() }]
}
