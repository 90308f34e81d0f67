//! The EndpointSlice controller, incremental.
//!
//! A Service sync recomputes that one Service's endpoints from the pods its selector
//! matches (found through the pod label index) and repacks its slices (c.1–c.5). Pod
//! events never loop over all Services: `services_by_label` files each Service under
//! one (key, value) pair of its selector (the first), so a pod can only match Services
//! filed under one of its own labels; those are checked in full and marked dirty.
//! Upstream: kubernetes `pkg/controller/endpointslice/endpointslice_controller.go`
//! `syncService`, `onPodUpdate` → `getServicesForPod`; kubernetes/endpointslice@daa4d010
//! `reconciler.go`.

use std::collections::BTreeMap;

use super::World;
use crate::controllers::endpoints::{endpoint_ports, exclusions, pod_to_endpoint};
use crate::controllers::slices::{self, Desired, MAX_ENDPOINTS_PER_SLICE};
use crate::objects::endpoint_slice::{
    HEADLESS_LABEL, MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL,
};
use crate::objects::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, ObjectMeta, OwnerReference, Service,
    ServiceType,
};

impl World {
    /// Files a Service under the first pair of its selector.
    pub(super) fn index_service(&mut self, name: &str) {
        let Some(pair) = self.anchor(name) else {
            return;
        };
        self.services_by_label
            .entry(pair)
            .or_default()
            .insert(name.to_owned());
    }

    /// Takes a Service out of the selector index (before its selector changes).
    pub(super) fn unindex_service(&mut self, name: &str) {
        let Some(pair) = self.anchor(name) else {
            return;
        };
        if let Some(set) = self.services_by_label.get_mut(&pair) {
            set.remove(name);
            if set.is_empty() {
                self.services_by_label.remove(&pair);
            }
        }
    }

    fn anchor(&self, name: &str) -> Option<(String, String)> {
        let sel = self.services.get(name)?.spec.effective_selector()?;
        sel.iter().next().map(|(k, v)| (k.clone(), v.clone()))
    }

    /// Syncs one Service's EndpointSlices (c.1): gone → its slices go (owner GC);
    /// ExternalName or no selector → nothing is done; otherwise repack.
    pub(super) fn sync_service(&mut self, name: &str) {
        self.service_syncs += 1;
        let Some(svc) = self.services.get(name) else {
            for slice in self.slices_by_service.remove(name).into_iter().flatten() {
                self.slices.remove(&slice);
                self.event(
                    "EndpointSlice",
                    &slice,
                    format!("endpointslice {slice} deleted: service {name} is gone"),
                );
            }
            return;
        };
        if svc.spec.service_type() == Some(ServiceType::ExternalName) {
            return;
        }
        let Some(selector) = svc.spec.effective_selector() else {
            return;
        };
        let mut desired = Desired::new();
        for pod in self.pods_matching(selector) {
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
        let existing: Vec<&EndpointSlice> = self.endpoint_slices_for(name);
        let plan = slices::plan(&existing, desired, MAX_ENDPOINTS_PER_SLICE);
        if plan.is_empty() {
            return; // Nothing changed: no write, as the controller skips no-op updates.
        }
        let before = self.endpoint_map(name);
        let template = slice_template(svc);
        for slice in plan.update {
            self.slices.insert(slice.metadata.name.clone(), slice);
        }
        for gone in plan.delete {
            let placeholder = self
                .slices
                .remove(&gone)
                .is_some_and(|s| s.is_placeholder());
            if let Some(set) = self.slices_by_service.get_mut(name) {
                set.remove(&gone);
            }
            let why = if placeholder {
                "the Service has endpoints now"
            } else {
                "no endpoints left in it"
            };
            self.event(
                "EndpointSlice",
                &gone,
                format!("endpointslice {gone} of service {name} deleted: {why}"),
            );
        }
        for (ports, endpoints) in plan.create {
            let slice_name = loop {
                let candidate = format!("{name}-{}", self.name_suffix());
                if !self.slices.contains_key(&candidate) {
                    break candidate;
                }
            };
            let mut slice = template.clone();
            slice.metadata.name = slice_name.clone();
            slice.metadata.uid = self.uid();
            slice.metadata.creation_timestamp = Some(self.now);
            let what = if endpoints.is_empty() && ports.is_empty() {
                "as a placeholder: the selector matches no pod that can be an endpoint".to_owned()
            } else {
                format!("with {} endpoint(s)", endpoints.len())
            };
            self.event(
                "EndpointSlice",
                &slice_name,
                format!("endpointslice {slice_name} of service {name} created {what}"),
            );
            slice.ports = ports;
            slice.endpoints = endpoints;
            self.slices.insert(slice_name.clone(), slice);
            self.slices_by_service
                .entry(name.to_owned())
                .or_default()
                .insert(slice_name);
        }
        let after = self.endpoint_map(name);
        self.log_endpoint_changes(name, &before, &after);
    }

    /// Every endpoint of a Service's slices by address, with its slice and ports.
    fn endpoint_map(
        &self,
        service: &str,
    ) -> BTreeMap<String, (Endpoint, String, Vec<EndpointPort>)> {
        let mut out = BTreeMap::new();
        for slice in self.endpoint_slices_for(service) {
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
        service: &str,
        before: &BTreeMap<String, (Endpoint, String, Vec<EndpointPort>)>,
        after: &BTreeMap<String, (Endpoint, String, Vec<EndpointPort>)>,
    ) {
        for (ip, (old, slice, _)) in before {
            if after.contains_key(ip) {
                continue;
            }
            let pod = old.pod_name().unwrap_or("");
            let why = self.removal_cause(service, pod);
            self.event("EndpointSlice", slice, format!("endpoint {ip} (pod {pod}) removed from slice {slice} of service {service}: {why}"));
        }
        for (ip, (new, slice, ports)) in after {
            let pod = new.pod_name().unwrap_or("");
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
                        slice,
                        format!("endpoint {ip} (pod {pod}) added to slice {slice} of service {service} ({}; {ports})", conditions_words(new.conditions)),
                    );
                }
                Some((old, _, _)) if old.conditions != new.conditions => {
                    self.event(
                        "EndpointSlice",
                        slice,
                        format!(
                            "endpoint {ip} (pod {pod}) in slice {slice} of service {service} is now {} (was {}): {}",
                            conditions_words(new.conditions),
                            conditions_words(old.conditions),
                            self.pod_state_words(pod)
                        ),
                    );
                }
                Some(_) => {}
            }
        }
    }

    /// Why a pod's endpoint left a Service's slices, in words.
    fn removal_cause(&self, service: &str, pod: &str) -> String {
        let (Some(svc), Some(p)) = (self.services.get(service), self.pods.get(pod)) else {
            return "pod deleted".to_owned();
        };
        let node = self.nodes.contains_key(&p.spec.node_name);
        exclusions(svc, p, node)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The pod's readiness and deletion state, in words.
    fn pod_state_words(&self, pod: &str) -> String {
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
    pub(super) fn routable_endpoints(&self, service: &str) -> Vec<&Endpoint> {
        let first_port = self
            .services
            .get(service)
            .and_then(|s| s.spec.ports.first())
            .map(|p| p.name.as_str());
        self.endpoint_slices_for(service)
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
        let names: Vec<String> = self.services.keys().cloned().collect();
        for n in names {
            self.sync_service(&n);
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
