//! Checkers for the Service machinery and kube-proxy: allocator bands and errors,
//! `CategorizeEndpoints`, `ValidateService`, `ValidateServiceUpdate`.

use std::net::IpAddr;

use serde_json::{Map, Value};
use svcplay_core::SimRng;
use svcplay_core::apiserver::cluster_ip::{self, Cidr, ClusterIpAllocator, IpAllocError};
use svcplay_core::apiserver::node_port;
use svcplay_core::apiserver::validate_service::{
    validate_external_traffic_policy, validate_service, validate_service_update,
};
use svcplay_core::objects::Service;
use svcplay_core::proxy::categorize::categorize_with;
use svcplay_core::proxy::{Endpoint, Protocol, ServicePortInfo, ServicePortName};

use super::support::{Checker, expect_eq, str_field};

pub const CATEGORIES: &[(&str, Checker)] = &[
    ("ip_range_static_band", check_ip_band),
    ("nodeport_range_static_band", check_port_band),
    ("ip_allocator", check_ip_allocator),
    ("categorize_endpoints", check_categorize),
    ("service_create_validation", check_create),
    ("service_update_validation", check_update),
    ("service_external_traffic_policy_validation", check_etp),
];

fn u64_field(case: &Value, key: &str) -> Result<u64, String> {
    case.get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("case has no integer `{key}`"))
}

fn check_ip_band(case: &Value, _: &Value) -> Result<(), String> {
    let cidr = Cidr::parse(str_field(case, "cidr")?).map_err(|e| e.to_string())?;
    expect_eq(
        "static band",
        cluster_ip::static_band_size(&cidr),
        u64_field(case, "static_band_size")?,
    )
}

fn check_port_band(case: &Value, _: &Value) -> Result<(), String> {
    expect_eq(
        "static band",
        node_port::static_band_size(u64_field(case, "size")?),
        u64_field(case, "static_band_size")?,
    )
}

fn check_ip_allocator(case: &Value, _: &Value) -> Result<(), String> {
    let cidr = Cidr::parse(str_field(case, "cidr")?).map_err(|e| e.to_string())?;
    let mut a = ClusterIpAllocator::over(cidr);
    let errors = case.get("errors").ok_or("case has no `errors`")?;
    let msg = |k: &str| {
        errors
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut rng = SimRng::new(1);
    if let Some(allocated) = case.get("allocated").and_then(Value::as_u64) {
        // TestNewFromSnapshot: allocate, snapshot, restore. A Rust clone is the snapshot.
        for _ in 0..allocated {
            a.allocate_next(&mut rng).map_err(|e| e.to_string())?;
        }
        let restored = a.clone();
        expect_eq(
            "free after restore",
            restored.free(),
            u64_field(case, "free_after_restore")?,
        )?;
        return expect_eq(
            "used after restore",
            restored.used(),
            u64_field(case, "used_after_restore")?,
        );
    }
    expect_eq("free", a.free(), u64_field(case, "free")?)?;
    for ip in case
        .get("not_in_range")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let ip: IpAddr = ip
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or("bad IP in case")?;
        let err = a.allocate(ip).err().ok_or(format!("{ip} was accepted"))?;
        expect_eq(
            "not-in-range message",
            err.to_string(),
            msg("not_in_range_format").replace("%v", &ip.to_string()),
        )?;
    }
    if let Some(ex) = case.get("allocatable_example").and_then(Value::as_str) {
        let ip: IpAddr = ex.parse().map_err(|_| "bad example")?;
        a.allocate(ip).map_err(|e| e.to_string())?;
        let err = a.allocate(ip).err().ok_or("allocated twice")?;
        expect_eq(
            "already-allocated message",
            err.to_string(),
            msg("already_allocated"),
        )?;
        return Ok(());
    }
    // TestAllocateSmall: fill the range, then it is full and re-allocation is refused.
    let free = a.free();
    let mut got = Vec::new();
    for _ in 0..free {
        got.push(a.allocate_next(&mut rng).map_err(|e| e.to_string())?);
    }
    let full = a.allocate_next(&mut rng).err();
    expect_eq("full", full.map(|e| e.to_string()), Some(msg("full")))?;
    // A range with no usable address is full from the start: nothing to re-allocate.
    let Some(&first) = got.first() else {
        return Ok(());
    };
    expect_eq(
        "re-allocate",
        a.allocate(first),
        Err(IpAllocError::AlreadyAllocated),
    )
}

