//! A token that says whether the world's objects may have changed, so a shell can keep
//! what it derived from them (a view, rendered rules, a diagnosis) until they do.
//!
//! The token changes whenever a command is applied, a controller syncs, a timed kubelet
//! item does something (a pod starts, a probe records a result it had not recorded
//! before, a container restarts, a grace period ends), or a sliced create finishes.
//! Traffic alone never changes it: requests sent, connections opened and closed, counters
//! and the data plane's balancing state (IPVS connection counts, affinity pins) are not
//! objects, and anything derived from them must not be cached against it. Nor is
//! simulated time: a view that reads `World::now` must not be cached against it either.
//!
//! Each change takes a fresh value from one counter for the whole process, so two worlds
//! (a world and its clone, or a world that replaced another) never share a token once
//! either has changed: equal tokens mean the same objects. The values mean nothing else:
//! they depend on what else the process did, never on the seed, and nothing the world
//! computes reads them.

use std::sync::atomic::{AtomicU64, Ordering};

/// The last token handed out in this process.
static LAST: AtomicU64 = AtomicU64::new(0);

/// See the module docs: equal revisions mean unchanged objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Revision(u64);

impl Revision {
    /// A token no world has had before.
    pub(crate) fn fresh() -> Self {
        Revision(LAST.fetch_add(1, Ordering::Relaxed).wrapping_add(1))
    }
}

impl Default for Revision {
    fn default() -> Self {
        Revision::fresh()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_token_is_new() {
        let (a, b) = (Revision::fresh(), Revision::default());
        assert_ne!(a, b);
    }
}
