//! `ValidateService` and `ValidateServiceUpdate`: the API server's checks on a Service,
//! returning field errors in Kubernetes' own words.
//!
//! Upstream: kubernetes/kubernetes@000f2605 `pkg/apis/core/validation/validation.go`
//! `ValidateService`, `validateServicePort`, `validateServiceExternalTrafficPolicy`,
//! `validateServiceExternalTrafficFieldsUpdate`, `validateServiceInternalTrafficFieldsValue`,
//! `validateServiceTrafficDistribution`, `validateClientIPAffinityConfig`,
//! `validateLoadBalancerClassField`, `ValidateServiceUpdate`; `ValidateObjectMeta` in
//! apimachinery `pkg/api/validation/objectmeta.go` (name, namespace, generateName,
//! labels, annotations).
//! Simplification: object-meta checks cover name, generateName, namespace, labels and
//! annotation keys (not owner references, finalizers or the 256 KiB annotation limit);
//! `trafficDistribution` accepts PreferClose, PreferSameZone and PreferSameNode (the
//! `PreferSameTrafficDistribution` gate on).

use std::collections::BTreeSet;

use super::defaults::{externally_accessible, needs_health_check};
use super::validate_ips::{
    check_endpoint_ip, check_ip, is_headless, validate_cluster_ips_related, validate_source_ranges,
    validate_upgrade_downgrade_cluster_ips, validate_upgrade_downgrade_ip_families,
};
use super::validate_meta::validate_object_meta;
use crate::labels::validate_labels;
use crate::objects::Service;
use crate::objects::service::{IntOrString, ServicePort};
use crate::objects::{Protocol, ServiceType, SessionAffinity, TrafficPolicy};
use crate::validation::content::{
    is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_port_name,
    is_valid_port_num,
};
use crate::validation::field::{Error, ErrorList, Path};

/// The largest ClientIP affinity timeout (`MaxClientIPServiceAffinitySeconds`).
pub const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86400;
/// `service.kubernetes.io/topology-mode`.
pub const ANNOTATION_TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
/// `service.kubernetes.io/topology-aware-hints` (deprecated).
pub const ANNOTATION_TOPOLOGY_HINTS: &str = "service.kubernetes.io/topology-aware-hints";

const DISTRIBUTIONS: [&str; 3] = ["PreferClose", "PreferSameZone", "PreferSameNode"];

fn spec() -> Path {
    Path::new("spec")
}

/// `ValidateService` for a create (`ValidateServiceCreate`).
pub fn validate_service(svc: &Service) -> ErrorList {
    validate(svc, None)
}

