//! A [`Scenario`]'s JSON, written and read by hand: fields at their defaults are left
//! out, unknown fields are refused. Reading goes through the YAML parser the importer
//! already uses (JSON is YAML), so links cost no second parser in the WebAssembly.

use std::fmt::Write as _;

use serde::Deserialize;
use yaml_serde::{Mapping, Value};

use super::DEFAULT_SEED;
use super::format::{ClientSpec, Scenario, Settings};

/// The scenario as compact JSON.
pub(crate) fn to_json(s: &Scenario) -> String {
    let mut out = String::from("{");
    let mut obj = Obj::new(&mut out);
    if s.seed != DEFAULT_SEED {
        obj.raw("seed", &s.seed.to_string());
    }
    if !s.objects.is_empty() {
        obj.string("objects", &s.objects);
    }
    if !s.clients.is_empty() {
        let items: Vec<String> = s.clients.iter().map(client_json).collect();
        obj.raw("clients", &format!("[{}]", items.join(",")));
    }
    if let Some(p) = s.settings.speed_percent {
        obj.raw("settings", &format!("{{\"speed_percent\":{p}}}"));
    }
    out.push('}');
    out
}

fn client_json(c: &ClientSpec) -> String {
    let mut out = String::from("{");
    let mut obj = Obj::new(&mut out);
    obj.string("name", &c.name);
    obj.string("service", &c.service);
    obj.raw("rate", &c.rate.to_string());
    if let Some(ip) = &c.external_ip {
        obj.string("external_ip", ip);
    }
    out.push('}');
    out
}

struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut String) -> Self {
        Obj { out, first: true }
    }
    fn raw(&mut self, key: &str, json: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        let _ = write!(self.out, "\"{key}\":{json}");
    }
    fn string(&mut self, key: &str, value: &str) {
        self.raw(key, &crate::manifest::quoted(value));
    }
}

/// Reads a scenario's JSON; the error says what is wrong, naming the field.
pub(crate) fn from_json(text: &str) -> Result<Scenario, String> {
    let value =
        Value::deserialize(yaml_serde::Deserializer::from_str(text)).map_err(|e| e.to_string())?;
    let Value::Mapping(mut m) = value else {
        return Err("the scenario must be a JSON object".into());
    };
    let mut s = Scenario {
        seed: DEFAULT_SEED,
        objects: String::new(),
        clients: Vec::new(),
        settings: Settings::default(),
    };
    if let Some(v) = take(&mut m, "seed") {
        s.seed = unsigned(&v, "seed")?;
    }
    if let Some(v) = take(&mut m, "objects") {
        s.objects = string(v, "objects")?;
    }
    if let Some(v) = take(&mut m, "clients") {
        let Value::Sequence(items) = v else {
            return Err("clients: expected a list".into());
        };
        for (i, item) in items.into_iter().enumerate() {
            s.clients.push(client(item, i)?);
        }
    }
    if let Some(v) = take(&mut m, "settings") {
        let Value::Mapping(mut sm) = v else {
            return Err("settings: expected an object".into());
        };
        if let Some(p) = take(&mut sm, "speed_percent") {
            let p = unsigned(&p, "settings.speed_percent")?;
            let p = u32::try_from(p).map_err(|_| "settings.speed_percent: out of range")?;
            s.settings.speed_percent = Some(p);
        }
        refuse_rest(&sm, "settings.", &["speed_percent"])?;
    }
    refuse_rest(&m, "", &["seed", "objects", "clients", "settings"])?;
    Ok(s)
}

fn client(v: Value, i: usize) -> Result<ClientSpec, String> {
    let Value::Mapping(mut m) = v else {
        return Err(format!("clients[{i}]: expected an object"));
    };
    let field = |k: &str| format!("clients[{i}].{k}");
    let need = |m: &mut Mapping, k: &str| {
        take(m, k).ok_or_else(|| format!("{}: missing field `{k}`", field(k)))
    };
    let name = string(need(&mut m, "name")?, &field("name"))?;
    let service = string(need(&mut m, "service")?, &field("service"))?;
    let rate = unsigned(&need(&mut m, "rate")?, &field("rate"))?;
    let rate = u32::try_from(rate).map_err(|_| format!("{}: out of range", field("rate")))?;
    let external_ip = match take(&mut m, "external_ip") {
        Some(v) => Some(string(v, &field("external_ip"))?),
        None => None,
    };
    let known = ["name", "service", "rate", "external_ip"];
    refuse_rest(&m, &format!("clients[{i}]."), &known)?;
    Ok(ClientSpec {
        name,
        service,
        rate,
        external_ip,
    })
}

fn take(m: &mut Mapping, key: &str) -> Option<Value> {
    m.remove(key).filter(|v| !v.is_null())
}

fn string(v: Value, field: &str) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(format!("{field}: expected a string")),
    }
}

fn unsigned(v: &Value, field: &str) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("{field}: expected a non-negative integer"))
}

fn refuse_rest(m: &Mapping, prefix: &str, known: &[&str]) -> Result<(), String> {
    match m.keys().next() {
        None => Ok(()),
        Some(k) => {
            let k = crate::manifest::key_text(k);
            let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            Err(format!(
                "unknown field `{prefix}{k}`, expected one of {}",
                expected.join(", ")
            ))
        }
    }
}
