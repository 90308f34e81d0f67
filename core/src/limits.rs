//! Every limit svcplay puts on what it is given, in one place: the page's Import dialog,
//! share links, autosave, the CLI and the world's own commands all check against these
//! constants, and every refusal names the limit and the field.
//!
//! Each limit is chosen so that every real manifest we know of passes with a margin, and
//! so that the worst input under it is handled in about a second and well under 1 GB
//! (BENCHMARKS.md, "Hostile input", has the measurements). The real manifests: the
//! vendored demos under `core/tests/manifests/` (Bookinfo 7.9 KB: 15 documents, 4
//! Services, 6 pods; Guestbook 3.4 KB: 3 Services, 6 pods; Online Boutique 23 KB: 36
//! documents, 12 Services, 12 pods), Argo CD's `install.yaml` (about 1.9 MB in about 60
//! documents, its CRDs nested about 40 deep) and ingress-nginx's `deploy.yaml` (about 20
//! documents, under 30 KB). The last two could not be fetched here: their figures are
//! estimates from the published files' structure, and each limit keeps at least a 2×
//! margin over them.
//!
//! Simplification: the API server has its own limits (3 MiB per request body, a JSON
//! nesting depth of 10,000); kubectl reads any file. These are the playground's: it
//! simulates every object it is given in a browser tab.

use std::fmt;

/// The most bytes of manifest text one import reads (the page's Import dialog, an
/// unpacked link's objects, the CLI's files together).
///
/// Argo CD's `install.yaml`, the largest real manifest we know of, is about 1.9 MB: 2.2×
/// margin. The CLI stops reading at this size, so `-f /dev/zero` is refused, not read.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// The most YAML documents (`---`-separated) in one import.
///
/// Argo CD's `install.yaml` has about 60, ingress-nginx's about 20, the demos at most 36.
pub const MAX_DOCUMENTS: usize = 10_000;

/// The most objects in one import: documents plus the items of `List`s, of every kind
/// (ConfigMaps and CRDs count though they are skipped).
///
/// Argo CD's `install.yaml` has about 60, Online Boutique 24 that the playground models
/// (and its ServiceAccounts); the import benchmark goes to 8,000.
pub const MAX_OBJECTS: usize = 10_000;

/// The deepest nesting of mappings and sequences in a document.
///
/// A CRD's OpenAPI schema is the deepest real YAML: Argo CD's ApplicationSet CRD reaches
/// about 40 levels (`spec.generators[].matrix.generators[]…template.spec.source.helm`),
/// a Deployment about 10: 2.5× margin. It is checked by a linear pass over the text
/// before the YAML scanner runs, because that scanner's cost grows with the square of
/// the flow nesting (`[[[[…` or `{a: {a: …`); the YAML parser itself stops at 128.
pub const MAX_NESTING_DEPTH: usize = 100;

/// The most pods a world may ask for in all: the replicas of every Deployment (1 when
/// unset) plus bare Pods.
///
/// The demos ask for at most 12 (Online Boutique); the page stays at 60 frames per second
/// with 200 pods (BENCHMARKS.md). Every pod is simulated (probes, endpoints, kube-proxy
/// rules on every node), so 1,000 Deployments of 1,000 replicas would be a million.
pub const MAX_PODS: u32 = 1_000;

/// The most Services a world may hold (the built-in `kubernetes` Service aside).
///
/// kube-proxy programs every Service on every node, and each Service is a box on the
/// page. Real apps have far fewer: Online Boutique 12, Argo CD about 8, ingress-nginx 3.
pub const MAX_SERVICES: u32 = 100;

/// The most endpoints a world's Services may have in all: for every Service, the pods
/// its selector matches.
///
/// kube-proxy programs every endpoint of every Service on every node, and `svcplay
/// rules` prints them: 100 Services each selecting 1,000 pods on 10 nodes printed
/// 585 MB in 8.6 s. Real apps select each pod from one or two Services (Online Boutique:
/// 12 endpoints for 12 pods), so at [`MAX_PODS`] they stay under 2,000: 5× margin.
pub const MAX_ENDPOINTS: u32 = 10_000;

/// The most Nodes a world may hold.
///
/// Real manifests bring none (the CLI adds 3, the default scenario has 2); a kind
/// cluster has up to about 6. Every node runs kube-proxy over every Service.
pub const MAX_NODES: u32 = 10;

