//! The playground's budget for what a world holds: the pods it asks for
//! ([`MAX_PODS`](limits::MAX_PODS), or what `ClusterConfig::max_pods` sets), its Services
//! ([`MAX_SERVICES`](limits::MAX_SERVICES)), its Nodes ([`MAX_NODES`](limits::MAX_NODES))
//! and the endpoints those Services would have ([`MAX_ENDPOINTS`](limits::MAX_ENDPOINTS):
//! every pod a Service's selector matches, counted once per Service).
//!
//! An import is checked on its own (`validate`) and on top of the world it goes into
//! (`apply`): objects are taken in document order, and one that takes a count over its
//! limit is refused at the field that asks (`spec.replicas`, `spec.selector`, a
//! `metadata.name`); the objects after it may still fit.
//!
//! Simplification: endpoints are counted when objects are imported or a link is loaded;
//! the page's later edits of labels and selectors (one click each) are not counted.

use super::schema::Object;
use crate::World;
use crate::limits::{self, Limit, LimitError};
use crate::objects::Labels;
use crate::selector::api::service_selects;
use crate::validation::field::{Error, Path};

/// Pods with the same namespace and labels: a workload's replicas, or one pod.
struct PodGroup {
    namespace: String,
    labels: Labels,
    count: u64,
}

/// What the limits count so far, and what is needed to count endpoints.
pub(crate) struct Budget {
    pods: u64,
    max_pods: u32,
    services: u64,
    nodes: u64,
    endpoints: u64,
    groups: Vec<PodGroup>,
    /// Each Service's namespace and selector.
    selectors: Vec<(String, Labels)>,
}

impl Budget {
    /// An empty world's budget, with the default pod limit.
    pub(crate) fn new() -> Self {
        Budget {
            pods: 0,
            max_pods: limits::MAX_PODS,
            services: 0,
            nodes: 0,
            endpoints: 0,
            groups: Vec::new(),
            selectors: Vec::new(),
        }
    }

    /// What `world` holds already.
    pub(crate) fn of(world: &World) -> Self {
        let mut b = Budget::new();
        b.pods = world.requested_pods();
        b.max_pods = world.config().max_pods;
        b.nodes = world.nodes().len() as u64;
        for p in world.pods().values() {
            b.groups.push(PodGroup {
                namespace: p.metadata.namespace.clone(),
                labels: p.metadata.labels.clone(),
                count: 1,
            });
        }
        let services = world.services().values();
        for s in services.filter(|s| !world.is_built_in_service(&s.metadata.key())) {
            b.services += 1;
            if let Some(sel) = s.spec.effective_selector() {
                b.endpoints += b.selected(&s.metadata.namespace, sel);
                b.selectors
                    .push((s.metadata.namespace.clone(), sel.clone()));
            }
        }
        b
    }

    fn selected(&self, namespace: &str, selector: &Labels) -> u64 {
        let groups = self.groups.iter().filter(|g| g.namespace == namespace);
        let matching = groups.filter(|g| service_selects(Some(selector), &g.labels));
        matching.map(|g| g.count).sum()
    }

    fn selecting(&self, namespace: &str, labels: &Labels) -> u64 {
        let services = self.selectors.iter().filter(|(ns, _)| ns == namespace);
        services
            .filter(|(_, sel)| service_selects(Some(sel), labels))
            .count() as u64
    }

    /// Takes one object; `Some` is why it does not fit (nothing is counted then).
    pub(crate) fn take(&mut self, o: &Object) -> Option<Error> {
        match o {
            Object::Service(s) => {
                let after = self.services + 1;
                let limit = limits::check(Limit::Services, "", after);
                if let Err(e) = limit {
                    return Some(over_name(o, after, &e));
                }
                let sel = s.spec.effective_selector();
                let adds = sel.map_or(0, |sel| self.selected(&s.metadata.namespace, sel));
                let endpoints = self.endpoints + adds;
                if let Err(e) = limits::check(Limit::Endpoints, "", endpoints) {
                    let path = Path::new("spec").child("selector");
                    let detail =
                        format!("{endpoints} endpoints in all with this one: {}", e.bound());
                    let shown = crate::validation::field::Rendered(go_map(sel));
                    return Some(Error::invalid(&path, shown, detail));
                }
                self.services = after;
                self.endpoints = endpoints;
                if let Some(sel) = sel {
                    self.selectors
                        .push((s.metadata.namespace.clone(), sel.clone()));
                }
                None
            }
            Object::Node(_) => {
                let after = self.nodes + 1;
                match limits::check(Limit::Nodes, "", after) {
                    Ok(()) => {
                        self.nodes = after;
                        None
                    }
                    Err(e) => Some(over_name(o, after, &e)),
                }
            }
            _ => self.take_pods(o),
        }
    }

    fn take_pods(&mut self, o: &Object) -> Option<Error> {
        let spec_replicas = || Path::new("spec").child("replicas");
        let (asks, path, labels) = match o {
            Object::Deployment(d) => {
                let labels = &d.spec.template.metadata.labels;
                (replicas(d.spec.replicas), spec_replicas(), labels)
            }
            Object::ReplicaSet(r) => {
                let labels = &r.spec.template.metadata.labels;
                (replicas(r.spec.replicas), spec_replicas(), labels)
            }
            Object::Pod(p) => (1, Path::new("metadata").child("name"), &p.metadata.labels),
            _ => return None,
        };
        if asks == 0 {
            return None;
        }
        let bad = |detail: String| match o {
            Object::Pod(p) => Error::invalid(&path, p.metadata.name.as_str(), detail),
            _ => Error::invalid(&path, i64::try_from(asks).unwrap_or(i64::MAX), detail),
        };
        let after = self.pods + asks;
        if let Err(e) = limits::check_pods(&path.to_string(), after, self.max_pods) {
            return Some(bad(format!(
                "{after} pods in all with this object: {}",
                e.bound()
            )));
        }
        let namespace = o.meta().namespace.clone();
        let endpoints = self.endpoints + asks * self.selecting(&namespace, labels);
        if let Err(e) = limits::check(Limit::Endpoints, "", endpoints) {
            let detail = format!(
                "{endpoints} endpoints in all with these pods: {}",
                e.bound()
            );
            return Some(bad(detail));
        }
        self.pods = after;
        self.endpoints = endpoints;
        self.groups.push(PodGroup {
            namespace,
            labels: labels.clone(),
            count: asks,
        });
        None
    }
}

/// The objects, in order, against `budget`: (object index, why it does not fit).
pub(crate) fn budget<'a>(
    objects: impl Iterator<Item = (usize, &'a Object)>,
    mut budget: Budget,
) -> Vec<(usize, Error)> {
    objects
        .filter_map(|(i, o)| budget.take(o).map(|e| (i, e)))
        .collect()
}

fn replicas(r: Option<i32>) -> u64 {
    u64::from(r.unwrap_or(1).max(0).unsigned_abs())
}

/// One Service or Node too many, refused at its name.
fn over_name(o: &Object, after: u64, e: &LimitError) -> Error {
    let path = Path::new("metadata").child("name");
    let detail = format!("{after} in all with this one: {}", e.bound());
    Error::invalid(&path, o.meta().name.as_str(), detail)
}

/// Go's `%v` of a selector map, as the API server shows a bad value.
fn go_map(labels: Option<&Labels>) -> String {
    let inner: Vec<String> = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect();
    format!("map[{}]", inner.join(" "))
}

#[cfg(test)]
#[path = "budget_tests.rs"]
mod tests;
