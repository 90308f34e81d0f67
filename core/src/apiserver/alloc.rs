//! Allocation of a Service's ClusterIP, node ports and health-check port as one
//! transaction: on any error everything taken is given back and nothing is released.
//!
//! Upstream: kubernetes/kubernetes@b0d609f0 `pkg/registry/core/service/storage/alloc.go`
//! (`initIPFamilyFields`, `allocClusterIPs`, `initNodePorts`, `updateNodePorts`,
//! `allocHealthCheckNodePort`, `txnUpdateNodePorts`).

use std::net::IpAddr;

use super::cluster_ip::ClusterIpAllocator;
use super::node_port::NodePortAllocator;
use crate::objects::Service;
use crate::objects::ServiceType;
use crate::sim::SimRng;
use crate::validation::field::{Error, ErrorList, Path};

/// What one create or update took and will give back.
#[derive(Debug, Default)]
pub(crate) struct Txn {
    ips_taken: Vec<IpAddr>,
    ports_taken: Vec<i32>,
    ips_release: Vec<IpAddr>,
    ports_release: Vec<i32>,
}

/// The allocators a transaction works on.
pub(crate) struct Allocators<'a> {
    pub(crate) ips: &'a mut ClusterIpAllocator,
    pub(crate) ports: &'a mut NodePortAllocator,
    pub(crate) rng: &'a mut SimRng,
}

impl Txn {
    /// Gives back everything taken (the operation failed).
    pub(crate) fn rollback(self, a: &mut Allocators<'_>) {
        for ip in self.ips_taken {
            a.ips.release(ip);
        }
        for p in self.ports_taken {
            a.ports.release(p);
        }
    }

    /// Performs the deferred releases (the operation succeeded).
    pub(crate) fn commit(self, a: &mut Allocators<'_>) {
        for ip in self.ips_release {
            a.ips.release(ip);
        }
        for p in self.ports_release {
            a.ports.release(p);
        }
    }

    pub(crate) fn release_ip_later(&mut self, ip: &str) {
        if let Ok(ip) = ip.parse() {
            self.ips_release.push(ip);
        }
    }

    pub(crate) fn release_port_later(&mut self, port: i32) {
        if port != 0 {
            self.ports_release.push(port);
        }
    }
}

fn spec() -> Path {
    Path::new("spec")
}

/// Type NodePort or LoadBalancer.
pub(crate) fn needs_node_ports(svc: &Service) -> bool {
    svc.spec.type_.has_node_ports()
}

/// Any type but ExternalName (headless included: it holds the value `None`).
pub(crate) fn needs_cluster_ip(svc: &Service) -> bool {
    svc.spec.type_ != ServiceType::ExternalName
}

/// `shouldAllocateNodePorts`: NodePort always, LoadBalancer unless
/// `allocateLoadBalancerNodePorts: false`.
fn should_allocate_node_ports(svc: &Service) -> bool {
    match svc.spec.type_ {
        ServiceType::NodePort => true,
        ServiceType::LoadBalancer => svc.spec.allocate_load_balancer_node_ports != Some(false),
        _ => false,
    }
}

/// `initIPFamilyFields` for a single-stack cluster of `family`, then the ClusterIP.
pub(crate) fn alloc_cluster_ip(
    svc: &mut Service,
    family: &str,
    a: &mut Allocators<'_>,
    txn: &mut Txn,
) -> ErrorList {
    let s = &mut svc.spec;
    let headless_no_selector = s.cluster_ip == "None" && s.effective_selector().is_none();
    if s.ip_family_policy.is_none() {
        s.ip_family_policy = Some(
            if headless_no_selector {
                "RequireDualStack"
            } else {
                "SingleStack"
            }
            .to_owned(),
        );
    }
    if s.ip_family_policy.as_deref() == Some("RequireDualStack") && !headless_no_selector {
        let msg = "this cluster is not configured for dual-stack services";
        return vec![Error::invalid(
            &spec().child("ipFamilyPolicy"),
            "RequireDualStack",
            msg,
        )];
    }
    for (i, f) in s.ip_families.iter().enumerate() {
        if f != family {
            return vec![Error::invalid(
                &spec().child("ipFamilies").index(i),
                f.as_str(),
                "not configured on this cluster",
            )];
        }
    }
    if s.ip_families.is_empty() {
        s.ip_families = vec![family.to_owned()];
    }
    if s.cluster_ip == "None" {
        s.cluster_ips = vec!["None".to_owned()];
        return Vec::new();
    }
    let ip = if s.cluster_ip.is_empty() {
        match a.ips.allocate_next(a.rng) {
            Ok(ip) => ip,
            Err(e) => {
                return vec![Error::internal(
                    &spec().child("clusterIPs"),
                    format!("failed to allocate a serviceIP: {e}"),
                )];
            }
        }
    } else {
        let requested = s.cluster_ip.clone();
        let fail = |msg: String| {
            let path = spec().child("clusterIPs");
            vec![Error::invalid(
                &path,
                vec![requested.clone()],
                format!("failed to allocate IP {requested}: {msg}"),
            )]
        };
        let Ok(ip) = requested.parse::<IpAddr>() else {
            return fail("not an IP address".into());
        };
        if let Err(e) = a.ips.allocate(ip) {
            return fail(e.to_string());
        }
        ip
    };
    txn.ips_taken.push(ip);
    s.cluster_ip = ip.to_string();
    s.cluster_ips = vec![ip.to_string()];
    Vec::new()
}

