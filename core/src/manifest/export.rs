//! Objects to kubectl-ready YAML: `apiVersion`, `kind`, `metadata`, `spec`; no status
//! but a Node's (its address and readiness are what the playground needs of it); no
//! field only the simulation writes (uid, timestamps, owner references).

use serde::Serialize;
use yaml_serde::{Mapping, Value};

use super::schema::{ApiNodeStatus, NodeAddress, NodeCondition, Object};
use crate::World;
use crate::objects::{ObjectMeta, Pod};

/// The objects as one YAML stream, `---` between documents, in the order given.
pub fn export(objects: &[Object]) -> String {
    let docs: Vec<String> = objects.iter().filter_map(|o| document(o).ok()).collect();
    docs.join("---\n")
}

/// What the user made in a world, as YAML: nodes, Services, Deployments and bare pods;
/// never what a controller made (ReplicaSets of Deployments, their pods, slices).
/// A bare pod's `nodeName` is left out: the scheduler chose it.
pub fn export_world(world: &World) -> String {
    let mut objects: Vec<Object> = Vec::new();
    objects.extend(world.nodes().values().cloned().map(Object::Node));
    let user_services = world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.name));
    objects.extend(user_services.cloned().map(Object::Service));
    objects.extend(
        world
            .deployments()
            .values()
            .cloned()
            .map(Object::Deployment),
    );
    let bare = world
        .pods()
        .values()
        .filter(|p| p.metadata.owner_references.is_empty())
        .filter(|p| !world.is_client_pod(&p.metadata.name));
    objects.extend(bare.cloned().map(|p| {
        Object::Pod(Pod {
            spec: crate::objects::PodSpec {
                node_name: String::new(),
                ..p.spec
            },
            ..p
        })
    }));
    export(&objects)
}

fn document(o: &Object) -> Result<String, yaml_serde::Error> {
    let mut m = Mapping::new();
    m.insert("apiVersion".into(), o.api_version().into());
    m.insert("kind".into(), o.kind().into());
    m.insert("metadata".into(), clean_meta(o.meta())?);
    match o {
        Object::Namespace(_) => {}
        Object::Node(n) => {
            insert(&mut m, "spec", &n.spec)?;
            let mut status = ApiNodeStatus::default();
            if !n.status.node_ip.is_empty() {
                status.addresses.push(NodeAddress {
                    type_: "InternalIP".into(),
                    address: n.status.node_ip.clone(),
                });
            }
            status.conditions.push(NodeCondition {
                type_: "Ready".into(),
                status: if n.status.ready { "True" } else { "False" }.into(),
            });
            insert(&mut m, "status", &status)?;
        }
        Object::Pod(p) => insert(&mut m, "spec", &p.spec)?,
        Object::Service(s) => insert(&mut m, "spec", &s.spec)?,
        Object::Deployment(d) => insert(&mut m, "spec", &spec_with_clean_template(&d.spec)?)?,
        Object::ReplicaSet(r) => insert(&mut m, "spec", &spec_with_clean_template(&r.spec)?)?,
    }
    yaml_serde::to_string(&Value::Mapping(m))
}

fn insert<T: Serialize>(m: &mut Mapping, key: &str, v: &T) -> Result<(), yaml_serde::Error> {
    let v = yaml_serde::to_value(v)?;
    let empty = matches!(&v, Value::Mapping(x) if x.is_empty());
    if !empty {
        m.insert(key.into(), v);
    }
    Ok(())
}

/// `metadata` with only what a user writes: name, namespace, labels, annotations.
fn clean_meta(meta: &ObjectMeta) -> Result<Value, yaml_serde::Error> {
    let clean = ObjectMeta {
        name: meta.name.clone(),
        namespace: meta.namespace.clone(),
        labels: meta.labels.clone(),
        annotations: meta.annotations.clone(),
        generate_name: meta.generate_name.clone(),
        ..ObjectMeta::default()
    };
    yaml_serde::to_value(&clean)
}

fn spec_with_clean_template(
    spec: &crate::objects::WorkloadSpec,
) -> Result<Value, yaml_serde::Error> {
    let mut v = yaml_serde::to_value(spec)?;
    let meta = clean_meta(&spec.template.metadata)?;
    if let Some(Value::Mapping(t)) = v.get_mut("template") {
        t.insert("metadata".into(), meta);
    }
    Ok(v)
}
