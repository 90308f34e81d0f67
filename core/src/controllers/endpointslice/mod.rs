//! The EndpointSlice controller: its rules (`rules`: which pods are endpoints, with
//! which conditions and ports), slice packing (`slices`), the store of slices
//! (`store`), and its driver here, incremental.
//!
//! A Service sync recomputes that one Service's endpoints from the pods its selector
//! matches (found through the pod label index) and repacks its slices (c.1–c.5). Pod
//! events never loop over all Services: the Service store's label index finds the
//! Services a pod can match, and only those are marked dirty.
//! Upstream: kubernetes `pkg/controller/endpointslice/endpointslice_controller.go`
//! `syncService`, `onPodUpdate` → `getServicesForPod`; kubernetes/endpointslice@daa4d010
//! `reconciler.go`.

pub mod rules;
pub mod slices;
pub(crate) mod store;

use std::collections::BTreeMap;

use crate::objects::endpoint_slice::{
    HEADLESS_LABEL, MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL,
};
use crate::objects::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, NamespacedName, ObjectMeta,
    OwnerReference, Service, ServiceType,
};
use crate::world::World;
use rules::{endpoint_ports, exclusions, pod_to_endpoint};
use slices::{Desired, MAX_ENDPOINTS_PER_SLICE};

/// Every endpoint of a Service's slices by address, with its slice and ports.
type EndpointMap = BTreeMap<String, (Endpoint, String, Vec<EndpointPort>)>;

impl World {
    /// Syncs one Service's EndpointSlices (c.1): gone → its slices go (owner GC);
    /// ExternalName or no selector → nothing is done; otherwise repack.
    pub(crate) fn sync_service(&mut self, key: &NamespacedName) {
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
            return;
        };
        if svc.spec.type_ == ServiceType::ExternalName {
            return;
        }
        let Some(selector) = svc.spec.effective_selector() else {
            return;
        };
        let mut desired = Desired::new();
        for pod in self.pods.matching(&key.namespace, selector) {
            let node = self.nodes.get(&pod.spec.node_name);
            if !exclusions(svc, pod, node.is_some()).is_empty() {
                continue;
            }
            let (ports, _) = endpoint_ports(svc, pod);
            let ep = pod_to_endpoint(svc, pod, node);
            desired
                .entry(ports)
                .or_default()
                .insert(pod.status.pod_ip.clone(), ep);
        }
        let existing: Vec<&EndpointSlice> = self.slices.of_service(key);
        let plan = slices::plan(&existing, desired, MAX_ENDPOINTS_PER_SLICE);
        if plan.is_empty() {
            return; // Nothing changed: no write, as the controller skips no-op updates.
        }
        let before = self.endpoint_map(key);
        let template = slice_template(svc);
        let name = &key.name;
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
            self.slices.put(key, slice);
        }
        let after = self.endpoint_map(key);
        self.log_endpoint_changes(key, &before, &after);
    }

    /// Every endpoint of a Service's slices by address, with its slice and ports.
    fn endpoint_map(&self, service: &NamespacedName) -> EndpointMap {
        let mut out = BTreeMap::new();
        for slice in self.slices.of_service(service) {
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
/// Upstream: kubernetes/endpointslice `utils.go` `newEndpointSlice`, `setEndpointSliceLabels`.
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
