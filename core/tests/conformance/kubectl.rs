//! Checkers for kubectl's printers (`kubectl get` rows per kind) and its AGE formatter.
//!
//! Each printer case's input is `v1` JSON; the checker gives it its `apiVersion` and
//! `kind` and reads it with the core's own reader of a cluster's dump
//! (`manifest::read_live`, status and timestamps included), with simulated time at the
//! Unix epoch, so the vectors' RFC 3339 times are simulated milliseconds and `now` is
//! `_meta.kubectl_and_dns.reference_now`.

use serde_json::{Value, json};
use svcplay_core::kubectl::duration::{human_duration, short_human_duration};
use svcplay_core::kubectl::print::{
    Cell, Row, deployment, endpoint_slice, endpoints, pod, replica_set, service,
};
use svcplay_core::kubectl::translate_timestamp_since;
use svcplay_core::manifest::{LiveObject, read_live};
use svcplay_core::objects::Epoch;
use svcplay_core::sim::SimTime;

use super::support::{Checker, expect_eq, str_field};

/// The categories this area checks.
pub const CATEGORIES: &[(&str, Checker)] = &[
    ("kubectl_print_service", print_case),
    ("kubectl_print_pod", print_case),
    ("kubectl_print_endpointslice", print_case),
    ("kubectl_print_endpoints", print_case),
    ("kubectl_print_deployment", print_case),
    ("kubectl_print_replicaset", print_case),
    ("kubectl_human_duration", duration_case),
];

/// The input keys of the printer cases: one object, or a list of them.
const KINDS: &[(&str, &str, &str, &str)] = &[
    // (key, list key, apiVersion, kind)
    ("service", "services", "v1", "Service"),
    ("pod", "pods", "v1", "Pod"),
    (
        "endpointSlice",
        "endpointSlices",
        "discovery.k8s.io/v1",
        "EndpointSlice",
    ),
    ("endpoints", "endpointsList", "v1", "Endpoints"),
    ("deployment", "deployments", "apps/v1", "Deployment"),
    ("replicaSet", "replicaSets", "apps/v1", "ReplicaSet"),
];

/// The clock the vectors' ages assume.
fn reference_now(meta: &Value) -> Result<SimTime, String> {
    let text = meta
        .pointer("/kubectl_and_dns/reference_now")
        .and_then(Value::as_str)
        .ok_or("_meta.kubectl_and_dns.reference_now is missing")?;
    Epoch::UNIX.sim_time(text).map_err(|e| e.to_string())
}

/// Reads the case's objects through the core's reader, as `v1` `List` items.
fn read_objects(input: &Value) -> Result<Vec<LiveObject>, String> {
    let (items, api_version, kind) = KINDS
        .iter()
        .find_map(
            |(one, many, api, kind)| match (input.get(one), input.get(many)) {
                (Some(o), _) => Some((vec![o.clone()], *api, *kind)),
                (None, Some(Value::Array(list))) => Some((list.clone(), *api, *kind)),
                _ => None,
            },
        )
        .ok_or_else(|| format!("no object of a known kind in input: {input}"))?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|mut o| {
            if let Value::Object(m) = &mut o {
                m.insert("apiVersion".into(), api_version.into());
                m.insert("kind".into(), kind.into());
            }
            o
        })
        .collect();
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items});
    let report = read_live(&list.to_string(), Epoch::UNIX).map_err(|e| e.to_string())?;
    Ok(report.objects)
}

fn print(o: &LiveObject, now: SimTime, wide: bool) -> Result<Row, String> {
    Ok(match o {
        LiveObject::Service(s) => service::print(s, now, wide),
        LiveObject::Pod(p) => pod::print(p, now, wide),
        LiveObject::EndpointSlice(s) => endpoint_slice::print(s, now, wide),
        LiveObject::Endpoints(e) => endpoints::print(e, now, wide),
        LiveObject::Deployment(d) => deployment::print(d, now, wide),
        LiveObject::ReplicaSet(r) => replica_set::print(r, now, wide),
        other => return Err(format!("no printer checked for {other:?}")),
    })
}

