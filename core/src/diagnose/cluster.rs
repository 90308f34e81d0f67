//! The one input every rule reads: a cluster's objects, whether they come from a
//! simulated [`World`] (manifests, or the page's own world) or from a live cluster's
//! dump read as it is (no re-simulation), with the raw documents' extras and the
//! cluster's settings.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::raw::{RawContainer, RawScan};
use super::settings::Settings;
use crate::World;
use crate::apps::LoadSpec;
use crate::manifest::{ImportError, LiveObject};
use crate::objects::{
    Deployment, EndpointSlice, Epoch, NamespacedName, Node, Pod, ReplicaSet, Service,
};
use crate::sim::SimTime;

/// Where the objects came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Manifests, built into a simulated world and settled.
    Simulated,
    /// A live cluster's `kubectl get -o yaml`, read as it is.
    Live,
}

/// A client of the simulated world (a load generator read from its flags) and the
/// connections it holds open.
#[derive(Debug, Clone)]
pub struct ClientConns {
    /// The client's name (its pod's).
    pub name: String,
    /// Its pod, for a client inside the cluster.
    pub pod: Option<NamespacedName>,
    /// The Service its target names.
    pub service: Option<NamespacedName>,
    /// What its flags say.
    pub load: Arc<LoadSpec>,
    /// The pod at the other end of each open connection addressed through `service`.
    pub open: Vec<NamespacedName>,
}

/// A cluster's state, as the rules read it.
#[derive(Debug)]
pub struct Cluster {
    /// Where it came from.
    pub source: Source,
    /// Pods.
    pub pods: BTreeMap<NamespacedName, Pod>,
    /// Services (built-in ones left out).
    pub services: BTreeMap<NamespacedName, Service>,
    /// EndpointSlices.
    pub slices: Vec<EndpointSlice>,
    /// Nodes.
    pub nodes: BTreeMap<String, Node>,
    /// Deployments.
    pub deployments: BTreeMap<NamespacedName, Deployment>,
    /// ReplicaSets (to find a pod's Deployment).
    pub replica_sets: BTreeMap<NamespacedName, ReplicaSet>,
    /// The kubelet's words for a simulated pod that is not Ready.
    pub not_ready: BTreeMap<NamespacedName, String>,
    /// What the raw documents add (shared: the page keeps its last import's).
    pub raw: Arc<RawScan>,
    /// The cluster settings (load-balancer provider, node-port range).
    pub settings: Settings,
    /// How to print a time: the dump's wall clock, or simulated time.
    pub epoch: Option<Epoch>,
    /// Objects the API server would refuse (manifests only).
    pub rejected: Vec<ImportError>,
    /// The simulated time (or the latest time in the dump).
    pub now: SimTime,
    /// The simulated world's clients (none in a dump).
    pub clients: Vec<ClientConns>,
    /// Whether the state was built from manifests just now (its connections say
    /// nothing about a scale-up yet to come) rather than being a world that ran.
    pub from_manifests: bool,
}

impl Cluster {
    /// The state of a simulated world.
    pub fn from_world(world: &World, raw: Arc<RawScan>, settings: Settings) -> Self {
        let services = world
            .services()
            .iter()
            .filter(|(k, _)| !world.is_built_in_service(k))
            .map(|(k, s)| (k.clone(), s.clone()))
            .collect();
        let mut not_ready = BTreeMap::new();
        for (key, pod) in world.pods() {
            if pod.status.ready {
                continue;
            }
            // Any Service does: the words come from the kubelet, not from the Service.
            if let Some(svc) = world.services().keys().next()
                && let Ok(x) = world.explain(svc, key)
            {
                for r in &x.reasons {
                    if let crate::Reason::NotReady(w) = r {
                        not_ready.insert((**key).clone(), w.clone());
                    }
                }
            }
        }
        Cluster {
            source: Source::Simulated,
            pods: world
                .pods()
                .iter()
                .map(|(k, p)| ((**k).clone(), (**p).clone()))
                .collect(),
            services,
            slices: world.endpoint_slices().values().cloned().collect(),
            nodes: world.nodes().clone(),
            deployments: world.deployments().clone(),
            replica_sets: world.replica_sets().clone(),
            not_ready,
            raw,
            settings,
            epoch: None,
            rejected: Vec::new(),
            now: world.now(),
            clients: world
                .clients()
                .iter()
                .map(|cl| ClientConns {
                    name: cl.name.clone(),
                    pod: cl.pod().cloned(),
                    service: cl.service.clone(),
                    load: cl.load.clone(),
                    open: cl
                        .connections()
                        .filter(|c| c.service.is_some() && c.service == cl.service)
                        .filter_map(|c| c.pod.as_deref().cloned())
                        .collect(),
                })
                .collect(),
            from_manifests: false,
        }
    }

