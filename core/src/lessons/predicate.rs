//! The documented set of goals a lesson step may name, each a predicate on the world.
//!
//! A step's goal is a list of predicates that must all hold. Each is evaluated on the
//! world's state (its Services, EndpointSlices, pods and traffic counters) and on a
//! [`Baseline`] taken when the step began, so a goal is met however the learner got
//! there: a click, a box, a console line or "show me".
//!
//! In a lesson file a predicate is written as a one-key map, for example
//! `- ready_endpoints: { service: prod, at_least: 10 }`. The set:
//!
//! | predicate | holds when |
//! |---|---|
//! | `ready_endpoints {service, at_least}` | at least `at_least` ready endpoints kube-proxy can route to (in slices that carry the Service's first port) |
//! | `not_ready_endpoints {service, at_least}` | at least `at_least` of its endpoints are not ready (probe failing, starting, or terminating) |
//! | `terminating_endpoints {service, at_least}` | at least `at_least` of its endpoints are terminating and still serving |
//! | `pod_replaced {deployment}` | a pod the Deployment had when the step began is gone or terminating, and a pod it did not have is Ready |
//! | `endpoints_replaced {service}` | the Service has a ready endpoint, and none of its ready endpoints existed when the step began |
//! | `cluster_ip_unchanged {service}` | the Service exists with the ClusterIP it had when the step began |
//! | `selector_matches {service, deployment}` | every Ready pod of the Deployment (at least one) is a ready endpoint of the Service |
//! | `service_type {service, type}` | `spec.type` is `type` (`ClusterIP`, `NodePort`, `LoadBalancer`) |
//! | `reachable_from_outside {service, without_load_balancer}` | the Service has a node port or a load-balancer address and a ready endpoint; with `without_load_balancer: true`, it has a node port and no load balancer |
//! | `load_balancer_pending {service}` | the Service is a LoadBalancer whose external IP is `<pending>` |
//! | `load_balancer_address {service}` | the Service is a LoadBalancer with an external IP |
//! | `external_traffic_policy {service, policy}` | `spec.externalTrafficPolicy` is `policy` (`Cluster`, `Local`) |
//! | `requests_dropped {service, at_least}` | at least `at_least` requests to the Service were silently dropped since the last change |
//! | `session_affinity {service, client_ip}` | `spec.sessionAffinity` is `ClientIP` (`client_ip: true`) or not |
//! | `served_by_one_pod {service, at_least}` | since the last change, at least `at_least` requests were served by the Service's endpoints, all by one pod |
//! | `connected_pods {client, service, at_least, at_most}` | the client's open connections to the Service (at least one) reach at least `at_least` (default 1) and at most `at_most` (default any) distinct pods |
//! | `new_endpoints_idle {service, at_least}` | the Service has a ready endpoint created since the step began, none of those has served a request, and its endpoints served at least `at_least` requests since the last change |
//! | `requests_spread {service, pods_at_least}` | since the last change, at least `pods_at_least` of the Service's endpoints served requests |
//! | `requests_served {service, at_least}` | since the last change, the Service's endpoints served at least `at_least` requests |
//! | `requests_refused {service, at_least}` | since the last change, at least `at_least` requests to the Service were refused (no endpoint: kube-proxy's REJECT) |
//! | `name_resolves {pod, name, service}` | the pod's resolver (its `/etc/resolv.conf` search list, against kube-dns) turns `name` into the Service's ClusterIP |
//!
//! A Service, Deployment or pod outside `default` is written `namespace/name`.
//!
//! Adding a predicate: a variant here, its row above, its evaluation in
//! [`Predicate::holds`], and a lesson that uses it (the lesson tests then check it).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

pub use super::baseline::Baseline;
use crate::World;
use crate::objects::{Layer, NamespacedName, TrafficPolicy};

