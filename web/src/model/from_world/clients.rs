//! The clients' part of the map: client cards with their streams, and the open
//! connections drawn from a client to the pod each is pinned to. Both read traffic
//! (connections, counters), so they are built at every refresh.

use svcplay_core::World;
use svcplay_core::apps::Tool;
use svcplay_core::proxy::Unreachable;
use svcplay_core::world::{ClientKind, OutsideEntry};

use crate::model::names::ref_of;
use crate::model::{ClientTarget, ClientView, Entry, Pinned, SceneModel};
use crate::palette::Palette;

use super::OUTSIDE_USER;
use super::scene::selector_app;

/// Client pods inside the cluster (one card per client name, a stream per load
/// generator), then the users outside (an idle placeholder user when the world has
/// none).
pub(super) fn clients(world: &World, palette: &Palette) -> Vec<ClientView> {
    let mut out: Vec<ClientView> = Vec::new();
    for c in world.clients() {
        let colour = c
            .service
            .as_ref()
            .and_then(|s| world.services().get(s))
            .map_or(Default::default(), |s| {
                palette.colour(selector_app(s).map(String::as_str))
            });
        let inside = matches!(c.kind, ClientKind::InCluster { .. });
        let entry = match c.service.as_ref().map(|s| world.outside_entry(s)) {
            _ if inside => Entry::ClusterIp,
            Some(Ok(OutsideEntry::LoadBalancer { ip, port })) => {
                Entry::LoadBalancer(format!("{ip}:{port}"))
            }
            Some(Ok(OutsideEntry::NodePort { node_port })) => Entry::NodePort(node_port),
            Some(Err(why)) => Entry::Unreachable(why.describe()),
            None => Entry::Unreachable(Unreachable::NoSuchService.describe()),
        };
        let l = &c.load;
        let target = ClientTarget {
            service: c.service.as_ref().map(ref_of).unwrap_or_default(),
            url: if inside {
                l.target.to_string()
            } else {
                String::new()
            },
            tool: l.tool.as_str(),
            rate_flag: l.tool.rate_flag(),
            rate_per_sec: c.rate_per_sec(),
            connections: l.connections,
            keepalive: l.keepalive,
            protocol: l.protocol.as_str(),
            editable: matches!(l.tool, Tool::Fortio | Tool::Hey),
            // A stream is edited by its Service: one whose target names none cannot be.
            retargetable: inside && c.service.is_some(),
            open: c.connections().count(),
            sockets: c.report.sockets,
            reconnects: c.report.reconnects,
            errors: c.report.errors(),
            unresolved: c.report.unresolved,
            dns_failure: c.report.unresolved_line(l.tool, &l.target.to_string()),
            colour,
            entry,
            ..ClientTarget::default()
        };
        match out.iter_mut().find(|v| v.name == c.name) {
            Some(v) => v.targets.push(target),
            None => out.push(ClientView {
                name: c.name.clone(),
                inside,
                targets: vec![target],
                add_error: None,
            }),
        }
    }
    if out.iter().all(|c| c.inside) {
        out.push(ClientView {
            name: OUTSIDE_USER.to_owned(),
            inside: false,
            targets: Vec::new(),
            add_error: None,
        });
    }
    out.sort_by_key(|c| c.inside);
    out
}

/// The open connections of the clients drawn on the map, counted per (client, pod), in
/// the colour of the Service they were addressed through.
pub fn pinned(world: &World, scene: &SceneModel) -> Vec<Pinned> {
    let colours: std::collections::BTreeMap<&str, crate::palette::Colour> = scene
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.colour))
        .collect();
    let mut out: Vec<Pinned> = Vec::new();
    for c in world.clients() {
        if c.pod().is_none() {
            continue;
        }
        for conn in c.connections() {
            let Some(pod) = conn.pod.as_deref() else {
                continue;
            };
            let colour = conn
                .service
                .as_ref()
                .and_then(|s| colours.get(s.name.as_str()).copied())
                .unwrap_or_default();
            match out
                .iter_mut()
                .find(|p| &*p.client == c.name.as_str() && &*p.pod == pod.name.as_str())
            {
                Some(p) => p.count += 1,
                None => out.push(Pinned {
                    client: c.name.as_str().into(),
                    pod: pod.name.as_str().into(),
                    colour,
                    count: 1,
                }),
            }
        }
    }
    out
}
