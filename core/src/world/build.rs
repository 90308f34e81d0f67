//! Adding and removing objects: nodes, Deployments (with their ReplicaSet), Services,
//! bare pods.

use std::net::{IpAddr, Ipv4Addr};

use super::World;
use super::pods::NodeIpam;
use crate::apiserver::cluster_ip::{Cidr, ip_to_u128};
use crate::apiserver::validate_ips::INVALID_CIDR;
use crate::error::{CommandError, MAX_REPLICAS};
use crate::objects::node::ZONE_LABEL;
use crate::objects::{
    Container, ContainerPort, Deployment, LabelSelector, Labels, Node, NodeStatus, ObjectMeta,
    OwnerReference, Pod, PodStatus, Probe, Protocol, ReplicaSet,
};
use crate::selector::api::validate_label_selector;
use crate::validation::field::aggregate_message;

use super::validate::{check_labels, field_path, label_selector_matches};
use crate::labels::selector_text;

/// The label a Deployment adds to its ReplicaSet's selector, template and pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// The first node's pod CIDR base, `10.244.0.0`; node `i` gets the `i`-th /24 after it.
const POD_CIDR_BASE: u32 = u32::from_be_bytes([10, 244, 0, 0]);
/// The first node's IP, `192.168.0.10`.
const NODE_IP_BASE: u32 = u32::from_be_bytes([192, 168, 0, 10]);

/// A node's pod CIDR: IPv4, /16 to /30.
fn parse_pod_cidr(text: &str) -> Result<Cidr, String> {
    match Cidr::parse(text) {
        Ok(c) if !c.network.is_ipv4() => Err(format!("{text:?}: {INVALID_CIDR}")),
        Ok(c) if !(16..=30).contains(&c.prefix) => Err(format!(
            "{text:?}: the playground gives each node between 4 and 65,536 pod addresses (a /16 to a /30)"
        )),
        Ok(c) => Ok(c),
        Err(_) => Err(format!("{text:?}: {INVALID_CIDR}")),
    }
}

/// The container every `add_deployment` pod runs: `web`, port `http` 8080/TCP, with a
/// readiness probe at the API defaults (period 10 s, success 1, failure 3).
pub fn web_container() -> Container {
    Container {
        name: "web".to_owned(),
        image: "registry.k8s.io/e2e-test-images/agnhost:2.53".to_owned(),
        ports: vec![ContainerPort {
            name: "http".to_owned(),
            container_port: 8080,
            protocol: Protocol::Tcp,
        }],
        readiness_probe: Some(Probe::default()),
        restart_policy: None,
    }
}

impl World {
    /// Adds a ready node. Node `i` (in order of adding) gets pod CIDR
    /// `10.244.<i>.0/24` and IP `192.168.0.<10+i>`, counting on into the next octets
    /// for large clusters. A name already present is left as it is.
    ///
    /// Simplification: kubeadm's default cluster CIDR `10.244.0.0/16` holds 256 nodes;
    /// beyond that the range simply continues.
    pub fn add_node(&mut self, name: &str, zone: &str) {
        if self.nodes.contains_key(name) {
            return;
        }
        let mut meta = ObjectMeta::named("", name);
        meta.labels.insert(ZONE_LABEL.to_owned(), zone.to_owned());
        meta.labels
            .insert("kubernetes.io/hostname".to_owned(), name.to_owned());
        let node = Node {
            metadata: meta,
            ..Node::default()
        };
        // A fresh name with generated addresses cannot be refused.
        let _ = self.add_node_object(node);
    }

