//! What the canvas draws of traffic: routes between clients, Services and pods, and
//! requests in flight.

use std::rc::Rc;

use svcplay_core::proxy::Outcome;

use crate::palette::Colour;

/// How long a request takes to travel client → Service → pod, in simulated ms.
pub const FLIGHT_MILLIS: u64 = 900;

/// How long a pod flashes after a request reaches it, in simulated ms.
pub const FLASH_MILLIS: u64 = 300;

/// Something a route starts or ends at; the canvas finds it by its `data-*` hook.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Anchor {
    /// `[data-client=name]`.
    Client(Rc<str>),
    /// `[data-service=name]`.
    Service(Rc<str>),
    /// `[data-pod=name]`.
    Pod(Rc<str>),
}

/// A line from a client to a Service, or from a Service to one of its ready endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Start.
    pub from: Anchor,
    /// End.
    pub to: Anchor,
    /// The Service's colour.
    pub colour: Colour,
    /// A client's requests cannot get to the Service (e.g. a ClusterIP from outside):
    /// drawn dashed, stopping at the cluster's edge.
    pub blocked: bool,
}

/// Open connections from a client to a pod (conntrack keeps them there): drawn as a
/// line from the client's card to the pod's, whatever the Service does meanwhile.
#[derive(Debug, Clone, PartialEq)]
pub struct Pinned {
    /// The client's card.
    pub client: Rc<str>,
    /// The pod's card.
    pub pod: Rc<str>,
    /// The Service's colour.
    pub colour: Colour,
    /// How many connections.
    pub count: usize,
}

/// A request in flight, for the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightView {
    /// Where it started: a client's card, or (for an app's call to its upstream) a
    /// pod's.
    pub client: Rc<str>,
    /// Whether it started at a pod (`[data-pod]`) rather than a client card.
    pub from_pod: bool,
    /// The Service it goes through (empty: straight to a pod's address).
    pub service: Rc<str>,
    /// Where it ends; `None` when the Service refused or dropped it.
    pub pod: Option<Rc<str>>,
    /// The node a request from outside entered by, drawn as a hop between the Service
    /// and the pod (or where it was refused or dropped).
    pub via: Option<Rc<str>>,
    /// What happened to it (the core's outcome).
    pub outcome: Outcome,
    /// The Service's colour.
    pub colour: Colour,
    /// 0 at the client, 1 at the pod; the hops (client → Service, Service → entry
    /// node when there is one, → pod) share it equally.
    pub progress: f64,
}
