//! Checkers for the EndpointSlice controller's per-pod rules: endpoint conditions
//! (`podToEndpoint`) and named-port resolution (`FindPort`).

use serde_json::Value;
use svcplay_core::controllers::endpointslice::rules::{find_port, pod_to_endpoint};
use svcplay_core::objects::node::ZONE_LABEL;
use svcplay_core::objects::{
    Container, ContainerPort, IntOrString, Node, ObjectMeta, Pod, PodPhase, Protocol, Service,
    ServicePort,
};
use svcplay_core::sim::SimTime;

use super::support::{Checker, bool_field, expect_eq, str_field};

/// The categories this area checks.
pub const CATEGORIES: &[(&str, Checker)] = &[
    ("endpoint_conditions", endpoint_conditions),
    ("find_port", find_port_case),
];

fn endpoint_conditions(case: &Value, _meta: &Value) -> Result<(), String> {
    let mut svc = Service {
        metadata: ObjectMeta::named("default", "svc"),
        ..Default::default()
    };
    svc.spec.publish_not_ready_addresses = bool_field(case, "publish_not_ready_addresses")?;
    let mut pod = Pod {
        metadata: ObjectMeta::named("default", "pod1"),
        ..Default::default()
    };
    pod.spec.node_name = "node-1".to_owned();
    pod.status.phase = PodPhase::Running;
    pod.status.pod_ip = "1.2.3.4".to_owned();
    pod.status.ready = bool_field(case, "pod_ready")?;
    if bool_field(case, "pod_terminating")? {
        pod.metadata.deletion_timestamp = Some(SimTime(30_000));
    }
    if let Some(h) = case.get("pod_hostname").and_then(Value::as_str) {
        pod.spec.hostname = h.to_owned();
        if case
            .get("pod_subdomain_equals_service_name")
            .and_then(Value::as_bool)
            == Some(true)
        {
            pod.spec.subdomain = "svc".to_owned();
        }
    }
    let mut node = Node {
        metadata: ObjectMeta::named("", "node-1"),
        ..Default::default()
    };
    if let Some(z) = case.get("node_zone_label").and_then(Value::as_str) {
        node.metadata
            .labels
            .insert(ZONE_LABEL.to_owned(), z.to_owned());
    }
    let ep = pod_to_endpoint(&svc, &pod, Some(&node));
    let want = case.get("expected").ok_or("case has no `expected`")?;
    expect_eq("ready", ep.conditions.ready, bool_field(want, "ready")?)?;
    expect_eq(
        "serving",
        ep.conditions.serving,
        bool_field(want, "serving")?,
    )?;
    expect_eq(
        "terminating",
        ep.conditions.terminating,
        bool_field(want, "terminating")?,
    )?;
    expect_eq(
        "addresses",
        ep.addresses.clone(),
        vec!["1.2.3.4".to_owned()],
    )?;
    expect_eq("targetRef.name", ep.pod_name(), Some("pod1"))?;
    if let Some(z) = want.get("zone") {
        expect_eq("zone", ep.zone.as_deref(), z.as_str())?;
    }
    if let Some(n) = want.get("nodeName") {
        expect_eq("nodeName", ep.node_name.as_deref(), n.as_str())?;
    }
    expect_eq(
        "hostname",
        ep.hostname.as_deref(),
        want.get("hostname").and_then(Value::as_str),
    )
}

/// One container port from the case, its protocol as written (absent is TCP, the
/// API default).
fn port(v: &Value) -> Option<ContainerPort> {
    let protocol = Protocol::parse(v.get("protocol").and_then(Value::as_str).unwrap_or("TCP"));
    Some(ContainerPort {
        name: v
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        container_port: v
            .get("containerPort")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())?,
        protocol,
    })
}

fn container(ports: &Value, restart_policy: Option<String>) -> Container {
    Container {
        name: "c".to_owned(),
        ports: ports
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(port)
            .collect(),
        restart_policy,
        ..Default::default()
    }
}

fn find_port_case(case: &Value, _meta: &Value) -> Result<(), String> {
    let mut pod = Pod::default();
    for c in case
        .get("containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        pod.spec.containers.push(container(c, None));
    }
    for c in case
        .get("init_containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let policy = c
            .get("restartPolicy")
            .and_then(Value::as_str)
            .map(str::to_owned);
        pod.spec
            .init_containers
            .push(container(c.get("ports").unwrap_or(&Value::Null), policy));
    }
    let target = match case.get("target_port") {
        Some(Value::Number(n)) => IntOrString::Int(
            n.as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or("bad target_port")?,
        ),
        Some(Value::String(s)) => IntOrString::String(s.clone()),
        _ => return Err("case has no target_port".into()),
    };
    let sp = ServicePort {
        protocol: Protocol::parse(str_field(case, "service_port_protocol")?),
        port: 80,
        target_port: target,
        ..Default::default()
    };
    let got = find_port(&pod, &sp);
    if bool_field(case, "ok")? {
        let want = case
            .get("port")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok());
        expect_eq("port", got, want)
    } else {
        expect_eq("port", got, None)
    }
}
