//! `kubectl describe deployment`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/describe/describe.go` (`describeDeployment`, `DescribePodTemplate`,
//! `printReplicaSetsByLabels`); kubernetes `pkg/controller/deployment/sync.go`
//! (`calculateStatus`: the `Available` condition), `pkg/controller/deployment/progress.go`
//! (`Progressing`), `pkg/apis/apps/v1/defaults.go` (`RollingUpdate`, 25%/25%).
//!
//! Simplification: the model keeps no Deployment conditions nor the
//! `deployment.kubernetes.io/revision` annotation; `Available` and `Progressing` are
//! derived here from the pod counts as the Deployment controller computes them (with
//! the default 25% `maxUnavailable`), and `OldReplicaSets` is always `<none>` (one
//! ReplicaSet per Deployment).

use super::pod::containers;
use super::{W, annotations, events, labels, when};
use crate::objects::{Deployment, Epoch, Event};
use crate::selector::api::label_selector_as_selector;
use crate::sim::SimTime;

/// `describeDeployment`.
/// `replica_sets`: its ReplicaSets as `name (N/M replicas created)`.
pub(crate) fn describe(
    w: &mut W,
    d: &Deployment,
    replica_sets: &[String],
    event_list: Option<&[Event]>,
    epoch: Epoch,
    now: SimTime,
) {
    let m = &d.metadata;
    let desired = d.spec.replicas.unwrap_or(1);
    let st = &d.status;
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            when(epoch, m.creation_timestamp)
        ),
    );
    labels(w, "Labels", &m.labels);
    annotations(w, "Annotations", &m.annotations);
    let selector = label_selector_as_selector(d.spec.selector.as_ref())
        .map_or_else(|_| "<invalid>".to_owned(), |s| s.to_string());
    w.write(0, &format!("Selector:\t{selector}\n"));
    w.write(
        0,
        &format!(
            "Replicas:\t{desired} desired | {} updated | {} total | {} available | {} unavailable\n",
            st.updated_replicas, st.replicas, st.available_replicas, st.unavailable_replicas
        ),
    );
    w.write(0, "StrategyType:\tRollingUpdate\n");
    w.write(0, "MinReadySeconds:\t0\n");
    w.write(
        0,
        "RollingUpdateStrategy:\t25% max unavailable, 25% max surge\n",
    );
    let t = &d.spec.template;
    w.write(0, "Pod Template:\n");
    labels(w, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations(w, "  Annotations", &t.metadata.annotations);
    }
    if !t.spec.init_containers.is_empty() {
        containers(
            w,
            epoch,
            "Init Containers",
            &t.spec.init_containers,
            None,
            "  ",
        );
    }
    containers(w, epoch, "Containers", &t.spec.containers, None, "  ");
    w.write(0, "  Volumes:\t<none>\n");
    w.write(0, "  Node-Selectors:\t");
    w.line("<none>");
    w.write(0, "  Tolerations:\t");
    w.line("<none>");
    // `MaxUnavailable` of 25%, rounded down.
    let max_unavailable = desired / 4;
    let available = st.available_replicas >= desired - max_unavailable;
    let complete = st.updated_replicas == desired
        && st.replicas == desired
        && st.available_replicas == desired;
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    let (status, reason) = if available {
        ("True", "MinimumReplicasAvailable")
    } else {
        ("False", "MinimumReplicasUnavailable")
    };
    w.write(1, &format!("Available \t{status}\t{reason}\n"));
    let reason = if complete {
        "NewReplicaSetAvailable"
    } else {
        "ReplicaSetUpdated"
    };
    w.write(1, &format!("Progressing \tTrue\t{reason}\n"));
    if !replica_sets.is_empty() {
        w.write(0, "OldReplicaSets:\t<none>\n");
        w.write(0, &format!("NewReplicaSet:\t{}\n", replica_sets.join(", ")));
    }
    if let Some(list) = event_list {
        events(w, list, now);
    }
}
