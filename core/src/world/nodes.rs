//! Node commands: a node joins (with its IP and pod CIDR checked against the others
//! through the node store's indexes), leaves (its pods orphaned until the pod garbage
//! collector deletes them), is cordoned or uncordoned.

use std::net::{IpAddr, Ipv4Addr};

use super::World;
use super::command::{Applied, Change, Verb};
use crate::apiserver::cluster_ip::{Cidr, ip_to_u128};
use crate::apiserver::validate_ips::INVALID_CIDR;
use crate::controllers::kubelet::runtime::{ORPHAN_GC_MILLIS, Timed};
use crate::error::CommandError;
use crate::objects::{NamespacedName, Node, NodeStatus};

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

fn node_key(name: &str) -> NamespacedName {
    NamespacedName::new("", name)
}

impl World {
    /// Adds a ready node as a manifest describes it: its labels, its `InternalIP` and
    /// its `spec.podCIDR` when given. Node `i` (in order of adding) otherwise gets pod
    /// CIDR `10.244.<i>.0/24` and IP `192.168.0.<10+i>`, counting on into the next
    /// octets for large clusters. Refused, with nothing changed, when the name is taken,
    /// the address is not an IPv4 address or is another node's, or the pod CIDR is not
    /// an IPv4 CIDR, overlaps another node's, or holds fewer than 4 or more than 65,536
    /// addresses.
    ///
    /// A node with `spec.unschedulable` (cordoned) joins but takes no new pods.
    ///
    /// Simplification: IPv4 only; every node joins Ready (an imported `Ready: False`
    /// condition is not kept); kubeadm's default cluster CIDR `10.244.0.0/16` holds 256
    /// nodes, and beyond that the default ranges simply continue.
    pub(crate) fn create_node(&mut self, mut node: Node) -> Result<Change, CommandError> {
        let name = node.metadata.name.clone();
        if self.nodes.contains(&name) {
            return Err(CommandError::AlreadyExists {
                kind: "nodes",
                name,
            });
        }
        let index = self.nodes.added;
        let invalid = |field: &'static str, reason: String| CommandError::InvalidObject {
            kind: "nodes",
            name: name.clone(),
            field,
            reason,
        };
        let ip = match node.status.node_ip.as_str() {
            "" => Ipv4Addr::from(NODE_IP_BASE.wrapping_add(index)),
            text => text.parse::<Ipv4Addr>().map_err(|_| {
                invalid(
                    "status.addresses[InternalIP]",
                    format!("{text:?} is not an IPv4 address (the playground models IPv4 only)"),
                )
            })?,
        };
        if let Some(other) = self.nodes.with_ip(ip) {
            return Err(invalid(
                "status.addresses[InternalIP]",
                format!("{ip} is already the address of node {other:?}"),
            ));
        }
        let cidr = match node.spec.pod_cidr.as_str() {
            "" => Cidr {
                network: IpAddr::V4(Ipv4Addr::from(
                    POD_CIDR_BASE.wrapping_add(index.wrapping_mul(256)),
                )),
                prefix: 24,
            },
            text => parse_pod_cidr(text).map_err(|reason| invalid("spec.podCIDR", reason))?,
        };
        // An IPv4 network: its address is the low 32 bits.
        let (base, prefix) = (ip_to_u128(cidr.network) as u32, cidr.prefix);
        let size = 1u32.checked_shl(32 - u32::from(prefix)).unwrap_or(u32::MAX);
        let cidr_text = cidr.to_string();
        if let Some(other) = self
            .nodes
            .cidr_overlap(base, base.saturating_add(size.saturating_sub(1)))
        {
            return Err(invalid(
                "spec.podCIDR",
                format!("{cidr_text} overlaps the pod CIDR of node {other:?}"),
            ));
        }
        node.metadata.namespace.clear();
        node.metadata.uid = self.uid();
        node.metadata.creation_timestamp = Some(self.now);
        node.spec.pod_cidr = cidr_text;
        node.status = NodeStatus {
            node_ip: ip.to_string(),
            ready: true,
            ..NodeStatus::default()
        };
        let zone = node.zone().map(str::to_owned).unwrap_or_default();
        let cordoned = node.spec.unschedulable;
        let pods = self.pods.count_on_node(&name);
        self.nodes.insert(node, ip, base, prefix, pods);
        let zone = if zone.is_empty() {
            String::new()
        } else {
            format!(" ({zone})")
        };
        let key = node_key(&name);
        let joined = if cordoned {
            format!("node {name} joined{zone}, cordoned: no new pods are scheduled to it")
        } else {
            format!("node {name} joined{zone}")
        };
        self.event("Node", &key, joined);
        self.queue.scheduling = true;
        self.queue_daemon_sets();
        self.mark_pods_on_node(&name);
        self.program_node_joined(&name);
        Ok(Change::new("node", key, Verb::Created))
    }

    /// Nodes join as the cluster's own machines (kubelets registering, as `kind create
    /// cluster` or a cloud's node pool makes them), all or none: unlike nodes created
    /// from a manifest, exports leave them out, as a user applies no Node to a real
    /// cluster.
    pub(super) fn join_nodes(&mut self, nodes: &[Node]) -> Result<Applied, CommandError> {
        let mut next = self.clone();
        let mut applied = Applied::default();
        for n in nodes {
            crate::apiserver::validate::check_object(&crate::objects::Object::Node(n.clone()))?;
            let change = next.create_node(n.clone())?;
            next.nodes.provisioned.insert(change.key.name.clone());
            applied.changes.push(change);
        }
        *self = next;
        Ok(applied)
    }

    /// Whether a node joined as one of the cluster's own machines
    /// ([`Command::JoinNodes`](super::Command)) rather than from a manifest.
    pub fn is_provisioned_node(&self, name: &str) -> bool {
        self.nodes.provisioned.contains(name)
    }

    /// Removes a node. Its pods stay bound to the missing node and stop being endpoints
    /// (unless `publishNotReadyAddresses`); the pod garbage collector deletes them after
    /// [`ORPHAN_GC_MILLIS`], and their ReplicaSets replace them then.
    pub(super) fn delete_node(&mut self, name: &str) -> Result<Change, CommandError> {
        if self.nodes.remove(name).is_none() {
            return Err(CommandError::NodeNotFound {
                name: name.to_owned(),
            });
        }
        let key = node_key(name);
        self.event("Node", &key, format!("node {name} removed: its pods are orphaned until the pod garbage collector deletes them"));
        let at = self.now.plus_millis(ORPHAN_GC_MILLIS);
        for pod in self.pods.on_node(name) {
            if let Some(uid) = self.pods.get(&pod).map(|p| p.metadata.uid) {
                self.queue.timed.push(at, Timed::OrphanGc { pod, uid });
            }
        }
        self.mark_pods_on_node(name);
        self.program_node_left(name);
        self.queue_daemon_sets();
        Ok(Change::new("node", key, Verb::Deleted))
    }

    /// Cordons (`kubectl cordon`) or uncordons a node: a cordoned node takes no new pods
    /// from the scheduler; the pods on it keep running, and DaemonSets still run theirs
    /// there (their pods tolerate `node.kubernetes.io/unschedulable`).
    /// Upstream: kubernetes/kubernetes@09b2e8f6
    /// `pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go` (kube-scheduler's
    /// `NodeUnschedulable` filter plugin).
    pub(super) fn set_unschedulable(
        &mut self,
        name: &str,
        unschedulable: bool,
    ) -> Result<Change, CommandError> {
        let Some(node) = self.nodes.get(name) else {
            return Err(CommandError::NodeNotFound {
                name: name.to_owned(),
            });
        };
        let key = node_key(name);
        let verb = if unschedulable {
            Verb::Cordoned
        } else {
            Verb::Uncordoned
        };
        if node.spec.unschedulable == unschedulable {
            return Ok(Change::new("node", key, Verb::Unchanged));
        }
        let pods = self.pods.count_on_node(name);
        self.nodes.set_unschedulable(name, unschedulable, pods);
        let words = if unschedulable {
            format!("node {name} cordoned: no new pods are scheduled to it")
        } else {
            format!("node {name} uncordoned: it takes new pods again")
        };
        self.event("Node", &key, words);
        self.queue.scheduling = true;
        self.queue_daemon_sets();
        Ok(Change::new("node", key, verb))
    }

    fn mark_pods_on_node(&mut self, node: &str) {
        for pod in self.pods.on_node(node) {
            self.mark_services_for_pod(&pod);
        }
    }
}
