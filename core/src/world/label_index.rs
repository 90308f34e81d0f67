//! An index from a label pair inside one namespace to the objects that carry it (pods)
//! or select by it (Services): a Service selects only pods of its own namespace.
//!
//! Nested by namespace, key and value, so a lookup borrows the three strings and
//! allocates nothing: pods and Services are looked up this way on every pod event, and
//! 150,000 times each while a world at Kubernetes' limits is built.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::objects::NamespacedName;

/// The objects filed under one pair, each key shared with the store that owns it.
pub(crate) type Keys = BTreeSet<Arc<NamespacedName>>;

/// `key → value → objects` in one namespace.
type ByKey = BTreeMap<String, BTreeMap<String, Keys>>;

/// `namespace → key → value → objects`.
#[derive(Debug, Clone, Default)]
pub(crate) struct LabelIndex {
    by_ns: BTreeMap<String, ByKey>,
}

impl LabelIndex {
    /// The objects filed under `k=v` in `namespace`.
    pub(crate) fn get(
        &self,
        namespace: &str,
        k: &str,
        v: &str,
    ) -> Option<&BTreeSet<Arc<NamespacedName>>> {
        self.by_ns.get(namespace)?.get(k)?.get(v)
    }

    /// Files `key` under `k=v` in its namespace.
    pub(crate) fn insert(&mut self, key: &Arc<NamespacedName>, k: &str, v: &str) {
        let keys = self.by_ns.entry(key.namespace.clone()).or_default();
        let values = match keys.get_mut(k) {
            Some(values) => values,
            None => keys.entry(k.to_owned()).or_default(),
        };
        let set = match values.get_mut(v) {
            Some(set) => set,
            None => values.entry(v.to_owned()).or_default(),
        };
        set.insert(Arc::clone(key));
    }

    /// Takes `key` out of `k=v` in its namespace, and every level it leaves empty.
    pub(crate) fn remove(&mut self, key: &NamespacedName, k: &str, v: &str) {
        let Some(keys) = self.by_ns.get_mut(&key.namespace) else {
            return;
        };
        let Some(values) = keys.get_mut(k) else {
            return;
        };
        let Some(set) = values.get_mut(v) else {
            return;
        };
        set.remove(key);
        if set.is_empty() {
            values.remove(v);
            if values.is_empty() {
                keys.remove(k);
                if keys.is_empty() {
                    self.by_ns.remove(&key.namespace);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn files_by_namespace_and_pair_and_forgets_empty_levels() {
        let mut ix = LabelIndex::default();
        let a = Arc::new(NamespacedName::new("shop", "a"));
        let b = Arc::new(NamespacedName::new("shop", "b"));
        let c = Arc::new(NamespacedName::new("dev", "a"));
        ix.insert(&a, "app", "web");
        ix.insert(&b, "app", "web");
        ix.insert(&c, "app", "web");
        ix.insert(&a, "tier", "front");
        let names =
            |s: Option<&Keys>| s.map(|s| s.iter().map(ToString::to_string).collect::<Vec<_>>());
        assert_eq!(
            names(ix.get("shop", "app", "web")),
            Some(vec!["shop/a".to_owned(), "shop/b".to_owned()])
        );
        assert_eq!(
            names(ix.get("dev", "app", "web")),
            Some(vec!["dev/a".to_owned()])
        );
        assert_eq!(ix.get("shop", "app", "db"), None);
        ix.remove(&a, "app", "web");
        ix.remove(&b, "app", "web");
        assert_eq!(ix.get("shop", "app", "web"), None);
        assert_eq!(
            names(ix.get("shop", "tier", "front")),
            Some(vec!["shop/a".to_owned()])
        );
        ix.remove(&a, "tier", "front");
        ix.remove(&c, "app", "web");
        assert!(ix.by_ns.is_empty(), "no empty level is left behind");
        // Removing what is not there changes nothing.
        ix.remove(&a, "app", "web");
        assert!(ix.by_ns.is_empty());
    }
}
