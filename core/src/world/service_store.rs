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

use super::pod_store::{LabelKey, label_key};
use crate::apiserver::ServiceRegistry;
use crate::controllers::endpointslice::rules::selector_matches;
use crate::objects::{Labels, NamespacedName, Service};

/// Every Service, the registry, and the selector index.
#[derive(Debug, Clone)]
pub(crate) struct ServiceStore {
    services: BTreeMap<NamespacedName, Service>,
    by_label: BTreeMap<LabelKey, BTreeSet<NamespacedName>>,
    /// The API server's Service allocators and the cloud's LB controller.
    pub(crate) registry: ServiceRegistry,
}

impl ServiceStore {
    /// An empty store around a registry.
    pub(crate) fn new(registry: ServiceRegistry) -> Self {
        ServiceStore {
            services: BTreeMap::new(),
            by_label: BTreeMap::new(),
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
        self.services.remove(key)
    }

    /// Services in `namespace` whose selector matches `labels`.
    pub(crate) fn matching(&self, namespace: &str, labels: &Labels) -> Vec<NamespacedName> {
        let mut out = Vec::new();
        for (k, v) in labels {
            let Some(keys) = self.by_label.get(&label_key(namespace, k, v)) else {
                continue;
            };
            for key in keys {
                let matches = self
                    .services
                    .get(key)
                    .and_then(|s| s.spec.effective_selector())
                    .is_some_and(|sel| selector_matches(sel, labels));
                if matches {
                    out.push(key.clone());
                }
            }
        }
        out
    }

    fn anchor(&self, key: &NamespacedName) -> Option<LabelKey> {
        let sel = self.services.get(key)?.spec.effective_selector()?;
        let (k, v) = sel.iter().next()?;
        Some(label_key(&key.namespace, k, v))
    }

    fn index(&mut self, key: &NamespacedName) {
        if let Some(pair) = self.anchor(key) {
            self.by_label.entry(pair).or_default().insert(key.clone());
        }
    }

    fn unindex(&mut self, key: &NamespacedName) {
        let Some(pair) = self.anchor(key) else {
            return;
        };
        if let Some(set) = self.by_label.get_mut(&pair) {
            set.remove(key);
            if set.is_empty() {
                self.by_label.remove(&pair);
            }
        }
    }
}
