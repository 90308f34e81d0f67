//! The world: every object of the simulated cluster, its clock, its random stream, and
//! the controllers that keep it true.
//!
//! Its public surface has three parts (quinn's `Connection` style):
//! - [`World::apply`] takes one [`Command`] — every change a user, a lesson, the
//!   console, a script or an import makes — validates all of it, applies it, runs the
//!   controllers once and returns what changed; a refused command changes nothing;
//! - [`World::step`] is the only way time moves;
//! - read accessors (`&self`), and `drain_*` for queued outputs (requests, events).
//!
//! The world keeps the commands it applied with their simulated times ([`World::history`]):
//! replaying them from the same seed and configuration ([`World::replay`]) gives the same
//! world, byte for byte, however the time between them was stepped.
//!
//! Inside, the state is grouped into owned parts, each behind its own methods:
//! `PodStore` (`pod_store`: pods and their indexes), `NodeStore` (`node_store`: nodes,
//! per-node IPAM, the scheduler's load), `WorkloadStore` (Deployments, ReplicaSets,
//! StatefulSets, DaemonSets, ReplicationControllers, Jobs, CronJobs), `ServiceStore`
//! (Services, the API server's registry, the selector index), the EndpointSlices
//! (`controllers::endpointslice::store`), the kubelet's per-pod runtime, the `WorkQueue`
//! (`queue`), the traffic (`traffic`), kube-proxy's [`Dataplane`], the event log and the
//! history.
//!
//! Submodules: `command` (the enum and its dispatch), `step` (time, the work queue's
//! drain), `pods`, `deployments` (and `deployment_update`), `workloads` (the other
//! workload kinds: create, scale, delete, counts), `workload_kind` (the kinds as one
//! enum), `services`, `nodes`, `create` (objects in bulk, all or nothing) and
//! `create_job` (the same in slices), `traffic` (clients, requests), `proxying` (kube-proxy and the cluster
//! config), `explain`, `expected` (the share each pod should serve), `events`,
//! `history`, `cluster_dns` (the `kube-dns` Service, the DNS server built from the
//! objects, pods' resolvers and `nslookup`), `revision` ([`World::revision`]: whether
//! the objects may have changed, for shells that cache views of them). The controllers' drivers live with their
//! rules in `crate::controllers`.

mod cluster_dns;
mod command;
mod create;
mod create_job;
mod deployment_update;
mod deployments;
mod events;
mod expected;
mod explain;
mod history;
mod label_index;
mod node_store;
mod nodes;
mod pod_store;
mod pods;
mod proxying;
mod queue;
mod revision;
mod service_store;
mod services;
mod step;
mod traffic;
mod workload_commands;
mod workload_kind;
mod workload_store;
mod workloads;

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

use crate::controllers::endpointslice::store::SliceStore;
use crate::controllers::kubelet::runtime::PodRuntime;
use crate::error::CommandError;
use crate::objects::{
    CronJob, DEFAULT_NAMESPACE, DaemonSet, Deployment, EndpointSlice, Job, NamespacedName, Node,
    Pod, PodPhase, ReplicaSet, ReplicationController, Service, StatefulSet,
};
use crate::proxy::Dataplane;
use crate::sim::{SimRng, SimTime};

pub use crate::apiserver::ServiceRegistry;
pub use crate::apps::MAX_CLIENT_RATE;
pub use crate::controllers::kubelet::{CRASH_RESTART_MILLIS, ORPHAN_GC_MILLIS, POD_START_MILLIS};
pub use crate::controllers::scheduler::MAX_PODS_PER_NODE;
pub use cluster_dns::{CLUSTER_DOMAIN, DNS_SERVICE_INDEX, Resolved};
pub use command::{Applied, Change, Command, Verb};
pub use create_job::CreateJob;
pub use deployments::{POD_TEMPLATE_HASH_LABEL, WorkloadCounts};
pub use events::{EVENT_HISTORY, Event};
pub use explain::{EndpointState, Explanation, Reason};
pub use history::{MAX_HISTORY, Recorded};
pub(crate) use pod_store::owner_of;
pub use proxying::{CLUSTER_CIDR, ClusterConfig, RulesFormat};
pub use revision::Revision;
pub use service_store::Pinned;
pub use traffic::{
    Answer, CLIENT_LABEL, Client, ClientKind, ClientReport, ClientSpec, Conn, ConnUse,
    ConnectionView, MAX_CHAIN_DEPTH, MAX_PENDING_REQUESTS, OutsideEntry,
    PENDING_REQUESTS_WINDOW_MILLIS, Request,
};
pub use workload_kind::{WorkloadKind, WorkloadRef};

