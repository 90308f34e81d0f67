//! The Service registry: create, update and delete with defaulting, validation and
//! allocation, as the API server's Service REST storage does.
//!
//! A request is defaulted, prepared (allocated values carried over, type-dependent
//! fields dropped), validated, then allocated as one transaction; a refused request
//! changes nothing. The registry owns the allocators and the simulated load-balancer
//! controller, not the Service objects: the caller stores what `create`/`update`
//! return and hands the stored object back for `update` and `delete`.
//!
//! Upstream: kubernetes/kubernetes@v1.31.0 `pkg/registry/core/service/storage/storage.go`
//! (`beginCreate`, `beginUpdate`, `afterDelete`), `strategy.go` (`PrepareForUpdate`,
//! `patchAllocatedValues`, `dropTypeDependentFields`), `alloc.go`.
//! Simplification: single-stack (one family); no resourceVersion, uid or finalizers.

use std::net::IpAddr;

use super::alloc::{
    Allocators, Txn, alloc_cluster_ip, alloc_health_check_port, alloc_node_ports, needs_cluster_ip,
    needs_node_ports,
};
use super::cluster_ip::{CidrError, ClusterIpAllocator, DEFAULT_SERVICE_CIDR};
use super::defaults::{needs_health_check, set_defaults};
use super::load_balancer::LoadBalancerController;
use super::node_port::{DEFAULT_NODE_PORT_RANGE, NodePortAllocator, PortRange};
use super::validate_ips::validate_cluster_ips_related;
use super::validate_service::{validate_service, validate_service_update};
use crate::objects::service::{IntOrString, ServicePort};
use crate::objects::{ObjectMeta, Service};
use crate::objects::{ServiceType, TrafficPolicy};
use crate::sim::SimRng;
use crate::validation::field::{ErrorList, aggregate_message};

/// How the API server and the cloud are configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryConfig {
    /// `--service-cluster-ip-range` (default kubeadm's 10.96.0.0/12).
    pub service_cidr: String,
    /// `--service-node-port-range` (default 30000-32767).
    pub node_port_range: PortRange,
    /// Addresses the simulated LB controller may hand out.
    pub load_balancer_pool: Vec<IpAddr>,
    /// The class the LB controller implements (`None`: the default implementation).
    pub load_balancer_class: Option<String>,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig {
            service_cidr: DEFAULT_SERVICE_CIDR.to_owned(),
            node_port_range: DEFAULT_NODE_PORT_RANGE,
            load_balancer_pool: (10..=19).map(|i| IpAddr::from([203, 0, 113, i])).collect(),
            load_balancer_class: None,
        }
    }
}

/// The allocators and the LB controller behind Service create/update/delete.
#[derive(Debug, Clone)]
pub struct ServiceRegistry {
    ips: ClusterIpAllocator,
    ports: NodePortAllocator,
    lb: LoadBalancerController,
    rng: SimRng,
    family: &'static str,
    kubernetes: Service,
}

/// `Service "<name>" is invalid: <errors>`, as `kubectl` prints a 422.
pub fn invalid_message(name: &str, errs: &ErrorList) -> String {
    format!("Service \"{name}\" is invalid: {}", aggregate_message(errs))
}

impl ServiceRegistry {
    /// A registry whose random choices come from `seed` (derive it from the world's
    /// stream). The `default/kubernetes` Service takes the range's first address.
    pub fn new(config: RegistryConfig, seed: u64) -> Result<Self, CidrError> {
        let mut ips = ClusterIpAllocator::new(&config.service_cidr)?;
        let first = ips.first_address();
        let family = if first.is_ipv4() { "IPv4" } else { "IPv6" };
        // A cluster needs its first Service address for `default/kubernetes`, and room
        // for a few more: smaller ranges are refused as a cluster setting.
        if ips.free() < 6 || ips.allocate(first).is_err() {
            return Err(CidrError::TooSmall(config.service_cidr.clone()));
        }
        let mut kubernetes = Service {
            metadata: ObjectMeta::named("default", "kubernetes"),
            ..Service::default()
        };
        kubernetes
            .metadata
            .labels
            .insert("component".into(), "apiserver".into());
        kubernetes
            .metadata
            .labels
            .insert("provider".into(), "kubernetes".into());
        kubernetes.spec.ports = vec![ServicePort {
            name: "https".into(),
            port: 443,
            target_port: IntOrString::Int(6443),
            ..ServicePort::default()
        }];
        kubernetes.spec.cluster_ip = first.to_string();
        set_defaults(&mut kubernetes);
        kubernetes.spec.ip_families = vec![family.to_owned()];
        kubernetes.spec.ip_family_policy = Some("SingleStack".into());
        Ok(ServiceRegistry {
            ips,
            ports: NodePortAllocator::new(config.node_port_range),
            lb: LoadBalancerController::new(config.load_balancer_class, config.load_balancer_pool),
            rng: SimRng::new(seed),
            family,
            kubernetes,
        })
    }

