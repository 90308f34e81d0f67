//! Commands on a client's streams as a whole: point a stream at another Service, and
//! give a client a stream to every Service (what an import of someone else's manifests
//! needs to show traffic at all).

use super::super::World;
use super::super::command::{Applied, Change, Verb};
use super::{ClientKind, ClientSpec, MAX_CLIENT_RATE};
use crate::error::CommandError;
use crate::objects::{DEFAULT_NAMESPACE, NamespacedName, ServiceType};

impl World {
    /// Points `client`'s stream to `from` at `to`: same rate, same sender. Refused, with
    /// nothing changed, when the client or the stream does not exist, the Service `to`
    /// does not exist, or the client already sends to it.
    pub(in crate::world) fn retarget_client(
        &mut self,
        client: &str,
        from: &NamespacedName,
        to: &NamespacedName,
    ) -> Result<Change, CommandError> {
        let clients = &self.traffic.clients;
        if !clients.iter().any(|c| c.name == client) {
            return Err(CommandError::ClientNotFound {
                name: client.to_owned(),
            });
        }
        if !clients
            .iter()
            .any(|c| c.name == client && c.service == *from)
        {
            return Err(CommandError::ClientTargetNotFound {
                client: client.to_owned(),
                service: from.name.clone(),
            });
        }
        if !self.services.contains(to) {
            return Err(CommandError::ServiceNotFound {
                name: to.name.clone(),
            });
        }
        let key = NamespacedName::new("", client);
        if from == to {
            return Ok(Change::new("client", key, Verb::Unchanged));
        }
        if clients.iter().any(|c| c.name == client && c.service == *to) {
            return Err(CommandError::ClientTargetExists {
                client: client.to_owned(),
                service: to.name.clone(),
            });
        }
        for c in self
            .traffic
            .clients
            .iter_mut()
            .filter(|c| c.name == client && c.service == *from)
        {
            c.service = to.clone();
            c.next_node = 0;
        }
        self.event(
            "Client",
            &key,
            format!("client {client} now sends its requests for {from} to service {to}"),
        );
        Ok(Change::new("client", key, Verb::Configured))
    }

    /// Gives the in-cluster client `client` (its pod in `default`, made when missing) a
    /// stream of `rate_per_sec` to every Service that has a ClusterIP (not headless, not
    /// ExternalName, not the API server's own) and no stream from it yet.
    pub(in crate::world) fn send_to_every_service(
        &mut self,
        client: &str,
        rate_per_sec: u32,
    ) -> Result<Applied, CommandError> {
        if rate_per_sec > MAX_CLIENT_RATE {
            return Err(CommandError::ClientRateOutOfRange {
                client: client.to_owned(),
                service: "*".to_owned(),
                value: rate_per_sec.to_string(),
                max: MAX_CLIENT_RATE,
            });
        }
        let pod = NamespacedName::new(DEFAULT_NAMESPACE, client);
        let targets: Vec<NamespacedName> = self
            .services
            .all()
            .iter()
            .filter(|(k, s)| {
                !self.is_built_in_service(k)
                    && s.spec.type_ != ServiceType::ExternalName
                    && !s.spec.is_headless()
                    && !self
                        .traffic
                        .clients
                        .iter()
                        .any(|c| c.name == client && c.service == **k)
            })
            .map(|(k, _)| k.clone())
            .collect();
        let mut applied = Applied::default();
        for service in targets {
            let spec = ClientSpec {
                name: client.to_owned(),
                service,
                rate_per_sec,
                kind: ClientKind::InCluster { pod: pod.clone() },
            };
            applied.changes.extend(self.add_client(&spec)?.changes);
        }
        Ok(applied)
    }
}
