//! The text boxes and pickers: drafts typed into selector, label, replica and rate boxes, the
//! inline error each one shows, and what the explain view looks at. Applying a box makes
//! one core `Command`; a refused command leaves the world as it was and its message (the
//! core's, in Kubernetes' words) next to the box.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use svcplay_core::CommandError;
use svcplay_core::apps::{AppProtocol, LoadEdit};
use svcplay_core::diagnose::{LbProvider, Options, RawScan, Settings, check_text};
use svcplay_core::objects::{NamespacedName, ServiceType, TrafficPolicy};
use svcplay_core::proxy::ProxyMode;
use svcplay_core::world::{Command, MAX_CLIENT_RATE, WorkloadKind};

use super::AppState;
use crate::model::names::{key_of, workload_of};
use crate::model::{CheckView, FindingView, selectors};

/// A box the user types into.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// A Service's selector (`k=v,…`, equality only).
    Selector(String),
    /// A pod's labels.
    PodLabels(String),
    /// A Deployment's pod-template labels.
    TemplateLabels(String),
    /// A Deployment's replicas.
    Replicas(String),
    /// A client's request rate to one Service: (client, Service).
    Rate(String, String),
    /// A client's connections (`-c`) to one Service: (client, Service).
    Connections(String, String),
    /// The Service a client's stream to one Service sends to: (client, Service); the
    /// box holds a Service's page name.
    Target(String, String),
    /// The pod filter (full selector grammar), applied live.
    PodFilter,
    /// A Service's type, traffic policies and session affinity (the selects' errors).
    ServiceSpec(String),
    /// kube-proxy's mode.
    ProxyMode,
}

/// Drafts, inline errors and the explain view's picks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Edits {
    /// Text typed but not applied, per box.
    pub drafts: BTreeMap<Field, String>,
    /// The last refusal, per box.
    pub errors: BTreeMap<Field, String>,
    /// The Service whose selector draft highlights pods now.
    pub previewing: Option<String>,
    /// The Service the explain view looks at.
    pub explain_service: Option<String>,
    /// The pod the explain view looks at.
    pub explain_pod: Option<String>,
    /// The node whose kube-proxy rules are shown.
    pub rules_node: Option<String>,
    /// The namespace shown (`None`: every namespace).
    pub namespace: Option<String>,
    /// The last check of pasted or dropped text (the explain view shows it).
    pub checked: Option<Rc<CheckView>>,
    /// What the last import's text adds to the world for a diagnosis (the containers'
    /// args and env, hand-written EndpointSlices, MetalLB pools).
    pub imported: Imported,
}

/// The raw scan of the last imported text, compared by identity.
/// Simplification: only the last import's text is kept; containers imported before it
/// are diagnosed from their declared ports alone.
#[derive(Debug, Clone, Default)]
pub struct Imported(pub Arc<RawScan>);

impl PartialEq for Imported {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Edits {
    /// The draft of a box, if any.
    pub fn draft(&self, field: &Field) -> Option<&String> {
        self.drafts.get(field)
    }

