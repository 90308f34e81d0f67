//! One endpoint's change reprograms one entry, whatever the size of its Service.
//!
//! nftables mode keeps a Service's endpoints in one set and adds or deletes a single
//! element when one endpoint changes; iptables mode's partial sync rewrites only the
//! chains of the Services that changed. [`Dataplane::patch_service`] does the former
//! for every node at once: each changed endpoint is found by binary search in the
//! port's endpoints (kept in kube-proxy's `ip:port` text order), replaced, inserted or
//! removed, and its index put into or taken out of each node's lists. Which lists an
//! endpoint belongs to is a function of the endpoint and of a few counts (ready,
//! serving-and-terminating, per node); a list is recategorized from scratch only when
//! those counts change its mode (the first ready endpoint arrives or the last one
//! leaves, so the terminating fallback turns on or off), which is what
//! [`categorize_with`] would decide anyway. The result is, field for field, what
//! [`Dataplane::build_port`] gives for the new endpoints (the oracle property test in
//! `core/tests/oracle.rs` checks this against a rebuild from scratch).
//!
//! Cost: a binary search and, for an endpoint inserted or removed, shifting the later
//! indices of each list by one (a pass over machine words, no allocation, no parsing).
//! A readiness flip or a kill (the endpoint turns terminating) changes no position.
//!
//! Upstream: kubernetes/kubernetes@008b3652 `pkg/proxy/nftables/proxier.go`
//! (`syncProxyRules`: the endpoint set's elements are added and deleted one by one),
//! kubernetes/kubernetes@803d40a5 `pkg/proxy/topology.go` (`CategorizeEndpoints`).
//! Simplification: a port with topology hints, or a change that would add a hinted
//! endpoint, is rebuilt whole (the world never writes hints).

use std::collections::HashMap;
use std::io::Write as _;
use std::net::IpAddr;

use super::Dataplane;
use crate::proxy::categorize::{Categorized, categorize, categorize_with};
use crate::proxy::types::{Endpoint, ServicePortInfo};

/// Counts over a port's endpoints that decide which lists each endpoint is in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Endpoints that are ready.
    ready: usize,
    /// Endpoints that are serving and terminating (the cluster list's fallback).
    serving_terminating: usize,
    /// Endpoints with zone hints (a port with any is rebuilt, not patched).
    hinted: usize,
    /// Per known node (by index): all, ready, and not ready but serving and terminating.
    per_node: HashMap<u32, [usize; 3]>,
}

/// One service port's endpoint changes: the addresses that left and the endpoints now
/// listed (new or changed; an unchanged one costs a lookup).
pub struct PortPatch {
    /// The port, as it is programmed (a different one makes the patch a rebuild).
    pub info: ServicePortInfo,
    /// `(ip, port)` of endpoints no longer listed.
    pub removed: Vec<(IpAddr, u16)>,
    /// Endpoints listed now.
    pub upserted: Vec<Endpoint>,
}

impl Tally {
    pub(super) fn of(endpoints: &[Endpoint], ep_node: &[u32]) -> Tally {
        let mut t = Tally::default();
        for (e, &n) in endpoints.iter().zip(ep_node) {
            t.count(e, n, true);
        }
        t
    }

    fn count(&mut self, e: &Endpoint, n: u32, add: bool) {
        let step = |v: &mut usize, yes: bool| {
            if yes {
                *v = if add { *v + 1 } else { v.saturating_sub(1) };
            }
        };
        let st = e.serving && e.terminating;
        step(&mut self.ready, e.ready);
        step(&mut self.serving_terminating, st);
        step(&mut self.hinted, !e.zone_hints.is_empty());
        if n == u32::MAX {
            return;
        }
        let c = self.per_node.entry(n).or_default();
        step(&mut c[0], true);
        step(&mut c[1], e.ready);
        step(&mut c[2], !e.ready && st);
        if c[0] == 0 {
            self.per_node.remove(&n);
        }
    }

