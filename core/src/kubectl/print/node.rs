//! `kubectl get nodes`: `NAME STATUS ROLES AGE VERSION [INTERNAL-IP EXTERNAL-IP
//! OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME]`.
//!
//! Reads the `v1` fields of the status (`conditions`, `addresses`, `nodeInfo`), not the
//! simulation's own `ready` and `node_ip`: whoever fills a node fills both.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`nodeColumnDefinitions`, `printNode`,
//! `getNodeInternalIP`, `getNodeExternalIP`, `findNodeRoles`).

use std::collections::BTreeSet;

use super::{Cell, Column, Row};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::Node;
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Node";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = false;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("Status", 0),
    Column::text("Roles", 0),
    Column::AGE,
    Column::text("Version", 0),
    Column::text("Internal-IP", 1),
    Column::text("External-IP", 1),
    Column::text("OS-Image", 1),
    Column::text("Kernel-Version", 1),
    Column::text("Container-Runtime", 1),
];

/// A label whose key names a role: `node-role.kubernetes.io/<role>`.
const LABEL_NODE_ROLE_PREFIX: &str = "node-role.kubernetes.io/";
/// A label whose value names a role.
const NODE_LABEL_ROLE: &str = "kubernetes.io/role";

/// `printNode`: one row; `wide` adds the addresses and the platform.
pub fn print(node: &Node, now: SimTime, wide: bool) -> Row {
    let status = &node.status;
    // Upstream indexes the conditions by type (the last of a type wins) and reads Ready.
    let mut parts: Vec<&str> = match status.conditions.iter().rev().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => vec!["Ready"],
        Some(_) => vec!["NotReady"],
        None => vec!["Unknown"],
    };
    if node.spec.unschedulable {
        parts.push("SchedulingDisabled");
    }
    let mut roles = find_roles(node).join(",");
    if roles.is_empty() {
        roles = "<none>".to_owned();
    }
    let info = &status.node_info;
    let mut cells: Vec<Cell> = vec![
        node.metadata.name.as_str().into(),
        parts.join(",").into(),
        roles.into(),
        translate_timestamp_since(node.metadata.creation_timestamp, now).into(),
        info.kubelet_version.as_str().into(),
    ];
    if wide {
        let unknown = |s: &str| {
            if s.is_empty() {
                "<unknown>".to_owned()
            } else {
                s.to_owned()
            }
        };
        let mut kernel = unknown(&info.kernel_version);
        if !info.architecture.is_empty() {
            kernel = format!("{kernel} ({})", info.architecture);
        }
        cells.extend([
            address(node, "InternalIP").into(),
            address(node, "ExternalIP").into(),
            unknown(&info.os_image).into(),
            kernel.into(),
            unknown(&info.container_runtime_version).into(),
        ]);
    }
    Row::new(cells)
}

/// The first address of a type, or `<none>`.
fn address<'a>(node: &'a Node, type_: &str) -> &'a str {
    node.status
        .addresses
        .iter()
        .find(|a| a.type_ == type_)
        .map_or("<none>", |a| a.address.as_str())
}

