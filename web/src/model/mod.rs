//! View structs: everything the components draw, as plain data.
//!
//! Components never read the core's `World`; they take these structs. `from_world`
//! fills them from today's core accessors, so new core data (EndpointSlices, readiness
//! probes, Service types, events) plugs in by filling a field here, not by rewriting a
//! component. Every struct is `PartialEq`, so Yew re-renders only what changed.

pub mod from_world;
pub mod names;
pub mod panels;
pub mod selectors;
pub mod traffic;

use std::rc::Rc;

use svcplay_core::SimTime;

use crate::palette::Colour;

pub use svcplay_core::objects::Layer;

pub use panels::{
    CheckView, DeploymentView, EndpointRow, EndpointsView, EventView, ExplainView, FilterView,
    FindingView, RulesView, ShareRow, ShareView, SliceView,
};
pub use traffic::{FlightView, Pinned, Route};

/// The whole cluster picture.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SceneModel {
    /// Simulated time.
    pub now: SimTime,
    /// Nodes with their pods, by name.
    pub nodes: Vec<NodeView>,
    /// Services, by name.
    pub services: Vec<ServiceView>,
    /// Clients inside the cluster and users outside it.
    pub clients: Vec<ClientView>,
    /// Every Service in the world by its page name, in the map's order (whatever the
    /// namespace on screen): the choices of a stream's target box.
    pub service_names: Rc<Vec<String>>,
}

/// A node box.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeView {
    /// Node name.
    pub name: String,
    /// The node's IP (`status.addresses` InternalIP).
    pub ip: String,
    /// The `topology.kubernetes.io/zone` label, if any.
    pub zone: Option<String>,
    /// Whether the node is Ready.
    pub ready: bool,
    /// Pods scheduled here, by name.
    pub pods: Vec<PodView>,
}

/// What a pod looks like: its state decides the shape, not only the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PodState {
    /// Created, containers not yet running.
    #[default]
    Pending,
    /// Running but not passing its readiness probe.
    NotReady,
    /// Running and ready: receives traffic.
    Ready,
    /// Being deleted (has a deletion timestamp): receives no new traffic.
    Terminating,
    /// Ran to completion (phase Succeeded, a Job's pod): never an endpoint again.
    Completed,
}

impl PodState {
    /// The word shown on the card (kubectl's STATUS spelling where there is one).
    pub fn label(self) -> &'static str {
        match self {
            PodState::Pending => "Pending",
            PodState::NotReady => "Not ready",
            PodState::Ready => "Ready",
            PodState::Terminating => "Terminating",
            PodState::Completed => "Completed",
        }
    }

    /// The CSS class that gives the state its shape (border style, hatching).
    pub fn class(self) -> &'static str {
        match self {
            PodState::Pending => "pending",
            PodState::NotReady => "not-ready",
            PodState::Ready => "ready",
            PodState::Terminating => "terminating",
            PodState::Completed => "completed",
        }
    }

    /// A glyph that tells the state apart without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            PodState::Pending => "○",
            PodState::NotReady => "◌",
            PodState::Ready => "●",
            PodState::Terminating => "⊘",
            PodState::Completed => "✓",
        }
    }
}

/// Which readiness buttons a pod offers (from `World::is_app_healthy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProbeControl {
    /// The core cannot break or heal this pod's probe: no button.
    #[default]
    Unavailable,
    /// The probe passes: offer `data-action="break"`.
    CanBreak,
    /// The probe fails: offer `data-action="heal"`.
    CanHeal,
}

/// A pod card.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodView {
    /// The page's name of the pod (`name`, or `namespace/name` outside `default`).
    pub name: String,
    /// The workload part of its name (`carts` of `carts-7d9c5f-x2kq9`); empty for a
    /// pod of no workload whose name has no dash.
    pub workload: String,
    /// What the controller added to it (`7d9c5f-x2kq9`, an ordinal `0`).
    pub generated: String,
    /// Its phase is Succeeded (a Job's pod that ran to completion).
    pub succeeded: bool,
    /// Pod IP; empty before one is assigned.
    pub ip: String,
    /// `key=value` labels, sorted.
    pub labels: Vec<String>,
    /// Lifecycle state.
    pub state: PodState,
    /// Whether the core would route a new request here (`World::is_serving`).
    pub serving: bool,
    /// Requests served since creation.
    pub requests: u64,
    /// Colour of its `app` label.
    pub colour: Colour,
    /// A request reached it a moment ago (a short flash).
    pub hit: bool,
    /// Whether the kill button is enabled (not already terminating).
    pub can_kill: bool,
    /// Readiness buttons.
    pub probe: ProbeControl,
    /// While the app is broken: the readiness probe's failures so far and the
    /// `failureThreshold` at which the pod leaves the ready endpoints.
    pub probe_failing: Option<(u32, u32)>,
    /// `Some(true)` when the selector being typed (or the pod filter) matches the pod,
    /// `Some(false)` when it does not, `None` when nothing is highlighting.
    pub highlight: Option<bool>,
}