    /// A live cluster's objects, as they are.
    pub fn from_live(
        objects: Vec<LiveObject>,
        raw: Arc<RawScan>,
        settings: Settings,
        epoch: Epoch,
    ) -> Self {
        let mut c = Cluster {
            source: Source::Live,
            pods: BTreeMap::new(),
            services: BTreeMap::new(),
            slices: Vec::new(),
            nodes: BTreeMap::new(),
            deployments: BTreeMap::new(),
            replica_sets: BTreeMap::new(),
            not_ready: BTreeMap::new(),
            raw,
            settings,
            epoch: Some(epoch),
            rejected: Vec::new(),
            now: SimTime::ZERO,
            clients: Vec::new(),
            from_manifests: false,
        };
        for o in objects {
            match o {
                LiveObject::Pod(p) => {
                    let times = p
                        .status
                        .conditions
                        .iter()
                        .filter_map(|c| c.last_transition_time);
                    c.now = times.fold(c.now, SimTime::max);
                    c.pods.insert(p.metadata.key(), p);
                }
                LiveObject::Service(s) => {
                    let k = s.metadata.key();
                    if !(k.namespace == "default" && k.name == "kubernetes") {
                        c.services.insert(k, s);
                    }
                }
                LiveObject::EndpointSlice(s) => c.slices.push(s),
                LiveObject::Node(n) => {
                    c.nodes.insert(n.metadata.name.clone(), n);
                }
                LiveObject::Deployment(d) => {
                    c.deployments.insert(d.metadata.key(), d);
                }
                LiveObject::ReplicaSet(r) => {
                    c.replica_sets.insert(r.metadata.key(), r);
                }
                _ => {}
            }
        }
        c
    }

    /// A time as the user reads it: RFC 3339 for a dump, simulated time otherwise.
    pub fn time(&self, t: SimTime) -> String {
        match self.epoch {
            Some(e) => e.format(t),
            None => format!("{t}"),
        }
    }

    /// The pods a Service's selector picks in its namespace.
    pub fn selected(&self, svc: &Service) -> Vec<&Pod> {
        let Some(sel) = svc.spec.effective_selector() else {
            return Vec::new();
        };
        self.pods
            .values()
            .filter(|p| p.metadata.namespace == svc.metadata.namespace)
            .filter(|p| crate::selector::api::service_selects(Some(sel), &p.metadata.labels))
            .collect()
    }

    /// The cluster's EndpointSlices of a Service.
    pub fn slices_of<'a>(
        &'a self,
        svc: &'a Service,
    ) -> impl Iterator<Item = &'a EndpointSlice> + 'a {
        self.slices.iter().filter(move |s| {
            s.metadata.namespace == svc.metadata.namespace
                && s.service_name() == Some(svc.metadata.name.as_str())
        })
    }

    /// The object a pod was written as: the pod itself, or the Deployment (or
    /// ReplicaSet, or foreign workload) whose template made it; `(kind, name)`.
    pub fn origin_of(&self, pod: &Pod) -> (String, String) {
        let ns = &pod.metadata.namespace;
        if self.raw.has("Pod", ns, &pod.metadata.name) {
            return ("Pod".into(), pod.metadata.name.clone());
        }
        if let Some(rs) = pod.metadata.controller_of_kind("ReplicaSet") {
            let rs_key = NamespacedName::new(ns, rs);
            let deploy = self
                .replica_sets
                .get(&rs_key)
                .and_then(|r| r.metadata.controller_of_kind("Deployment"))
                .map(str::to_owned)
                .or_else(|| rs.rsplit_once('-').map(|(d, _)| d.to_owned()));
            if let Some(d) = deploy
                && (self.raw.has("Deployment", ns, &d)
                    || self.deployments.contains_key(&NamespacedName::new(ns, &d)))
            {
                return ("Deployment".into(), d);
            }
            return ("ReplicaSet".into(), rs.to_owned());
        }
        ("Pod".into(), pod.metadata.name.clone())
    }

    /// The raw containers (command, args, env) of a pod, from the pod or its template.
    pub fn containers_of(&self, pod: &Pod) -> Option<&[RawContainer]> {
        let (kind, name) = self.origin_of(pod);
        let key = (kind, pod.metadata.namespace.clone(), name);
        self.raw.containers.get(&key).map(Vec::as_slice)
    }
}
