//! Causes 7, 8 and 9, and the client IP a LoadBalancer hides: how a Service is reached
//! from outside the cluster.
//!
//! - `externalTrafficPolicy: Local`: a node without a ready local endpoint drops
//!   external traffic for the Service; a LoadBalancer's health check on
//!   `healthCheckNodePort` tells the load balancer which nodes have one.
//!   Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//!   `pkg/proxy/topology.go` `CategorizeEndpoints`, `pkg/proxy/healthcheck/service_health.go`.
//! - A node port answers on every node kube-proxy runs on, within
//!   `--service-node-port-range`. Simplification: a node that is not Ready is counted as
//!   not answering (its kube-proxy may still run); cloud firewalls and security groups
//!   are outside the model.
//! - A LoadBalancer gets `status.loadBalancer.ingress` only from a controller for its
//!   class: see [`super::settings`].
//! - With `externalTrafficPolicy: Cluster` traffic may hop to another node and is
//!   SNATed there: the pod sees a node's address. Upstream: kubernetes/kubernetes@1c9cf914,
//!   `pkg/proxy/iptables/proxier.go` (`KUBE-MARK-MASQ` for external traffic).

use std::collections::BTreeSet;

use super::cluster::{Cluster, Source};
use super::finding::{
    Finding, LB_CLIENT_IP_HIDDEN, LOAD_BALANCER_PENDING, LOCAL_POLICY_DROPS, NODE_PORT_UNREACHABLE,
    ObjectRef, Severity,
};
use super::settings::LbProvider;
use crate::objects::{Service, ServiceType};

const FIREWALL: &str =
    "cloud firewalls and security groups in front of the nodes are outside what svcplay can check";

fn ready_nodes(c: &Cluster) -> Vec<&str> {
    c.nodes
        .values()
        .filter(|n| n.status.ready)
        .map(|n| n.metadata.name.as_str())
        .collect()
}