/// A Service card.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceView {
    /// The page's name of the Service (`name`, or `namespace/name` outside `default`).
    pub name: String,
    /// Its namespace (the map groups by it).
    pub namespace: String,
    /// The app its selector names (the map groups by it, see `from_world::APP_KEYS`).
    pub app: String,
    /// `spec.type` (`ClusterIP` when unset).
    pub type_name: String,
    /// Layers, innermost (ClusterIP) first.
    pub layers: Vec<Layer>,
    /// The selector, kubectl style (`app=prod`); empty for none.
    pub selector: String,
    /// Colour of the selector's `app` value: the colour of its requests.
    pub colour: Colour,
    /// Ready endpoints (pod names) the Service sends to now.
    pub endpoints: Vec<String>,
    /// Requests refused since the start (no ready endpoint).
    pub refused: u64,
    /// A request was refused a moment ago.
    pub refusing: bool,
    /// The selector box's text while it is being edited.
    pub selector_draft: Option<String>,
    /// Why the last selector change was refused.
    pub selector_error: Option<String>,
    /// `spec.externalTrafficPolicy` (empty when not set).
    pub external_policy: String,
    /// `spec.internalTrafficPolicy` (`Cluster` when not set).
    pub internal_policy: String,
    /// `spec.sessionAffinity` (`None` or `ClientIP`).
    pub affinity: String,
    /// Requests dropped since the start (the client timed out).
    pub dropped: u64,
    /// Requests from outside that had nothing to address, so far, while the Service is
    /// still unreachable from outside (0 once it has a node port or a load balancer).
    pub unreachable: u64,
    /// Why the last type, policy or affinity change was refused.
    pub spec_error: Option<String>,
}

/// A traffic source: a client pod inside the cluster, or a user outside it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientView {
    /// Client name.
    pub name: String,
    /// Inside the cluster (a client pod) or outside (a user on the internet).
    pub inside: bool,
    /// Services it sends to, with rates and colours.
    pub targets: Vec<ClientTarget>,
    /// Why the last stream added was refused.
    pub add_error: Option<String>,
}

/// One stream of requests from a client: a load generator's command line as the card
/// edits it, and its connections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientTarget {
    /// The Service addressed (its name; empty when the target names none).
    pub service: String,
    /// The target as the command line has it (`http://prod/hostname`, `backend:8079`).
    pub url: String,
    /// The program (`fortio`, `hey`, `curl`, `wget`; `user` outside).
    pub tool: &'static str,
    /// The flag the rate box edits (`-qps`, `-q`, `sleep`, `rate`).
    pub rate_flag: &'static str,
    /// The rate flag's value in requests per second (hey's is per worker).
    pub rate_per_sec: u32,
    /// `-c`: connections the generator keeps (workers for hey).
    pub connections: u32,
    /// Whether a connection carries more than one request.
    pub keepalive: bool,
    /// `http/1.1`, `h2` or `grpc`.
    pub protocol: &'static str,
    /// Whether the card edits connections, keep-alive and protocol (not for the outside
    /// user or a shell loop).
    pub editable: bool,
    /// Connections open now.
    pub open: usize,
    /// Connections opened so far (fortio's "Sockets used").
    pub sockets: u64,
    /// Connections the pod side closed that the client reopened.
    pub reconnects: u64,
    /// Requests without a 2xx answer so far (fortio's codes other than 200).
    pub errors: u64,
    /// Requests whose host did not resolve (DNS failures, also among `errors`).
    pub unresolved: u64,
    /// The core's line for them in the tool's words, with the count.
    pub dns_failure: Option<String>,
    /// The Service's colour.
    pub colour: Colour,
    /// The rate typed into the box but not applied.
    pub rate_draft: Option<String>,
    /// Why the last rate change was refused.
    pub rate_error: Option<String>,
    /// The `-c` typed into its box but not applied.
    pub connections_draft: Option<String>,
    /// Why the last change of connections, keep-alive or protocol was refused.
    pub client_error: Option<String>,
    /// Whether the card can point the stream at another Service (a generator in a pod).
    pub retargetable: bool,
    /// The Service typed or picked into the target box but not applied.
    pub target_draft: Option<String>,
    /// Why the last retarget was refused.
    pub target_error: Option<String>,
    /// Where the requests enter, or why they cannot.
    pub entry: Entry,
}

/// How a client's requests get to the Service, as the core routes them: a pod inside
/// addresses the ClusterIP; a client outside what `World::outside_entry` answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Entry {
    /// From a pod inside the cluster, to the Service's ClusterIP.
    #[default]
    ClusterIp,
    /// From outside, to any node's IP at this nodePort.
    NodePort(u16),
    /// From outside, to the load balancer's ingress (`ip:port`).
    LoadBalancer(String),
    /// Nothing to send to: the core's one-line reason.
    Unreachable(&'static str),
}

impl Entry {
    /// The `data-route` hook: `cluster-ip`, `node-port`, `load-balancer`, `unreachable`.
    pub fn hook(&self) -> &'static str {
        match self {
            Entry::ClusterIp => "cluster-ip",
            Entry::NodePort(_) => "node-port",
            Entry::LoadBalancer(_) => "load-balancer",
            Entry::Unreachable(_) => "unreachable",
        }
    }

    /// Whether requests get through to the Service.
    pub fn reaches(&self) -> bool {
        !matches!(self, Entry::Unreachable(_))
    }
}

/// What the canvas layer draws besides the flights (which it reads every frame):
/// the routes and the open connections, shared through an `Rc` so a render does not
/// copy them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrafficModel {
    /// Client → Service and Service → ready endpoint lines.
    pub routes: Rc<Vec<Route>>,
    /// Open connections, client → pod, counted per pair.
    pub pinned: Rc<Vec<traffic::Pinned>>,
    /// Changes whenever the set of drawn things changes (so their positions may have):
    /// the canvas re-measures anchor positions only then.
    pub layout_key: u64,
}
