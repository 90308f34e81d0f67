//! `kubectl describe service`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/describe/describe.go` (`describeService`, `buildIngressString`,
//! `formatEndpointSlices`).

use super::{W, annotations, events, labels};
use crate::labels::format_labels;
use crate::objects::{EndpointSlice, Event, IntOrString, Service, TrafficPolicy};
use crate::sim::SimTime;

/// `describeService`.
pub(crate) fn describe(
    w: &mut W,
    s: &Service,
    slices: &[&EndpointSlice],
    event_list: Option<&[Event]>,
    now: SimTime,
) {
    let spec = &s.spec;
    w.write(0, &format!("Name:\t{}\n", s.metadata.name));
    w.write(0, &format!("Namespace:\t{}\n", s.metadata.namespace));
    labels(w, "Labels", &s.metadata.labels);
    annotations(w, "Annotations", &s.metadata.annotations);
    let selector = spec.selector.clone().unwrap_or_default();
    w.write(0, &format!("Selector:\t{}\n", format_labels(&selector)));
    w.write(0, &format!("Type:\t{}\n", spec.type_));
    if let Some(policy) = &spec.ip_family_policy {
        w.write(0, &format!("IP Family Policy:\t{policy}\n"));
    }
    let families = if spec.ip_families.is_empty() {
        "<none>".to_owned()
    } else {
        spec.ip_families.join(",")
    };
    w.write(0, &format!("IP Families:\t{families}\n"));
    w.write(0, &format!("IP:\t{}\n", spec.cluster_ip));
    let ips = if spec.cluster_ips.is_empty() {
        "<none>".to_owned()
    } else {
        spec.cluster_ips.join(",")
    };
    w.write(0, &format!("IPs:\t{ips}\n"));
    if !spec.external_ips.is_empty() {
        w.write(
            0,
            &format!("External IPs:\t{}\n", spec.external_ips.join(",")),
        );
    }
    if !spec.external_name.is_empty() {
        w.write(0, &format!("External Name:\t{}\n", spec.external_name));
    }
    let ingress = &s.status.load_balancer.ingress;
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| {
                if i.ip.is_empty() {
                    i.hostname.clone()
                } else {
                    match &i.ip_mode {
                        Some(mode) => format!("{} ({mode})", i.ip),
                        None => i.ip.clone(),
                    }
                }
            })
            .collect();
        w.write(0, &format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
    }
    for p in &spec.ports {
        let name = if p.name.is_empty() {
            "<unset>"
        } else {
            p.name.as_str()
        };
        w.write(0, &format!("Port:\t{name}\t{}/{}\n", p.port, p.protocol));
        match &p.target_port {
            IntOrString::Int(n) => w.write(0, &format!("TargetPort:\t{n}/{}\n", p.protocol)),
            IntOrString::String(t) => w.write(0, &format!("TargetPort:\t{t}/{}\n", p.protocol)),
        }
        if let Some(app) = &p.app_protocol {
            w.write(0, &format!("AppProtocol:\t{app}\n"));
        }
        if p.node_port != 0 {
            w.write(
                0,
                &format!("NodePort:\t{name}\t{}/{}\n", p.node_port, p.protocol),
            );
        }
        w.write(
            0,
            &format!("Endpoints:\t{}\n", format_endpoint_slices(slices, &p.name)),
        );
    }
    w.write(
        0,
        &format!("Session Affinity:\t{}\n", spec.session_affinity),
    );
    if spec.external_traffic_policy != TrafficPolicy::Unset {
        w.write(
            0,
            &format!(
                "External Traffic Policy:\t{}\n",
                spec.external_traffic_policy
            ),
        );
    }
    if spec.internal_traffic_policy != TrafficPolicy::Unset {
        w.write(
            0,
            &format!(
                "Internal Traffic Policy:\t{}\n",
                spec.internal_traffic_policy
            ),
        );
    }
    if spec.health_check_node_port != 0 {
        w.write(
            0,
            &format!("HealthCheck NodePort:\t{}\n", spec.health_check_node_port),
        );
    }
    if !spec.load_balancer_source_ranges.is_empty() {
        w.write(
            0,
            &format!(
                "LoadBalancer Source Ranges:\t{}\n",
                spec.load_balancer_source_ranges.join(",")
            ),
        );
    }
    if let Some(d) = &spec.traffic_distribution {
        w.write(0, &format!("Traffic Distribution:\t{d}\n"));
    }
    if let Some(list) = event_list {
        events(w, list, now);
    }
}

/// `formatEndpointSlices` for one port name: up to three ready `ip:port`, then `+ N
/// more...`; `<none>` without slices.
fn format_endpoint_slices(slices: &[&EndpointSlice], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_owned();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let (mut more, mut count) = (false, 0usize);
    for s in slices {
        if s.ports.is_empty() {
            for e in &s.endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !e.conditions.ready {
                    continue;
                }
                if !more {
                    list.push(e.address().to_owned());
                }
                count += 1;
            }
            continue;
        }
        for port in s.ports.iter().filter(|p| p.name == port_name) {
            for e in &s.endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !e.conditions.ready {
                    continue;
                }
                if !more {
                    list.push(join_host_port(e.address(), port.port));
                }
                count += 1;
            }
        }
    }
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count.saturating_sub(MAX));
    }
    ret
}

/// Go's `net.JoinHostPort`: an IPv6 address in brackets.
fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}
