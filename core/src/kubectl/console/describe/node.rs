//! `kubectl describe node`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/describe/describe.go` (`describeNode`, `describeNodeLease`,
//! `describeNodeResource`, `findNodeRoles`); kubernetes
//! `pkg/controller/nodelifecycle/node_lifecycle_controller.go` (a cordoned node gets
//! the `node.kubernetes.io/unschedulable:NoSchedule` taint), `pkg/kubelet/nodestatus`
//! (`KubeletReady`, "kubelet is posting ready status").
//!
//! Simplification: the model keeps a node's readiness, not its heartbeats, lease or
//! resources: the `Ready` condition's heartbeat and the lease's renew time are now
//! (the kubelet posts them every few seconds), its transition time is the node's
//! creation; no capacity is modelled, so every request and limit is `0 (0%)`.

use super::{W, annotations, events, labels, when};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::{Epoch, Event, Node, Pod};
use crate::sim::SimTime;

/// `describeNode`.
/// `pods`: the node's non-terminated pods.
pub(crate) fn describe(
    w: &mut W,
    n: &Node,
    pods: &[&Pod],
    event_list: Option<&[Event]>,
    epoch: Epoch,
    now: SimTime,
) {
    let m = &n.metadata;
    w.write(0, &format!("Name:\t{}\n", m.name));
    let mut roles: Vec<&str> = m
        .labels
        .iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role),
            _ if k == "kubernetes.io/role" && !v.is_empty() => Some(v.as_str()),
            _ => None,
        })
        .collect();
    crate::sort::sort(&mut roles);
    roles.dedup();
    let roles = if roles.is_empty() {
        "<none>".to_owned()
    } else {
        roles.join(",")
    };
    w.write(0, &format!("Roles:\t{roles}\n"));
    labels(w, "Labels", &m.labels);
    annotations(w, "Annotations", &m.annotations);
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            when(epoch, m.creation_timestamp)
        ),
    );
    w.write(0, "Taints:\t");
    if n.spec.unschedulable {
        w.line("node.kubernetes.io/unschedulable:NoSchedule");
    } else {
        w.line("<none>");
    }
    w.write(0, &format!("Unschedulable:\t{}\n", n.spec.unschedulable));
    w.write(0, "Lease:\n");
    w.write(1, &format!("HolderIdentity:\t{}\n", m.name));
    w.write(1, "AcquireTime:\t<unset>\n");
    w.write(1, &format!("RenewTime:\t{}\n", when(epoch, Some(now))));
    if !n.status.conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &n.status.conditions {
            let (reason, message) = match (c.type_.as_str(), c.status.as_str()) {
                ("Ready", "True") => ("KubeletReady", "kubelet is posting ready status"),
                ("Ready", _) => ("KubeletNotReady", "kubelet is not ready"),
                _ => ("", ""),
            };
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{reason} \t{message}\n",
                    c.type_,
                    c.status,
                    when(epoch, Some(now)),
                    when(epoch, m.creation_timestamp)
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in &n.status.addresses {
        w.write(1, &format!("{}:\t{}\n", a.type_, a.address));
    }
    let info = &n.status.node_info;
    w.write(0, "System Info:\n");
    w.write(0, "  Machine ID:\t\n");
    w.write(0, "  System UUID:\t\n");
    w.write(0, "  Boot ID:\t\n");
    w.write(0, &format!("  Kernel Version:\t{}\n", info.kernel_version));
    w.write(0, &format!("  OS Image:\t{}\n", info.os_image));
    w.write(
        0,
        &format!("  Operating System:\t{}\n", info.operating_system),
    );
    w.write(0, &format!("  Architecture:\t{}\n", info.architecture));
    w.write(
        0,
        &format!(
            "  Container Runtime Version:\t{}\n",
            info.container_runtime_version
        ),
    );
    w.write(
        0,
        &format!("  Kubelet Version:\t{}\n", info.kubelet_version),
    );
    if !n.spec.pod_cidr.is_empty() {
        w.write(0, &format!("PodCIDR:\t{}\n", n.spec.pod_cidr));
        w.write(0, &format!("PodCIDRs:\t{}\n", n.spec.pod_cidr));
    }
    w.write(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    for p in pods.iter() {
        w.write(
            1,
            &format!(
                "{}\t{}\t\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t{}\n",
                p.metadata.namespace,
                p.metadata.name,
                translate_timestamp_since(p.metadata.creation_timestamp, now)
            ),
        );
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    for r in ["cpu", "memory", "ephemeral-storage"] {
        w.write(1, &format!("{r}\t0 (0%)\t0 (0%)\n"));
    }
    if let Some(list) = event_list {
        events(w, list, now);
    }
}
