//! The EndpointSlice controller: its rules (`rules`: which pods are endpoints, with
//! which conditions and ports), slice packing (`slices`), the store of slices
//! (`store`), and its driver here, incremental.
//!
//! A Service sync recomputes that one Service's endpoints from the pods its selector
//! matches (found through the pod label index) and repacks its slices (c.1–c.5). Pod
//! events never loop over all Services: the Service store's label index finds the
//! Services a pod can match, and only those are marked dirty.
//! Upstream: kubernetes/kubernetes@9e8be126
//! `pkg/controller/endpointslice/endpointslice_controller.go`
//! `syncService`, `onPodUpdate` → `getServicesForPod`; kubernetes/endpointslice@daa4d010
//! `reconciler.go`.

pub mod rules;
pub mod slices;
pub(crate) mod store;

use std::collections::{BTreeMap, BTreeSet};

use crate::objects::endpoint_slice::{
    HEADLESS_LABEL, MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL,
};
use crate::objects::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, Labels, NamespacedName, ObjectMeta,
    OwnerReference, Pod, Service, ServiceType,
};
use crate::world::World;
use rules::{endpoint_ports, exclusions, pod_to_endpoint};
use slices::{Desired, MAX_ENDPOINTS_PER_SLICE};

/// Every endpoint of a Service's slices by address, with its slice and ports.
type EndpointMap = BTreeMap<String, (Endpoint, String, Vec<EndpointPort>)>;

/// What a Service sync changed, for kube-proxy.
pub(crate) enum Synced {
    /// Anything may have changed: reprogram the Service whole.
    All,
    /// Nothing changed.
    Nothing,
    /// Only the slices named in `scope` changed; `before` holds those that existed
    /// before, as they were.
    Slices {
        before: Vec<EndpointSlice>,
        scope: BTreeSet<String>,
    },
}

impl World {
    /// Syncs one Service's EndpointSlices (c.1): gone → its slices go (owner GC);
    /// ExternalName or no selector → nothing is done; otherwise repack.
    pub(crate) fn sync_service(&mut self, key: &NamespacedName) {
        let _ = self.sync_service_for(key, None);
    }

