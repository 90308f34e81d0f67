//! The clients: a pod's load generators (registered when the pod is created, gone with
//! it), the outside user, and the commands a client card sends (its rate, its
//! connections, keep-alive, protocol), written into the generator's command line.

use std::net::IpAddr;
use std::sync::Arc;

use super::super::World;
use super::super::cluster_dns::CLUSTER_DOMAIN;
use super::super::command::{Applied, Change, Verb};
use super::conns::Slot;
use super::report::ClientReport;
use crate::apiserver::validate::invalid;
use crate::apiserver::validate_pod::validate_pod;
use crate::apps::{self, App, AppProtocol, LoadEdit, LoadSpec, MAX_CLIENT_RATE, Target, Tool};
use crate::controllers::kubelet::runtime::PodRuntime;
use crate::error::CommandError;
use crate::objects::build::{client_pod, fortio_container};
use crate::objects::{NamespacedName, Pod};
use crate::proxy::Close;
use crate::sim::SimTime;

/// The label every client pod made by [`Command::AddClient`](super::super::Command) carries.
pub const CLIENT_LABEL: (&str, &str) = ("app", "client");

/// A whole request in the credit's unit (millionths).
const WHOLE: u64 = 1_000_000;

/// Where a client sends from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientKind {
    /// A load generator in a pod's container; it sends from the pod's IP on its node.
    InCluster {
        /// The client pod.
        pod: NamespacedName,
        /// The container running the generator.
        container: String,
    },
    /// A machine outside the cluster.
    External {
        /// Its address.
        ip: IpAddr,
    },
}

/// A client sending requests.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client's name: its pod's, or the outside user's.
    pub name: String,
    /// Where it sends from.
    pub kind: ClientKind,
    /// What its flags say (the outside user's: its rate, one connection per request).
    pub load: Arc<LoadSpec>,
    /// The Service its target names, when it names one (the outside user's Service).
    pub service: Option<NamespacedName>,
    /// Its results, as its tool reports them.
    pub report: ClientReport,
    /// The index of its container in the pod.
    pub(crate) container: usize,
    /// Its pod's namespace (where its resolver's search list starts).
    pub(crate) namespace: Arc<str>,
    /// Sub-request credit at `since`, in millionths of a request (under one request).
    credit: u64,
    since: SimTime,
    /// When its run began (its pod first could send), and how many requests it sent.
    pub(crate) started: Option<SimTime>,
    pub(crate) sent: u64,
    /// The run is over (`-t`, `-n`, `-z`): it sends no more.
    pub(crate) done: bool,
    /// Its connections, `-c` of them.
    pub(crate) slots: Vec<Slot>,
    pub(super) next_slot: usize,
    /// The next node (index in name order) an outside client sends to via nodePort.
    pub(super) next_node: usize,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.name,
            &self.kind,
            &self.load,
            &self.service,
            self.credit,
            self.since,
        ) == (
            &other.name,
            &other.kind,
            &other.load,
            &other.service,
            other.credit,
            other.since,
        )
    }
}

impl Client {
    fn new(
        name: &str,
        kind: ClientKind,
        load: LoadSpec,
        service: Option<NamespacedName>,
        now: SimTime,
    ) -> Client {
        let slots = vec![Slot::Idle; usize::try_from(load.connections.max(1)).unwrap_or(1)];
        Client {
            name: name.to_owned(),
            namespace: Arc::from(match &kind {
                ClientKind::InCluster { pod, .. } => pod.namespace.as_str(),
                ClientKind::External { .. } => "",
            }),
            kind,
            load: Arc::new(load),
            service,
            report: ClientReport::default(),
            container: 0,
            credit: 0,
            since: now,
            started: None,
            sent: 0,
            done: false,
            slots,
            next_slot: 0,
            next_node: 0,
        }
    }

    /// The rate its rate flag sets, in requests per second (fortio's `-qps`, hey's `-q`
    /// per worker, a loop's `1/sleep`, the user's rate); 0 for no limit.
    pub fn rate_per_sec(&self) -> u32 {
        self.load.flag_rate()
    }

    /// The credit earned by `now` (under one request, in millionths): what carries over
    /// to the next request.
    pub fn credit_at(&self, now: SimTime) -> u64 {
        let ms = now.as_millis().saturating_sub(self.since.as_millis());
        self.credit + self.load.millirate().saturating_mul(ms)
    }

    /// When the next request is due, if the stream is not paused or over.
    pub(super) fn due(&self) -> Option<SimTime> {
        let rate = self.load.millirate();
        if rate == 0 || self.done {
            return None;
        }
        let missing = WHOLE.saturating_sub(self.credit);
        Some(self.since.plus_millis(missing.div_ceil(rate)))
    }

