//! Scenarios in links: a whole playground (seed, objects, clients, settings) packed into
//! a URL fragment, and read back without trusting it.
//!
//! The fragment is `s=<version>.<payload>`, the payload being base64url (no padding) of
//! raw DEFLATE of the scenario's JSON. Fields at their defaults are left out of the JSON.
//! A link is anyone's input, so reading it is budgeted ([`crate::limits`]): it refuses,
//! before anything is built, a fragment over [`MAX_LINK_BYTES`](crate::limits::MAX_LINK_BYTES), a payload unpacking
//! past [`MAX_INFLATED_BYTES`](crate::limits::MAX_INFLATED_BYTES) (inflation stops there), bad base64, bad DEFLATE, JSON
//! nested deeper than [`MAX_NESTING_DEPTH`](crate::limits::MAX_NESTING_DEPTH) (checked before the JSON is parsed), bad
//! JSON, an unknown version, more than [`MAX_CLIENTS`](crate::limits::MAX_CLIENTS) clients, rates over
//! [`MAX_CLIENT_RATE`](crate::limits::MAX_CLIENT_RATE) each or
//! [`MAX_TOTAL_RATE`](crate::limits::MAX_TOTAL_RATE) together, a speed over [`MAX_SPEED_PERCENT`](crate::limits::MAX_SPEED_PERCENT); then objects the importer
//! refuses (the same [`import`](crate::manifest::import) path, with the same limits, as the Import dialog:
//! nothing is applied on error). The worst link under these limits loads or is refused
//! in well under a second.
//!
//! The clients inside the cluster are pods in the objects (their load generators'
//! command lines carry rates, connections, keep-alive and protocol). `clients` holds
//! the playground's users outside the cluster: name, Service, rate and address. An
//! older link's in-cluster entries (no `external_ip`) become client pods: one pod per
//! name, one fortio container per Service, as [`WorldClient::in_cluster`] makes them.
//!
//! Simplification: a scenario is a start state. It holds what the user made (what
//! [`export_world`](crate::manifest::export_world) writes) and the outside users, not the
//! live state of a run: a shared link starts at time zero, and the same scenario always
//! runs the same way.

use std::net::IpAddr;

use crate::World;
use crate::limits::{Limit, LimitError, MAX_INFLATED_BYTES};
use crate::manifest::{ImportErrors, Object, apply_report, export_scenario, import};
use crate::objects::NamespacedName;
use crate::world::{ClientKind, ClientSpec as WorldClient, Command};

/// The scenario format this build writes and reads.
pub const SCENARIO_VERSION: u32 = 1;

pub use super::format::{ClientSpec, Scenario, Settings};

/// Why a fragment or a scenario was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShareError {
    /// Not of the form `s=<version>.<payload>`.
    #[error("not a svcplay scenario link: the fragment must look like s=1.<data>")]
    NotAScenario,
    /// The fragment, its unpacked payload, its nesting, its clients or its speed are
    /// over one of the playground's limits (the message names it).
    #[error("scenario over a limit: {0}")]
    Limit(LimitError),
    /// A version this build does not read.
    #[error("scenario version {0:?} is not supported by this svcplay (it reads version 1)")]
    UnknownVersion(String),
    /// The payload is not base64url.
    #[error("corrupt scenario link: invalid base64 at character {0}")]
    Base64(usize),
    /// The payload does not inflate.
    #[error("corrupt scenario link: the data does not unpack ({0})")]
    Deflate(String),
    /// The inflated payload is not a scenario's JSON.
    #[error("corrupt scenario link: {0}")]
    Json(String),
    /// The objects do not import.
    #[error("the scenario's objects are invalid: {0}")]
    Objects(ImportErrors),
    /// Something else in the scenario is out of bounds.
    #[error("invalid scenario: {0}")]
    Invalid(String),
}

