//! Commands as data: every change a user, a lesson, the console, a script or an import
//! makes to the world is one [`Command`], applied by [`World::apply`].
//!
//! `apply` validates everything the command names before it touches anything, applies
//! it, runs the controllers until they have nothing left to do, records the command in
//! the world's history, and returns what changed ([`Applied`]). A refused command
//! changes nothing and is not recorded.

use std::net::IpAddr;

use super::traffic::ClientSpec;
use super::{WorkloadRef, World};
use crate::apps::LoadEdit;
use crate::error::CommandError;
use crate::objects::{Labels, NamespacedName, Node, Object, Service, ServiceType, TrafficPolicy};
use crate::proxy::ProxyMode;

/// One change to the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Creates objects, all or none (an import, `kubectl create`/`apply` of new
    /// objects, a scenario): Namespaces and Nodes first, then the rest in order.
    Create {
        /// The objects, as a manifest gives them.
        objects: Vec<Object>,
    },
    /// `kubectl delete pod`: a graceful delete (see [`World::delete_pod`](World)).
    DeletePod {
        /// The pod.
        pod: NamespacedName,
    },
    /// The pod's containers exit (a crash, not a delete); the kubelet restarts them.
    CrashPod {
        /// The pod.
        pod: NamespacedName,
    },
    /// Breaks the app in a pod: its readiness probe fails from now on.
    BreakPod {
        /// The pod.
        pod: NamespacedName,
    },
    /// Heals the app in a pod: its readiness probe passes again.
    HealPod {
        /// The pod.
        pod: NamespacedName,
    },
    /// `kubectl label pod --overwrite`: replaces the pod's labels.
    SetPodLabels {
        /// The pod.
        pod: NamespacedName,
        /// Every label it will have.
        labels: Labels,
    },
    /// `kubectl scale deployment`.
    ScaleDeployment {
        /// The Deployment.
        deployment: NamespacedName,
        /// The replicas wanted (checked against `0..=MAX_REPLICAS`).
        replicas: i64,
    },
    /// Replaces a Deployment's pod-template labels (new pods get them).
    SetTemplateLabels {
        /// The Deployment.
        deployment: NamespacedName,
        /// The template's labels (the `pod-template-hash` label is kept).
        labels: Labels,
    },
    /// `kubectl scale` of any workload kind with a `scale` subresource (Deployment,
    /// ReplicaSet, StatefulSet, ReplicationController).
    ScaleWorkload {
        /// The workload.
        workload: WorkloadRef,
        /// The replicas wanted (checked against `0..=MAX_REPLICAS`).
        replicas: i64,
    },
    /// `kubectl delete` of any workload: its pods (and a CronJob's Jobs) go with it.
    DeleteWorkload {
        /// The workload.
        workload: WorkloadRef,
    },
    /// Replaces a Deployment (`kubectl apply`/`patch`/`label` of an existing one,
    /// `kubectl rollout restart`): labels, annotations and spec; `spec.selector` may not
    /// change; a new pod template replaces the pods (see
    /// [`World::update_deployment`](World)).
    UpdateDeployment {
        /// The Deployment as the user wrote it (its namespace and name pick the object).
        deployment: Box<crate::objects::Deployment>,
    },
    /// `kubectl delete deployment`: the ReplicaSet and its pods go with it.
    DeleteDeployment {
        /// The Deployment.
        deployment: NamespacedName,
    },
    /// Replaces a Service's selector; `None` or `{}` means no selector.
    SetServiceSelector {
        /// The Service.
        service: NamespacedName,
        /// The new selector.
        selector: Option<Labels>,
    },
    /// Sets `publishNotReadyAddresses`.
    SetPublishNotReadyAddresses {
        /// The Service.
        service: NamespacedName,
        /// The value.
        publish: bool,
    },
    /// Sets `spec.type`.
    SetServiceType {
        /// The Service.
        service: NamespacedName,
        /// The type.
        service_type: ServiceType,
    },
    /// Sets `spec.externalTrafficPolicy`.
    SetExternalTrafficPolicy {
        /// The Service.
        service: NamespacedName,
        /// The policy.
        policy: TrafficPolicy,
    },
    /// Sets `spec.internalTrafficPolicy`.
    SetInternalTrafficPolicy {
        /// The Service.
        service: NamespacedName,
        /// The policy.
        policy: TrafficPolicy,
    },
    /// Session affinity: `None` turns it off; `Some(t)` is `ClientIP` with
    /// `timeoutSeconds: t` (1..=86400).
    SetSessionAffinity {
        /// The Service.
        service: NamespacedName,
        /// The ClientIP timeout, if any.
        timeout_seconds: Option<i32>,
    },
    /// Replaces a Service (`kubectl replace`/`apply` of an existing one): allocated
    /// values the request leaves out are kept.
    UpdateService {
        /// The Service as the user wrote it (its namespace and name pick the object).
        service: Box<Service>,
    },
    /// `kubectl delete service`.
    DeleteService {
        /// The Service.
        service: NamespacedName,
    },
    /// Nodes join as the cluster's own machines, all or none (an empty cluster's nodes);
    /// exports leave them out.
    JoinNodes {
        /// The nodes.
        nodes: Vec<Node>,
    },
    /// Removes a Node (its pods are orphaned until the pod garbage collector runs).
    DeleteNode {
        /// The node.
        node: String,
    },
    /// `kubectl cordon` (true) / `uncordon` (false).
    SetNodeUnschedulable {
        /// The node.
        node: String,
        /// Whether it takes no new pods.
        unschedulable: bool,
    },
    /// Switches kube-proxy's mode on every node.
    SetProxyMode {
        /// The mode.
        mode: ProxyMode,
    },
    /// Adds addresses to the cloud's load-balancer pool.
    AddLoadBalancerAddresses {
        /// The addresses.
        ips: Vec<IpAddr>,
    },
    /// Adds a traffic client (a stream of requests to one Service).
    AddClient {
        /// The client.
        client: ClientSpec,
    },
    /// A client card's edit: the generator's rate flag, `-c`, keep-alive, protocol,
    /// written into its command line (the generator restarts with them).
    EditClient {
        /// The client's name.
        client: String,
        /// The Service it sends to.
        service: NamespacedName,
        /// What changes.
        edit: LoadEdit,
    },
    /// Sets how many requests per second a client sends to a Service.
    SetClientRate {
        /// The client's name.
        client: String,
        /// The Service it sends to.
        service: NamespacedName,
        /// Requests per simulated second (`0..=MAX_CLIENT_RATE`).
        rate_per_sec: u32,
    },
}

