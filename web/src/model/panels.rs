//! View structs of the side panels: request share, endpoints, event log.

use std::rc::Rc;
use svcplay_core::SimTime;

use crate::palette::Colour;

/// The request share of one Service's pods over a recent window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareView {
    /// Service name.
    pub service: String,
    /// Its colour.
    pub colour: Colour,
    /// Requests it received in the window.
    pub total: u32,
    /// Of those, refused (no ready endpoint).
    pub refused: u32,
    /// Of those, dropped or unreachable (DNS failures apart).
    pub lost: u32,
    /// Of those, failed at the sender's DNS lookup (the name did not resolve).
    pub unresolved: u32,
    /// Of those, served by a pod: the rows' shares are of these, so requests that never
    /// reached a pod cannot read as an uneven split.
    pub reached: u32,
    /// One row per pod that is a ready endpoint now, served in the window, or is
    /// expected to serve.
    pub rows: Vec<ShareRow>,
}

/// One pod's bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareRow {
    /// Pod name.
    pub pod: String,
    /// Requests it served in the window.
    pub served: u32,
    /// `served / reached`: its share of the requests that reached a pod (0 when none did).
    pub share: f64,
    /// The share of the requests reaching pods the core expects this pod to serve in
    /// the long run (`World::expected_share`: each client's eligible endpoints under the
    /// traffic policies, terminating fallback, affinity and proxy mode, the clients'
    /// established connections, mixed by rate; scaled to sum to one over the pods); 0
    /// when none.
    pub expected: f64,
    /// Connections open to it now from clients addressing the Service.
    pub connections: usize,
}

/// One Service's endpoints, as its EndpointSlices list them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointsView {
    /// Service name.
    pub service: String,
    /// Its colour.
    pub colour: Colour,
    /// Its selector, kubectl style.
    pub selector: String,
    /// Its EndpointSlices, by name.
    pub slices: Vec<SliceView>,
}

/// One EndpointSlice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SliceView {
    /// The slice's name.
    pub name: String,
    /// Its ports, `name port/protocol`.
    pub ports: Vec<String>,
    /// One row per endpoint, in the slice's order.
    pub rows: Vec<EndpointRow>,
}

/// One endpoint and its conditions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointRow {
    /// The pod (`targetRef`) by its page name; empty when the endpoint has none.
    pub pod: String,
    /// The pod's name in the Service's namespace, as the table shows it (`web-0`,
    /// `prod-7dkf9s8x2q-ab3cd`).
    pub pod_name: String,
    /// Its address.
    pub ip: String,
    /// Its node (`nodeName`).
    pub node: String,
    /// `conditions.ready`.
    pub ready: bool,
    /// `conditions.serving`.
    pub serving: bool,
    /// `conditions.terminating`.
    pub terminating: bool,
}

/// One line of the event log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventView {
    /// When it happened.
    pub at: SimTime,
    /// `Warning` rather than `Normal`.
    pub warning: bool,
    /// Who reported it (`you`, `deployment-controller`, `kubelet`, …).
    pub source: String,
    /// Kubernetes' reason word (`Killing`, `ScalingReplicaSet`, …).
    pub reason: String,
    /// The object, `kind/name`.
    pub object: String,
    /// The message.
    pub message: String,
}

/// A workload's counts and controls: replicas (where it scales) and, for a Deployment,
/// pod-template labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeploymentView {
    /// The page's name of the workload (a Deployment's `name` or `namespace/name`,
    /// another kind's `Kind:name`): the `data-deployment` / `data-workload` hook.
    pub name: String,
    /// Its kind (`Deployment`, `StatefulSet`, …).
    pub kind: &'static str,
    /// kubectl's short form (`deploy/prod`, `sts/shop/db`).
    pub title: String,
    /// Whether the kind has a `scale` subresource (replicas box and buttons).
    pub scalable: bool,
    /// Whether its template labels can be edited here (Deployments).
    pub labels_editable: bool,
    /// Colour of its template's `app` label.
    pub colour: Colour,
    /// The pods it wants: `spec.replicas`, the nodes a DaemonSet should run on, a
    /// Job's completions, a CronJob's running Jobs (`World::workload_counts`).
    pub replicas: i32,
    /// Its pods now, and how many of them are ready.
    pub pods: usize,
    /// Ready pods.
    pub ready: usize,
    /// Pods that ran to completion (a Job's).
    pub succeeded: usize,
    /// Template labels, `k=v,…`.
    pub template_labels: String,
    /// The replicas box's text while edited.
    pub replicas_draft: Option<String>,
    /// Why the last scale was refused.
    pub replicas_error: Option<String>,
    /// The template-labels box's text while edited.
    pub labels_draft: Option<String>,
    /// Why the last template-labels change was refused.
    pub labels_error: Option<String>,
}

