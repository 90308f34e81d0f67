//! Service commands, through the API server's [`crate::apiserver::ServiceRegistry`]:
//! create, update and delete are defaulted, validated and allocated there (ClusterIP,
//! nodePorts, healthCheckNodePort, load-balancer address); a refused request returns
//! kubectl's `Service "x" is invalid: …` and changes nothing. Each accepted change is
//! logged with what was allocated or released, and kube-proxy is reprogrammed for that
//! Service only.
//!
//! Upstream: kubernetes/kubernetes `pkg/registry/core/service/storage/storage.go`.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::World;
use super::validate::check_labels;
use crate::apiserver::load_balancer::LbSync;
use crate::apiserver::service_registry::invalid_message;
use crate::error::CommandError;
use crate::objects::service::{ClientIpConfig, SessionAffinityConfig};
use crate::objects::{IntOrString, Labels, ObjectMeta, Service, ServicePort};
use crate::validation::field::ErrorList;

fn invalid(name: &str, errors: ErrorList) -> CommandError {
    CommandError::InvalidService {
        name: name.to_owned(),
        message: invalid_message(name, &errors),
        errors,
    }
}

impl World {
    /// Adds a ClusterIP Service selecting `selector`, with one port `http` 80/TCP whose
    /// `targetPort` is the container port named `http`. Invalid input is ignored (see
    /// [`World::add_service_object`]).
    pub fn add_service(&mut self, name: &str, selector: Labels) {
        let mut s = Service {
            metadata: ObjectMeta::named("default", name),
            ..Default::default()
        };
        s.spec.selector = Some(selector);
        s.spec.ports = vec![ServicePort {
            name: "http".to_owned(),
            protocol: "TCP".to_owned(),
            port: 80,
            target_port: IntOrString::String("http".to_owned()),
            ..Default::default()
        }];
        let _ = self.add_service_object(s);
    }

    /// Creates a Service as the API server would (namespace defaults to `default`):
    /// defaulted, allocated and validated by the registry, then its slices are synced
    /// and kube-proxy programmed.
    pub fn add_service_object(&mut self, mut s: Service) -> Result<(), CommandError> {
        let name = s.metadata.name.clone();
        if self.services.contains_key(&name) {
            return Err(CommandError::AlreadyExists {
                kind: "services",
                name,
            });
        }
        if let Some(sel) = &s.spec.selector {
            check_labels(&format!("service \"{name}\""), "spec.selector", sel)?;
        }
        if s.metadata.namespace.is_empty() {
            s.metadata.namespace = "default".to_owned();
        }
        let mut stored = self.registry.create(s).map_err(|e| invalid(&name, e))?;
        stored.metadata.uid = self.uid();
        stored.metadata.creation_timestamp = Some(self.now);
        let words = change_words(&Service::default(), &stored);
        self.services.insert(name.clone(), stored);
        self.index_service(&name);
        self.event("Service", &name, format!("service {name} created: {words}"));
        self.note_pending(&name);
        self.dirty_services.insert(name);
        self.settle();
        Ok(())
    }

    /// Deletes a Service: the registry releases its ClusterIP, nodePorts and LB
    /// address; its EndpointSlices go with it (owner garbage collection) and kube-proxy
    /// forgets it.
    pub fn remove_service(&mut self, name: &str) -> Result<(), CommandError> {
        let Some(old) = self.services.get(name).cloned() else {
            return Err(CommandError::ServiceNotFound {
                name: name.to_owned(),
            });
        };
        self.unindex_service(name);
        self.registry.delete(&old);
        self.services.remove(name);
        self.dataplane
            .remove_service(&old.metadata.namespace, &old.metadata.name);
        let words = change_words(&old, &Service::default());
        self.event("Service", name, format!("service {name} deleted: {words}"));
        self.dirty_services.insert(name.to_owned());
        self.settle();
        Ok(())
    }

    /// Replaces a Service's spec (`kubectl replace`/`apply`): `ValidateServiceUpdate`
    /// runs, allocated values the request leaves out are kept, a type change allocates
    /// or releases. Names and uid stay the stored ones.
    pub fn update_service(&mut self, name: &str, mut svc: Service) -> Result<(), CommandError> {
        let old = self
            .services
            .get(name)
            .ok_or_else(|| CommandError::ServiceNotFound {
                name: name.to_owned(),
            })?;
        if !svc.metadata.name.is_empty() && svc.metadata.name != name {
            return Err(CommandError::InvalidObject {
                kind: "services",
                name: name.to_owned(),
                field: "metadata.name",
                reason: format!(
                    "Invalid value: \"{}\": the name of the object does not match the name on the URL ({name})",
                    svc.metadata.name
                ),
            });
        }
        if let Some(sel) = &svc.spec.selector {
            check_labels(&format!("service \"{name}\""), "spec.selector", sel)?;
        }
        svc.metadata.name = old.metadata.name.clone();
        svc.metadata.namespace = old.metadata.namespace.clone();
        svc.metadata.uid = old.metadata.uid;
        svc.metadata.creation_timestamp = old.metadata.creation_timestamp;
        self.apply_service(name, svc)
    }

