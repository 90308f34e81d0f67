//! The world's event log as `v1` Events, for `kubectl get events` and the `Events:`
//! section of `kubectl describe`.
//!
//! The world logs one sentence per change ([`crate::world::Event`]: when, the object,
//! the words). kubectl shows an Event's `type`, `reason` and `source` too; they are
//! derived here from the sentence's kind of change. Where Kubernetes itself records an
//! event for that change, its reason and reporting component are used (`Scheduled` by
//! `default-scheduler`, `SuccessfulCreate` by `replicaset-controller`,
//! `ScalingReplicaSet` by `deployment-controller`, `Killing`/`Started`/`Unhealthy`/
//! `BackOff` by `kubelet`, `RegisteredNode`/`RemovingNode` by `node-controller`,
//! `NodeSchedulable`/`NodeNotSchedulable` by `kubelet`, `EnsuredLoadBalancer` by
//! `service-controller`); every other sentence is the playground's own narration and is
//! reported by the component `svcplay`, so it can never pass for a real cluster's.
//! Upstream (reasons): kubernetes `pkg/kubelet/events/event.go`,
//! `pkg/controller/controller_utils.go` (`SuccessfulCreatePodReason`),
//! `pkg/controller/deployment/sync.go` (`ScalingReplicaSet`),
//! `pkg/scheduler/schedule_one.go` (`Scheduled`, `FailedScheduling`),
//! `staging/src/k8s.io/cloud-provider/controllers/service/controller.go`,
//! `pkg/controller/nodelifecycle/node_lifecycle_controller.go`.
//!
//! Simplification: the message is the playground's sentence, not the component's own
//! text (`Successfully assigned default/web-1 to node-a`); each event happens once
//! (`count: 1`), and is named `<object>.<sequence in 16 hex digits>`.

use crate::World;
use crate::objects::{Event, EventSource, ObjectMeta, ObjectReference};
use crate::world::Event as WorldEvent;

/// The component that reports the playground's own events.
pub const PLAYGROUND_SOURCE: &str = "svcplay";

/// `(kind, words in the sentence, type, reason, component)`, the first match wins.
const RULES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Pod",
        " scheduled to node ",
        "Normal",
        "Scheduled",
        "default-scheduler",
    ),
    (
        "Pod",
        "nodes are available",
        "Warning",
        "FailedScheduling",
        "default-scheduler",
    ),
    ("Pod", " is Running on ", "Normal", "Started", "kubelet"),
    (
        "Pod",
        " restarted (restartCount",
        "Normal",
        "Started",
        "kubelet",
    ),
    ("Pod", "containers crashed", "Warning", "BackOff", "kubelet"),
    (
        "Pod",
        " is NotReady: readiness probe failed",
        "Warning",
        "Unhealthy",
        "kubelet",
    ),
    ("Pod", " is Terminating", "Normal", "Killing", "kubelet"),
    (
        "Pod",
        "has no free pod IP",
        "Warning",
        "FailedCreatePodSandBox",
        "kubelet",
    ),
    (
        "ReplicaSet",
        " created pod ",
        "Normal",
        "SuccessfulCreate",
        "replicaset-controller",
    ),
    (
        "Deployment",
        " created replicaset ",
        "Normal",
        "ScalingReplicaSet",
        "deployment-controller",
    ),
    (
        "Deployment",
        " scaled to ",
        "Normal",
        "ScalingReplicaSet",
        "deployment-controller",
    ),
    (
        "Node",
        " joined",
        "Normal",
        "RegisteredNode",
        "node-controller",
    ),
    (
        "Node",
        " removed",
        "Normal",
        "RemovingNode",
        "node-controller",
    ),
    (
        "Node",
        " uncordoned",
        "Normal",
        "NodeSchedulable",
        "kubelet",
    ),
    (
        "Node",
        " cordoned",
        "Normal",
        "NodeNotSchedulable",
        "kubelet",
    ),
    (
        "Service",
        "load balancer IP ",
        "Normal",
        "EnsuredLoadBalancer",
        "service-controller",
    ),
];

/// The playground's own reasons: `(kind, words, reason)`; the type is `Normal` unless
/// the sentence says something stopped working.
const OWN: &[(&str, &str, &str)] = &[
    ("Pod", " is Ready", "Ready"),
    ("Pod", " is NotReady", "NotReady"),
    ("Pod", " is Failed", "Failed"),
    ("Pod", " relabelled", "Relabeled"),
    ("Pod", " released by ", "Released"),
    ("Pod", " deleted", "Deleted"),
    ("Pod", " created", "Created"),
    ("Deployment", " deleted", "Deleted"),
    ("Deployment", " updated", "Updated"),
    ("Deployment", " template labels ", "Updated"),
    ("EndpointSlice", " added to slice ", "EndpointAdded"),
    ("EndpointSlice", " removed from slice ", "EndpointRemoved"),
    ("EndpointSlice", " is now ", "EndpointChanged"),
    ("EndpointSlice", " created", "SliceCreated"),
    ("EndpointSlice", " deleted", "SliceDeleted"),
    ("Service", " created", "Created"),
    ("Service", " deleted", "Deleted"),
    ("Service", "<pending>", "PendingLoadBalancer"),
    ("Service", "service ", "Updated"),
    ("Namespace", " created", "Created"),
];

