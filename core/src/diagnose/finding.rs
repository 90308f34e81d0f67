//! What a diagnosis says: one [`Finding`] per cause found, with the rule that found it,
//! how bad it is, the object and field it is about, the cause in one sentence and the
//! fix; and [`RULES`], every rule with its title (for SARIF's `tool.driver.rules`).

use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; the Service still answers (a single endpoint, affinity).
    Note,
    /// Some traffic fails, or fails under some conditions.
    Warning,
    /// The Service does not answer.
    Error,
}

impl Severity {
    /// `note`, `warning`, `error` (SARIF's `level` words).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule: its stable id, the cause it checks (1–10 from the issue, 0 for the others)
/// and a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `selector-no-match`.
    pub id: &'static str,
    /// The cause's number in "the ten commonest causes" (0: one of the next ones).
    pub cause: u8,
    /// One line: what the rule finds.
    pub title: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $cause:literal, $title:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Rule = Rule { id: $id, cause: $cause, title: $title };
        )*
        /// Every rule, in the order.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    SELECTOR_NO_MATCH = "selector-no-match", 1, "The Service's selector matches no pod";
    PODS_NOT_READY = "pods-not-ready", 2, "Selected pods are not Ready";
    TARGET_PORT_NOT_LISTENING = "target-port-not-listening", 3, "targetPort is not the port the app listens on";
    NAMED_PORT_NOT_FOUND = "named-port-not-found", 4, "A named targetPort no container declares";
    TARGET_PORT_QUOTED_NUMBER = "target-port-quoted-number", 4, "A targetPort number written as a string";
    PROTOCOL_MISMATCH = "protocol-mismatch", 4, "The Service port's protocol is not the container port's";
    SERVICE_PODS_APART = "service-pods-apart", 5, "The Service and its pods are in different namespaces";
    CLIENT_NAMESPACE_MISMATCH = "client-namespace-mismatch", 5, "A client uses a Service's short name from another namespace";
    LOOPBACK_ONLY = "app-listens-on-loopback", 6, "The app listens on 127.0.0.1 only";
    LOCAL_POLICY_DROPS = "local-policy-drops", 7, "externalTrafficPolicy: Local on nodes without a local endpoint";
    NODE_PORT_UNREACHABLE = "node-port-unreachable", 8, "A node port that does not answer";
    LOAD_BALANCER_PENDING = "load-balancer-pending", 9, "A LoadBalancer stuck at <pending>";
    CONNECTIONS_NOT_REBALANCED = "connections-not-rebalanced", 10, "Long-lived connections not rebalanced after a scale-up";
    SESSION_AFFINITY_PINNING = "session-affinity-pinning", 0, "Session affinity pins clients to a pod across rollouts";
    SINGLE_ENDPOINT = "single-endpoint", 0, "A Service with a single endpoint";
    LB_CLIENT_IP_HIDDEN = "lb-client-ip-hidden", 0, "A LoadBalancer with Cluster policy hides the client IP";
    DEPLOYMENT_SELECTOR_MISMATCH = "deployment-selector-mismatch", 0, "A Deployment whose selector does not match its template";
    SELECTORLESS_NO_ENDPOINTS = "selectorless-no-endpoints", 0, "A Service without selector and without EndpointSlices";
    DUMP_CONTRADICTION = "dump-contradiction", 0, "The cluster's state contradicts itself";
    REJECTED = "rejected", 0, "An object the API server would refuse";
}

/// One cause found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that found it.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// The object: `Kind`, namespace, name.
    pub object: ObjectRef,
    /// The field path inside the object (`spec.ports[0].targetPort`), empty for the
    /// whole object.
    pub field: String,
    /// The cause, in one sentence.
    pub message: String,
    /// What to change.
    pub fix: String,
    /// Where in the input, when known.
    pub at: Option<At>,
}

/// An object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// `Service`, `Deployment`, `Pod`, `EndpointSlice`, …
    pub kind: String,
    /// The namespace (empty for cluster-scoped kinds).
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl ObjectRef {
    /// An object reference.
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.to_owned(),
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.namespace, self.kind, self.name)
        }
    }
}

/// A position in the input: document (from 1), line and column (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    /// The document, from 1.
    pub document: usize,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

impl Finding {
    /// A finding without a position (the caller's locator adds it).
    pub fn new(rule: Rule, severity: Severity, object: ObjectRef, field: &str) -> Self {
        Finding {
            rule,
            severity,
            object,
            field: field.to_owned(),
            message: String::new(),
            fix: String::new(),
            at: None,
        }
    }

    /// With the cause.
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.message = m.into();
        self
    }

    /// With the fix.
    pub fn fix(mut self, m: impl Into<String>) -> Self {
        self.fix = m.into();
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.severity, self.rule.id, self.object)?;
        if !self.field.is_empty() {
            write!(f, " {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}