/// The most a Deployment's (or ReplicaSet's) pod template may hold, in bytes of YAML,
/// counting only the fields the playground keeps (the export's size).
///
/// Every replica copies its template: 1,000 replicas of a 400 KB template of labels
/// took 4.4 GB. Online Boutique's largest template keeps 595 bytes, Bookinfo's 441; a
/// template with the fields of Argo CD's repo server (containers, ports, probes,
/// labels) a few KB.
pub const MAX_POD_TEMPLATE_BYTES: usize = 16 * 1024;

/// The most replicas one Deployment may be scaled to.
///
/// Simplification: the API allows any non-negative int32; the playground caps it so a
/// click cannot create a million pods. It equals [`MAX_PODS`]: one Deployment may use
/// the whole budget.
pub const MAX_REPLICAS: i32 = 1_000;

/// The most simulated seconds the CLI runs a world before reporting (`--settle`).
///
/// The default is 60; every controller in the model settles within seconds (pods start
/// in 2 s, probes tick every 10 s, grace periods end after 30 s). An hour of 1,000 pods
/// on 10 nodes runs in a quarter of a second.
pub const MAX_SETTLE_SECONDS: u64 = 3_600;

/// The longest share link fragment (`#s=…`) read, in bytes.
///
/// The default scenario's link is under 2 KB; the demos' under 10 KB.
pub const MAX_LINK_BYTES: usize = 64 * 1024;

/// The most bytes a share link's payload may unpack to; unpacking stops at this size.
///
/// Online Boutique, the largest demo, exports to less than its 23 KB manifest: a 40×
/// margin.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// The most traffic clients a scenario may have.
///
/// The default scenario has 3.
pub const MAX_CLIENTS: usize = 100;

/// The highest request rate of one client, per simulated second (the page's rate boxes,
/// share links, `World::set_client_rate`).
///
/// Simplification: a real client has no such cap; the playground keeps a typo from
/// sending a million requests a second.
pub const MAX_CLIENT_RATE: u32 = 1_000;

/// The most requests per simulated second all of a scenario's clients may send
/// together.
///
/// Every request is routed through kube-proxy's model and drawn; at [`MAX_SPEED_PERCENT`]
/// (×100) this is 400,000 requests per wall second, about a quarter of a core. The
/// page's own rate boxes (three streams of at most [`MAX_CLIENT_RATE`]) stay under it;
/// a link with 100 clients at 1,000 each would have the tab route 10 million a second.
pub const MAX_TOTAL_RATE: u32 = 4_000;

/// The fastest playback a scenario may ask for, in hundredths (10,000 = ×100), as the
/// page's speed menu offers.
pub const MAX_SPEED_PERCENT: u32 = 10_000;

/// Which limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// [`MAX_INPUT_BYTES`].
    InputBytes,
    /// [`MAX_DOCUMENTS`].
    Documents,
    /// [`MAX_OBJECTS`].
    Objects,
    /// [`MAX_NESTING_DEPTH`].
    NestingDepth,
    /// [`MAX_PODS`].
    Pods,
    /// [`MAX_SERVICES`].
    Services,
    /// [`MAX_NODES`].
    Nodes,
    /// [`MAX_ENDPOINTS`].
    Endpoints,
    /// [`MAX_POD_TEMPLATE_BYTES`].
    PodTemplateBytes,
    /// [`MAX_REPLICAS`].
    Replicas,
    /// [`MAX_SETTLE_SECONDS`].
    SettleSeconds,
    /// [`MAX_LINK_BYTES`].
    LinkBytes,
    /// [`MAX_INFLATED_BYTES`].
    InflatedBytes,
    /// [`MAX_CLIENTS`].
    Clients,
    /// [`MAX_CLIENT_RATE`].
    ClientRate,
    /// [`MAX_TOTAL_RATE`].
    TotalRate,
    /// [`MAX_SPEED_PERCENT`].
    SpeedPercent,
}

/// How Kubernetes words a value over a limit (`field.TooLong`, `field.TooMany`, and a
/// number out of range).
enum Words {
    Long,
    Many,
    Deep,
    Large,
}

