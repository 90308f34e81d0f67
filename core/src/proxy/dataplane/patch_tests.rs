//! Patching one endpoint at a time against a rebuild (see `patch.rs`).
#![allow(clippy::unwrap_used)]

use std::net::IpAddr;

use super::*;
use crate::proxy::ProxyConfig;
use crate::proxy::types::NodeInfo;
use crate::sim::SimRng;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn nodes() -> Vec<NodeInfo> {
    super::super::test_fixtures::nodes(5)
}

fn info(name: &str, last: u8, local: bool, affinity: bool) -> ServicePortInfo {
    super::super::test_fixtures::service_port(
        name,
        last,
        30000 + u16::from(last),
        local,
        affinity.then_some(10_800),
    )
}

/// A random endpoint of a small address space (so changes hit existing entries),
/// in any state, on a known node or on one that never joined.
fn endpoint(rng: &mut SimRng) -> Endpoint {
    let host = u8::try_from(rng.index(40)).unwrap();
    let node = match rng.index(7) {
        6 => "gone".to_owned(),
        n => format!("n{}", n % 5),
    };
    let mut e = Endpoint::ready(IpAddr::from([10, 244, host % 3, host]), 8080, &node);
    let state = rng.index(4);
    e.ready = state == 0 || state == 3;
    e.terminating = state == 1;
    e.serving = state != 2;
    e
}

#[test]
fn patching_one_endpoint_at_a_time_ends_where_a_rebuild_does() {
    let mut rng = SimRng::new(18);
    for (i, (local, affinity)) in [(false, false), (true, false), (false, true), (true, true)]
        .into_iter()
        .enumerate()
    {
        let port = info("web", u8::try_from(i + 1).unwrap(), local, affinity);
        let mut eps: Vec<Endpoint> = Vec::new();
        let mut inc = Dataplane::new(ProxyConfig::default());
        inc.sync(nodes(), vec![(port.clone(), Vec::new())]);
        for step in 0..400 {
            // Mostly single changes; now and then a batch, or everything gone (the
            // terminating fallback and the empty lists switch on and off).
            let mut patch = PortPatch {
                info: port.clone(),
                removed: Vec::new(),
                upserted: Vec::new(),
            };
            let n = if step % 50 == 49 { 0 } else { 1 + rng.index(3) };
            if n == 0 {
                patch.removed = eps.iter().map(|e| (e.ip, e.port)).collect();
                eps.clear();
            }
            for _ in 0..n {
                let e = endpoint(&mut rng);
                eps.retain(|x| (x.ip, x.port) != (e.ip, e.port));
                patch.upserted.retain(|x| (x.ip, x.port) != (e.ip, e.port));
                if rng.index(3) == 0 {
                    patch.removed.push((e.ip, e.port));
                } else {
                    patch.upserted.push(e.clone());
                    eps.push(e);
                }
            }
            patch
                .removed
                .retain(|a| !patch.upserted.iter().any(|e| (e.ip, e.port) == *a));
            assert!(inc.patch_service("default", "web", vec![patch]));
            eps.sort_by_key(Endpoint::addr);
            let mut full = Dataplane::new(ProxyConfig::default());
            full.sync(nodes(), vec![(port.clone(), eps.clone())]);
            assert_eq!(
                inc.programming_diff(&full),
                None,
                "local={local} affinity={affinity} step {step}"
            );
            assert_eq!(
                inc.ports.first().map(|p| &p.tally),
                full.ports.first().map(|p| &p.tally)
            );
        }
    }
}

#[test]
fn a_patch_that_does_not_fit_changes_nothing() {
    let mut dp = Dataplane::new(ProxyConfig::default());
    let port = info("web", 1, false, false);
    let e = Endpoint::ready(IpAddr::from([10, 244, 0, 1]), 8080, "n0");
    dp.sync(nodes(), vec![(port.clone(), vec![e.clone()])]);
    let before = dp.clone();
    let other = info("web", 2, false, false);
    let wrong = PortPatch {
        info: other,
        removed: vec![(e.ip, e.port)],
        upserted: Vec::new(),
    };
    assert!(!dp.patch_service("default", "web", vec![wrong]));
    let mut hinted = e.clone();
    hinted.zone_hints = vec!["z0".into()];
    let hints = PortPatch {
        info: port,
        removed: Vec::new(),
        upserted: vec![hinted],
    };
    assert!(!dp.patch_service("default", "web", vec![hints]));
    assert_eq!(dp.programming_diff(&before), None);
    assert!(!dp.patch_service("default", "web", Vec::new()));
    assert!(dp.patch_service("default", "absent", Vec::new()));
}
