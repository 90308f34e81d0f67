//! End to end through the two halves: the registry allocates a Service, kube-proxy is
//! synced from it, a request is routed; then the Service changes type and the data
//! path follows. This is also the wiring the world uses.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::net::IpAddr;

use svcplay_core::apiserver::{RegistryConfig, ServiceRegistry};
use svcplay_core::objects::service::ServicePort;
use svcplay_core::objects::{ObjectMeta, Service};
use svcplay_core::proxy::{
    Client, Dataplane, DropReason, Endpoint, NodeInfo, Outcome, Protocol, ProxyConfig, Request,
    ServicePortInfo, rules_iptables,
};
use svcplay_core::{SimRng, SimTime};

use svcplay_core::objects::ServiceType;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn nodes() -> Vec<NodeInfo> {
    (1..=2)
        .map(|i| NodeInfo {
            name: format!("n{i}"),
            ip: IpAddr::from([192, 168, 0, 10 + i]),
            zone: None,
        })
        .collect()
}

/// What the world would do after every change: one `ServicePortInfo` per port, with
/// the endpoints its EndpointSlices list.
fn sync(dp: &mut Dataplane, services: &[&Service]) {
    let endpoints = vec![
        Endpoint::ready(IpAddr::from([10, 244, 1, 5]), 8080, "n1"),
        Endpoint::ready(IpAddr::from([10, 244, 2, 6]), 8080, "n2"),
    ];
    let ports = services
        .iter()
        .flat_map(|s| ServicePortInfo::from_service(s))
        .map(|p| (p, endpoints.clone()))
        .collect();
    dp.sync(nodes(), ports);
}

#[test]
fn a_load_balancer_service_is_reachable_until_it_becomes_a_cluster_ip() {
    let mut reg = ServiceRegistry::new(RegistryConfig::default(), 9).unwrap();
    let mut web = Service {
        metadata: ObjectMeta::named("default", "web"),
        ..Service::default()
    };
    web.spec.type_ = ServiceType::LoadBalancer;
    web.spec.selector = Some([("app".to_owned(), "web".to_owned())].into());
    web.spec.ports = vec![ServicePort {
        port: 80,
        ..ServicePort::default()
    }];
    let web = reg.create(web).unwrap();
    let lb_ip: IpAddr = web.status.load_balancer.ingress[0].ip.parse().unwrap();
    let node_port = u16::try_from(web.spec.ports[0].node_port).unwrap();

    let mut dp = Dataplane::new(ProxyConfig::default());
    sync(&mut dp, &[reg.kubernetes_service(), &web]);
    let mut rng = SimRng::new(1);
    let outside = Client::External {
        ip: IpAddr::from([198, 51, 100, 1]),
    };
    let to_lb = Request {
        client: outside.clone(),
        dst: lb_ip,
        port: 80,
        protocol: Protocol::Tcp,
    };
    let (t, _) = dp.route(&to_lb, SimTime::ZERO, &mut rng);
    assert!(matches!(t.outcome, Outcome::Served { .. }), "{t:?}");
    let rules = rules_iptables::render(&dp, "n1").unwrap();
    assert!(rules.contains(&format!("--dport {node_port} -j KUBE-EXT-")));
    assert!(rules.contains("\"default/kubernetes:https cluster IP\""));

    let mut back = web.clone();
    back.spec.type_ = ServiceType::ClusterIp;
    let back = reg.update(&web, back).unwrap();
    sync(&mut dp, &[reg.kubernetes_service(), &back]);
    let (t, _) = dp.route(&to_lb, SimTime::ZERO, &mut rng);
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::NoSuchService));
    let to_np = Request {
        client: outside,
        dst: IpAddr::from([192, 168, 0, 11]),
        port: node_port,
        protocol: Protocol::Tcp,
    };
    let (t, _) = dp.route(&to_np, SimTime::ZERO, &mut rng);
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::NoSuchService));
    assert_eq!(back.spec.cluster_ip, web.spec.cluster_ip);
}