    /// [`World::sync_service`] when only the endpoints of the pods named in `pods` (in
    /// the Service's namespace) may have changed: only the slices holding them are read
    /// and rewritten, whatever the size of the Service. `None` looks at every pod.
    /// Returns what changed, so that kube-proxy reprograms only that.
    pub(crate) fn sync_service_for(
        &mut self,
        key: &NamespacedName,
        pods: Option<&BTreeSet<String>>,
    ) -> Synced {
        self.queue.service_syncs += 1;
        let Some(svc) = self.services.get(key) else {
            for slice in self.slices.remove_all(key) {
                let (s, name) = (&slice.name, &key.name);
                self.event(
                    "EndpointSlice",
                    &slice,
                    format!("endpointslice {s} deleted: service {name} is gone"),
                );
            }
            return Synced::All;
        };
        if svc.spec.type_ == ServiceType::ExternalName {
            return Synced::All;
        }
        let Some(selector) = svc.spec.effective_selector() else {
            return Synced::All;
        };
        let existing: Vec<&EndpointSlice> = self.slices.of_service(key);
        let (desired, touched) = match pods {
            None => (self.desired_all(svc, selector), None),
            Some(pods) => {
                let (d, t) = self.desired_of(svc, selector, &existing, pods);
                (d, Some(t))
            }
        };
        let plan = slices::plan_scoped(
            &existing,
            desired,
            MAX_ENDPOINTS_PER_SLICE,
            touched.as_ref(),
        );
        if plan.is_empty() {
            // Nothing changed: no write, as the controller skips no-op updates.
            return if touched.is_some() {
                Synced::Nothing
            } else {
                Synced::All
            };
        }
        // The slices that change (the others are equal before and after).
        let scope = touched.map(|mut t| {
            t.extend(plan.update.iter().map(|s| s.metadata.name.clone()));
            t.extend(plan.delete.iter().cloned());
            t
        });
        let before = self.endpoint_map(key, scope.as_ref());
        // When the rewritten slices are all the Service has, a whole reprogram reads no
        // more than a patch would (a small Service): no copy is kept for one.
        let patchable = scope
            .as_ref()
            .filter(|scope| self.slices.count_of(key) > scope.len());
        let before_slices: Option<Vec<EndpointSlice>> = patchable.map(|scope| {
            scope
                .iter()
                .filter_map(|n| self.slices.get(&NamespacedName::new(&key.namespace, n)))
                .cloned()
                .collect()
        });
        let template = slice_template(svc);
        let name = &key.name;
        let mut created = Vec::new();
        for slice in plan.update {
            self.slices.put(key, slice);
        }
        for gone in plan.delete {
            let gone = NamespacedName::new(&key.namespace, &gone);
            let placeholder = self
                .slices
                .remove(key, &gone)
                .is_some_and(|s| s.is_placeholder());
            let why = if placeholder {
                "the Service has endpoints now"
            } else {
                "no endpoints left in it"
            };
            let g = &gone.name;
            self.event(
                "EndpointSlice",
                &gone,
                format!("endpointslice {g} of service {name} deleted: {why}"),
            );
        }
        for (ports, endpoints) in plan.create {
            let slice_key = loop {
                let candidate =
                    NamespacedName::new(&key.namespace, &format!("{name}-{}", self.name_suffix()));
                if !self.slices.contains(&candidate) {
                    break candidate;
                }
            };
            let mut slice = template.clone();
            slice.metadata.name = slice_key.name.clone();
            slice.metadata.uid = self.uid();
            slice.metadata.creation_timestamp = Some(self.now);
            let what = if endpoints.is_empty() && ports.is_empty() {
                "as a placeholder: the selector matches no pod that can be an endpoint".to_owned()
            } else {
                format!("with {} endpoint(s)", endpoints.len())
            };
            let s = &slice_key.name;
            self.event(
                "EndpointSlice",
                &slice_key,
                format!("endpointslice {s} of service {name} created {what}"),
            );
            slice.ports = ports;
            slice.endpoints = endpoints;
            created.push(slice_key.name.clone());
            self.slices.put(key, slice);
        }
        let scope = scope.map(|mut s| {
            s.extend(created);
            s
        });
        let after = self.endpoint_map(key, scope.as_ref());
        self.log_endpoint_changes(key, &before, &after);
        match (before_slices, scope) {
            (Some(before), Some(scope)) => Synced::Slices { before, scope },
            _ => Synced::All,
        }
    }

    /// Every endpoint the Service's selector asks for, grouped by port list.
    fn desired_all(&self, svc: &Service, selector: &Labels) -> Desired {
        let mut desired = Desired::new();
        for pod in self.pods.matching(&svc.metadata.namespace, selector) {
            if let Some((ports, ip, ep)) = self.endpoint_of(svc, pod) {
                desired.entry(ports).or_default().insert(ip, ep);
            }
        }
        desired
    }

    /// A pod's endpoint for a Service: its port list, address and endpoint; `None`
    /// when the pod is excluded (c.2).
    fn endpoint_of(
        &self,
        svc: &Service,
        pod: &Pod,
    ) -> Option<(Vec<EndpointPort>, String, Endpoint)> {
        let node = self.nodes.get(&pod.spec.node_name);
        if !exclusions(svc, pod, node.is_some()).is_empty() {
            return None;
        }
        let (ports, _) = endpoint_ports(svc, pod);
        let ep = pod_to_endpoint(svc, pod, node);
        Some((ports, pod.status.pod_ip.clone(), ep))
    }

