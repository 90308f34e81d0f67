//! The text boxes and pickers: drafts typed into selector, label, replica and rate boxes, the
//! inline error each one shows, and what the explain view looks at. Applying a box calls
//! one core command; a refused command leaves the world as it was and its message (the
//! core's, in Kubernetes' words) next to the box.

use std::collections::BTreeMap;

use svcplay_core::proxy::ProxyMode;
use svcplay_core::world::MAX_CLIENT_RATE;
use svcplay_core::{CommandError, World};

use super::AppState;
use crate::model::selectors;

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
    /// Show nftables rules rather than iptables.
    pub rules_nft: bool,
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
    /// A `−`/`+` button: scale a Deployment to this many replicas.
    Scale(String, i64),
    /// A `−`/`+` button: set a client's rate to one Service (client, Service, requests
    /// per second).
    Rate(String, String, i64),
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
    /// Show nftables (`true`) or iptables rules.
    RulesNft(bool),
}

impl AppState {
    /// Applies one edit action.
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
            EditAction::Apply(field) => {
                let Some(text) = self.view.edits.drafts.get(&field).cloned() else {
                    return;
                };
                let result = {
                    let mut sim = self.sim.borrow_mut();
                    let r = apply(&mut sim.world, &field, &text);
                    sim.sync_events();
                    r
                };
                self.settle(field, result);
            }
            EditAction::Cancel(field) => {
                if matches!(&field, Field::Selector(s) if self.view.edits.previewing.as_ref() == Some(s))
                {
                    self.view.edits.previewing = None;
                }
                self.view.edits.drafts.remove(&field);
                self.view.edits.errors.remove(&field);
            }
            EditAction::Scale(deployment, replicas) => {
                let result = {
                    let mut sim = self.sim.borrow_mut();
                    let r = sim
                        .world
                        .scale_deployment(&deployment, replicas)
                        .map_err(|e| e.to_string());
                    sim.sync_events();
                    r
                };
                self.settle(Field::Replicas(deployment), result);
            }
            EditAction::Rate(client, service, rate) => {
                let result = {
                    let mut sim = self.sim.borrow_mut();
                    let r = set_rate(&mut sim.world, &client, &service, &rate.to_string());
                    sim.sync_events();
                    r
                };
                self.settle(Field::Rate(client, service), result);
            }
            EditAction::ServiceType(svc, v) => {
                self.service_spec(svc, |w, n| w.set_service_type(n, &v))
            }
            EditAction::ExternalPolicy(svc, v) => {
                self.service_spec(svc, |w, n| w.set_external_traffic_policy(n, &v));
            }
            EditAction::InternalPolicy(svc, v) => {
                self.service_spec(svc, |w, n| w.set_internal_traffic_policy(n, &v));
            }
            EditAction::Affinity(svc, t) => {
                self.service_spec(svc, |w, n| w.set_session_affinity(n, t))
            }
            EditAction::ProxyMode(m) => {
                let result = match ProxyMode::parse(&m) {
                    Some(mode) => {
                        let mut sim = self.sim.borrow_mut();
                        sim.world.set_proxy_mode(mode);
                        sim.sync_events();
                        Ok(())
                    }
                    None => Err(format!(
                        "unknown proxy mode \"{m}\": use iptables, nftables, ipvs/rr, ipvs/lc or ipvs/sh"
                    )),
                };
                self.settle(Field::ProxyMode, result);
            }
            EditAction::RulesNode(n) => self.view.edits.rules_node = Some(n),
            EditAction::RulesNft(nft) => self.view.edits.rules_nft = nft,
            EditAction::ExplainService(s) => self.view.edits.explain_service = Some(s),
            EditAction::ExplainPod(p) => self.view.edits.explain_pod = Some(p),
        }
    }

    /// Runs one Service spec command; its refusal shows next to the Service's selects.
    fn service_spec(
        &mut self,
        svc: String,
        command: impl FnOnce(&mut World, &str) -> Result<(), svcplay_core::CommandError>,
    ) {
        let result = {
            let mut sim = self.sim.borrow_mut();
            let r = command(&mut sim.world, &svc).map_err(|e| e.to_string());
            sim.sync_events();
            r
        };
        self.settle(Field::ServiceSpec(svc), result);
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

/// Runs the core command a box stands for.
fn apply(world: &mut World, field: &Field, text: &str) -> Result<(), String> {
    match field {
        Field::Selector(svc) => {
            let selector =
                selectors::service_selector(text).map_err(|e| format!("service \"{svc}\": {e}"))?;
            world
                .set_service_selector(svc, selector)
                .map_err(|e| e.to_string())
        }
        Field::PodLabels(pod) => {
            let labels = selectors::labels(text).map_err(|e| format!("pod \"{pod}\": {e}"))?;
            world.set_pod_labels(pod, labels).map_err(|e| e.to_string())
        }
        Field::TemplateLabels(d) => {
            let labels = selectors::labels(text).map_err(|e| format!("deployment \"{d}\": {e}"))?;
            world
                .set_template_labels(d, labels)
                .map_err(|e| e.to_string())
        }
        Field::Replicas(d) => {
            let replicas: i64 = text.trim().parse().map_err(|_| {
                format!(
                    "deployment \"{d}\": spec.replicas: Invalid value: \"{text}\": must be a whole number"
                )
            })?;
            world
                .scale_deployment(d, replicas)
                .map_err(|e| e.to_string())
        }
        Field::Rate(client, service) => set_rate(world, client, service, text),
        Field::PodFilter | Field::ServiceSpec(_) | Field::ProxyMode => Ok(()),
    }
}

/// Sets a client's rate from the text of its box. Text that is not a whole number from
/// 0 up is refused with the core's own words for an out-of-range rate; the range itself
/// is checked by `World::set_client_rate`.
fn set_rate(world: &mut World, client: &str, service: &str, text: &str) -> Result<(), String> {
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
    world
        .set_client_rate(client, service, rate)
        .map_err(|e| e.to_string())
}
