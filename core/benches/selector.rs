//! Selector parse and match speed, side by side with kube-rs `kube-core`'s `Selector`
//! built from the same requirements. Run:
//! `cargo bench -p svcplay-core --bench selector -- --warm-up-time 1 --measurement-time 3`.

#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeSet;
    use std::hint::black_box;

    use criterion::Criterion;
    use kube_core::{Expression, Selector as KubeSelector, SelectorExt};
    use svcplay_core::objects::Labels;
    use svcplay_core::selector::{Selector, service_selects};

    /// Selectors as people write them: a Service's, a Deployment's, a set-based one.
    const TYPICAL: &[(&str, &str)] = &[
        ("service", "app=web"),
        ("mixed", "app=web,tier in (fe,be),!canary"),
        (
            "long",
            "environment in (production,qa),tier notin (frontend),partition,example.com/zone!=us-east-1a,release=stable",
        ),
    ];

    /// A pod's labels: `app=web,tier=fe,env=prod` plus filler up to `n`.
    fn pod_labels(n: usize) -> Labels {
        let mut l = Labels::new();
        l.insert("app".into(), "web".into());
        l.insert("tier".into(), "fe".into());
        l.insert("env".into(), "prod".into());
        l.insert("pod-template-hash".into(), "5d8f7c9b6".into());
        l.insert("app.kubernetes.io/name".into(), "web".into());
        for i in l.len()..n {
            l.insert(format!("example.com/label-{i:02}"), format!("value-{i}"));
        }
        l
    }

    fn set(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    pub fn benches(c: &mut Criterion) {
        let mut g = c.benchmark_group("parse");
        for (name, text) in TYPICAL {
            g.bench_function(*name, |b| b.iter(|| Selector::parse(black_box(text))));
        }
        g.finish();

        // A Service selector: two equalities.
        let service: Labels = [("app", "web"), ("tier", "fe")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
        let ours_service = Selector::from_set(&service);
        let kube_service: KubeSelector = [("app", "web"), ("tier", "fe")].into_iter().collect();

        // A set-based selector: `app=web,tier in (fe,be),!canary,env notin (dev)`.
        let ours_set = Selector::parse("app=web,tier in (fe,be),!canary,env notin (dev)");
        let kube_set: KubeSelector = [
            Expression::Equal("app".into(), "web".into()),
            Expression::In("tier".into(), set(&["fe", "be"])),
            Expression::DoesNotExist("canary".into()),
            Expression::NotIn("env".into(), set(&["dev"])),
        ]
        .into_iter()
        .collect();
        let Ok(ours_set) = ours_set else { return };

        for n in [5, 20] {
            let labels = pod_labels(n);
            assert_eq!(labels.len(), n);
            // Every selector matches, so every requirement is evaluated.
            assert!(ours_service.matches(&labels) && kube_service.matches(&labels));
            assert!(ours_set.matches(&labels) && kube_set.matches(&labels));
            assert!(service_selects(Some(&service), &labels));

            let mut g = c.benchmark_group(format!("match_service_{n}"));
            g.bench_function("svcplay_selector", |b| {
                b.iter(|| black_box(&ours_service).matches(black_box(&labels)))
            });
            g.bench_function("svcplay_service_selects", |b| {
                b.iter(|| service_selects(Some(black_box(&service)), black_box(&labels)))
            });
            g.bench_function("kube_core", |b| {
                b.iter(|| black_box(&kube_service).matches(black_box(&labels)))
            });
            g.finish();

            let mut g = c.benchmark_group(format!("match_set_{n}"));
            g.bench_function("svcplay_selector", |b| {
                b.iter(|| black_box(&ours_set).matches(black_box(&labels)))
            });
            g.bench_function("kube_core", |b| {
                b.iter(|| black_box(&kube_set).matches(black_box(&labels)))
            });
            g.finish();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::benches);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
