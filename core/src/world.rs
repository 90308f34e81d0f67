//! The world: every object of the simulated cluster, its clock and its random stream.
//!
//! Methods are grouped by role: read accessors (`&self`), user commands (imperative
//! verbs, validated first: a refused command changes nothing), `step` (the only way time
//! moves), and `drain_*` for queued outputs.

use std::collections::BTreeMap;

use crate::error::CommandError;
use crate::objects::pod::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
use crate::objects::{Deployment, Labels, Node, ObjectMeta, Pod, PodPhase, Service};
use crate::sim::{SimRng, SimTime};

/// How long a new pod takes from creation to running (image pull and start).
///
/// Simplification: a fixed delay; a real kubelet's start time varies.
pub const POD_START_MILLIS: u64 = 2_000;

/// Kubernetes' alphabet for generated name suffixes: no vowels, no look-alikes.
/// Upstream: kubernetes/apimachinery `pkg/util/rand/rand.go` `alphanums`.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// One request the traffic generator sent, for counters and the animation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// When it was sent.
    pub at: SimTime,
    /// The client that sent it.
    pub client: String,
    /// The Service it was addressed to.
    pub service: String,
    /// The pod that served it, or `None` when the Service had no ready endpoint
    /// (kube-proxy rejects: connection refused).
    pub pod: Option<String>,
}

/// A client sending requests to a Service at a steady rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client's name.
    pub name: String,
    /// The Service it talks to.
    pub service: String,
    /// Requests per simulated second.
    pub rate_per_sec: u32,
    /// Sub-request credit carried between steps, in requests × 1000.
    credit: u64,
}

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct World {
    now: SimTime,
    rng: SimRng,
    next_uid: u64,
    nodes: BTreeMap<String, Node>,
    /// Per node: the host index the next pod IP is tried from (host-local IPAM
    /// continues after the last address it handed out, so a replacement gets a new IP).
    ip_cursor: BTreeMap<String, u32>,
    pods: BTreeMap<String, Pod>,
    deployments: BTreeMap<String, Deployment>,
    services: BTreeMap<String, Service>,
    clients: Vec<Client>,
    served: BTreeMap<String, u64>,
    refused: BTreeMap<String, u64>,
    outbox: Vec<Request>,
}

