//! The defaults the API server applies to what an import creates, per kind.
//!
//! Upstream: kubernetes/kubernetes@v1.31.0 `pkg/apis/core/v1/defaults.go` (`SetDefaults_Service`,
//! `SetDefaults_PodSpec`, `SetDefaults_Probe`, `SetDefaults_ContainerPort`) and the
//! workload defaults in [`crate::apiserver::defaults_workload`].
//! Simplification: the namespace of a namespaced object without one is `default`, as
//! kubectl's default context gives it. Probe timings and the container port protocol are
//! defaulted when read (`crate::objects::Probe`, `Protocol::Tcp`).

use super::schema::Object;
use crate::apiserver::defaults::set_defaults;
use crate::apiserver::defaults_workload as wl;

pub use crate::apiserver::defaults_workload::pod_spec;

/// The namespace an object without one is created in.
pub const DEFAULT_NAMESPACE: &str = "default";

/// Applies the API server's defaults to one object in place.
pub fn apply(o: &mut Object) {
    if o.is_namespaced() {
        default_namespace(o);
    }
    match o {
        Object::Service(s) => set_defaults(s),
        Object::Pod(p) => pod_spec(&mut p.spec),
        Object::Deployment(d) => wl::workload(&mut d.spec),
        Object::ReplicaSet(r) => wl::workload(&mut r.spec),
        Object::StatefulSet(s) => wl::stateful_set(s),
        Object::DaemonSet(d) => wl::daemon_set(d),
        Object::ReplicationController(rc) => wl::replication_controller(rc),
        Object::Job(j) => wl::job(j),
        Object::CronJob(c) => wl::cron_job(c),
        Object::Namespace(_) | Object::Node(_) => {}
    }
}

fn default_namespace(o: &mut Object) {
    let ns = match o {
        Object::Service(x) => &mut x.metadata.namespace,
        Object::Pod(x) => &mut x.metadata.namespace,
        Object::Deployment(x) => &mut x.metadata.namespace,
        Object::ReplicaSet(x) => &mut x.metadata.namespace,
        Object::StatefulSet(x) => &mut x.metadata.namespace,
        Object::DaemonSet(x) => &mut x.metadata.namespace,
        Object::ReplicationController(x) => &mut x.metadata.namespace,
        Object::Job(x) => &mut x.metadata.namespace,
        Object::CronJob(x) => &mut x.metadata.namespace,
        Object::Namespace(_) | Object::Node(_) => return,
    };
    if ns.is_empty() {
        DEFAULT_NAMESPACE.clone_into(ns);
    }
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
