//! The world's objects as the API server would serve them to kubectl: the model keeps
//! summaries (a pod's `ready`, `restart_count`, `start_time`; a node's `ready` and
//! `node_ip`; a Deployment's pods by owner) and the kubelet's per-container state; the
//! `v1` status fields kubectl reads (`conditions`, `containerStatuses`, `hostIP`,
//! `podIPs`, a Deployment's and ReplicaSet's counts, a node's addresses and `Ready`
//! condition) are filled from them here. A field already set (a cluster's dump read
//! with `read_live`) is kept as it is.
//!
//! Upstream: kubernetes/kubernetes@e4b6dc5a `pkg/kubelet/status/generate.go` (the pod conditions),
//! `pkg/kubelet/kubelet_pods.go` (`convertToAPIContainerStatuses`),
//! `pkg/controller/deployment/sync.go` (`calculateStatus`),
//! `pkg/controller/replicaset/replica_set_utils.go` (`calculateStatus`).
//!
//! Simplification: no container runtime, so `containerID` and `imageID` stay empty; the
//! model counts restarts per pod, so they are all shown on the first container; a
//! node has only the `Ready` condition, and its `InternalIP` and `Hostname` addresses.

use crate::World;
use crate::objects::endpoints::EndpointPort;
use crate::objects::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, Deployment, EndpointAddress, EndpointSubset, Endpoints, Namespace,
    NamespaceStatus, Node, NodeAddress, NodeCondition, ObjectMeta, Pod, PodCondition, PodIp,
    PodPhase, ReplicaSet,
};
use crate::sim::SimTime;

/// A pod with its `v1` status filled.
pub fn pod(world: &World, p: &Pod) -> Pod {
    let mut p = p.clone();
    let key = p.metadata.key();
    let scheduled = !p.spec.node_name.is_empty();
    if p.status.host_ip.is_empty()
        && let Some(node) = world.nodes().get(&p.spec.node_name)
    {
        p.status.host_ip = node.status.node_ip.clone();
    }
    if p.status.pod_ips.is_empty() && !p.status.pod_ip.is_empty() {
        p.status.pod_ips = vec![PodIp {
            ip: p.status.pod_ip.clone(),
        }];
    }
    let runtime = world.kubelet.get(&key);
    if p.status.container_statuses.is_empty() && scheduled {
        p.status.container_statuses = p
            .spec
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c_rt = runtime.and_then(|r| r.containers.get(i));
                let running = c_rt.is_some_and(|c| c.running);
                let ready = running
                    && c_rt
                        .and_then(|c| c.probe.as_ref())
                        .is_none_or(|pr| pr.is_ready());
                let restarts = if i == 0 { p.status.restart_count } else { 0 };
                let state = container_state(&p, running, restarts);
                let last_state = if restarts > 0 {
                    ContainerState {
                        terminated: Some(exited()),
                        ..ContainerState::default()
                    }
                } else {
                    ContainerState::default()
                };
                ContainerStatus {
                    name: c.name.clone(),
                    state,
                    last_state,
                    ready,
                    restart_count: i32::try_from(restarts).unwrap_or(i32::MAX),
                    image: c.image.clone(),
                    started: Some(running),
                    ..ContainerStatus::default()
                }
            })
            .collect();
    }
    if p.status.conditions.is_empty() {
        p.status.conditions = pod_conditions(&p);
    }
    p
}

/// A container's current state, from the pod's phase and the kubelet's view.
fn container_state(p: &Pod, running: bool, restarts: u32) -> ContainerState {
    let mut s = ContainerState::default();
    if running {
        s.running = Some(ContainerStateRunning {
            started_at: p.status.ready_since.or(p.status.start_time),
        });
    } else if p.status.phase == PodPhase::Failed {
        s.terminated = Some(exited());
    } else {
        // Not started yet, or waiting out the restart back-off after a crash.
        let reason = if restarts > 0 {
            "CrashLoopBackOff"
        } else {
            "ContainerCreating"
        };
        s.waiting = Some(ContainerStateWaiting {
            reason: reason.to_owned(),
            message: String::new(),
        });
    }
    s
}

/// How a crashed container ended (the model's crash is an exit with status 1).
fn exited() -> ContainerStateTerminated {
    ContainerStateTerminated {
        exit_code: 1,
        reason: "Error".to_owned(),
        ..ContainerStateTerminated::default()
    }
}

