//! Shared helpers of the connection tests: small clusters, client pods running real
//! load-generator command lines, counts per pod and a chi-square check.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use svcplay_core::World;
use svcplay_core::objects::build::{app, client_pod, http_service, node_in_zone, web_deployment};
use svcplay_core::objects::{Container, NamespacedName};
use svcplay_core::world::{Command, Request};

/// Nodes `node-a`, `node-b`; Deployment and Service `web` (agnhost netexec behind port
/// 80) with `replicas` pods.
pub fn cluster(seed: u64, replicas: i32) -> World {
    let mut w = World::new(seed);
    let web = NamespacedName::default_ns("web");
    w.apply(Command::Create {
        objects: vec![
            node_in_zone("node-a", "zone-a").into(),
            node_in_zone("node-b", "zone-b").into(),
            web_deployment(&web, app("web"), replicas).into(),
            http_service(&web, app("web")).into(),
        ],
    })
    .unwrap();
    w
}

/// A container `name` running `command` (its first word is the program).
pub fn container(name: &str, image: &str, command: &str) -> Container {
    Container {
        name: name.to_owned(),
        image: image.to_owned(),
        command: command.split_whitespace().map(str::to_owned).collect(),
        ..Container::default()
    }
}

/// Creates a client pod `name` running one container with `command`.
pub fn client(w: &mut World, name: &str, command: &str) {
    let pod = client_pod(
        &NamespacedName::default_ns(name),
        vec![container("load", "fortio/fortio", command)],
    );
    w.apply(Command::Create {
        objects: vec![pod.into()],
    })
    .unwrap();
}

/// The `web` pods, by name.
pub fn web_pods(w: &World) -> Vec<String> {
    w.pods()
        .keys()
        .filter(|p| p.name.starts_with("web-"))
        .map(|p| p.name.clone())
        .collect()
}

/// Served requests per pod name.
pub fn per_pod<'a>(reqs: impl IntoIterator<Item = &'a Request>) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for r in reqs {
        if let Some(p) = r.pod() {
            *out.entry(p.name.clone()).or_insert(0) += 1;
        }
    }
    out
}

/// Open connections per pod name to Service `svc`.
pub fn conns(w: &World, svc: &str) -> BTreeMap<String, usize> {
    w.connections_per_pod(&NamespacedName::default_ns(svc))
        .into_iter()
        .map(|(k, v)| (k.name, v))
        .collect()
}

/// Pearson's chi-square statistic of `observed` counts against `expected` shares.
pub fn chi_square(observed: &[u64], expected: &[f64]) -> f64 {
    let total: u64 = observed.iter().sum();
    observed
        .iter()
        .zip(expected)
        .map(|(&o, &p)| {
            let e = p * total as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum()
}

/// The chi-square critical value at p = 0.001 for `df` degrees of freedom (1..=5).
pub fn critical_001(df: usize) -> f64 {
    [10.828, 13.816, 16.266, 18.467, 20.515][df - 1]
}

/// Asserts `observed` (per pod, in the order of `pods`) fits the uniform share at
/// p = 0.001.
pub fn assert_uniform(what: &str, pods: &[String], observed: &BTreeMap<String, u64>) {
    let counts: Vec<u64> = pods
        .iter()
        .map(|p| observed.get(p).copied().unwrap_or(0))
        .collect();
    let shares = vec![1.0 / pods.len() as f64; pods.len()];
    let chi = chi_square(&counts, &shares);
    assert!(
        chi < critical_001(pods.len() - 1),
        "{what}: chi-square {chi:.2} over {counts:?}"
    );
}

/// Lets `millis` of simulated time run in one-second slices, draining after each as a
/// shell does (the world keeps only the last 10 s of requests for a shell that does
/// not drain), and returns every request sent meanwhile.
pub fn run(w: &mut World, millis: u64) -> Vec<Request> {
    let mut out = Vec::new();
    let mut left = millis;
    while left > 0 {
        let slice = left.min(1_000);
        w.step(slice);
        out.extend(w.drain_requests());
        left -= slice;
    }
    out
}
