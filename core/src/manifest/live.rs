//! Reading a cluster's own objects: `kubectl get -o yaml` (or `-o json`) output, status
//! and timestamps included, onto simulated time.
//!
//! [`read_live`] takes a multi-document stream (and `v1` `List`s) of the kinds kubectl's
//! printers know, reads each through the same field tables as an import of manifests,
//! plus what only the cluster writes ([`super::fields`]: `status`, timestamps), and maps
//! every RFC 3339 time onto [`SimTime`](crate::SimTime) with the given [`Epoch`]. Nothing
//! is defaulted or validated: this is what the cluster holds, not a request to it.
//! Fields the model does not carry (uid, resourceVersion, owner references, …) are
//! skipped with a notice; a wrong type or a bad time is an error naming its field.
//!
//! The model's own summaries are derived from what was read: a pod's `ready`,
//! `ready_since` and `restart_count`, a node's `node_ip` and `ready`.

use yaml_serde::{Mapping, Value};

use super::error::{ImportError, ImportErrors, Problem};
use super::fields::Fields;
use super::path::FieldPath;
use super::read::{key_text, read_live_into};
use super::schema::Namespace;
use super::spans::Spans;
use super::stream::{self, source};
use super::{Notice, NoticeKind};
use crate::objects::{
    Deployment, EndpointSlice, Endpoints, Epoch, Event, Node, Pod, ReplicaSet, Service,
};

/// One object of a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveObject {
    /// `v1` Namespace.
    Namespace(Namespace),
    /// `v1` Node.
    Node(Node),
    /// `v1` Pod.
    Pod(Pod),
    /// `v1` Service.
    Service(Service),
    /// `v1` Endpoints.
    Endpoints(Endpoints),
    /// `v1` Event.
    Event(Event),
    /// `apps/v1` Deployment.
    Deployment(Deployment),
    /// `apps/v1` ReplicaSet.
    ReplicaSet(ReplicaSet),
    /// `discovery.k8s.io/v1` EndpointSlice.
    EndpointSlice(EndpointSlice),
}

/// What [`read_live`] found: the objects in document order, and what it skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveReport {
    /// The objects.
    pub objects: Vec<LiveObject>,
    /// Unknown kinds and fields the model does not carry.
    pub notices: Vec<Notice>,
}

/// Reads a cluster's objects. `epoch` is the wall-clock instant of simulated time zero:
/// a timestamp before it is an error. On any error nothing is returned but the errors.
pub fn read_live(text: &str, epoch: Epoch) -> Result<LiveReport, ImportErrors> {
    // The same reading as an import: within the limits (size, nesting, documents),
    // positions found in one pass.
    let text = source(text);
    let stream::Stream {
        docs,
        spans,
        errors,
    } = stream::parse(text);
    let mut r = LiveReader {
        spans: &spans,
        doc: 0,
        epoch,
        report: LiveReport::default(),
        errors,
    };
    for (i, mut v) in docs {
        r.doc = i;
        match v.apply_merge() {
            Ok(()) => r.object(v, &FieldPath::default()),
            Err(e) => r.error(&FieldPath::default(), Problem::Syntax(e.to_string())),
        }
    }
    if r.errors.is_empty() {
        Ok(r.report)
    } else {
        Err(ImportErrors(r.errors))
    }
}

struct LiveReader<'a> {
    spans: &'a Spans,
    doc: usize,
    epoch: Epoch,
    report: LiveReport,
    errors: Vec<ImportError>,
}