/// `findNodeRoles`: sorted and unique, from `node-role.kubernetes.io/<role>` keys and
/// `kubernetes.io/role=<role>` values.
fn find_roles(node: &Node) -> Vec<&str> {
    let mut roles = BTreeSet::new();
    for (k, v) in &node.metadata.labels {
        if let Some(role) = k.strip_prefix(LABEL_NODE_ROLE_PREFIX) {
            if !role.is_empty() {
                roles.insert(role);
            }
        } else if k == NODE_LABEL_ROLE && !v.is_empty() {
            roles.insert(v.as_str());
        }
    }
    roles.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::{NodeAddress, NodeCondition, NodeSystemInfo, ObjectMeta};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn node(name: &str) -> Node {
        Node {
            metadata: ObjectMeta::named("", name),
            ..Node::default()
        }
    }

    fn ready(status: &str) -> NodeCondition {
        NodeCondition {
            type_: "Ready".into(),
            status: status.into(),
        }
    }

    fn cells(n: &Node, wide: bool) -> Vec<String> {
        print(n, SimTime::ZERO, wide)
            .cells
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Upstream: OchukoWH/kubernetes@3669de28 `pkg/printers/internalversion/printers_test.go`
    /// `TestPrintNodeStatus` (foo1..foo9) and
    /// `TestPrintNodeRole` (foo10, foo11).
    #[test]
    fn status_and_roles() {
        let cases: [(Vec<NodeCondition>, bool, &str); 7] = [
            (vec![ready("True")], false, "Ready"),
            (vec![ready("True")], true, "Ready,SchedulingDisabled"),
            (vec![ready("True"), ready("True")], false, "Ready"),
            (vec![ready("False")], true, "NotReady,SchedulingDisabled"),
            (
                vec![NodeCondition {
                    type_: "InvalidValue".into(),
                    status: "True".into(),
                }],
                true,
                "Unknown,SchedulingDisabled",
            ),
            (vec![NodeCondition::default()], false, "Unknown"),
            (vec![], false, "Unknown"),
        ];
        for (conditions, unschedulable, want) in cases {
            let mut n = node("foo");
            n.status.conditions = conditions;
            n.spec.unschedulable = unschedulable;
            assert_eq!(cells(&n, false), ["foo", want, "<none>", "<unknown>", ""]);
        }
        let mut n = node("foo10");
        for (k, v) in [
            ("node-role.kubernetes.io/master", ""),
            ("node-role.kubernetes.io/control-plane", ""),
            ("node-role.kubernetes.io/proxy", ""),
            ("kubernetes.io/role", "node"),
        ] {
            n.metadata.labels.insert(k.into(), v.into());
        }
        assert_eq!(cells(&n, false)[2], "control-plane,master,node,proxy");
    }

    /// Upstream: OchukoWH/kubernetes@3669de28 `pkg/printers/internalversion/printers_test.go`
    /// `TestPrintNodeExternalIP` foo3, `TestPrintNodeArch`
    /// (kernel with and without architecture), `TestPrintNodeOSImage`.
    #[test]
    fn wide_columns() {
        let mut n = node("foo3");
        n.status.addresses = [
            ("ExternalIP", "2.2.2.2"),
            ("InternalIP", "3.3.3.3"),
            ("ExternalIP", "4.4.4.4"),
        ]
        .into_iter()
        .map(|(t, a)| NodeAddress {
            type_: t.into(),
            address: a.into(),
        })
        .collect();
        assert_eq!(
            cells(&n, true),
            [
                "foo3",
                "Unknown",
                "<none>",
                "<unknown>",
                "",
                "3.3.3.3",
                "2.2.2.2",
                "<unknown>",
                "<unknown>",
                "<unknown>"
            ]
        );
        n.status.addresses.clear();
        n.status.node_info = NodeSystemInfo {
            architecture: "fake-arch-arm64".into(),
            ..NodeSystemInfo::default()
        };
        assert_eq!(
            cells(&n, true)[5..],
            [
                "<none>",
                "<none>",
                "<unknown>",
                "<unknown> (fake-arch-arm64)",
                "<unknown>"
            ]
        );
        n.status.node_info = NodeSystemInfo {
            kernel_version: "fake-kernel-version".into(),
            os_image: "fake-os-image".into(),
            container_runtime_version: "foo://1.2.3".into(),
            kubelet_version: "v1.33.1".into(),
            ..NodeSystemInfo::default()
        };
        assert_eq!(
            cells(&n, true)[4..],
            [
                "v1.33.1",
                "<none>",
                "<none>",
                "fake-os-image",
                "fake-kernel-version",
                "foo://1.2.3"
            ]
        );
    }
}
