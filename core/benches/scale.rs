//! Growth benchmarks.
//!
//! - `phases/<scale>/…`: building the world at Kubernetes' limits
//!   (`svcplay_core::scenario::limits`) phase by phase — nodes, Deployments, Services,
//!   first reconcile — at 1/4 and at full scale, each phase timed from a clone of the
//!   world the previous phases built, so growth from 1/4 to full is visible per phase.
//! - `events/<pods>/…`: one pod's kill (`DeletePod`) and readiness flip (`CrashPod`) in
//!   a Service of 100, 1,000 and 10,000 pods on 100 nodes.
//!
//! Run: `cargo bench -p svcplay-core --bench scale -- --warm-up-time 1 --measurement-time 3`
//! (`SVCPLAY_BENCH_SCALES=4` keeps only the quarter-size world; `SVCPLAY_BENCH_PART=events`
//! or `=phases` runs one part).

#![cfg_attr(target_arch = "wasm32", allow(unused))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use criterion::{Criterion, SamplingMode};
    use svcplay_core::World;
    use svcplay_core::objects::build::{http_service, node_in_zone, web_deployment};
    use svcplay_core::objects::{Labels, NamespacedName};
    use svcplay_core::scenario::limits::{self, Shape};
    use svcplay_core::world::Command;

    fn scales() -> Vec<usize> {
        std::env::var("SVCPLAY_BENCH_SCALES")
            .unwrap_or_else(|_| "4,1".to_owned())
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    }

    /// Times `phase` on a fresh clone of `base` per iteration (the clone is not timed).
    fn time_phase(base: &World, iters: u64, phase: &dyn Fn(&mut World)) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let mut w = base.clone();
            let t = Instant::now();
            phase(&mut w);
            total += t.elapsed();
            drop(black_box(w));
        }
        total
    }

    fn phases(c: &mut Criterion) {
        for scale in scales() {
            let shape = Shape::limits(scale);
            let empty = limits::empty(1).unwrap();
            let mut with_nodes = empty.clone();
            limits::add_nodes(&mut with_nodes, &shape).unwrap();
            let mut with_deployments = with_nodes.clone();
            limits::add_deployments(&mut with_deployments, &shape).unwrap();
            let mut with_services = with_deployments.clone();
            limits::add_services(&mut with_services, &shape).unwrap();
            let mut g = c.benchmark_group(format!("phases/1-{scale}"));
            g.sampling_mode(SamplingMode::Flat).sample_size(10);
            g.bench_function("nodes", |b| {
                b.iter_custom(|n| time_phase(&empty, n, &|w| limits::add_nodes(w, &shape).unwrap()))
            });
            g.bench_function("deployments", |b| {
                b.iter_custom(|n| {
                    time_phase(&with_nodes, n, &|w| {
                        limits::add_deployments(w, &shape).unwrap()
                    })
                })
            });
            g.bench_function("services", |b| {
                b.iter_custom(|n| {
                    time_phase(&with_deployments, n, &|w| {
                        limits::add_services(w, &shape).unwrap()
                    })
                })
            });
            g.bench_function("first_reconcile", |b| {
                b.iter_custom(|n| time_phase(&with_services, n, &limits::first_reconcile))
            });
            g.finish();
        }
    }

    /// One Service `big` selecting `pods` pods (Deployments of at most 1,000 replicas,
    /// told apart by a `part` label) on 100 nodes, every pod Ready.
    fn service_world(pods: usize) -> World {
        let mut w = limits::empty(1).unwrap();
        for n in 0..100 {
            let node = node_in_zone(&format!("node-{n:03}"), &format!("zone-{}", n % 3));
            w.apply(Command::Create {
                objects: vec![node.into()],
            })
            .unwrap();
        }
        let mut left = pods;
        let mut part = 0;
        while left > 0 {
            let replicas = left.min(1_000);
            let labels = Labels::from([
                ("app".to_owned(), "big".to_owned()),
                ("part".to_owned(), part.to_string()),
            ]);
            let key = NamespacedName::default_ns(&format!("big-{part}"));
            w.apply(Command::Create {
                objects: vec![web_deployment(&key, labels, replicas as i32).into()],
            })
            .unwrap();
            left -= replicas;
            part += 1;
        }
        let svc = http_service(
            &NamespacedName::default_ns("big"),
            Labels::from([("app".to_owned(), "big".to_owned())]),
        );
        w.apply(Command::Create {
            objects: vec![svc.into()],
        })
        .unwrap();
        w.step(2_000);
        assert_eq!(
            w.pods().values().filter(|p| World::is_serving(p)).count(),
            pods
        );
        w
    }

    /// Serving pods to act on; when they run out, time moves 31 s (not timed): killed
    /// pods finish their grace period, replacements and crashed pods become Ready.
    struct Victims {
        names: Vec<NamespacedName>,
        cursor: usize,
    }

    impl Victims {
        fn next(&mut self, w: &mut World) -> NamespacedName {
            loop {
                if self.cursor >= self.names.len() {
                    w.step(31_000);
                    self.names = serving(w);
                    assert!(!self.names.is_empty());
                    self.cursor = 0;
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

    fn events(c: &mut Criterion) {
        for pods in [100, 1_000, 10_000] {
            let base = service_world(pods);
            let mut g = c.benchmark_group(format!("events/{pods}"));
            for (label, make) in [
                (
                    "kill",
                    (|p| Command::DeletePod { pod: p }) as fn(NamespacedName) -> Command,
                ),
                ("flip", |p| Command::CrashPod { pod: p }),
            ] {
                let mut w = base.clone();
                let mut victims = Victims {
                    names: serving(&w),
                    cursor: 0,
                };
                g.bench_function(label, |b| {
                    b.iter_custom(|n| {
                        let mut total = Duration::ZERO;
                        for _ in 0..n {
                            let p = victims.next(&mut w);
                            let t = Instant::now();
                            black_box(w.apply(make(p))).ok();
                            total += t.elapsed();
                        }
                        total
                    })
                });
            }
            g.finish();
        }
    }

    pub fn main() {
        let mut c = Criterion::default()
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        let part = std::env::var("SVCPLAY_BENCH_PART").unwrap_or_default();
        if part != "phases" {
            events(&mut c);
        }
        if part != "events" {
            phases(&mut c);
        }
        c.final_summary();
    }
}
