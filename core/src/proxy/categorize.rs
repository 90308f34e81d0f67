//! Which endpoints a node's kube-proxy uses for a service port.
//!
//! Upstream: kubernetes/kubernetes@803d40a5 `pkg/proxy/topology.go` (current, checked against the
//! @02756999 test vectors) `CategorizeEndpoints`,
//! `topologyModeFromHints`, `availableForTopology`.
//! Simplification: node hints (`PreferSameNode`) are not modelled, only zone hints.

use super::types::{Endpoint, NodeInfo, ServicePortInfo};

/// The endpoint lists of one service port on one node, as indices into the endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Categorized {
    /// The cluster-wide list; `None` when the port never uses it.
    pub cluster: Option<Vec<usize>>,
    /// The node-local list; `None` when the port never uses it.
    pub local: Option<Vec<usize>>,
    /// Every endpoint reachable from this node (union of the two), in input order.
    pub all_reachable: Vec<usize>,
    /// Some endpoint anywhere is ready, or serving and terminating.
    pub has_any: bool,
}

/// Categorizes `endpoints` for `port` on `node`. An endpoint is local when its
/// `node` equals the node's name.
pub fn categorize(endpoints: &[Endpoint], port: &ServicePortInfo, node: &NodeInfo) -> Categorized {
    let zone = node.zone.as_deref().unwrap_or("");
    categorize_with(
        endpoints,
        port.uses_cluster_endpoints(),
        port.uses_local_endpoints(),
        zone,
        |e| e.node == node.name,
    )
}

/// The core of [`categorize`], with the two policy answers and locality given directly.
pub fn categorize_with(
    endpoints: &[Endpoint],
    uses_cluster: bool,
    uses_local: bool,
    zone: &str,
    is_local: impl Fn(&Endpoint) -> bool,
) -> Categorized {
    let mut out = Categorized::default();
    let mut use_topology = false;
    if uses_cluster {
        use_topology = zone_hints_apply(endpoints, zone);
        let mut cluster: Vec<usize> =
            indices(endpoints, |e| e.ready && (!use_topology || hinted(e, zone)));
        if cluster.is_empty() {
            // Terminating fallback (formerly ProxyTerminatingEndpoints): every serving
            // and terminating endpoint, all zones.
            cluster = indices(endpoints, |e| e.serving && e.terminating);
        }
        out.has_any = !cluster.is_empty();
        out.cluster = Some(cluster);
    }
    if !uses_local {
        out.all_reachable = out.cluster.clone().unwrap_or_default();
        return out;
    }
    let (mut local_ready, mut local_terminating) = (false, false);
    for e in endpoints {
        if e.ready {
            out.has_any = true;
            local_ready |= is_local(e);
        } else if e.serving && e.terminating {
            out.has_any = true;
            local_terminating |= is_local(e);
        }
    }
    let local = if local_ready {
        indices(endpoints, |e| is_local(e) && e.ready)
    } else if local_terminating {
        indices(endpoints, |e| is_local(e) && e.serving && e.terminating)
    } else {
        Vec::new()
    };
    out.all_reachable = match &out.cluster {
        None => local.clone(),
        Some(c) if !use_topology && (local_ready || !local_terminating) => c.clone(),
        Some(c) => {
            let mut all: Vec<usize> = c.iter().chain(local.iter()).copied().collect();
            crate::sort::sort(&mut all);
            all.dedup();
            all
        }
    };
    out.local = Some(local);
    out
}

fn indices(endpoints: &[Endpoint], keep: impl Fn(&Endpoint) -> bool) -> Vec<usize> {
    endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| keep(e))
        .map(|(i, _)| i)
        .collect()
}

fn hinted(e: &Endpoint, zone: &str) -> bool {
    e.zone_hints.iter().any(|z| z == zone)
}

/// Zone filtering applies only when every ready endpoint has a zone hint and at least
/// one is hinted for this node's zone (a node without a zone never matches).
fn zone_hints_apply(endpoints: &[Endpoint], zone: &str) -> bool {
    let mut all_hinted = true;
    let mut for_zone = false;
    for e in endpoints.iter().filter(|e| e.ready) {
        if e.zone_hints.is_empty() {
            all_hinted = false;
        } else if !zone.is_empty() && hinted(e, zone) {
            for_zone = true;
        }
    }
    all_hinted && for_zone
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ep(last: u8, node: &str, ready: bool, terminating: bool) -> Endpoint {
        let mut e = Endpoint::ready(std::net::IpAddr::from([10, 0, 0, last]), 80, node);
        e.ready = ready;
        e.serving = ready || terminating;
        e.terminating = terminating;
        e
    }

    #[test]
    fn local_falls_back_to_local_terminating_and_merges_all() {
        let eps = vec![ep(1, "a", false, true), ep(2, "b", true, false)];
        let c = categorize_with(&eps, true, true, "", |e| e.node == "a");
        assert_eq!(c.cluster, Some(vec![1]));
        assert_eq!(c.local, Some(vec![0]));
        assert_eq!(c.all_reachable, vec![0, 1]);
        assert!(c.has_any);
    }

    #[test]
    fn nothing_usable_means_no_endpoints() {
        let eps = vec![ep(1, "a", false, false)];
        let c = categorize_with(&eps, true, false, "", |_| false);
        assert_eq!(c.cluster, Some(vec![]));
        assert!(!c.has_any);
        assert_eq!(c.local, None);
    }
}
