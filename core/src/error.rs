//! Errors a command can return. A refused command changes nothing.

use thiserror::Error;

/// The largest `replicas` a Deployment may be scaled to (stated in [`crate::limits`]).
pub use crate::limits::MAX_REPLICAS;

/// Why a command was refused. The world is unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    /// The named pod does not exist (or is already gone).
    #[error("pods \"{name}\" not found")]
    PodNotFound {
        /// The pod name given.
        name: String,
    },
    /// The pod is already being deleted.
    #[error("pod \"{name}\" is already terminating")]
    PodTerminating {
        /// The pod name given.
        name: String,
    },
    /// The pod has no running container to act on yet (or any more).
    #[error(
        "pod \"{name}\" is {phase}: its containers are not running yet; wait until it is Running"
    )]
    PodNotRunning {
        /// The pod name.
        name: String,
        /// Its phase.
        phase: String,
    },
    /// The named Deployment does not exist.
    #[error("deployments.apps \"{name}\" not found")]
    DeploymentNotFound {
        /// The name given.
        name: String,
    },
    /// The named Service does not exist.
    #[error("services \"{name}\" not found")]
    ServiceNotFound {
        /// The name given.
        name: String,
    },
    /// The named Node does not exist.
    #[error("nodes \"{name}\" not found")]
    NodeNotFound {
        /// The name given.
        name: String,
    },
    /// An object of that kind and name exists already.
    #[error("{kind} \"{name}\" already exists; pick another name")]
    AlreadyExists {
        /// The resource, as kubectl names it (`pods`, `services`, `deployments.apps`).
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// `replicas` outside `0..=MAX_REPLICAS`.
    #[error("deployment \"{deployment}\": spec.replicas must be 0..={max}, got {replicas}")]
    ReplicasOutOfRange {
        /// The Deployment.
        deployment: String,
        /// The value given.
        replicas: i64,
        /// The largest allowed.
        max: i32,
    },
    /// `replicas` (or a Job's `parallelism`) outside `0..=MAX_REPLICAS` for another kind
    /// of workload.
    #[error("{kind} \"{name}\": {field} must be 0..={max}, got {replicas}")]
    WorkloadReplicasOutOfRange {
        /// The kind, lower case (`statefulset`).
        kind: &'static str,
        /// The workload.
        name: String,
        /// The field (`spec.replicas`, `spec.parallelism`).
        field: &'static str,
        /// The value given.
        replicas: i64,
        /// The largest allowed.
        max: i32,
    },
    /// The named workload does not exist.
    #[error("{resource} \"{name}\" not found")]
    WorkloadNotFound {
        /// The resource, as kubectl names it (`statefulsets.apps`).
        resource: &'static str,
        /// The name given.
        name: String,
    },
    /// `kubectl scale` of a kind without a `scale` subresource.
    #[error("{message}")]
    NoScaleSubresource {
        /// client-go's words.
        message: String,
    },
    /// A label key or value (or a selector) is not valid.
    #[error("{object}: {detail}")]
    InvalidLabel {
        /// The object, e.g. `pod "web-abc"`.
        object: String,
        /// Kubernetes' field errors, e.g. `metadata.labels: Invalid value: "a b": a valid
        /// label must be an empty string or consist of alphanumeric characters, ...`.
        detail: String,
    },
    /// A Deployment's selector does not select its own template.
    #[error(
        "deployment \"{deployment}\": spec.template.metadata.labels: Invalid value: {labels}: `selector` does not match template `labels`; keep every selector label in the template"
    )]
    SelectorDoesNotMatchTemplate {
        /// The Deployment.
        deployment: String,
        /// The template labels given, as `k=v,...`.
        labels: String,
    },
    /// A field of a new object is not valid.
    #[error("{kind} \"{name}\": {field}: {reason}")]
    InvalidObject {
        /// The resource.
        kind: &'static str,
        /// The object's name.
        name: String,
        /// The field path.
        field: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The API server refused an object (HTTP 422), in its words:
    /// `Service "x" is invalid: spec.type: Unsupported value: "Bogus": supported values: ...`
    /// (kubectl prints it after `The `).
    #[error("{message}")]
    Invalid {
        /// The kind as the API server names it (`Service`, `Deployment.apps`).
        kind: &'static str,
        /// The object's name.
        name: String,
        /// The whole message.
        message: String,
        /// The field errors, in the order found.
        errors: crate::validation::field::ErrorList,
    },
    /// The namespace an object names does not exist.
    #[error("namespaces \"{name}\" not found")]
    NamespaceNotFound {
        /// The namespace.
        name: String,
    },
    /// Objects created together (an import) were refused: every refusal, with the
    /// index of its object.
    #[error("{}", batch_message(.0))]
    Batch(Vec<(usize, CommandError)>),
    /// The cluster configuration is not usable (e.g. an unparseable Service CIDR).
    #[error("invalid cluster configuration: {detail}")]
    InvalidConfig {
        /// What is wrong.
        detail: String,
    },
    /// No traffic client of that name exists.
    #[error("client \"{name}\" not found")]
    ClientNotFound {
        /// The client name given.
        name: String,
    },
    /// The client exists but sends nothing to that Service.
    #[error("client \"{client}\" sends no requests to service \"{service}\"")]
    ClientTargetNotFound {
        /// The client.
        client: String,
        /// The Service given.
        service: String,
    },
    /// The client already sends to that Service (a second stream to it could not be told
    /// apart from the first on its card).
    #[error("client \"{client}\" already sends requests to service \"{service}\"")]
    ClientTargetExists {
        /// The client.
        client: String,
        /// The Service.
        service: String,
    },
    /// A client's request rate outside `0..=MAX_CLIENT_RATE`, or not a whole number.
    #[error(
        "client \"{client}\" (to service \"{service}\"): rate: must be between 0 and {max} requests per second, got {value}"
    )]
    ClientRateOutOfRange {
        /// The client.
        client: String,
        /// The Service it sends to.
        service: String,
        /// The value given, as typed (quoted when it is not a whole number).
        value: String,
        /// The highest rate allowed.
        max: u32,
    },
    /// A create run in slices ([`crate::world::CreateJob`]) found the world changed
    /// since it began.
    #[error("the cluster changed while the objects were being created; nothing was applied")]
    WorldChanged,
    /// The client's load generator cannot express the edit (its own terms).
    #[error("client \"{client}\": {message}")]
    ClientEditRefused {
        /// The client.
        client: String,
        /// Why, in the tool's terms.
        message: String,
    },
    /// The command would take the world over one of the playground's limits (the pods
    /// it asks for in all); the message names the limit.
    #[error("{object}: {error}")]
    OverLimit {
        /// The object, e.g. `deployment "web"`.
        object: String,
        /// The limit and the field.
        error: crate::limits::LimitError,
    },
    /// A node the command names has no kube-proxy state to show.
    #[error("nodes \"{name}\" not found in kube-proxy's state")]
    NoProxyState {
        /// The node.
        name: String,
    },
}

fn batch_message(errors: &[(usize, CommandError)]) -> String {
    let all: Vec<String> = errors.iter().map(|(_, e)| e.to_string()).collect();
    all.join("; ")
}
