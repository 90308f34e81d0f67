//! Import time against the number of objects: 500, 2,000 and 8,000, in three shapes.
//! Before issue 13 every position (of an object, a notice, an error) parsed the whole
//! stream again, so the time grew with the square of the objects (2,000 Services: 14 s);
//! now positions come from one extra pass, and time per object stays flat.
//!
//! - `configmaps`: kinds the playground skips, a notice each (with its position);
//! - `deployments`: Deployments (0 replicas, so within the pod limit) read, defaulted
//!   and validated in full, each with its origin's position;
//! - `services`: Services past `MAX_SERVICES`, an error each with its position (the
//!   most positions an import asks for).
//!
//! Run: `cargo bench -p svcplay-core --bench import -- --warm-up-time 1 --measurement-time 3`.

#![cfg_attr(target_arch = "wasm32", allow(unused))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{BenchmarkId, Criterion, Throughput};
    use svcplay_core::manifest::import;

    fn configmap(i: usize) -> String {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  key: value\n")
    }

    fn deployment(i: usize) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\n  labels:\n    app: d{i}\nspec:\n  replicas: 0\n  selector:\n    matchLabels:\n      app: d{i}\n  template:\n    metadata:\n      labels:\n        app: d{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 8080\n        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n"
        )
    }

    fn service(i: usize) -> String {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  selector:\n    app: d{i}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n"
        )
    }

    /// A shape: its name, one object, whether the import is accepted.
    type Shape = (&'static str, fn(usize) -> String, bool);

    pub fn benches(c: &mut Criterion) {
        let shapes: [Shape; 3] = [
            ("configmaps", configmap, true),
            ("deployments", deployment, true),
            ("services", service, false),
        ];
        for (shape, make, imports) in shapes {
            let mut g = c.benchmark_group(format!("import/{shape}"));
            g.sample_size(10);
            for n in [500usize, 2_000, 8_000] {
                let text = (0..n).map(make).collect::<Vec<_>>().join("---\n");
                assert_eq!(import(&text).is_ok(), imports, "{shape} {n}");
                g.throughput(Throughput::Elements(n as u64));
                g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                    b.iter(|| black_box(import(black_box(text))))
                });
            }
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
