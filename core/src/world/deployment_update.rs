//! Replacing a Deployment (`kubectl apply`/`patch`/`label`, `rollout restart`): the API
//! server's update validation, then the Deployment controller's reaction on the one
//! ReplicaSet the model keeps.

use super::World;
use super::command::{Change, Verb};
use super::deployments::POD_TEMPLATE_HASH_LABEL;
use crate::apiserver::validate::invalid;
use crate::apiserver::validate_workload::validate_deployment;
use crate::error::{CommandError, MAX_REPLICAS};
use crate::objects::{Deployment, LabelSelector, NamespacedName};
use crate::validation::field::{Error, Path, Rendered};
use crate::validation::gofmt::quote;

impl World {
    /// Replaces a Deployment's labels, annotations and spec. `ValidateDeploymentUpdate`
    /// runs (the create validation, and `spec.selector` may not change); the stored
    /// uid, creation time and status are kept. A new `replicas` scales the ReplicaSet;
    /// a new pod template replaces the pods: each active pod is deleted gracefully and
    /// the ReplicaSet creates its replacement from the new template at once.
    ///
    /// Upstream: kubernetes/kubernetes@2dd1588c `pkg/apis/apps/validation/validation.go`
    /// (`ValidateDeploymentUpdate`: `ValidateImmutableField` on `spec.selector` for
    /// `apps/v1`).
    ///
    /// Simplification: one ReplicaSet per Deployment, so a template change does not roll
    /// out a new ReplicaSet with `maxSurge`/`maxUnavailable`: the ReplicaSet's template is
    /// edited in place (its name keeps the old hash) and every old pod is replaced at
    /// once, each running out its grace period while its replacement starts.
    pub(super) fn update_deployment(&mut self, mut d: Deployment) -> Result<Change, CommandError> {
        if d.metadata.namespace.is_empty() {
            d.metadata.namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        let key = d.metadata.key();
        let old = self
            .workloads
            .deployments
            .get(&key)
            .cloned()
            .ok_or_else(|| CommandError::DeploymentNotFound {
                name: key.name.clone(),
            })?;
        d.metadata.uid = old.metadata.uid;
        d.metadata.creation_timestamp = old.metadata.creation_timestamp;
        d.metadata.owner_references = old.metadata.owner_references.clone();
        d.status = old.status.clone();
        // apps/v1 defaulting: an update without replicas means 1.
        let replicas = *d.spec.replicas.get_or_insert(1);
        let mut errs = validate_deployment(&d);
        if d.spec.selector != old.spec.selector {
            errs.push(Error::invalid(
                &Path::new("spec").child("selector"),
                Rendered(go_label_selector(d.spec.selector.as_ref())),
                "field is immutable",
            ));
        }
        if !errs.is_empty() {
            return Err(invalid("Deployment.apps", &key.name, errs));
        }
        if replicas > MAX_REPLICAS {
            return Err(CommandError::ReplicasOutOfRange {
                deployment: key.name,
                replicas: replicas.into(),
                max: MAX_REPLICAS,
            });
        }
        let same_meta = d.metadata.labels == old.metadata.labels
            && d.metadata.annotations == old.metadata.annotations;
        if same_meta && d.spec == old.spec {
            return Ok(Change::new("deployment.apps", key, Verb::Unchanged));
        }
        let template_changed = d.spec.template != old.spec.template;
        let mut words = Vec::new();
        if old.spec.replicas != d.spec.replicas {
            words.push(format!("replicas {replicas}"));
        }
        if template_changed {
            words.push("new pod template: its pods are replaced".to_owned());
        }
        if !same_meta {
            words.push("labels or annotations changed".to_owned());
        }
        let template = d.spec.template.clone();
        self.workloads.deployments.insert(key.clone(), d);
        for rs in self.workloads.of_deployment(&key) {
            if let Some(x) = self.workloads.replica_set_mut(&rs) {
                x.spec.replicas = Some(replicas);
                if template_changed {
                    let hash = x
                        .spec
                        .template
                        .metadata
                        .labels
                        .get(POD_TEMPLATE_HASH_LABEL)
                        .cloned();
                    x.spec.template = template.clone();
                    if let Some(h) = hash {
                        x.spec
                            .template
                            .metadata
                            .labels
                            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), h);
                    }
                }
            }
            if template_changed {
                let pods: Vec<NamespacedName> = self
                    .pods
                    .owned_by(&rs)
                    .filter(|p| !p.metadata.is_terminating())
                    .map(|p| p.metadata.key())
                    .collect();
                let why = format!("deployment {}'s pod template changed", key.name);
                for pod in pods {
                    self.begin_delete(&pod, None, &why);
                }
            }
            self.queue.replica_set(rs);
        }
        let name = &key.name;
        self.event(
            "Deployment",
            &key,
            format!("deployment {name} updated: {}", words.join("; ")),
        );
        Ok(Change::new("deployment.apps", key, Verb::Configured))
    }
}