impl World {
    /// An empty world with a seed.
    pub fn new(seed: u64) -> Self {
        World {
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            next_uid: 1,
            nodes: BTreeMap::new(),
            ip_cursor: BTreeMap::new(),
            pods: BTreeMap::new(),
            deployments: BTreeMap::new(),
            services: BTreeMap::new(),
            clients: Vec::new(),
            served: BTreeMap::new(),
            refused: BTreeMap::new(),
            outbox: Vec::new(),
        }
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
    pub fn pods(&self) -> &BTreeMap<String, Pod> {
        &self.pods
    }

    /// Deployments by name.
    pub fn deployments(&self) -> &BTreeMap<String, Deployment> {
        &self.deployments
    }

    /// Services by name.
    pub fn services(&self) -> &BTreeMap<String, Service> {
        &self.services
    }

    /// The traffic clients.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Requests a pod has served since it was created.
    pub fn requests_served(&self, pod: &str) -> u64 {
        self.served.get(pod).copied().unwrap_or(0)
    }

    /// Requests to a Service that found no ready endpoint.
    pub fn requests_refused(&self, service: &str) -> u64 {
        self.refused.get(service).copied().unwrap_or(0)
    }

    /// Whether the pod may receive traffic: running, ready, not being deleted.
    pub fn is_serving(pod: &Pod) -> bool {
        pod.status.phase == PodPhase::Running && pod.status.ready && !pod.metadata.is_terminating()
    }

    /// The pods a Service would send traffic to now, by name.
    pub fn ready_endpoints(&self, service: &str) -> Vec<&Pod> {
        let Some(selector) = self.services.get(service).and_then(|s| s.spec.effective_selector())
        else {
            return Vec::new();
        };
        self.pods
            .values()
            .filter(|p| selects(selector, &p.metadata.labels) && Self::is_serving(p))
            .collect()
    }

    // ----- building a scenario -----

    /// Adds a node with a pod CIDR `10.244.<index>.0/24` and IP `192.168.0.<10+index>`.
    pub fn add_node(&mut self, name: &str, zone: &str) {
        let index = self.nodes.len() as u32;
        let mut meta = ObjectMeta::named("", name);
        meta.uid = self.uid();
        meta.labels.insert(crate::objects::node::ZONE_LABEL.to_owned(), zone.to_owned());
        let node = Node {
            metadata: meta,
            spec: crate::objects::NodeSpec {
                pod_cidr: format!("10.244.{index}.0/24"),
                unschedulable: false,
            },
            status: crate::objects::NodeStatus {
                node_ip: format!("192.168.0.{}", 10 + index),
                ready: true,
            },
        };
        self.ip_cursor.insert(name.to_owned(), 2);
        self.nodes.insert(name.to_owned(), node);
    }

    /// Adds a Deployment whose pods carry `labels`, and creates its pods.
    pub fn add_deployment(&mut self, name: &str, labels: Labels, replicas: i32) {
        let mut d = Deployment { metadata: ObjectMeta::named("default", name), ..Default::default() };
        d.metadata.uid = self.uid();
        d.spec.replicas = Some(replicas);
        d.spec.selector = Some(crate::objects::LabelSelector {
            match_labels: labels.clone(),
            match_expressions: Vec::new(),
        });
        d.spec.template.metadata.labels = labels;
        self.deployments.insert(name.to_owned(), d);
        self.reconcile_deployments();
    }

    /// Adds a ClusterIP Service selecting `selector`.
    pub fn add_service(&mut self, name: &str, selector: Labels) {
        let mut s = Service { metadata: ObjectMeta::named("default", name), ..Default::default() };
        s.metadata.uid = self.uid();
        s.spec.selector = Some(selector);
        self.services.insert(name.to_owned(), s);
    }

    /// Adds a client sending `rate_per_sec` requests per second to a Service.
    pub fn add_client(&mut self, name: &str, service: &str, rate_per_sec: u32) {
        self.clients.push(Client {
            name: name.to_owned(),
            service: service.to_owned(),
            rate_per_sec,
            credit: 0,
        });
    }

    // ----- user commands -----

    /// Deletes a pod gracefully: it stops receiving new requests at once, its owner
    /// starts a replacement at once, and it is gone after its grace period.
    pub fn kill_pod(&mut self, name: &str) -> Result<(), CommandError> {
        let now = self.now;
        let pod = self
            .pods
            .get_mut(name)
            .ok_or_else(|| CommandError::PodNotFound { name: name.to_owned() })?;
        if pod.metadata.is_terminating() {
            return Err(CommandError::PodTerminating { name: name.to_owned() });
        }
        let grace = pod
            .spec
            .termination_grace_period_seconds
            .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
        pod.metadata.deletion_timestamp = Some(now.plus_millis(u64::from(grace) * 1000));
        pod.metadata.deletion_grace_period_seconds = Some(grace);
        self.reconcile_deployments();
        Ok(())
    }

    // ----- time -----

    /// Advances simulated time by `millis`, running the kubelet, the owners and traffic.
    pub fn step(&mut self, millis: u64) {
        self.now = self.now.plus_millis(millis);
        self.run_kubelet();
        self.reconcile_deployments();
        self.send_traffic(millis);
    }

    /// Takes the requests sent since the last drain, oldest first.
    pub fn drain_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.outbox)
    }

    // ----- internals -----

    fn uid(&mut self) -> u64 {
        let uid = self.next_uid;
        self.next_uid += 1;
        uid
    }

    /// Starts pods whose start delay has passed and removes pods whose grace has ended.
    fn run_kubelet(&mut self) {
        let now = self.now;
        self.pods.retain(|_, p| p.metadata.deletion_timestamp.is_none_or(|t| t > now));
        for pod in self.pods.values_mut() {
            let started = pod.metadata.creation_timestamp.unwrap_or(SimTime::ZERO) + POD_START_MILLIS;
            if pod.status.phase == PodPhase::Pending && now >= started {
                pod.status.phase = PodPhase::Running;
                pod.status.start_time = Some(started);
                // A container without a readiness probe is ready once running.
                pod.status.ready = true;
                pod.status.ready_since = Some(started);
            }
        }
        self.served.retain(|name, _| self.pods.contains_key(name));
    }

    /// Creates pods for every Deployment short of its replicas; active pods only count.
    fn reconcile_deployments(&mut self) {
        let names: Vec<String> = self.deployments.keys().cloned().collect();
        for name in names {
            let Some(d) = self.deployments.get(&name) else { continue };
            let labels = d.spec.template.metadata.labels.clone();
            let want = d.spec.replicas.unwrap_or(1).max(0) as usize;
            let have = self
                .pods
                .values()
                .filter(|p| p.is_active() && selects(&labels, &p.metadata.labels))
                .count();
            for _ in have..want {
                self.create_pod(&name, &labels);
            }
        }
    }

    fn create_pod(&mut self, owner: &str, labels: &Labels) {
        let Some(node) = self.least_loaded_node() else { return };
        let rs = format!("{owner}-{}", template_hash(owner, labels));
        let name = loop {
            let suffix: String =
                (0..5).map(|_| NAME_ALPHABET[self.rng.index(NAME_ALPHABET.len())] as char).collect();
            let candidate = format!("{rs}-{suffix}");
            if !self.pods.contains_key(&candidate) {
                break candidate;
            }
        };
        let ip = self.allocate_pod_ip(&node);
        let mut meta = ObjectMeta::named("default", &name);
        meta.uid = self.uid();
        meta.labels = labels.clone();
        meta.creation_timestamp = Some(self.now);
        let mut pod = Pod { metadata: meta, ..Default::default() };
        pod.spec.node_name = node;
        pod.status.pod_ip = ip;
        self.pods.insert(name, pod);
    }

    fn least_loaded_node(&self) -> Option<String> {
        self.nodes
            .values()
            .filter(|n| n.status.ready && !n.spec.unschedulable)
            .min_by_key(|n| {
                self.pods.values().filter(|p| p.spec.node_name == n.metadata.name).count()
            })
            .map(|n| n.metadata.name.clone())
    }

    fn allocate_pod_ip(&mut self, node: &str) -> String {
        let prefix = self
            .nodes
            .get(node)
            .map(|n| n.spec.pod_cidr.trim_end_matches(".0/24").to_owned())
            .unwrap_or_default();
        let in_use: Vec<&str> = self.pods.values().map(|p| p.status.pod_ip.as_str()).collect();
        let cursor = self.ip_cursor.entry(node.to_owned()).or_insert(2);
        for _ in 0..253 {
            let host = *cursor;
            *cursor = if host >= 254 { 2 } else { host + 1 };
            let ip = format!("{prefix}.{host}");
            if !in_use.contains(&ip.as_str()) {
                return ip;
            }
        }
        String::new()
    }

    fn send_traffic(&mut self, millis: u64) {
        let now = self.now;
        for i in 0..self.clients.len() {
            let (count, service, client) = {
                let c = &mut self.clients[i];
                c.credit += u64::from(c.rate_per_sec) * millis;
                let count = c.credit / 1000;
                c.credit %= 1000;
                (count, c.service.clone(), c.name.clone())
            };
            for _ in 0..count {
                let ready: Vec<String> =
                    self.ready_endpoints(&service).iter().map(|p| p.metadata.name.clone()).collect();
                let pod = if ready.is_empty() {
                    *self.refused.entry(service.clone()).or_default() += 1;
                    None
                } else {
                    let chosen = ready[self.rng.index(ready.len())].clone();
                    *self.served.entry(chosen.clone()).or_default() += 1;
                    Some(chosen)
                };
                self.outbox.push(Request { at: now, client: client.clone(), service: service.clone(), pod });
            }
        }
    }
}

