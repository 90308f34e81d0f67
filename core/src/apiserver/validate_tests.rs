//! Exact messages of `ValidateService` (the conformance vectors check counts; these
//! check the words a user sees).

#![allow(clippy::unwrap_used)]

use super::validate_service::{validate_service, validate_service_update};
use crate::objects::service::{ClientIpConfig, IntOrString, ServicePort, SessionAffinityConfig};
use crate::objects::{ObjectMeta, Service};

use crate::objects::{Protocol, ServiceType, SessionAffinity, TrafficPolicy};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn base() -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named("default", "web"),
        ..Service::default()
    };
    s.spec.type_ = ServiceType::ClusterIp;
    s.spec.session_affinity = SessionAffinity::None;
    s.spec.internal_traffic_policy = TrafficPolicy::Cluster;
    s.spec.selector = Some([("app".to_owned(), "web".to_owned())].into());
    s.spec.ports = vec![ServicePort {
        name: "http".into(),
        protocol: Protocol::Tcp,
        port: 80,
        target_port: IntOrString::Int(8080),
        ..ServicePort::default()
    }];
    s
}

fn messages(s: &Service) -> Vec<String> {
    validate_service(s)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_base_is_valid() {
    assert_eq!(messages(&base()), Vec::<String>::new());
}

#[test]
fn port_errors_read_like_kubectl() {
    let mut s = base();
    s.spec.ports[0].port = 65536;
    s.spec.ports.push(ServicePort {
        protocol: Protocol::Tcp,
        port: 80,
        target_port: IntOrString::Int(80),
        ..ServicePort::default()
    });
    s.spec.ports[0].node_port = 30080;
    assert_eq!(
        messages(&s),
        vec![
            "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive"
                .to_owned(),
            "spec.ports[1].name: Required value".to_owned(),
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
                .to_owned(),
        ]
    );
    let mut d = base();
    d.spec.ports.push(ServicePort {
        name: "b".into(),
        ..d.spec.ports[0].clone()
    });
    assert_eq!(
        messages(&d),
        vec!["spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}".to_owned()]
    );
}

#[test]
fn type_policy_and_affinity_errors_read_like_kubectl() {
    let mut s = base();
    s.spec.type_ = ServiceType::Other("Foo".into());
    s.spec.external_traffic_policy = TrafficPolicy::Local;
    s.spec.session_affinity = SessionAffinity::ClientIp;
    s.spec.session_affinity_config = Some(SessionAffinityConfig {
        client_ip: Some(ClientIpConfig {
            timeout_seconds: Some(0),
        }),
    });
    assert_eq!(
        messages(&s),
        vec![
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400".to_owned(),
            "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"".to_owned(),
            "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services".to_owned(),
        ]
    );
    let mut h = base();
    h.spec.type_ = ServiceType::NodePort;
    h.spec.external_traffic_policy = TrafficPolicy::Cluster;
    h.spec.cluster_ip = "None".into();
    h.spec.cluster_ips = vec!["None".into()];
    assert_eq!(messages(&h), vec!["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services".to_owned()]);
}

#[test]
fn changing_a_set_cluster_ip_is_refused() {
    let mut old = base();
    old.spec.cluster_ip = "10.96.0.10".into();
    old.spec.cluster_ips = vec!["10.96.0.10".into()];
    let mut new = old.clone();
    new.spec.cluster_ip = "10.96.0.11".into();
    new.spec.cluster_ips = vec!["10.96.0.11".into()];
    let got: Vec<String> = validate_service_update(&new, &old)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        vec![
            "spec.clusterIPs[0]: Invalid value: [\"10.96.0.11\"]: may not change once set"
                .to_owned()
        ]
    );
}