    /// Brings the credit up to `now`; returns how many whole requests it holds.
    pub(super) fn settle(&mut self, now: SimTime) -> u64 {
        let total = self.credit_at(now);
        self.since = now;
        self.credit = total % WHOLE;
        total / WHOLE
    }

    /// Brings the credit up to `now` without sending (an edit happens between requests:
    /// its credit is always under one).
    fn settle_to(&mut self, now: SimTime) {
        let total = self.credit_at(now);
        self.since = now;
        self.credit = total.min(WHOLE - 1);
    }

    /// Its open connections.
    pub fn connections(&self) -> impl Iterator<Item = &super::Conn> {
        self.slots.iter().filter_map(|s| match s {
            Slot::Open(c) => Some(c),
            _ => None,
        })
    }

    /// The pod it runs in, for a client inside the cluster.
    pub fn pod(&self) -> Option<&NamespacedName> {
        match &self.kind {
            ClientKind::InCluster { pod, .. } => Some(pod),
            ClientKind::External { .. } => None,
        }
    }
}

/// A client to add: who sends, to which Service, how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSpec {
    /// The client's name (an in-cluster client's pod is named so when it is made).
    pub name: String,
    /// The Service it sends to.
    pub service: NamespacedName,
    /// Requests per simulated second (`0..=MAX_CLIENT_RATE`).
    pub rate_per_sec: u32,
    /// Where it sends from.
    pub kind: ClientKind,
}

impl ClientSpec {
    /// A client inside the cluster: the pod `name` in the Service's namespace, labelled
    /// `app=client`, running `fortio load -qps RATE -c 1 -t 0 -keepalive=false
    /// http://SERVICE/hostname` in a container named after the Service.
    pub fn in_cluster(name: &str, service: NamespacedName, rate_per_sec: u32) -> Self {
        ClientSpec {
            name: name.to_owned(),
            kind: ClientKind::InCluster {
                pod: NamespacedName::new(&service.namespace, name),
                container: service.name.clone(),
            },
            service,
            rate_per_sec,
        }
    }

    /// A client outside the cluster at `ip`.
    pub fn external(name: &str, service: NamespacedName, ip: IpAddr, rate_per_sec: u32) -> Self {
        ClientSpec {
            name: name.to_owned(),
            service,
            rate_per_sec,
            kind: ClientKind::External { ip },
        }
    }

    /// The pod an in-cluster client runs in: fortio, one connection per request (the
    /// picture of a request spread over every pod); `None` for the outside user.
    pub fn pod(&self) -> Option<Pod> {
        let ClientKind::InCluster { pod, container } = &self.kind else {
            return None;
        };
        let url = format!("http://{}/hostname", self.service.name);
        Some(client_pod(
            pod,
            vec![fortio_container(
                container,
                &url,
                self.rate_per_sec,
                1,
                false,
            )],
        ))
    }
}

impl World {
    /// Whether `key` is a traffic client's pod (one of its containers runs a load
    /// generator).
    pub fn is_client_pod(&self, key: &NamespacedName) -> bool {
        self.traffic.clients().iter().any(|c| c.pod() == Some(key))
    }

    /// A pod was created: each container running a load generator is a client, as the
    /// kubelet's `runtime` read each container's command line.
    pub(crate) fn register_clients(&mut self, pod: &Pod, runtime: &PodRuntime) {
        let key = pod.metadata.key();
        for (i, (c, rt)) in pod
            .spec
            .containers
            .iter()
            .zip(&runtime.containers)
            .enumerate()
        {
            let App::Load(load) = &*rt.app else {
                continue;
            };
            let load = load.clone();
            let service = load
                .target
                .named_service(&key.namespace, super::super::cluster_dns::CLUSTER_DOMAIN);
            let kind = ClientKind::InCluster {
                pod: key.clone(),
                container: c.name.clone(),
            };
            let mut client = Client::new(&key.name, kind, load, service, self.now);
            client.container = i;
            self.traffic.clients.push(client);
        }
    }