/// What a change did to one object, as kubectl's success lines say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `created`.
    Created,
    /// `configured` (changed).
    Configured,
    /// `unchanged`.
    Unchanged,
    /// `deleted`.
    Deleted,
    /// `scaled`.
    Scaled,
    /// `labeled`.
    Labeled,
    /// `cordoned`.
    Cordoned,
    /// `uncordoned`.
    Uncordoned,
}

impl Verb {
    /// kubectl's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Created => "created",
            Verb::Configured => "configured",
            Verb::Unchanged => "unchanged",
            Verb::Deleted => "deleted",
            Verb::Scaled => "scaled",
            Verb::Labeled => "labeled",
            Verb::Cordoned => "cordoned",
            Verb::Uncordoned => "uncordoned",
        }
    }
}

/// One object a command changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The resource as kubectl names it in `kind/name` (`pod`, `service`,
    /// `deployment.apps`, `node`, `namespace`, `client`, `kube-proxy`).
    pub resource: &'static str,
    /// The object (an empty namespace for cluster-scoped ones).
    pub key: NamespacedName,
    /// What happened to it.
    pub verb: Verb,
}

impl Change {
    pub(crate) fn new(resource: &'static str, key: NamespacedName, verb: Verb) -> Self {
        Change {
            resource,
            key,
            verb,
        }
    }
}

/// What an applied command changed, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The objects it changed directly (not what the controllers did in reaction).
    pub changes: Vec<Change>,
}

impl Applied {
    fn one(change: Change) -> Self {
        Applied {
            changes: vec![change],
        }
    }
}

