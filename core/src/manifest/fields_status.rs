//! The `status` halves of the kinds, listed for [`Walker::server`]: a read of a cluster's
//! dump takes them, an import of manifests and an export never do.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` (`PodStatus`, `ContainerStatus`,
//! `NodeStatus`, `ServiceStatus`, `NamespaceStatus`), `apps/v1/types.go`
//! (`DeploymentStatus`, `ReplicaSetStatus`).

use super::fields::{Fields, Keep, Walker};
use crate::objects::NamespaceStatus;
use crate::objects::service::{LoadBalancerIngress, LoadBalancerStatus, ServiceStatus};
use crate::objects::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, DeploymentStatus, NodeStatus, NodeSystemInfo, PodCondition, PodIp, PodPhase,
    PodStatus, ReplicaSetStatus,
};

impl Fields for PodStatus {
    fn go_name(&self) -> &'static str {
        "PodStatus"
    }
    /// The model's own `ready`, `ready_since` and `restart_count` are not API fields:
    /// a read of a dump derives them afterwards ([`super::live`]).
    fn walk(&mut self, w: &mut dyn Walker) {
        let mut phase = self.phase.as_str().to_owned();
        w.string("phase", &mut phase, Keep::Set);
        self.phase = PodPhase::parse(&phase);
        w.list("conditions", &mut self.conditions, Keep::Set);
        w.string("message", &mut self.message, Keep::Set);
        w.string("reason", &mut self.reason, Keep::Set);
        let nominated = &mut self.nominated_node_name;
        w.string("nominatedNodeName", nominated, Keep::Set);
        w.string("hostIP", &mut self.host_ip, Keep::Set);
        w.string("podIP", &mut self.pod_ip, Keep::Set);
        w.list("podIPs", &mut self.pod_ips, Keep::Set);
        w.timestamp("startTime", &mut self.start_time);
        let init = &mut self.init_container_statuses;
        w.list("initContainerStatuses", init, Keep::Set);
        let app = &mut self.container_statuses;
        w.list("containerStatuses", app, Keep::Set);
    }
}

impl Fields for PodIp {
    fn go_name(&self) -> &'static str {
        "PodIP"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("ip", &mut self.ip, Keep::Always);
    }
}

impl Fields for PodCondition {
    fn go_name(&self) -> &'static str {
        "PodCondition"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("type", &mut self.type_, Keep::Always);
        w.string("status", &mut self.status, Keep::Always);
        w.timestamp("lastProbeTime", &mut self.last_probe_time);
        w.timestamp("lastTransitionTime", &mut self.last_transition_time);
        w.string("reason", &mut self.reason, Keep::Set);
        w.string("message", &mut self.message, Keep::Set);
    }
}

impl Fields for ContainerStatus {
    fn go_name(&self) -> &'static str {
        "ContainerStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("name", &mut self.name, Keep::Always);
        w.object("state", &mut self.state, Keep::Set);
        w.object("lastState", &mut self.last_state, Keep::Set);
        w.boolean("ready", &mut self.ready, Keep::Always);
        w.int32("restartCount", &mut self.restart_count, Keep::Always);
        w.string("image", &mut self.image, Keep::Always);
        w.string("imageID", &mut self.image_id, Keep::Always);
        w.string("containerID", &mut self.container_id, Keep::Set);
        w.opt_bool("started", &mut self.started);
    }
}

impl Fields for ContainerState {
    fn go_name(&self) -> &'static str {
        "ContainerState"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_object("waiting", &mut self.waiting);
        w.opt_object("running", &mut self.running);
        w.opt_object("terminated", &mut self.terminated);
    }
}

impl Fields for ContainerStateWaiting {
    fn go_name(&self) -> &'static str {
        "ContainerStateWaiting"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("reason", &mut self.reason, Keep::Set);
        w.string("message", &mut self.message, Keep::Set);
    }
}

impl Fields for ContainerStateRunning {
    fn go_name(&self) -> &'static str {
        "ContainerStateRunning"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.timestamp("startedAt", &mut self.started_at);
    }
}

impl Fields for ContainerStateTerminated {
    fn go_name(&self) -> &'static str {
        "ContainerStateTerminated"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("exitCode", &mut self.exit_code, Keep::Always);
        w.int32("signal", &mut self.signal, Keep::Set);
        w.string("reason", &mut self.reason, Keep::Set);
        w.string("message", &mut self.message, Keep::Set);
        w.timestamp("startedAt", &mut self.started_at);
        w.timestamp("finishedAt", &mut self.finished_at);
        w.string("containerID", &mut self.container_id, Keep::Set);
    }
}

impl Fields for NodeStatus {
    fn go_name(&self) -> &'static str {
        "NodeStatus"
    }
    /// The model's own `node_ip` and `ready` are derived afterwards ([`super::live`]).
    fn walk(&mut self, w: &mut dyn Walker) {
        w.list("conditions", &mut self.conditions, Keep::Set);
        w.list("addresses", &mut self.addresses, Keep::Set);
        w.object("nodeInfo", &mut self.node_info, Keep::Set);
    }
}

impl Fields for NodeSystemInfo {
    fn go_name(&self) -> &'static str {
        "NodeSystemInfo"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("kernelVersion", &mut self.kernel_version, Keep::Always);
        w.string("osImage", &mut self.os_image, Keep::Always);
        let runtime = &mut self.container_runtime_version;
        w.string("containerRuntimeVersion", runtime, Keep::Always);
        w.string("kubeletVersion", &mut self.kubelet_version, Keep::Always);
        w.string("operatingSystem", &mut self.operating_system, Keep::Always);
        w.string("architecture", &mut self.architecture, Keep::Always);
    }
}

impl Fields for ServiceStatus {
    fn go_name(&self) -> &'static str {
        "ServiceStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        // A struct in Go (`omitempty` does not omit it): `loadBalancer: {}`.
        w.object("loadBalancer", &mut self.load_balancer, Keep::Always);
    }
}

impl Fields for LoadBalancerStatus {
    fn go_name(&self) -> &'static str {
        "LoadBalancerStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.list("ingress", &mut self.ingress, Keep::Set);
    }
}

impl Fields for LoadBalancerIngress {
    fn go_name(&self) -> &'static str {
        "LoadBalancerIngress"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("ip", &mut self.ip, Keep::Set);
        w.string("hostname", &mut self.hostname, Keep::Set);
        w.opt_string("ipMode", &mut self.ip_mode);
    }
}

impl Fields for NamespaceStatus {
    fn go_name(&self) -> &'static str {
        "NamespaceStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("phase", &mut self.phase, Keep::Set);
    }
}

impl Fields for DeploymentStatus {
    fn go_name(&self) -> &'static str {
        "DeploymentStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("replicas", &mut self.replicas, Keep::Set);
        w.int32("updatedReplicas", &mut self.updated_replicas, Keep::Set);
        w.int32("readyReplicas", &mut self.ready_replicas, Keep::Set);
        w.int32("availableReplicas", &mut self.available_replicas, Keep::Set);
        let unavailable = &mut self.unavailable_replicas;
        w.int32("unavailableReplicas", unavailable, Keep::Set);
    }
}

impl Fields for ReplicaSetStatus {
    fn go_name(&self) -> &'static str {
        "ReplicaSetStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("replicas", &mut self.replicas, Keep::Always);
        let labeled = &mut self.fully_labeled_replicas;
        w.int32("fullyLabeledReplicas", labeled, Keep::Set);
        w.int32("readyReplicas", &mut self.ready_replicas, Keep::Set);
        w.int32("availableReplicas", &mut self.available_replicas, Keep::Set);
    }
}
