//! Field paths and field errors, rendered exactly as the API server renders them:
//! `spec.ports[1].name: Required value`,
//! `metadata.labels: Invalid value: "a/b/c": name part must ...`.
//!
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/util/validation/field/path.go`,
//! `pkg/util/validation/field/errors.go`, `pkg/util/errors/errors.go` (`aggregate.Error`).

use std::fmt;

use super::gofmt;

/// A path from the object root to a field: `spec.ports[1].name`, `metadata.labels[app]`.
///
/// Built like upstream's `field.Path`: `Path::new("spec").child("ports").index(1)`.
/// [`Path::nil`] is Go's nil `*Path`, which renders as `<nil>` on its own and is simply
/// absent as a parent (`Path::nil().child("key")` renders `key`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path {
    elems: Vec<Elem>,
}

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Elem {
    /// A field name (`.name`).
    Name(String),
    /// A subscript: a list index or map key (`[1]`, `[app]`).
    Subscript(String),
}

impl Path {
    /// A root path: `Path::new("spec")`.
    pub fn new(name: &str) -> Self {
        Path {
            elems: vec![Elem::Name(name.to_owned())],
        }
    }

    /// A path of dotted field names: `Path::dotted("spec.template.metadata")`.
    pub fn dotted(text: &str) -> Self {
        let mut parts = text.split('.');
        let first = Path::new(parts.next().unwrap_or(""));
        parts.fold(first, |p, c| p.child(c))
    }

    /// Go's nil path: renders `<nil>`, and adds nothing in front of a child.
    pub fn nil() -> Self {
        Path::default()
    }

    /// Whether this is the nil path.
    pub fn is_nil(&self) -> bool {
        self.elems.is_empty()
    }

    /// The path to a child field: `spec` → `spec.ports`.
    pub fn child(&self, name: &str) -> Self {
        self.with(Elem::Name(name.to_owned()))
    }

    /// The path to a list element: `spec.ports` → `spec.ports[1]`.
    pub fn index(&self, index: usize) -> Self {
        self.with(Elem::Subscript(index.to_string()))
    }

    /// The path to a map entry: `metadata.labels` → `metadata.labels[app]`.
    pub fn key(&self, key: &str) -> Self {
        self.with(Elem::Subscript(key.to_owned()))
    }

    fn with(&self, elem: Elem) -> Self {
        let mut elems = Vec::with_capacity(self.elems.len() + 1);
        elems.extend(self.elems.iter().cloned());
        elems.push(elem);
        Path { elems }
    }
}

impl fmt::Display for Path {
    /// Upstream: kubernetes/apimachinery@eed236ce `pkg/util/validation/field/path.go`
    /// `Path.String`: a dot before every name but the first, `[x]` for subscripts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.elems.is_empty() {
            return f.write_str("<nil>");
        }
        for (i, elem) in self.elems.iter().enumerate() {
            match elem {
                Elem::Name(name) if !name.is_empty() => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                // Upstream renders an empty name like an empty subscript.
                Elem::Name(_) => f.write_str("[]")?,
                Elem::Subscript(sub) => write!(f, "[{sub}]")?,
            }
        }
        Ok(())
    }
}

/// Why a field is wrong: upstream's `field.ErrorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorType {
    /// A required value is missing (`Required value`).
    Required,
    /// A value is malformed (`Invalid value`).
    Invalid,
    /// A value collides with another that must be unique (`Duplicate value`).
    Duplicate,
    /// A value is well formed but not allowed here (`Forbidden`).
    Forbidden,
    /// A value is not one of an enumeration (`Unsupported value`).
    NotSupported,
    /// A value is too long (`Too long`).
    TooLong,
    /// A list has too many items (`Too many`).
    TooMany,
    /// A referenced value was not found (`Not found`).
    NotFound,
    /// Something went wrong that is not the user's input (`Internal error`).
    Internal,
}