impl LiveReader<'_> {
    fn error(&mut self, path: &FieldPath, problem: Problem) {
        self.errors.push(ImportError {
            document: self.doc + 1,
            position: self.spans.locate(self.doc, path),
            object: None,
            field: path.to_string(),
            problem,
        });
    }

    fn notice(&mut self, path: &FieldPath, kind: NoticeKind) {
        let position = self.spans.locate(self.doc, path).unwrap_or_default();
        self.report.notices.push(Notice {
            document: self.doc + 1,
            position,
            field: path.to_string(),
            kind,
        });
    }

    fn object(&mut self, value: Value, base: &FieldPath) {
        let Value::Mapping(mut map) = value else {
            return self.error(base, Problem::NotAnObject);
        };
        let text = |v: Option<Value>| v.map(|v| key_text(&v));
        let (api_version, kind) = match (text(map.remove("apiVersion")), text(map.remove("kind"))) {
            (_, None) => return self.error(base, Problem::MissingKind),
            (None, Some(_)) => return self.error(base, Problem::MissingApiVersion),
            (Some(a), Some(k)) => (a, k),
        };
        let object = match (api_version.as_str(), kind.as_str()) {
            ("v1", "List") => return self.list(map, base),
            ("v1", "Namespace") => self.read(map, base).map(LiveObject::Namespace),
            ("v1", "Node") => self
                .read(map, base)
                .map(|n| LiveObject::Node(summarise_node(n))),
            ("v1", "Pod") => self
                .read(map, base)
                .map(|p| LiveObject::Pod(summarise_pod(p))),
            ("v1", "Service") => self.read(map, base).map(LiveObject::Service),
            ("v1", "Endpoints") => self.read(map, base).map(LiveObject::Endpoints),
            ("v1", "Event") => self.read(map, base).map(LiveObject::Event),
            ("apps/v1", "Deployment") => self.read(map, base).map(LiveObject::Deployment),
            ("apps/v1", "ReplicaSet") => self.read(map, base).map(LiveObject::ReplicaSet),
            ("discovery.k8s.io/v1", "EndpointSlice") => {
                self.read(map, base).map(LiveObject::EndpointSlice)
            }
            _ => {
                return self.notice(base, NoticeKind::UnknownKind { api_version, kind });
            }
        };
        if let Some(o) = object {
            self.report.objects.push(o);
        }
    }

    fn list(&mut self, mut map: Mapping, base: &FieldPath) {
        match map.remove("items") {
            Some(Value::Sequence(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.object(item, &base.key("items").index(i));
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => {
                let p = base.key("items");
                self.error(&p, Problem::Type("expected a list of objects".into()));
            }
        }
    }

    fn read<T: Fields + Default>(&mut self, map: Mapping, base: &FieldPath) -> Option<T> {
        let mut t = T::default();
        let (spans, doc) = (self.spans, self.doc);
        let bare = |p: &FieldPath| spans.written_as_number(doc, &p.under(base));
        let found = read_live_into(Value::Mapping(map), &mut t, self.epoch, &bare);
        for p in found.unknown {
            self.notice(&p.under(base), NoticeKind::UnknownField);
        }
        let ok = found.problems.is_empty();
        for (path, problem) in found.problems {
            self.error(&path.under(base), problem);
        }
        ok.then_some(t)
    }
}

/// The model's summaries of a pod read from a cluster: `ready` and `ready_since` from the
/// `Ready` condition, `restart_count` as the sum over the app containers.
fn summarise_pod(mut pod: Pod) -> Pod {
    let status = &mut pod.status;
    if let Some(c) = status.conditions.iter().find(|c| c.type_ == "Ready") {
        status.ready = c.status == "True";
        status.ready_since = c.last_transition_time.filter(|_| status.ready);
    }
    let restarts: i64 = status
        .container_statuses
        .iter()
        .map(|c| i64::from(c.restart_count.max(0)))
        .sum();
    status.restart_count = u32::try_from(restarts).unwrap_or(u32::MAX);
    pod
}

/// The model's summaries of a node read from a cluster: `node_ip` from the `InternalIP`
/// address, `ready` from the `Ready` condition.
fn summarise_node(mut node: Node) -> Node {
    let status = &mut node.status;
    if let Some(a) = status.addresses.iter().find(|a| a.type_ == "InternalIP") {
        status.node_ip = a.address.clone();
    }
    status.ready = status
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready")
        .is_some_and(|c| c.status == "True");
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::{ContainerStateTerminated, PodPhase};
    use crate::sim::SimTime;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const EPOCH: Epoch = Epoch::from_unix_millis(1_748_779_200_000); // 2025-06-01T12:00:00Z

    #[test]
    fn a_pod_dump_reads_with_its_status_and_times() {
        let text = r#"
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: default
  uid: 3f0c9a2e-0000-4000-8000-000000000001
  creationTimestamp: "2025-06-01T12:00:30Z"
spec:
  nodeName: node-a
  readinessGates:
  - conditionType: example.com/gate
  containers:
  - name: web
    image: nginx
status:
  phase: Running
  podIP: 10.244.1.5
  podIPs:
  - ip: 10.244.1.5
  startTime: "2025-06-01T12:00:31Z"
  conditions:
  - type: Ready
    status: "True"
    lastTransitionTime: "2025-06-01T12:00:40Z"
  containerStatuses:
  - name: web
    ready: true
    restartCount: 2
    started: true
    image: nginx
    imageID: docker.io/library/nginx@sha256:0
    state:
      running:
        startedAt: "2025-06-01T12:00:39Z"
    lastState:
      terminated:
        exitCode: 137
        reason: OOMKilled
        finishedAt: "2025-06-01T12:00:38Z"
"#;
        let report = read_live(text, EPOCH).unwrap();
        let [LiveObject::Pod(pod)] = report.objects.as_slice() else {
            panic!("{report:?}")
        };
        assert_eq!(
            pod.metadata.creation_timestamp,
            Some(SimTime::from_secs(30))
        );
        assert_eq!(pod.status.phase, PodPhase::Running);
        assert_eq!(pod.status.start_time, Some(SimTime::from_secs(31)));
        assert!(pod.status.ready);
        assert_eq!(pod.status.ready_since, Some(SimTime::from_secs(40)));
        assert_eq!(pod.status.restart_count, 2);
        assert_eq!(
            pod.spec.readiness_gates[0].condition_type,
            "example.com/gate"
        );
        let c = &pod.status.container_statuses[0];
        assert_eq!(c.started, Some(true));
        assert_eq!(
            c.last_state.terminated,
            Some(ContainerStateTerminated {
                exit_code: 137,
                reason: "OOMKilled".into(),
                finished_at: Some(SimTime::from_secs(38)),
                ..Default::default()
            })
        );
        let notices: Vec<String> = report.notices.iter().map(|n| n.field.clone()).collect();
        assert_eq!(notices, ["metadata.uid"]);
    }

    #[test]
    fn a_list_of_kinds_only_the_cluster_writes_reads_too() {
        let text = r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
   "metadata": {"name": "web-abc"}, "addressType": "IPv4",
   "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": true}}],
   "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]},
  {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e1"},
   "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{web}"},
   "reason": "Started", "count": 3, "type": "Normal",
   "eventTime": "2025-06-01T12:01:00.123456Z"},
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
]}"#;
        let report = read_live(text, EPOCH).unwrap();
        let [LiveObject::EndpointSlice(slice), LiveObject::Event(event)] =
            report.objects.as_slice()
        else {
            panic!("{report:?}")
        };
        assert_eq!(slice.endpoints[0].address(), "10.0.0.1");
        assert_eq!(slice.ports[0].port, 80);
        assert_eq!(event.involved_object.field_path, "spec.containers{web}");
        assert_eq!(event.count, 3);
        assert_eq!(event.event_time, Some(SimTime(60_123)));
        assert!(matches!(
            report.notices[0].kind,
            NoticeKind::UnknownKind { ref kind, .. } if kind == "ConfigMap"
        ));
    }

    #[test]
    fn bad_times_and_types_are_errors_at_their_field() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: yesterday\nstatus:\n  startTime: \"2025-06-01T11:00:00Z\"\n  containerStatuses:\n  - restartCount: lots\n";
        let errs = read_live(text, EPOCH).unwrap_err().0;
        let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "document 1, line 5, column 22: metadata.creationTimestamp: invalid RFC 3339 \
                 time \"yesterday\": want the form 2006-01-02T15:04:05Z",
                "document 1, line 7, column 14: status.startTime: time \
                 \"2025-06-01T11:00:00Z\" is before the simulation's epoch 2025-06-01T12:00:00Z",
                "document 1, line 9, column 19: status.containerStatuses[0].restartCount: \
                 json: cannot unmarshal string into Go struct field \
                 ContainerStatus.status.containerStatuses.restartCount of type int32",
            ]
        );
    }

    #[test]
    fn an_import_of_manifests_notes_readiness_gates_as_not_modelled() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  readinessGates:\n  - conditionType: x\n  containers:\n  - name: c\n    image: nginx\n";
        let report = super::super::import(text).unwrap();
        let super::super::Object::Pod(pod) = &report.objects[0] else {
            panic!()
        };
        assert!(pod.spec.readiness_gates.is_empty());
        let fields: Vec<&str> = report.notices.iter().map(|n| n.field.as_str()).collect();
        assert_eq!(fields, ["spec.readinessGates"]);
    }

    #[test]
    fn an_import_of_manifests_still_skips_status_and_an_export_leaves_it_out() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: 1.2.3.4\n";
        let report = super::super::import(text).unwrap();
        let super::super::Object::Service(svc) = &report.objects[0] else {
            panic!()
        };
        assert!(svc.status.load_balancer.ingress.is_empty());
        let live = read_live(text, EPOCH).unwrap();
        let LiveObject::Service(svc) = &live.objects[0] else {
            panic!()
        };
        assert_eq!(svc.status.load_balancer.ingress[0].ip, "1.2.3.4");
        let out = super::super::export(&[super::super::Object::Service(svc.clone())]);
        assert!(!out.contains("status"), "{out}");
    }
}
