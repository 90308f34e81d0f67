//! A stream pointed at another Service: the URL a client card writes into the load
//! generator's command line for a picked Service ([`World::retarget_url`]), and the one
//! refusal a new target can meet in the world (a second stream of the same client to a
//! Service it already sends to). The edit itself is [`Command::EditClient`] with
//! [`LoadEdit::target`](crate::apps::LoadEdit), applied as every other card edit is.
//!
//! Upstream: the Kubernetes DNS specification (kubernetes/dns@9aa70b8f
//! `docs/specification.md`: `<service>.<ns>` resolves through a pod's search list).
//!
//! [`Command::EditClient`]: super::super::Command::EditClient

use super::super::World;
use super::super::cluster_dns::CLUSTER_DOMAIN;
use crate::apps::Target;
use crate::error::CommandError;
use crate::objects::NamespacedName;

impl World {
    /// The target a client card writes when `client`'s stream to `from` is pointed at
    /// the Service `to`: the stream's scheme and path kept, the host the Service's name
    /// (`name` in the client's namespace, `name.namespace` elsewhere), the port the
    /// Service's first (a gRPC stream keeps its `host:port` form). Refused when the
    /// client, its stream or the Service does not exist.
    pub fn retarget_url(
        &self,
        client: &str,
        from: &NamespacedName,
        to: &NamespacedName,
    ) -> Result<String, CommandError> {
        let indexes = self.client_indexes(client, from)?;
        let service = self
            .service(to)
            .ok_or_else(|| CommandError::ServiceNotFound {
                name: to.name.clone(),
            })?;
        let Some(stream) = indexes.first().and_then(|i| self.traffic.clients.get(*i)) else {
            return Err(CommandError::ClientTargetNotFound {
                client: client.to_owned(),
                service: from.name.clone(),
            });
        };
        let old = &stream.load.target;
        let host = if *stream.namespace == to.namespace {
            to.name.clone()
        } else {
            format!("{}.{}", to.name, to.namespace)
        };
        let default = if old.scheme == "https" { 443 } else { 80 };
        let port = service
            .spec
            .ports
            .first()
            .and_then(|p| u16::try_from(p.port).ok())
            .unwrap_or(if old.scheme.is_empty() {
                old.port
            } else {
                default
            });
        Ok(Target {
            host,
            port,
            ..old.clone()
        }
        .to_string())
    }

    /// Refuses a retarget that would give `client` two streams to one Service: each
    /// retargeted stream's new Service against the client's other streams.
    pub(super) fn refuse_second_stream<'a>(
        &self,
        client: &str,
        retargeted: &[usize],
        targets: impl Iterator<Item = (usize, &'a Target)>,
    ) -> Result<(), CommandError> {
        let clients = &self.traffic.clients;
        for (i, target) in targets {
            let Some(c) = clients.get(i) else { continue };
            let Some(to) = target.named_service(&c.namespace, CLUSTER_DOMAIN) else {
                continue;
            };
            let taken = clients.iter().enumerate().any(|(j, o)| {
                o.name == client && !retargeted.contains(&j) && o.service.as_ref() == Some(&to)
            });
            if taken {
                return Err(CommandError::ClientTargetExists {
                    client: client.to_owned(),
                    service: to.name,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "retarget_tests.rs"]
mod tests;
