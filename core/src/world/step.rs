//! Time: [`World::step`] is the only way it moves, and the controllers' work queue is
//! drained after every moment something happened.
//!
//! Within a step, timed things (pod starts, probe ticks, restarts, grace expiries) and
//! the clients' requests each happen at their own simulated millisecond, in time order;
//! at equal times the timed things go first, then the controllers settle, then the
//! requests due are sent. So the world after `step(a)` then `step(b)` is the world after
//! `step(a + b)`: how a shell slices time (animation frames, a script's `sleep`, a
//! replay) never changes what happens.

use super::{WorkloadKind, World};
use crate::controllers::endpointslice::Synced;

impl World {
    /// Advances simulated time by `millis`.
    pub fn step(&mut self, millis: u64) {
        let end = self.now.plus_millis(millis);
        loop {
            let timed = self.queue.timed.next_time().filter(|t| *t <= end);
            let sends = self.traffic.next_due().filter(|t| *t <= end);
            let at = match (timed, sends) {
                (None, None) => break,
                (Some(t), None) | (None, Some(t)) => t,
                (Some(a), Some(b)) => a.min(b),
            };
            self.now = at;
            if timed == Some(at) {
                while let Some((_, item)) = self.queue.timed.pop_due(at) {
                    self.handle_timed(item);
                }
                self.settle();
            }
            if sends == Some(at) {
                self.send_due(at);
            }
        }
        self.now = end;
        self.settle();
    }

    /// Runs the controllers until no workload, pending pod or Service is left to sync
    /// (each key once, as a controller's work queue deduplicates keys).
    pub(crate) fn settle(&mut self) {
        while self.settle_one() {}
    }

    /// Runs one controller sync; false when nothing was left to sync. Calling it until
    /// false is [`World::settle`]: the same syncs in the same order however the calls are
    /// spread out.
    pub(crate) fn settle_one(&mut self) -> bool {
        if let Some((kind, key)) = self.queue.owners.pop_first() {
            match kind {
                WorkloadKind::ReplicaSet => self.sync_replica_set(&key),
                WorkloadKind::ReplicationController => self.sync_replication_controller(&key),
                WorkloadKind::StatefulSet => self.sync_stateful_set(&key),
                WorkloadKind::DaemonSet => self.sync_daemon_set(&key),
                WorkloadKind::Job => self.sync_job(&key),
                WorkloadKind::CronJob => self.sync_cron_job(&key),
                WorkloadKind::Deployment => {}
            }
        } else if self.queue.scheduling {
            self.queue.scheduling = false;
            self.schedule_pending();
        } else if let Some((svc, pods)) = self.queue.next_service() {
            match self.sync_service_for(&svc, pods.as_ref()) {
                Synced::All => self.program_service(&svc),
                Synced::Nothing => {}
                Synced::Slices { before, scope } => self.program_slices(&svc, &before, &scope),
            }
            self.dns.changed();
        } else {
            return false;
        }
        self.touch();
        true
    }
}