    /// Endpoints with zone hints.
    pub(super) fn hinted(&self) -> usize {
        self.hinted
    }

    fn node(&self, n: Option<u32>) -> [usize; 3] {
        n.and_then(|n| self.per_node.get(&n).copied())
            .unwrap_or_default()
    }

    /// What a view's lists depend on besides each endpoint itself.
    fn mode(&self, n: Option<u32>) -> [bool; 4] {
        let c = self.node(n);
        [
            self.ready > 0,
            self.serving_terminating > 0,
            c[1] > 0,
            c[2] > 0,
        ]
    }
}

/// `ip:port` as kube-proxy prints it, without allocating: the endpoints' sort key.
fn addr_key(ip: IpAddr, port: u16) -> ([u8; 48], usize) {
    let mut buf = [0u8; 48];
    let mut w: &mut [u8] = &mut buf;
    let _ = match ip {
        IpAddr::V4(v4) => write!(w, "{v4}:{port}"),
        IpAddr::V6(v6) => write!(w, "[{v6}]:{port}"),
    };
    let len = 48 - w.len();
    (buf, len)
}

fn find(endpoints: &[Endpoint], ip: IpAddr, port: u16) -> Result<usize, usize> {
    let (k, kl) = addr_key(ip, port);
    let key = k.get(..kl).unwrap_or_default();
    endpoints.binary_search_by(|e| {
        let (b, bl) = addr_key(e.ip, e.port);
        b.get(..bl).unwrap_or_default().cmp(key)
    })
}

/// Takes index `p` out of a sorted index list and, when `shift`, moves the later ones
/// down by one (the endpoint at `p` was removed).
fn take(list: &mut Vec<usize>, p: usize, shift: bool) {
    let at = list.partition_point(|&i| i < p);
    if list.get(at) == Some(&p) {
        list.remove(at);
    }
    if shift {
        list.iter_mut().skip(at).for_each(|i| *i -= 1);
    }
}

/// Moves the indices from `p` on up by one (an endpoint was inserted at `p`).
fn open(list: &mut [usize], p: usize) {
    let at = list.partition_point(|&i| i < p);
    list.iter_mut().skip(at).for_each(|i| *i += 1);
}

fn put(list: &mut Vec<usize>, p: usize, member: bool) {
    if member {
        let at = list.partition_point(|&i| i < p);
        list.insert(at, p);
    }
}

impl Categorized {
    fn lists(&mut self) -> impl Iterator<Item = &mut Vec<usize>> {
        self.cluster
            .iter_mut()
            .chain(self.local.iter_mut())
            .chain(std::iter::once(&mut self.all_reachable))
    }
}

/// Which of a view's lists hold endpoint `e` (on node `en`), under the counts `t`,
/// for the view of node `n` (`None`: a node hosting none of the endpoints).
fn membership(
    info: &ServicePortInfo,
    t: &Tally,
    e: &Endpoint,
    en: u32,
    n: Option<u32>,
) -> (bool, bool, bool) {
    let (uses_cluster, uses_local) = (info.uses_cluster_endpoints(), info.uses_local_endpoints());
    let [any_ready, _, local_ready, local_term] = t.mode(n);
    let st = e.serving && e.terminating;
    let cluster = uses_cluster && if any_ready { e.ready } else { st };
    let is_local = n.is_some_and(|n| n == en);
    let local = uses_local
        && is_local
        && if local_ready {
            e.ready
        } else {
            local_term && st
        };
    let all = if !uses_local {
        cluster
    } else if !uses_cluster {
        local
    } else if local_ready || !local_term {
        cluster
    } else {
        cluster || local
    };
    (cluster, local, all)
}

fn place(view: &mut Categorized, p: usize, (c, l, a): (bool, bool, bool)) {
    if let Some(list) = view.cluster.as_mut() {
        put(list, p, c);
    }
    if let Some(list) = view.local.as_mut() {
        put(list, p, l);
    }
    put(&mut view.all_reachable, p, a);
}

