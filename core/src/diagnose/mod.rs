//! "Why doesn't my Service answer?": the commonest causes, found in a cluster's state
//! whether it comes from manifests (built into a simulated world and settled), from a
//! live cluster's `kubectl get -o yaml` dump (read as it is), or from the page's own
//! world. `svcplay check` and the page's explain view both print these findings; the
//! page only renders them.
//!
//! Module map, one file per cause family: `finding` (the [`Finding`] type and every
//! [`Rule`]), `raw` (what the typed import leaves out: container args and env, foreign
//! workloads' templates, hand-written EndpointSlices, MetalLB pools, positions),
//! `listen` (where an app listens, from its flags), `settings` (load-balancer provider,
//! node-port range), `cluster` (the one input the rules read), `selection` (causes 1
//! and 5: selectors, namespaces, selectorless Services), `readiness` (cause 2), `ports`
//! (causes 3, 4 and 6), `exposure` (causes 7, 8 and 9, the hidden client IP), `extras`
//! (affinity, single endpoint, clients using a short name across namespaces), `live`
//! (a dump's contradictions), `rejected` (the API server's refusals as causes),
//! `connections` (cause 10: long-lived connections not rebalanced after a scale-up),
//! `input` (text in: manifests or a dump, to a [`Report`]).

mod cluster;
mod connections;
mod exposure;
mod extras;
mod finding;
mod input;
mod listen;
mod live;
mod ports;
mod raw;
mod readiness;
mod rejected;
mod selection;
mod settings;

pub use cluster::{ClientConns, Cluster, Source};
pub use finding::*;
pub use input::{DEFAULT_NODES, Options, Report, Unreadable, check_text, check_world};
pub use listen::{Listen, image_name, listens};
pub use raw::{AddressPool, Autoscaler, RawContainer, RawScan};
pub use selection::{edit_distance, near_miss};
pub use settings::{LbProvider, MAX_POOL_ADDRESSES, Settings, pool_addresses};

/// Every finding for a cluster: per Service (selection, readiness, ports, exposure,
/// notes), then clients, then the dump's contradictions, then the refusals; each placed
/// at its object's field in the input when the input holds it.
pub fn diagnose(c: &Cluster) -> Vec<Finding> {
    let mut out = Vec::new();
    for svc in c.services.values() {
        let before = out.len();
        selection::check(c, svc, &mut out);
        let unselected = out.len() > before;
        readiness::check(c, svc, &mut out);
        ports::check(c, svc, &mut out);
        exposure::check(c, svc, &mut out);
        connections::check(c, svc, &mut out);
        if !unselected {
            extras::check(c, svc, &mut out);
        }
    }
    extras::clients(c, &mut out);
    if c.source == Source::Live {
        live::check(c, &mut out);
    }
    out.extend(c.rejected.iter().map(rejected::finding));
    for f in &mut out {
        if f.at.is_none() {
            let o = &f.object;
            f.at = c.raw.locate(&o.kind, &o.namespace, &o.name, &f.field);
        }
    }
    out
}

/// The findings about one Service (for the page's explain view).
pub fn for_service<'a>(
    findings: &'a [Finding],
    namespace: &str,
    name: &str,
) -> impl Iterator<Item = &'a Finding> {
    let (namespace, name) = (namespace.to_owned(), name.to_owned());
    findings.iter().filter(move |f| {
        f.object.kind == "Service" && f.object.namespace == namespace && f.object.name == name
    })
}