    /// The error shown next to a box, if any.
    pub fn error(&self, field: &Field) -> Option<&String> {
        self.errors.get(field)
    }
}

/// What the user did to a box or picker.
#[derive(Debug, Clone, PartialEq)]
pub enum EditAction {
    /// Typed: the box now holds this text (not applied yet; previews update).
    Type(Field, String),
    /// Enter (or blur for replicas): apply the box's draft.
    Apply(Field),
    /// Escape: drop the draft and its error.
    Cancel(Field),
    /// A `−`/`+` button: scale a workload (by its page name) to this many replicas.
    Scale(String, i64),
    /// Show one namespace (`""`: every namespace).
    Namespace(String),
    /// A `−`/`+` button: set a client's rate to one Service (client, Service, requests
    /// per second).
    Rate(String, String, i64),
    /// A client card's select: keep-alive on or off (client, Service, on).
    KeepAlive(String, String, bool),
    /// A client card's select: the protocol (client, Service, `http/1.1`|`h2`|`grpc`).
    Protocol(String, String, String),
    /// Pick the Service to explain.
    ExplainService(String),
    /// Pick the pod to explain (also the pod whose labels the panel edits).
    ExplainPod(String),
    /// Set a Service's `spec.type`.
    ServiceType(String, String),
    /// Set a Service's `spec.externalTrafficPolicy`.
    ExternalPolicy(String, String),
    /// Set a Service's `spec.internalTrafficPolicy`.
    InternalPolicy(String, String),
    /// Set a Service's session affinity: `None`, or `ClientIP` with this timeout.
    Affinity(String, Option<i32>),
    /// Set kube-proxy's mode (`iptables`, `nftables`, `ipvs/rr`, …).
    ProxyMode(String),
    /// Pick the node whose rules are shown.
    RulesNode(String),
    /// Check pasted or dropped text (manifests or a cluster's dump) with this
    /// load-balancer provider (`auto`, `cloud`, `none`, `metallb`).
    Check(String, String),
}

/// The core's check of a text, as the explain view shows it.
fn check(text: &str, provider: &str) -> CheckView {
    let settings = Settings {
        lb_provider: LbProvider::parse(provider),
        ..Settings::default()
    };
    let options = Options {
        settings,
        ..Options::default()
    };
    match check_text(text, &options) {
        Ok(r) => CheckView {
            live: r.world.is_none(),
            findings: r.findings.iter().map(FindingView::from).collect(),
            notices: r.notices,
            error: None,
        },
        Err(e) => CheckView {
            error: Some(e.0.join("\n")),
            ..CheckView::default()
        },
    }
}

impl AppState {
    /// Applies one edit action: a box, a button or a select becomes at most one core
    /// command.
    pub(super) fn edit(&mut self, action: EditAction) {
        match action {
            EditAction::Type(field, text) => {
                if let Field::Selector(svc) = &field {
                    self.view.edits.previewing = Some(svc.clone());
                }
                self.view.edits.errors.remove(&field);
                self.view.edits.drafts.insert(field, text);
            }
            EditAction::Apply(Field::PodFilter) => {}
            EditAction::Apply(Field::Target(client, from)) => {
                let field = Field::Target(client, from);
                let Some(text) = self.view.edits.drafts.get(&field).cloned() else {
                    return;
                };
                match self.retarget_command(&field, &text) {
                    Ok(None) => self.settle(field, Ok(())),
                    Ok(Some(command)) => self.run(field, Ok(command)),
                    Err(e) => self.settle(field, Err(e)),
                }
            }
            EditAction::Apply(field) => {
                let Some(text) = self.view.edits.drafts.get(&field).cloned() else {
                    return;
                };
                match box_command(&field, &text) {
                    Ok(None) => self.settle(field, Ok(())),
                    Ok(Some(command)) => self.run(field, Ok(command)),
                    Err(e) => self.settle(field, Err(e)),
                }
            }
            EditAction::Cancel(field) => {
                if matches!(&field, Field::Selector(s) if self.view.edits.previewing.as_ref() == Some(s))
                {
                    self.view.edits.previewing = None;
                }
                self.view.edits.drafts.remove(&field);
                self.view.edits.errors.remove(&field);
            }
            EditAction::Scale(workload, replicas) => {
                let command = scale_command(&workload, replicas);
                self.run(Field::Replicas(workload), Ok(command));
            }
            EditAction::Namespace(ns) => {
                self.view.edits.namespace = (!ns.is_empty()).then_some(ns);
            }
            EditAction::Rate(client, service, rate) => {
                let command = rate_command(&client, &service, &rate.to_string());
                self.run(Field::Rate(client, service), command);
            }
            EditAction::KeepAlive(client, service, on) => {
                let edit = LoadEdit {
                    keepalive: Some(on),
                    ..LoadEdit::default()
                };
                self.run(
                    Field::Connections(client.clone(), service.clone()),
                    Ok(edit_command(&client, &service, edit)),
                );
            }
            EditAction::Protocol(client, service, p) => {
                let command = AppProtocol::parse(&p)
                    .map(|protocol| {
                        let edit = LoadEdit {
                            protocol: Some(protocol),
                            ..LoadEdit::default()
                        };
                        edit_command(&client, &service, edit)
                    })
                    .ok_or_else(|| format!("unknown protocol \"{p}\": use http/1.1, h2 or grpc"));
                self.run(Field::Connections(client, service), command);
            }
            EditAction::ServiceType(svc, v) => {
                let command = Command::SetServiceType {
                    service: key(&svc),
                    service_type: ServiceType::parse(&v),
                };
                self.run(Field::ServiceSpec(svc), Ok(command));
            }
            EditAction::ExternalPolicy(svc, v) => {
                let command = Command::SetExternalTrafficPolicy {
                    service: key(&svc),
                    policy: TrafficPolicy::parse(&v),
                };
                self.run(Field::ServiceSpec(svc), Ok(command));
            }
            EditAction::InternalPolicy(svc, v) => {
                let command = Command::SetInternalTrafficPolicy {
                    service: key(&svc),
                    policy: TrafficPolicy::parse(&v),
                };
                self.run(Field::ServiceSpec(svc), Ok(command));
            }
            EditAction::Affinity(svc, t) => {
                let command = Command::SetSessionAffinity {
                    service: key(&svc),
                    timeout_seconds: t,
                };
                self.run(Field::ServiceSpec(svc), Ok(command));
            }
            EditAction::ProxyMode(m) => {
                let command = ProxyMode::parse(&m)
                    .map(|mode| Command::SetProxyMode { mode })
                    .ok_or_else(|| {
                        format!(
                            "unknown proxy mode \"{m}\": use iptables, nftables, ipvs/rr, ipvs/lc or ipvs/sh"
                        )
                    });
                self.run(Field::ProxyMode, command);
            }
            EditAction::RulesNode(n) => self.view.edits.rules_node = Some(n),
            EditAction::ExplainService(s) => self.view.edits.explain_service = Some(s),
            EditAction::Check(text, provider) => {
                self.view.edits.checked = Some(Rc::new(check(&text, &provider)));
            }
            EditAction::ExplainPod(p) => self.view.edits.explain_pod = Some(p),
        }
    }