/// The scenario of a world: what the user made, its clients, and `settings`.
pub fn world_to_scenario(world: &World, seed: u64, settings: Settings) -> Scenario {
    Scenario {
        seed,
        objects: export_scenario(world),
        clients: world
            .clients()
            .iter()
            .filter_map(|c| {
                let ClientKind::External { ip } = &c.kind else {
                    return None;
                };
                let service = c.service.as_ref()?;
                Some(ClientSpec {
                    name: c.name.clone(),
                    service: if service.namespace == crate::objects::DEFAULT_NAMESPACE {
                        service.name.clone()
                    } else {
                        service.to_string()
                    },
                    rate: c.rate_per_sec(),
                    external_ip: Some(ip.to_string()),
                })
            })
            .collect(),
        settings,
    }
}

/// Checks what a scenario asks of the playground besides its objects: clients, their
/// rates, the speed.
fn check_limits(s: &Scenario) -> Result<(), ShareError> {
    let over = |limit, field: String, found: u64| {
        crate::limits::check(limit, &field, found).map_err(ShareError::Limit)
    };
    over(Limit::Clients, "clients".into(), s.clients.len() as u64)?;
    for (i, c) in s.clients.iter().enumerate() {
        over(
            Limit::ClientRate,
            format!("clients[{i}].rate"),
            c.rate.into(),
        )?;
    }
    if let Some(p) = s.settings.speed_percent {
        over(
            Limit::SpeedPercent,
            "settings.speed_percent".into(),
            p.into(),
        )?;
    }
    Ok(())
}

/// Builds the world of a scenario at time zero; all or nothing.
pub fn scenario_to_world(s: &Scenario) -> Result<World, ShareError> {
    scenario_to_world_with(s, crate::world::ClusterConfig::default())
}

