//! The Services, the API server's registry that allocates for them, and the index the
//! EndpointSlice controller uses to find the Services a pod can match.
//!
//! Pod events never loop over all Services: each Service with a selector is filed under
//! one `(namespace, key, value)` of its selector (the first pair), so a pod can only
//! match Services filed under one of its own labels in its own namespace; those are
//! checked in full.
//! Upstream: kubernetes/kubernetes@9e8be126
//! `pkg/controller/endpointslice/endpointslice_controller.go`
//! `onPodUpdate` → `getServicesForPod` (there through a lister per namespace).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::label_index::LabelIndex;
use crate::apiserver::ServiceRegistry;
use crate::controllers::endpointslice::rules::selector_matches;
use crate::objects::{Labels, NamespacedName, Service};

/// What the user's request set of the values the API server otherwise allocates, so
/// that an export writes only those (a ClusterIP or node port the input did not pin is
/// left for the next cluster to allocate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pinned {
    /// `spec.clusterIP` as requested (`None` for headless), if it was.
    pub cluster_ip: Option<String>,
    /// Whether `spec.clusterIPs` was set.
    pub cluster_ips: bool,
    /// Whether `spec.ipFamilies` was set.
    pub ip_families: bool,
    /// Whether `spec.ipFamilyPolicy` was set.
    pub ip_family_policy: bool,
    /// The node ports requested.
    pub node_ports: BTreeSet<i32>,
    /// `spec.healthCheckNodePort` as requested, if it was.
    pub health_check_node_port: Option<i32>,
}

impl Pinned {
    /// What a request (before defaults and allocation) sets.
    pub fn of(svc: &Service) -> Self {
        let s = &svc.spec;
        Pinned {
            cluster_ip: (!s.cluster_ip.is_empty()).then(|| s.cluster_ip.clone()),
            cluster_ips: !s.cluster_ips.is_empty(),
            ip_families: !s.ip_families.is_empty(),
            ip_family_policy: s.ip_family_policy.is_some(),
            node_ports: s
                .ports
                .iter()
                .map(|p| p.node_port)
                .filter(|p| *p != 0)
                .collect(),
            health_check_node_port: (s.health_check_node_port != 0)
                .then_some(s.health_check_node_port),
        }
    }
}

/// Every Service, the registry, and the selector index.
#[derive(Debug, Clone)]
pub(crate) struct ServiceStore {
    services: BTreeMap<NamespacedName, Service>,
    by_label: LabelIndex,
    /// What each Service's last request (create or replace) set of the allocated values.
    pub(crate) pinned: BTreeMap<NamespacedName, Pinned>,
    /// The API server's Service allocators and the cloud's LB controller.
    pub(crate) registry: ServiceRegistry,
}

impl ServiceStore {
    /// An empty store around a registry.
    pub(crate) fn new(registry: ServiceRegistry) -> Self {
        ServiceStore {
            services: BTreeMap::new(),
            by_label: LabelIndex::default(),
            pinned: BTreeMap::new(),
            registry,
        }
    }

    /// Every Service by key.
    pub(crate) fn all(&self) -> &BTreeMap<NamespacedName, Service> {
        &self.services
    }

    /// One Service.
    pub(crate) fn get(&self, key: &NamespacedName) -> Option<&Service> {
        self.services.get(key)
    }

    /// Whether it exists.
    pub(crate) fn contains(&self, key: &NamespacedName) -> bool {
        self.services.contains_key(key)
    }

    /// Stores a Service (new or replacing), keeping the selector index true.
    pub(crate) fn put(&mut self, svc: Service) {
        let key = svc.metadata.key();
        self.unindex(&key);
        self.services.insert(key.clone(), svc);
        self.index(&key);
    }

    /// Removes a Service.
    pub(crate) fn remove(&mut self, key: &NamespacedName) -> Option<Service> {
        self.unindex(key);
        self.pinned.remove(key);
        self.services.remove(key)
    }

    /// Services in `namespace` whose selector matches `labels`.
    pub(crate) fn matching(&self, namespace: &str, labels: &Labels) -> Vec<NamespacedName> {
        let mut out = Vec::new();
        for (k, v) in labels {
            let Some(keys) = self.by_label.get(namespace, k, v) else {
                continue;
            };
            for key in keys {
                let matches = self
                    .services
                    .get(key)
                    .and_then(|s| s.spec.effective_selector())
                    .is_some_and(|sel| selector_matches(sel, labels));
                if matches {
                    out.push((**key).clone());
                }
            }
        }
        out
    }

    /// The first pair of a Service's selector, under which the index files it.
    fn anchor(&self, key: &NamespacedName) -> Option<(String, String)> {
        let sel = self.services.get(key)?.spec.effective_selector()?;
        let (k, v) = sel.iter().next()?;
        Some((k.clone(), v.clone()))
    }

    fn index(&mut self, key: &NamespacedName) {
        if let Some((k, v)) = self.anchor(key) {
            self.by_label.insert(&Arc::new(key.clone()), &k, &v);
        }
    }

    fn unindex(&mut self, key: &NamespacedName) {
        if let Some((k, v)) = self.anchor(key) {
            self.by_label.remove(key, &k, &v);
        }
    }
}
