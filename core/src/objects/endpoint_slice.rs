//! EndpointSlices: the controller-maintained list of a Service's backends.
//!
//! Upstream: kubernetes/api@10b39a39 `discovery/v1/types.go`.

use serde::{Deserialize, Serialize};

use super::{ObjectMeta, Protocol};

/// The label naming the Service a slice belongs to.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// The label naming the controller that manages a slice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// The value of [`MANAGED_BY_LABEL`] for slices of the EndpointSlice controller.
pub const MANAGED_BY_CONTROLLER: &str = "endpointslice-controller.k8s.io";
/// The label set (to `""`) on slices of a headless Service.
pub const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

/// A `discovery.k8s.io/v1` EndpointSlice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSlice {
    /// `metadata`: the Service labels and the owner reference live here.
    pub metadata: ObjectMeta,
    /// `IPv4`, `IPv6` or `FQDN`.
    pub address_type: String,
    /// The endpoints, at most 100 per slice as the controller packs them.
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    /// The ports every endpoint of this slice serves.
    #[serde(default)]
    pub ports: Vec<EndpointPort>,
}

/// One backend of a slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// The addresses: exactly one pod IP as the controller writes them.
    pub addresses: Vec<String>,
    /// Ready, serving and terminating.
    pub conditions: EndpointConditions,
    /// `hostname`, when the pod's hostname and subdomain ask for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// The node the pod runs on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// The node's zone label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The pod behind the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<ObjectReference>,
}

/// An endpoint's conditions.
///
/// The API keeps them as optional booleans (nil `ready`/`serving` mean true, nil
/// `terminating` means false); the controller always sets all three, so they are plain
/// booleans here.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct EndpointConditions {
    /// New traffic may be sent here.
    pub ready: bool,
    /// The pod passes its readiness checks, terminating or not.
    pub serving: bool,
    /// The pod is being deleted.
    pub terminating: bool,
}

/// A port of a slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointPort {
    /// The Service port's name.
    #[serde(default)]
    pub name: String,
    /// The resolved pod port.
    pub port: i32,
    /// The Service port's protocol.
    pub protocol: Protocol,
    /// The Service port's `appProtocol`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}

/// A reference to another object, as `targetRef` and an Event's `involvedObject` hold it.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// The kind, e.g. `Pod`.
    pub kind: String,
    /// The namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// The name.
    pub name: String,
    /// The uid.
    pub uid: u64,
    /// `fieldPath`: a part of the object, e.g. `spec.containers{web}`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field_path: String,
}

/// Like the derived `Debug`, but `field_path` appears only when set, so that world dumps
/// (and their recorded fingerprints) read as before it was carried.
impl std::fmt::Debug for ObjectReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("ObjectReference");
        d.field("kind", &self.kind)
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("uid", &self.uid);
        if !self.field_path.is_empty() {
            d.field("field_path", &self.field_path);
        }
        d.finish()
    }
}

impl EndpointSlice {
    /// The Service this slice belongs to, from its label.
    pub fn service_name(&self) -> Option<&str> {
        self.metadata
            .labels
            .get(SERVICE_NAME_LABEL)
            .map(String::as_str)
    }

    /// Whether this is a placeholder: no endpoints and no ports.
    pub fn is_placeholder(&self) -> bool {
        self.endpoints.is_empty() && self.ports.is_empty()
    }
}

impl Endpoint {
    /// The first (and in this model only) address.
    pub fn address(&self) -> &str {
        self.addresses.first().map_or("", String::as_str)
    }

    /// The name of the pod behind it, if any.
    pub fn pod_name(&self) -> Option<&str> {
        self.target_ref.as_ref().map(|r| r.name.as_str())
    }
}
