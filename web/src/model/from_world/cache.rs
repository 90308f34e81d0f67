//! What a refresh of the DOM keeps from the one before: every part of the view that is
//! read from the world's objects alone, kept while [`World::revision`] (and whatever else
//! the part reads, e.g. the namespace on screen) stays the same. A refresh then pays for
//! what traffic changed (counters, connections, the request share), not for rebuilding
//! 200 pod cards, rendering kube-proxy's rules or diagnosing the world ten times a second.
//!
//! Nothing here reads traffic or the time into a kept part: the core's revision does not
//! change for those (see `svcplay_core::world::Revision`). A part that depends on traffic
//! carries it in its key (the diagnosis reads the clients' open connections).

use std::rc::Rc;

use svcplay_core::World;
use svcplay_core::diagnose::Finding;
use svcplay_core::world::{Revision, RulesFormat};

use crate::model::{DeploymentView, EndpointsView};
use crate::palette::Palette;
use crate::state::Imported;

use super::scene::SceneObjects;

/// One kept value and the key it was computed for.
#[derive(Debug)]
pub(super) struct Memo<K, V>(Option<(K, V)>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(None)
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`: the kept one when it was computed for an equal key, else
    /// `make()`, kept.
    pub(super) fn get(&mut self, key: K, make: impl FnOnce() -> V) -> &V {
        let kept = self.0.take().filter(|(k, _)| *k == key);
        let (_, v) = self.0.insert(kept.unwrap_or_else(|| {
            let v = make();
            (key, v)
        }));
        v
    }
}

/// The namespace on screen (`None`: all).
type Namespace = Option<String>;

/// What the diagnosis reads: the objects, the last import's text, and each client's
/// open connections (by id).
type DiagnosisKey = (Revision, Imported, Vec<Vec<u64>>);

/// The parts of a frame kept between refreshes (see the module docs). Start with
/// `ViewCache::default()`; one cache serves one page.
#[derive(Debug, Default)]
pub struct ViewCache {
    pub(super) palette: Memo<Revision, Palette>,
    pub(super) scene: Memo<(Revision, Namespace), SceneObjects>,
    pub(super) endpoints: Memo<(Revision, Namespace), Rc<Vec<EndpointsView>>>,
    /// Deployments without the boxes' drafts and errors (filled at every refresh).
    pub(super) deployments: Memo<(Revision, Namespace), Vec<DeploymentView>>,
    /// kube-proxy's rules for a node, in a format.
    pub(super) rules: Memo<(Revision, String, RulesFormat), String>,
    /// The world's diagnosis.
    pub(super) findings: Memo<DiagnosisKey, Vec<Finding>>,
}

/// The ids of each client's open connections: what the diagnosis reads of traffic.
pub(super) fn open_connections(world: &World) -> Vec<Vec<u64>> {
    world
        .clients()
        .iter()
        .map(|c| c.connections().map(|conn| conn.id).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_memo_recomputes_only_for_a_new_key() {
        let made = std::cell::Cell::new(0);
        let mut m: Memo<u32, String> = Memo::default();
        let mut get = |k: u32| {
            m.get(k, || {
                made.set(made.get() + 1);
                format!("v{k}")
            })
            .clone()
        };
        assert_eq!(get(1), "v1");
        assert_eq!(get(1), "v1");
        assert_eq!(get(2), "v2");
        assert_eq!(get(1), "v1");
        assert_eq!(
            made.get(),
            3,
            "1, then 2, then 1 again: the memo keeps one value"
        );
    }
}
