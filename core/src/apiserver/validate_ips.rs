//! The IP-shaped parts of Service validation: `clusterIP(s)`, `ipFamilies`,
//! `ipFamilyPolicy`, `externalIPs`, source-range CIDRs, and their update rules.
//!
//! Upstream: kubernetes/kubernetes@000f2605 `pkg/apis/core/validation/validation.go`
//! `ValidateServiceClusterIPsRelatedFields`, `validateUpgradeDowngradeClusterIPs`,
//! `validateUpgradeDowngradeIPFamilies`, `ValidateEndpointIP`, `IsValidIPForLegacyField`,
//! `IsValidCIDRForLegacyField`.
//! Simplification: legacy IPs with leading zeros (`010.0.0.1`) are rejected, not
//! grandfathered.

use std::net::IpAddr;

use crate::apiserver::cluster_ip::Cidr;
use crate::objects::Service;
use crate::objects::ServiceType;
use crate::objects::service::ANNOTATION_LB_SOURCE_RANGES;
use crate::validation::field::{Error, ErrorList, Path, Rendered};
use crate::validation::gofmt;

const SUPPORTED_FAMILIES: [&str; 2] = ["IPv4", "IPv6"];
const SUPPORTED_POLICIES: [&str; 3] = ["PreferDualStack", "RequireDualStack", "SingleStack"];

fn spec() -> Path {
    Path::new("spec")
}

/// `[]string` as Go's `%v` of a field error renders a list value.
fn list(v: &[String]) -> Rendered {
    Rendered(gofmt::json_strings(v))
}

/// `clusterIPs[0] == "None"` and nothing else.
pub fn is_headless(svc: &Service) -> bool {
    svc.spec.cluster_ips.len() == 1 && svc.spec.cluster_ips.first().is_some_and(|ip| ip == "None")
}

/// `IsValidIPForLegacyField`: one error when `value` is not an IP.
pub fn check_ip(path: &Path, value: &str) -> ErrorList {
    if value.parse::<IpAddr>().is_ok() {
        Vec::new()
    } else {
        vec![Error::invalid(
            path,
            value,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        )]
    }
}

/// `IsValidCIDR`'s words for a value that is not a CIDR.
pub const INVALID_CIDR: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// `IsValidCIDRForLegacyField`: one error when `value` is not a CIDR.
pub fn check_cidr(path: &Path, value: &str) -> ErrorList {
    if Cidr::parse(value).is_ok() {
        Vec::new()
    } else {
        vec![Error::invalid(path, value, INVALID_CIDR)]
    }
}

