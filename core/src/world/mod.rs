//! The world: every object of the simulated cluster, its clock, its random stream, and
//! the controllers that keep it true.
//!
//! Methods are grouped by role (quinn's `Connection` style):
//! - read accessors (`&self`): objects, slices, counters, [`World::explain`],
//!   [`World::expected_share`];
//! - user commands (imperative verbs, validated first: a refused command changes
//!   nothing): `kill_pod`, `crash_pod`, `break_pod`, `heal_pod`, `scale_deployment`,
//!   `set_pod_labels`, `set_template_labels`, `set_service_selector`,
//!   `set_publish_not_ready`, `set_service_type`, `set_external_traffic_policy`,
//!   `set_internal_traffic_policy`, `set_session_affinity`, `update_service`,
//!   `set_proxy_mode`, `set_client_rate`, `add_lb_pool`, `add_*`, `remove_*`;
//! - [`World::step`], the only way time moves;
//! - `drain_*` for queued outputs (requests, events).
//!
//! Inside, every change marks the ReplicaSets and Services it affects as dirty (as an
//! informer's event handlers enqueue keys); `settle` then syncs them until nothing is
//! left, like the controllers' work queues (which also deduplicate keys). Timed things
//! (pod starts, probe ticks, restarts, grace expiries) wait in one [`EventQueue`].
//!
//! Services go through the API server's [`ServiceRegistry`] (defaults, validation,
//! ClusterIP/nodePort/LB allocation); after a Service's slices sync, kube-proxy's
//! [`Dataplane`] is reprogrammed for that Service only, and every request is routed
//! through it ([`Dataplane::route`]).
//!
//! Submodules: `build` (adding objects), `commands`, `services` (Service commands
//! through the registry), `pods` (pod lifecycle and indexes), `kubelet` (timed events,
//! probes), `replicas` (ReplicaSet controller and scheduler), `endpoints`
//! (EndpointSlice controller), `proxying` (kube-proxy and the cluster config),
//! `explain`, `traffic`, `expected` (the share of requests each pod should serve),
//! `events`.

mod build;
mod commands;
mod endpoints;
mod events;
mod expected;
mod explain;
mod kubelet;
mod pods;
mod proxying;
mod replicas;
mod services;
mod traffic;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use crate::apiserver::ServiceRegistry;
use crate::error::CommandError;
use crate::objects::{Deployment, EndpointSlice, Node, Pod, PodPhase, ReplicaSet, Service};
use crate::proxy::Dataplane;
use crate::sim::{EventQueue, SimRng, SimTime};

pub use build::{POD_TEMPLATE_HASH_LABEL, web_container};
pub use events::{EVENT_HISTORY, Event};
pub use explain::{EndpointState, Explanation, Reason};
pub use kubelet::{CRASH_RESTART_MILLIS, ORPHAN_GC_MILLIS};
pub use proxying::{CLUSTER_CIDR, ClusterConfig, RulesFormat};
pub use replicas::MAX_PODS_PER_NODE;
pub use traffic::{
    Client, ClientKind, MAX_CLIENT_RATE, OutsideEntry, Request, RequestOutcome, Unreachable,
};

/// How long a new pod takes from being scheduled to running (sandbox, IP, image pull).
///
/// Simplification: a fixed delay; a real kubelet's start time varies.
pub const POD_START_MILLIS: u64 = 2_000;

/// Kubernetes' alphabet for generated name suffixes: no vowels, no look-alikes.
/// Upstream: kubernetes/apimachinery `pkg/util/rand/rand.go` `alphanums`.
pub(crate) const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct World {
    now: SimTime,
    rng: SimRng,
    next_uid: u64,
    next_node_index: u32,
    nodes: BTreeMap<String, Node>,
    /// Per node: the next host index to try and the hosts in use.
    ipam: BTreeMap<String, pods::NodeIpam>,
    /// (bound pods, node) for every ready, schedulable node: the scheduler's index.
    node_load: BTreeSet<(usize, String)>,
    pods: BTreeMap<String, Pod>,
    kubelet: BTreeMap<String, kubelet::PodRuntime>,
    pods_by_node: BTreeMap<String, BTreeSet<String>>,
    pods_by_label: BTreeMap<(String, String), BTreeSet<String>>,
    unscheduled: BTreeSet<String>,
    deployments: BTreeMap<String, Deployment>,
    replica_sets: BTreeMap<String, ReplicaSet>,
    pods_by_rs: BTreeMap<String, BTreeSet<String>>,
    services: BTreeMap<String, Service>,
    /// Each Service with a selector, under one (key, value) of it: a pod can only match
    /// Services filed under one of its own labels.
    services_by_label: BTreeMap<(String, String), BTreeSet<String>>,
    slices: BTreeMap<String, EndpointSlice>,
    slices_by_service: BTreeMap<String, BTreeSet<String>>,
    dirty_services: BTreeSet<String>,
    dirty_replica_sets: BTreeSet<String>,
    scheduling_dirty: bool,
    /// Service syncs run so far (for tests and benchmarks of incrementality).
    service_syncs: u64,
    queue: EventQueue<kubelet::Timed>,
    log: events::EventLog,
    clients: Vec<Client>,
    served: BTreeMap<String, u64>,
    refused: BTreeMap<String, u64>,
    dropped: BTreeMap<String, u64>,
    unreachable: BTreeMap<String, u64>,
    /// Pod IP → pod name, for naming the pod behind a routed endpoint.
    pods_by_ip: BTreeMap<String, String>,
    outbox: Vec<Request>,
    config: ClusterConfig,
    /// The API server's Service allocators and the cloud's LB controller.
    registry: ServiceRegistry,
    /// kube-proxy on every node.
    dataplane: Dataplane,
}

