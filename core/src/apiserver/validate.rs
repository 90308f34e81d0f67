//! One validation per kind, as the API server runs it on create, shared by the
//! importer, the console and every command that creates an object; and the refusal it
//! turns into (HTTP 422, `Service "x" is invalid: …`).

use super::defaults::needs_health_check;
use super::defaults_workload::generate_job_selector;
use super::node_port::DEFAULT_NODE_PORT_RANGE;
use super::validate_apps::{validate_daemon_set, validate_stateful_set};
use super::validate_batch::{validate_cron_job, validate_job};
use super::validate_meta::validate_meta;
use super::validate_pod::validate_pod;
use super::validate_service::validate_service;
use super::validate_workload::{
    validate_deployment, validate_replica_set, validate_replication_controller,
};
use crate::error::CommandError;
use crate::objects::Object;
use crate::validation::content::{is_dns1123_label, is_dns1123_subdomain};
use crate::validation::field::{ErrorList, aggregate_message};

/// The object as the API server validates it on create.
pub fn validate_object(o: &Object) -> ErrorList {
    match o {
        Object::Service(s) => validate_service(s),
        Object::Namespace(n) => validate_meta(&n.metadata, false, is_dns1123_label),
        Object::Node(n) => validate_meta(&n.metadata, false, is_dns1123_subdomain),
        Object::Pod(p) => validate_pod(p),
        Object::Deployment(d) => validate_deployment(d),
        Object::ReplicaSet(r) => validate_replica_set(r),
        Object::StatefulSet(s) => validate_stateful_set(s),
        Object::DaemonSet(d) => validate_daemon_set(d),
        Object::ReplicationController(rc) => validate_replication_controller(rc),
        Object::Job(j) => validate_job(j),
        Object::CronJob(c) => validate_cron_job(c),
    }
}

/// The object as the API server validates it on create, after what `BeginCreate` and
/// `PrepareForCreate` do before validation: a Local LoadBalancer without a
/// `healthCheckNodePort` gets one allocated, a Job gets its generated selector. Without
/// allocators (an import read on its own), a port of the default node-port range stands
/// in for the allocated one, and uid 1 for the Job's uid; a world's create allocates the
/// real ones and validates again.
/// Upstream: kubernetes/kubernetes@2dd1588c `pkg/registry/core/service/storage/storage.go`
/// (`beginCreate` allocates in `txnAllocNodePorts` → `allocHealthCheckNodePort` before the
/// store validates), `pkg/registry/batch/job/strategy.go` (`PrepareForCreate`).
pub fn validate_create(o: &Object) -> ErrorList {
    match o {
        Object::Service(s) if needs_health_check(s) && s.spec.health_check_node_port == 0 => {
            let mut s = s.clone();
            s.spec.health_check_node_port = i32::from(DEFAULT_NODE_PORT_RANGE.base);
            validate_service(&s)
        }
        Object::Job(j) => {
            let mut j = j.clone();
            if j.metadata.uid == 0 {
                j.metadata.uid = 1;
            }
            generate_job_selector(&mut j);
            validate_job(&j)
        }
        other => validate_object(other),
    }
}

/// The API server's kind for messages: `Kind` for the core group, `Kind.group`
/// otherwise (`Deployment.apps`), as `schema.GroupKind.String` prints it.
pub fn qualified_kind(o: &Object) -> &'static str {
    match o {
        Object::Deployment(_) => "Deployment.apps",
        Object::ReplicaSet(_) => "ReplicaSet.apps",
        Object::StatefulSet(_) => "StatefulSet.apps",
        Object::DaemonSet(_) => "DaemonSet.apps",
        Object::Job(_) => "Job.batch",
        Object::CronJob(_) => "CronJob.batch",
        other => other.kind(),
    }
}

/// The refusal of an invalid object: `<Kind> "<name>" is invalid: <errors>`.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/api/errors/errors.go` `NewInvalid`.
pub fn invalid(kind: &'static str, name: &str, errors: ErrorList) -> CommandError {
    CommandError::Invalid {
        kind,
        name: name.to_owned(),
        message: format!(
            "{kind} \"{name}\" is invalid: {}",
            aggregate_message(&errors)
        ),
        errors,
    }
}

/// Validates `o`, refusing it as the API server would.
pub fn check_object(o: &Object) -> Result<(), CommandError> {
    let errs = validate_object(o);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(invalid(qualified_kind(o), &o.meta().name, errs))
    }
}
