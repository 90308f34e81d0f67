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
//! Adding a predicate: a variant here, its row above, its evaluation in its family's
//! file (called from [`Predicate::holds`]), and a lesson that uses it (the lesson tests
//! then check it). The families: `membership` (which pods are the Service's endpoints,
//! and in which condition), `exposure` (the Service's own fields: ClusterIP, type,
//! node ports and load balancers, policies), `traffic` (requests counted since the
//! step began, connections, DNS answers).

mod exposure;
mod membership;
mod traffic;

use serde::Deserialize;

pub use super::baseline::Baseline;
use crate::World;
use crate::objects::NamespacedName;

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
        match self {
            ReadyEndpoints { service, at_least } => {
                membership::ready_endpoints(world, service, *at_least)
            }
            NotReadyEndpoints { service, at_least } => {
                membership::not_ready_endpoints(world, service, *at_least)
            }
            TerminatingEndpoints { service, at_least } => {
                membership::terminating_endpoints(world, service, *at_least)
            }
            PodReplaced { deployment } => membership::pod_replaced(world, deployment, baseline),
            EndpointsReplaced { service } => {
                membership::endpoints_replaced(world, service, baseline)
            }
            SelectorMatches {
                service,
                deployment,
            } => membership::selector_matches(world, service, deployment),
            ClusterIpUnchanged { service } => {
                exposure::cluster_ip_unchanged(world, service, baseline)
            }
            ServiceType { service, type_ } => exposure::service_type(world, service, type_),
            ReachableFromOutside {
                service,
                without_load_balancer,
            } => exposure::reachable_from_outside(world, service, *without_load_balancer),
            LoadBalancerPending { service } => exposure::load_balancer_pending(world, service),
            LoadBalancerAddress { service } => exposure::load_balancer_address(world, service),
            ExternalTrafficPolicy { service, policy } => {
                exposure::external_traffic_policy(world, service, policy)
            }
            SessionAffinity { service, client_ip } => {
                exposure::session_affinity(world, service, *client_ip)
            }
            RequestsDropped { service, at_least } => {
                traffic::requests_dropped(world, service, *at_least, baseline)
            }
            ServedByOnePod { service, at_least } => {
                traffic::served_by_one_pod(world, service, *at_least, baseline)
            }
            ConnectedPods {
                client,
                service,
                at_least,
                at_most,
            } => traffic::connected_pods(world, client, service, *at_least, *at_most),
            NewEndpointsIdle { service, at_least } => {
                traffic::new_endpoints_idle(world, service, *at_least, baseline)
            }
            RequestsSpread {
                service,
                pods_at_least,
            } => traffic::requests_spread(world, service, *pods_at_least, baseline),
            RequestsServed { service, at_least } => {
                traffic::requests_served(world, service, *at_least, baseline)
            }
            RequestsRefused { service, at_least } => {
                traffic::requests_refused(world, service, *at_least, baseline)
            }
            NameResolves { pod, name, service } => {
                traffic::name_resolves(world, pod, name, service)
            }
        }
    }
}

/// Whether every predicate of a goal holds (an empty goal never does).
pub fn all_hold(goal: &[Predicate], world: &World, baseline: &Baseline) -> bool {
    !goal.is_empty() && goal.iter().all(|p| p.holds(world, baseline))
}
