//! The world's cost per request with connections: the page's stress world (200 pods on
//! 20 nodes, 10 Services, one client pod running fortio at 111 requests a second to
//! each Service: about 1,110 requests per simulated second), stepped one simulated
//! second at a time and drained, as the page does.
//!
//! - `new-connection`: `-keepalive=false`, every request resolves its host (the DNS
//!   lookups are cached per name), passes kube-proxy's rules, enters and leaves
//!   conntrack: the most a request costs;
//! - `keep-alive`: `-c 8`, every request after the first eight reuses its connection;
//! - `grpc`: `-grpc -c 1` to the same pods' port (a protocol error each time: the cost
//!   of the path, not of an answer).
//!
//! Run: `cargo bench -p svcplay-core --bench traffic -- --warm-up-time 1 --measurement-time 3`
//! (figures in BENCHMARKS.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
    use svcplay_core::World;
    use svcplay_core::objects::build::{
        app, client_pod, fortio_container, http_service, node_in_zone, web_deployment,
    };
    use svcplay_core::objects::{NamespacedName, Object};
    use svcplay_core::world::Command;

    const NODES: usize = 20;
    const APPS: usize = 10;
    const REPLICAS: i32 = 20;
    const RATE: u32 = 111;

    fn world(mode: &str) -> World {
        let mut objects: Vec<Object> = (0..NODES)
            .map(|n| node_in_zone(&format!("node-{n:02}"), &format!("zone-{}", n % 3)).into())
            .collect();
        let mut generators = Vec::new();
        for a in 0..APPS {
            let key = NamespacedName::default_ns(&format!("app{a}"));
            objects.push(web_deployment(&key, app(&key.name), REPLICAS).into());
            objects.push(http_service(&key, app(&key.name)).into());
            let url = format!("http://{}/hostname", key.name);
            let mut c = match mode {
                "new-connection" => fortio_container(&key.name, &url, RATE, 1, false),
                _ => fortio_container(&key.name, &url, RATE, 8, true),
            };
            if mode == "grpc" {
                c.args = [
                    "load",
                    "-grpc",
                    "-ping",
                    "-qps",
                    &RATE.to_string(),
                    "-c",
                    "1",
                    "-t",
                    "0",
                ]
                .iter()
                .map(|s| (*s).to_owned())
                .chain([format!("{}:80", key.name)])
                .collect();
            }
            generators.push(c);
        }
        objects.push(client_pod(&NamespacedName::default_ns("loadgen"), generators).into());
        let mut w = World::new(2026);
        w.apply(Command::Create { objects }).unwrap();
        w.step(5_000);
        w.drain_requests();
        w
    }

    fn per_request(c: &mut Criterion) {
        let mut g = c.benchmark_group("world_step_1s");
        for mode in ["new-connection", "keep-alive", "grpc"] {
            let mut w = world(mode);
            w.step(1_000);
            let n = w.drain_requests().len() as u64;
            assert!(n > 1_000, "{mode}: {n} requests a second");
            g.throughput(Throughput::Elements(n));
            g.bench_with_input(BenchmarkId::from_parameter(mode), &mode, |b, _| {
                b.iter(|| {
                    w.step(1_000);
                    black_box(w.drain_requests().len())
                });
            });
        }
        g.finish();
    }

    criterion_group!(benches, per_request);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