/// Whether `labels` carries every `key=value` of an equality selector.
fn selects(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A stable 10-character hash of a pod template, in the name alphabet.
///
/// Simplification: Kubernetes hashes the whole template with FNV-32a; this hashes the
/// owner name and labels the same way, which is enough for a stable ReplicaSet name.
fn template_hash(owner: &str, labels: &Labels) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    owner.bytes().for_each(&mut eat);
    for (k, v) in labels {
        k.bytes().chain(v.bytes()).for_each(&mut eat);
    }
    let mut n = u64::from(h);
    (0..10)
        .map(|_| {
            let c = NAME_ALPHABET[(n % NAME_ALPHABET.len() as u64) as usize] as char;
            n = n / NAME_ALPHABET.len() as u64 + 7919;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn counters(w: &World) -> Vec<(String, u64)> {
        w.pods().keys().map(|n| (n.clone(), w.requests_served(n))).collect()
    }

    #[test]
    fn same_seed_same_commands_same_counters() {
        let run = |seed| {
            let mut w = scenario::default_world(seed);
            w.step(10_000);
            let victim = w.pods().keys().find(|n| n.starts_with("prod")).cloned();
            if let Some(v) = victim {
                w.kill_pod(&v).ok();
            }
            w.step(10_000);
            counters(&w)
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8), "a different seed gives different names and choices");
    }

    #[test]
    fn requests_reach_only_ready_matching_pods() {
        let mut w = scenario::default_world(1);
        w.step(5_000);
        let victim = w.pods().keys().find(|n| n.starts_with("prod")).cloned().unwrap_or_default();
        w.kill_pod(&victim).ok();
        w.drain_requests();
        let before = w.requests_served(&victim);
        for _ in 0..100 {
            w.step(100);
            for r in w.drain_requests() {
                let pod = r.pod.as_deref().expect("both Services keep a ready pod");
                assert_ne!(pod, victim, "a terminating pod got a new request");
                let p = &w.pods()[pod];
                assert_eq!(p.metadata.labels.get("app"), Some(&r.service), "wrong app");
            }
        }
        assert_eq!(w.requests_served(&victim), before);
    }

    #[test]
    fn killed_pod_is_replaced_with_a_new_name_and_ip() {
        let mut w = scenario::default_world(3);
        w.step(5_000);
        let victim = w.pods().values().find(|p| p.metadata.name.starts_with("prod")).cloned();
        let Some(victim) = victim else { unreachable!("the default scenario has prod pods") };
        w.kill_pod(&victim.metadata.name).ok();
        let prod = |w: &World| w.pods().values().filter(|p| p.metadata.name.starts_with("prod")).count();
        assert_eq!(prod(&w), 3, "replacement overlaps the terminating pod");
        w.step(31_000);
        assert_eq!(prod(&w), 2);
        assert!(!w.pods().contains_key(&victim.metadata.name));
        let ips: Vec<&str> = w.pods().values().map(|p| p.status.pod_ip.as_str()).collect();
        assert!(!ips.contains(&victim.status.pod_ip.as_str()), "replacement got a new IP");
        assert_eq!(w.ready_endpoints("prod").len(), 2);
        assert!(w.kill_pod("nope").is_err());
        assert_eq!(
            w.kill_pod(&victim.metadata.name),
            Err(CommandError::PodNotFound { name: victim.metadata.name.clone() })
        );
    }

    #[test]
    fn uniform_split_between_two_prod_pods() {
        let mut w = scenario::default_world(11);
        w.step(3_000);
        for _ in 0..200 {
            w.step(100);
        }
        let prod: Vec<u64> = w
            .pods()
            .keys()
            .filter(|n| n.starts_with("prod"))
            .map(|n| w.requests_served(n))
            .collect();
        assert_eq!(prod.len(), 2);
        let total: u64 = prod.iter().sum();
        assert!(total > 100);
        for n in prod {
            let share = n as f64 / total as f64;
            assert!((0.4..0.6).contains(&share), "share {share}");
        }
    }
}
