//! What the world looked like when a lesson step began ([`Baseline`]): the pods, each
//! Deployment's pods, the ClusterIPs and the traffic counters the goals that speak of
//! change ("replaced", "unchanged", "since the last change") compare against.

use std::collections::{BTreeMap, BTreeSet};

use crate::World;
use crate::objects::NamespacedName;

/// What the world looked like when a step began: the goals that speak of change
/// ("replaced", "unchanged") compare against it. The traffic counters are retaken
/// whenever the world changes ([`Baseline::observe`]), so "since the step began" for
/// traffic means since the learner's last change: requests sent before affinity was
/// turned on do not count against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub(super) pods: BTreeSet<NamespacedName>,
    pub(super) deployment_pods: BTreeMap<NamespacedName, BTreeSet<NamespacedName>>,
    pub(super) cluster_ips: BTreeMap<NamespacedName, String>,
    pub(super) changes: Option<usize>,
    pub(super) served: BTreeMap<NamespacedName, u64>,
    pub(super) dropped: BTreeMap<NamespacedName, u64>,
    pub(super) refused: BTreeMap<NamespacedName, u64>,
}

impl Baseline {
    /// Retakes the traffic counters when a command was applied since they were taken.
    pub fn observe(&mut self, world: &World) {
        let changes = world.history().map(<[_]>::len);
        if changes != self.changes || changes.is_none() && self.served.is_empty() {
            let fresh = Baseline::take(world);
            self.changes = fresh.changes;
            self.served = fresh.served;
            self.dropped = fresh.dropped;
            self.refused = fresh.refused;
        }
    }

    /// Takes the baseline from the world as it is now.
    pub fn take(world: &World) -> Baseline {
        let pods = world.pods().keys().map(|k| (**k).clone()).collect();
        let changes = world.history().map(<[_]>::len);
        let served = world
            .pods()
            .keys()
            .map(|k| ((**k).clone(), world.requests_served(k)))
            .collect();
        let cluster_ips = world
            .services()
            .iter()
            .map(|(k, s)| (k.clone(), s.spec.cluster_ip.clone()))
            .collect();
        let dropped = world
            .services()
            .keys()
            .map(|k| (k.clone(), world.requests_dropped(k)))
            .collect();
        let refused = world
            .services()
            .keys()
            .map(|k| (k.clone(), world.requests_refused(k)))
            .collect();
        let deployment_pods = world
            .deployments()
            .keys()
            .map(|d| {
                let pods = world
                    .pods_of_deployment(d)
                    .into_iter()
                    .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
                    .collect();
                (d.clone(), pods)
            })
            .collect();
        Baseline {
            pods,
            deployment_pods,
            cluster_ips,
            changes,
            served,
            dropped,
            refused,
        }
    }
}