/// The explain view: two pickers and the core's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExplainView {
    /// Services to pick from.
    pub services: Vec<String>,
    /// Pods to pick from.
    pub pods: Vec<String>,
    /// The Service picked.
    pub service: Option<String>,
    /// The pod picked.
    pub pod: Option<String>,
    /// `Some(true)` when the pod is an endpoint, `Some(false)` when not, `None` with no answer.
    pub is_endpoint: Option<bool>,
    /// The headline: is or is not an endpoint, and in which condition.
    pub headline: String,
    /// The core's reasons, one sentence each.
    pub reasons: Vec<String>,
    /// The picked pod's labels, `k=v,…`.
    pub pod_labels: String,
    /// The labels box's text while edited.
    pub labels_draft: Option<String>,
    /// Why the last label change was refused.
    pub labels_error: Option<String>,
    /// Why the picked Service would not answer: the core's diagnosis of the world.
    pub findings: Vec<FindingView>,
    /// Why the findings are not shown (a world too large to diagnose at every frame).
    pub findings_note: Option<String>,
    /// The last check of pasted or dropped text.
    pub checked: Option<Rc<CheckView>>,
}

/// One finding of the core's diagnosis, as the explain view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingView {
    /// `error`, `warning` or `note`.
    pub severity: &'static str,
    /// The rule's id.
    pub rule: &'static str,
    /// `ns/Kind/name`.
    pub object: String,
    /// The field path.
    pub field: String,
    /// The cause, one sentence.
    pub message: String,
    /// The fix.
    pub fix: String,
    /// The line in the checked text, when known.
    pub line: Option<usize>,
}

impl From<&svcplay_core::diagnose::Finding> for FindingView {
    fn from(f: &svcplay_core::diagnose::Finding) -> Self {
        FindingView {
            severity: f.severity.as_str(),
            rule: f.rule.id,
            object: f.object.to_string(),
            field: f.field.clone(),
            message: f.message.clone(),
            fix: f.fix.clone(),
            line: f.at.map(|a| a.line),
        }
    }
}

/// What checking pasted (or dropped) text said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckView {
    /// Read as a live cluster's state (not simulated).
    pub live: bool,
    /// The findings.
    pub findings: Vec<FindingView>,
    /// Unknown kinds (once per kind) and ignored fields.
    pub notices: Vec<String>,
    /// Why the text could not be read at all.
    pub error: Option<String>,
}

/// The pod filter box.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterView {
    /// The text typed.
    pub text: String,
    /// Why it does not parse.
    pub error: Option<String>,
    /// How many pods it matches (when it parses and is not empty).
    pub matched: Option<usize>,
    /// The namespaces to pick from, with how many Services and pods each has.
    pub namespaces: Vec<(String, usize, usize)>,
    /// The namespace shown (`None`: every namespace).
    pub namespace: Option<String>,
}

/// kube-proxy: its mode and the rules it programs on one node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RulesView {
    /// Nodes to pick from.
    pub nodes: Vec<String>,
    /// The node shown.
    pub node: Option<String>,
    /// The text is nft's rather than iptables' (follows the mode: nftables mode only).
    pub nft: bool,
    /// What the text is, in the panel's words (`iptables-restore input`, …).
    pub format: &'static str,
    /// What the text leaves out for this mode (IPVS), if anything.
    pub note: Option<&'static str>,
    /// The rules, as kube-proxy writes them (or why none).
    pub text: String,
    /// kube-proxy's mode (`iptables`, `nftables`, `ipvs/rr`, …).
    pub proxy_mode: String,
    /// Why the last mode change was refused.
    pub proxy_error: Option<String>,
}