impl World {
    /// An empty world with a seed and the default [`ClusterConfig`]; it holds only the
    /// `default/kubernetes` Service.
    ///
    /// Simplification: no API server runs as a pod or behind an endpoint, so
    /// `default/kubernetes` has no endpoints and requests to it are refused.
    #[allow(clippy::expect_used)]
    pub fn new(seed: u64) -> Self {
        // The default configuration is a constant, valid by construction (the test
        // `the_default_config_is_valid` checks it); no user input reaches this.
        Self::with_config(seed, ClusterConfig::default())
            .expect("the default ClusterConfig is valid")
    }

    /// An empty world with a seed and a cluster configuration (Service CIDR, node-port
    /// range, load-balancer pool, proxy mode), holding only `default/kubernetes`.
    /// Refused when the Service CIDR is not usable.
    pub fn with_config(seed: u64, config: ClusterConfig) -> Result<Self, CommandError> {
        let proxy = config.proxy_config()?;
        let mut rng = SimRng::new(seed);
        let registry =
            ServiceRegistry::new(config.registry_config(), rng.derive_seed()).map_err(|e| {
                CommandError::InvalidConfig {
                    detail: e.to_string(),
                }
            })?;
        let kubernetes = registry.kubernetes_service().clone();
        let mut w = World {
            now: SimTime::ZERO,
            rng,
            next_uid: 1,
            next_node_index: 0,
            nodes: BTreeMap::new(),
            ipam: BTreeMap::new(),
            node_load: BTreeSet::new(),
            pods: BTreeMap::new(),
            kubelet: BTreeMap::new(),
            pods_by_node: BTreeMap::new(),
            pods_by_label: BTreeMap::new(),
            unscheduled: BTreeSet::new(),
            deployments: BTreeMap::new(),
            replica_sets: BTreeMap::new(),
            pods_by_rs: BTreeMap::new(),
            services: BTreeMap::new(),
            services_by_label: BTreeMap::new(),
            slices: BTreeMap::new(),
            slices_by_service: BTreeMap::new(),
            dirty_services: BTreeSet::new(),
            dirty_replica_sets: BTreeSet::new(),
            scheduling_dirty: false,
            service_syncs: 0,
            queue: EventQueue::new(),
            log: events::EventLog::default(),
            clients: Vec::new(),
            served: BTreeMap::new(),
            refused: BTreeMap::new(),
            dropped: BTreeMap::new(),
            unreachable: BTreeMap::new(),
            pods_by_ip: BTreeMap::new(),
            outbox: Vec::new(),
            config,
            registry,
            dataplane: Dataplane::new(proxy),
        };
        let name = kubernetes.metadata.name.clone();
        let mut kubernetes = kubernetes;
        kubernetes.metadata.uid = w.uid();
        kubernetes.metadata.creation_timestamp = Some(SimTime::ZERO);
        w.services.insert(name.clone(), kubernetes);
        w.program_service(&name);
        Ok(w)
    }

    // ----- read accessors -----

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Nodes by name.
    pub fn nodes(&self) -> &BTreeMap<String, Node> {
        &self.nodes
    }

    /// Pods by name.
    ///
    /// Simplification: pod names are unique in the whole world, not only per namespace
    /// (generated names make a clash across namespaces practically impossible anyway).
    pub fn pods(&self) -> &BTreeMap<String, Pod> {
        &self.pods
    }

    /// Deployments by name.
    pub fn deployments(&self) -> &BTreeMap<String, Deployment> {
        &self.deployments
    }

    /// ReplicaSets by name (`<deployment>-<pod-template-hash>`).
    pub fn replica_sets(&self) -> &BTreeMap<String, ReplicaSet> {
        &self.replica_sets
    }

    /// Services by name.
    pub fn services(&self) -> &BTreeMap<String, Service> {
        &self.services
    }

    /// Every EndpointSlice by name.
    pub fn endpoint_slices(&self) -> &BTreeMap<String, EndpointSlice> {
        &self.slices
    }

