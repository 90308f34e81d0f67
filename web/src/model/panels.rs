//! View structs of the side panels: request share, endpoints, event log.

use svcplay_core::SimTime;

use crate::palette::Colour;

/// The request share of one Service's pods over a recent window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareView {
    /// Service name.
    pub service: String,
    /// Its colour.
    pub colour: Colour,
    /// Requests it received in the window.
    pub total: u32,
    /// Of those, refused (no ready endpoint).
    pub refused: u32,
    /// One row per pod that is a ready endpoint now or served in the window.
    pub rows: Vec<ShareRow>,
}

/// One pod's bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareRow {
    /// Pod name.
    pub pod: String,
    /// Requests it served in the window.
    pub served: u32,
    /// `served / total` (0 when the window is empty).
    pub share: f64,
    /// Equal split among the Service's ready endpoints now; 0 for pods that are not one.
    pub expected: f64,
}

/// One Service's endpoints, as an EndpointSlice lists them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointsView {
    /// Service name.
    pub service: String,
    /// Its colour.
    pub colour: Colour,
    /// Its selector, kubectl style.
    pub selector: String,
    /// One row per endpoint.
    pub rows: Vec<EndpointRow>,
}

/// One endpoint and its conditions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointRow {
    /// The pod (`targetRef`).
    pub pod: String,
    /// Its address.
    pub ip: String,
    /// Its node (`nodeName`).
    pub node: String,
    /// `conditions.ready`.
    pub ready: bool,
    /// `conditions.serving`.
    pub serving: bool,
    /// `conditions.terminating`.
    pub terminating: bool,
}

/// One line of the event log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventView {
    /// When it happened.
    pub at: SimTime,
    /// `Warning` rather than `Normal`.
    pub warning: bool,
    /// Who reported it (`you`, `deployment-controller`, `kubelet`, …).
    pub source: String,
    /// Kubernetes' reason word (`Killing`, `ScalingReplicaSet`, …).
    pub reason: String,
    /// The object, `kind/name`.
    pub object: String,
    /// The message.
    pub message: String,
}
