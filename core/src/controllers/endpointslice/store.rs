//! The EndpointSlices and the index from a Service to its slices.

use std::collections::{BTreeMap, BTreeSet};

use crate::objects::{EndpointSlice, NamespacedName};

/// Every EndpointSlice, by namespace and name, and by Service.
#[derive(Debug, Clone, Default)]
pub(crate) struct SliceStore {
    slices: BTreeMap<NamespacedName, EndpointSlice>,
    by_service: BTreeMap<NamespacedName, BTreeSet<NamespacedName>>,
}

impl SliceStore {
    /// Every slice.
    pub(crate) fn all(&self) -> &BTreeMap<NamespacedName, EndpointSlice> {
        &self.slices
    }

    /// Whether a slice of that key exists.
    pub(crate) fn contains(&self, key: &NamespacedName) -> bool {
        self.slices.contains_key(key)
    }

    /// The slices of one Service, by name.
    pub(crate) fn of_service(&self, service: &NamespacedName) -> Vec<&EndpointSlice> {
        self.by_service
            .get(service)
            .into_iter()
            .flatten()
            .filter_map(|k| self.slices.get(k))
            .collect()
    }

    /// How many slices a Service has.
    pub(crate) fn count_of(&self, service: &NamespacedName) -> usize {
        self.by_service.get(service).map_or(0, BTreeSet::len)
    }

    /// Stores a slice of `service` (new or replacing one of the same key).
    pub(crate) fn put(&mut self, service: &NamespacedName, slice: EndpointSlice) {
        let key = slice.metadata.key();
        self.by_service
            .entry(service.clone())
            .or_default()
            .insert(key.clone());
        self.slices.insert(key, slice);
    }

    /// Removes one slice of `service`.
    pub(crate) fn remove(
        &mut self,
        service: &NamespacedName,
        key: &NamespacedName,
    ) -> Option<EndpointSlice> {
        if let Some(set) = self.by_service.get_mut(service) {
            set.remove(key);
            if set.is_empty() {
                self.by_service.remove(service);
            }
        }
        self.slices.remove(key)
    }

    /// Removes every slice of `service` (owner garbage collection), returning their keys.
    pub(crate) fn remove_all(&mut self, service: &NamespacedName) -> Vec<NamespacedName> {
        let keys: Vec<NamespacedName> = self
            .by_service
            .remove(service)
            .into_iter()
            .flatten()
            .collect();
        for k in &keys {
            self.slices.remove(k);
        }
        keys
    }
}