impl Dataplane {
    /// Applies endpoint changes to the programmed ports of the Service
    /// `namespace/name`, one entry each. Returns false, changing nothing, when the
    /// patch does not fit what is programmed (a port missing or different, hints):
    /// the caller then reprograms the Service whole with [`Dataplane::update_service`].
    pub fn patch_service(&mut self, namespace: &str, name: &str, patches: Vec<PortPatch>) -> bool {
        let key = (namespace.to_owned(), name.to_owned());
        let Some(slots) = self.by_service.get(&key) else {
            return patches.is_empty();
        };
        if slots.len() != patches.len() {
            return false;
        }
        let mut found = Vec::with_capacity(patches.len());
        for patch in &patches {
            let slot = slots.iter().copied().find(|&s| {
                self.ports
                    .get(s)
                    .is_some_and(|p| p.info.name == patch.info.name)
            });
            let fits = slot.and_then(|s| self.ports.get(s)).is_some_and(|p| {
                p.info == patch.info
                    && p.tally.hinted == 0
                    && patch.upserted.iter().all(|e| e.zone_hints.is_empty())
            });
            match slot {
                Some(s) if fits => found.push(s),
                _ => return false,
            }
        }
        for (slot, patch) in found.into_iter().zip(patches) {
            for (ip, port) in patch.removed {
                self.patch_one(slot, ip, port, None);
            }
            for e in patch.upserted {
                let (ip, port) = (e.ip, e.port);
                if !self.node_by_name.contains_key(&e.node) {
                    self.waiting
                        .entry(e.node.clone())
                        .or_default()
                        .insert(key.clone());
                }
                self.patch_one(slot, ip, port, Some(e));
            }
        }
        true
    }

    /// Sets (or, with `None`, removes) the endpoint `ip:port` of the port at `slot`.
    fn patch_one(&mut self, slot: usize, ip: IpAddr, port: u16, new: Option<Endpoint>) {
        let new_node = new.as_ref().map(|e| {
            self.node_by_name
                .get(&e.node)
                .and_then(|&n| u32::try_from(n).ok())
                .unwrap_or(u32::MAX)
        });
        let Some(p) = self.ports.get_mut(slot) else {
            return;
        };
        let at = find(&p.endpoints, ip, port);
        let current = at
            .ok()
            .and_then(|i| Some((p.endpoints.get(i)?, *p.ep_node.get(i)?)));
        match (current, &new) {
            (Some((o, n)), Some(e)) if o == e && Some(n) == new_node => return,
            (None, None) => return,
            _ => {}
        }
        let old = current.map(|(e, n)| (e.clone(), n));
        let mut touched: Vec<u32> = old.iter().map(|(_, n)| *n).chain(new_node).collect();
        touched.retain(|&n| n != u32::MAX);
        touched.dedup();
        let before = Before {
            global: p.tally.mode(None),
            nodes: touched
                .iter()
                .map(|&n| (n, p.tally.mode(Some(n))))
                .collect(),
        };
        let pos = at.unwrap_or_else(|i| i);
        let removing = new.is_none();
        let affinity = p.info.affinity_timeout_secs.is_some();
        if let Some((old, n)) = old {
            p.tally.count(&old, n, false);
            for view in p.zone_views.iter_mut().chain(p.node_views.values_mut()) {
                view.lists().for_each(|l| take(l, pos, removing));
            }
            if affinity {
                p.index.remove(&(old.ip, old.port));
            }
            if removing {
                p.endpoints.remove(pos);
                p.ep_node.remove(pos);
                if affinity {
                    p.index
                        .values_mut()
                        .filter(|i| **i > pos)
                        .for_each(|i| *i -= 1);
                }
            }
        }
        if let (Some(e), Some(n)) = (new, new_node) {
            p.tally.count(&e, n, true);
            if at.is_err() {
                for view in p.zone_views.iter_mut().chain(p.node_views.values_mut()) {
                    view.lists().for_each(|l| open(l, pos));
                }
                if affinity {
                    p.index
                        .values_mut()
                        .filter(|i| **i >= pos)
                        .for_each(|i| *i += 1);
                }
                p.endpoints.insert(pos, e);
                p.ep_node.insert(pos, n);
            } else if let (Some(se), Some(sn)) = (p.endpoints.get_mut(pos), p.ep_node.get_mut(pos))
            {
                *se = e;
                *sn = n;
            }
            if affinity {
                p.index.insert((ip, port), pos);
            }
        }
        self.refresh_views(slot, (!removing).then_some(pos), &before);
        self.refresh_health(slot, &before);
    }

