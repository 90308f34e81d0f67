//! Route decisions per second at 100, 1,000 and 10,000 Services with 150,000 endpoints
//! spread over them: the per-request cost must stay flat in the number of Services.
//!
//! Run: `cargo bench -p svcplay-core --bench proxy -- --warm-up-time 1 --measurement-time 3`
//! (figures in `bench-notes/proxy.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::net::IpAddr;

    use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
    use svcplay_core::proxy::{
        Client, Dataplane, Endpoint, NodeInfo, Protocol, ProxyConfig, ProxyMode, Request,
        ServicePortInfo, ServicePortName,
    };
    use svcplay_core::{SimRng, SimTime};

    const TOTAL_ENDPOINTS: usize = 150_000;
    const NODES: usize = 5;

    fn cluster(services: usize, mode: ProxyMode) -> (Dataplane, Vec<Request>) {
        let nodes: Vec<NodeInfo> = (0..NODES)
            .map(|i| NodeInfo {
                name: format!("n{i}"),
                ip: IpAddr::from([192, 168, 0, 10 + i as u8]),
                zone: None,
            })
            .collect();
        let per = TOTAL_ENDPOINTS / services;
        let mut ports = Vec::with_capacity(services);
        let mut ep_no: u32 = 0;
        for s in 0..services {
            let vip = IpAddr::from((0x0a60_0100u32 + s as u32).to_be_bytes());
            let info = ServicePortInfo {
                name: ServicePortName {
                    namespace: "bench".into(),
                    name: format!("svc-{s}"),
                    port: "http".into(),
                },
                protocol: Protocol::Tcp,
                cluster_ip: vip,
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
            let eps: Vec<Endpoint> = (0..per)
                .map(|_| {
                    ep_no += 1;
                    let ip = IpAddr::from((0x0af4_0000u32 + ep_no).to_be_bytes());
                    Endpoint::ready(ip, 8080, &format!("n{}", ep_no as usize % NODES))
                })
                .collect();
            ports.push((info, eps));
        }
        let mut dp = Dataplane::new(ProxyConfig {
            mode,
            ..ProxyConfig::default()
        });
        dp.sync(nodes, ports);
        // 4096 requests from pods on every node to uniformly random Services.
        let mut rng = SimRng::new(7);
        let reqs = (0..4096)
            .map(|i| {
                let s = rng.index(services) as u32;
                Request {
                    client: Client::Pod {
                        node: format!("n{}", i % NODES),
                        ip: IpAddr::from([10, 200, 0, (i % 250) as u8]),
                    },
                    dst: IpAddr::from((0x0a60_0100u32 + s).to_be_bytes()),
                    port: 80,
                    protocol: Protocol::Tcp,
                }
            })
            .collect();
        (dp, reqs)
    }

    fn route(c: &mut Criterion) {
        for mode in [
            ProxyMode::Iptables,
            ProxyMode::Ipvs(svcplay_core::proxy::IpvsScheduler::Rr),
        ] {
            let mut g = c.benchmark_group(format!("route/{}", mode.as_str()));
            g.throughput(Throughput::Elements(1));
            for services in [100usize, 1_000, 10_000] {
                let (mut dp, reqs) = cluster(services, mode);
                let mut rng = SimRng::new(1);
                let mut i = 0usize;
                g.bench_with_input(BenchmarkId::from_parameter(services), &services, |b, _| {
                    b.iter(|| {
                        i = (i + 1) & 4095;
                        let (t, _) = dp.route(black_box(&reqs[i]), SimTime(i as u64), &mut rng);
                        black_box(t)
                    })
                });
            }
            g.finish();
        }
    }

    criterion_group!(benches, route);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}

/// criterion does not build for wasm32; this bench has nothing to run there.
#[cfg(target_arch = "wasm32")]
fn main() {}