/// The kubelet's pod conditions, in the order it writes them.
fn pod_conditions(p: &Pod) -> Vec<PodCondition> {
    let cond = |type_: &str, ok: bool, reason: &str, at: Option<SimTime>| PodCondition {
        type_: type_.to_owned(),
        status: if ok { "True" } else { "False" }.to_owned(),
        reason: if ok { String::new() } else { reason.to_owned() },
        message: String::new(),
        last_probe_time: None,
        last_transition_time: at,
    };
    let created = p.metadata.creation_timestamp;
    if p.spec.node_name.is_empty() {
        return vec![cond("PodScheduled", false, "Unschedulable", created)];
    }
    let started = p.status.start_time.is_some();
    let since = p.status.start_time.or(created);
    let ready_at = if p.status.ready {
        p.status.ready_since.or(since)
    } else {
        since
    };
    vec![
        cond("PodReadyToStartContainers", started, "", since),
        cond("Initialized", true, "", created),
        cond("Ready", p.status.ready, "ContainersNotReady", ready_at),
        cond(
            "ContainersReady",
            p.status.ready,
            "ContainersNotReady",
            ready_at,
        ),
        cond("PodScheduled", true, "", created),
    ]
}

/// A node with its addresses and `Ready` condition filled.
pub fn node(n: &Node) -> Node {
    let mut n = n.clone();
    if n.status.addresses.is_empty() {
        if !n.status.node_ip.is_empty() {
            n.status.addresses.push(NodeAddress {
                type_: "InternalIP".to_owned(),
                address: n.status.node_ip.clone(),
            });
        }
        n.status.addresses.push(NodeAddress {
            type_: "Hostname".to_owned(),
            address: n.metadata.name.clone(),
        });
    }
    if n.status.conditions.is_empty() {
        n.status.conditions.push(NodeCondition {
            type_: "Ready".to_owned(),
            status: if n.status.ready { "True" } else { "False" }.to_owned(),
        });
    }
    n
}

/// A Deployment with its status counted from its pods (`calculateStatus`).
pub fn deployment(world: &World, d: &Deployment) -> Deployment {
    let mut d = d.clone();
    if !d.status.is_empty() {
        return d;
    }
    let key = d.metadata.key();
    let desired = d.spec.replicas.unwrap_or(1);
    if let Some(c) = world.deployment_counts(&key) {
        let current = i32::try_from(c.current).unwrap_or(i32::MAX);
        let ready = i32::try_from(c.ready).unwrap_or(i32::MAX);
        d.status.replicas = current;
        d.status.updated_replicas = current;
        d.status.ready_replicas = ready;
        d.status.available_replicas = ready;
        d.status.unavailable_replicas = (desired - ready).max(0);
    }
    d
}

/// A ReplicaSet with its status counted from its pods.
pub fn replica_set(world: &World, rs: &ReplicaSet) -> ReplicaSet {
    let mut rs = rs.clone();
    if !rs.status.is_empty() {
        return rs;
    }
    let key = rs.metadata.key();
    let pods: Vec<&Pod> = world
        .pods()
        .values()
        .filter(|p| p.metadata.controller_of_kind("ReplicaSet") == Some(&key.name))
        .filter(|p| p.metadata.namespace == key.namespace)
        .filter(|p| p.is_active() && !p.metadata.is_terminating())
        .map(|p| &**p)
        .collect();
    let n = |c: usize| i32::try_from(c).unwrap_or(i32::MAX);
    rs.status.replicas = n(pods.len());
    rs.status.fully_labeled_replicas = n(pods.len());
    rs.status.ready_replicas = n(pods.iter().filter(|p| p.status.ready).count());
    rs.status.available_replicas = rs.status.ready_replicas;
    rs
}

/// The namespaces, `Active`, created when the world began (the system ones) or when
/// the event log saw them created.
pub fn namespaces(world: &World) -> Vec<Namespace> {
    world
        .namespaces()
        .iter()
        .map(|name| {
            let created = if crate::world::SYSTEM_NAMESPACES.contains(&name.as_str()) {
                Some(SimTime::ZERO)
            } else {
                world
                    .event_history()
                    .find(|e| e.kind == "Namespace" && &e.name == name)
                    .map(|e| e.at)
            };
            let mut metadata = ObjectMeta::named("", name);
            metadata.creation_timestamp = created;
            metadata
                .labels
                .insert("kubernetes.io/metadata.name".to_owned(), name.clone());
            Namespace {
                metadata,
                status: NamespaceStatus {
                    phase: "Active".to_owned(),
                },
            }
        })
        .collect()
}