fn port_error(i: usize, port: i32, e: &super::node_port::PortAllocError) -> ErrorList {
    vec![Error::invalid(
        &spec().child("ports").index(i).child("nodePort"),
        port,
        e.to_string(),
    )]
}

/// `initNodePorts` (`old` = None) and `updateNodePorts` (`old` = the stored Service):
/// requested ports are taken as given, missing ones allocated; ports of one Service
/// with the same port number share one node port; old ports no longer used are
/// released at commit.
pub(crate) fn alloc_node_ports(
    svc: &mut Service,
    old: Option<&Service>,
    a: &mut Allocators<'_>,
    txn: &mut Txn,
) -> ErrorList {
    let allocate_missing = should_allocate_node_ports(svc);
    let old_ports: Vec<i32> = old
        .map(|o| {
            o.spec
                .ports
                .iter()
                .map(|p| p.node_port)
                .filter(|p| *p != 0)
                .collect()
        })
        .unwrap_or_default();
    let mut by_number: Vec<(i32, i32)> = Vec::new(); // (service port, node port)
    let requested: Vec<(i32, i32)> = svc
        .spec
        .ports
        .iter()
        .map(|p| (p.port, p.node_port))
        .collect();
    for i in 0..svc.spec.ports.len() {
        let Some(p) = svc.spec.ports.get(i) else {
            continue;
        };
        let (number, asked) = (p.port, p.node_port);
        if asked == 0 && !allocate_missing {
            continue;
        }
        let shared = by_number
            .iter()
            .find(|(n, _)| *n == number)
            .map(|(_, np)| *np);
        let want = match (asked, shared) {
            (0, Some(np)) => np,
            (0, None) => requested
                .iter()
                .skip(i)
                .find(|(n, np)| *n == number && *np != 0)
                .map_or(0, |(_, np)| *np),
            (np, _) => np,
        };
        let already_ours = old_ports.contains(&want) || txn.ports_taken.contains(&want);
        let got = if want != 0 && already_ours {
            want
        } else if want != 0 {
            if let Err(e) = a.ports.allocate(want) {
                return port_error(i, want, &e);
            }
            txn.ports_taken.push(want);
            want
        } else {
            match a.ports.allocate_next(a.rng) {
                Ok(np) => {
                    txn.ports_taken.push(np);
                    np
                }
                Err(e) => {
                    let path = spec().child("ports").index(i).child("nodePort");
                    return vec![Error::internal(
                        &path,
                        format!("failed to allocate a nodePort: {e}"),
                    )];
                }
            }
        };
        if shared.is_none() {
            by_number.push((number, got));
        }
        if let Some(p) = svc.spec.ports.get_mut(i) {
            p.node_port = got;
        }
    }
    let now: Vec<i32> = svc.spec.ports.iter().map(|p| p.node_port).collect();
    for p in old_ports {
        if !now.contains(&p) {
            txn.release_port_later(p);
        }
    }
    Vec::new()
}

/// `allocHealthCheckNodePort`: a requested port is taken as given, else one is allocated.
pub(crate) fn alloc_health_check_port(
    svc: &mut Service,
    a: &mut Allocators<'_>,
    txn: &mut Txn,
) -> ErrorList {
    let path = spec().child("healthCheckNodePort");
    let asked = svc.spec.health_check_node_port;
    if asked != 0 {
        if let Err(e) = a.ports.allocate(asked) {
            let msg = format!("failed to allocate requested HealthCheck NodePort {asked}: {e}");
            return vec![Error::invalid(&path, asked, msg)];
        }
        txn.ports_taken.push(asked);
        return Vec::new();
    }
    match a.ports.allocate_next(a.rng) {
        Ok(p) => {
            txn.ports_taken.push(p);
            svc.spec.health_check_node_port = p;
            Vec::new()
        }
        Err(e) => vec![Error::internal(
            &path,
            format!("failed to allocate a nodePort: {e}"),
        )],
    }
}