fn validate(svc: &Service, old: Option<&Service>) -> ErrorList {
    let s = &svc.spec;
    let mut errs = validate_object_meta(svc, old.is_none());
    let ann = &svc.metadata.annotations;
    if let (Some(mode), Some(hints)) = (
        ann.get(ANNOTATION_TOPOLOGY_MODE),
        ann.get(ANNOTATION_TOPOLOGY_HINTS),
    ) && mode != hints
    {
        let path = Path::new("metadata")
            .child("annotations")
            .key(ANNOTATION_TOPOLOGY_MODE);
        let msg =
            format!("must match annotations[{ANNOTATION_TOPOLOGY_HINTS}] when both are specified");
        errs.push(Error::invalid(&path, mode.as_str(), msg));
    }
    let headless = is_headless(svc);
    if s.ports.is_empty() && !headless && s.type_ != ServiceType::ExternalName {
        errs.push(Error::required(&spec().child("ports"), ""));
    }
    let ip0 = spec().child("clusterIPs").index(0);
    match s.type_.as_str() {
        "LoadBalancer" if headless => {
            errs.push(Error::invalid(
                &ip0,
                "None",
                "may not be set to 'None' for LoadBalancer services",
            ));
        }
        "NodePort" if headless => {
            errs.push(Error::invalid(
                &ip0,
                "None",
                "may not be set to 'None' for NodePort services",
            ));
        }
        "ExternalName" => {
            let forbid = |f: &str| {
                Error::forbidden(&spec().child(f), "may not be set for ExternalName services")
            };
            if !s.cluster_ips.is_empty() {
                errs.push(forbid("clusterIPs"));
            }
            if !s.ip_families.is_empty() {
                errs.push(forbid("ipFamilies"));
            }
            if s.ip_family_policy.is_some() {
                errs.push(forbid("ipFamilyPolicy"));
            }
            let cname = s
                .external_name
                .strip_suffix('.')
                .unwrap_or(&s.external_name);
            if cname.is_empty() {
                errs.push(Error::required(&spec().child("externalName"), ""));
            } else {
                for m in is_dns1123_subdomain(cname) {
                    errs.push(Error::invalid(&spec().child("externalName"), cname, m));
                }
            }
        }
        _ => {}
    }
    let mut names = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        errs.extend(validate_port(
            p,
            s.ports.len() > 1,
            &mut names,
            &spec().child("ports").index(i),
        ));
    }
    if let Some(sel) = &s.selector {
        errs.extend(validate_labels(sel, &spec().child("selector")));
    }
    if s.session_affinity.is_unset() {
        errs.push(Error::required(&spec().child("sessionAffinity"), ""));
    } else if !s.session_affinity.is_known() {
        errs.push(Error::not_supported(
            &spec().child("sessionAffinity"),
            s.session_affinity.as_str(),
            SessionAffinity::SUPPORTED,
        ));
    }
    errs.extend(validate_affinity_config(svc));
    errs.extend(validate_cluster_ips_related(svc));
    for (i, ip) in s.external_ips.iter().enumerate() {
        let path = spec().child("externalIPs").index(i);
        let bad = check_ip(&path, ip);
        if bad.is_empty() {
            errs.extend(check_endpoint_ip(&path, ip));
        } else {
            errs.extend(bad);
        }
    }
    if s.type_.is_unset() {
        errs.push(Error::required(&spec().child("type"), ""));
    } else if !s.type_.is_known() {
        errs.push(Error::not_supported(
            &spec().child("type"),
            s.type_.as_str(),
            ServiceType::SUPPORTED,
        ));
    }
    errs.extend(validate_node_ports_and_duplicates(svc));
    errs.extend(validate_source_ranges(svc, old));
    let lb = s.type_ == ServiceType::LoadBalancer;
    if s.allocate_load_balancer_node_ports.is_some() && !lb {
        let path = spec().child("allocateLoadBalancerNodePorts");
        errs.push(Error::forbidden(
            &path,
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if lb && s.allocate_load_balancer_node_ports.is_none() {
        // Upstream's path really is the bare `allocateLoadBalancerNodePorts`.
        errs.push(Error::required(
            &Path::new("allocateLoadBalancerNodePorts"),
            "",
        ));
    }
    errs.extend(validate_load_balancer_class(None, svc));
    errs.extend(validate_external_traffic_policy(svc));
    errs.extend(validate_internal_traffic_policy(svc));
    if let Some(td) = &s.traffic_distribution
        && !DISTRIBUTIONS.contains(&td.as_str())
    {
        errs.push(Error::not_supported(
            &spec().child("trafficDistribution"),
            td.as_str(),
            &DISTRIBUTIONS,
        ));
    }
    errs
}

fn validate_port(
    p: &ServicePort,
    require_name: bool,
    names: &mut BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    if require_name && p.name.is_empty() {
        errs.push(Error::required(&path.child("name"), ""));
    } else if !p.name.is_empty() {
        for m in is_dns1123_label(&p.name) {
            errs.push(Error::invalid(&path.child("name"), p.name.as_str(), m));
        }
        if !names.insert(p.name.clone()) {
            errs.push(Error::duplicate(&path.child("name"), p.name.as_str()));
        }
    }
    for m in is_valid_port_num(i64::from(p.port)) {
        errs.push(Error::invalid(&path.child("port"), p.port, m));
    }
    if p.protocol.is_unset() {
        errs.push(Error::required(&path.child("protocol"), ""));
    } else if !p.protocol.is_known() {
        errs.push(Error::not_supported(
            &path.child("protocol"),
            p.protocol.as_str(),
            Protocol::SUPPORTED,
        ));
    }
    match &p.target_port {
        IntOrString::Int(n) => {
            for m in is_valid_port_num(i64::from(*n)) {
                errs.push(Error::invalid(&path.child("targetPort"), *n, m));
            }
        }
        IntOrString::String(name) => {
            for m in is_valid_port_name(name) {
                errs.push(Error::invalid(&path.child("targetPort"), name.as_str(), m));
            }
        }
    }
    if let Some(app) = &p.app_protocol {
        for m in is_qualified_name(app) {
            errs.push(Error::invalid(&path.child("appProtocol"), app.as_str(), m));
        }
    }
    errs
}

fn validate_affinity_config(svc: &Service) -> ErrorList {
    let s = &svc.spec;
    let path = spec().child("sessionAffinityConfig");
    let mut errs = Vec::new();
    if s.session_affinity == SessionAffinity::ClientIp {
        let why = "when session affinity type is ClientIP";
        match s
            .session_affinity_config
            .as_ref()
            .map(|c| c.client_ip.as_ref().map(|ip| ip.timeout_seconds))
        {
            None => errs.push(Error::required(&path, why)),
            Some(None) => errs.push(Error::required(&path.child("clientIP"), why)),
            Some(Some(None)) => errs.push(Error::required(
                &path.child("clientIP").child("timeoutSeconds"),
                why,
            )),
            Some(Some(Some(t))) if t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS => {
                let msg = format!(
                    "must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"
                );
                errs.push(Error::invalid(
                    &path.child("clientIP").child("timeoutSeconds"),
                    t,
                    msg,
                ));
            }
            Some(Some(Some(_))) => {}
        }
    } else if s.session_affinity == SessionAffinity::None && s.session_affinity_config.is_some() {
        errs.push(Error::forbidden(
            &path,
            "must not be set when session affinity is None",
        ));
    }
    errs
}

fn validate_node_ports_and_duplicates(svc: &Service) -> ErrorList {
    let s = &svc.spec;
    let mut errs = Vec::new();
    let ports = spec().child("ports");
    if s.type_ == ServiceType::ClusterIp {
        for (i, p) in s.ports.iter().enumerate() {
            if p.node_port != 0 {
                let path = ports.index(i).child("nodePort");
                errs.push(Error::forbidden(
                    &path,
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        if p.node_port != 0 && !seen.insert((p.protocol.clone(), p.node_port)) {
            errs.push(Error::duplicate(
                &ports.index(i).child("nodePort"),
                p.node_port,
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        if !seen.insert((p.protocol.clone(), p.port)) {
            // Go renders the key struct with %#v (field order of the internal type).
            let v = crate::validation::field::Rendered(format!(
                "core.ServicePort{{Name:\"\", Protocol:\"{}\", AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                p.protocol, p.port
            ));
            errs.push(Error::duplicate(&ports.index(i), v));
        }
    }
    errs
}

fn validate_load_balancer_class(old: Option<&Service>, svc: &Service) -> ErrorList {
    let mut errs = Vec::new();
    let path = spec().child("loadBalancerClass");
    let class = &svc.spec.load_balancer_class;
    if let Some(o) = old
        && o.spec.type_ == ServiceType::LoadBalancer
        && svc.spec.type_ == ServiceType::LoadBalancer
        && o.spec.load_balancer_class != *class
    {
        let v = crate::validation::field::Rendered(
            class
                .as_deref()
                .map_or("null".into(), |c| format!("\"{c}\"")),
        );
        errs.push(Error::invalid(&path, v, "may not change once set"));
    }
    match (svc.spec.type_ == ServiceType::LoadBalancer, class) {
        (true, Some(c)) => errs.extend(
            is_qualified_name(c)
                .into_iter()
                .map(|m| Error::invalid(&path, c.as_str(), m)),
        ),
        (false, Some(_)) => errs.push(Error::forbidden(
            &path,
            "may only be used when `type` is 'LoadBalancer'",
        )),
        _ => {}
    }
    errs
}

/// `validateServiceExternalTrafficPolicy`: the policy and `healthCheckNodePort`.
pub fn validate_external_traffic_policy(svc: &Service) -> ErrorList {
    let s = &svc.spec;
    let mut errs = Vec::new();
    let etp = spec().child("externalTrafficPolicy");
    if !externally_accessible(svc) {
        if !s.external_traffic_policy.is_unset() {
            let msg = "may only be set for externally-accessible services";
            errs.push(Error::invalid(
                &etp,
                s.external_traffic_policy.as_str(),
                msg,
            ));
        }
    } else if s.external_traffic_policy.is_unset() {
        errs.push(Error::required(&etp, ""));
    } else if !s.external_traffic_policy.is_known() {
        errs.push(Error::not_supported(
            &etp,
            s.external_traffic_policy.as_str(),
            TrafficPolicy::SUPPORTED,
        ));
    }
    let hc = spec().child("healthCheckNodePort");
    if !needs_health_check(svc) {
        if s.health_check_node_port != 0 {
            let msg = "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
            errs.push(Error::invalid(&hc, s.health_check_node_port, msg));
        }
    } else if s.health_check_node_port == 0 {
        errs.push(Error::required(&hc, ""));
    } else {
        for m in is_valid_port_num(i64::from(s.health_check_node_port)) {
            errs.push(Error::invalid(&hc, s.health_check_node_port, m));
        }
    }
    errs
}

fn validate_internal_traffic_policy(svc: &Service) -> ErrorList {
    let s = &svc.spec;
    let path = spec().child("internalTrafficPolicy");
    let p = &s.internal_traffic_policy;
    let proxied = matches!(
        s.type_,
        ServiceType::ClusterIp | ServiceType::NodePort | ServiceType::LoadBalancer
    );
    if p.is_unset() && proxied {
        vec![Error::required(&path, "")]
    } else if !p.is_unset() && !p.is_known() {
        vec![Error::not_supported(
            &path,
            p.as_str(),
            TrafficPolicy::SUPPORTED,
        )]
    } else {
        Vec::new()
    }
}

/// `ValidateServiceUpdate(new, old)`: the update rules, then `ValidateService` without
/// the name check.
pub fn validate_service_update(new: &Service, old: &Service) -> ErrorList {
    let mut errs = Vec::new();
    if new.metadata.name != old.metadata.name {
        errs.push(Error::invalid(
            &Path::new("metadata").child("name"),
            new.metadata.name.as_str(),
            "field is immutable",
        ));
    }
    if new.metadata.namespace != old.metadata.namespace {
        let path = Path::new("metadata").child("namespace");
        errs.push(Error::invalid(
            &path,
            new.metadata.namespace.as_str(),
            "field is immutable",
        ));
    }
    errs.extend(validate_upgrade_downgrade_cluster_ips(old, new));
    errs.extend(validate_upgrade_downgrade_ip_families(old, new));
    if needs_health_check(old)
        && needs_health_check(new)
        && new.spec.health_check_node_port != old.spec.health_check_node_port
    {
        errs.push(Error::forbidden(
            &spec().child("healthCheckNodePort"),
            "field is immutable",
        ));
    }
    // validateLoadBalancerClassField(old, new) runs once here and once inside
    // ValidateService(new, old); upstream therefore reports its errors twice.
    errs.extend(validate_load_balancer_class(Some(old), new));
    errs.extend(validate(new, Some(old)));
    errs
}
