//! `kubectl scale` and `kubectl delete` of any workload: scaling works where the API
//! serves a `scale` subresource (Deployment, ReplicaSet, StatefulSet,
//! ReplicationController); a delete removes the workload and its pods go with it
//! (background cascading deletion; a CronJob's Jobs with theirs).

use super::command::{Change, Verb};
use super::{WorkloadKind, WorkloadRef, World};
use crate::error::{CommandError, MAX_REPLICAS};

impl World {
    /// Sets a workload's replicas (`0..=MAX_REPLICAS`); its controller creates or deletes
    /// pods.
    pub(super) fn scale_workload(
        &mut self,
        w: &WorkloadRef,
        replicas: i64,
    ) -> Result<Change, CommandError> {
        if w.kind == WorkloadKind::Deployment {
            return self.scale_deployment(&w.key, replicas);
        }
        if !self.workload_exists(w) {
            return Err(CommandError::WorkloadNotFound {
                resource: w.kind.resource(),
                name: w.key.name.clone(),
            });
        }
        if !w.kind.scales() {
            return Err(CommandError::NoScaleSubresource {
                message: w.kind.no_scale_message(),
            });
        }
        let word = w.kind.kind().to_lowercase();
        let Some(r) = i32::try_from(replicas)
            .ok()
            .filter(|r| (0..=MAX_REPLICAS).contains(r))
        else {
            return Err(CommandError::WorkloadReplicasOutOfRange {
                kind: match w.kind {
                    WorkloadKind::ReplicaSet => "replicaset",
                    WorkloadKind::StatefulSet => "statefulset",
                    _ => "replicationcontroller",
                },
                name: w.key.name.clone(),
                field: "spec.replicas",
                replicas,
                max: MAX_REPLICAS,
            });
        };
        let k = &w.key;
        let slot = match w.kind {
            WorkloadKind::ReplicaSet => self
                .workloads
                .replica_set_mut(k)
                .map(|x| &mut x.spec.replicas),
            WorkloadKind::StatefulSet => self
                .workloads
                .stateful_sets
                .get_mut(k)
                .map(|x| &mut x.spec.replicas),
            _ => self
                .workloads
                .replication_controllers
                .get_mut(k)
                .map(|x| &mut x.spec.replicas),
        };
        if let Some(slot) = slot {
            *slot = Some(r);
        }
        self.queue.owner(w.kind, k.clone());
        let name = &k.name;
        self.event(
            w.kind.kind(),
            k,
            format!("{word} {name} scaled to {r} replica(s)"),
        );
        Ok(Change::new(w.kind.singular(), k.clone(), Verb::Scaled))
    }

    /// Deletes a workload; its pods (and a CronJob's Jobs) go with it.
    pub(super) fn delete_workload(&mut self, w: &WorkloadRef) -> Result<Change, CommandError> {
        if w.kind == WorkloadKind::Deployment {
            return self.delete_deployment(&w.key);
        }
        if !self.workload_exists(w) {
            return Err(CommandError::WorkloadNotFound {
                resource: w.kind.resource(),
                name: w.key.name.clone(),
            });
        }
        let (k, word) = (&w.key, w.kind.kind().to_lowercase());
        let name = &k.name;
        self.event(w.kind.kind(), k, format!("{word} {name} deleted"));
        let why = format!("its owner {word} {name} was deleted");
        match w.kind {
            WorkloadKind::ReplicaSet => {
                self.workloads.remove_replica_set(k);
            }
            WorkloadKind::StatefulSet => {
                self.workloads.stateful_sets.remove(k);
            }
            WorkloadKind::DaemonSet => {
                self.workloads.daemon_sets.remove(k);
            }
            WorkloadKind::ReplicationController => {
                self.workloads.replication_controllers.remove(k);
            }
            WorkloadKind::Job => {
                self.remove_job(k, &why);
                return Ok(Change::new(w.kind.singular(), k.clone(), Verb::Deleted));
            }
            WorkloadKind::CronJob => {
                self.workloads.cron_jobs.remove(k);
                for j in self.workloads.of_cron_job(k) {
                    self.remove_job(&j, &why);
                }
                return Ok(Change::new(w.kind.singular(), k.clone(), Verb::Deleted));
            }
            WorkloadKind::Deployment => {}
        }
        self.release_pods(w.kind, k, &why);
        Ok(Change::new(w.kind.singular(), k.clone(), Verb::Deleted))
    }
}