    /// The `default/kubernetes` Service (store it with the others).
    pub fn kubernetes_service(&self) -> &Service {
        &self.kubernetes
    }

    /// The ClusterIP allocator (read-only).
    pub fn cluster_ips(&self) -> &ClusterIpAllocator {
        &self.ips
    }

    /// The node-port allocator (read-only).
    pub fn node_ports(&self) -> &NodePortAllocator {
        &self.ports
    }

    /// The load-balancer controller (read-only).
    pub fn load_balancers(&self) -> &LoadBalancerController {
        &self.lb
    }

    fn allocators(&mut self) -> Allocators<'_> {
        Allocators {
            ips: &mut self.ips,
            ports: &mut self.ports,
            rng: &mut self.rng,
        }
    }

    /// Creates a Service: defaults, allocates, validates (allocation first, as upstream's
    /// `BeginCreate` runs before validation, so a required `healthCheckNodePort` is
    /// already there), and rolls back on any error. The result is what the API server
    /// would store (and what `kubectl get -o yaml` shows).
    pub fn create(&mut self, mut svc: Service) -> Result<Service, ErrorList> {
        set_defaults(&mut svc);
        svc.status = Default::default();
        let errs = validate_cluster_ips_related(&svc);
        if !errs.is_empty() {
            return Err(errs);
        }
        let family = self.family;
        let mut txn = Txn::default();
        let mut a = self.allocators();
        let mut errs = Vec::new();
        if needs_cluster_ip(&svc) {
            errs = alloc_cluster_ip(&mut svc, family, &mut a, &mut txn);
        }
        if errs.is_empty() && needs_node_ports(&svc) {
            errs = alloc_node_ports(&mut svc, None, &mut a, &mut txn);
        }
        if errs.is_empty() && needs_health_check(&svc) && svc.spec.health_check_node_port >= 0 {
            errs = alloc_health_check_port(&mut svc, &mut a, &mut txn);
        }
        if errs.is_empty() {
            errs = validate_service(&svc);
        }
        if !errs.is_empty() {
            txn.rollback(&mut a);
            return Err(errs);
        }
        txn.commit(&mut a);
        self.lb.sync(&mut svc);
        Ok(svc)
    }

    /// Updates `old` (as stored) to `new`. Allocated values the request leaves out are
    /// carried over; moving between types allocates or releases each layer; then
    /// `ValidateServiceUpdate` runs. A refused update allocates and releases nothing.
    pub fn update(&mut self, old: &Service, mut new: Service) -> Result<Service, ErrorList> {
        set_defaults(&mut new);
        new.status = old.status.clone();
        patch_allocated_values(old, &mut new);
        drop_type_dependent_fields(old, &mut new);
        let family = self.family;
        let mut txn = Txn::default();
        let mut a = self.allocators();
        let mut errs = Vec::new();
        let old_ip = needs_cluster_ip(old) && !old.spec.is_headless();
        if needs_cluster_ip(&new) && !needs_cluster_ip(old) {
            errs = alloc_cluster_ip(&mut new, family, &mut a, &mut txn);
        } else if !needs_cluster_ip(&new) && old_ip {
            txn.release_ip_later(&old.spec.cluster_ip);
        }
        if errs.is_empty() {
            if needs_node_ports(&new) {
                let prev = needs_node_ports(old).then_some(old);
                errs = alloc_node_ports(&mut new, prev, &mut a, &mut txn);
            } else if needs_node_ports(old) {
                old.spec
                    .ports
                    .iter()
                    .for_each(|p| txn.release_port_later(p.node_port));
            }
        }
        if errs.is_empty() {
            match (needs_health_check(old), needs_health_check(&new)) {
                (false, true) if new.spec.health_check_node_port >= 0 => {
                    errs = alloc_health_check_port(&mut new, &mut a, &mut txn);
                }
                (true, false) => txn.release_port_later(old.spec.health_check_node_port),
                _ => {}
            }
        }
        if errs.is_empty() {
            errs = validate_service_update(&new, old);
        }
        if !errs.is_empty() {
            txn.rollback(&mut a);
            return Err(errs);
        }
        txn.commit(&mut a);
        self.lb.sync(&mut new);
        Ok(new)
    }

    /// Releases everything `svc` (as stored) holds.
    pub fn delete(&mut self, svc: &Service) {
        if needs_cluster_ip(svc)
            && let Ok(ip) = svc.spec.cluster_ip.parse()
        {
            self.ips.release(ip);
        }
        for p in &svc.spec.ports {
            if p.node_port != 0 {
                self.ports.release(p.node_port);
            }
        }
        if needs_health_check(svc) {
            self.ports.release(svc.spec.health_check_node_port);
        }
        self.lb.release(svc);
    }

    /// Adds addresses to the LB controller's pool; pending Services get one when they
    /// are re-synced with [`ServiceRegistry::sync_load_balancer`].
    pub fn add_load_balancer_addresses(&mut self, ips: impl IntoIterator<Item = IpAddr>) {
        self.lb.add_to_pool(ips);
    }

    /// Re-runs the LB controller on a stored Service (e.g. after the pool grew).
    pub fn sync_load_balancer(&mut self, svc: &mut Service) -> super::load_balancer::LbSync {
        self.lb.sync(svc)
    }
}