/// One goal condition (see the module's table).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Predicate {
    /// At least `at_least` ready endpoints.
    ReadyEndpoints {
        /// The Service (in `default`).
        service: String,
        /// The least count.
        at_least: usize,
    },
    /// At least `at_least` endpoints that are not ready.
    NotReadyEndpoints {
        /// The Service.
        service: String,
        /// The least count.
        at_least: usize,
    },
    /// At least `at_least` endpoints terminating and still serving.
    TerminatingEndpoints {
        /// The Service.
        service: String,
        /// The least count.
        at_least: usize,
    },
    /// A pod of the Deployment was replaced since the step began.
    PodReplaced {
        /// The Deployment.
        deployment: String,
    },
    /// Every ready endpoint is new since the step began.
    EndpointsReplaced {
        /// The Service.
        service: String,
    },
    /// The ClusterIP is the one the Service had when the step began.
    ClusterIpUnchanged {
        /// The Service.
        service: String,
    },
    /// Every Ready pod of the Deployment is a ready endpoint of the Service.
    SelectorMatches {
        /// The Service.
        service: String,
        /// The Deployment.
        deployment: String,
    },
    /// `spec.type`.
    ServiceType {
        /// The Service.
        service: String,
        /// The type's API name.
        #[serde(rename = "type")]
        type_: String,
    },
    /// Reachable from outside the cluster.
    ReachableFromOutside {
        /// The Service.
        service: String,
        /// Through a node port with no load balancer.
        #[serde(default)]
        without_load_balancer: bool,
    },
    /// A LoadBalancer at `<pending>`.
    LoadBalancerPending {
        /// The Service.
        service: String,
    },
    /// A LoadBalancer with an external IP.
    LoadBalancerAddress {
        /// The Service.
        service: String,
    },
    /// `spec.externalTrafficPolicy`.
    ExternalTrafficPolicy {
        /// The Service.
        service: String,
        /// `Cluster` or `Local`.
        policy: String,
    },
    /// Requests dropped since the step began.
    RequestsDropped {
        /// The Service.
        service: String,
        /// The least count.
        at_least: u64,
    },
    /// `spec.sessionAffinity` is (or is not) `ClientIP`.
    SessionAffinity {
        /// The Service.
        service: String,
        /// Whether it is `ClientIP`.
        client_ip: bool,
    },
    /// Requests since the step began all served by one pod.
    ServedByOnePod {
        /// The Service.
        service: String,
        /// The least count of requests.
        at_least: u64,
    },
    /// How many distinct pods a client's open connections to a Service reach.
    ConnectedPods {
        /// The client (its pod's name).
        client: String,
        /// The Service.
        service: String,
        /// The least count of pods.
        #[serde(default = "one")]
        at_least: usize,
        /// The most count of pods.
        #[serde(default)]
        at_most: Option<usize>,
    },
    /// Endpoints new since the step began have served nothing.
    NewEndpointsIdle {
        /// The Service.
        service: String,
        /// The least count of requests the older endpoints served.
        at_least: u64,
    },
    /// Requests since the last change served by several endpoints.
    RequestsSpread {
        /// The Service.
        service: String,
        /// The least count of endpoints that served.
        pods_at_least: usize,
    },
    /// Requests since the last change served by the Service's endpoints.
    RequestsServed {
        /// The Service.
        service: String,
        /// The least count.
        at_least: u64,
    },
    /// Requests since the last change refused.
    RequestsRefused {
        /// The Service.
        service: String,
        /// The least count.
        at_least: u64,
    },
    /// A pod's resolver finds a Service's ClusterIP for a name.
    NameResolves {
        /// The pod asking.
        pod: String,
        /// The name it asks for.
        name: String,
        /// The Service whose ClusterIP must be the answer.
        service: String,
    },
}

fn one() -> usize {
    1
}

/// The object a lesson names: `name` in `default`, or `namespace/name`.
pub fn key(name: &str) -> NamespacedName {
    match name.split_once('/') {
        Some((ns, n)) => NamespacedName::new(ns, n),
        None => NamespacedName::default_ns(name),
    }
}

/// Requests each of the Service's endpoints (by pod) served since the last change.
fn served_since(
    world: &World,
    service: &str,
    baseline: &Baseline,
) -> BTreeMap<NamespacedName, u64> {
    endpoints(world, service)
        .iter()
        .filter_map(|e| e.target_ref.as_ref())
        .map(|r| {
            let p = NamespacedName::new(&r.namespace, &r.name);
            let before = baseline.served.get(&p).copied().unwrap_or(0);
            let n = world.requests_served(&p).saturating_sub(before);
            (p, n)
        })
        .collect()
}