    /// The card edit that points a stream at the Service a target box names, with the
    /// URL the core writes for it (`None` when it names the Service already used).
    fn retarget_command(&self, field: &Field, text: &str) -> Result<Option<Command>, String> {
        let Field::Target(client, from) = field else {
            return Ok(None);
        };
        let to = key(text.trim());
        let from = key(from);
        if to == from {
            return Ok(None);
        }
        let url = self
            .sim
            .borrow()
            .world
            .retarget_url(client, &from, &to)
            .map_err(|e| e.to_string())?;
        let edit = LoadEdit {
            target: Some(url),
            ..LoadEdit::default()
        };
        Ok(Some(Command::EditClient {
            client: client.clone(),
            service: from,
            edit,
        }))
    }

    /// Applies the command a box or select stands for, or keeps the reason it could not
    /// become one; then settles the box.
    fn run(&mut self, field: Field, command: Result<Command, String>) {
        let result = command.and_then(|c| self.sim.borrow_mut().apply(c).map(|_| ()));
        self.settle(field, result);
    }

    /// Keeps the draft and shows the error when refused; clears both when applied.
    fn settle(&mut self, field: Field, result: Result<(), String>) {
        let edits = &mut self.view.edits;
        match result {
            Ok(()) => {
                if matches!(&field, Field::Selector(s) if edits.previewing.as_ref() == Some(s)) {
                    edits.previewing = None;
                }
                edits.drafts.remove(&field);
                edits.errors.remove(&field);
            }
            Err(e) => {
                edits.errors.insert(field, e);
            }
        }
    }
}

/// The object a page name stands for (see `model::names`).
fn key(name: &str) -> NamespacedName {
    key_of(name)
}

/// `kubectl scale` of the workload a page name stands for.
fn scale_command(workload: &str, replicas: i64) -> Command {
    let w = workload_of(workload);
    match w.kind {
        WorkloadKind::Deployment => Command::ScaleDeployment {
            deployment: w.key,
            replicas,
        },
        _ => Command::ScaleWorkload {
            workload: w,
            replicas,
        },
    }
}

/// The core command a box's text stands for, read with the core's parsers (`None` for a
/// box that changes nothing in the world); the reason when the text is not one.
fn box_command(field: &Field, text: &str) -> Result<Option<Command>, String> {
    Ok(Some(match field {
        Field::Selector(svc) => Command::SetServiceSelector {
            service: key(svc),
            selector: selectors::service_selector(text)
                .map_err(|e| format!("service \"{svc}\": {e}"))?,
        },
        Field::PodLabels(pod) => Command::SetPodLabels {
            pod: key(pod),
            labels: selectors::labels(text).map_err(|e| format!("pod \"{pod}\": {e}"))?,
        },
        Field::TemplateLabels(d) => Command::SetTemplateLabels {
            deployment: key(d),
            labels: selectors::labels(text).map_err(|e| format!("deployment \"{d}\": {e}"))?,
        },
        Field::Replicas(d) => scale_command(
            d,
            text.trim().parse().map_err(|_| {
                let w = workload_of(d);
                format!(
                    "{} \"{}\": spec.replicas: Invalid value: \"{text}\": must be a whole number",
                    w.kind.kind().to_lowercase(),
                    w.key.name
                )
            })?,
        ),
        Field::Rate(client, service) => rate_command(client, service, text)?,
        Field::Connections(client, service) => {
            let n: u32 = text.trim().parse().map_err(|_| {
                format!(
                    "client \"{client}\": -c: must be a whole number of connections, got {text:?}"
                )
            })?;
            let edit = LoadEdit {
                connections: Some(n),
                ..LoadEdit::default()
            };
            edit_command(client, service, edit)
        }
        Field::PodFilter | Field::ServiceSpec(_) | Field::ProxyMode | Field::Target(..) => {
            return Ok(None);
        }
    }))
}

/// A client card's edit of its stream to `service`.
fn edit_command(client: &str, service: &str, edit: LoadEdit) -> Command {
    Command::EditClient {
        client: client.to_owned(),
        service: key(service),
        edit,
    }
}

/// A client's rate from the text of its box. Text that is not a whole number from 0 up
/// is refused with the core's own words for an out-of-range rate; the range itself is
/// checked by the core.
fn rate_command(client: &str, service: &str, text: &str) -> Result<Command, String> {
    let text = text.trim();
    let rate: u32 = text.parse().map_err(|_| {
        CommandError::ClientRateOutOfRange {
            client: client.to_owned(),
            service: service.to_owned(),
            value: format!("{text:?}"),
            max: MAX_CLIENT_RATE,
        }
        .to_string()
    })?;
    Ok(Command::SetClientRate {
        client: client.to_owned(),
        service: key(service),
        rate_per_sec: rate,
    })
}