/// Kubernetes' alphabet for generated name suffixes: no vowels, no look-alikes.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/util/rand/rand.go` `alphanums`.
pub(crate) const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The namespaces every cluster starts with.
/// Upstream: kubernetes/kubernetes@cb6ff2d8
/// `pkg/controlplane/controller/systemnamespaces/system_namespaces_controller.go` (kube-system,
/// kube-public, kube-node-lease) and the apiserver's `default`.
pub const SYSTEM_NAMESPACES: [&str; 4] = [
    DEFAULT_NAMESPACE,
    "kube-node-lease",
    "kube-public",
    "kube-system",
];

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) now: SimTime,
    pub(crate) rng: SimRng,
    pub(crate) next_uid: u64,
    pub(crate) seed: u64,
    pub(crate) config: ClusterConfig,
    pub(crate) namespaces: BTreeSet<String>,
    pub(crate) nodes: node_store::NodeStore,
    pub(crate) pods: pod_store::PodStore,
    pub(crate) workloads: workload_store::WorkloadStore,
    pub(crate) services: service_store::ServiceStore,
    pub(crate) slices: SliceStore,
    /// The kubelet's view of each pod: app health and container states.
    pub(crate) kubelet: BTreeMap<Arc<NamespacedName>, PodRuntime>,
    pub(crate) queue: queue::WorkQueue,
    pub(crate) traffic: traffic::Traffic,
    /// kube-proxy on every node.
    pub(crate) dataplane: Dataplane,
    /// The cluster DNS (CoreDNS as a cluster component) and its lookups.
    pub(crate) dns: cluster_dns::DnsState,
    pub(crate) log: events::EventLog,
    pub(crate) history: history::History,
    /// Changes whenever the objects may have (see `revision`).
    pub(crate) revision: Revision,
}

