//! `v1` Events: what happened to an object, as `kubectl get events` lists them.
//!
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` (`Event`, `EventSource`,
//! `EventSeries`).

use serde::{Deserialize, Serialize};

use super::{ObjectMeta, ObjectReference};
use crate::sim::SimTime;

/// A `v1` Event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `involvedObject`: what the event is about.
    #[serde(default)]
    pub involved_object: ObjectReference,
    /// `reason`: a short CamelCase word (`Scheduled`, `Killing`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// `message`: a human-readable description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// `source`: the component (and host) that reported it.
    #[serde(default, skip_serializing_if = "EventSource::is_empty")]
    pub source: EventSource,
    /// `firstTimestamp`: when it was first recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_timestamp: Option<SimTime>,
    /// `lastTimestamp`: when it most recently occurred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_timestamp: Option<SimTime>,
    /// `count`: how many times it occurred.
    #[serde(default)]
    pub count: i32,
    /// `type`: `Normal` or `Warning`.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// `eventTime`: when it was first observed (events.k8s.io's field, microsecond time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<SimTime>,
    /// `series`: set when the event repeats, in the new events API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<EventSeries>,
    /// `reportingComponent` (Go's `ReportingController`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reporting_component: String,
    /// `reportingInstance`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reporting_instance: String,
}

/// `source` of an Event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSource {
    /// The component, e.g. `kubelet`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub component: String,
    /// The node name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
}

impl EventSource {
    /// Whether neither part is set.
    pub fn is_empty(&self) -> bool {
        self.component.is_empty() && self.host.is_empty()
    }
}

/// `series` of an Event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSeries {
    /// Occurrences so far.
    #[serde(default)]
    pub count: i32,
    /// The last occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_observed_time: Option<SimTime>,
}