/// Every endpoint of a Service's slices, with the pod it names.
fn endpoints(world: &World, service: &str) -> Vec<crate::objects::Endpoint> {
    world
        .endpoint_slices_for(&key(service))
        .into_iter()
        .flat_map(|s| s.endpoints.iter().cloned())
        .collect()
}

fn ready_pods(world: &World, service: &str) -> BTreeSet<NamespacedName> {
    world
        .ready_endpoints(&key(service))
        .into_iter()
        .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
        .collect()
}

impl Predicate {
    /// The Services and Deployments the predicate names, for validation.
    pub fn names(&self) -> (Option<&str>, Option<&str>) {
        use Predicate::*;
        match self {
            PodReplaced { deployment } => (None, Some(deployment)),
            SelectorMatches {
                service,
                deployment,
            } => (Some(service), Some(deployment)),
            ReadyEndpoints { service, .. }
            | NotReadyEndpoints { service, .. }
            | TerminatingEndpoints { service, .. }
            | EndpointsReplaced { service }
            | ClusterIpUnchanged { service }
            | ServiceType { service, .. }
            | ReachableFromOutside { service, .. }
            | LoadBalancerPending { service }
            | LoadBalancerAddress { service }
            | ExternalTrafficPolicy { service, .. }
            | RequestsDropped { service, .. }
            | SessionAffinity { service, .. }
            | ServedByOnePod { service, .. }
            | ConnectedPods { service, .. }
            | NewEndpointsIdle { service, .. }
            | RequestsSpread { service, .. }
            | RequestsServed { service, .. }
            | RequestsRefused { service, .. }
            | NameResolves { service, .. } => (Some(service), None),
        }
    }