impl Limit {
    /// The constant's name, as README's "Limits" lists it.
    pub fn name(self) -> &'static str {
        match self {
            Limit::InputBytes => "MAX_INPUT_BYTES",
            Limit::Documents => "MAX_DOCUMENTS",
            Limit::Objects => "MAX_OBJECTS",
            Limit::NestingDepth => "MAX_NESTING_DEPTH",
            Limit::Pods => "MAX_PODS",
            Limit::Services => "MAX_SERVICES",
            Limit::Nodes => "MAX_NODES",
            Limit::Endpoints => "MAX_ENDPOINTS",
            Limit::PodTemplateBytes => "MAX_POD_TEMPLATE_BYTES",
            Limit::Replicas => "MAX_REPLICAS",
            Limit::SettleSeconds => "MAX_SETTLE_SECONDS",
            Limit::LinkBytes => "MAX_LINK_BYTES",
            Limit::InflatedBytes => "MAX_INFLATED_BYTES",
            Limit::Clients => "MAX_CLIENTS",
            Limit::ClientRate => "MAX_CLIENT_RATE",
            Limit::TotalRate => "MAX_TOTAL_RATE",
            Limit::SpeedPercent => "MAX_SPEED_PERCENT",
        }
    }

    /// The limit's value.
    pub fn max(self) -> u64 {
        let n = match self {
            Limit::InputBytes => MAX_INPUT_BYTES,
            Limit::Documents => MAX_DOCUMENTS,
            Limit::Objects => MAX_OBJECTS,
            Limit::NestingDepth => MAX_NESTING_DEPTH,
            Limit::LinkBytes => MAX_LINK_BYTES,
            Limit::InflatedBytes => MAX_INFLATED_BYTES,
            Limit::Clients => MAX_CLIENTS,
            Limit::PodTemplateBytes => MAX_POD_TEMPLATE_BYTES,
            Limit::Pods => return u64::from(MAX_PODS),
            Limit::Services => return u64::from(MAX_SERVICES),
            Limit::Nodes => return u64::from(MAX_NODES),
            Limit::Endpoints => return u64::from(MAX_ENDPOINTS),
            Limit::Replicas => return MAX_REPLICAS.unsigned_abs().into(),
            Limit::SettleSeconds => return MAX_SETTLE_SECONDS,
            Limit::ClientRate => return u64::from(MAX_CLIENT_RATE),
            Limit::TotalRate => return u64::from(MAX_TOTAL_RATE),
            Limit::SpeedPercent => return u64::from(MAX_SPEED_PERCENT),
        };
        u64::try_from(n).unwrap_or(u64::MAX)
    }

    fn unit(self) -> &'static str {
        match self {
            Limit::InputBytes
            | Limit::LinkBytes
            | Limit::InflatedBytes
            | Limit::PodTemplateBytes => "bytes",
            Limit::Services => "Services",
            Limit::Nodes => "Nodes",
            Limit::Endpoints => "endpoints",
            Limit::Documents => "documents",
            Limit::Objects => "objects",
            Limit::NestingDepth => "levels of nesting",
            Limit::Pods | Limit::Replicas => "pods",
            Limit::SettleSeconds => "seconds",
            Limit::Clients => "clients",
            Limit::ClientRate | Limit::TotalRate => "requests per second",
            Limit::SpeedPercent => "hundredths (×100)",
        }
    }

    fn words(self) -> Words {
        match self {
            Limit::InputBytes
            | Limit::LinkBytes
            | Limit::InflatedBytes
            | Limit::PodTemplateBytes => Words::Long,
            Limit::Documents
            | Limit::Objects
            | Limit::Pods
            | Limit::Services
            | Limit::Nodes
            | Limit::Endpoints
            | Limit::Clients => Words::Many,
            Limit::NestingDepth => Words::Deep,
            Limit::Replicas
            | Limit::SettleSeconds
            | Limit::ClientRate
            | Limit::TotalRate
            | Limit::SpeedPercent => Words::Large,
        }
    }
}

/// A value over one of the limits above: the field, the value found (when known), the
/// limit. Displays in the API server's words for a value too long or too many
/// (`spec.replicas: Too many: 1500: must have at most 1000 pods`), then names the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// The limit reached.
    pub limit: Limit,
    /// The field, as the API server names fields (`spec.replicas`), or what was read
    /// (`input`, `link`, `--settle`).
    pub field: String,
    /// The value found, when it is known (input is not read past the limit).
    pub found: Option<u64>,
    /// The limit's value: [`Limit::max`], or what a [`crate::world::ClusterConfig`] set.
    pub max: u64,
}

