//! HorizontalPodAutoscalers are read, not simulated: the import names what the
//! autoscaler would scale and between which counts, and says the replicas stay as set.
//!
//! Upstream: kubernetes/api@10b39a39 `autoscaling/v2/types.go`
//! (`HorizontalPodAutoscalerSpec`: `scaleTargetRef`, `minReplicas` (default 1),
//! `maxReplicas`).

use yaml_serde::{Mapping, Value};

/// `HorizontalPodAutoscaler/<name> (Deployment/web, 2 to 4 replicas)`.
pub(super) fn describe(map: &Mapping) -> String {
    let get = |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).cloned();
    let name = get(map.get("metadata"), "name")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let spec = map.get("spec");
    let target = get(spec, "scaleTargetRef");
    let text = |k: &str| {
        get(target.as_ref(), k)
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let count = |k: &str| get(spec, k).and_then(|v| v.as_i64());
    let min = count("minReplicas").unwrap_or(1);
    let range = match count("maxReplicas") {
        Some(max) => format!(", {min} to {max} replicas"),
        None => String::new(),
    };
    format!(
        "HorizontalPodAutoscaler/{name} ({}/{}{range})",
        text("kind"),
        text("name")
    )
}