/// The `v1` Endpoints of every Service with a selector, as the endpoints controller
/// mirrors its EndpointSlices: ready addresses, not-ready ones, the slice's ports.
///
/// Simplification: one subset per slice (the controller regroups addresses by port
/// set, which gives the same subsets when, as here, a Service's slices share ports).
pub fn endpoints(world: &World) -> Vec<Endpoints> {
    let mut out = Vec::new();
    for (key, svc) in world.services() {
        if svc.spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            continue;
        }
        let mut metadata = ObjectMeta::named(&key.namespace, &key.name);
        metadata.labels = svc.metadata.labels.clone();
        metadata.creation_timestamp = svc.metadata.creation_timestamp;
        let mut subsets = Vec::new();
        for slice in world.endpoint_slices_for(key) {
            let mut subset = EndpointSubset::default();
            for e in &slice.endpoints {
                let address = EndpointAddress {
                    ip: e.address().to_owned(),
                    hostname: String::new(),
                    node_name: e.node_name.clone(),
                    target_ref: e.target_ref.clone(),
                };
                if e.conditions.ready {
                    subset.addresses.push(address);
                } else {
                    subset.not_ready_addresses.push(address);
                }
            }
            subset.ports = slice
                .ports
                .iter()
                .map(|p| EndpointPort {
                    name: p.name.clone(),
                    port: p.port,
                    protocol: p.protocol.to_string(),
                    app_protocol: p.app_protocol.clone(),
                })
                .collect();
            if !subset.addresses.is_empty() || !subset.not_ready_addresses.is_empty() {
                subsets.push(subset);
            }
        }
        out.push(Endpoints { metadata, subsets });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::NamespacedName;
    use crate::scenario::default_world;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_running_pod_has_the_kubelet_s_conditions_and_a_running_container() {
        let mut w = default_world(7);
        w.step(5_000);
        let p = w
            .pods()
            .values()
            .find(|p| p.metadata.name.starts_with("prod-"))
            .unwrap();
        let served = pod(&w, p);
        let types: Vec<(&str, &str)> = served
            .status
            .conditions
            .iter()
            .map(|c| (c.type_.as_str(), c.status.as_str()))
            .collect();
        assert_eq!(
            types,
            [
                ("PodReadyToStartContainers", "True"),
                ("Initialized", "True"),
                ("Ready", "True"),
                ("ContainersReady", "True"),
                ("PodScheduled", "True"),
            ]
        );
        let c = &served.status.container_statuses[0];
        assert!(c.ready && c.state.running.is_some());
        assert_eq!(served.status.pod_ips[0].ip, p.status.pod_ip);
        assert!(served.status.host_ip.starts_with("192.168."));
        let row = crate::kubectl::print::pod::print(&served, w.now(), false);
        assert_eq!(row.cells[1].to_string(), "1/1");
        assert_eq!(row.cells[2].to_string(), "Running");
    }

    #[test]
    fn deployment_counts_and_endpoints_mirror_the_slices() {
        let mut w = default_world(7);
        w.step(5_000);
        let prod = NamespacedName::default_ns("prod");
        let d = deployment(&w, &w.deployments()[&prod]);
        assert_eq!(
            (
                d.status.replicas,
                d.status.ready_replicas,
                d.status.unavailable_replicas
            ),
            (2, 2, 0)
        );
        let eps = endpoints(&w);
        let names: Vec<String> = eps
            .iter()
            .map(|e| format!("{}/{}", e.metadata.namespace, e.metadata.name))
            .collect();
        assert_eq!(
            names,
            ["default/dev", "default/prod", "kube-system/kube-dns"],
            "kubernetes has no selector; kubeadm's kube-dns has one"
        );
        assert_eq!(eps[1].subsets[0].addresses.len(), 2);
        assert_eq!(eps[1].subsets[0].ports[0].port, 8080);
    }
}