    /// Puts the changed endpoint (at `pos`, unless it was removed) into the lists it now
    /// belongs to; a view whose mode changed is recategorized whole, as
    /// [`Dataplane::build_port`] would.
    fn refresh_views(&mut self, slot: usize, pos: Option<usize>, before: &Before) {
        let (nodes, zones) = (&self.nodes, &self.zones);
        let Some(p) = self.ports.get_mut(slot) else {
            return;
        };
        let (uc, ul) = (
            p.info.uses_cluster_endpoints(),
            p.info.uses_local_endpoints(),
        );
        let global_changed = p.tally.mode(None) != before.global;
        let changed = pos.and_then(|i| Some((i, p.endpoints.get(i)?, *p.ep_node.get(i)?)));
        for (z, view) in p.zone_views.iter_mut().enumerate() {
            if global_changed {
                let zone = zones.get(z).map_or("", String::as_str);
                *view = categorize_with(&p.endpoints, uc, ul, zone, |_| false);
            } else if let Some((i, e, en)) = changed {
                place(view, i, membership(&p.info, &p.tally, e, en, None));
            }
        }
        if !ul {
            return;
        }
        // One view per known node hosting an endpoint: a node left without any loses
        // its own, a node hosting its first gets one.
        p.node_views
            .retain(|&i, _| u32::try_from(i).is_ok_and(|n| p.tally.node(Some(n))[0] > 0));
        let mut hosts: Vec<u32> = p.tally.per_node.keys().copied().collect();
        hosts.sort_unstable();
        for n in hosts {
            let Ok(i) = usize::try_from(n) else { continue };
            let was = before
                .nodes
                .iter()
                .find(|(m, _)| *m == n)
                .map_or_else(|| p.tally.mode(Some(n)), |(_, m)| *m);
            let fresh = !p.node_views.contains_key(&i);
            if fresh || global_changed || p.tally.mode(Some(n)) != was {
                if let Some(node) = nodes.get(i) {
                    let view = categorize(&p.endpoints, &p.info, &node.info);
                    p.node_views.insert(i, view);
                }
            } else if let (Some((pi, e, en)), Some(view)) = (changed, p.node_views.get_mut(&i)) {
                place(view, pi, membership(&p.info, &p.tally, e, en, Some(n)));
            }
        }
    }

    /// Keeps the nodes whose health check answers 200 (a ready endpoint of theirs) in
    /// name order, as the simulated LB draws from them.
    fn refresh_health(&mut self, slot: usize, before: &Before) {
        let nodes = &self.nodes;
        let Some(p) = self.ports.get_mut(slot) else {
            return;
        };
        let name = |i: usize| nodes.get(i).map(|n| n.info.name.as_str());
        for &(n, was) in &before.nodes {
            let Ok(i) = usize::try_from(n) else { continue };
            let is = p.tally.node(Some(n))[1] > 0;
            if was[2] == is {
                continue;
            }
            let at = p.healthy_nodes.partition_point(|&h| name(h) < name(i));
            if is {
                p.healthy_nodes.insert(at, i);
            } else if p.healthy_nodes.get(at) == Some(&i) {
                p.healthy_nodes.remove(at);
            }
        }
    }
}

/// The modes before a change: the port's and those of the nodes it touches.
struct Before {
    global: [bool; 4],
    nodes: Vec<(u32, [bool; 4])>,
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
