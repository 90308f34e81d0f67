//! `kubectl describe pod`, and the containers of a pod template (used by `describe
//! deployment`).
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/describe/describe.go` (`describePod`, `describeContainers`,
//! `describeContainerBasicInfo`, `describeContainerState`, `describeStatus`,
//! `DescribeProbe`, `describeVolumes`); kubernetes `pkg/apis/core/helper/qos`
//! (`GetPodQOS`: no requests or limits is `BestEffort`).
//!
//! Simplification: the model has no priority classes, service accounts or admission
//! tolerations: `Priority: 0` and `Service Account: default` are what the API server's
//! admission sets on every pod, and `Tolerations` shows `<none>` (a real cluster adds
//! the `not-ready`/`unreachable` ones for 300 s). No volumes, environment or resources
//! are modelled (`QoS Class: BestEffort`).

use super::{W, annotations, events, labels, when};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::{
    Container, ContainerState, ContainerStatus, Epoch, Event, IntOrString, Pod, Probe,
};
use crate::sim::SimTime;

/// `describePod`.
pub(crate) fn describe(
    w: &mut W,
    pod: &Pod,
    event_list: Option<&[Event]>,
    epoch: Epoch,
    now: SimTime,
) {
    let m = &pod.metadata;
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    w.write(0, "Priority:\t0\n");
    w.write(0, "Service Account:\tdefault\n");
    if pod.spec.node_name.is_empty() {
        w.write(0, "Node:\t<none>\n");
    } else {
        w.write(
            0,
            &format!("Node:\t{}/{}\n", pod.spec.node_name, pod.status.host_ip),
        );
    }
    if let Some(t) = pod.status.start_time {
        w.write(0, &format!("Start Time:\t{}\n", when(epoch, Some(t))));
    }
    labels(w, "Labels", &m.labels);
    annotations(w, "Annotations", &m.annotations);
    let terminal = pod.status.phase.is_terminal();
    match (m.deletion_timestamp, terminal) {
        (Some(at), false) => {
            w.write(
                0,
                &format!(
                    "Status:\tTerminating (lasts {})\n",
                    translate_timestamp_since(Some(at), now)
                ),
            );
            let grace = m
                .deletion_grace_period_seconds
                .or(pod.spec.termination_grace_period_seconds)
                .unwrap_or(30);
            w.write(0, &format!("Termination Grace Period:\t{grace}s\n"));
        }
        _ => w.write(0, &format!("Status:\t{}\n", pod.status.phase.as_str())),
    }
    if !pod.status.reason.is_empty() {
        w.write(0, &format!("Reason:\t{}\n", pod.status.reason));
    }
    if !pod.status.message.is_empty() {
        w.write(0, &format!("Message:\t{}\n", pod.status.message));
    }
    w.write(0, &format!("IP:\t{}\n", pod.status.pod_ip));
    if pod.status.pod_ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        for ip in &pod.status.pod_ips {
            w.write(1, &format!("IP:\t{}\n", ip.ip));
        }
    }
    if let Some(owner) = m.owner_references.iter().find(|o| o.controller) {
        w.write(
            0,
            &format!("Controlled By:\t{}/{}\n", owner.kind, owner.name),
        );
    }
    if !pod.status.nominated_node_name.is_empty() {
        w.write(
            0,
            &format!("NominatedNodeName:\t{}\n", pod.status.nominated_node_name),
        );
    }
    if !pod.spec.init_containers.is_empty() {
        containers(
            w,
            epoch,
            "Init Containers",
            &pod.spec.init_containers,
            Some(&pod.status.init_container_statuses),
            "",
        );
    }
    containers(
        w,
        epoch,
        "Containers",
        &pod.spec.containers,
        Some(&pod.status.container_statuses),
        "",
    );
    if !pod.spec.readiness_gates.is_empty() {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in &pod.spec.readiness_gates {
            let status = pod
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map_or("<none>", |c| c.status.as_str());
            w.write(1, &format!("{} \t{status} \n", g.condition_type));
        }
    }
    if !pod.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in &pod.status.conditions {
            w.write(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    w.write(0, "Volumes:\t<none>\n");
    w.write(0, "QoS Class:\tBestEffort\n");
    w.write(0, "Node-Selectors:\t");
    w.line("<none>");
    w.write(0, "Tolerations:\t");
    w.line("<none>");
    if let Some(list) = event_list {
        events(w, list, now);
    }
}

/// `describeContainers`: `statuses` is `None` for a template (no status lines).
pub(super) fn containers(
    w: &mut W,
    epoch: Epoch,
    label: &str,
    list: &[Container],
    statuses: Option<&[ContainerStatus]>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let indent = if space.is_empty() { "" } else { " " };
    for c in list {
        let status = statuses.and_then(|s| s.iter().find(|s| s.name == c.name));
        w.write(1, &format!("{indent}{}:\n", c.name));
        if let Some(s) = status {
            w.write(2, &format!("Container ID:\t{}\n", s.container_id));
        }
        w.write(2, &format!("Image:\t{}\n", c.image));
        if let Some(s) = status {
            w.write(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let ports = ports(c);
        if ports.contains(',') {
            w.write(2, &format!("Ports:\t{ports}\n"));
        } else {
            w.write(2, &format!("Port:\t{}\n", or_none(&ports)));
        }
        let host = ports_host(c);
        if host.contains(',') {
            w.write(2, &format!("Host Ports:\t{host}\n"));
        } else {
            w.write(2, &format!("Host Port:\t{}\n", or_none(&host)));
        }
        if let Some(s) = status {
            state(w, epoch, "State", &s.state);
            if s.last_state.terminated.is_some() {
                state(w, epoch, "Last State", &s.last_state);
            }
            let ready = if s.ready { "True" } else { "False" };
            w.write(2, &format!("Ready:\t{ready}\n"));
            w.write(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        if let Some(p) = &c.readiness_probe {
            w.write(2, &format!("Readiness:\t{}\n", probe(p)));
        }
        w.write(2, "Environment:\t<none>\n");
        w.write(2, "Mounts:\t<none>\n");
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "<none>" } else { s }
}

/// `describeContainerPorts`: `8080/TCP (http), 9090/TCP`.
fn ports(c: &Container) -> String {
    let all: Vec<String> = c
        .ports
        .iter()
        .map(|p| {
            let s = format!("{}/{}", p.container_port, p.protocol);
            if p.name.is_empty() {
                s
            } else {
                format!("{s} ({})", p.name)
            }
        })
        .collect();
    all.join(", ")
}

/// `describeContainerHostPorts`: the host port (0 when unset) of every port.
fn ports_host(c: &Container) -> String {
    let all: Vec<String> = c
        .ports
        .iter()
        .map(|p| {
            let s = format!("0/{}", p.protocol);
            if p.name.is_empty() {
                s
            } else {
                format!("{s} ({})", p.name)
            }
        })
        .collect();
    all.join(", ")
}

/// `describeStatus`.
fn state(w: &mut W, epoch: Epoch, name: &str, s: &ContainerState) {
    if let Some(r) = &s.running {
        w.write(2, &format!("{name}:\tRunning\n"));
        w.write(3, &format!("Started:\t{}\n", when(epoch, r.started_at)));
    } else if let Some(wt) = &s.waiting {
        w.write(2, &format!("{name}:\tWaiting\n"));
        if !wt.reason.is_empty() {
            w.write(3, &format!("Reason:\t{}\n", wt.reason));
        }
    } else if let Some(t) = &s.terminated {
        w.write(2, &format!("{name}:\tTerminated\n"));
        if !t.reason.is_empty() {
            w.write(3, &format!("Reason:\t{}\n", t.reason));
        }
        if !t.message.is_empty() {
            w.write(3, &format!("Message:\t{}\n", t.message));
        }
        w.write(3, &format!("Exit Code:\t{}\n", t.exit_code));
        if t.signal > 0 {
            w.write(3, &format!("Signal:\t{}\n", t.signal));
        }
        w.write(3, &format!("Started:\t{}\n", when(epoch, t.started_at)));
        w.write(3, &format!("Finished:\t{}\n", when(epoch, t.finished_at)));
    } else {
        w.write(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `DescribeProbe`.
fn probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s successThreshold={} failureThreshold={}",
        p.initial_delay_seconds,
        p.timeout_seconds,
        p.period_seconds,
        p.success_threshold,
        p.failure_threshold
    );
    let port = |i: &IntOrString| i.to_string();
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.to_lowercase();
        let host = format!(":{}", port(&h.port));
        let url = if scheme.is_empty() {
            format!("//{host}{}", h.path)
        } else {
            format!("{scheme}://{host}{}", h.path)
        };
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        return format!("tcp-socket :{} {attrs}", port(&t.port));
    }
    if let Some(g) = &p.grpc {
        let service = g.service.as_deref().unwrap_or_default();
        return format!("grpc <pod>:{} {service} {attrs}", g.port);
    }
    format!("unknown {attrs}")
}