    /// Adds a ready node as a manifest describes it: its labels, its `InternalIP` and
    /// its `spec.podCIDR` when given; the world picks what is not given, as
    /// [`World::add_node`] does. Refused, with nothing changed, when the name is taken,
    /// the address is not an IPv4 address or is another node's, or the pod CIDR is not
    /// an IPv4 CIDR, overlaps another node's, or holds fewer than 4 or more than
    /// 65,536 addresses.
    ///
    /// A node with `spec.unschedulable` (cordoned) joins but takes no new pods.
    ///
    /// Simplification: IPv4 only; every node joins Ready (an imported `Ready: False`
    /// condition is not kept).
    pub fn add_node_object(&mut self, mut node: Node) -> Result<(), CommandError> {
        let name = node.metadata.name.clone();
        if self.nodes.contains_key(&name) {
            return Err(CommandError::AlreadyExists {
                kind: "nodes",
                name,
            });
        }
        let index = self.next_node_index;
        let invalid = |field: &'static str, reason: String| CommandError::InvalidObject {
            kind: "nodes",
            name: name.clone(),
            field,
            reason,
        };
        let ip = match node.status.node_ip.as_str() {
            "" => NODE_IP_BASE.wrapping_add(index),
            text => text.parse::<Ipv4Addr>().map(u32::from).map_err(|_| {
                invalid(
                    "status.addresses[InternalIP]",
                    format!("{text:?} is not an IPv4 address (the playground models IPv4 only)"),
                )
            })?,
        };
        let ip_text = super::pods::ipv4(ip);
        if let Some(other) = self.nodes.values().find(|n| n.status.node_ip == ip_text) {
            let other = &other.metadata.name;
            return Err(invalid(
                "status.addresses[InternalIP]",
                format!("{ip_text} is already the address of node {other:?}"),
            ));
        }
        let cidr = match node.spec.pod_cidr.as_str() {
            "" => {
                let base = POD_CIDR_BASE.wrapping_add(index.wrapping_mul(256));
                Cidr {
                    network: IpAddr::V4(Ipv4Addr::from(base)),
                    prefix: 24,
                }
            }
            text => parse_pod_cidr(text).map_err(|reason| invalid("spec.podCIDR", reason))?,
        };
        // An IPv4 network: its address is the low 32 bits.
        let (base, prefix) = (ip_to_u128(cidr.network) as u32, cidr.prefix);
        let cidr_text = cidr.to_string();
        for other in self.nodes.values() {
            if let Ok(o) = Cidr::parse(&other.spec.pod_cidr)
                && (o.contains(cidr.network) || cidr.contains(o.network))
            {
                let other = &other.metadata.name;
                return Err(invalid(
                    "spec.podCIDR",
                    format!("{cidr_text} overlaps the pod CIDR of node {other:?}"),
                ));
            }
        }
        self.next_node_index += 1;
        node.metadata.namespace.clear();
        node.metadata.uid = self.uid();
        node.metadata.creation_timestamp = Some(self.now);
        node.spec.pod_cidr = cidr_text;
        node.status = NodeStatus {
            node_ip: ip_text,
            ready: true,
        };
        let zone = node
            .metadata
            .labels
            .get(ZONE_LABEL)
            .cloned()
            .unwrap_or_default();
        let name = name.as_str();
        self.ipam
            .insert(name.to_owned(), NodeIpam::new(base, prefix));
        let load = self.pods_by_node.get(name).map_or(0, |s| s.len());
        // A cordoned node (`spec.unschedulable`) takes no new pods.
        // Upstream: kube-scheduler's NodeUnschedulable filter plugin.
        let cordoned = node.spec.unschedulable;
        if !cordoned {
            self.node_load.insert((load, name.to_owned()));
        }
        self.nodes.insert(name.to_owned(), node);
        let zone = if zone.is_empty() {
            String::new()
        } else {
            format!(" ({zone})")
        };
        let joined = if cordoned {
            format!("node {name} joined{zone}, cordoned: no new pods are scheduled to it")
        } else {
            format!("node {name} joined{zone}")
        };
        self.event("Node", name, joined);
        self.scheduling_dirty = true;
        self.mark_pods_on_node(name);
        self.settle();
        self.resync_dataplane();
        Ok(())
    }

    /// Removes a node. Its pods stay bound to the missing node and stop being endpoints
    /// (unless `publishNotReadyAddresses`); the pod garbage collector deletes them after
    /// [`super::ORPHAN_GC_MILLIS`], and their ReplicaSets replace them then.
    pub fn remove_node(&mut self, name: &str) -> Result<(), CommandError> {
        if self.nodes.remove(name).is_none() {
            return Err(CommandError::NodeNotFound {
                name: name.to_owned(),
            });
        }
        self.node_load.retain(|(_, n)| n != name);
        self.event("Node", name, format!("node {name} removed: its pods are orphaned until the pod garbage collector deletes them"));
        let at = self.now.plus_millis(super::ORPHAN_GC_MILLIS);
        let pods: Vec<(String, u64)> = self
            .pods_by_node
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|p| self.pods.get(p).map(|x| (p.clone(), x.metadata.uid)))
            .collect();
        for (pod, uid) in pods {
            self.queue
                .push(at, super::kubelet::Timed::OrphanGc { pod, uid });
        }
        self.mark_pods_on_node(name);
        self.settle();
        self.resync_dataplane();
        Ok(())
    }

    fn mark_pods_on_node(&mut self, node: &str) {
        let names: Vec<String> = self
            .pods_by_node
            .get(node)
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        for n in names {
            self.mark_services_for_pod(&n);
        }
    }

    /// Adds a Deployment whose pods carry `labels` and run [`web_container`], and
    /// creates its ReplicaSet and pods. Invalid input is ignored (see
    /// [`World::add_deployment_object`] for the checked form).
    pub fn add_deployment(&mut self, name: &str, labels: Labels, replicas: i32) {
        let mut d = Deployment {
            metadata: ObjectMeta::named("default", name),
            ..Default::default()
        };
        d.spec.replicas = Some(replicas);
        d.spec.selector = Some(LabelSelector {
            match_labels: labels.clone(),
            match_expressions: Vec::new(),
        });
        d.spec.template.metadata.labels = labels;
        d.spec.template.spec.containers = vec![web_container()];
        let _ = self.add_deployment_object(d);
    }

    /// Adds a Deployment as given (namespace defaults to `default`), with its
    /// ReplicaSet `<name>-<pod-template-hash>`.
    ///
    /// Simplification: one ReplicaSet per Deployment; no rollouts.
    pub fn add_deployment_object(&mut self, mut d: Deployment) -> Result<(), CommandError> {
        let name = d.metadata.name.clone();
        if self.deployments.contains_key(&name) {
            return Err(CommandError::AlreadyExists {
                kind: "deployments.apps",
                name,
            });
        }
        let replicas = d.spec.replicas.unwrap_or(1);
        if !(0..=MAX_REPLICAS).contains(&replicas) {
            return Err(CommandError::ReplicasOutOfRange {
                deployment: name,
                replicas: replicas.into(),
                max: MAX_REPLICAS,
            });
        }
        let now = self.requested_pods();
        let after = now + super::commands::replica_count(Some(replicas));
        self.check_pods(&name, now, after)?;
        check_labels(
            &format!("deployment \"{name}\""),
            "spec.template.metadata.labels",
            &d.spec.template.metadata.labels,
        )?;
        let selector = d.spec.selector.clone().unwrap_or_default();
        let errs = validate_label_selector(&selector, &field_path("spec.selector"));
        if !errs.is_empty() {
            let object = format!("deployment \"{name}\"");
            return Err(CommandError::InvalidLabel {
                object,
                detail: aggregate_message(&errs),
            });
        }
        if selector.match_labels.is_empty() && selector.match_expressions.is_empty()
            || !label_selector_matches(&selector, &d.spec.template.metadata.labels)
        {
            return Err(CommandError::SelectorDoesNotMatchTemplate {
                deployment: name,
                labels: selector_text(&d.spec.template.metadata.labels),
            });
        }
        if d.metadata.namespace.is_empty() {
            d.metadata.namespace = "default".to_owned();
        }
        d.metadata.uid = self.uid();
        d.metadata.creation_timestamp = Some(self.now);
        d.spec.replicas = Some(replicas);
        let hash = template_hash(&d);
        let rs_name = format!("{name}-{hash}");
        let mut rs = ReplicaSet {
            metadata: ObjectMeta::named(&d.metadata.namespace, &rs_name),
            spec: d.spec.clone(),
        };
        rs.metadata.uid = self.uid();
        rs.metadata.creation_timestamp = Some(self.now);
        rs.metadata.labels = d.spec.template.metadata.labels.clone();
        rs.metadata
            .labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
        rs.metadata.owner_references = vec![OwnerReference {
            kind: "Deployment".into(),
            name: name.clone(),
            uid: d.metadata.uid,
            controller: true,
        }];
        let mut sel = selector;
        sel.match_labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
        rs.spec.selector = Some(sel);
        rs.spec
            .template
            .metadata
            .labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash);
        self.event(
            "Deployment",
            &name,
            format!("deployment {name} created replicaset {rs_name} with {replicas} replica(s)"),
        );
        self.deployments.insert(name, d);
        self.replica_sets.insert(rs_name.clone(), rs);
        self.dirty_replica_sets.insert(rs_name);
        self.settle();
        Ok(())
    }

    /// Deletes a Deployment. The garbage collector then deletes its ReplicaSet, and the
    /// ReplicaSet's pods are deleted gracefully (background cascading deletion).
    pub fn remove_deployment(&mut self, name: &str) -> Result<(), CommandError> {
        if self.deployments.remove(name).is_none() {
            return Err(CommandError::DeploymentNotFound {
                name: name.to_owned(),
            });
        }
        self.event("Deployment", name, format!("deployment {name} deleted"));
        let owned: Vec<String> = self
            .replica_sets
            .iter()
            .filter(|(_, rs)| rs.metadata.controller_of_kind("Deployment") == Some(name))
            .map(|(n, _)| n.clone())
            .collect();
        for rs in owned {
            self.replica_sets.remove(&rs);
            let pods: Vec<String> = self.pods_by_rs.remove(&rs).into_iter().flatten().collect();
            let why = format!("its owner replicaset {rs} was deleted");
            for pod in pods {
                self.begin_delete(&pod, None, &why);
            }
        }
        self.settle();
        Ok(())
    }

    /// Adds a bare pod (no owner: nothing replaces it) as given; it is scheduled and
    /// started like any other. Namespace defaults to `default`; status is reset.
    pub fn add_pod(&mut self, mut pod: Pod) -> Result<(), CommandError> {
        let name = pod.metadata.name.clone();
        if name.is_empty() {
            return Err(CommandError::InvalidObject {
                kind: "pods",
                name,
                field: "metadata.name",
                reason: "Required value: name or generateName is required".into(),
            });
        }
        if self.pods.contains_key(&name) {
            return Err(CommandError::AlreadyExists { kind: "pods", name });
        }
        check_labels(
            &format!("pod \"{name}\""),
            "metadata.labels",
            &pod.metadata.labels,
        )?;
        if pod.metadata.namespace.is_empty() {
            pod.metadata.namespace = "default".to_owned();
        }
        pod.metadata.uid = self.uid();
        pod.metadata.creation_timestamp = Some(self.now);
        pod.metadata.deletion_timestamp = None;
        pod.metadata.owner_references.clear();
        pod.spec.node_name.clear();
        pod.status = PodStatus::default();
        self.insert_pod(pod);
        self.event("Pod", &name, format!("pod {name} created"));
        self.settle();
        Ok(())
    }
}

/// The pod-template-hash: FNV-32a of the template, its decimal digits mapped into the
/// name alphabet.
/// Upstream: kubernetes `pkg/controller/controller_utils.go` `ComputeHash` and
/// apimachinery `pkg/util/rand` `SafeEncodeString`.
/// Simplification: upstream hashes a spew dump of the Go template; this hashes the
/// Rust debug form, so the value differs from a real cluster's.
fn template_hash(d: &Deployment) -> String {
    let text = format!("{:?}", d.spec.template);
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string()
        .bytes()
        .map(|b| {
            super::NAME_ALPHABET
                .get(usize::from(b) % super::NAME_ALPHABET.len())
                .copied()
                .unwrap_or(b'x') as char
        })
        .collect()
}
