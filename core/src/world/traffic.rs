//! Clients and the requests they send.
//!
//! Simplification: each request picks uniformly among the Service's ready endpoints
//! read from its EndpointSlices; kube-proxy's rules (terminating fallback, traffic
//! policies, affinity) come with the proxy module.

use super::World;
use crate::sim::SimTime;

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
    /// (kube-proxy rejects: connection refused) or the endpoint's pod is gone.
    pub pod: Option<String>,
    /// The endpoint IP chosen, if any.
    pub endpoint_ip: Option<String>,
    /// The node of the chosen endpoint, if any.
    pub node: Option<String>,
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
    pub(super) credit: u64,
}

impl World {
    /// Adds a client sending `rate_per_sec` requests per second to a Service.
    pub fn add_client(&mut self, name: &str, service: &str, rate_per_sec: u32) {
        self.clients.push(Client {
            name: name.to_owned(),
            service: service.to_owned(),
            rate_per_sec,
            credit: 0,
        });
    }

    pub(super) fn send_traffic(&mut self, millis: u64) {
        let now = self.now;
        for i in 0..self.clients.len() {
            let Some(c) = self.clients.get_mut(i) else {
                continue;
            };
            c.credit += u64::from(c.rate_per_sec) * millis;
            let count = c.credit / 1000;
            c.credit %= 1000;
            let (service, client) = (c.service.clone(), c.name.clone());
            for _ in 0..count {
                let choices: Vec<(String, Option<String>, Option<String>)> = self
                    .routable_endpoints(&service)
                    .into_iter()
                    .map(|e| {
                        (
                            e.address().to_owned(),
                            e.pod_name().map(str::to_owned),
                            e.node_name.clone(),
                        )
                    })
                    .collect();
                let mut req = Request {
                    at: now,
                    client: client.clone(),
                    service: service.clone(),
                    pod: None,
                    endpoint_ip: None,
                    node: None,
                };
                if let Some((ip, pod, node)) = (!choices.is_empty())
                    .then(|| self.rng.index(choices.len()))
                    .and_then(|i| choices.get(i).cloned())
                {
                    req.endpoint_ip = Some(ip);
                    req.node = node;
                    req.pod = pod.filter(|p| self.pods.contains_key(p));
                }
                match &req.pod {
                    Some(p) => *self.served.entry(p.clone()).or_default() += 1,
                    None => *self.refused.entry(service.clone()).or_default() += 1,
                }
                self.outbox.push(req);
            }
        }
    }
}
