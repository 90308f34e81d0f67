//! Cluster-scale benchmark: a world at Kubernetes' supported envelope (5,000 nodes,
//! 150,000 pods at ≤ 110 per node, 10,000 Services), timing the build, the first full
//! reconcile, a full recompute of every Service, and single pod events (kill, readiness
//! flip, label change), with the ratio full / incremental and the memory used.
//!
//! Run: `cargo bench -p svcplay-core --bench cluster -- --warm-up-time 1 --measurement-time 3`
//! (`SVCPLAY_BENCH_SCALE=10` divides every count by 10 for a quick try).

#![cfg_attr(target_arch = "wasm32", allow(unused))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../examples/support/memory.rs"]
mod memory;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use criterion::{Criterion, SamplingMode};
    use svcplay_core::World;
    use svcplay_core::objects::build::{http_service, node_in_zone, web_deployment};
    use svcplay_core::objects::{Labels, NamespacedName};
    use svcplay_core::world::{ClusterConfig, Command};

    use super::memory::memory;

    struct Shape {
        nodes: usize,
        services: usize,
        replicas: usize,
    }

    fn shape() -> Shape {
        let scale: usize = std::env::var("SVCPLAY_BENCH_SCALE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1)
            .max(1);
        Shape {
            nodes: 5_000 / scale,
            services: 10_000 / scale,
            replicas: 15,
        }
    }

    fn app(i: usize) -> Labels {
        Labels::from([("app".to_owned(), format!("svc-{i}"))])
    }

    /// Nodes, one Deployment of 15 replicas per Service, and the Services; pods are
    /// scheduled but not started (time 0).
    fn build(s: &Shape) -> World {
        // Far past the playground's pod limit: this world is built by code, not a user.
        let config = ClusterConfig {
            max_pods: u32::MAX,
            ..ClusterConfig::default()
        };
        let mut w = World::with_config(1, config).unwrap();
        for n in 0..s.nodes {
            w.apply(Command::Create {
                objects: vec![
                    node_in_zone(&format!("node-{n:05}"), &format!("zone-{}", n % 3)).into(),
                ],
            })
            .unwrap();
        }
        for i in 0..s.services {
            w.apply(Command::Create {
                objects: vec![
                    web_deployment(
                        &NamespacedName::default_ns(&format!("dep-{i:05}")),
                        app(i),
                        s.replicas as i32,
                    )
                    .into(),
                ],
            })
            .unwrap();
        }
        for i in 0..s.services {
            w.apply(Command::Create {
                objects: vec![
                    http_service(&NamespacedName::default_ns(&format!("svc-{i:05}")), app(i))
                        .into(),
                ],
            })
            .unwrap();
        }
        w
    }

    fn median(mut xs: Vec<Duration>) -> Duration {
        xs.sort_unstable();
        xs.get(xs.len() / 2).copied().unwrap_or_default()
    }

    /// A supply of serving pods to act on. When it runs out, time moves 31 s (untimed):
    /// killed pods finish their grace period, replacements and crashed pods pass their
    /// probes, and the list is refilled.
    struct Victims {
        names: Vec<NamespacedName>,
        cursor: usize,
        refills: usize,
    }

    impl Victims {
        fn new(w: &World) -> Self {
            Victims {
                names: serving(w),
                cursor: 0,
                refills: 0,
            }
        }

        fn next(&mut self, w: &mut World) -> NamespacedName {
            loop {
                if self.cursor >= self.names.len() {
                    w.step(31_000);
                    self.names = serving(w);
                    assert!(!self.names.is_empty(), "no serving pod left to act on");
                    self.cursor = 0;
                    self.refills += 1;
                }
                let name = &self.names[self.cursor];
                self.cursor += 1;
                if w.pod(name).is_some_and(World::is_serving) {
                    return name.clone();
                }
            }
        }
    }

    fn serving(w: &World) -> Vec<NamespacedName> {
        w.pods()
            .values()
            .filter(|p| World::is_serving(p))
            .map(|p| p.metadata.key())
            .collect()
    }

    /// Times `event` on `n` successive serving pods; only the event itself is timed.
    fn sample_events(
        w: &mut World,
        victims: &mut Victims,
        n: usize,
        event: fn(&mut World, &NamespacedName),
    ) -> Vec<Duration> {
        (0..n)
            .map(|_| {
                let name = victims.next(w);
                let t = Instant::now();
                event(w, &name);
                t.elapsed()
            })
            .collect()
    }

    fn kill(w: &mut World, p: &NamespacedName) {
        black_box(w.apply(Command::DeletePod { pod: p.clone() })).ok();
    }
    fn flip(w: &mut World, p: &NamespacedName) {
        black_box(w.apply(Command::CrashPod { pod: p.clone() })).ok();
    }
    fn relabel(w: &mut World, p: &NamespacedName) {
        // Move the pod to the next Service's label: two Services re-sync and the
        // ReplicaSet, which no longer owns it, creates a replacement.
        let next = w.pods()[p].metadata.labels["app"]
            .trim_start_matches("svc-")
            .parse::<usize>()
            .unwrap_or(0)
            + 1;
        black_box(w.apply(Command::SetPodLabels {
            pod: p.clone(),
            labels: app(next),
        }))
        .ok();
    }

    pub fn main() {
        let s = shape();
        let (rss0, _) = memory();
        let t = Instant::now();
        let mut w = build(&s);
        let build_time = t.elapsed();
        let (rss_built, _) = memory();
        let t = Instant::now();
        w.step(2_000);
        let first_reconcile = t.elapsed();
        let (rss_ready, hwm) = memory();
        let pods = w.pods().len();
        let slices = w.endpoint_slices().len();
        let max_per_node = w
            .nodes()
            .keys()
            .map(|n| w.pods().values().filter(|p| &p.spec.node_name == n).count())
            .max()
            .unwrap_or(0);
        assert_eq!(
            serving(&w).len(),
            pods,
            "every pod is Ready after the first reconcile"
        );

        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        let mut full = w.clone();
        {
            let mut g = c.benchmark_group("cluster");
            g.sampling_mode(SamplingMode::Flat);
            g.bench_function("full_recompute_all_services", |b| {
                b.iter(|| full.resync_all_services())
            });
            g.finish();
        }
        let mut events = Vec::new();
        for (label, event) in [
            ("kill_pod", kill as fn(&mut World, &NamespacedName)),
            ("readiness_flip_crash_pod", flip),
            ("label_change_moves_service", relabel),
        ] {
            let mut ew = w.clone();
            let mut victims = Victims::new(&ew);
            let mut g = c.benchmark_group("cluster");
            g.bench_function(label, |b| {
                b.iter_custom(|iters| {
                    sample_events(&mut ew, &mut victims, iters as usize, event)
                        .into_iter()
                        .sum()
                })
            });
            g.finish();
            // Our own median over fresh victims, for the summary below.
            let syncs = ew.service_syncs();
            let samples = sample_events(&mut ew, &mut victims, 2_000, event);
            let per_event = (ew.service_syncs() - syncs) as f64 / samples.len() as f64;
            events.push((label, median(samples), victims.refills, per_event));
        }
        let full_samples: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                full.resync_all_services();
                t.elapsed()
            })
            .collect();
        let full_median = median(full_samples);

        println!("\n== svcplay cluster bench summary ==");
        println!(
            "shape: {} nodes, {} pods (max {} per node), {} services, {} slices",
            s.nodes, pods, max_per_node, s.services, slices
        );
        println!(
            "build (nodes, deployments, services; pods scheduled): {:.2?}",
            build_time
        );
        println!(
            "first full reconcile (step 2 s: {} pods start, probe, Ready; every Service synced): {:.2?}",
            pods, first_reconcile
        );
        println!(
            "full recompute of every Service (median of 5): {:.2?}",
            full_median
        );
        for (label, m, refills, per_event) in &events {
            let ratio = full_median.as_secs_f64() / m.as_secs_f64().max(1e-9);
            println!(
                "one event {label:<28} median {:>10.2?}   full/incremental = {:>8.0}x   Service syncs per event {per_event:.2}   (victim refills: {refills})",
                m, ratio
            );
        }
        println!(
            "memory: VmRSS {:.0} MiB at start, {:.0} MiB built, {:.0} MiB after first reconcile (peak VmHWM {:.0} MiB; the clones for the event benches come after)",
            rss0, rss_built, rss_ready, hwm
        );
        println!(
            "       ≈ {:.2} KiB per pod (world incl. slices, indexes, event log)",
            (rss_ready - rss0) * 1024.0 / pods as f64
        );
        c.final_summary();
    }
}