    /// Whether the predicate holds on `world`, given the step's `baseline`.
    pub fn holds(&self, world: &World, baseline: &Baseline) -> bool {
        use Predicate::*;
        let svc = |name: &str| world.service(&key(name));
        match self {
            ReadyEndpoints { service, at_least } => {
                world.ready_endpoints(&key(service)).len() >= *at_least
            }
            NotReadyEndpoints { service, at_least } => {
                endpoints(world, service)
                    .iter()
                    .filter(|e| !e.conditions.ready)
                    .count()
                    >= *at_least
            }
            TerminatingEndpoints { service, at_least } => {
                endpoints(world, service)
                    .iter()
                    .filter(|e| e.conditions.terminating && e.conditions.serving)
                    .count()
                    >= *at_least
            }
            PodReplaced { deployment } => {
                let pods = world.pods_of_deployment(&key(deployment));
                let live: BTreeSet<NamespacedName> = pods
                    .iter()
                    .filter(|p| !p.metadata.is_terminating())
                    .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
                    .collect();
                let lost = baseline
                    .deployment_pods
                    .get(&key(deployment))
                    .is_some_and(|before| before.iter().any(|p| !live.contains(p)));
                let fresh = pods.iter().any(|p| {
                    let k = NamespacedName::new(&p.metadata.namespace, &p.metadata.name);
                    !baseline.pods.contains(&k) && World::is_serving(p)
                });
                lost && fresh
            }
            EndpointsReplaced { service } => {
                let ready = ready_pods(world, service);
                !ready.is_empty() && ready.iter().all(|p| !baseline.pods.contains(p))
            }
            ClusterIpUnchanged { service } => {
                match (svc(service), baseline.cluster_ips.get(&key(service))) {
                    (Some(s), Some(ip)) => &s.spec.cluster_ip == ip,
                    _ => false,
                }
            }
            SelectorMatches {
                service,
                deployment,
            } => {
                let ready = ready_pods(world, service);
                let want: Vec<NamespacedName> = world
                    .pods_of_deployment(&key(deployment))
                    .into_iter()
                    .filter(|p| World::is_serving(p))
                    .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
                    .collect();
                !want.is_empty() && want.iter().all(|p| ready.contains(p))
            }
            ServiceType { service, type_ } => svc(service).is_some_and(|s| {
                s.spec.effective_type() == crate::objects::ServiceType::parse(type_)
            }),
            ReachableFromOutside {
                service,
                without_load_balancer,
            } => svc(service).is_some_and(|s| {
                let layers = s.layers();
                let node_port = layers.iter().any(|l| matches!(l, Layer::NodePort(_)));
                let lb = layers
                    .iter()
                    .any(|l| matches!(l, Layer::LoadBalancer(Some(_))));
                let ready = !world.ready_endpoints(&key(service)).is_empty();
                let outside = if *without_load_balancer {
                    node_port && s.spec.effective_type() == crate::objects::ServiceType::NodePort
                } else {
                    node_port || lb
                };
                ready && outside
            }),
            LoadBalancerPending { service } => {
                svc(service).is_some_and(|s| s.layers().contains(&Layer::LoadBalancer(None)))
            }
            LoadBalancerAddress { service } => svc(service).is_some_and(|s| {
                s.layers()
                    .iter()
                    .any(|l| matches!(l, Layer::LoadBalancer(Some(_))))
            }),
            ExternalTrafficPolicy { service, policy } => svc(service).is_some_and(|s| {
                let want = TrafficPolicy::parse(policy);
                let have = match &s.spec.external_traffic_policy {
                    TrafficPolicy::Unset => TrafficPolicy::Cluster,
                    p => p.clone(),
                };
                have == want
            }),
            RequestsDropped { service, at_least } => {
                let before = baseline.dropped.get(&key(service)).copied().unwrap_or(0);
                world.requests_dropped(&key(service)).saturating_sub(before) >= *at_least
            }
            SessionAffinity { service, client_ip } => {
                svc(service).is_some_and(|s| s.spec.client_ip_affinity() == *client_ip)
            }
            ServedByOnePod { service, at_least } => {
                let members: BTreeSet<NamespacedName> = endpoints(world, service)
                    .iter()
                    .filter_map(|e| e.target_ref.as_ref())
                    .map(|r| NamespacedName::new(&r.namespace, &r.name))
                    .collect();
                let grew: Vec<u64> = members
                    .iter()
                    .map(|p| {
                        let before = baseline.served.get(p).copied().unwrap_or(0);
                        world.requests_served(p).saturating_sub(before)
                    })
                    .filter(|n| *n > 0)
                    .collect();
                grew.len() == 1 && grew[0] >= *at_least
            }
            ConnectedPods {
                client,
                service,
                at_least,
                at_most,
            } => {
                let pods: BTreeSet<NamespacedName> = world
                    .connections()
                    .into_iter()
                    .filter(|c| &c.client == client && c.service.as_ref() == Some(&key(service)))
                    .filter_map(|c| c.pod)
                    .collect();
                !pods.is_empty()
                    && pods.len() >= *at_least
                    && at_most.is_none_or(|most| pods.len() <= most)
            }
            NewEndpointsIdle { service, at_least } => {
                let ready = ready_pods(world, service);
                let new: Vec<&NamespacedName> = ready
                    .iter()
                    .filter(|p| !baseline.pods.contains(p))
                    .collect();
                let served: u64 = served_since(world, service, baseline).values().sum();
                !new.is_empty()
                    && new.iter().all(|p| world.requests_served(p) == 0)
                    && served >= *at_least
            }
            RequestsSpread {
                service,
                pods_at_least,
            } => {
                served_since(world, service, baseline)
                    .values()
                    .filter(|n| **n > 0)
                    .count()
                    >= *pods_at_least
            }
            RequestsServed { service, at_least } => {
                served_since(world, service, baseline).values().sum::<u64>() >= *at_least
            }
            RequestsRefused { service, at_least } => {
                let before = baseline.refused.get(&key(service)).copied().unwrap_or(0);
                world.requests_refused(&key(service)).saturating_sub(before) >= *at_least
            }
            NameResolves { pod, name, service } => {
                let pod = key(pod);
                world.pod(&pod).is_some()
                    && svc(service).is_some_and(|s| {
                        let resolved = world.resolve(&pod.namespace, name);
                        resolved.address.map(|a| a.to_string()).as_deref()
                            == Some(s.spec.cluster_ip.as_str())
                    })
            }
        }
    }
}

/// Whether every predicate of a goal holds (an empty goal never does).
pub fn all_hold(goal: &[Predicate], world: &World, baseline: &Baseline) -> bool {
    !goal.is_empty() && goal.iter().all(|p| p.holds(world, baseline))
}
