//! The EndpointSlices, the index from a Service to its slices, and from a Service's
//! endpoint (by address and by pod) to the slices holding it, so that a sync for one
//! pod finds that pod's slice without reading the others.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::objects::{EndpointSlice, NamespacedName};

/// Which slices of one Service hold an address, and which hold a pod's endpoint.
#[derive(Debug, Clone, Default)]
struct Members {
    by_address: HashMap<String, Vec<String>>,
    by_pod: HashMap<String, Vec<String>>,
}

impl Members {
    fn add(&mut self, slice: &EndpointSlice) {
        let name = &slice.metadata.name;
        for ep in &slice.endpoints {
            let list = self.by_address.entry(ep.address().to_owned()).or_default();
            list.push(name.clone());
            if let Some(pod) = ep.pod_name() {
                self.by_pod
                    .entry(pod.to_owned())
                    .or_default()
                    .push(name.clone());
            }
        }
    }

    fn remove(&mut self, slice: &EndpointSlice) {
        let name = &slice.metadata.name;
        let drop_one = |map: &mut HashMap<String, Vec<String>>, key: &str| {
            if let Some(list) = map.get_mut(key) {
                if let Some(i) = list.iter().position(|n| n == name) {
                    list.swap_remove(i);
                }
                if list.is_empty() {
                    map.remove(key);
                }
            }
        };
        for ep in &slice.endpoints {
            drop_one(&mut self.by_address, ep.address());
            if let Some(pod) = ep.pod_name() {
                drop_one(&mut self.by_pod, pod);
            }
        }
    }
}

/// Every EndpointSlice, by namespace and name, and by Service.
#[derive(Debug, Clone, Default)]
pub(crate) struct SliceStore {
    slices: BTreeMap<NamespacedName, EndpointSlice>,
    by_service: BTreeMap<NamespacedName, BTreeSet<NamespacedName>>,
    members: HashMap<NamespacedName, Members>,
}

impl SliceStore {
    /// Every slice.
    pub(crate) fn all(&self) -> &BTreeMap<NamespacedName, EndpointSlice> {
        &self.slices
    }

    /// One slice.
    pub(crate) fn get(&self, key: &NamespacedName) -> Option<&EndpointSlice> {
        self.slices.get(key)
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

    /// The names of the slices of `service` that hold the address `address` or an
    /// endpoint of the pod `pod`.
    pub(crate) fn holding(
        &self,
        service: &NamespacedName,
        address: Option<&str>,
        pod: &str,
    ) -> impl Iterator<Item = &String> {
        let m = self.members.get(service);
        let by_address = address
            .and_then(|a| m.and_then(|m| m.by_address.get(a)))
            .into_iter()
            .flatten();
        let by_pod = m.and_then(|m| m.by_pod.get(pod)).into_iter().flatten();
        by_address.chain(by_pod)
    }

    /// Whether every slice of `service` holding the address `address` is named in
    /// `scope`.
    pub(crate) fn address_within(
        &self,
        service: &NamespacedName,
        address: &str,
        scope: &BTreeSet<String>,
    ) -> bool {
        self.members
            .get(service)
            .and_then(|m| m.by_address.get(address))
            .is_none_or(|names| names.iter().all(|n| scope.contains(n)))
    }

    /// Stores a slice of `service` (new or replacing one of the same key).
    pub(crate) fn put(&mut self, service: &NamespacedName, slice: EndpointSlice) {
        let key = slice.metadata.key();
        self.by_service
            .entry(service.clone())
            .or_default()
            .insert(key.clone());
        let members = self.members.entry(service.clone()).or_default();
        members.add(&slice);
        if let Some(old) = self.slices.insert(key, slice) {
            members.remove(&old);
        }
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
        let old = self.slices.remove(key)?;
        if let Some(m) = self.members.get_mut(service) {
            m.remove(&old);
        }
        if !self.by_service.contains_key(service) {
            self.members.remove(service);
        }
        Some(old)
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
        self.members.remove(service);
        keys
    }
}
