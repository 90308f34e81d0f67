//! Text in, findings out: [`check_text`] reads manifests (Helm- or kustomize-rendered
//! too) or a live cluster's dump and diagnoses it; [`check_world`] diagnoses the page's
//! own world.
//!
//! The input is a dump when any object carries what only the cluster writes
//! (`metadata.uid` or `metadata.resourceVersion`): it is then read with
//! [`read_live`](crate::manifest::read_live) and explained as it is. Otherwise the
//! manifests are imported leniently (objects the API server would refuse become
//! findings), three nodes in zones a–c are added when they bring none, the load-balancer
//! provider is configured, and the world runs for `settle_secs` of simulated time.
//! Unknown kinds (CRDs, ConfigMaps, RBAC, …) are noted once per kind.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::cluster::{Cluster, Source};
use super::finding::Finding;
use super::raw::RawScan;
use super::settings::{LbProvider, Settings, pool_addresses};
use crate::World;
use crate::manifest::{ImportError, NoticeKind, Object, apply_report, import_lenient, read_live};
use crate::objects::Epoch;
use crate::objects::build::node_in_zone;
use crate::world::{ClusterConfig, Command};

/// The nodes added when manifests bring none, one per zone.
pub const DEFAULT_NODES: [(&str, &str); 3] = [
    ("node-1", "zone-a"),
    ("node-2", "zone-b"),
    ("node-3", "zone-c"),
];

/// How to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The simulation's seed.
    pub seed: u64,
    /// Simulated seconds to run manifests before diagnosing.
    pub settle_secs: u64,
    /// The cluster's settings.
    pub settings: Settings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            settle_secs: 60,
            settings: Settings::default(),
        }
    }
}

/// What a check found.
#[derive(Debug)]
pub struct Report {
    /// The findings.
    pub findings: Vec<Finding>,
    /// The state that was diagnosed.
    pub cluster: Cluster,
    /// The world built from manifests (`None` for a dump).
    pub world: Option<World>,
    /// Notices: unknown kinds once per kind, fields not modelled counted.
    pub notices: Vec<String>,
}

/// Why the input could not be read at all (not YAML, wrong types, no kind, over a limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub Vec<String>);

fn summarise(notices: &[crate::manifest::Notice]) -> Vec<String> {
    let mut kinds: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut fields = 0usize;
    let mut out = Vec::new();
    for n in notices {
        match &n.kind {
            NoticeKind::UnknownKind { api_version, kind } => {
                *kinds
                    .entry((api_version.clone(), kind.clone()))
                    .or_default() += 1
            }
            NoticeKind::UnknownField | NoticeKind::ServerSet => fields += 1,
            _ => out.push(n.to_string()),
        }
    }
    for ((v, k), n) in kinds {
        out.push(format!(
            "skipped {n} {v} {k} object(s): kind not modelled by the playground"
        ));
    }
    if fields > 0 {
        out.push(format!(
            "{fields} field(s) not modelled by the playground were ignored"
        ));
    }
    out
}

/// Reads manifests or a dump and diagnoses it.
pub fn check_text(text: &str, options: &Options) -> Result<Report, Unreadable> {
    let raw = Arc::new(RawScan::read(text));
    let mut settings = options.settings.clone();
    if raw.live {
        let report = read_live(text, Epoch::UNIX)
            .map_err(|e| Unreadable(e.0.iter().map(|e| format!("error: {e}")).collect()))?;
        let notices = summarise(&report.notices);
        let cluster = Cluster::from_live(report.objects, raw, settings, Epoch::UNIX);
        let findings = super::diagnose(&cluster);
        return Ok(Report {
            findings,
            cluster,
            world: None,
            notices,
        });
    }
    let (report, rejected) = import_lenient(text);
    if rejected.iter().any(ImportError::is_unreadable) {
        return Err(Unreadable(
            rejected
                .iter()
                .filter(|e| e.is_unreadable())
                .map(|e| format!("error: {e}"))
                .collect(),
        ));
    }
    let provider = *settings.lb_provider.get_or_insert(if raw.pools.is_empty() {
        LbProvider::Cloud
    } else {
        LbProvider::MetalLb
    });
    let mut config = ClusterConfig::default();
    match provider {
        LbProvider::Cloud => {}
        LbProvider::None => config.load_balancer_pool.clear(),
        LbProvider::MetalLb => config.load_balancer_pool = pool_addresses(&raw.pools),
    }
    config.node_port_range = settings.node_port_range;
    let mut world = World::with_config(options.seed, config)
        .map_err(|e| Unreadable(vec![format!("error: {e}")]))?;
    if !report.objects.iter().any(|o| matches!(o, Object::Node(_))) {
        for (name, zone) in DEFAULT_NODES {
            // A fresh node in an empty world with default addresses cannot be refused.
            let _ = world.apply(Command::Create {
                objects: vec![node_in_zone(name, zone).into()],
            });
        }
    }
    let report = apply_report(&mut world, text, report)
        .map_err(|e| Unreadable(e.0.iter().map(|e| format!("error: {e}")).collect()))?;
    world.step(options.settle_secs.saturating_mul(1000));
    let notices = summarise(&report.notices);
    let mut cluster = Cluster::from_world(&world, raw, settings);
    cluster.rejected = rejected;
    cluster.from_manifests = true;
    let findings = super::diagnose(&cluster);
    Ok(Report {
        findings,
        cluster,
        world: Some(world),
        notices,
    })
}

/// Diagnoses a world as it is (the page's own), with what its last import's text adds
/// (the containers' flags; [`RawScan::default`] when there was none).
pub fn check_world(world: &World, raw: Arc<RawScan>, settings: Settings) -> Vec<Finding> {
    let cluster = Cluster::from_world(world, raw, settings);
    debug_assert_eq!(cluster.source, Source::Simulated);
    super::diagnose(&cluster)
}
