//! The route benchmark of `benches/proxy.rs`, for wasm32 under Node (criterion does not
//! build for wasm32). It times 200,000 routes at 100, 1,000 and 10,000 Services
//! (150,000 endpoints in total) with `Date.now()` and prints routes per second.
//!
//! Run: `cargo test -p svcplay-core --release --target wasm32-unknown-unknown --test proxy_wasm_bench -- --nocapture`
//! Natively this file is empty (use `cargo bench --bench proxy`).

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::net::IpAddr;

use svcplay_core::proxy::{
    Client, Dataplane, Endpoint, NodeInfo, Protocol, ProxyConfig, ProxyMode, Request,
    ServicePortInfo, ServicePortName,
};
use svcplay_core::{SimRng, SimTime};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const TOTAL_ENDPOINTS: usize = 150_000;
const NODES: usize = 5;
const ROUTES: usize = 200_000;

fn cluster(services: usize) -> (Dataplane, Vec<Request>) {
    let nodes: Vec<NodeInfo> = (0..NODES)
        .map(|i| NodeInfo {
            name: format!("n{i}"),
            ip: IpAddr::from([192, 168, 0, 10 + i as u8]),
            zone: None,
        })
        .collect();
    let per = TOTAL_ENDPOINTS / services;
    let mut ep_no: u32 = 0;
    let ports = (0..services)
        .map(|s| {
            let info = ServicePortInfo {
                name: ServicePortName {
                    namespace: "bench".into(),
                    name: format!("svc-{s}"),
                    port: "http".into(),
                },
                protocol: Protocol::Tcp,
                cluster_ip: IpAddr::from((0x0a60_0100u32 + s as u32).to_be_bytes()),
                port: 80,
                node_port: 0,
                load_balancer_ips: vec![],
                external_ips: vec![],
                load_balancer_source_ranges: vec![],
                external_policy_local: false,
                internal_policy_local: false,
                affinity_timeout_secs: None,
                health_check_node_port: 0,
            };
            let eps = (0..per)
                .map(|_| {
                    ep_no += 1;
                    let ip = IpAddr::from((0x0af4_0000u32 + ep_no).to_be_bytes());
                    Endpoint::ready(ip, 8080, &format!("n{}", ep_no as usize % NODES))
                })
                .collect();
            (info, eps)
        })
        .collect();
    let mut dp = Dataplane::new(ProxyConfig {
        mode: ProxyMode::Iptables,
        ..ProxyConfig::default()
    });
    dp.sync(nodes, ports);
    let mut rng = SimRng::new(7);
    let reqs = (0..4096)
        .map(|i| Request {
            client: Client::Pod {
                node: format!("n{}", i % NODES),
                ip: IpAddr::from([10, 200, 0, (i % 250) as u8]),
            },
            dst: IpAddr::from((0x0a60_0100u32 + rng.index(services) as u32).to_be_bytes()),
            port: 80,
            protocol: Protocol::Tcp,
        })
        .collect();
    (dp, reqs)
}

#[wasm_bindgen_test]
fn route_rate_is_flat_in_the_number_of_services() {
    let mut rates = Vec::new();
    for services in [100usize, 1_000, 10_000] {
        let (mut dp, reqs) = cluster(services);
        let mut rng = SimRng::new(1);
        let mut served = 0usize;
        let start = js_sys::Date::now();
        for i in 0..ROUTES {
            let (t, _) = dp.route(&reqs[i & 4095], SimTime(i as u64), &mut rng);
            served += usize::from(t.endpoint().is_some());
        }
        let ms = (js_sys::Date::now() - start).max(1.0);
        assert_eq!(served, ROUTES, "every request reaches an endpoint");
        let rate = ROUTES as f64 / (ms / 1000.0);
        console_log!(
            "wasm32/node iptables {services:>6} Services: {ROUTES} routes in {ms:.0} ms = {rate:.0} routes/s ({:.0} ns/route)",
            ms * 1e6 / ROUTES as f64
        );
        rates.push(rate);
    }
    // Flat: 100x more Services may not cost 100x; allow 3x for cache effects and noise.
    let (lo, hi) = rates
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    assert!(hi / lo < 3.0, "route rate not flat: {rates:?}");
}
