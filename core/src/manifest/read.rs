//! Reading one parsed document into an object through its [`Fields`]: what the API
//! server's JSON decoding does, with its error messages.
//!
//! A field of the wrong type is reported as Go's `encoding/json` reports it
//! (`json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of
//! type int32`); `null` leaves a field at its zero value, as in Go; every key no field
//! took is an unknown field. Numbers the model keeps unsigned (probe periods, grace
//! periods) turn a negative value into the validation error the API server gives. A
//! number too large for YAML to hold (`1e400`, which the YAML parser keeps as text) is
//! reported as the number it was written as, when it was written without quotes, as Go
//! reports it from JSON. With an [`Epoch`] (a read of a cluster's dump) the reader also
//! takes what only the cluster writes: `status` and RFC 3339 timestamps, mapped onto
//! simulated time. Without one (an import of manifests) it leaves them, and they count
//! as unknown.
//! Upstream: golang/go@5755c011 `src/encoding/json/decode.go` (`UnmarshalTypeError`),
//! kubernetes/apimachinery `pkg/util/intstr/intstr.go` (`UnmarshalJSON`).

use std::collections::BTreeMap;

use yaml_serde::{Mapping, Value};

use super::error::Problem;
use super::fields::{Fields, Keep, ListSlot, OptSlot, Walker};
use super::path::{FieldPath, Seg};
use crate::objects::api_enum::ApiText;
use crate::objects::{Epoch, IntOrString};
use crate::sim::SimTime;
use crate::validation::field;

/// What reading a document found besides the object.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// Fields of the wrong type or out of range, relative to the object's root.
    pub problems: Vec<(FieldPath, Problem)>,
    /// Keys no field took, relative to the object's root.
    pub unknown: Vec<FieldPath>,
}

/// Whether the value at a path (from the object's root) was written as a bare number.
pub(crate) type WrittenAsNumber<'a> = &'a dyn Fn(&FieldPath) -> bool;

/// Reads `value` into `target`, which starts at its default.
pub(crate) fn read_into(
    value: Value,
    target: &mut dyn Fields,
    written_as_number: WrittenAsNumber<'_>,
) -> Findings {
    read_with(value, target, None, written_as_number)
}

/// Reads a cluster's `value` into `target`, status and timestamps included; `epoch` is
/// the wall-clock instant of simulated time zero.
pub(crate) fn read_live_into(
    value: Value,
    target: &mut dyn Fields,
    epoch: Epoch,
    written_as_number: WrittenAsNumber<'_>,
) -> Findings {
    read_with(value, target, Some(epoch), written_as_number)
}

fn read_with(
    value: Value,
    target: &mut dyn Fields,
    epoch: Option<Epoch>,
    written_as_number: WrittenAsNumber<'_>,
) -> Findings {
    let mut r = Reader {
        map: Mapping::new(),
        path: FieldPath::default(),
        go_struct: target.go_name(),
        found: Findings::default(),
        epoch,
        written_as_number,
    };
    match untag(value) {
        Value::Mapping(m) => r.fields(m, target),
        other => {
            let problem = r.mismatch(None, &other, &format!("v1.{}", target.go_name()));
            r.found.problems.push((FieldPath::default(), problem));
        }
    }
    r.found
}

struct Reader<'a> {
    /// The mapping being read; fields take their keys out of it.
    map: Mapping,
    /// Where that mapping is, from the object's root.
    path: FieldPath,
    /// The Go struct it is read into.
    go_struct: &'static str,
    found: Findings,
    /// Set when reading a cluster's dump: cluster-written parts are then taken.
    epoch: Option<Epoch>,
    written_as_number: WrittenAsNumber<'a>,
}

/// A number in YAML's (and JSON's) syntax that no `f64` holds: the YAML parser keeps it
/// as text.
pub(crate) fn number_out_of_range(s: &str) -> bool {
    let digits = s.trim_start_matches(['-', '+']);
    let (mantissa, exponent) = digits.split_once(['e', 'E']).unwrap_or((digits, "0"));
    let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    s.len() - digits.len() <= 1
        && all_digits(whole)
        && all_digits(fraction)
        && !(whole.is_empty() && fraction.is_empty())
        && !exponent.is_empty()
        && all_digits(exponent)
        && s.parse::<f64>().is_ok_and(f64::is_infinite)
}