/// Expected cells: JSON strings are string cells, JSON integers `int64` cells.
fn want_cells(v: &Value) -> Result<Vec<Cell>, String> {
    v.as_array()
        .ok_or_else(|| format!("cells are not a list: {v}"))?
        .iter()
        .map(|c| match c {
            Value::String(s) => Ok(Cell::Str(s.clone())),
            Value::Number(n) => n.as_i64().map(Cell::Int).ok_or(format!("cell {n}")),
            other => Err(format!("unexpected cell {other}")),
        })
        .collect()
}

/// A row's conditions as `(type, status, reason, message)`.
fn conditions(row: &Row) -> Vec<(String, String, String, String)> {
    row.conditions
        .iter()
        .map(|c| {
            let s = |x: &str| x.to_owned();
            (s(c.type_), s(c.status), s(c.reason), s(c.message))
        })
        .collect()
}

fn want_conditions(v: Option<&Value>) -> Result<Vec<(String, String, String, String)>, String> {
    let Some(list) = v else { return Ok(Vec::new()) };
    list.as_array()
        .ok_or("row_conditions is not a list")?
        .iter()
        .map(|c| {
            let f = |k: &str| str_field(c, k).map(str::to_owned);
            Ok((f("type")?, f("status")?, f("reason")?, f("message")?))
        })
        .collect()
}

fn print_case(case: &Value, meta: &Value) -> Result<(), String> {
    let now = reference_now(meta)?;
    let input = case.get("input").ok_or("case has no `input`")?;
    let wide = input.get("wide").and_then(Value::as_bool).unwrap_or(false);
    let want = case.get("expected").ok_or("case has no `expected`")?;
    let objects = read_objects(input)?;
    let rows = objects
        .iter()
        .map(|o| print(o, now, wide))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(cells) = want.get("cells") {
        let [row] = rows.as_slice() else {
            return Err(format!("{} rows for one object", rows.len()));
        };
        expect_eq("cells", &row.cells, &want_cells(cells)?)?;
        return expect_eq(
            "row conditions",
            conditions(row),
            want_conditions(want.get("row_conditions"))?,
        );
    }
    let want_rows = want
        .get("rows")
        .and_then(Value::as_array)
        .ok_or("expected has neither `cells` nor `rows`")?;
    expect_eq("row count", rows.len(), want_rows.len())?;
    for (i, (row, w)) in rows.iter().zip(want_rows).enumerate() {
        // A row is its cells, or an object of cells and conditions.
        let (cells, conds) = match w.get("cells") {
            Some(c) => (c, Some(want_conditions(w.get("row_conditions"))?)),
            None => (w, None),
        };
        expect_eq(&format!("row {i} cells"), &row.cells, &want_cells(cells)?)?;
        if let Some(conds) = conds {
            expect_eq(&format!("row {i} conditions"), conditions(row), conds)?;
        }
    }
    Ok(())
}

fn duration_case(case: &Value, _meta: &Value) -> Result<(), String> {
    let input = case.get("input").ok_or("case has no `input`")?;
    let want = str_field(case, "expected")?;
    let ns = |key: &str| {
        input
            .get(key)
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("input has no integer `{key}`"))
    };
    let got = match str_field(input, "function")? {
        "HumanDuration" => human_duration(ns("duration_ns")?),
        "ShortHumanDuration" => short_human_duration(ns("duration_ns")?),
        "translateTimestampSince" => {
            // Far enough from zero for a timestamp in the past or the future.
            let now = SimTime(1 << 50);
            if input.get("timestamp_is_zero").and_then(Value::as_bool) == Some(true) {
                translate_timestamp_since(None, now)
            } else {
                let elapsed = ns("elapsed_ns")?;
                if elapsed % 1_000_000 == 0 {
                    let ms = elapsed / 1_000_000;
                    let then = if ms >= 0 {
                        SimTime(now.0.saturating_sub(ms.unsigned_abs()))
                    } else {
                        now.plus_millis(ms.unsigned_abs())
                    };
                    translate_timestamp_since(Some(then), now)
                } else {
                    // Finer than simulated time: the duration itself.
                    human_duration(elapsed)
                }
            }
        }
        other => return Err(format!("unknown function {other:?}")),
    };
    expect_eq("duration", got.as_str(), want)
}