    /// What [`slices::plan_scoped`] needs when only `pods` changed: the slices holding
    /// their old endpoints or new addresses (touched), and the endpoints wanted of those
    /// slices — the unchanged pods' as they are, the changed pods' recomputed — in the
    /// order a full sync inserts them (pod name), so a shared address resolves alike.
    fn desired_of(
        &self,
        svc: &Service,
        selector: &Labels,
        existing: &[&EndpointSlice],
        pods: &BTreeSet<String>,
    ) -> (Desired, BTreeSet<String>) {
        let key = svc.metadata.key();
        let mut touched = BTreeSet::new();
        let mut rows = BTreeMap::new();
        let mut fresh = Vec::new();
        for name in pods {
            let pod_key = NamespacedName::new(&key.namespace, name);
            let new = self
                .pods
                .get(&pod_key)
                .filter(|p| rules::selector_matches(selector, &p.metadata.labels))
                .and_then(|p| self.endpoint_of(svc, p));
            let address = new.as_ref().map(|(_, ip, _)| ip.as_str());
            touched.extend(self.slices.holding(&key, address, name).cloned());
            fresh.push((name, new));
        }
        for slice in existing
            .iter()
            .filter(|s| touched.contains(&s.metadata.name))
        {
            for ep in &slice.endpoints {
                let Some(pod) = ep.pod_name().filter(|p| !pods.contains(*p)) else {
                    continue;
                };
                let row = (slice.ports.clone(), ep.address().to_owned(), ep.clone());
                rows.insert(pod.to_owned(), row);
            }
        }
        for (name, new) in fresh {
            if let Some(row) = new {
                rows.insert(name.clone(), row);
            }
        }
        let mut desired = Desired::new();
        for (ports, ip, ep) in rows.into_values() {
            desired.entry(ports).or_default().insert(ip, ep);
        }
        (desired, touched)
    }

    /// Every endpoint of a Service's slices (of those named in `scope`, when given) by
    /// address, with its slice and ports.
    fn endpoint_map(
        &self,
        service: &NamespacedName,
        scope: Option<&BTreeSet<String>>,
    ) -> EndpointMap {
        let mut out = BTreeMap::new();
        let slices = self.slices.of_service(service);
        let in_scope = |s: &&&EndpointSlice| scope.is_none_or(|n| n.contains(&s.metadata.name));
        for slice in slices.iter().filter(in_scope) {
            for ep in &slice.endpoints {
                out.insert(
                    ep.address().to_owned(),
                    (ep.clone(), slice.metadata.name.clone(), slice.ports.clone()),
                );
            }
        }
        out
    }

