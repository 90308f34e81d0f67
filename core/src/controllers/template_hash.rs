//! The hash of a pod template that names a Deployment's ReplicaSet
//! (`pod-template-hash`) and labels the pods of StatefulSets and DaemonSets with their
//! revision (`controller-revision-hash`).

use crate::objects::PodTemplate;

/// The pod-template-hash: FNV-32a of the template, its decimal digits mapped into the
/// name alphabet.
/// Upstream: kubernetes/kubernetes@v1.31.0 `pkg/controller/controller_utils.go` `ComputeHash` and
/// apimachinery `pkg/util/rand` `SafeEncodeString`.
/// Simplification: upstream hashes a spew dump of the Go template; this hashes the
/// Rust debug form, so the value differs from a real cluster's.
pub(crate) fn template_hash(template: &PodTemplate) -> String {
    let text = format!("{template:?}");
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string()
        .bytes()
        .map(|b| {
            crate::world::NAME_ALPHABET
                .get(usize::from(b) % crate::world::NAME_ALPHABET.len())
                .copied()
                .unwrap_or(b'x') as char
        })
        .collect()
}
