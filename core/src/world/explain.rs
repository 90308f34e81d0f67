//! `explain(service, pod)`: why a pod is or is not an endpoint, and in which condition.
//!
//! The answer is computed with the same rules the EndpointSlice controller uses
//! (`crate::controllers::endpoints`), then the pod's slice entry is read back, so the
//! explanation and the slices cannot disagree.

use std::fmt;

use super::World;
use crate::controllers::endpointslice::rules::{Exclusion, endpoint_ports, exclusions};
use crate::error::CommandError;
use crate::objects::{EndpointConditions, NamespacedName};
use crate::sim::SimTime;

/// One reason in an explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The EndpointSlice controller's own rules leave the pod out (the same value the
    /// controller computed).
    Excluded(Exclusion),
    /// The Service has no selector (or `{}`): no managed endpoints.
    NoSelector {
        /// Slices left from before the selector was removed, untouched by the controller.
        stale_slices: usize,
    },
    /// The pod is Ready.
    Ready,
    /// The pod is not Ready, with the kubelet's reason.
    NotReady(String),
    /// The pod is being deleted; it goes at `until`.
    Terminating {
        /// When the grace period ends.
        until: SimTime,
    },
    /// `publishNotReadyAddresses` makes the endpoint ready regardless.
    PublishNotReadyAddresses,
    /// A named `targetPort` the pod does not declare: its endpoint lacks that port.
    NamedPortNotFound {
        /// The Service port's name (or its targetPort when unnamed).
        port: String,
    },
}

impl From<Exclusion> for Reason {
    fn from(e: Exclusion) -> Self {
        match e {
            Exclusion::NoSelector => Reason::NoSelector { stale_slices: 0 },
            e => Reason::Excluded(e),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Excluded(e) => e.fmt(f),
            Reason::NoSelector { stale_slices } => write!(
                f,
                "the Service has no selector: the EndpointSlice controller manages no endpoints for it ({stale_slices} earlier slice(s) left as they were)"
            ),
            Reason::Ready => f.write_str("the pod is Ready"),
            Reason::NotReady(why) => write!(f, "the pod is not Ready: {why}"),
            Reason::Terminating { until } => write!(f, "the pod is terminating (deletionTimestamp set), gone at {until}"),
            Reason::PublishNotReadyAddresses => f.write_str("publishNotReadyAddresses is set: the endpoint is ready whatever the pod's readiness"),
            Reason::NamedPortNotFound { port } => {
                write!(f, "port {port}: the pod declares no container port of that name and protocol, so its endpoint lacks it")
            }
        }
    }
}

/// Where the pod's endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointState {
    /// The slice holding it.
    pub slice: String,
    /// Its address.
    pub address: String,
    /// Its conditions.
    pub conditions: EndpointConditions,
}

/// Why a pod is or is not an endpoint of a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The Service.
    pub service: NamespacedName,
    /// The pod.
    pub pod: NamespacedName,
    /// `Some` when the pod is an endpoint.
    pub endpoint: Option<EndpointState>,
    /// Why not (when `endpoint` is `None`), or why its conditions are what they are.
    pub reasons: Vec<Reason>,
}

impl Explanation {
    /// Whether the pod is an endpoint (in any condition).
    pub fn is_endpoint(&self) -> bool {
        self.endpoint.is_some()
    }

    /// Whether new traffic may go to it (`ready`).
    pub fn is_ready_endpoint(&self) -> bool {
        self.endpoint.as_ref().is_some_and(|e| e.conditions.ready)
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.endpoint {
            Some(e) => write!(
                f,
                "pod {} is an endpoint of service {} ({} in slice {}: ready={} serving={} terminating={})",
                self.pod.name,
                self.service.name,
                e.address,
                e.slice,
                e.conditions.ready,
                e.conditions.serving,
                e.conditions.terminating
            )?,
            None => write!(
                f,
                "pod {} is not an endpoint of service {}",
                self.pod.name, self.service.name
            )?,
        }
        for r in &self.reasons {
            write!(f, "; {r}")?;
        }
        Ok(())
    }
}

impl World {
    /// Why `pod` is or is not an endpoint of `service`, and in which condition.
    pub fn explain(
        &self,
        service: &NamespacedName,
        pod: &NamespacedName,
    ) -> Result<Explanation, CommandError> {
        let svc = self
            .services
            .get(service)
            .ok_or_else(|| CommandError::ServiceNotFound {
                name: service.name.clone(),
            })?;
        let p = self.pod_or_not_found(pod)?;
        let mut out = Explanation {
            service: service.clone(),
            pod: pod.clone(),
            endpoint: None,
            reasons: Vec::new(),
        };
        let excluded = exclusions(svc, p, self.nodes.contains(&p.spec.node_name));
        if !excluded.is_empty() {
            let stale = self.slices.count_of(service);
            out.reasons = excluded
                .into_iter()
                .map(|e| match Reason::from(e) {
                    Reason::NoSelector { .. } => Reason::NoSelector {
                        stale_slices: stale,
                    },
                    r => r,
                })
                .collect();
            return Ok(out);
        }
        out.endpoint = self.endpoint_slices_for(service).into_iter().find_map(|s| {
            s.endpoints
                .iter()
                .find(|e| e.address() == p.status.pod_ip)
                .map(|e| EndpointState {
                    slice: s.metadata.name.clone(),
                    address: p.status.pod_ip.clone(),
                    conditions: e.conditions,
                })
        });
        out.reasons.push(if p.status.ready {
            Reason::Ready
        } else {
            Reason::NotReady(self.not_ready_words(pod))
        });
        if let Some(until) = p.metadata.deletion_timestamp {
            out.reasons.push(Reason::Terminating { until });
        }
        if svc.spec.publish_not_ready_addresses {
            out.reasons.push(Reason::PublishNotReadyAddresses);
        }
        let (_, missing) = endpoint_ports(svc, p);
        out.reasons.extend(
            missing
                .into_iter()
                .map(|port| Reason::NamedPortNotFound { port }),
        );
        Ok(out)
    }

    /// The readiness probe's consecutive failures now (the most of any container) and
    /// the `failureThreshold` at which the pod turns not ready; `None` when the pod has no
    /// readiness probe or no runtime. Lets a page show a failing probe at once, before
    /// the threshold is reached.
    pub fn readiness_failures(&self, pod: &NamespacedName) -> Option<(u32, u32)> {
        let rt = self.kubelet.get(pod)?;
        let threshold = self
            .pods
            .get(pod)?
            .spec
            .containers
            .iter()
            .filter_map(|c| c.readiness_probe.as_ref())
            .map(|p| p.failure_threshold)
            .min()?;
        let failures = rt
            .containers
            .iter()
            .filter_map(|c| c.probe.as_ref())
            .map(|p| p.failures())
            .max()
            .unwrap_or(0);
        Some((failures, threshold))
    }

    /// The kubelet's reason a pod is not Ready, in words.
    fn not_ready_words(&self, pod: &NamespacedName) -> String {
        let Some(rt) = self.kubelet.get(pod) else {
            return "unknown".to_owned();
        };
        if rt.containers.iter().any(|c| !c.running) {
            return "a container is not running (starting or restarting after a crash)".to_owned();
        }
        let failures = rt
            .containers
            .iter()
            .filter_map(|c| c.probe.as_ref())
            .map(|p| p.failures())
            .max()
            .unwrap_or(0);
        if failures > 0 {
            format!("readiness probe failed {failures} time(s) in a row")
        } else {
            "readiness probe has not succeeded yet".to_owned()
        }
    }
}
