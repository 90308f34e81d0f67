//! What the EndpointSlice controller computes for one Service and one Pod: whether the
//! pod is an endpoint, its conditions, and its ports.
//!
//! Pure functions, no world: the world's incremental sync and the explain command both
//! use them, so what is shown and what is done cannot drift apart.
//! Upstream: kubernetes/endpointslice@daa4d010 `utils.go` (`podToEndpoint`,
//! `getEndpointPorts`, `FindPort`) and `util/controller_utils.go` (`ShouldPodBeInEndpoints`).

use std::fmt;

use crate::objects::endpoint_slice::ObjectReference;
use crate::objects::{
    Endpoint, EndpointConditions, EndpointPort, IntOrString, Labels, Node, Pod, PodPhase, Protocol,
    Service, ServicePort, ServiceType,
};

/// Why a pod is not an endpoint of a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// `type: ExternalName`: the controller does nothing for the Service.
    ExternalName,
    /// `spec.selector` is absent or `{}`: the controller manages no endpoints for it.
    NoSelector,
    /// The pod lives in another namespace; Services select only their own.
    OtherNamespace {
        /// The pod's namespace.
        pod: String,
        /// The Service's namespace.
        service: String,
    },
    /// A selector requirement the pod's labels fail.
    SelectorMismatch {
        /// The label key.
        key: String,
        /// The value the selector wants.
        wanted: String,
        /// The value the pod has, if any.
        has: Option<String>,
    },
    /// The pod's phase is Succeeded or Failed.
    TerminalPhase(PodPhase),
    /// The pod has no IP yet (still starting).
    NoIp,
    /// The pod's node does not exist (and `publishNotReadyAddresses` is off).
    NodeMissing(String),
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::ExternalName => f.write_str("the Service is type ExternalName: it is a DNS name, it has no endpoints"),
            Exclusion::OtherNamespace { pod, service } => {
                write!(f, "the pod is in namespace {pod}, the Service in {service}: a Service selects pods of its own namespace only")
            }
            Exclusion::SelectorMismatch { key, wanted, has: Some(has) } => {
                write!(f, "selector wants {key}={wanted}, the pod has {key}={has}")
            }
            Exclusion::SelectorMismatch { key, wanted, has: None } => {
                write!(f, "selector wants {key}={wanted}, the pod has no {key} label")
            }
            Exclusion::TerminalPhase(p) => write!(f, "the pod is {p:?} (terminal): it is never an endpoint"),
            Exclusion::NoIp => f.write_str("the pod has no IP yet: it is still starting"),
            Exclusion::NodeMissing(n) => write!(f, "the pod's node {n} does not exist"),
            Exclusion::NoSelector => f.write_str("the Service has no selector: the EndpointSlice controller manages no endpoints for it"),
        }
    }
}

