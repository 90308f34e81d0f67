//! `svcplay check`: every Service with its addresses and endpoints, and why a Service
//! would not answer — the core's diagnosis ([`svcplay_core::diagnose`]) as text, JSON
//! or SARIF 2.1.0.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::json;
use svcplay_core::diagnose::{Cluster, Finding, RULES, Severity};
use svcplay_core::objects::{Service, ServiceType};

/// One row of the Service table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow {
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
    /// The type.
    #[serde(rename = "type")]
    pub type_: String,
    /// The ClusterIP (`None` for headless, empty for ExternalName).
    #[serde(rename = "clusterIP")]
    pub cluster_ip: String,
    /// `port:nodePort/PROTOCOL` for every port with a node port.
    pub node_ports: Vec<String>,
    /// External IPs: `spec.externalIPs` and load-balancer ingress IPs.
    #[serde(rename = "externalIPs")]
    pub external_ips: Vec<String>,
    /// Ready endpoints.
    pub ready: usize,
    /// All endpoints.
    pub total: usize,
}

/// Where each input file starts in the joined text: `(name, first line)`.
#[derive(Debug, Clone, Default)]
pub struct Files(pub Vec<(String, usize)>);

impl Files {
    /// The file and its own line for a line of the joined text.
    pub fn place(&self, line: usize) -> (String, usize) {
        let found = self.0.iter().rev().find(|(_, start)| *start <= line);
        match found {
            Some((name, start)) => (name.clone(), line - start + 1),
            None => ("-".to_owned(), line),
        }
    }
}

/// The rows, one per Service, by namespace and name.
pub fn rows(cluster: &Cluster) -> Vec<ServiceRow> {
    cluster.services.values().map(|s| row(cluster, s)).collect()
}

fn row(cluster: &Cluster, s: &Service) -> ServiceRow {
    let spec = &s.spec;
    let node_ports = spec
        .ports
        .iter()
        .filter(|p| p.node_port != 0)
        .map(|p| format!("{}:{}/{}", p.port, p.node_port, p.protocol))
        .collect();
    let mut external_ips = spec.external_ips.clone();
    let ingress = s.status.load_balancer.ingress.iter();
    external_ips.extend(
        ingress
            .map(|i| {
                if i.ip.is_empty() {
                    i.hostname.clone()
                } else {
                    i.ip.clone()
                }
            })
            .filter(|x| !x.is_empty()),
    );
    let mut all = BTreeSet::new();
    let mut ready = BTreeSet::new();
    for slice in cluster.slices_of(s) {
        for e in &slice.endpoints {
            let Some(addr) = e.addresses.first() else {
                continue;
            };
            all.insert(addr.clone());
            if e.conditions.ready {
                ready.insert(addr.clone());
            }
        }
    }
    ServiceRow {
        namespace: s.metadata.namespace.clone(),
        name: s.metadata.name.clone(),
        type_: spec.effective_type().to_string(),
        cluster_ip: spec.cluster_ip.clone(),
        node_ports,
        external_ips,
        ready: ready.len(),
        total: all.len(),
    }
}

/// Whether the findings fail the run at `fail_on` (notes never do).
pub fn fails(findings: &[Finding], fail_on: Severity) -> bool {
    findings
        .iter()
        .any(|f| f.severity >= fail_on.max(Severity::Warning))
}

fn place(f: &Finding, files: &Files) -> Option<(String, usize, usize)> {
    f.at.map(|a| {
        let (file, line) = files.place(a.line);
        (file, line, a.column)
    })
}

/// One finding as text: `error selector-no-match default/Service/web spec.selector
/// (app.yaml:9): …` and its fix on the next line.
pub fn finding_text(f: &Finding, files: &Files) -> String {
    let at = place(f, files)
        .map(|(file, line, _)| format!(" ({file}:{line})"))
        .unwrap_or_default();
    let field = if f.field.is_empty() {
        String::new()
    } else {
        format!(" {}", f.field)
    };
    format!(
        "  {} {} {}{field}{at}: {}\n      fix: {}\n",
        f.severity, f.rule.id, f.object, f.message, f.fix
    )
}

