//! What a client addresses: the ClusterIP from inside; from outside, the load
//! balancer's ingress IP, else any node's IP at the nodePort (cycling over the nodes in
//! name order, so every node's port is used), else nothing — a ClusterIP is not
//! routable from outside the cluster.

use std::net::IpAddr;

use super::super::World;
use super::ClientKind;
use crate::objects::{Layer, NamespacedName, Protocol};
use crate::proxy::Unreachable;

/// What a client addresses, before an outside client's choice of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Address {
    /// This address and port (a ClusterIP or an LB ingress IP).
    Fixed((IpAddr, u16)),
    /// Any node's IP at this nodePort (outside clients cycle over the nodes).
    NodePort(u16),
}

/// Where a request from outside the cluster enters it ([`World::outside_entry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutsideEntry {
    /// The load balancer's ingress IP and the Service's port.
    LoadBalancer {
        /// `status.loadBalancer.ingress[0].ip`.
        ip: IpAddr,
        /// The Service's (first) port.
        port: u16,
    },
    /// Any node's IP and the Service's nodePort.
    NodePort {
        /// `spec.ports[0].nodePort`.
        node_port: u16,
    },
}

impl World {
    /// How a client outside the cluster reaches `service`: the load balancer's ingress
    /// when a `LoadBalancer` Service has one, else any node's IP and the nodePort, else
    /// nothing ([`Unreachable::ClusterIpOnly`] for a ClusterIP Service). The same rule
    /// the outside clients' requests follow; the playground draws the outside user's
    /// route from it.
    pub fn outside_entry(&self, service: &NamespacedName) -> Result<OutsideEntry, Unreachable> {
        match self.address(service, true)?.0 {
            Address::Fixed((ip, port)) => Ok(OutsideEntry::LoadBalancer { ip, port }),
            Address::NodePort(_) if self.nodes.len() == 0 => Err(Unreachable::NoNodes),
            Address::NodePort(node_port) => Ok(OutsideEntry::NodePort { node_port }),
        }
    }

    /// The address client `i` sends to for `service`, or why there is none.
    pub(super) fn destination(
        &mut self,
        i: usize,
        service: &NamespacedName,
    ) -> Result<((IpAddr, u16), Protocol), Unreachable> {
        let external = matches!(
            self.traffic.clients.get(i).map(|c| &c.kind),
            Some(ClientKind::External { .. })
        );
        let (addr, protocol) = self.address(service, external)?;
        let node_port = match addr {
            Address::Fixed(dst) => return Ok((dst, protocol)),
            Address::NodePort(p) => p,
        };
        let n = self.nodes.len();
        if n == 0 {
            return Err(Unreachable::NoNodes);
        }
        let c = self
            .traffic
            .clients
            .get_mut(i)
            .ok_or(Unreachable::NoSuchService)?;
        let k = c.next_node % n;
        c.next_node = (k + 1) % n;
        let ip = self
            .nodes
            .all()
            .values()
            .nth(k)
            .and_then(|node| node.status.node_ip.parse().ok())
            .ok_or(Unreachable::NoNodes)?;
        Ok(((ip, node_port), protocol))
    }

    /// What a client inside (or, `external`, outside) the cluster addresses for
    /// `service`: the ClusterIP inside; outside, the LB's ingress IP, else any node's IP
    /// at the nodePort, else nothing.
    pub(crate) fn address(
        &self,
        service: &NamespacedName,
        external: bool,
    ) -> Result<(Address, Protocol), Unreachable> {
        let svc = self
            .services
            .get(service)
            .ok_or(Unreachable::NoSuchService)?;
        let port = svc.spec.ports.first().ok_or(Unreachable::NoPorts)?;
        let protocol = match &port.protocol {
            Protocol::Unset => Protocol::Tcp,
            p => p.clone(),
        };
        let svc_port = u16::try_from(port.port).map_err(|_| Unreachable::NoPorts)?;
        let layers = svc.layers();
        if !external {
            let ip = layers
                .iter()
                .find_map(|l| match l {
                    Layer::ClusterIp(Some(ip)) => ip.parse().ok(),
                    _ => None,
                })
                .ok_or(Unreachable::NoClusterIp)?;
            return Ok((Address::Fixed((ip, svc_port)), protocol));
        }
        // From outside: the outermost layer that has an address.
        for layer in layers.iter().rev() {
            match layer {
                Layer::LoadBalancer(Some(a)) => {
                    if let Ok(ip) = a.parse::<IpAddr>() {
                        return Ok((Address::Fixed((ip, svc_port)), protocol));
                    }
                }
                Layer::NodePort(p) => return Ok((Address::NodePort(*p), protocol)),
                _ => {}
            }
        }
        Err(Unreachable::ClusterIpOnly)
    }
}