/// A label selector as Go's `%#v` prints a `*v1.LabelSelector` in a field error.
fn go_label_selector(s: Option<&LabelSelector>) -> String {
    let Some(s) = s else {
        return "(*v1.LabelSelector)(nil)".to_owned();
    };
    let labels = if s.match_labels.is_empty() {
        "map[string]string(nil)".to_owned()
    } else {
        let pairs: Vec<String> = s
            .match_labels
            .iter()
            .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
            .collect();
        format!("map[string]string{{{}}}", pairs.join(", "))
    };
    let exprs = if s.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_owned()
    } else {
        let items: Vec<String> = s
            .match_expressions
            .iter()
            .map(|r| {
                let values = if r.values.is_empty() {
                    "[]string(nil)".to_owned()
                } else {
                    let v: Vec<String> = r.values.iter().map(|v| quote(v)).collect();
                    format!("[]string{{{}}}", v.join(", "))
                };
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                    quote(&r.key),
                    quote(&r.operator)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::build::{app, web_deployment};
    use crate::world::Command;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn world() -> (World, NamespacedName) {
        let mut w = World::new(1);
        let key = NamespacedName::default_ns("web");
        let objects = vec![
            crate::objects::build::node_in_zone("node-a", "zone-a").into(),
            web_deployment(&key, app("web"), 2).into(),
        ];
        w.apply(Command::Create { objects }).unwrap();
        w.step(5_000);
        (w, key)
    }

    #[test]
    fn a_changed_selector_is_refused_in_the_api_server_s_words() {
        let (mut w, key) = world();
        let mut d = w.deployments()[&key].clone();
        d.spec.selector = Some(LabelSelector {
            match_labels: app("other"),
            ..LabelSelector::default()
        });
        d.spec.template.metadata.labels = app("other");
        let before = w.dump();
        let e = w
            .apply(Command::UpdateDeployment {
                deployment: Box::new(d),
            })
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        );
        assert_eq!(w.dump(), before, "a refused update changes nothing");
    }

    #[test]
    fn a_template_change_replaces_every_pod_and_replicas_scale() {
        let (mut w, key) = world();
        let old: Vec<String> = w
            .pods_of_deployment(&key)
            .iter()
            .map(|p| p.metadata.name.clone())
            .collect();
        let mut d = w.deployments()[&key].clone();
        d.spec.replicas = Some(3);
        d.spec
            .template
            .metadata
            .annotations
            .insert("kubectl.kubernetes.io/restartedAt".into(), "x".into());
        let applied = w
            .apply(Command::UpdateDeployment {
                deployment: Box::new(d.clone()),
            })
            .unwrap();
        assert_eq!(applied.changes[0].verb, Verb::Configured);
        let pods = w.pods_of_deployment(&key);
        let terminating = pods.iter().filter(|p| p.metadata.is_terminating()).count();
        assert_eq!(terminating, 2, "both old pods run out their grace period");
        assert!(old.iter().all(|n| {
            pods.iter()
                .any(|p| &p.metadata.name == n && p.metadata.is_terminating())
        }));
        assert_eq!(pods.len() - terminating, 3, "three new pods");
        assert!(
            pods.iter()
                .filter(|p| !p.metadata.is_terminating())
                .all(|p| {
                    p.metadata
                        .annotations
                        .contains_key("kubectl.kubernetes.io/restartedAt")
                })
        );
        let again = w
            .apply(Command::UpdateDeployment {
                deployment: Box::new(d),
            })
            .unwrap();
        assert_eq!(again.changes[0].verb, Verb::Unchanged);
    }
}