fn check_categorize(case: &Value, _: &Value) -> Result<(), String> {
    let svc = case.get("service").ok_or("no service")?;
    let flag = |k: &str| svc.get(k).and_then(Value::as_bool).unwrap_or(false);
    let info = ServicePortInfo {
        name: ServicePortName {
            namespace: "ns".into(),
            name: "svc".into(),
            port: String::new(),
        },
        protocol: Protocol::Tcp,
        cluster_ip: IpAddr::from([10, 96, 0, 1]),
        port: 80,
        node_port: svc
            .get("nodePort")
            .and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(0),
        load_balancer_ips: vec![],
        external_ips: vec![],
        load_balancer_source_ranges: vec![],
        external_policy_local: flag("externalPolicyLocal"),
        internal_policy_local: flag("internalPolicyLocal"),
        affinity_timeout_secs: None,
        health_check_node_port: 0,
    };
    let mut eps = Vec::new();
    for e in case
        .get("endpoints")
        .and_then(Value::as_array)
        .ok_or("no endpoints")?
    {
        let addr = str_field(e, "endpoint")?;
        let (ip, port) = addr.rsplit_once(':').ok_or("bad endpoint")?;
        let b = |k: &str| e.get(k).and_then(Value::as_bool).unwrap_or(false);
        eps.push(Endpoint {
            pod: None,
            ip: ip.parse().map_err(|_| "bad ip")?,
            port: port.parse().map_err(|_| "bad port")?,
            node: if b("is_local") {
                "this".into()
            } else {
                "other".into()
            },
            zone: None,
            ready: b("ready"),
            serving: b("serving"),
            terminating: b("terminating"),
            zone_hints: e
                .get("zone_hints")
                .and_then(Value::as_array)
                .map(|z| {
                    z.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    let zone = case.get("node_zone").and_then(Value::as_str).unwrap_or("");
    let c = categorize_with(
        &eps,
        info.uses_cluster_endpoints(),
        info.uses_local_endpoints(),
        zone,
        |e| e.node == "this",
    );
    let names = |l: &[usize]| -> Vec<String> {
        l.iter()
            .filter_map(|&i| eps.get(i))
            .map(Endpoint::addr)
            .collect()
    };
    let want = |k: &str| -> Option<Vec<String>> {
        case.get(k)?.as_array().map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
    };
    expect_eq("cluster", c.cluster.as_deref().map(names), want("cluster"))?;
    expect_eq("local", c.local.as_deref().map(names), want("local"))?;
    let mut all = names(&c.all_reachable);
    all.sort();
    let mut want_all = want("all").unwrap_or_default();
    want_all.sort();
    expect_eq("all", all, want_all)?;
    expect_eq(
        "has_any_endpoints",
        c.has_any,
        case.get("has_any_endpoints")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    )
}

/// Applies a `tweak` (see `_meta.field_notes`) to a JSON Service.
fn tweak(base: &Value, patch: &Value) -> Result<Value, String> {
    let mut obj = base.clone();
    let Some(patch) = patch.as_object() else {
        return Ok(obj);
    };
    for (key, val) in patch {
        let map_prefix = [
            "metadata.annotations.",
            "metadata.labels.",
            "spec.selector.",
        ]
        .into_iter()
        .find(|p| key.starts_with(p) && key.len() > p.len());
        if let Some(prefix) = map_prefix {
            let (field_path, entry) = (&prefix[..prefix.len() - 1], &key[prefix.len()..]);
            let map = ensure_object(&mut obj, field_path)?;
            if val.is_null() {
                map.remove(entry);
            } else {
                map.insert(entry.to_owned(), val.clone());
            }
        } else if key == "spec.ports+" {
            let spec = ensure_object(&mut obj, "spec")?;
            let ports = spec.entry("ports").or_insert_with(|| Value::Array(vec![]));
            if !ports.is_array() {
                *ports = Value::Array(vec![]);
            }
            if let (Some(list), Some(add)) = (ports.as_array_mut(), val.as_array()) {
                list.extend(add.iter().cloned());
            }
        } else if let Some(rest) = key.strip_prefix("spec.ports[") {
            let (idx, field) = rest.split_once(']').ok_or("bad ports index")?;
            let idx: usize = idx.parse().map_err(|_| "bad ports index")?;
            let port = obj
                .pointer_mut(&format!("/spec/ports/{idx}"))
                .ok_or(format!("no spec.ports[{idx}]"))?;
            match field.strip_prefix('.') {
                Some(f) => set(port, f, val),
                None => *port = val.clone(),
            }
        } else {
            set(&mut obj, key, val);
        }
    }
    Ok(obj)
}

fn ensure_object<'a>(
    obj: &'a mut Value,
    dotted: &str,
) -> Result<&'a mut Map<String, Value>, String> {
    let mut cur = obj;
    for part in dotted.split('.') {
        let m = cur.as_object_mut().ok_or("not an object")?;
        cur = m.entry(part).or_insert_with(|| Value::Object(Map::new()));
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
    }
    cur.as_object_mut()
        .ok_or_else(|| "not an object".to_owned())
}

fn set(obj: &mut Value, dotted: &str, val: &Value) {
    let (parent, last) = dotted
        .rsplit_once('.')
        .map_or(("", dotted), |(p, l)| (p, l));
    let target = if parent.is_empty() {
        obj.as_object_mut()
    } else {
        ensure_object(obj, parent).ok()
    };
    if let Some(m) = target {
        if val.is_null() {
            m.remove(last);
        } else {
            m.insert(last.to_owned(), val.clone());
        }
    }
}

fn service(meta: &Value, patch: Option<&Value>) -> Result<Service, String> {
    let base = meta
        .get("service_validation_base_object")
        .ok_or("no base object in _meta")?;
    let v = tweak(base, patch.unwrap_or(&Value::Null))?;
    serde_json::from_value(v).map_err(|e| format!("tweaked object does not load: {e}"))
}

fn error_count(case: &Value) -> Result<usize, String> {
    Ok(usize::try_from(u64_field(case, "error_count")?).unwrap_or(usize::MAX))
}

fn count_check(case: &Value, errs: Vec<svcplay_core::validation::Error>) -> Result<(), String> {
    let want = error_count(case)?;
    if errs.len() == want {
        return Ok(());
    }
    let list: Vec<String> = errs.iter().map(ToString::to_string).collect();
    Err(format!("{} errors, want {want}: {list:?}", errs.len()))
}

fn check_create(case: &Value, meta: &Value) -> Result<(), String> {
    let svc = service(meta, case.get("tweak"))?;
    count_check(case, validate_service(&svc))
}

fn check_update(case: &Value, meta: &Value) -> Result<(), String> {
    let old = service(meta, case.get("tweak_old"))?;
    let new = service(meta, case.get("tweak_new"))?;
    count_check(case, validate_service_update(&new, &old))
}

fn check_etp(case: &Value, meta: &Value) -> Result<(), String> {
    let svc = service(meta, case.get("tweak"))?;
    count_check(case, validate_external_traffic_policy(&svc))
}
