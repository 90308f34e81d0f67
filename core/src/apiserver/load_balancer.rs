//! A simulated cloud load-balancer controller: it hands out external IPs from a pool
//! and writes them to `status.loadBalancer.ingress` (ipMode `VIP`).
//!
//! It handles only Services of type LoadBalancer whose `loadBalancerClass` is its own
//! class (the default implementation has no class and must ignore Services that set
//! one, per `api/core/v1/types.go` `LoadBalancerClass`). With an empty pool a Service
//! stays pending, as `kubectl get svc` shows `<pending>`. Addresses are handed out in
//! pool order (the lowest free first), as MetalLB does.
//! Simplification: assignment is immediate on create/update; a real controller acts
//! asynchronously and may set `hostname` or `ports` as well.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::objects::Service;
use crate::objects::ServiceType;
use crate::objects::service::LoadBalancerIngress;

/// What [`LoadBalancerController::sync`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbSync {
    /// The Service has (or kept) this address.
    Assigned(IpAddr),
    /// The Service is ours but the pool is empty: `<pending>`.
    Pending,
    /// Not type LoadBalancer, or another class: nothing to do (any address we held was
    /// released and our status cleared).
    Ignored,
}

/// The controller and its address pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancerController {
    class: Option<String>,
    pool: Vec<IpAddr>,
    /// `namespace/name` → address.
    assigned: BTreeMap<String, IpAddr>,
}

fn key(svc: &Service) -> String {
    format!("{}/{}", svc.metadata.namespace, svc.metadata.name)
}

impl LoadBalancerController {
    /// A controller for `class` (`None`: the default implementation) with a pool.
    pub fn new(class: Option<String>, pool: Vec<IpAddr>) -> Self {
        let mut pool = pool;
        crate::sort::sort(&mut pool);
        pool.dedup();
        LoadBalancerController {
            class,
            pool,
            assigned: BTreeMap::new(),
        }
    }

    /// The class this controller implements.
    pub fn class(&self) -> Option<&str> {
        self.class.as_deref()
    }

    /// How many pool addresses are free.
    pub fn free(&self) -> usize {
        self.pool.len() - self.assigned.len()
    }

    /// Whether this controller handles `svc`.
    pub fn owns(&self, svc: &Service) -> bool {
        svc.spec.type_ == ServiceType::LoadBalancer && svc.spec.load_balancer_class == self.class
    }

    /// Brings `svc.status.loadBalancer` in line: assigns an address to an owned Service,
    /// releases one that is no longer owned.
    pub fn sync(&mut self, svc: &mut Service) -> LbSync {
        let k = key(svc);
        if !self.owns(svc) {
            if let Some(ip) = self.assigned.remove(&k) {
                svc.status
                    .load_balancer
                    .ingress
                    .retain(|i| i.ip != ip.to_string());
            }
            return LbSync::Ignored;
        }
        let ip = match self.assigned.get(&k) {
            Some(ip) => *ip,
            None => {
                let taken: std::collections::BTreeSet<&IpAddr> = self.assigned.values().collect();
                let Some(ip) = self.pool.iter().find(|ip| !taken.contains(ip)).copied() else {
                    svc.status.load_balancer.ingress.clear();
                    return LbSync::Pending;
                };
                self.assigned.insert(k, ip);
                ip
            }
        };
        svc.status.load_balancer.ingress = vec![LoadBalancerIngress {
            ip: ip.to_string(),
            hostname: String::new(),
            ip_mode: Some("VIP".into()),
        }];
        LbSync::Assigned(ip)
    }

    /// Frees the address of a deleted Service.
    pub fn release(&mut self, svc: &Service) {
        self.assigned.remove(&key(svc));
    }

    /// Retries every pending Service after the pool grew (call with all Services).
    pub fn add_to_pool(&mut self, ips: impl IntoIterator<Item = IpAddr>) {
        self.pool.extend(ips);
        crate::sort::sort(&mut self.pool);
        self.pool.dedup();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::objects::ObjectMeta;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn lb(name: &str, class: Option<&str>) -> Service {
        let mut s = Service {
            metadata: ObjectMeta::named("default", name),
            ..Service::default()
        };
        s.spec.type_ = ServiceType::LoadBalancer;
        s.spec.load_balancer_class = class.map(str::to_owned);
        s
    }

    #[test]
    fn assigns_in_pool_order_then_pends_and_ignores_foreign_classes() {
        let pool = vec![
            "203.0.113.11".parse().unwrap(),
            "203.0.113.10".parse().unwrap(),
        ];
        let mut c = LoadBalancerController::new(None, pool);
        let (mut a, mut b, mut x) = (lb("a", None), lb("b", None), lb("x", None));
        assert_eq!(
            c.sync(&mut a),
            LbSync::Assigned("203.0.113.10".parse().unwrap())
        );
        assert_eq!(
            a.status.load_balancer.ingress[0].ip_mode.as_deref(),
            Some("VIP")
        );
        assert_eq!(
            c.sync(&mut b),
            LbSync::Assigned("203.0.113.11".parse().unwrap())
        );
        assert_eq!(c.sync(&mut x), LbSync::Pending);
        assert!(x.status.load_balancer.ingress.is_empty());
        let mut other = lb("o", Some("example.com/metal"));
        assert_eq!(c.sync(&mut other), LbSync::Ignored);
        // `a` becomes a ClusterIP: its address returns to the pool and `x` gets it.
        a.spec.type_ = ServiceType::ClusterIp;
        assert_eq!(c.sync(&mut a), LbSync::Ignored);
        assert!(a.status.load_balancer.ingress.is_empty());
        assert_eq!(
            c.sync(&mut x),
            LbSync::Assigned("203.0.113.10".parse().unwrap())
        );
        assert_eq!(c.free(), 0);
    }
}