impl World {
    /// Applies one command: validates everything, applies it, runs the controllers
    /// until nothing is left to sync, and records it in the history. On `Err` the world
    /// is exactly as it was.
    pub fn apply(&mut self, command: Command) -> Result<Applied, CommandError> {
        // Before dispatching: a refused command changes nothing, but a new revision
        // costs a shell one recomputation, while a missed one would show stale views.
        self.touch();
        let applied = self.dispatch(&command)?;
        self.dns.changed();
        self.settle();
        self.history.record(self.now, command);
        Ok(applied)
    }

    fn dispatch(&mut self, command: &Command) -> Result<Applied, CommandError> {
        use Command as C;
        Ok(match command {
            C::Create { objects } => self.create(objects)?,
            C::DeletePod { pod } => Applied::one(self.delete_pod(pod)?),
            C::CrashPod { pod } => Applied::one(self.crash_pod(pod)?),
            C::BreakPod { pod } => Applied::one(self.set_health(pod, false)?),
            C::HealPod { pod } => Applied::one(self.set_health(pod, true)?),
            C::SetPodLabels { pod, labels } => {
                Applied::one(self.set_pod_labels(pod, labels.clone())?)
            }
            C::ScaleDeployment {
                deployment,
                replicas,
            } => Applied::one(self.scale_deployment(deployment, *replicas)?),
            C::SetTemplateLabels { deployment, labels } => {
                Applied::one(self.set_template_labels(deployment, labels.clone())?)
            }
            C::UpdateDeployment { deployment } => {
                Applied::one(self.update_deployment((**deployment).clone())?)
            }
            C::DeleteDeployment { deployment } => Applied::one(self.delete_deployment(deployment)?),
            C::ScaleWorkload { workload, replicas } => {
                Applied::one(self.scale_workload(workload, *replicas)?)
            }
            C::DeleteWorkload { workload } => Applied::one(self.delete_workload(workload)?),
            C::SetServiceSelector { service, selector } => {
                Applied::one(self.set_service_selector(service, selector.clone())?)
            }
            C::SetPublishNotReadyAddresses { service, publish } => {
                let publish = *publish;
                Applied::one(self.edit_service(service, |s| {
                    s.spec.publish_not_ready_addresses = publish;
                })?)
            }
            C::SetServiceType {
                service,
                service_type,
            } => Applied::one(self.edit_service(service, |s| {
                s.spec.type_ = service_type.clone();
            })?),
            C::SetExternalTrafficPolicy { service, policy } => {
                Applied::one(self.edit_service(service, |s| {
                    s.spec.external_traffic_policy = policy.clone();
                })?)
            }
            C::SetInternalTrafficPolicy { service, policy } => {
                Applied::one(self.edit_service(service, |s| {
                    s.spec.internal_traffic_policy = policy.clone();
                })?)
            }
            C::SetSessionAffinity {
                service,
                timeout_seconds,
            } => Applied::one(self.set_session_affinity(service, *timeout_seconds)?),
            C::UpdateService { service } => Applied::one(self.update_service((**service).clone())?),
            C::DeleteService { service } => Applied::one(self.delete_service(service)?),
            C::JoinNodes { nodes } => self.join_nodes(nodes)?,
            C::DeleteNode { node } => Applied::one(self.delete_node(node)?),
            C::SetNodeUnschedulable {
                node,
                unschedulable,
            } => Applied::one(self.set_unschedulable(node, *unschedulable)?),
            C::SetProxyMode { mode } => Applied::one(self.set_proxy_mode(*mode)),
            C::AddLoadBalancerAddresses { ips } => {
                Applied::one(self.add_load_balancer_addresses(ips))
            }
            C::AddClient { client } => self.add_client(client)?,
            C::SetClientRate {
                client,
                service,
                rate_per_sec,
            } => Applied::one(self.set_client_rate(client, service, *rate_per_sec)?),
            C::EditClient {
                client,
                service,
                edit,
            } => Applied::one(self.edit_client(client, service, edit)?),
        })
    }
}