fn untag(v: Value) -> Value {
    match v {
        Value::Tagged(t) => untag(t.value),
        v => v,
    }
}

/// How Go's JSON errors name a value's kind.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) => "string".into(),
        Value::Sequence(_) => "array".into(),
        Value::Mapping(_) => "object".into(),
        Value::Tagged(t) => kind(&t.value),
    }
}

/// A mapping key as text: JSON keys are strings, and YAML's `80:` is the key "80". A
/// local tag (`!custom key`) is read through, as Kubernetes' YAML reader reads it; a
/// complex key (`? [a, b]`) is shown in flow style.
pub(crate) fn key_text(v: &Value) -> String {
    let join = |items: Vec<String>| items.join(", ");
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Tagged(t) => key_text(&t.value),
        Value::Sequence(items) => format!("[{}]", join(items.iter().map(key_text).collect())),
        Value::Mapping(m) => {
            let entries = m
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), key_text(v)));
            format!("{{{}}}", join(entries.collect()))
        }
    }
}

impl Reader<'_> {
    /// Takes the value at `key` out of the current mapping; `None` when absent or null.
    fn take(&mut self, key: &str) -> Option<Value> {
        match self.map.remove(key).map(untag) {
            None | Some(Value::Null) => None,
            v => v,
        }
    }

    /// Go's `Struct.field.path` for a field of the current struct (indices and map keys
    /// left out, as Go leaves them out).
    fn go_field(&self, key: Option<&str>) -> String {
        let mut names: Vec<&str> = self
            .path
            .0
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect();
        names.extend(key);
        names.join(".")
    }

    fn mismatch(&self, key: Option<&str>, found: &Value, go_type: &str) -> Problem {
        let what = kind(found);
        // Go names the number only when the kind was right but the value did not fit.
        let what = match (found, go_type) {
            (Value::Number(_), t) if t.starts_with("int") || t.starts_with("uint") => what,
            (Value::Number(_), _) => "number".to_owned(),
            _ => what,
        };
        self.mismatch_of(key, &what, go_type)
    }

    fn mismatch_of(&self, key: Option<&str>, what: &str, go_type: &str) -> Problem {
        let field = self.go_field(key);
        Problem::Type(if field.is_empty() {
            format!("json: cannot unmarshal {what} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {what} into Go struct field {}.{field} of type {go_type}",
                self.go_struct
            )
        })
    }

    fn type_error(&mut self, seg: Seg, key: &str, found: &Value, go_type: &str) {
        let problem = self.mismatch(Some(key), found, go_type);
        let mut at = self.path.clone();
        at.0.push(seg);
        self.found.problems.push((at, problem));
    }

    /// Reads the fields of `target` from `map`, then notes the keys left over.
    fn fields(&mut self, map: Mapping, target: &mut dyn Fields) {
        let outer_map = std::mem::replace(&mut self.map, map);
        let outer_struct = std::mem::replace(&mut self.go_struct, target.go_name());
        target.walk(self);
        let rest = std::mem::replace(&mut self.map, outer_map);
        self.go_struct = outer_struct;
        for (k, _) in rest {
            let at = self.path.key(&key_text(&k));
            self.found.unknown.push(at);
        }
    }

    /// Reads `value` into the struct `target` found at `seg` (a key or a list index).
    /// `key` is the field's name, `None` for a list element (the path already ends at
    /// the list).
    fn nested(&mut self, seg: Seg, key: Option<&str>, value: Value, target: &mut dyn Fields) {
        match value {
            Value::Mapping(m) => {
                self.path.0.push(seg);
                self.fields(m, target);
                self.path.0.pop();
            }
            other => {
                let go = format!("v1.{}", target.go_name());
                let problem = self.mismatch(key, &other, &go);
                let mut at = self.path.clone();
                at.0.push(seg);
                self.found.problems.push((at, problem));
            }
        }
    }

    /// A number that must fit `go` (`int32` or `int64`).
    fn number(&mut self, key: &'static str, go: &'static str, v: Value) -> Option<i64> {
        let n = match &v {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            _ => None,
        };
        let fits = match n {
            Some(n) if go == "int32" => i32::try_from(n).is_ok(),
            Some(_) => true,
            None => false,
        };
        if !fits {
            let at = self.path.key(key);
            match &v {
                Value::String(s) if number_out_of_range(s) && (self.written_as_number)(&at) => {
                    let problem = self.mismatch_of(Some(key), &format!("number {s}"), go);
                    self.found.problems.push((at, problem));
                }
                _ => self.type_error(Seg::Key(key.into()), key, &v, go),
            }
            return None;
        }
        n
    }

    fn text(&mut self, key: &'static str, v: Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s),
            other => {
                self.type_error(Seg::Key(key.into()), key, &other, "string");
                None
            }
        }
    }

    fn text_map(&mut self, key: &'static str, v: Value) -> Option<BTreeMap<String, String>> {
        let Value::Mapping(m) = v else {
            self.type_error(Seg::Key(key.into()), key, &v, "map[string]string");
            return None;
        };
        let mut out = BTreeMap::new();
        for (k, val) in m {
            let k = key_text(&k);
            match untag(val) {
                Value::String(s) => {
                    out.insert(k, s);
                }
                Value::Null => {
                    out.insert(k, String::new());
                }
                other => {
                    let problem = self.mismatch(Some(key), &other, "string");
                    let at = self.path.key(key).key(&k);
                    self.found.problems.push((at, problem));
                }
            }
        }
        Some(out)
    }

    /// A negative count: the API server's validation error, at the field.
    fn negative(&mut self, key: &'static str, n: i64) {
        let mut at = self.path.clone();
        at.0.push(Seg::Key(key.into()));
        let err =
            field::Error::invalid(&to_field_path(&at), n, "must be greater than or equal to 0");
        self.found.problems.push((at, Problem::Field(err)));
    }
}