    fn log_endpoint_changes(
        &mut self,
        service: &NamespacedName,
        before: &EndpointMap,
        after: &EndpointMap,
    ) {
        let svc = &service.name;
        for (ip, (old, slice, _)) in before {
            if after.contains_key(ip) {
                continue;
            }
            let pod = old.pod_name().unwrap_or("");
            let why = self.removal_cause(service, pod);
            let key = NamespacedName::new(&service.namespace, slice);
            self.event(
                "EndpointSlice",
                &key,
                format!(
                    "endpoint {ip} (pod {pod}) removed from slice {slice} of service {svc}: {why}"
                ),
            );
        }
        for (ip, (new, slice, ports)) in after {
            let pod = new.pod_name().unwrap_or("");
            let key = NamespacedName::new(&service.namespace, slice);
            match before.get(ip) {
                None => {
                    let ports = if ports.is_empty() {
                        "no ports".to_owned()
                    } else {
                        ports
                            .iter()
                            .map(|p| format!("{}:{}", p.name, p.port))
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    self.event(
                        "EndpointSlice",
                        &key,
                        format!("endpoint {ip} (pod {pod}) added to slice {slice} of service {svc} ({}; {ports})", conditions_words(new.conditions)),
                    );
                }
                Some((old, _, _)) if old.conditions != new.conditions => {
                    let state = self.pod_state_words(&NamespacedName::new(&service.namespace, pod));
                    self.event(
                        "EndpointSlice",
                        &key,
                        format!(
                            "endpoint {ip} (pod {pod}) in slice {slice} of service {svc} is now {} (was {}): {state}",
                            conditions_words(new.conditions),
                            conditions_words(old.conditions),
                        ),
                    );
                }
                Some(_) => {}
            }
        }
    }

    /// Why a pod's endpoint left a Service's slices, in words.
    fn removal_cause(&self, service: &NamespacedName, pod: &str) -> String {
        let pod = NamespacedName::new(&service.namespace, pod);
        let (Some(svc), Some(p)) = (self.services.get(service), self.pods.get(&pod)) else {
            return "pod deleted".to_owned();
        };
        let node = self.nodes.contains(&p.spec.node_name);
        exclusions(svc, p, node)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The pod's readiness and deletion state, in words.
    fn pod_state_words(&self, pod: &NamespacedName) -> String {
        match self.pods.get(pod) {
            None => "pod deleted".to_owned(),
            Some(p) if p.metadata.is_terminating() && p.status.ready => {
                "pod is terminating (still Ready)".to_owned()
            }
            Some(p) if p.metadata.is_terminating() => "pod is terminating and NotReady".to_owned(),
            Some(p) if p.status.ready => "pod is Ready".to_owned(),
            Some(_) => "pod is NotReady".to_owned(),
        }
    }

    /// The ready endpoints traffic to the Service may use: from its slices, those that
    /// carry the Service's first port (all slices when it has no ports).
    pub(crate) fn routable_endpoints(&self, service: &NamespacedName) -> Vec<&Endpoint> {
        let first_port = self
            .services
            .get(service)
            .and_then(|s| s.spec.ports.first())
            .map(|p| p.name.as_str());
        self.slices
            .of_service(service)
            .into_iter()
            .filter(|s| first_port.is_none_or(|n| s.ports.iter().any(|p| p.name == n)))
            .flat_map(|s| s.endpoints.iter())
            .filter(|e| e.conditions.ready)
            .collect()
    }

    /// With `true`, every Service sync looks at every pod of the Service again instead of
    /// only the pods that changed: the reference the oracle tests compare pod-scoped syncs
    /// with. Not for the shells.
    #[doc(hidden)]
    pub fn set_full_endpoint_syncs(&mut self, on: bool) {
        self.queue.always_full = on;
    }

    /// Re-syncs every Service from scratch, as a full informer resync would.
    ///
    /// The incremental path never needs this; it exists to measure a full recompute.
    pub fn resync_all_services(&mut self) {
        let keys: Vec<NamespacedName> = self.services.all().keys().cloned().collect();
        for k in keys {
            self.sync_service(&k);
        }
    }
}

/// `ready=… serving=… terminating=…`.
fn conditions_words(c: EndpointConditions) -> String {
    format!(
        "ready={} serving={} terminating={}",
        c.ready, c.serving, c.terminating
    )
}

/// An empty slice with the Service's labels, the controller's labels and the owner.
/// Upstream: kubernetes/endpointslice@daa4d010 `utils.go` `newEndpointSlice`,
/// `setEndpointSliceLabels`.
/// Simplification: upstream also sets the headless label when `clusterIP` is empty;
/// this world does not allocate ClusterIPs yet, so an empty one means "to be
/// allocated" and only `None` counts as headless.
fn slice_template(svc: &Service) -> EndpointSlice {
    let mut meta = ObjectMeta::named(&svc.metadata.namespace, "");
    meta.labels = svc
        .metadata
        .labels
        .iter()
        .filter(|(k, _)| {
            k.as_str() != SERVICE_NAME_LABEL
                && k.as_str() != MANAGED_BY_LABEL
                && k.as_str() != HEADLESS_LABEL
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    meta.labels
        .insert(SERVICE_NAME_LABEL.to_owned(), svc.metadata.name.clone());
    meta.labels.insert(
        MANAGED_BY_LABEL.to_owned(),
        MANAGED_BY_CONTROLLER.to_owned(),
    );
    if svc.spec.is_headless() {
        meta.labels.insert(HEADLESS_LABEL.to_owned(), String::new());
    }
    meta.owner_references = vec![OwnerReference {
        kind: "Service".to_owned(),
        name: svc.metadata.name.clone(),
        uid: svc.metadata.uid,
        controller: true,
    }];
    EndpointSlice {
        metadata: meta,
        address_type: "IPv4".to_owned(),
        ..Default::default()
    }
}