impl World {
    /// An empty world with a seed and the default [`ClusterConfig`]; it holds only the
    /// `default/kubernetes` Service and the system namespaces.
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
    ///
    /// It also holds kubeadm's `kube-system/kube-dns` Service (see `cluster_dns`).
    ///
    /// Simplification: no API server runs as a pod or behind an endpoint, so
    /// `default/kubernetes` has no endpoints and requests to it are refused.
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
            seed,
            config,
            namespaces: SYSTEM_NAMESPACES.iter().map(|s| (*s).to_owned()).collect(),
            nodes: node_store::NodeStore::default(),
            pods: pod_store::PodStore::default(),
            workloads: workload_store::WorkloadStore::default(),
            services: service_store::ServiceStore::new(registry),
            slices: SliceStore::default(),
            kubelet: BTreeMap::new(),
            queue: queue::WorkQueue::default(),
            traffic: traffic::Traffic::default(),
            dataplane: Dataplane::new(proxy),
            dns: cluster_dns::DnsState::default(),
            log: events::EventLog::default(),
            history: history::History::default(),
            revision: Revision::fresh(),
        };
        let mut kubernetes = kubernetes;
        kubernetes.metadata.uid = w.uid();
        kubernetes.metadata.creation_timestamp = Some(SimTime::ZERO);
        let key = kubernetes.metadata.key();
        w.services.put(kubernetes);
        w.program_service(&key);
        w.install_kube_dns();
        Ok(w)
    }

    /// kubeadm's `kube-system/kube-dns` Service at the tenth address of the Service
    /// range (see `cluster_dns`), made as the cluster makes it: no event, as for
    /// `default/kubernetes`.
    fn install_kube_dns(&mut self) {
        let Some(ip) = cluster_dns::dns_service_address(&self.config.service_cidr) else {
            return;
        };
        let Ok(mut svc) = self
            .services
            .registry
            .create(cluster_dns::kube_dns_service(ip))
        else {
            return;
        };
        svc.metadata.uid = self.uid();
        svc.metadata.creation_timestamp = Some(SimTime::ZERO);
        let key = svc.metadata.key();
        self.services.put(svc);
        self.queue.service(key);
        self.settle();
        // The cluster's own bookkeeping (its placeholder EndpointSlice) is not news.
        self.log = events::EventLog::default();
    }

    // ----- read accessors -----

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// A token that changes whenever the objects, the configuration or kube-proxy's
    /// rules may have changed, and never for traffic or time alone (see [`Revision`]).
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// The seed the world was built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The namespaces that exist.
    pub fn namespaces(&self) -> &BTreeSet<String> {
        &self.namespaces
    }

    /// Nodes by name.
    pub fn nodes(&self) -> &BTreeMap<String, Node> {
        self.nodes.all()
    }

    /// Pods by namespace and name.
    pub fn pods(&self) -> &BTreeMap<Arc<NamespacedName>, Box<Pod>> {
        self.pods.all()
    }

    /// One pod.
    pub fn pod(&self, key: &NamespacedName) -> Option<&Pod> {
        self.pods.get(key)
    }

    /// The pod with this IP, if any.
    pub fn pod_by_ip(&self, ip: Ipv4Addr) -> Option<&NamespacedName> {
        self.pods.by_ip(ip)
    }

    /// Deployments by namespace and name.
    pub fn deployments(&self) -> &BTreeMap<NamespacedName, Deployment> {
        &self.workloads.deployments
    }

    /// ReplicaSets by namespace and name (`<deployment>-<pod-template-hash>`).
    pub fn replica_sets(&self) -> &BTreeMap<NamespacedName, ReplicaSet> {
        self.workloads.replica_sets()
    }

    /// StatefulSets by namespace and name.
    pub fn stateful_sets(&self) -> &BTreeMap<NamespacedName, StatefulSet> {
        &self.workloads.stateful_sets
    }

    /// DaemonSets by namespace and name.
    pub fn daemon_sets(&self) -> &BTreeMap<NamespacedName, DaemonSet> {
        &self.workloads.daemon_sets
    }

    /// ReplicationControllers by namespace and name.
    pub fn replication_controllers(&self) -> &BTreeMap<NamespacedName, ReplicationController> {
        &self.workloads.replication_controllers
    }

    /// Jobs by namespace and name (a CronJob's runs included).
    pub fn jobs(&self) -> &BTreeMap<NamespacedName, Job> {
        self.workloads.jobs()
    }

    /// CronJobs by namespace and name.
    pub fn cron_jobs(&self) -> &BTreeMap<NamespacedName, CronJob> {
        &self.workloads.cron_jobs
    }

    /// Services by namespace and name.
    pub fn services(&self) -> &BTreeMap<NamespacedName, Service> {
        self.services.all()
    }

    /// One Service.
    pub fn service(&self, key: &NamespacedName) -> Option<&Service> {
        self.services.get(key)
    }

    /// Every EndpointSlice by namespace and name.
    pub fn endpoint_slices(&self) -> &BTreeMap<NamespacedName, EndpointSlice> {
        self.slices.all()
    }

    /// The EndpointSlices of one Service, by name.
    pub fn endpoint_slices_for(&self, service: &NamespacedName) -> Vec<&EndpointSlice> {
        self.slices.of_service(service)
    }

    /// The traffic clients.
    pub fn clients(&self) -> &[Client] {
        self.traffic.clients()
    }

    /// Requests a pod has served since it was created.
    pub fn requests_served(&self, pod: &NamespacedName) -> u64 {
        self.traffic.stats.served(pod)
    }

    /// Requests to a Service that were refused at once (no endpoints: kube-proxy's
    /// REJECT; or the pod had nothing listening on the port).
    pub fn requests_refused(&self, service: &NamespacedName) -> u64 {
        self.traffic.stats.refused(service)
    }

    /// Requests to a Service that were silently dropped (the client times out): e.g.
    /// `externalTrafficPolicy: Local` on a node without a local endpoint.
    pub fn requests_dropped(&self, service: &NamespacedName) -> u64 {
        self.traffic.stats.dropped(service)
    }

    /// Requests a client could not even address: an outside client and a Service with
    /// only a ClusterIP, or a Service that does not exist. A client pod whose host
    /// did not resolve is counted apart ([`World::requests_unresolved`]).
    pub fn requests_unreachable(&self, service: &NamespacedName) -> u64 {
        self.traffic.stats.unreachable(service)
    }

    /// Requests to a Service's name that the sender's resolver could not turn into an
    /// address (NXDOMAIN, or no records): DNS failures inside the cluster.
    pub fn requests_unresolved(&self, service: &NamespacedName) -> u64 {
        self.traffic.stats.unresolved(service)
    }

    /// The API server's Service registry (allocators and LB controller, read-only).
    pub fn registry(&self) -> &ServiceRegistry {
        &self.services.registry
    }

    /// Whether the pod may receive new traffic: running, ready, not being deleted.
    pub fn is_serving(pod: &Pod) -> bool {
        pod.status.phase == PodPhase::Running && pod.status.ready && !pod.metadata.is_terminating()
    }

    /// Whether the simulated app in a pod is healthy (its readiness probe would pass).
    pub fn is_app_healthy(&self, pod: &NamespacedName) -> Option<bool> {
        self.kubelet.get(pod).map(|r| r.healthy)
    }

    /// The pods behind the Service's ready endpoints, read from its EndpointSlices
    /// (only slices that carry the Service's first port), by name.
    pub fn ready_endpoints(&self, service: &NamespacedName) -> Vec<&Pod> {
        let keys: BTreeSet<NamespacedName> = self
            .routable_endpoints(service)
            .into_iter()
            .filter_map(|e| e.target_ref.as_ref())
            .map(|r| NamespacedName::new(&r.namespace, &r.name))
            .collect();
        keys.iter().filter_map(|k| self.pods.get(k)).collect()
    }

    /// The events kept in the bounded history (at most [`EVENT_HISTORY`]), oldest first.
    pub fn event_history(&self) -> impl Iterator<Item = &Event> {
        self.log.history().iter()
    }

    /// How many Service syncs the EndpointSlice controller has run since the world
    /// began: a pod event adds only the Services its labels can match.
    pub fn service_syncs(&self) -> u64 {
        self.queue.service_syncs
    }

    /// How many events fell out of the bounded history.
    pub fn events_dropped(&self) -> u64 {
        self.log.dropped()
    }

    /// Whether this is an object the cluster made for itself rather than one the user
    /// made: the API server's own `default/kubernetes` Service and kubeadm's
    /// `kube-system/kube-dns`. Exports and listings of "what the user made" leave them
    /// out; they still exist, as in a real cluster.
    pub fn is_built_in_service(&self, key: &NamespacedName) -> bool {
        *key == self.services.registry.kubernetes_service().metadata.key()
            || cluster_dns::is_kube_dns(key)
    }

    // ----- queued outputs -----

    /// Takes the requests sent since the last drain, oldest first: at most the last
    /// [`PENDING_REQUESTS_WINDOW_MILLIS`] of them (and at most [`MAX_PENDING_REQUESTS`]).
    pub fn drain_requests(&mut self) -> Vec<Request> {
        self.traffic.drain()
    }

    /// Takes the events logged since the last drain that are still in the history.
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.log.drain()
    }

    // ----- internals shared by the submodules -----

    /// Records that the objects may have changed (a new [`World::revision`]).
    pub(crate) fn touch(&mut self) {
        self.revision = Revision::fresh();
    }

    pub(crate) fn uid(&mut self) -> u64 {
        let uid = self.next_uid;
        self.next_uid += 1;
        uid
    }

    pub(crate) fn event(&mut self, kind: &'static str, key: &NamespacedName, message: String) {
        self.log.push(self.now, kind, key, message);
    }

    /// Five characters from Kubernetes' name alphabet, from the world's stream.
    pub(crate) fn name_suffix(&mut self) -> String {
        (0..5)
            .map(|_| {
                NAME_ALPHABET
                    .get(self.rng.index(NAME_ALPHABET.len()))
                    .copied()
                    .unwrap_or(b'x') as char
            })
            .collect()
    }

    /// A free pod key for a controller's new pod: `prefix` (up to 58 characters), a dash
    /// and a [`name_suffix`](Self::name_suffix), drawn again while the name is taken.
    pub(crate) fn generate_pod_key(&mut self, namespace: &str, prefix: &str) -> NamespacedName {
        let base: String = prefix.chars().take(58).collect();
        loop {
            let candidate =
                NamespacedName::new(namespace, &format!("{base}-{}", self.name_suffix()));
            if !self.pods.contains(&candidate) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests;
