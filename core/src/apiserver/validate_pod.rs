//! What the API server checks of a Pod, and of a pod template's spec: the containers,
//! their names, images and ports.
//!
//! Upstream: kubernetes/kubernetes@000f2605 `pkg/apis/core/validation/validation.go`
//! (`ValidatePodCreate` → `ValidateObjectMeta`, `ValidatePodSpec`, `validateContainers`,
//! `validateContainerPorts`, `validateRestartPolicy`, `validateEnv`, `ValidatePodTemplateSpec`).
//! Simplification: a Pod spec is checked for what the playground uses (containers,
//! their names, images, ports and protocols, env names); volumes, resources and the rest are not
//! read at all.

use std::collections::BTreeSet;

use super::validate_meta::validate_meta;
use crate::labels::validate_labels;
use crate::objects::{Pod, PodSpec, PodTemplate, Protocol};
use crate::validation::content::{
    is_dns1123_label, is_dns1123_subdomain, is_valid_port_name, is_valid_port_num,
};
use crate::validation::field::{Error, ErrorList, Path};

/// `IsRelaxedEnvVarName` (the `RelaxedEnvironmentVariableValidation` rule, now always
/// on): printable ASCII other than `=`.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/util/validation/validation.go`.
fn relaxed_env_var_name(name: &str) -> Option<&'static str> {
    name.chars()
        .any(|c| !(' '..='~').contains(&c) || c == '=')
        .then_some(
            "a valid environment variable name must consist only of printable ASCII characters other than '='",
        )
}

/// `ValidatePodCreate`: the metadata (a DNS-1123 subdomain name) and the spec.
pub fn validate_pod(pod: &Pod) -> ErrorList {
    let mut errs = validate_meta(&pod.metadata, true, is_dns1123_subdomain);
    errs.extend(validate_pod_spec(&pod.spec, &Path::new("spec")));
    errs
}

/// `ValidatePodSpec`, for what the playground models, at `path`.
pub fn validate_pod_spec(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = ErrorList::new();
    let containers = path.child("containers");
    if spec.containers.is_empty() {
        errs.push(Error::required(&containers, ""));
    }
    let mut names = BTreeSet::new();
    let mut port_names = BTreeSet::new();
    let init = path.child("initContainers");
    let all = (spec
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| (c, containers.index(i))))
    .chain(
        spec.init_containers
            .iter()
            .enumerate()
            .map(|(i, c)| (c, init.index(i))),
    );
    for (c, p) in all {
        if c.name.is_empty() {
            errs.push(Error::required(&p.child("name"), ""));
        } else if !names.insert(c.name.as_str()) {
            errs.push(Error::duplicate(&p.child("name"), c.name.as_str()));
        } else {
            for msg in is_dns1123_label(&c.name) {
                errs.push(Error::invalid(&p.child("name"), c.name.as_str(), msg));
            }
        }
        if c.image.is_empty() {
            errs.push(Error::required(&p.child("image"), ""));
        }
        for (j, e) in c.env.iter().enumerate() {
            let name = p.child("env").index(j).child("name");
            if e.name.is_empty() {
                errs.push(Error::required(&name, ""));
            } else if let Some(msg) = relaxed_env_var_name(&e.name) {
                errs.push(Error::invalid(&name, e.name.as_str(), msg));
            }
        }
        for (j, port) in c.ports.iter().enumerate() {
            let pp = p.child("ports").index(j);
            for msg in is_valid_port_num(i64::from(port.container_port)) {
                let f = pp.child("containerPort");
                errs.push(Error::invalid(&f, port.container_port, msg));
            }
            if !port.name.is_empty() {
                for msg in is_valid_port_name(&port.name) {
                    errs.push(Error::invalid(&pp.child("name"), port.name.as_str(), msg));
                }
                if !port_names.insert(port.name.as_str()) {
                    errs.push(Error::duplicate(&pp.child("name"), port.name.as_str()));
                }
            }
            // Defaulting makes an unset protocol TCP before validation runs.
            if !port.protocol.is_unset() && !port.protocol.is_known() {
                errs.push(Error::not_supported(
                    &pp.child("protocol"),
                    port.protocol.as_str(),
                    Protocol::SUPPORTED,
                ));
            }
        }
    }
    // Defaulting makes an unset restartPolicy `Always` before validation runs.
    let policy = spec.restart_policy.as_str();
    if !policy.is_empty() && !RESTART_POLICIES.contains(&policy) {
        let f = path.child("restartPolicy");
        errs.push(Error::not_supported(&f, policy, &RESTART_POLICIES));
    }
    errs.extend(validate_labels(
        &spec.node_selector,
        &path.child("nodeSelector"),
    ));
    errs
}

/// The pod restart policies, in upstream's order.
pub const RESTART_POLICIES: [&str; 3] = ["Always", "OnFailure", "Never"];

/// `ValidatePodTemplateSpec`: the template's labels (at `<path>.labels`, as upstream
/// names the path), annotation keys and its pod spec (at `<path>.spec`).
pub fn validate_pod_template(template: &PodTemplate, path: &Path) -> ErrorList {
    let mut errs = validate_labels(&template.metadata.labels, &path.child("labels"));
    errs.extend(validate_annotation_keys(
        template,
        &path.child("annotations"),
    ));
    errs.extend(validate_pod_spec(&template.spec, &path.child("spec")));
    errs
}

/// `ValidateAnnotations`' key check: each key a qualified name.
pub fn validate_annotation_keys(template: &PodTemplate, path: &Path) -> ErrorList {
    let mut errs = ErrorList::new();
    for k in template.metadata.annotations.keys() {
        for m in crate::validation::content::is_qualified_name(&k.to_lowercase()) {
            errs.push(Error::invalid(path, k.as_str(), m));
        }
    }
    errs
}