    /// Sets `spec.type` (`ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`).
    pub fn set_service_type(&mut self, name: &str, ty: &str) -> Result<(), CommandError> {
        self.edit_service(name, |s| s.spec.type_ = ty.to_owned())
    }

    /// Sets `spec.externalTrafficPolicy` (`Cluster` or `Local`; only for NodePort and
    /// LoadBalancer Services).
    pub fn set_external_traffic_policy(
        &mut self,
        name: &str,
        policy: &str,
    ) -> Result<(), CommandError> {
        self.edit_service(name, |s| s.spec.external_traffic_policy = policy.to_owned())
    }

    /// Sets `spec.internalTrafficPolicy` (`Cluster` or `Local`).
    pub fn set_internal_traffic_policy(
        &mut self,
        name: &str,
        policy: &str,
    ) -> Result<(), CommandError> {
        self.edit_service(name, |s| {
            s.spec.internal_traffic_policy = Some(policy.to_owned());
        })
    }

    /// Sets session affinity: `None` → `None`; `Some(t)` → `ClientIP` with
    /// `sessionAffinityConfig.clientIP.timeoutSeconds: t` (1..=86400).
    pub fn set_session_affinity(
        &mut self,
        name: &str,
        timeout_seconds: Option<i32>,
    ) -> Result<(), CommandError> {
        self.edit_service(name, |s| match timeout_seconds {
            None => {
                s.spec.session_affinity = "None".to_owned();
                s.spec.session_affinity_config = None;
            }
            Some(t) => {
                s.spec.session_affinity = "ClientIP".to_owned();
                s.spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIpConfig {
                        timeout_seconds: Some(t),
                    }),
                });
            }
        })
    }

    /// Adds addresses to the cloud's load-balancer pool; `<pending>` LoadBalancer
    /// Services get one (in name order).
    pub fn add_lb_pool(&mut self, ips: &[IpAddr]) {
        self.registry
            .add_load_balancer_addresses(ips.iter().copied());
        self.config.load_balancer_pool.extend(ips.iter().copied());
        let text: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
        self.event(
            "Service",
            "load-balancer",
            format!("load-balancer pool grew by {}", text.join(", ")),
        );
        let pending: Vec<String> = self
            .services
            .iter()
            .filter(|(_, s)| {
                self.registry.load_balancers().owns(s) && s.status.load_balancer.ingress.is_empty()
            })
            .map(|(n, _)| n.clone())
            .collect();
        for name in pending {
            let Some(mut svc) = self.services.get(&name).cloned() else {
                continue;
            };
            if let LbSync::Assigned(ip) = self.registry.sync_load_balancer(&mut svc) {
                self.services.insert(name.clone(), svc);
                self.event(
                    "Service",
                    &name,
                    format!("service {name}: load balancer IP {ip} assigned"),
                );
                self.program_service(&name);
            }
        }
    }

    fn edit_service(
        &mut self,
        name: &str,
        edit: impl FnOnce(&mut Service),
    ) -> Result<(), CommandError> {
        let mut svc =
            self.services
                .get(name)
                .cloned()
                .ok_or_else(|| CommandError::ServiceNotFound {
                    name: name.to_owned(),
                })?;
        edit(&mut svc);
        self.apply_service(name, svc)
    }

    /// Runs the registry's update and stores the result; nothing changes on refusal.
    fn apply_service(&mut self, name: &str, svc: Service) -> Result<(), CommandError> {
        let Some(old) = self.services.get(name).cloned() else {
            return Err(CommandError::ServiceNotFound {
                name: name.to_owned(),
            });
        };
        let stored = self
            .registry
            .update(&old, svc)
            .map_err(|e| invalid(name, e))?;
        if stored == old {
            return Ok(());
        }
        let words = change_words(&old, &stored);
        self.unindex_service(name);
        self.services.insert(name.to_owned(), stored);
        self.index_service(name);
        self.event("Service", name, format!("service {name}: {words}"));
        self.note_pending(name);
        self.dirty_services.insert(name.to_owned());
        self.settle();
        Ok(())
    }

    /// Logs a LoadBalancer Service the cloud could not give an address.
    fn note_pending(&mut self, name: &str) {
        let pending = self.services.get(name).is_some_and(|s| {
            self.registry.load_balancers().owns(s) && s.status.load_balancer.ingress.is_empty()
        });
        if pending {
            self.event(
                "Service",
                name,
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
        if o.type_.is_empty() {
            out.push(format!("type {}", n.type_));
        } else if !n.type_.is_empty() {
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
    let pairs = [
        (
            "externalTrafficPolicy",
            o.external_traffic_policy.clone(),
            n.external_traffic_policy.clone(),
        ),
        (
            "internalTrafficPolicy",
            o.internal_traffic_policy.clone().unwrap_or_default(),
            n.internal_traffic_policy.clone().unwrap_or_default(),
        ),
        (
            "sessionAffinity",
            o.session_affinity.clone(),
            n.session_affinity.clone(),
        ),
    ];
    for (field, a, b) in pairs {
        if a != b && !a.is_empty() && !b.is_empty() {
            out.push(format!("{field} {a} → {b}"));
        }
    }
    if out.is_empty() {
        "spec updated".to_owned()
    } else {
        out.join(", ")
    }
}
