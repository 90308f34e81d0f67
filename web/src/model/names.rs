//! How the page names namespaced objects: a `default` object by its name (as before
//! namespaces were shown), any other as `namespace/name` — the form kubectl's
//! `NamespacedName` prints and the core's `NamespacedName::parse_in` reads back. Object
//! names never hold a `/`, so the two forms cannot be confused. These are the values of
//! the `data-pod`, `data-service` and `data-deployment` hooks and of the boxes' keys.
//!
//! A workload other than a Deployment is named `<Kind>:<ref>` (`StatefulSet:shop/db`):
//! names never hold a `:` either.

use std::cmp::Ordering;

use svcplay_core::objects::{DEFAULT_NAMESPACE, NamespacedName};
use svcplay_core::world::{WorkloadKind, WorkloadRef};

/// The page's name of an object: `name` in `default` (or cluster-scoped),
/// `namespace/name` elsewhere.
pub fn ref_of(key: &NamespacedName) -> String {
    if key.namespace == DEFAULT_NAMESPACE || key.namespace.is_empty() {
        key.name.clone()
    } else {
        format!("{}/{}", key.namespace, key.name)
    }
}

/// The object a page name stands for.
pub fn key_of(text: &str) -> NamespacedName {
    NamespacedName::parse_in(DEFAULT_NAMESPACE, text)
}

/// The page's name of a workload: a Deployment's [`ref_of`], any other kind's
/// `<Kind>:<ref>`.
pub fn workload_id(w: &WorkloadRef) -> String {
    match w.kind {
        WorkloadKind::Deployment => ref_of(&w.key),
        kind => format!("{}:{}", kind.kind(), ref_of(&w.key)),
    }
}

/// The workload a page name stands for.
pub fn workload_of(id: &str) -> WorkloadRef {
    match id.split_once(':') {
        Some((kind, rest)) => match WorkloadKind::from_kind(kind) {
            Some(k) => WorkloadRef::new(k, key_of(rest)),
            None => WorkloadRef::new(WorkloadKind::Deployment, key_of(id)),
        },
        None => WorkloadRef::new(WorkloadKind::Deployment, key_of(id)),
    }
}

/// Natural order: runs of digits compare as numbers, so `carts-2` sorts before
/// `carts-10`; otherwise byte order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let m = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, rx) = x.split_at(n);
                let (dy, ry) = y.split_at(m);
                let tx = trim_zeros(dx);
                let ty = trim_zeros(dy);
                let by_value = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                (x, y) = (rx, ry);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let zeros = d.iter().take_while(|c| **c == b'0').count();
    &d[zeros.min(d.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn refs_read_back() {
        for (ns, name, text) in [("default", "web", "web"), ("shop", "carts", "shop/carts")] {
            let key = NamespacedName::new(ns, name);
            assert_eq!(ref_of(&key), text);
            assert_eq!(key_of(text), key);
        }
        let sts = WorkloadRef::new(WorkloadKind::StatefulSet, NamespacedName::new("shop", "db"));
        assert_eq!(workload_id(&sts), "StatefulSet:shop/db");
        assert_eq!(workload_of("StatefulSet:shop/db"), sts);
        let d = WorkloadRef::new(WorkloadKind::Deployment, NamespacedName::default_ns("prod"));
        assert_eq!((workload_id(&d).as_str(), workload_of("prod")), ("prod", d));
    }

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        let mut v = vec![
            "carts-10", "carts-2", "carts-1", "carts", "carts-db", "a07", "a7b", "a007",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "a007", "a07", "a7b", "carts", "carts-1", "carts-2", "carts-10", "carts-db"
            ]
        );
    }
}
