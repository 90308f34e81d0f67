//! svcplay's side of the comparison with webernetes (issue 18, BENCHMARKS.md "svcplay
//! against webernetes"): one Deployment of N probed replicas behind a NodePort Service,
//! stepped until all N pods are Ready and are endpoints of the Service, then R requests
//! through the Service, counting which pods answered. Prints one JSON line: wall ms per
//! phase and the process's peak RSS; `tests/bench/webernetes/run.sh` runs it alternately
//! with webernetes' driver.
//!
//! Run: `cargo run --release -p svcplay-core --example probed -- [N] [R] [drain_ms]`
//! (defaults 1,000 replicas, 10,000 requests, a drain every 1,000 simulated ms).
//!
//! - Nodes: enough for N pods at 110 each (10 for 1,000), in 3 zones.
//! - Pods: [`web_deployment`]'s agnhost `netexec`, its readiness probe an `httpGet` on
//!   `/healthz` at the API defaults (period 10 s, success 1, failure 3). svcplay models a
//!   probe as a timed check of the app's health; no HTTP exchange is built for it.
//! - Ready: every pod Running and Ready, and every pod a ready endpoint of the Service;
//!   the world is stepped 100 simulated ms at a time, draining events and requests after
//!   each step as a shell does.
//! - Requests: the outside user (no pod) at the highest client rate (1,000 a simulated
//!   second), one new connection per request to the Service's nodePort, through
//!   kube-proxy's rules to a pod (the nodes in turn, not always the first). The world
//!   is stepped `drain_ms` at a time and drained after each step, as the CLI and the
//!   page do; each drained request's serving pod is counted, then the request dropped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/memory.rs"]
mod memory;

use std::collections::HashMap;
use std::time::Instant;

use memory::memory;

use svcplay_core::objects::build::{app, http_service, node_in_zone, web_deployment};
use svcplay_core::objects::probe_handler::HttpGetAction;
use svcplay_core::objects::{IntOrString, NamespacedName, Object, ServiceType};
use svcplay_core::scenario::EXTERNAL_USER_IP;
use svcplay_core::world::{ClientSpec, ClusterConfig, Command, MAX_CLIENT_RATE};
use svcplay_core::{SimTime, World};

/// Pods a node takes (the kubelet's `--max-pods` default).
const PODS_PER_NODE: usize = 110;

/// The Service's nodePort (as the webernetes driver's).
const NODE_PORT: i32 = 30_080;

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let replicas = usize::try_from(arg(1, 1_000)).unwrap();
    let requests = arg(2, 10_000);
    let drain_ms = arg(3, 1_000).max(1);
    let total = Instant::now();

    let config = ClusterConfig {
        max_pods: u32::try_from(replicas)
            .unwrap()
            .max(ClusterConfig::default().max_pods),
        ..ClusterConfig::default()
    };
    let mut w = World::with_config(1, config).unwrap();
    let nodes = replicas.div_ceil(PODS_PER_NODE).max(1);
    let objects: Vec<Object> = (0..nodes)
        .map(|n| node_in_zone(&format!("node-{n:02}"), &format!("zone-{}", n % 3)).into())
        .collect();
    w.apply(Command::Create { objects }).unwrap();

    let key = NamespacedName::default_ns("web");
    let mut deployment = web_deployment(&key, app("web"), i32::try_from(replicas).unwrap());
    for c in &mut deployment.spec.template.spec.containers {
        if let Some(p) = c.readiness_probe.as_mut() {
            p.http_get = Some(HttpGetAction {
                path: "/healthz".to_owned(),
                port: IntOrString::String("http".to_owned()),
                scheme: "HTTP".to_owned(),
            });
        }
    }
    let mut service = http_service(&key, app("web"));
    service.spec.type_ = ServiceType::NodePort;
    for p in &mut service.spec.ports {
        p.node_port = NODE_PORT;
    }
    w.apply(Command::Create {
        objects: vec![deployment.into(), service.into()],
    })
    .unwrap();

    let start = w.now();
    loop {
        w.step(100);
        drop(w.drain_events());
        drop(w.drain_requests());
        let serving = w.pods().values().filter(|p| World::is_serving(p)).count();
        if serving == replicas && w.ready_endpoints(&key).len() == replicas {
            break;
        }
        assert!(
            w.now().as_millis() - start.as_millis() < 600_000,
            "not ready after 10 simulated minutes"
        );
    }
    let ready = total.elapsed();
    let sim_ready = w.now().as_millis() - start.as_millis();
    let (_, ready_peak) = memory();

    let t = Instant::now();
    let mut by_pod: HashMap<NamespacedName, u64> = HashMap::new();
    let mut drained = 0u64;
    let mut failed = 0u64;
    let sent_from: SimTime = w.now();
    if requests > 0 {
        w.apply(Command::AddClient {
            client: ClientSpec::external("user", key.clone(), EXTERNAL_USER_IP, MAX_CLIENT_RATE),
        })
        .unwrap();
        // At 1,000 a second, one request a simulated millisecond.
        let per_ms = u64::from(MAX_CLIENT_RATE) / 1_000;
        while drained < requests {
            let left_ms = (requests - drained).div_ceil(per_ms);
            w.step(drain_ms.min(left_ms));
            drop(w.drain_events());
            for r in w.drain_requests() {
                drained += 1;
                match r.pod() {
                    Some(p) if r.ok() => *by_pod.entry(p.clone()).or_default() += 1,
                    _ => failed += 1,
                }
            }
        }
        w.apply(Command::SetClientRate {
            client: "user".to_owned(),
            service: key.clone(),
            rate_per_sec: 0,
        })
        .unwrap();
    }
    let sent = t.elapsed();
    let sim_requests = w.now().as_millis() - sent_from.as_millis();
    let all = total.elapsed();
    let (rss, peak) = memory();
    let ok: u64 = by_pod.values().sum();
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1e4).round() / 10.0;
    println!(
        "{}",
        serde_json::json!({
            "side": "svcplay",
            "nodes": nodes,
            "replicas": replicas,
            "requests": requests,
            "drain_ms": drain_ms,
            "ready_ms": ms(ready),
            "requests_ms": ms(sent),
            "total_ms": ms(all),
            "sim_ready_ms": sim_ready,
            "sim_requests_ms": sim_requests,
            "ok": ok,
            "failed": failed,
            "pods_answering": by_pod.len(),
            "min_per_pod": by_pod.values().min().copied().unwrap_or(0),
            "max_per_pod": by_pod.values().max().copied().unwrap_or(0),
            "ready_peak_rss_mib": (ready_peak * 10.0).round() / 10.0,
            "rss_mib": (rss * 10.0).round() / 10.0,
            "peak_rss_mib": (peak * 10.0).round() / 10.0,
        })
    );
}