/// The table and the findings as text.
pub fn render_text(rows: &[ServiceRow], findings: &[Finding], files: &Files) -> String {
    let mut table = vec![[
        "NAMESPACE".to_owned(),
        "NAME".to_owned(),
        "TYPE".to_owned(),
        "CLUSTER-IP".to_owned(),
        "NODE-PORTS".to_owned(),
        "EXTERNAL-IP".to_owned(),
        "ENDPOINTS".to_owned(),
    ]];
    for r in rows {
        let none = |v: &[String]| {
            if v.is_empty() {
                "<none>".to_owned()
            } else {
                v.join(",")
            }
        };
        let external = if r.external_ips.is_empty() && r.type_ == ServiceType::LoadBalancer.as_str()
        {
            "<pending>".to_owned()
        } else {
            none(&r.external_ips)
        };
        table.push([
            r.namespace.clone(),
            r.name.clone(),
            r.type_.clone(),
            if r.cluster_ip.is_empty() {
                "<none>".to_owned()
            } else {
                r.cluster_ip.clone()
            },
            none(&r.node_ports),
            external,
            format!("{}/{}", r.ready, r.total),
        ]);
    }
    // Padded by hand: `format!("{c:<w$}")` panics for a width over 65,535 (a Service
    // with thousands of external IPs makes one).
    let chars = |s: &str| s.chars().count();
    let mut widths = [0usize; 7];
    for line in &table {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(chars(cell));
        }
    }
    let mut out = String::new();
    for line in &table {
        let mut row = String::new();
        for (i, (cell, w)) in line.iter().zip(widths).enumerate() {
            if i > 0 {
                row.push_str("   ");
            }
            row.push_str(cell);
            row.extend(std::iter::repeat_n(' ', w - chars(cell)));
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    let (notes, problems): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| f.severity == Severity::Note);
    if problems.is_empty() {
        out.push_str("\nno problems found\n");
    } else {
        out.push_str(&format!("\n{} problem(s):\n", problems.len()));
        for f in problems {
            out.push_str(&finding_text(f, files));
        }
    }
    if !notes.is_empty() {
        out.push_str(&format!("\n{} note(s):\n", notes.len()));
        for f in notes {
            out.push_str(&finding_text(f, files));
        }
    }
    out
}

fn finding_json(f: &Finding, files: &Files) -> serde_json::Value {
    let (file, line, column) = match place(f, files) {
        Some((file, line, column)) => (json!(file), json!(line), json!(column)),
        None => (json!(null), json!(null), json!(null)),
    };
    json!({
        "rule": f.rule.id,
        "cause": f.rule.cause,
        "severity": f.severity.as_str(),
        "object": { "kind": f.object.kind, "namespace": f.object.namespace, "name": f.object.name },
        "field": f.field,
        "message": f.message,
        "fix": f.fix,
        "file": file,
        "line": line,
        "column": column,
        "document": f.at.map(|a| a.document),
    })
}

/// The table, the findings and the notices as JSON (`--output json`).
pub fn render_json(
    rows: &[ServiceRow],
    findings: &[Finding],
    notices: &[String],
    files: &Files,
) -> String {
    let problems: Vec<_> = findings.iter().map(|f| finding_json(f, files)).collect();
    let v = json!({ "services": rows, "problems": problems, "notices": notices });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}

/// The findings as SARIF 2.1.0 (`--output sarif`): one run, every rule in
/// `tool.driver.rules`, each result with its rule, level, message, file, line and the
/// field path (as a logical location and a property).
pub fn render_sarif(findings: &[Finding], files: &Files) -> String {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.title },
                "properties": { "cause": r.cause },
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let (file, line, column) = place(f, files).unwrap_or_else(|| (files.0.first().map_or("-".to_owned(), |x| x.0.clone()), 1, 1));
            let qualified = if f.field.is_empty() { f.object.to_string() } else { format!("{}.{}", f.object, f.field) };
            json!({
                "ruleId": f.rule.id,
                "ruleIndex": RULES.iter().position(|r| r.id == f.rule.id),
                "level": f.severity.as_str(),
                "message": { "text": format!("{} Fix: {}.", f.message, f.fix) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": file },
                        "region": { "startLine": line, "startColumn": column },
                    },
                    "logicalLocations": [{ "fullyQualifiedName": qualified, "kind": "member" }],
                }],
                "properties": { "fieldPath": f.field, "object": f.object.to_string(), "fix": f.fix },
            })
        })
        .collect();
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "svcplay",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "results": results,
        }],
    });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