    /// Adds a client: the outside user, or a client pod made as [`ClientSpec::pod`]
    /// says (refused when a pod of that name exists).
    pub(in crate::world) fn add_client(
        &mut self,
        spec: &ClientSpec,
    ) -> Result<Applied, CommandError> {
        if spec.rate_per_sec > MAX_CLIENT_RATE {
            return Err(rate_error(&spec.name, &spec.service, spec.rate_per_sec));
        }
        if let Some(pod) = spec.pod() {
            let change = self.create_pod(pod)?;
            return Ok(Applied {
                changes: vec![change],
            });
        }
        let ClientKind::External { .. } = &spec.kind else {
            return Ok(Applied::default());
        };
        let load = LoadSpec {
            tool: Tool::Outside,
            flag_millirate: Some(u64::from(spec.rate_per_sec) * 1000),
            connections: 1,
            workers: 1,
            keepalive: false,
            protocol: AppProtocol::Http1,
            duration_ms: None,
            requests: None,
            target: Target {
                scheme: "http".into(),
                host: spec.service.name.clone(),
                port: 0,
                path: "/".into(),
            },
        };
        let client = Client::new(
            &spec.name,
            spec.kind.clone(),
            load,
            Some(spec.service.clone()),
            self.now,
        );
        self.traffic.clients.push(client);
        Ok(Applied {
            changes: vec![Change::new(
                "client",
                NamespacedName::new("", &spec.name),
                Verb::Created,
            )],
        })
    }

    /// Sets the rate flag of `client`'s streams to `service` from now on (fortio's
    /// `-qps`, hey's `-q`, a loop's `sleep`; the outside user's rate, where `0` pauses).
    /// Refused, changing nothing, when no client has that name, when it sends nothing to
    /// `service`, when the rate is over [`MAX_CLIENT_RATE`], or when the tool cannot
    /// express it (fortio's `-qps 0` means no limit, not a pause).
    ///
    /// The credit earned before the change (always under one request) is kept: the
    /// change sends no burst and loses no fraction, and from a change at `t0` to `t1` the
    /// stream sends exactly `floor((credit + rate × (t1 − t0)) / 1)` requests.
    pub(in crate::world) fn set_client_rate(
        &mut self,
        client: &str,
        service: &NamespacedName,
        rate_per_sec: u32,
    ) -> Result<Change, CommandError> {
        self.client_indexes(client, service)?;
        if rate_per_sec > MAX_CLIENT_RATE {
            return Err(rate_error(client, service, rate_per_sec));
        }
        let edit = LoadEdit {
            rate: Some(rate_per_sec),
            ..LoadEdit::default()
        };
        self.edit_client(client, service, &edit)
    }