/// `patchAllocatedValues`: values the user left out of a PUT are kept.
fn patch_allocated_values(old: &Service, new: &mut Service) {
    if needs_cluster_ip(old) && needs_cluster_ip(new) {
        if new.spec.cluster_ip.is_empty() {
            new.spec.cluster_ip = old.spec.cluster_ip.clone();
        }
        if new.spec.cluster_ips.is_empty() {
            new.spec.cluster_ips = old.spec.cluster_ips.clone();
        }
        if new.spec.ip_families.is_empty() {
            new.spec.ip_families = old.spec.ip_families.clone();
        }
        if new.spec.ip_family_policy.is_none() {
            new.spec.ip_family_policy = old.spec.ip_family_policy.clone();
        }
    }
    if needs_node_ports(old) && needs_node_ports(new) {
        let used_new: Vec<i32> = new
            .spec
            .ports
            .iter()
            .map(|p| p.node_port)
            .filter(|p| *p != 0)
            .collect();
        for p in new.spec.ports.iter_mut().filter(|p| p.node_port == 0) {
            let by_name = old
                .spec
                .ports
                .iter()
                .find(|o| o.name == p.name)
                .map_or(0, |o| o.node_port);
            if !used_new.contains(&by_name) {
                p.node_port = by_name;
            }
        }
    }
    if needs_health_check(old) && needs_health_check(new) && new.spec.health_check_node_port == 0 {
        new.spec.health_check_node_port = old.spec.health_check_node_port;
    }
}

/// `dropTypeDependentFields`: fields that no longer apply after a type change are
/// wiped, but only when the user did not change them.
fn drop_type_dependent_fields(old: &Service, new: &mut Service) {
    if needs_cluster_ip(old) && !needs_cluster_ip(new) {
        if new.spec.cluster_ip == old.spec.cluster_ip
            && new.spec.cluster_ips == old.spec.cluster_ips
        {
            new.spec.cluster_ip.clear();
            new.spec.cluster_ips.clear();
        }
        if new.spec.ip_families == old.spec.ip_families {
            new.spec.ip_families.clear();
        }
        if new.spec.ip_family_policy == old.spec.ip_family_policy {
            new.spec.ip_family_policy = None;
        }
    }
    if needs_node_ports(old) && !needs_node_ports(new) {
        let same = new.spec.ports.len() == old.spec.ports.len()
            && new
                .spec
                .ports
                .iter()
                .zip(&old.spec.ports)
                .all(|(a, b)| a.node_port == b.node_port);
        if same {
            new.spec.ports.iter_mut().for_each(|p| p.node_port = 0);
        }
    }
    if needs_health_check(old)
        && !needs_health_check(new)
        && new.spec.health_check_node_port == old.spec.health_check_node_port
    {
        new.spec.health_check_node_port = 0;
    }
    let (was_lb, is_lb) = (
        old.spec.type_ == ServiceType::LoadBalancer,
        new.spec.type_ == ServiceType::LoadBalancer,
    );
    if was_lb && !is_lb {
        if new.spec.allocate_load_balancer_node_ports.is_some()
            && new.spec.allocate_load_balancer_node_ports
                == old.spec.allocate_load_balancer_node_ports
        {
            new.spec.allocate_load_balancer_node_ports = None;
        }
        if new.spec.load_balancer_class.is_some()
            && new.spec.load_balancer_class == old.spec.load_balancer_class
        {
            new.spec.load_balancer_class = None;
        }
    }
    let ext = super::defaults::externally_accessible;
    if ext(old) && !ext(new) && new.spec.external_traffic_policy == old.spec.external_traffic_policy
    {
        new.spec.external_traffic_policy = TrafficPolicy::Unset;
    }
}

/// The DNS answer for an ExternalName Service: a CNAME, no IPs, no endpoints.
/// `None` for other types.
pub fn external_name_record(svc: &Service, cluster_domain: &str) -> Option<String> {
    (svc.spec.type_ == ServiceType::ExternalName).then(|| {
        let target = svc.spec.external_name.trim_end_matches('.');
        format!(
            "{}.{}.svc.{cluster_domain}. CNAME {target}.",
            svc.metadata.name, svc.metadata.namespace
        )
    })
}