    /// The EndpointSlices of one Service, by name.
    pub fn endpoint_slices_for(&self, service: &str) -> Vec<&EndpointSlice> {
        self.slices_by_service
            .get(service)
            .into_iter()
            .flatten()
            .filter_map(|n| self.slices.get(n))
            .collect()
    }

    /// The traffic clients.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Requests a pod has served since it was created.
    pub fn requests_served(&self, pod: &str) -> u64 {
        self.served.get(pod).copied().unwrap_or(0)
    }

    /// Requests to a Service that were refused at once (no endpoints: kube-proxy's
    /// REJECT).
    pub fn requests_refused(&self, service: &str) -> u64 {
        self.refused.get(service).copied().unwrap_or(0)
    }

    /// Requests to a Service that were silently dropped (the client times out): e.g.
    /// `externalTrafficPolicy: Local` on a node without a local endpoint.
    pub fn requests_dropped(&self, service: &str) -> u64 {
        self.dropped.get(service).copied().unwrap_or(0)
    }

    /// Requests a client could not even address: an outside client and a Service with
    /// only a ClusterIP, or a Service that does not exist.
    pub fn requests_unreachable(&self, service: &str) -> u64 {
        self.unreachable.get(service).copied().unwrap_or(0)
    }

    /// The API server's Service registry (allocators and LB controller, read-only).
    pub fn registry(&self) -> &ServiceRegistry {
        &self.registry
    }

    /// Whether the pod may receive new traffic: running, ready, not being deleted.
    pub fn is_serving(pod: &Pod) -> bool {
        pod.status.phase == PodPhase::Running && pod.status.ready && !pod.metadata.is_terminating()
    }

    /// Whether the simulated app in a pod is healthy (its readiness probe would pass).
    pub fn is_app_healthy(&self, pod: &str) -> Option<bool> {
        self.kubelet.get(pod).map(|r| r.healthy)
    }

    /// The pods behind the Service's ready endpoints, read from its EndpointSlices
    /// (only slices that carry the Service's first port), by name.
    pub fn ready_endpoints(&self, service: &str) -> Vec<&Pod> {
        let names: BTreeSet<&str> = self
            .routable_endpoints(service)
            .into_iter()
            .filter_map(|e| e.pod_name())
            .collect();
        names.into_iter().filter_map(|n| self.pods.get(n)).collect()
    }

    /// The events kept in the bounded history (at most [`EVENT_HISTORY`]), oldest first.
    pub fn event_history(&self) -> impl Iterator<Item = &Event> {
        self.log.history().iter()
    }

    /// How many Service syncs the EndpointSlice controller has run since the world
    /// began: a pod event adds only the Services its labels can match.
    pub fn service_syncs(&self) -> u64 {
        self.service_syncs
    }

    /// How many events fell out of the bounded history.
    pub fn events_dropped(&self) -> u64 {
        self.log.dropped()
    }

    // ----- time -----

    /// Advances simulated time by `millis`: timed things due in that window happen at
    /// their own time (controllers settle after each), then traffic is sent.
    pub fn step(&mut self, millis: u64) {
        let end = self.now.plus_millis(millis);
        while let Some(t) = self.queue.next_time().filter(|t| *t <= end) {
            self.now = t;
            while let Some((_, item)) = self.queue.pop_due(t) {
                self.handle_timed(item);
            }
            self.settle();
        }
        self.now = end;
        self.settle();
        self.send_traffic(millis);
    }

    /// Takes the requests sent since the last drain, oldest first.
    pub fn drain_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.outbox)
    }

    /// Takes the events logged since the last drain that are still in the history.
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.log.drain()
    }

    // ----- internals shared by the submodules -----

    fn uid(&mut self) -> u64 {
        let uid = self.next_uid;
        self.next_uid += 1;
        uid
    }

    fn event(&mut self, kind: &'static str, name: &str, message: String) {
        self.log.push(self.now, kind, name, message);
    }

    /// Five characters from Kubernetes' name alphabet, from the world's stream.
    fn name_suffix(&mut self) -> String {
        (0..5)
            .map(|_| {
                NAME_ALPHABET
                    .get(self.rng.index(NAME_ALPHABET.len()))
                    .copied()
                    .unwrap_or(b'x') as char
            })
            .collect()
    }

    /// Runs the controllers until no ReplicaSet, pending pod or Service is left to sync.
    fn settle(&mut self) {
        loop {
            if let Some(rs) = self.dirty_replica_sets.pop_first() {
                self.sync_replica_set(&rs);
            } else if self.scheduling_dirty {
                self.scheduling_dirty = false;
                self.schedule_pending();
            } else if let Some(svc) = self.dirty_services.pop_first() {
                self.sync_service(&svc);
                self.program_service(&svc);
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests;
