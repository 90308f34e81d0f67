//! The event log: every change with its cause, in words a user wants to read.

use std::collections::VecDeque;
use std::fmt;

use crate::objects::NamespacedName;
use crate::sim::SimTime;

/// How many events the log keeps; older ones are dropped (and counted).
pub const EVENT_HISTORY: usize = 1_000;

/// One thing that happened, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// A world-unique, increasing number.
    pub seq: u64,
    /// When it happened.
    pub at: SimTime,
    /// The kind of object it is about: `Pod`, `Node`, `ReplicaSet`, `Service`, `EndpointSlice`.
    pub kind: &'static str,
    /// The object's namespace (empty for cluster-scoped objects and the playground's own).
    pub namespace: String,
    /// The object's name.
    pub name: String,
    /// The sentence, naming the object and the cause, e.g. `pod web-7c9f-xk2bd is
    /// NotReady: readiness probe failed 3 times`.
    pub message: String,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.at, self.message)
    }
}

/// A bounded log with a drain cursor.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventLog {
    history: VecDeque<Event>,
    next_seq: u64,
    drained_to: u64,
    dropped: u64,
}

impl EventLog {
    pub(crate) fn push(
        &mut self,
        at: SimTime,
        kind: &'static str,
        key: &NamespacedName,
        message: String,
    ) {
        if self.history.len() >= EVENT_HISTORY {
            self.history.pop_front();
            self.dropped += 1;
        }
        self.history.push_back(Event {
            seq: self.next_seq,
            at,
            kind,
            namespace: key.namespace.clone(),
            name: key.name.clone(),
            message,
        });
        self.next_seq += 1;
    }

    /// Events not drained before that are still kept, oldest first.
    pub(crate) fn drain(&mut self) -> Vec<Event> {
        let from = self.drained_to;
        self.drained_to = self.next_seq;
        self.history
            .iter()
            .filter(|e| e.seq >= from)
            .cloned()
            .collect()
    }

    pub(crate) fn history(&self) -> &VecDeque<Event> {
        &self.history
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }
}

impl super::World {
    /// A deterministic text dump of the whole state and the kept event log: equal dumps
    /// mean equal worlds. Used to check replays are byte-identical on every platform.
    pub fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "now {:?}", self.now);
        let _ = writeln!(out, "namespaces {:?}", self.namespaces);
        let _ = writeln!(out, "nodes {:?}", self.nodes.all());
        let _ = writeln!(out, "pods {:?}", self.pods.all());
        let _ = writeln!(out, "deployments {:?}", self.workloads.deployments);
        let _ = writeln!(out, "replicasets {:?}", self.workloads.replica_sets());
        let w = &self.workloads;
        if !w.only_replica_sets() {
            let _ = writeln!(out, "statefulsets {:?}", w.stateful_sets);
            let _ = writeln!(out, "daemonsets {:?}", w.daemon_sets);
            let _ = writeln!(
                out,
                "replicationcontrollers {:?}",
                w.replication_controllers
            );
            let _ = writeln!(out, "jobs {:?} {:?}", w.jobs(), w.job_tracking);
            let _ = writeln!(out, "cronjobs {:?}", w.cron_jobs);
        }
        let _ = writeln!(out, "services {:?}", self.services.all());
        let _ = writeln!(out, "slices {:?}", self.slices.all());
        let _ = writeln!(out, "traffic {:?}", self.traffic.stats);
        let _ = writeln!(out, "clients {:?}", self.traffic.clients());
        let r = &self.services.registry;
        let _ = writeln!(
            out,
            "allocated clusterIPs {} free nodePorts {} free LB addresses {}",
            r.cluster_ips().used(),
            r.node_ports().free(),
            r.load_balancers().free()
        );
        for e in self.log.history() {
            let _ = writeln!(out, "{} {} {} {}", e.seq, e.at, e.kind, e.message);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn drains_once_and_keeps_a_bounded_history() {
        let mut log = EventLog::default();
        let a = NamespacedName::default_ns("a");
        log.push(SimTime(1), "Pod", &a, "pod a created".into());
        assert_eq!(log.drain().len(), 1);
        assert!(
            log.drain().is_empty(),
            "drained events are not returned again"
        );
        for i in 0..EVENT_HISTORY + 5 {
            log.push(SimTime(2), "Pod", &a, format!("e{i}"));
        }
        assert_eq!(log.history().len(), EVENT_HISTORY);
        assert_eq!(log.dropped(), 6);
        let drained = log.drain();
        assert_eq!(drained.len(), EVENT_HISTORY);
        assert_eq!(drained[0].message, "e5");
        assert_eq!(drained[0].to_string(), "0.002s e5");
    }
}
