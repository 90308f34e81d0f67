//! Packing a Service's wanted endpoints into EndpointSlices.
//!
//! Given the slices a Service has and the endpoints it should have (grouped by port
//! list), [`plan`] says which slices to update, create and delete, following the
//! controller's packing rules (c.5).
//! Upstream: kubernetes/endpointslice@daa4d010 `reconciler.go` `reconcileByPortMapping`,
//! `getSliceToFill`; placeholder slices in `reconcile`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::objects::{Endpoint, EndpointPort, EndpointSlice};

/// The default `--max-endpoints-per-slice`.
/// Upstream: kubernetes/kubernetes@7fc9c57d
/// `pkg/controller/endpointslice/config/v1alpha1/defaults.go`.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// The endpoints wanted per port list, each keyed by its address.
pub type Desired = BTreeMap<Vec<EndpointPort>, BTreeMap<String, Endpoint>>;

/// What to do with a Service's slices.
#[derive(Debug, Default)]
pub struct Plan {
    /// Existing slices (by name) with their new contents.
    pub update: Vec<EndpointSlice>,
    /// New slices, still unnamed: port list and endpoints.
    pub create: Vec<(Vec<EndpointPort>, Vec<Endpoint>)>,
    /// Names of slices to delete.
    pub delete: Vec<String>,
}

impl Plan {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.update.is_empty() && self.create.is_empty() && self.delete.is_empty()
    }
}

/// Plans the change from `existing` slices to the `desired` endpoints.
///
/// 1. Each existing slice keeps the endpoints still wanted (refreshed); one left empty
///    is deleted; one that changed is marked for update.
/// 2. New endpoints fill the slices marked for update, fullest first, up to `max`.
/// 3. If fewer than `max` remain, they go into the unchanged slice that ends closest to
///    full without overflowing.
/// 4. The rest go into new slices.
///
/// A Service with no endpoints keeps exactly one placeholder slice (no endpoints, no
/// ports); placeholders go as soon as a real slice exists.
///
/// Simplification: upstream takes new endpoints from an unordered set; this takes them
/// in address order, so a run is reproducible.
pub fn plan(existing: &[&EndpointSlice], desired: Desired, max: usize) -> Plan {
    plan_scoped(existing, desired, max, None)
}