impl LimitError {
    /// `field` is over `limit` with `found`.
    pub fn new(limit: Limit, field: impl Into<String>, found: Option<u64>) -> Self {
        LimitError {
            limit,
            field: field.into(),
            found,
            max: limit.max(),
        }
    }
}

impl LimitError {
    /// What the limit allows, with its name: `must have at most 1000 pods (svcplay's
    /// limit MAX_PODS; see README, Limits)`.
    pub fn bound(&self) -> String {
        let (max, unit, name) = (self.max, self.limit.unit(), self.limit.name());
        let words = match self.limit.words() {
            Words::Long => "may not be more than",
            Words::Many | Words::Deep => "must have at most",
            Words::Large => "must be no greater than",
        };
        format!("{words} {max} {unit} (svcplay's limit {name}; see README, Limits)")
    }
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(match self.limit.words() {
            Words::Long => "Too long: ",
            Words::Many => "Too many: ",
            Words::Deep => "Too deep: ",
            Words::Large => "Invalid value: ",
        })?;
        if let Some(n) = self.found {
            write!(f, "{n}: ")?;
        }
        f.write_str(&self.bound())
    }
}

impl std::error::Error for LimitError {}

/// `Ok` when `found` is within `limit`, else the error naming `field`.
pub fn check(limit: Limit, field: &str, found: u64) -> Result<(), LimitError> {
    if found <= limit.max() {
        Ok(())
    } else {
        Err(LimitError::new(limit, field, Some(found)))
    }
}

/// The manifest text's size ([`MAX_INPUT_BYTES`]).
pub fn check_input_bytes(len: usize) -> Result<(), LimitError> {
    check(Limit::InputBytes, "input", len as u64)
}

/// The pods a world would ask for after a change to `field` ([`MAX_PODS`], or a lower
/// `max` a [`crate::world::ClusterConfig`] sets).
pub fn check_pods(field: &str, total: u64, max: u32) -> Result<(), LimitError> {
    if total <= u64::from(max) {
        Ok(())
    } else {
        Err(LimitError {
            max: max.into(),
            ..LimitError::new(Limit::Pods, field, Some(total))
        })
    }
}

/// The CLI's `--settle` ([`MAX_SETTLE_SECONDS`]).
pub fn check_settle_seconds(seconds: u64) -> Result<(), LimitError> {
    check(Limit::SettleSeconds, "--settle", seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn messages_name_the_field_the_value_and_the_limit() {
        let e = check(Limit::Pods, "spec.replicas", 1_500).unwrap_err();
        assert_eq!(
            e.to_string(),
            "spec.replicas: Too many: 1500: must have at most 1000 pods (svcplay's limit MAX_PODS; see README, Limits)"
        );
        let e = LimitError::new(Limit::InputBytes, "input", None);
        assert_eq!(
            e.to_string(),
            "input: Too long: may not be more than 4194304 bytes (svcplay's limit MAX_INPUT_BYTES; see README, Limits)"
        );
        let e = check_settle_seconds(18_446_744_073_709_551_615).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "--settle: Invalid value: 18446744073709551615: must be no greater than 3600 seconds"
            ),
            "{e}"
        );
        assert!(
            check(Limit::NestingDepth, "", 101)
                .unwrap_err()
                .to_string()
                .starts_with("Too deep: 101: must have at most 100 levels of nesting")
        );
    }

    #[test]
    fn values_at_the_limit_pass() {
        assert!(check_input_bytes(MAX_INPUT_BYTES).is_ok());
        assert!(check_input_bytes(MAX_INPUT_BYTES + 1).is_err());
        assert!(check_settle_seconds(MAX_SETTLE_SECONDS).is_ok());
        assert!(check_pods("spec.replicas", 1_000, MAX_PODS).is_ok());
        assert!(check_pods("spec.replicas", 1_001, MAX_PODS).is_err());
        // A configuration may lower the limit, or raise it (benchmarks).
        assert!(check_pods("spec.replicas", 11, 10).is_err());
        assert!(check_pods("spec.replicas", 150_000, u32::MAX).is_ok());
    }
}
