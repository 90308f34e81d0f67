//! The one conformance runner: Kubernetes' own test vectors, run as data.
//!
//! Reads `conformance/kubernetes-cases.json` (or the file named by `SVCPLAY_K8S_CASES`),
//! runs every case of every category that has a checker, and prints per category how many
//! ran and passed. Categories without a checker are listed with the reason they are
//! skipped. Any failing case fails the test, with its `source` named.

// A test harness may panic: a failed read or a failed case is the test failing.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

#[path = "conformance/support.rs"]
mod support;

#[path = "conformance/labels.rs"]
mod labels;

#[path = "conformance/network.rs"]
mod network;

#[path = "conformance/cluster.rs"]
mod cluster;

#[path = "conformance/dns.rs"]
mod dns;
#[path = "conformance/kube_proxy_sort.rs"]
mod kube_proxy_sort;
#[path = "conformance/kubectl.rs"]
mod kubectl;

#[path = "conformance/kube_proxy.rs"]
mod kube_proxy;

use support::Checker;

/// Every area's checkers, in one table.
fn checkers() -> BTreeMap<&'static str, Checker> {
    let areas: &[&[(&str, Checker)]] = &[
        labels::CATEGORIES,
        cluster::CATEGORIES,
        network::CATEGORIES,
        dns::CATEGORIES,
        kubectl::CATEGORIES,
        kube_proxy::CATEGORIES,
    ];
    areas.iter().flat_map(|a| a.iter().copied()).collect()
}

/// Categories knowingly not run yet, with the reason printed in the output.
const SKIPPED: &[(&str, &str)] = &[];

fn cases_path() -> PathBuf {
    match std::env::var_os("SVCPLAY_K8S_CASES") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/conformance/kubernetes-cases.json"),
    }
}

#[test]
fn kubernetes_conformance_vectors() {
    let path = cases_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Value::Object(categories) = doc else {
        panic!("{}: not a JSON object", path.display())
    };
    let checkers = checkers();
    let meta = categories.get("_meta").cloned().unwrap_or(Value::Null);
    println!("conformance vectors: {}", path.display());
    let mut failures = Vec::new();
    let (mut ran, mut passed) = (0usize, 0usize);
    for (name, cases) in &categories {
        if name == "_meta" {
            continue;
        }
        let Some(list) = cases.as_array() else {
            continue;
        };
        match checkers.get(name.as_str()) {
            Some(check) => {
                let mut ok = 0;
                for (i, case) in list.iter().enumerate() {
                    match check(case, &meta) {
                        Ok(()) => ok += 1,
                        Err(why) => failures.push(format!(
                            "{name}[{i}] ({}): {why}\n    case: {case}",
                            case.get("source")
                                .and_then(Value::as_str)
                                .unwrap_or("no source")
                        )),
                    }
                }
                println!("  {name:<46} {ok:>4}/{:<4} passed", list.len());
                ran += list.len();
                passed += ok;
            }
            None => {
                let why = SKIPPED
                    .iter()
                    .find(|(c, _)| *c == name)
                    .map_or("no checker for this category yet", |(_, why)| why);
                println!("  {name:<46} skipped ({} cases): {why}", list.len());
            }
        }
    }
    println!("conformance: {passed}/{ran} cases passed");
    assert!(
        failures.is_empty(),
        "{} conformance cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran > 0, "no conformance category ran");
}
