//! Fixtures the data plane's test modules share (`update`, `nodes`, `patch`): nodes in
//! two zones and a TCP Service port on `10.96.0.<last>:80`.

use std::net::IpAddr;

use crate::proxy::types::{NodeInfo, Protocol, ServicePortInfo, ServicePortName};

/// `count` nodes `n0…`, at `192.168.0.10…`, alternating between zones `z0` and `z1`.
pub(super) fn nodes(count: u8) -> Vec<NodeInfo> {
    (0..count)
        .map(|i| NodeInfo {
            name: format!("n{i}"),
            ip: IpAddr::from([192, 168, 0, 10 + i]),
            zone: Some(format!("z{}", i % 2)),
        })
        .collect()
}

/// Service `default/<name>` port `http`: ClusterIP `10.96.0.<last>:80`, the given node
/// port, external policy Local when `local`, ClientIP affinity with `affinity` seconds.
pub(super) fn service_port(
    name: &str,
    last: u8,
    node_port: u16,
    local: bool,
    affinity: Option<u32>,
) -> ServicePortInfo {
    ServicePortInfo {
        name: ServicePortName {
            namespace: "default".into(),
            name: name.into(),
            port: "http".into(),
        },
        protocol: Protocol::Tcp,
        cluster_ip: IpAddr::from([10, 96, 0, last]),
        port: 80,
        node_port,
        load_balancer_ips: Vec::new(),
        external_ips: Vec::new(),
        load_balancer_source_ranges: Vec::new(),
        external_policy_local: local,
        internal_policy_local: false,
        affinity_timeout_secs: affinity,
        health_check_node_port: 0,
    }
}