impl ErrorType {
    /// The machine-readable name, as in the API's `StatusCause.reason`: `FieldValueInvalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Internal => "InternalError",
        }
    }

    /// The words in a message: `Invalid value`, `Required value`, ...
    pub fn description(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::NotFound => "Not found",
            ErrorType::Internal => "Internal error",
        }
    }

    /// Whether messages of this type show the bad value (upstream `ErrorBody`).
    fn shows_value(self) -> bool {
        !matches!(
            self,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong | ErrorType::Internal
        )
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A value as Go renders it in a field error: strings quoted (`%q`), numbers and booleans
/// plain, lists of strings as JSON.
pub trait GoValue {
    /// The rendering upstream's `ErrorBody` gives this value.
    fn render(&self) -> String;
}

impl GoValue for str {
    fn render(&self) -> String {
        gofmt::quote(self)
    }
}
impl GoValue for String {
    fn render(&self) -> String {
        gofmt::quote(self)
    }
}
impl GoValue for [String] {
    fn render(&self) -> String {
        gofmt::json_strings(self)
    }
}
impl GoValue for Vec<String> {
    fn render(&self) -> String {
        gofmt::json_strings(self)
    }
}
impl GoValue for bool {
    fn render(&self) -> String {
        self.to_string()
    }
}
macro_rules! go_value_int {
    ($($t:ty),*) => {$(
        impl GoValue for $t {
            fn render(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
go_value_int!(i32, i64, u16, u32, u64, usize);
impl<T: GoValue + ?Sized> GoValue for &T {
    fn render(&self) -> String {
        (**self).render()
    }
}

/// A value that is already rendered (for example Go's `null` for a nil list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered(pub String);

impl GoValue for Rendered {
    fn render(&self) -> String {
        self.0.clone()
    }
}

/// One field error: upstream's `field.Error`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Error {
    /// What kind of problem it is.
    pub kind: ErrorType,
    /// The rendered path of the field (`spec.ports[0].port`, or `<nil>`).
    pub field: String,
    /// The offending value, already rendered as Go renders it (`"a/b"`, `65536`, `[]`);
    /// `None` when the message shows no value.
    pub bad_value: Option<String>,
    /// The explanation, upstream's words.
    pub detail: String,
}

/// A list of field errors, in the order they were found.
pub type ErrorList = Vec<Error>;

impl Error {
    fn new(
        kind: ErrorType,
        path: &Path,
        bad_value: Option<String>,
        detail: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            field: path.to_string(),
            bad_value,
            detail: detail.into(),
        }
    }

    /// `field.Required`: `spec.ports[1].name: Required value`.
    pub fn required(path: &Path, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Required, path, None, detail)
    }

    /// `field.Invalid`: `path: Invalid value: <value>: <detail>`.
    pub fn invalid(path: &Path, value: impl GoValue, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Invalid, path, Some(value.render()), detail)
    }

    /// `field.Duplicate`: `path: Duplicate value: <value>`.
    pub fn duplicate(path: &Path, value: impl GoValue) -> Self {
        Self::new(ErrorType::Duplicate, path, Some(value.render()), "")
    }

    /// `field.Forbidden`: `path: Forbidden: <detail>`.
    pub fn forbidden(path: &Path, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Forbidden, path, None, detail)
    }

    /// `field.NotFound`: `path: Not found: <value>`.
    pub fn not_found(path: &Path, value: impl GoValue) -> Self {
        Self::new(ErrorType::NotFound, path, Some(value.render()), "")
    }

    /// `field.NotSupported`:
    /// `path: Unsupported value: "x": supported values: "A", "B"`.
    pub fn not_supported(path: &Path, value: impl GoValue, supported: &[&str]) -> Self {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|v| gofmt::quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(ErrorType::NotSupported, path, Some(value.render()), detail)
    }

    /// `field.TooLong`: `path: Too long: may not be more than 63 bytes` (the value is
    /// never shown); a negative `max` says `value is too long`.
    pub fn too_long(path: &Path, max: i64) -> Self {
        let detail = match max {
            1 => "may not be more than 1 byte".to_owned(),
            m if m >= 0 => format!("may not be more than {m} bytes"),
            _ => "value is too long".to_owned(),
        };
        Self::new(ErrorType::TooLong, path, None, detail)
    }

    /// `field.TooMany`: `path: Too many: 3: must have at most 2 items`; `actual` `None`
    /// omits the count, a negative `max` says `has too many items`.
    pub fn too_many(path: &Path, actual: Option<usize>, max: i64) -> Self {
        let detail = match max {
            1 => "must have at most 1 item".to_owned(),
            m if m >= 0 => format!("must have at most {m} items"),
            _ => "has too many items".to_owned(),
        };
        Self::new(
            ErrorType::TooMany,
            path,
            actual.map(|a| a.to_string()),
            detail,
        )
    }

    /// `field.InternalError`: `path: Internal error: <detail>`.
    pub fn internal(path: &Path, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Internal, path, None, detail)
    }

    /// The message without the field: upstream's `ErrorBody`.
    pub fn body(&self) -> String {
        let mut s = self.kind.description().to_owned();
        if let (true, Some(v)) = (self.kind.shows_value(), &self.bad_value) {
            s.push_str(": ");
            s.push_str(v);
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

impl std::error::Error for Error {}

/// Drops errors whose message repeats an earlier one, as upstream's
/// `ErrorList.ToAggregate` does.
pub fn dedup(list: ErrorList) -> ErrorList {
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .filter(|e| seen.insert(e.to_string()))
        .collect()
}

/// The message of an aggregate of errors (upstream `aggregate.Error`): one error is its
/// own message; several are `[first, second]`, repeats dropped; none is empty.
pub fn aggregate_message(list: &[Error]) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let msgs: Vec<String> = list
        .iter()
        .map(Error::to_string)
        .filter(|m| seen.insert(m.clone()))
        .collect();
    match msgs.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn paths_render_like_upstream() {
        assert_eq!(
            Path::new("spec")
                .child("ports")
                .index(1)
                .child("name")
                .to_string(),
            "spec.ports[1].name"
        );
        assert_eq!(
            Path::new("metadata").child("labels").key("x").to_string(),
            "metadata.labels[x]"
        );
        assert_eq!(Path::nil().to_string(), "<nil>");
        assert_eq!(
            Path::nil().child("values").index(0).key("x").to_string(),
            "values[0][x]"
        );
        assert_eq!(Path::nil().key("k").to_string(), "[k]");
    }

    #[test]
    fn errors_render_like_upstream() {
        let ports = Path::new("spec").child("ports");
        assert_eq!(
            Error::required(&ports.index(1).child("name"), "").to_string(),
            "spec.ports[1].name: Required value"
        );
        assert_eq!(
            Error::invalid(
                &ports.index(0).child("port"),
                65536_i64,
                "must be between 1 and 65535, inclusive"
            )
            .to_string(),
            "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive"
        );
        assert_eq!(
            Error::invalid(&Path::new("metadata").child("labels"), "a/b/c", "bad").to_string(),
            "metadata.labels: Invalid value: \"a/b/c\": bad"
        );
        assert_eq!(
            Error::not_supported(&Path::new("spec").child("type"), "x", &["A", "B"]).to_string(),
            "spec.type: Unsupported value: \"x\": supported values: \"A\", \"B\""
        );
        assert_eq!(
            Error::forbidden(&Path::new("a"), "no").to_string(),
            "a: Forbidden: no"
        );
        assert_eq!(
            Error::too_long(&Path::new("a"), 63).to_string(),
            "a: Too long: may not be more than 63 bytes"
        );
        assert_eq!(
            Error::too_many(&Path::new("a"), Some(3), 2).to_string(),
            "a: Too many: 3: must have at most 2 items"
        );
        assert_eq!(
            Error::duplicate(&Path::new("a"), "x").to_string(),
            "a: Duplicate value: \"x\""
        );
        assert_eq!(
            Error::internal(&Path::new("a"), "boom").to_string(),
            "a: Internal error: boom"
        );
        assert_eq!(
            Error::invalid(&Path::new("v"), Vec::<String>::new(), "d").to_string(),
            "v: Invalid value: []: d"
        );
        assert_eq!(ErrorType::NotSupported.as_str(), "FieldValueNotSupported");
    }

    #[test]
    fn aggregates_dedup_and_bracket() {
        let a = Error::required(&Path::new("a"), "");
        let b = Error::required(&Path::new("b"), "");
        assert_eq!(aggregate_message(&[]), "");
        assert_eq!(
            aggregate_message(std::slice::from_ref(&a)),
            "a: Required value"
        );
        assert_eq!(
            aggregate_message(&[a.clone(), a.clone()]),
            "a: Required value"
        );
        assert_eq!(
            aggregate_message(&[a.clone(), b, a.clone()]),
            "[a: Required value, b: Required value]"
        );
        assert_eq!(dedup(vec![a.clone(), a]).len(), 1);
    }
}
