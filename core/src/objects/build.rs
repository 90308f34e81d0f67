//! The playground's own objects, made the way its default scenario and tests make them:
//! a Deployment running the `web` container (agnhost `netexec`), a Service in front of
//! it, a Node in a zone, a client pod running fortio. Plain values: the world creates
//! them through [`crate::world::Command::Create`].

use super::node::ZONE_LABEL;
use super::{
    Container, ContainerPort, Deployment, IntOrString, LabelSelector, Labels, NamespacedName, Node,
    Object, ObjectMeta, Pod, Probe, Protocol, Service, ServicePort,
};

/// The image of Kubernetes' own e2e test servers.
pub const AGNHOST_IMAGE: &str = "registry.k8s.io/e2e-test-images/agnhost:2.53";

/// The image of the fortio load generator (and server).
pub const FORTIO_IMAGE: &str = "fortio/fortio";

/// The container the playground's own Deployments run: `web`, agnhost `netexec` on port
/// `http` 8080/TCP, answering `/hostname` with the pod's name and serving on for 30 s
/// after SIGTERM (`--delay-shutdown=30`, the default grace period), with a readiness
/// probe at the API defaults (period 10 s, success 1, failure 3).
pub fn web_container() -> Container {
    Container {
        name: "web".to_owned(),
        image: AGNHOST_IMAGE.to_owned(),
        args: vec![
            "netexec".to_owned(),
            "--http-port=8080".to_owned(),
            "--delay-shutdown=30".to_owned(),
        ],
        ports: vec![ContainerPort {
            name: "http".to_owned(),
            container_port: 8080,
            protocol: Protocol::Tcp,
        }],
        readiness_probe: Some(Probe::default()),
        restart_policy: None,
        ..Container::default()
    }
}

/// A fortio load generator container `name`: `fortio load -qps QPS -c CONNECTIONS -t 0
/// [-keepalive=false] URL` (`-t 0`: until stopped).
pub fn fortio_container(
    name: &str,
    url: &str,
    qps: u32,
    connections: u32,
    keepalive: bool,
) -> Container {
    let mut args: Vec<String> = [
        "load",
        "-qps",
        &qps.to_string(),
        "-c",
        &connections.to_string(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.extend(["-t".to_owned(), "0".to_owned()]);
    if !keepalive {
        args.push("-keepalive=false".to_owned());
    }
    args.push(url.to_owned());
    Container {
        name: name.to_owned(),
        image: FORTIO_IMAGE.to_owned(),
        args,
        ..Container::default()
    }
}

/// A bare pod `key` labelled `app=client` running `containers` (load generators).
pub fn client_pod(key: &NamespacedName, containers: Vec<Container>) -> Pod {
    let mut p = Pod {
        metadata: ObjectMeta::named(&key.namespace, &key.name),
        ..Default::default()
    };
    p.metadata.labels = app("client");
    p.spec.containers = containers;
    p
}

/// A Deployment `key` of `replicas` pods labelled `labels` (its selector), each running
/// [`web_container`].
pub fn web_deployment(key: &NamespacedName, labels: Labels, replicas: i32) -> Deployment {
    let mut d = Deployment {
        metadata: ObjectMeta::named(&key.namespace, &key.name),
        ..Default::default()
    };
    d.spec.replicas = Some(replicas);
    d.spec.selector = Some(LabelSelector {
        match_labels: labels.clone(),
        match_expressions: Vec::new(),
    });
    d.spec.template.metadata.labels = labels;
    d.spec.template.spec.containers = vec![web_container()];
    d
}

/// A ClusterIP Service `key` selecting `selector`, with one port `http` 80/TCP whose
/// `targetPort` is the container port named `http`.
pub fn http_service(key: &NamespacedName, selector: Labels) -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named(&key.namespace, &key.name),
        ..Default::default()
    };
    s.spec.selector = Some(selector);
    s.spec.ports = vec![ServicePort {
        name: "http".to_owned(),
        protocol: Protocol::Tcp,
        port: 80,
        target_port: IntOrString::String("http".to_owned()),
        ..Default::default()
    }];
    s
}

/// A Node `name` labelled with its zone and hostname; the world picks its IP and pod
/// CIDR.
pub fn node_in_zone(name: &str, zone: &str) -> Node {
    let mut meta = ObjectMeta::named("", name);
    meta.labels.insert(ZONE_LABEL.to_owned(), zone.to_owned());
    meta.labels
        .insert("kubernetes.io/hostname".to_owned(), name.to_owned());
    Node {
        metadata: meta,
        ..Node::default()
    }
}

/// `app=<value>`, the label the playground's objects select on.
pub fn app(value: &str) -> Labels {
    Labels::from([("app".to_owned(), value.to_owned())])
}

impl From<Deployment> for Object {
    fn from(d: Deployment) -> Self {
        Object::Deployment(d)
    }
}

impl From<Service> for Object {
    fn from(s: Service) -> Self {
        Object::Service(s)
    }
}

impl From<Node> for Object {
    fn from(n: Node) -> Self {
        Object::Node(n)
    }
}

impl From<super::Pod> for Object {
    fn from(p: super::Pod) -> Self {
        Object::Pod(p)
    }
}
