//! The defaults the API server applies to what an import creates.
//!
//! Upstream: kubernetes/kubernetes@v1.31.0 `pkg/apis/core/v1/defaults.go` (`SetDefaults_Service`,
//! `SetDefaults_PodSpec`, `SetDefaults_Probe`, `SetDefaults_ContainerPort`) and
//! `pkg/apis/apps/v1/defaults.go` (`SetDefaults_Deployment`, `SetDefaults_ReplicaSet`:
//! `replicas` 1).
//! Simplification: the namespace of a namespaced object without one is `default`, as
//! kubectl's default context gives it. Probe timings and the container port protocol are
//! defaulted when read (`crate::objects::Probe`, `Protocol::Tcp`).

use super::schema::Object;
use crate::apiserver::defaults::set_defaults;
use crate::objects::{PodSpec, WorkloadSpec};

/// The namespace an object without one is created in.
pub const DEFAULT_NAMESPACE: &str = "default";

/// Applies the API server's defaults to one object in place.
pub fn apply(o: &mut Object) {
    match o {
        Object::Service(s) => {
            default_namespace(&mut s.metadata.namespace);
            set_defaults(s);
        }
        Object::Pod(p) => {
            default_namespace(&mut p.metadata.namespace);
            pod_spec(&mut p.spec);
        }
        Object::Deployment(d) => {
            default_namespace(&mut d.metadata.namespace);
            workload(&mut d.spec);
        }
        Object::ReplicaSet(r) => {
            default_namespace(&mut r.metadata.namespace);
            workload(&mut r.spec);
        }
        Object::Namespace(_) | Object::Node(_) => {}
    }
}

fn default_namespace(ns: &mut String) {
    if ns.is_empty() {
        DEFAULT_NAMESPACE.clone_into(ns);
    }
}

fn workload(spec: &mut WorkloadSpec) {
    spec.replicas.get_or_insert(1);
    pod_spec(&mut spec.template.spec);
}

/// `SetDefaults_PodSpec`: `restartPolicy: Always`, a 30 s grace period.
pub fn pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".to_owned();
    }
    spec.termination_grace_period_seconds
        .get_or_insert(crate::objects::pod::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::{
        Deployment, IntOrString, Protocol, Service, ServicePort, ServiceType, SessionAffinity,
    };

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn defaults_are_those_kubectl_get_shows() {
        let mut d = Object::Deployment(Deployment::default());
        apply(&mut d);
        let Object::Deployment(d) = d else {
            unreachable!()
        };
        assert_eq!(d.spec.replicas, Some(1));
        assert_eq!(d.metadata.namespace, "default");
        assert_eq!(d.spec.template.spec.restart_policy, "Always");
        assert_eq!(
            d.spec.template.spec.termination_grace_period_seconds,
            Some(30)
        );

        let mut s = Service::default();
        s.spec.ports = vec![ServicePort {
            port: 80,
            ..ServicePort::default()
        }];
        let mut s = Object::Service(s);
        apply(&mut s);
        let Object::Service(s) = s else {
            unreachable!()
        };
        assert_eq!(s.spec.type_, ServiceType::ClusterIp);
        assert_eq!(s.spec.ports[0].protocol, Protocol::Tcp);
        assert_eq!(s.spec.ports[0].target_port, IntOrString::Int(80));
        assert_eq!(s.spec.session_affinity, SessionAffinity::None);
    }
}