    /// Applies a client card's edit to every stream of `client` to `service`: written
    /// into the generator's command line (the pod's container), then the generator
    /// restarts with its new flags: its connections close and new ones open as the new
    /// flags say. The outside user takes only a rate.
    pub(in crate::world) fn edit_client(
        &mut self,
        client: &str,
        service: &NamespacedName,
        edit: &LoadEdit,
    ) -> Result<Change, CommandError> {
        let indexes = self.client_indexes(client, service)?;
        let refused = |message: String| CommandError::ClientEditRefused {
            client: client.to_owned(),
            message,
        };
        // Validate everything first: the new containers and their specs.
        let mut planned: Vec<Planned> = Vec::new();
        for &i in &indexes {
            let Some(c) = self.traffic.clients.get(i) else {
                continue;
            };
            match &c.kind {
                ClientKind::External { .. } => {
                    if edit.connections.is_some()
                        || edit.keepalive.is_some()
                        || edit.protocol.is_some()
                        || edit.target.is_some()
                    {
                        return Err(refused("the outside user opens one connection per request; only its rate changes".into()));
                    }
                    let mut load = (*c.load).clone();
                    if let Some(r) = edit.rate {
                        load.flag_millirate = Some(u64::from(r) * 1000);
                    }
                    planned.push((i, None, load));
                }
                ClientKind::InCluster { pod, .. } => {
                    let p = self.pod_or_not_found(pod)?;
                    let Some(container) = p.spec.containers.get(c.container) else {
                        continue;
                    };
                    let new = apps::edit_container(container, edit).map_err(refused)?;
                    let load = match apps::app_of(&new) {
                        App::Load(load) => load,
                        App::Refused { message, .. } => return Err(refused(message)),
                        App::Server(_) => {
                            return Err(refused("the edit leaves no load generator".into()));
                        }
                    };
                    let mut pod_spec = planned
                        .iter()
                        .rev()
                        .find_map(|(_, p2, _)| {
                            p2.as_ref()
                                .filter(|(k, _)| k == pod)
                                .map(|(_, p)| p.clone())
                        })
                        .unwrap_or_else(|| p.clone());
                    if let Some(slot) = pod_spec.spec.containers.get_mut(c.container) {
                        *slot = new;
                    }
                    let errs = validate_pod(&pod_spec);
                    if !errs.is_empty() {
                        return Err(invalid("Pod", &pod.name, errs));
                    }
                    planned.push((i, Some((pod.clone(), pod_spec)), load));
                }
            }
        }
        let old_rate = self
            .traffic
            .clients
            .get(indexes[0])
            .map_or(0, Client::rate_per_sec);
        let key = NamespacedName::new("", client);
        if planned.iter().all(|(i, _, load)| {
            self.traffic
                .clients
                .get(*i)
                .is_some_and(|c| *c.load == *load)
        }) {
            return Ok(Change::new("client", key, Verb::Unchanged));
        }
        if edit.target.is_some() {
            let retargeted = planned.iter().map(|(i, _, load)| (*i, &load.target));
            self.refuse_second_stream(client, &indexes, retargeted)?;
        }
        let old_target = self
            .traffic
            .clients
            .get(indexes[0])
            .map(|c| c.load.target.clone());
        let now = self.now;
        for (i, pod, load) in planned {
            if let Some((pod_key, spec)) = pod {
                self.replace_client_container(&pod_key, &spec);
            }
            self.close_client(i, Close::Fin);
            if let Some(c) = self.traffic.clients.get_mut(i) {
                c.settle_to(now);
                c.slots = vec![Slot::Idle; usize::try_from(load.connections.max(1)).unwrap_or(1)];
                c.next_slot = 0;
                c.load = Arc::new(load);
                c.started = None;
                c.sent = 0;
                c.done = false;
                if edit.target.is_some() {
                    c.service = c.load.target.named_service(&c.namespace, CLUSTER_DOMAIN);
                    c.next_node = 0;
                }
            }
        }
        let svc = &service.name;
        let new_rate = self
            .traffic
            .clients
            .get(indexes[0])
            .map_or(0, Client::rate_per_sec);
        let message = match edit.rate {
            _ if edit.target.is_some() => {
                let to = self.traffic.clients.get(indexes[0]).map(|c| &c.load.target);
                let (from, to) = (
                    old_target.map(|t| t.to_string()),
                    to.map(ToString::to_string),
                );
                format!(
                    "client {client} now sends to {} instead of {}",
                    to.unwrap_or_default(),
                    from.unwrap_or_default()
                )
            }
            Some(0) => {
                format!("client {client} paused its requests to service {svc} (was {old_rate}/s)")
            }
            Some(r)
                if edit.connections.is_none()
                    && edit.keepalive.is_none()
                    && edit.protocol.is_none() =>
            {
                format!(
                    "client {client} sends {r} requests per second to service {svc} (was {old_rate}/s)"
                )
            }
            _ => {
                let c = self.traffic.clients.get(indexes[0]);
                let words = c.map(|c| c.load.describe()).unwrap_or_default();
                format!(
                    "client {client} restarted its load generator to service {svc} ({new_rate}/s): {words}"
                )
            }
        };
        self.event("Client", &key, message);
        Ok(Change::new("client", key, Verb::Configured))
    }

    /// The indexes of `client`'s streams to `service`, or the refusal.
    pub(super) fn client_indexes(
        &self,
        client: &str,
        service: &NamespacedName,
    ) -> Result<Vec<usize>, CommandError> {
        let clients = self.traffic.clients();
        if !clients.iter().any(|c| c.name == client) {
            return Err(CommandError::ClientNotFound {
                name: client.to_owned(),
            });
        }
        let found: Vec<usize> = clients
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name == client && c.service.as_ref() == Some(service))
            .map(|(i, _)| i)
            .collect();
        if found.is_empty() {
            return Err(CommandError::ClientTargetNotFound {
                client: client.to_owned(),
                service: service.name.clone(),
            });
        }
        Ok(found)
    }

    /// Writes a client pod's edited spec (its containers) and what its kubelet runs.
    ///
    /// Simplification: the API server allows no change to a pod's `command` or `args`;
    /// the playground's cards edit them in place, as if the generator were restarted
    /// with new flags in the same pod (a real cluster would need a new pod).
    fn replace_client_container(&mut self, key: &NamespacedName, spec: &Pod) {
        if let Some(p) = self.pods.get_mut(key) {
            p.spec.containers = spec.spec.containers.clone();
        }
        if let Some(rt) = self.kubelet.get_mut(key) {
            for (c, container) in rt.containers.iter_mut().zip(&spec.spec.containers) {
                c.app = Arc::new(apps::app_of(container));
            }
        }
    }
}

/// A stream to change: its index, its pod's edited spec (none for the outside user),
/// and what the generator will do.
type Planned = (usize, Option<(NamespacedName, Pod)>, LoadSpec);

fn rate_error(client: &str, service: &NamespacedName, rate: u32) -> CommandError {
    CommandError::ClientRateOutOfRange {
        client: client.to_owned(),
        service: service.name.clone(),
        value: rate.to_string(),
        max: MAX_CLIENT_RATE,
    }
}