/// Every selector requirement the labels fail, in key order; empty when they match.
///
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go`
/// `labels.Set(selector).AsSelectorPreValidated()`: equality on every key.
pub fn selector_mismatches(selector: &Labels, labels: &Labels) -> Vec<Exclusion> {
    selector
        .iter()
        .filter(|(k, v)| labels.get(*k) != Some(*v))
        .map(|(k, v)| Exclusion::SelectorMismatch {
            key: k.clone(),
            wanted: v.clone(),
            has: labels.get(k).cloned(),
        })
        .collect()
}

/// Whether an equality selector matches a label set.
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Why `pod` is not an endpoint of `service`, or `Ok(())` when it is one.
///
/// The order is the controller's: Service-level checks (c.1), selector and namespace
/// (b.6), then `ShouldPodBeInEndpoints` (terminal phase, then IP), then the node check.
/// Upstream: kubernetes/endpointslice@daa4d010 `util/controller_utils.go`
/// `ShouldPodBeInEndpoints(pod, includeTerminating=true)`;
/// `reconciler.go` skips a pod whose node is not in the cache unless
/// `publishNotReadyAddresses` is set.
pub fn exclusions(service: &Service, pod: &Pod, node_exists: bool) -> Vec<Exclusion> {
    if service.spec.type_ == ServiceType::ExternalName {
        return vec![Exclusion::ExternalName];
    }
    let Some(selector) = service.spec.effective_selector() else {
        return vec![Exclusion::NoSelector];
    };
    if pod.metadata.namespace != service.metadata.namespace {
        return vec![Exclusion::OtherNamespace {
            pod: pod.metadata.namespace.clone(),
            service: service.metadata.namespace.clone(),
        }];
    }
    let mismatches = selector_mismatches(selector, &pod.metadata.labels);
    if !mismatches.is_empty() {
        return mismatches;
    }
    if pod.status.phase.is_terminal() {
        return vec![Exclusion::TerminalPhase(pod.status.phase.clone())];
    }
    if pod.status.pod_ip.is_empty() {
        return vec![Exclusion::NoIp];
    }
    if !node_exists && !service.spec.publish_not_ready_addresses {
        return vec![Exclusion::NodeMissing(pod.spec.node_name.clone())];
    }
    Vec::new()
}

/// The conditions of a pod's endpoint.
///
/// `serving` = pod Ready; `terminating` = deletionTimestamp set; `ready` =
/// publishNotReadyAddresses OR (serving AND NOT terminating).
/// Upstream: kubernetes/endpointslice@daa4d010 `utils.go` `podToEndpoint`.
pub fn endpoint_conditions(
    pod_ready: bool,
    terminating: bool,
    publish_not_ready: bool,
) -> EndpointConditions {
    EndpointConditions {
        ready: publish_not_ready || (pod_ready && !terminating),
        serving: pod_ready,
        terminating,
    }
}

/// The endpoint of a pod that qualifies (see [`exclusions`]).
///
/// `hostname` is set only when the pod's hostname is set and its subdomain names the
/// Service; `zone` comes from the node's zone label.
/// Upstream: kubernetes/endpointslice@daa4d010 `utils.go` `podToEndpoint`.
pub fn pod_to_endpoint(service: &Service, pod: &Pod, node: Option<&Node>) -> Endpoint {
    let conditions = endpoint_conditions(
        pod.status.ready,
        pod.metadata.is_terminating(),
        service.spec.publish_not_ready_addresses,
    );
    let hostname = (!pod.spec.hostname.is_empty() && pod.spec.subdomain == service.metadata.name)
        .then(|| pod.spec.hostname.clone());
    Endpoint {
        addresses: vec![pod.status.pod_ip.clone()],
        conditions,
        hostname,
        node_name: (!pod.spec.node_name.is_empty()).then(|| pod.spec.node_name.clone()),
        zone: node.and_then(Node::zone).map(str::to_owned),
        target_ref: Some(ObjectReference {
            kind: "Pod".to_owned(),
            namespace: pod.metadata.namespace.clone(),
            name: pod.metadata.name.clone(),
            uid: pod.metadata.uid,
            field_path: String::new(),
        }),
    }
}

/// A Service port's protocol: `""` defaults to TCP; an unknown spelling is `None`.
pub fn service_port_protocol(port: &ServicePort) -> Option<Protocol> {
    port.protocol.effective()
}

/// Resolves a Service port's `targetPort` on one pod.
///
/// A number is used as is, without looking at the containers. A name is looked up in
/// the containers (in order, then port order), then in sidecar init containers
/// (`restartPolicy: Always`); the first port whose name and protocol both match wins.
/// `None`: the name is declared nowhere with that protocol.
/// Upstream: kubernetes/endpointslice@daa4d010 `utils.go` `FindPort`.
pub fn find_port(pod: &Pod, port: &ServicePort) -> Option<i32> {
    match &port.target_port {
        IntOrString::Int(n) if *n != 0 => Some(*n),
        IntOrString::Int(_) => Some(port.port),
        IntOrString::String(name) if name.is_empty() => Some(port.port),
        IntOrString::String(name) => {
            let protocol = service_port_protocol(port)?;
            let sidecars = pod
                .spec
                .init_containers
                .iter()
                .filter(|c| c.restart_policy.as_deref() == Some("Always"));
            pod.spec
                .containers
                .iter()
                .chain(sidecars)
                .flat_map(|c| c.ports.iter())
                .find(|p| p.name == *name && p.protocol.effective().as_ref() == Some(&protocol))
                .map(|p| p.container_port)
        }
    }
}

/// The pod's port list for a Service, and the names of Service ports it lacks.
///
/// A port whose named `targetPort` the pod does not declare is left out for this pod
/// only. Upstream: kubernetes/endpointslice@daa4d010 `utils.go` `getEndpointPorts`.
pub fn endpoint_ports(service: &Service, pod: &Pod) -> (Vec<EndpointPort>, Vec<String>) {
    let mut ports = Vec::with_capacity(service.spec.ports.len());
    let mut missing = Vec::new();
    for sp in &service.spec.ports {
        match find_port(pod, sp) {
            Some(port) => ports.push(EndpointPort {
                name: sp.name.clone(),
                port,
                protocol: service_port_protocol(sp).unwrap_or_default(),
                app_protocol: sp.app_protocol.clone(),
            }),
            None => missing.push(if sp.name.is_empty() {
                sp.target_port.to_string()
            } else {
                sp.name.clone()
            }),
        }
    }
    (ports, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::{Container, ContainerPort, ObjectMeta};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn svc(selector: &[(&str, &str)]) -> Service {
        let mut s = Service {
            metadata: ObjectMeta::named("default", "web"),
            ..Default::default()
        };
        s.spec.selector = Some(
            selector
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        s
    }

    fn pod(labels: &[(&str, &str)]) -> Pod {
        let mut p = Pod {
            metadata: ObjectMeta::named("default", "p"),
            ..Default::default()
        };
        p.metadata.labels = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        p.status.phase = PodPhase::Running;
        p.status.pod_ip = "10.244.0.2".to_owned();
        p
    }

    #[test]
    fn exclusion_order_and_words() {
        let s = svc(&[("app", "web"), ("tier", "fe")]);
        assert_eq!(
            exclusions(&s, &pod(&[("app", "web"), ("tier", "fe")]), true),
            vec![]
        );
        assert_eq!(
            exclusions(&s, &pod(&[("app", "api")]), true),
            vec![
                Exclusion::SelectorMismatch {
                    key: "app".into(),
                    wanted: "web".into(),
                    has: Some("api".into())
                },
                Exclusion::SelectorMismatch {
                    key: "tier".into(),
                    wanted: "fe".into(),
                    has: None
                },
            ]
        );
        let mut p = pod(&[("app", "web"), ("tier", "fe")]);
        p.status.pod_ip.clear();
        assert_eq!(exclusions(&s, &p, true), vec![Exclusion::NoIp]);
        p.status.phase = PodPhase::Failed;
        assert_eq!(
            exclusions(&s, &p, true),
            vec![Exclusion::TerminalPhase(PodPhase::Failed)],
            "terminal first"
        );
        let p = pod(&[("app", "web"), ("tier", "fe")]);
        assert_eq!(
            exclusions(&s, &p, false),
            vec![Exclusion::NodeMissing(String::new())]
        );
        let mut publish = s.clone();
        publish.spec.publish_not_ready_addresses = true;
        assert_eq!(
            exclusions(&publish, &p, false),
            vec![],
            "publishNotReadyAddresses keeps it"
        );
        let mut empty = s.clone();
        empty.spec.selector = Some(Labels::new());
        assert_eq!(
            exclusions(&empty, &p, true),
            vec![Exclusion::NoSelector],
            "{{}} selects nothing"
        );
    }

    #[test]
    fn named_port_resolves_per_pod_with_protocol() {
        let mut p = pod(&[]);
        p.spec.containers = vec![Container {
            name: "web".into(),
            ports: vec![ContainerPort {
                name: "http".into(),
                container_port: 8080,
                protocol: Protocol::Tcp,
            }],
            ..Default::default()
        }];
        let sp = |target: IntOrString, protocol: &str| ServicePort {
            name: "web".into(),
            port: 80,
            protocol: protocol.into(),
            target_port: target,
            ..Default::default()
        };
        assert_eq!(
            find_port(&p, &sp(IntOrString::String("http".into()), "")),
            Some(8080)
        );
        assert_eq!(
            find_port(&p, &sp(IntOrString::String("http".into()), "UDP")),
            None
        );
        assert_eq!(
            find_port(&p, &sp(IntOrString::String("grpc".into()), "TCP")),
            None
        );
        assert_eq!(
            find_port(&p, &sp(IntOrString::Int(9999), "TCP")),
            Some(9999)
        );
        assert_eq!(
            find_port(&p, &sp(IntOrString::Int(0), "TCP")),
            Some(80),
            "unset copies port"
        );
        let mut s = svc(&[]);
        s.spec.ports = vec![sp(IntOrString::String("grpc".into()), "TCP")];
        assert_eq!(endpoint_ports(&s, &p), (vec![], vec!["web".to_owned()]));
    }
}
