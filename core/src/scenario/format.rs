//! The scenario format: a whole playground (seed, objects, clients, settings) as plain
//! values; `share` packs it into a link, `share_json` writes and reads its JSON.

/// A shareable playground: enough to build the same world again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The world's random seed.
    pub seed: u64,
    /// The objects, as the YAML [`export_scenario`](crate::manifest::export_scenario) writes (and the importer reads).
    pub objects: String,
    /// The clients sending traffic.
    pub clients: Vec<ClientSpec>,
    /// Playback settings.
    pub settings: Settings,
}

/// An outside user of a [`Scenario`] (or, in an older link, an in-cluster client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSpec {
    /// Its name.
    pub name: String,
    /// The Service it sends to.
    pub service: String,
    /// Requests per simulated second.
    pub rate: u32,
    /// For a client outside the cluster, its address; absent for the in-cluster client
    /// pod.
    pub external_ip: Option<String>,
}

/// How the playground plays a [`Scenario`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Simulated time per wall time in hundredths (100 = ×1); absent = ×1.
    pub speed_percent: Option<u32>,
}
