//! Service commands, through the API server's [`crate::apiserver::ServiceRegistry`]:
//! create, update and delete are defaulted, validated and allocated there (ClusterIP,
//! nodePorts, healthCheckNodePort, load-balancer address); a refused request returns
//! kubectl's `Service "x" is invalid: …` and changes nothing. Each accepted change is
//! logged with what was allocated or released, and kube-proxy is reprogrammed for that
//! Service only.
//!
//! Upstream: kubernetes/kubernetes@v1.31.0 `pkg/registry/core/service/storage/storage.go`.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::World;
use super::command::{Change, Verb};
use super::service_store::Pinned;
use crate::apiserver::load_balancer::LbSync;
use crate::apiserver::validate::invalid;
use crate::apiserver::validate_meta::check_labels;
use crate::error::CommandError;
use crate::labels::selector_text;
use crate::objects::service::{ClientIpConfig, SessionAffinityConfig};
use crate::objects::{Labels, NamespacedName, Service, SessionAffinity, TrafficPolicy};

impl World {
    /// Creates a Service as the API server would (namespace defaults to `default`):
    /// defaulted, allocated and validated by the registry, then its slices are synced
    /// and kube-proxy programmed.
    pub(crate) fn create_service(&mut self, mut s: Service) -> Result<Change, CommandError> {
        if s.metadata.namespace.is_empty() {
            s.metadata.namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        let key = s.metadata.key();
        self.check_namespace(&key.namespace)?;
        if self.services.contains(&key) {
            return Err(CommandError::AlreadyExists {
                kind: "services",
                name: key.name,
            });
        }
        if let Some(sel) = &s.spec.selector {
            check_labels(&format!("service \"{}\"", key.name), "spec.selector", sel)?;
        }
        let pinned = Pinned::of(&s);
        let mut stored = self
            .services
            .registry
            .create(s)
            .map_err(|e| invalid("Service", &key.name, e))?;
        stored.metadata.uid = self.uid();
        stored.metadata.creation_timestamp = Some(self.now);
        let words = change_words(&Service::default(), &stored);
        self.services.put(stored);
        self.services.pinned.insert(key.clone(), pinned);
        let name = &key.name;
        self.event("Service", &key, format!("service {name} created: {words}"));
        self.note_pending(&key);
        self.queue.service(key.clone());
        Ok(Change::new("service", key, Verb::Created))
    }

    /// What the Service's last create or replace request set of the values the API
    /// server allocates (`None` for a Service the cluster made).
    pub fn service_pins(&self, key: &NamespacedName) -> Option<&Pinned> {
        self.services.pinned.get(key)
    }

    /// Deletes a Service: the registry releases its ClusterIP, nodePorts and LB
    /// address; its EndpointSlices go with it (owner garbage collection) and kube-proxy
    /// forgets it.
    pub(super) fn delete_service(&mut self, key: &NamespacedName) -> Result<Change, CommandError> {
        let Some(old) = self.services.remove(key) else {
            return Err(CommandError::ServiceNotFound {
                name: key.name.clone(),
            });
        };
        self.services.registry.delete(&old);
        self.dataplane.remove_service(&key.namespace, &key.name);
        let words = change_words(&old, &Service::default());
        let name = &key.name;
        self.event("Service", key, format!("service {name} deleted: {words}"));
        self.queue.service(key.clone());
        Ok(Change::new("service", key.clone(), Verb::Deleted))
    }

    /// Replaces a Service's spec (`kubectl replace`/`apply`): `ValidateServiceUpdate`
    /// runs, allocated values the request leaves out are kept, a type change allocates
    /// or releases. Names and uid stay the stored ones.
    pub(super) fn update_service(&mut self, mut svc: Service) -> Result<Change, CommandError> {
        if svc.metadata.namespace.is_empty() {
            svc.metadata.namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        let key = svc.metadata.key();
        let old = self
            .services
            .get(&key)
            .ok_or_else(|| CommandError::ServiceNotFound {
                name: key.name.clone(),
            })?;
        if let Some(sel) = &svc.spec.selector {
            check_labels(&format!("service \"{}\"", key.name), "spec.selector", sel)?;
        }
        svc.metadata.uid = old.metadata.uid;
        svc.metadata.creation_timestamp = old.metadata.creation_timestamp;
        let pinned = Pinned::of(&svc);
        let change = self.store_update(&key, svc)?;
        self.services.pinned.insert(key, pinned);
        Ok(change)
    }

    /// Changes a stored Service through the registry's update.
    pub(super) fn edit_service(
        &mut self,
        key: &NamespacedName,
        edit: impl FnOnce(&mut Service),
    ) -> Result<Change, CommandError> {
        let mut svc =
            self.services
                .get(key)
                .cloned()
                .ok_or_else(|| CommandError::ServiceNotFound {
                    name: key.name.clone(),
                })?;
        edit(&mut svc);
        self.store_update(key, svc)
    }

    /// Session affinity: `None` → `None`; `Some(t)` → `ClientIP` with
    /// `sessionAffinityConfig.clientIP.timeoutSeconds: t` (1..=86400).
    pub(super) fn set_session_affinity(
        &mut self,
        key: &NamespacedName,
        timeout_seconds: Option<i32>,
    ) -> Result<Change, CommandError> {
        self.edit_service(key, |s| match timeout_seconds {
            None => {
                s.spec.session_affinity = SessionAffinity::None;
                s.spec.session_affinity_config = None;
            }
            Some(t) => {
                s.spec.session_affinity = SessionAffinity::ClientIp;
                s.spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIpConfig {
                        timeout_seconds: Some(t),
                    }),
                });
            }
        })
    }

    /// Replaces a Service's selector. `None` or `{}` means no selector: the controller
    /// stops managing the Service's slices and leaves them as they are (b.6).
    pub(super) fn set_service_selector(
        &mut self,
        key: &NamespacedName,
        selector: Option<Labels>,
    ) -> Result<Change, CommandError> {
        if !self.services.contains(key) {
            return Err(CommandError::ServiceNotFound {
                name: key.name.clone(),
            });
        }
        if let Some(sel) = &selector {
            check_labels(&format!("service \"{}\"", key.name), "spec.selector", sel)?;
        }
        let name = &key.name;
        let words = match &selector {
            Some(s) if !s.is_empty() => {
                format!("service {name} selector set to {}", selector_text(s))
            }
            _ => format!(
                "service {name} has no selector now: the EndpointSlice controller leaves its slices as they are"
            ),
        };
        if let Some(mut s) = self.services.get(key).cloned() {
            s.spec.selector = selector;
            self.services.put(s);
        }
        self.event("Service", key, words);
        self.queue.service(key.clone());
        Ok(Change::new("service", key.clone(), Verb::Configured))
    }

    /// Adds addresses to the cloud's load-balancer pool; `<pending>` LoadBalancer
    /// Services get one (in key order).
    pub(super) fn add_load_balancer_addresses(&mut self, ips: &[IpAddr]) -> Change {
        self.services
            .registry
            .add_load_balancer_addresses(ips.iter().copied());
        self.config.load_balancer_pool.extend(ips.iter().copied());
        let text: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
        let pool = NamespacedName::new("", "load-balancer");
        self.event(
            "Service",
            &pool,
            format!("load-balancer pool grew by {}", text.join(", ")),
        );
        let pending: Vec<NamespacedName> = self
            .services
            .all()
            .iter()
            .filter(|(_, s)| {
                self.services.registry.load_balancers().owns(s)
                    && s.status.load_balancer.ingress.is_empty()
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in pending {
            let Some(mut svc) = self.services.get(&key).cloned() else {
                continue;
            };
            if let LbSync::Assigned(ip) = self.services.registry.sync_load_balancer(&mut svc) {
                self.services.put(svc);
                let name = &key.name;
                self.event(
                    "Service",
                    &key,
                    format!("service {name}: load balancer IP {ip} assigned"),
                );
                self.program_service(&key);
            }
        }
        Change::new("load-balancer", pool, Verb::Configured)
    }

    /// Runs the registry's update and stores the result; nothing changes on refusal.
    fn store_update(&mut self, key: &NamespacedName, svc: Service) -> Result<Change, CommandError> {
        let Some(old) = self.services.get(key).cloned() else {
            return Err(CommandError::ServiceNotFound {
                name: key.name.clone(),
            });
        };
        let stored = self
            .services
            .registry
            .update(&old, svc)
            .map_err(|e| invalid("Service", &key.name, e))?;
        if stored == old {
            return Ok(Change::new("service", key.clone(), Verb::Unchanged));
        }
        let words = change_words(&old, &stored);
        self.services.put(stored);
        let name = &key.name;
        self.event("Service", key, format!("service {name}: {words}"));
        self.note_pending(key);
        self.queue.service(key.clone());
        Ok(Change::new("service", key.clone(), Verb::Configured))
    }

    /// Logs a LoadBalancer Service the cloud could not give an address.
    fn note_pending(&mut self, key: &NamespacedName) {
        let pending = self.services.get(key).is_some_and(|s| {
            self.services.registry.load_balancers().owns(s)
                && s.status.load_balancer.ingress.is_empty()
        });
        if pending {
            let name = &key.name;
            self.event(
                "Service",
                key,
                format!("load balancer for {name} is <pending>: the address pool is empty"),
            );
        }
    }
}

/// What changed between two stored versions, in words: type, ClusterIP, nodePorts,
/// healthCheckNodePort, LB address, policies, affinity.
fn change_words(old: &Service, new: &Service) -> String {
    let mut out = Vec::new();
    let (o, n) = (&old.spec, &new.spec);
    if o.type_ != n.type_ {
        if o.type_.is_unset() {
            out.push(format!("type {}", n.type_));
        } else if !n.type_.is_unset() {
            out.push(format!("type {} → {}", o.type_, n.type_));
        }
    }
    if o.cluster_ip != n.cluster_ip {
        if !o.cluster_ip.is_empty() && o.cluster_ip != "None" {
            out.push(format!("clusterIP {} released", o.cluster_ip));
        }
        if !n.cluster_ip.is_empty() {
            out.push(format!("clusterIP {} allocated", n.cluster_ip));
        }
    }
    let ports = |s: &Service| -> BTreeSet<i32> {
        s.spec
            .ports
            .iter()
            .map(|p| p.node_port)
            .filter(|p| *p != 0)
            .collect()
    };
    let (op, np) = (ports(old), ports(new));
    for p in np.difference(&op) {
        out.push(format!("nodePort {p} allocated"));
    }
    for p in op.difference(&np) {
        out.push(format!("nodePort {p} released"));
    }
    if o.health_check_node_port != n.health_check_node_port {
        if o.health_check_node_port != 0 {
            out.push(format!(
                "healthCheckNodePort {} released",
                o.health_check_node_port
            ));
        }
        if n.health_check_node_port != 0 {
            out.push(format!(
                "healthCheckNodePort {} allocated",
                n.health_check_node_port
            ));
        }
    }
    let lb = |s: &Service| -> BTreeSet<String> {
        s.status
            .load_balancer
            .ingress
            .iter()
            .map(|i| i.ip.clone())
            .collect()
    };
    let (ol, nl) = (lb(old), lb(new));
    for ip in nl.difference(&ol) {
        out.push(format!("load balancer IP {ip} assigned"));
    }
    for ip in ol.difference(&nl) {
        out.push(format!("load balancer IP {ip} released"));
    }
    let policies: [(&str, &TrafficPolicy, &TrafficPolicy); 2] = [
        (
            "externalTrafficPolicy",
            &o.external_traffic_policy,
            &n.external_traffic_policy,
        ),
        (
            "internalTrafficPolicy",
            &o.internal_traffic_policy,
            &n.internal_traffic_policy,
        ),
    ];
    for (field, a, b) in policies {
        if a != b && !a.is_unset() && !b.is_unset() {
            out.push(format!("{field} {a} → {b}"));
        }
    }
    let (a, b) = (&o.session_affinity, &n.session_affinity);
    if a != b && !a.is_unset() && !b.is_unset() {
        out.push(format!("sessionAffinity {a} → {b}"));
    }
    if out.is_empty() {
        "spec updated".to_owned()
    } else {
        out.join(", ")
    }
}
