//! The client commands: add a stream of requests, change its rate.

use std::net::IpAddr;

use super::super::World;
use super::super::command::{Applied, Change, Verb};
use super::{Client, ClientKind};
use crate::error::CommandError;
use crate::objects::{Container, Labels, NamespacedName, ObjectMeta, Pod};
use crate::sim::SimTime;

/// The label every client pod made by [`Command::AddClient`](super::super::Command) carries.
pub const CLIENT_LABEL: (&str, &str) = ("app", "client");

/// The highest request rate of one client stream, per simulated second (stated in
/// [`crate::limits`]; commands and scenarios both refuse more).
pub use crate::limits::MAX_CLIENT_RATE;

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
    /// A client inside the cluster, sending from the pod `name` in the Service's
    /// namespace (made, labelled `app=client`, when no such pod exists).
    pub fn in_cluster(name: &str, service: NamespacedName, rate_per_sec: u32) -> Self {
        ClientSpec {
            name: name.to_owned(),
            kind: ClientKind::InCluster {
                pod: NamespacedName::new(&service.namespace, name),
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
}

impl World {
    /// Whether `key` is a traffic client's pod (made for a client, not by the user's
    /// manifests).
    pub fn is_client_pod(&self, key: &NamespacedName) -> bool {
        self.traffic
            .clients()
            .iter()
            .any(|c| matches!(&c.kind, ClientKind::InCluster { pod } if pod == key))
    }

    /// Adds a client stream. An in-cluster client whose pod does not exist gets a bare
    /// pod of that name labelled `app=client` (it sends once it is Running).
    pub(in crate::world) fn add_client(
        &mut self,
        spec: &ClientSpec,
    ) -> Result<Applied, CommandError> {
        if spec.rate_per_sec > MAX_CLIENT_RATE {
            return Err(rate_error(&spec.name, &spec.service, spec.rate_per_sec));
        }
        let mut applied = Applied::default();
        if let ClientKind::InCluster { pod } = &spec.kind
            && !self.pods.contains(pod)
        {
            let mut p = Pod {
                metadata: ObjectMeta::named(&pod.namespace, &pod.name),
                ..Default::default()
            };
            p.metadata.labels =
                Labels::from([(CLIENT_LABEL.0.to_owned(), CLIENT_LABEL.1.to_owned())]);
            p.spec.containers = vec![Container {
                name: "client".to_owned(),
                image: "registry.k8s.io/e2e-test-images/agnhost:2.53".to_owned(),
                ports: Vec::new(),
                readiness_probe: None,
                restart_policy: None,
            }];
            applied.changes.push(self.create_pod(p)?);
        }
        self.traffic.clients.push(Client {
            name: spec.name.clone(),
            service: spec.service.clone(),
            rate_per_sec: spec.rate_per_sec,
            kind: spec.kind.clone(),
            credit: 0,
            since: self.now,
            next_node: 0,
        });
        applied.changes.push(Change::new(
            "client",
            NamespacedName::new("", &spec.name),
            Verb::Created,
        ));
        Ok(applied)
    }

    /// Sets how many requests per simulated second `client` sends to `service`, from the
    /// current simulated time on; `0` pauses the stream. Refused, changing nothing, when
    /// no client has that name, when it sends nothing to `service`, or when the rate is
    /// over [`MAX_CLIENT_RATE`]. Every stream of that client to that Service changes.
    ///
    /// The credit earned before the change (always under one request) is kept, not
    /// dropped or paid out: the change sends no burst and loses no fraction, a paused
    /// stream keeps its credit until it resumes, and from a change at `t0` to `t1` the
    /// stream sends exactly `floor((credit + rate × (t1 − t0)) / 1000)` requests.
    pub(in crate::world) fn set_client_rate(
        &mut self,
        client: &str,
        service: &NamespacedName,
        rate_per_sec: u32,
    ) -> Result<Change, CommandError> {
        let clients = self.traffic.clients();
        if !clients.iter().any(|c| c.name == client) {
            return Err(CommandError::ClientNotFound {
                name: client.to_owned(),
            });
        }
        let Some(old) = clients
            .iter()
            .find(|c| c.name == client && c.service == *service)
            .map(|c| c.rate_per_sec)
        else {
            return Err(CommandError::ClientTargetNotFound {
                client: client.to_owned(),
                service: service.name.clone(),
            });
        };
        if rate_per_sec > MAX_CLIENT_RATE {
            return Err(rate_error(client, service, rate_per_sec));
        }
        let key = NamespacedName::new("", client);
        if old == rate_per_sec {
            return Ok(Change::new("client", key, Verb::Unchanged));
        }
        let now = self.now;
        for c in self
            .traffic
            .clients
            .iter_mut()
            .filter(|c| c.name == client && c.service == *service)
        {
            settle_to(c, now);
            c.rate_per_sec = rate_per_sec;
        }
        let svc = &service.name;
        let message = if rate_per_sec == 0 {
            format!("client {client} paused its requests to service {svc} (was {old}/s)")
        } else {
            format!(
                "client {client} sends {rate_per_sec} requests per second to service {svc} (was {old}/s)"
            )
        };
        self.event("Client", &key, message);
        Ok(Change::new("client", key, Verb::Configured))
    }
}

/// Brings a stream's credit up to `now` without sending (a rate change happens between
/// requests: its credit is always under one).
fn settle_to(c: &mut Client, now: SimTime) {
    let total = c.credit_at(now);
    c.since = now;
    c.credit = total.min(999);
}

fn rate_error(client: &str, service: &NamespacedName, rate: u32) -> CommandError {
    CommandError::ClientRateOutOfRange {
        client: client.to_owned(),
        service: service.name.clone(),
        value: rate.to_string(),
        max: MAX_CLIENT_RATE,
    }
}