/// [`plan`] when only some endpoints may have changed: `touched` names the slices that
/// hold an endpoint that may have changed (or its address), and `desired` holds only
/// what is wanted of those slices' endpoints plus the changed endpoints. Every other
/// slice is known to be unchanged: it is neither read nor copied, unless rule 3 picks
/// it to take new endpoints. `None` reads every slice, as [`plan`].
///
/// The result equals [`plan`]'s on the full desired set: an untouched slice keeps every
/// endpoint unchanged there too, so it is unchanged, and the endpoints left over after
/// rule 1 are the same.
/// Upstream: kubernetes/endpointslice@daa4d010 `reconciler.go` `reconcileByPortMapping`
/// (slices whose endpoints are all still wanted and equal are left alone: "slicesToUpdate"
/// only gets slices with a changed or removed endpoint).
pub fn plan_scoped(
    existing: &[&EndpointSlice],
    desired: Desired,
    max: usize,
    touched: Option<&BTreeSet<String>>,
) -> Plan {
    let max = max.max(1);
    let mut out = Plan::default();
    let mut remaining = desired;
    let mut placeholders = Vec::new();
    // Per port list: (slice, changed) for slices that keep endpoints.
    let mut kept: BTreeMap<Vec<EndpointPort>, Vec<(Cow<'_, EndpointSlice>, bool)>> =
        BTreeMap::new();
    for slice in existing {
        if slice.is_placeholder() {
            placeholders.push(slice.metadata.name.clone());
            continue;
        }
        if touched.is_some_and(|t| !t.contains(&slice.metadata.name)) {
            kept.entry(slice.ports.clone())
                .or_default()
                .push((Cow::Borrowed(*slice), false));
            continue;
        }
        let wanted = remaining.get_mut(&slice.ports);
        let mut endpoints = Vec::with_capacity(slice.endpoints.len());
        if let Some(wanted) = wanted {
            for ep in &slice.endpoints {
                if let Some(fresh) = wanted.remove(ep.address()) {
                    endpoints.push(fresh);
                }
            }
        }
        if endpoints.is_empty() {
            out.delete.push(slice.metadata.name.clone());
            continue;
        }
        let changed = endpoints != slice.endpoints;
        let mut next = (*slice).clone();
        next.endpoints = endpoints;
        kept.entry(slice.ports.clone())
            .or_default()
            .push((Cow::Owned(next), changed));
    }
    for (ports, left) in remaining {
        let mut left: Vec<Endpoint> = left.into_values().collect();
        let slices = kept.entry(ports.clone()).or_default();
        // 2. Fill changed slices, fullest first.
        let mut order: Vec<usize> = (0..slices.len()).filter(|&i| slices[i].1).collect();
        order.sort_by(|&a, &b| {
            slices[b]
                .0
                .endpoints
                .len()
                .cmp(&slices[a].0.endpoints.len())
                .then_with(|| slices[a].0.metadata.name.cmp(&slices[b].0.metadata.name))
        });
        for i in order {
            let room = max.saturating_sub(slices[i].0.endpoints.len());
            let take = room.min(left.len());
            slices[i].0.to_mut().endpoints.extend(left.drain(..take));
        }
        // 3. One unchanged slice that ends closest to full.
        if !left.is_empty() && left.len() < max {
            let best = (0..slices.len())
                .filter(|&i| !slices[i].1 && slices[i].0.endpoints.len() + left.len() <= max)
                .max_by(|&a, &b| {
                    slices[a]
                        .0
                        .endpoints
                        .len()
                        .cmp(&slices[b].0.endpoints.len())
                        .then_with(|| slices[b].0.metadata.name.cmp(&slices[a].0.metadata.name))
                });
            if let Some(i) = best {
                slices[i].0.to_mut().endpoints.append(&mut left);
                slices[i].1 = true;
            }
        }
        // 4. New slices.
        while !left.is_empty() {
            let take = max.min(left.len());
            out.create
                .push((ports.clone(), left.drain(..take).collect()));
        }
    }
    let mut real = out.create.len();
    for (_, slices) in kept {
        for (slice, changed) in slices {
            real += 1;
            if changed {
                out.update.push(slice.into_owned());
            }
        }
    }
    if real == 0 {
        let mut placeholders = placeholders.into_iter();
        if placeholders.next().is_none() {
            out.create.push((Vec::new(), Vec::new()));
        }
        out.delete.extend(placeholders);
    } else {
        out.delete.extend(placeholders);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::ObjectMeta;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ep(ip: &str) -> Endpoint {
        Endpoint {
            addresses: vec![ip.to_owned()],
            ..Default::default()
        }
    }

    fn port() -> Vec<EndpointPort> {
        vec![EndpointPort {
            name: "http".into(),
            port: 8080,
            ..Default::default()
        }]
    }

    fn desired(n: usize) -> Desired {
        let eps = (0..n).map(|i| {
            (
                format!("10.0.{}.{}", i / 200, i % 200),
                ep(&format!("10.0.{}.{}", i / 200, i % 200)),
            )
        });
        Desired::from([(port(), eps.collect())])
    }

    fn slice(name: &str, ports: Vec<EndpointPort>, eps: Vec<Endpoint>) -> EndpointSlice {
        EndpointSlice {
            metadata: ObjectMeta::named("default", name),
            ports,
            endpoints: eps,
            ..Default::default()
        }
    }

    #[test]
    fn empty_service_gets_one_placeholder() {
        let p = plan(&[], Desired::new(), 100);
        assert_eq!(p.create, vec![(vec![], vec![])]);
        let ph = slice("web-aaaaa", vec![], vec![]);
        let p = plan(&[&ph], Desired::new(), 100);
        assert!(
            p.create.is_empty() && p.delete.is_empty() && p.update.is_empty(),
            "{p:?}"
        );
    }

    #[test]
    fn packs_into_slices_of_at_most_max_and_drops_placeholder() {
        let ph = slice("web-aaaaa", vec![], vec![]);
        let p = plan(&[&ph], desired(250), 100);
        let sizes: Vec<usize> = p.create.iter().map(|(_, e)| e.len()).collect();
        assert_eq!(sizes, vec![100, 100, 50]);
        assert_eq!(p.delete, vec!["web-aaaaa".to_owned()]);
    }

    #[test]
    fn removed_endpoints_leave_and_new_fill_the_changed_slice() {
        let d = desired(3);
        let mut eps: Vec<Endpoint> = d[&port()].values().cloned().collect();
        let gone = ep("10.9.9.9");
        eps.insert(0, gone);
        let s = slice("web-bbbbb", port(), eps[..3].to_vec());
        let p = plan(&[&s], d.clone(), 100);
        assert_eq!(p.update.len(), 1);
        assert_eq!(p.update[0].endpoints.len(), 3, "one removed, one added");
        assert!(p.create.is_empty() && p.delete.is_empty());
        let unchanged = slice("web-bbbbb", port(), d[&port()].values().cloned().collect());
        let p = plan(&[&unchanged], d, 100);
        assert!(
            p.update.is_empty() && p.create.is_empty() && p.delete.is_empty(),
            "no-op sync"
        );
    }
}