/// [`scenario_to_world`] on a cluster configured as `config` (a lesson's cloud keeps
/// its own load-balancer pool); all or nothing.
pub fn scenario_to_world_with(
    s: &Scenario,
    config: crate::world::ClusterConfig,
) -> Result<World, ShareError> {
    check_limits(s)?;
    let report = import(&s.objects).map_err(ShareError::Objects)?;
    let mut external = Vec::with_capacity(s.clients.len());
    for (i, c) in s.clients.iter().enumerate() {
        let ip = match &c.external_ip {
            None => None,
            Some(text) => Some(text.parse::<IpAddr>().map_err(|_| {
                ShareError::Invalid(format!(
                    "clients[{i}].external_ip: {text:?} is not an IP address"
                ))
            })?),
        };
        external.push(ip);
    }
    let mut world = World::with_config(s.seed, config)
        .map_err(|e| ShareError::Invalid(format!("cluster configuration: {e}")))?;
    // The scenario's nodes are the cluster it runs on: they join as its own machines,
    // so that an export of the world leaves them out.
    let mut report = report;
    let nodes: Vec<crate::objects::Node> = report
        .objects
        .iter()
        .filter_map(|o| match o {
            Object::Node(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    let keep: Vec<bool> = report
        .objects
        .iter()
        .map(|o| !matches!(o, Object::Node(_)))
        .collect();
    let mut flags = keep.iter();
    report
        .objects
        .retain(|_| flags.next().copied().unwrap_or(true));
    let mut flags = keep.iter();
    report
        .origins
        .retain(|_| flags.next().copied().unwrap_or(true));
    if !nodes.is_empty() {
        world
            .apply(Command::JoinNodes { nodes })
            .map_err(|e| ShareError::Invalid(format!("nodes: {e}")))?;
    }
    apply_report(&mut world, &s.objects, report).map_err(ShareError::Objects)?;
    // An older link's in-cluster clients: one pod per name, a container per Service.
    let mut pods: Vec<(String, crate::objects::Pod)> = Vec::new();
    for (c, ip) in s.clients.iter().zip(external) {
        let service = NamespacedName::parse_in(crate::objects::DEFAULT_NAMESPACE, &c.service);
        let command = match ip {
            Some(ip) => Command::AddClient {
                client: WorldClient::external(&c.name, service, ip, c.rate),
            },
            None => {
                let spec = WorldClient::in_cluster(&c.name, service, c.rate);
                let Some(pod) = spec.pod() else { continue };
                match pods.iter_mut().find(|(n, _)| *n == c.name) {
                    Some((_, p)) => p.spec.containers.extend(pod.spec.containers),
                    None => pods.push((c.name.clone(), pod)),
                }
                continue;
            }
        };
        world
            .apply(command)
            .map_err(|e| ShareError::Invalid(format!("clients[{}]: {e}", c.name)))?;
    }
    for (name, pod) in pods {
        if world.pod(&pod.metadata.key()).is_some() {
            continue;
        }
        world
            .apply(Command::Create {
                objects: vec![pod.into()],
            })
            .map_err(|e| ShareError::Invalid(format!("clients[{name}]: {e}")))?;
    }
    // The clients inside the cluster are pods of the objects now, so their rates are
    // counted from the world's load generators (each capped at MAX_CLIENT_RATE when its
    // flags are read), the outside users' with them.
    let total: u64 = world
        .clients()
        .iter()
        .map(|c| c.load.millirate().div_ceil(1000))
        .sum();
    crate::limits::check(Limit::TotalRate, "clients (all rates together)", total)
        .map_err(ShareError::Limit)?;
    Ok(world)
}

/// The fragment (without `#`) for a scenario: `s=1.<base64url(deflate(json))>`.
pub fn encode_fragment(s: &Scenario) -> String {
    let json = super::share_json::to_json(s);
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("s={SCENARIO_VERSION}.{}", base64url_encode(&packed))
}

/// The fragment of arbitrary bytes as the JSON payload, valid or not (for tests and
/// fuzzing of the reading side).
pub fn pack_json(json: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json, 6);
    format!("s={SCENARIO_VERSION}.{}", base64url_encode(&packed))
}

/// Reads a fragment (with or without the leading `#`) back into a scenario, checking
/// everything but the objects against a world (see [`scenario_to_world`] for that).
pub fn decode_fragment(fragment: &str) -> Result<Scenario, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    crate::limits::check(Limit::LinkBytes, "link", fragment.len() as u64)
        .map_err(ShareError::Limit)?;
    let rest = fragment
        .strip_prefix("s=")
        .ok_or(ShareError::NotAScenario)?;
    let (version, payload) = rest.split_once('.').ok_or(ShareError::NotAScenario)?;
    if version != SCENARIO_VERSION.to_string() {
        let shown: String = version.chars().take(16).collect();
        return Err(ShareError::UnknownVersion(shown));
    }
    let packed = base64url_decode(payload)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                ShareError::Limit(LimitError::new(Limit::InflatedBytes, "unpacked link", None))
            }
            status => ShareError::Deflate(format!("{status:?}")),
        })?;
    let text =
        std::str::from_utf8(&json).map_err(|e| ShareError::Json(format!("not UTF-8 text: {e}")))?;
    // The JSON goes through the YAML scanner, quadratic in its nesting: measure first.
    if let Err(deep) = crate::manifest::check_nesting(text) {
        let found = Some(deep.depth as u64);
        let e = LimitError::new(Limit::NestingDepth, "unpacked link", found);
        return Err(ShareError::Limit(e));
    }
    let s = super::share_json::from_json(text).map_err(ShareError::Json)?;
    check_limits(&s)?;
    Ok(s)
}

/// Decodes a fragment and builds its world: the whole path a shared link takes.
pub fn load_fragment(fragment: &str) -> Result<(Scenario, World), ShareError> {
    let s = decode_fragment(fragment)?;
    let w = scenario_to_world(&s)?;
    Ok((s, w))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(ShareError::Base64(i + 1)),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if text.len() % 4 == 1 {
        return Err(ShareError::Base64(text.len()));
    }
    Ok(out)
}

#[cfg(test)]
#[path = "share_tests.rs"]
mod tests;