/// A field path in the validation's form.
pub(crate) fn to_field_path(p: &FieldPath) -> field::Path {
    let mut out = field::Path::nil();
    for seg in &p.0 {
        out = match seg {
            Seg::Key(k) if out.is_nil() => field::Path::new(k),
            Seg::Key(k) => out.child(k),
            Seg::Index(i) => out.index(*i),
        };
    }
    out
}

impl Walker for Reader<'_> {
    fn string(&mut self, key: &'static str, v: &mut String, _: Keep) {
        if let Some(val) = self.take(key)
            && let Some(s) = self.text(key, val)
        {
            *v = s;
        }
    }

    fn opt_string(&mut self, key: &'static str, v: &mut Option<String>) {
        if let Some(val) = self.take(key) {
            *v = self.text(key, val);
        }
    }

    fn int32(&mut self, key: &'static str, v: &mut i32, _: Keep) {
        if let Some(val) = self.take(key)
            && let Some(n) = self.number(key, "int32", val)
        {
            *v = n as i32;
        }
    }

    fn opt_int32(&mut self, key: &'static str, v: &mut Option<i32>) {
        if let Some(val) = self.take(key)
            && let Some(n) = self.number(key, "int32", val)
        {
            *v = Some(n as i32);
        }
    }

    fn count(&mut self, key: &'static str, go: &'static str, v: &mut u32, _: Keep) {
        let mut o = None;
        self.opt_count(key, go, &mut o);
        if let Some(n) = o {
            *v = n;
        }
    }

    fn opt_count(&mut self, key: &'static str, go: &'static str, v: &mut Option<u32>) {
        let Some(val) = self.take(key) else { return };
        let Some(n) = self.number(key, go, val) else {
            return;
        };
        if n < 0 {
            self.negative(key, n);
        } else {
            // Simplification: the model keeps these as u32 (136 years in seconds).
            *v = Some(u32::try_from(n).unwrap_or(u32::MAX));
        }
    }

    fn boolean(&mut self, key: &'static str, v: &mut bool, _: Keep) {
        let mut o = None;
        self.opt_bool(key, &mut o);
        if let Some(b) = o {
            *v = b;
        }
    }

    fn opt_bool(&mut self, key: &'static str, v: &mut Option<bool>) {
        match self.take(key) {
            None => {}
            Some(Value::Bool(b)) => *v = Some(b),
            Some(other) => self.type_error(Seg::Key(key.into()), key, &other, "bool"),
        }
    }

    fn strings(&mut self, key: &'static str, v: &mut Vec<String>) {
        let Some(val) = self.take(key) else { return };
        let Value::Sequence(items) = val else {
            self.type_error(Seg::Key(key.into()), key, &val, "[]string");
            return;
        };
        v.clear();
        for (i, item) in items.into_iter().enumerate() {
            match untag(item) {
                Value::String(s) => v.push(s),
                Value::Null => v.push(String::new()),
                other => {
                    let problem = self.mismatch(Some(key), &other, "string");
                    let at = self.path.key(key).index(i);
                    self.found.problems.push((at, problem));
                }
            }
        }
    }

    fn string_map(&mut self, key: &'static str, v: &mut BTreeMap<String, String>) {
        if let Some(val) = self.take(key)
            && let Some(m) = self.text_map(key, val)
        {
            *v = m;
        }
    }

    fn opt_string_map(&mut self, key: &'static str, v: &mut Option<BTreeMap<String, String>>) {
        if let Some(val) = self.take(key) {
            *v = self.text_map(key, val);
        }
    }

    fn int_or_string(&mut self, key: &'static str, v: &mut IntOrString, _: Keep) {
        match self.take(key) {
            None => {}
            Some(Value::String(s)) => *v = IntOrString::String(s),
            Some(other) => {
                if let Some(n) = self.number(key, "int32", other) {
                    *v = IntOrString::Int(n as i32);
                }
            }
        }
    }

    fn api_text(&mut self, key: &'static str, go: &'static str, v: &mut dyn ApiText, _: Keep) {
        let Some(val) = self.take(key) else { return };
        match untag(val) {
            Value::String(s) => v.set_text(&s),
            Value::Null => v.set_text(""),
            other => self.type_error(Seg::Key(key.into()), key, &other, go),
        }
    }

    fn object(&mut self, key: &'static str, v: &mut dyn Fields, _: Keep) {
        if let Some(val) = self.take(key) {
            self.nested(Seg::Key(key.into()), Some(key), val, v);
        }
    }

    fn opt_object(&mut self, key: &'static str, v: &mut dyn OptSlot) {
        match self.take(key) {
            None => {}
            Some(Value::Mapping(m)) => {
                let target = v.fill();
                self.nested(Seg::Key(key.into()), Some(key), Value::Mapping(m), target);
            }
            Some(other) => {
                let go = format!("v1.{}", v.go_name());
                self.type_error(Seg::Key(key.into()), key, &other, &go);
            }
        }
    }

    fn timestamp(&mut self, key: &'static str, v: &mut Option<SimTime>) {
        let Some(epoch) = self.epoch else { return };
        match self.take(key) {
            None => *v = None,
            Some(Value::String(s)) => match epoch.sim_time(&s) {
                Ok(t) => *v = Some(t),
                Err(e) => {
                    let at = self.path.key(key);
                    self.found.problems.push((at, Problem::Time(e)));
                }
            },
            Some(other) => self.type_error(Seg::Key(key.into()), key, &other, "v1.Time"),
        }
    }

    fn server(&mut self, key: &'static str, v: &mut dyn Fields) {
        if self.epoch.is_some() {
            self.object(key, v, Keep::Set);
        }
    }

    fn live_list(&mut self, key: &'static str, v: &mut dyn ListSlot) {
        if self.epoch.is_some() {
            self.list(key, v, Keep::Set);
        }
    }

    fn list(&mut self, key: &'static str, v: &mut dyn ListSlot, _: Keep) {
        let Some(val) = self.take(key) else { return };
        let Value::Sequence(items) = val else {
            let go = format!("[]v1.{}", v.go_name());
            self.type_error(Seg::Key(key.into()), key, &val, &go);
            return;
        };
        v.clear();
        self.path.0.push(Seg::Key(key.into()));
        for (i, item) in items.into_iter().enumerate() {
            let target = v.push_default();
            self.nested(Seg::Index(i), None, untag(item), target);
        }
        self.path.0.pop();
    }
}