/// `ValidateEndpointIP`: no unspecified, loopback or link-local addresses.
pub fn check_endpoint_ip(path: &Path, value: &str) -> ErrorList {
    let Ok(ip) = value.parse::<IpAddr>() else {
        return Vec::new();
    };
    let mut errs = Vec::new();
    let (unspecified, loopback, link_local, ll_multicast) = match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            (
                v4.is_unspecified(),
                v4.is_loopback(),
                v4.is_link_local(),
                o[0] == 224 && o[1] == 0 && o[2] == 0,
            )
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            (
                v6.is_unspecified(),
                v6.is_loopback(),
                s[0] & 0xffc0 == 0xfe80,
                s[0] & 0xff0f == 0xff02,
            )
        }
    };
    if unspecified {
        errs.push(Error::invalid(
            path,
            value,
            format!("may not be unspecified ({value})"),
        ));
    }
    if loopback {
        errs.push(Error::invalid(
            path,
            value,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    if link_local {
        errs.push(Error::invalid(
            path,
            value,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    if ll_multicast {
        errs.push(Error::invalid(
            path,
            value,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errs
}

/// `ValidateServiceClusterIPsRelatedFields`.
pub fn validate_cluster_ips_related(svc: &Service) -> ErrorList {
    let s = &svc.spec;
    if s.type_ == ServiceType::ExternalName {
        return Vec::new();
    }
    let mut errs = Vec::new();
    let ips_path = spec().child("clusterIPs");
    if !s.cluster_ip.is_empty() {
        match s.cluster_ips.first() {
            None => errs.push(Error::required(&ips_path, "")),
            Some(first) if *first != s.cluster_ip => {
                errs.push(Error::invalid(
                    &ips_path,
                    list(&s.cluster_ips),
                    "first value must match `clusterIP`",
                ));
            }
            Some(_) => {}
        }
    } else if !s.cluster_ips.is_empty() {
        errs.push(Error::invalid(
            &ips_path,
            list(&s.cluster_ips),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let fam_path = spec().child("ipFamilies");
    let mut seen: Vec<&str> = Vec::new();
    for (i, f) in s.ip_families.iter().enumerate() {
        if !SUPPORTED_FAMILIES.contains(&f.as_str()) {
            errs.push(Error::not_supported(
                &fam_path.index(i),
                f.as_str(),
                &SUPPORTED_FAMILIES,
            ));
        }
        if seen.contains(&f.as_str()) {
            errs.push(Error::duplicate(&fam_path.index(i), f.as_str()));
        }
        seen.push(f);
    }
    if let Some(p) = &s.ip_family_policy
        && !SUPPORTED_POLICIES.contains(&p.as_str())
    {
        errs.push(Error::not_supported(
            &spec().child("ipFamilyPolicy"),
            p.as_str(),
            &SUPPORTED_POLICIES,
        ));
    }
    let mut invalid = false;
    for (i, ip) in s.cluster_ips.iter().enumerate() {
        if i == 0 && ip == "None" {
            if s.cluster_ips.len() > 1 {
                invalid = true;
                errs.push(Error::invalid(
                    &ips_path,
                    list(&s.cluster_ips),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        let e = check_ip(&ips_path.index(i), ip);
        invalid |= !e.is_empty();
        errs.extend(e);
    }
    if s.cluster_ips.len() > 2 {
        errs.push(Error::invalid(
            &ips_path,
            list(&s.cluster_ips),
            "may only hold up to 2 values",
        ));
    }
    if invalid {
        return errs;
    }
    if s.cluster_ips.len() > 1 {
        let parsed: Vec<IpAddr> = s
            .cluster_ips
            .iter()
            .filter_map(|ip| ip.parse().ok())
            .collect();
        let dual = parsed.iter().any(IpAddr::is_ipv4) && parsed.iter().any(IpAddr::is_ipv6);
        if !dual {
            errs.push(Error::invalid(
                &ips_path,
                list(&s.cluster_ips),
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    if !is_headless(svc) {
        for (i, (ip, fam)) in s.cluster_ips.iter().zip(&s.ip_families).enumerate() {
            let v6 = ip.parse::<IpAddr>().is_ok_and(|a| a.is_ipv6());
            if fam == "IPv4" && v6 {
                let msg = format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`");
                errs.push(Error::invalid(&ips_path.index(i), ip.as_str(), msg));
            }
            if fam == "IPv6" && !v6 {
                let msg = format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`");
                errs.push(Error::invalid(&ips_path.index(i), ip.as_str(), msg));
            }
        }
    }
    errs
}

fn policy_value(svc: &Service) -> Rendered {
    Rendered(
        svc.spec
            .ip_family_policy
            .as_deref()
            .map_or("null".to_owned(), gofmt::quote),
    )
}

/// `validateUpgradeDowngradeClusterIPs`.
pub fn validate_upgrade_downgrade_cluster_ips(old: &Service, new: &Service) -> ErrorList {
    let mut errs = Vec::new();
    if new.spec.type_ == ServiceType::ExternalName || old.spec.type_ == ServiceType::ExternalName {
        return errs;
    }
    if is_headless(old) && is_headless(new) {
        return errs;
    }
    let (o, n) = (&old.spec.cluster_ips, &new.spec.cluster_ips);
    let path0 = spec().child("clusterIPs").index(0);
    if o.len() == n.len() {
        for (i, ip) in o.iter().enumerate() {
            if n.get(i) != Some(ip) {
                errs.push(Error::invalid(
                    &spec().child("clusterIPs").index(i),
                    list(n),
                    "may not change once set",
                ));
            }
        }
    } else if o.len() > n.len() {
        if n.is_empty() {
            errs.push(Error::invalid(
                &path0,
                list(n),
                "primary clusterIP can not be unset",
            ));
        }
        if let (Some(a), Some(b)) = (o.first(), n.first())
            && a != b
        {
            errs.push(Error::invalid(&path0, list(n), "may not change once set"));
        }
        if n.len() == 1 && new.spec.ip_family_policy.as_deref() != Some("SingleStack") {
            let msg = "must be set to 'SingleStack' when releasing the secondary clusterIP";
            errs.push(Error::invalid(
                &spec().child("ipFamilyPolicy"),
                policy_value(new),
                msg,
            ));
        }
    } else if let (Some(a), Some(b)) = (o.first(), n.first())
        && a != b
    {
        errs.push(Error::invalid(&path0, list(n), "may not change once set"));
    }
    errs
}

/// `validateUpgradeDowngradeIPFamilies`.
pub fn validate_upgrade_downgrade_ip_families(old: &Service, new: &Service) -> ErrorList {
    let mut errs = Vec::new();
    if new.spec.type_ == ServiceType::ExternalName || old.spec.type_ == ServiceType::ExternalName {
        return errs;
    }
    if is_headless(old) || is_headless(new) {
        return errs;
    }
    let (o, n) = (&old.spec.ip_families, &new.spec.ip_families);
    let path0 = spec().child("ipFamilies").index(0);
    if o.len() == n.len() {
        for (i, f) in o.iter().enumerate() {
            if n.get(i) != Some(f) {
                errs.push(Error::invalid(&path0, list(n), "may not change once set"));
            }
        }
    } else if o.len() > n.len() {
        if new.spec.cluster_ips.is_empty() {
            errs.push(Error::invalid(
                &path0,
                list(n),
                "primary ipFamily can not be unset",
            ));
        }
        if let (Some(a), Some(b)) = (o.first(), n.first())
            && a != b
        {
            errs.push(Error::invalid(
                &path0,
                list(&new.spec.cluster_ips),
                "may not change once set",
            ));
        }
        if n.len() == 1 && new.spec.ip_family_policy.as_deref() != Some("SingleStack") {
            let msg = "must be set to 'SingleStack' when releasing the secondary ipFamily";
            errs.push(Error::invalid(
                &spec().child("ipFamilyPolicy"),
                policy_value(new),
                msg,
            ));
        }
    } else if let (Some(a), Some(b)) = (o.first(), n.first())
        && a != b
    {
        errs.push(Error::invalid(
            &path0,
            list(&new.spec.cluster_ips),
            "may not change once set",
        ));
    }
    errs
}

/// `loadBalancerSourceRanges`, or else the source-ranges annotation: LoadBalancer only,
/// each entry a CIDR (spaces tolerated); entries already stored are not re-checked.
pub fn validate_source_ranges(svc: &Service, old: Option<&Service>) -> ErrorList {
    let s = &svc.spec;
    let mut errs = Vec::new();
    let lb_only = "may only be used when `type` is 'LoadBalancer'";
    if !s.load_balancer_source_ranges.is_empty() {
        let path = spec().child("LoadBalancerSourceRanges");
        if s.type_ != ServiceType::LoadBalancer {
            errs.push(Error::forbidden(&path, lb_only));
        }
        let existing: Vec<&str> = old
            .map(|o| {
                o.spec
                    .load_balancer_source_ranges
                    .iter()
                    .map(|v| v.trim())
                    .collect()
            })
            .unwrap_or_default();
        for (i, v) in s.load_balancer_source_ranges.iter().enumerate() {
            if !existing.contains(&v.trim()) {
                errs.extend(check_cidr(&path.index(i), v.trim()));
            }
        }
    } else if let Some(val) = svc.metadata.annotations.get(ANNOTATION_LB_SOURCE_RANGES) {
        let path = Path::new("metadata")
            .child("annotations")
            .key(ANNOTATION_LB_SOURCE_RANGES);
        if s.type_ != ServiceType::LoadBalancer {
            errs.push(Error::forbidden(&path, lb_only));
        }
        let changed = old
            .is_none_or(|o| o.metadata.annotations.get(ANNOTATION_LB_SOURCE_RANGES) != Some(val));
        if changed && !val.trim().is_empty() {
            for v in val.trim().split(',') {
                errs.extend(check_cidr(&path, v.trim()));
            }
        }
    }
    errs
}
