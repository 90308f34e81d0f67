//! The playground's own objects, made the way its default scenario and tests make them:
//! a Deployment running the `web` container, a Service in front of it, a Node in a
//! zone. Plain values: the world creates them through [`crate::world::Command::Create`].

use super::node::ZONE_LABEL;
use super::{
    Container, ContainerPort, Deployment, IntOrString, LabelSelector, Labels, NamespacedName, Node,
    Object, ObjectMeta, Probe, Protocol, Service, ServicePort,
};

/// The container the playground's own Deployments run: `web`, port `http` 8080/TCP,
/// with a readiness probe at the API defaults (period 10 s, success 1, failure 3).
pub fn web_container() -> Container {
    Container {
        name: "web".to_owned(),
        image: "registry.k8s.io/e2e-test-images/agnhost:2.53".to_owned(),
        ports: vec![ContainerPort {
            name: "http".to_owned(),
            container_port: 8080,
            protocol: Protocol::Tcp,
        }],
        readiness_probe: Some(Probe::default()),
        restart_policy: None,
    }
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