/// Converts one logged sentence.
pub fn to_v1(e: &WorldEvent) -> Event {
    let (type_, reason, component) = classify(e);
    let mut metadata = ObjectMeta::named(&e.namespace, &format!("{}.{:016x}", e.name, e.seq));
    metadata.creation_timestamp = Some(e.at);
    Event {
        metadata,
        involved_object: ObjectReference {
            kind: e.kind.to_owned(),
            namespace: e.namespace.clone(),
            name: e.name.clone(),
            ..ObjectReference::default()
        },
        reason: reason.to_owned(),
        message: e.message.clone(),
        source: EventSource {
            component: component.to_owned(),
            host: String::new(),
        },
        first_timestamp: Some(e.at),
        last_timestamp: Some(e.at),
        count: 1,
        type_: type_.to_owned(),
        ..Event::default()
    }
}

/// The type, reason and component of a sentence.
fn classify(e: &WorldEvent) -> (&'static str, &'static str, &'static str) {
    for (kind, words, type_, reason, component) in RULES {
        if e.kind == *kind && e.message.contains(words) {
            return (type_, reason, component);
        }
    }
    for (kind, words, reason) in OWN {
        if e.kind == *kind && e.message.contains(words) {
            let warning = matches!(*reason, "NotReady" | "Failed" | "PendingLoadBalancer");
            let type_ = if warning { "Warning" } else { "Normal" };
            return (type_, reason, PLAYGROUND_SOURCE);
        }
    }
    ("Normal", "Changed", PLAYGROUND_SOURCE)
}

/// Every kept event in one namespace (`None`: all), as `kubectl get events` lists
/// them: by name, which groups them by object and keeps each object's in order.
pub fn list(world: &World, namespace: Option<&str>) -> Vec<Event> {
    let mut out: Vec<Event> = world
        .event_history()
        .filter(|e| namespace.is_none_or(|ns| e.namespace == ns))
        .filter(|e| e.kind != "Client")
        .map(to_v1)
        .collect();
    crate::sort::sort_by(&mut out, |a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    out
}

/// The events about one object, oldest first (`searchEvents`, then `SortableEvents`).
pub fn about(world: &World, kind: &str, namespace: &str, name: &str) -> Vec<Event> {
    world
        .event_history()
        .filter(|e| e.kind == kind && e.namespace == namespace && e.name == name)
        .map(to_v1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::NamespacedName;
    use crate::sim::SimTime;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn logged(kind: &'static str, name: &str, message: &str) -> WorldEvent {
        let key = NamespacedName::default_ns(name);
        WorldEvent {
            seq: 26,
            at: SimTime::from_secs(3),
            kind,
            namespace: key.namespace,
            name: key.name,
            message: message.to_owned(),
        }
    }

    #[test]
    fn kubernetes_own_reasons_where_it_records_one_and_svcplay_elsewhere() {
        let cases = [
            (
                logged("Pod", "web-1", "pod web-1 scheduled to node node-a"),
                ("Normal", "Scheduled", "default-scheduler"),
            ),
            (
                logged(
                    "Pod",
                    "web-1",
                    "pod web-1 is NotReady: readiness probe failed 3 times",
                ),
                ("Warning", "Unhealthy", "kubelet"),
            ),
            (
                logged(
                    "Pod",
                    "web-1",
                    "pod web-1 is Ready: readiness probe succeeded",
                ),
                ("Normal", "Ready", "svcplay"),
            ),
            (
                logged(
                    "ReplicaSet",
                    "web-abc",
                    "replicaset web-abc created pod web-abc-x: 0 active, 1 wanted",
                ),
                ("Normal", "SuccessfulCreate", "replicaset-controller"),
            ),
            (
                logged(
                    "Node",
                    "node-a",
                    "node node-a uncordoned: it takes new pods again",
                ),
                ("Normal", "NodeSchedulable", "kubelet"),
            ),
            (
                logged(
                    "Node",
                    "node-a",
                    "node node-a cordoned: no new pods are scheduled to it",
                ),
                ("Normal", "NodeNotSchedulable", "kubelet"),
            ),
        ];
        for (e, (type_, reason, source)) in cases {
            let v1 = to_v1(&e);
            assert_eq!(
                (
                    v1.type_.as_str(),
                    v1.reason.as_str(),
                    v1.source.component.as_str()
                ),
                (type_, reason, source),
                "{}",
                e.message
            );
            assert_eq!(v1.metadata.name, format!("{}.000000000000001a", e.name));
            assert_eq!(v1.involved_object.kind, e.kind);
            assert_eq!((v1.count, v1.last_timestamp), (1, Some(e.at)));
        }
    }
}