/// Causes 7, 8, 9 and the hidden client IP, for one Service.
pub fn check(c: &Cluster, svc: &Service, out: &mut Vec<Finding>) {
    let ty = svc.spec.effective_type();
    if !ty.has_node_ports() {
        return;
    }
    let ns = &svc.metadata.namespace;
    let name = &svc.metadata.name;
    let obj = ObjectRef::new("Service", ns, name);
    let node_ports: Vec<String> = svc
        .spec
        .ports
        .iter()
        .filter(|p| p.node_port != 0)
        .map(|p| p.node_port.to_string())
        .collect();
    let ports_text = if node_ports.is_empty() {
        "its node port".to_owned()
    } else {
        format!("node port {}", node_ports.join(", "))
    };
    let ready = ready_nodes(c);
    // Cause 8.
    let range = c.settings.node_port_range;
    for (i, p) in svc.spec.ports.iter().enumerate() {
        let np = u32::try_from(p.node_port).unwrap_or(0);
        let field = format!("spec.ports[{i}].nodePort");
        if np == 0
            && c.source == Source::Live
            && svc.spec.allocate_load_balancer_node_ports != Some(false)
        {
            out.push(
                Finding::new(NODE_PORT_UNREACHABLE, Severity::Error, obj.clone(), &field)
                    .message(format!("port {} of {ty} Service {name} has no node port allocated, so no node answers for it", p.port))
                    .fix(format!("recreate the Service or let the API server allocate spec.ports[{i}].nodePort; {FIREWALL}")),
            );
        } else if np != 0 && (np < u32::from(range.base) || np > range.last()) {
            out.push(
                Finding::new(NODE_PORT_UNREACHABLE, Severity::Error, obj.clone(), &field)
                    .message(format!(
                        "nodePort {np} is outside the cluster's node-port range {}-{}, so no node answers on it",
                        range.base,
                        range.last()
                    ))
                    .fix(format!("pick a node port in {}-{} or leave it out to get one; {FIREWALL}", range.base, range.last())),
            );
        }
    }
    let not_ready: Vec<&str> = c
        .nodes
        .values()
        .filter(|n| !n.status.ready)
        .map(|n| n.metadata.name.as_str())
        .collect();
    if !ready.is_empty() && !not_ready.is_empty() && !node_ports.is_empty() {
        out.push(
            Finding::new(NODE_PORT_UNREACHABLE, Severity::Warning, obj.clone(), "spec.ports")
                .message(format!(
                    "node(s) {} are not Ready, so clients sent there may get no answer on {ports_text} (answering: {})",
                    not_ready.join(", "),
                    ready.join(", ")
                ))
                .fix(format!("send clients to a Ready node, or bring the others back (kubectl describe node); {FIREWALL}")),
        );
    }
    if !c.nodes.is_empty() && ready.is_empty() && !node_ports.is_empty() {
        out.push(
            Finding::new(
                NODE_PORT_UNREACHABLE,
                Severity::Error,
                obj.clone(),
                "spec.ports",
            )
            .message(format!(
                "no node is Ready, so no node answers on {ports_text}"
            ))
            .fix(format!(
                "bring the nodes back (kubectl get nodes); {FIREWALL}"
            )),
        );
    }
    // Cause 7.
    let mut with_endpoint: BTreeSet<&str> = BTreeSet::new();
    let mut any = false;
    for s in c.slices_of(svc) {
        for e in s.endpoints.iter().filter(|e| e.conditions.ready) {
            any = true;
            if let Some(n) = &e.node_name {
                with_endpoint.insert(n.as_str());
            }
        }
    }
    if svc.spec.external_local() && any {
        let dropping: Vec<&str> = ready
            .iter()
            .copied()
            .filter(|n| !with_endpoint.contains(n))
            .collect();
        if !dropping.is_empty() {
            let answering: Vec<&str> = with_endpoint.iter().copied().collect();
            let hc = if ty == ServiceType::LoadBalancer && svc.spec.health_check_node_port != 0 {
                format!(
                    "; the load balancer's health check on healthCheckNodePort {} finds them unhealthy and should skip them",
                    svc.spec.health_check_node_port
                )
            } else {
                String::new()
            };
            out.push(
                Finding::new(LOCAL_POLICY_DROPS, Severity::Warning, obj.clone(), "spec.externalTrafficPolicy")
                    .message(format!(
                        "externalTrafficPolicy: Local: node(s) {} have no ready endpoint of {name} and drop traffic sent to {ports_text} (answering: {}){hc}",
                        dropping.join(", "),
                        if answering.is_empty() { "none".to_owned() } else { answering.join(", ") }
                    ))
                    .fix("send external traffic only to nodes running a pod (a load balancer does so through its health check), run a pod on every node, or set externalTrafficPolicy: Cluster (which hides the client IP)"),
            );
        }
    }
    if ty != ServiceType::LoadBalancer {
        return;
    }
    // Cause 9.
    let ingress = &svc.status.load_balancer.ingress;
    let pending = ingress
        .iter()
        .all(|i| i.ip.is_empty() && i.hostname.is_empty());
    if pending {
        let provider = c.settings.lb_provider;
        let why = match (&svc.spec.load_balancer_class, provider) {
            (Some(class), _) => format!("loadBalancerClass {class}: only a controller for that class assigns an address, and none has"),
            (None, Some(LbProvider::None)) => "the cluster has no load-balancer provider (bare metal without MetalLB), so nothing assigns an external address".to_owned(),
            (None, Some(LbProvider::MetalLb)) if c.raw.pools.is_empty() => "MetalLB is the provider but no IPAddressPool exists, so it has no address to assign".to_owned(),
            (None, Some(LbProvider::MetalLb)) => {
                let pools: Vec<&str> = c.raw.pools.iter().map(|p| p.name.as_str()).collect();
                format!("MetalLB's IPAddressPool(s) {} have no free auto-assign address left", pools.join(", "))
            }
            (None, Some(LbProvider::Cloud)) => "the cloud provider's address pool is exhausted".to_owned(),
            (None, None) => "no load-balancer controller has written status.loadBalancer.ingress: a bare-metal cluster needs a provider such as MetalLB".to_owned(),
        };
        out.push(
            Finding::new(LOAD_BALANCER_PENDING, Severity::Error, obj, "status.loadBalancer.ingress")
                .message(format!("LoadBalancer {name} is stuck at <pending>: {why}"))
                .fix("install a load-balancer provider (MetalLB with an IPAddressPool on bare metal), free an address, or use type NodePort meanwhile"),
        );
        return;
    }
    if !svc.spec.external_local() {
        out.push(
            Finding::new(LB_CLIENT_IP_HIDDEN, Severity::Note, obj, "spec.externalTrafficPolicy")
                .message(format!(
                    "externalTrafficPolicy: Cluster: traffic from the load balancer may hop to another node and is SNATed there, so {name}'s pods see a node's address, not the client's"
                ))
                .fix("set externalTrafficPolicy: Local if the app needs the client IP (traffic then goes only to nodes with a pod)"),
        );
    }
}
