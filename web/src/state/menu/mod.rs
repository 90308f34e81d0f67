//! The scenario menu's half of the reducer: import, export, share, embed, load, and a
//! new empty cluster.
//!
//! An import runs in slices ([`ImportJob`]): at most [`IMPORT_SLICE_MILLIS`] of work on
//! the click that starts it and on each animation frame after, so a 1.9 MB stream never
//! freezes the page; simulated time waits while it runs, and the dialog shows how far it
//! got. An import of at most [`IMPORT_AT_ONCE_BYTES`] is done before the click returns. By default every Service
//! then gets a stream of requests from the client pod `loadgen` (one fortio container
//! per Service, created with `Command::Create`), so that someone else's manifests show
//! traffic.
//!
//! Everything here reaches the world through [`AppState`]; the results the dialogs show
//! (errors, notices, the exported YAML, the link's fragment) are kept in [`MenuView`], so
//! the components never read the world. A scenario is a start state (see the core's
//! `scenario::share`): it is what Share puts in the link and what autosave keeps.

use std::rc::Rc;

use svcplay_core::manifest::{ImportJob, ProgressStage, export_world};
use svcplay_core::scenario::DEFAULT_SEED;
use svcplay_core::scenario::share::{Scenario, Settings, encode_fragment, scenario_to_world};
use svcplay_core::world::Command;

use super::AppState;

/// What the scenario menu shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MenuView {
    /// The open dialog.
    pub dialog: Option<Dialog>,
    /// A dismissible message (a bad link, a storage problem).
    pub notice: Option<Rc<str>>,
    /// Bumped whenever the scenario changed (import, load, reset, speed, a command):
    /// autosave saves when it moves.
    pub revision: u64,
    /// The seed of the loaded scenario (`None`: the default seed).
    pub seed: Option<u64>,
    /// How far the running import got (`None`: none is running).
    pub importing: Option<ImportProgress>,
    /// Leave imported Services without traffic (the box is unticked).
    pub no_traffic: bool,
}

/// How far an import got, for the dialog's progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// `reading` (and validating) or `creating` (objects and their controllers).
    pub stage: &'static str,
    /// Units done (bytes read, objects created).
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

/// Import work on one click or frame starts no new step after this much wall time (a
/// step is one document, or a few objects).
pub const IMPORT_SLICE_MILLIS: f64 = 8.0;
/// An import this small is done at once, on the click; a larger paste is kept out of the
/// dialog's box.
pub const IMPORT_AT_ONCE_BYTES: usize = 64 * 1024;
/// Text read per step of an import: one document (the slice's clock decides how many).
const IMPORT_STEP_BYTES: usize = 1;
/// Objects created or controller syncs per step of an import.
const IMPORT_STEP_UNITS: usize = 2;
/// The client that sends to every imported Service, and its rate per Service.
pub const LOADGEN: (&str, u32) = ("loadgen", 2);

/// The client pod [`LOADGEN`] names, in `default`: one fortio container per Service
/// with a ClusterIP (not headless, not ExternalName, not the API server's own), each
/// `fortio load -qps RATE -c 1 -t 0 -keepalive=false http://NAME.NAMESPACE:PORT/`,
/// the rates within [`MAX_TOTAL_RATE`] in all (at least 1 each, at most
/// [`MAX_TOTAL_RATE`] Services). `None` when no Service qualifies.
fn loadgen_command(world: &svcplay_core::World) -> Option<Command> {
    use svcplay_core::limits::MAX_TOTAL_RATE;
    use svcplay_core::objects::build::{client_pod, fortio_container};
    use svcplay_core::objects::{NamespacedName, ServiceType};
    let (name, rate) = LOADGEN;
    let targets: Vec<(String, u16)> = world
        .services()
        .iter()
        .filter(|(k, s)| {
            !world.is_built_in_service(k)
                && s.spec.type_ != ServiceType::ExternalName
                && !s.spec.is_headless()
        })
        .filter_map(|(k, s)| {
            let port = s.spec.ports.first()?.port;
            Some((
                format!("{}.{}", k.name, k.namespace),
                u16::try_from(port).ok()?,
            ))
        })
        .take(usize::try_from(MAX_TOTAL_RATE).unwrap_or(usize::MAX))
        .collect();
    let n = u32::try_from(targets.len()).ok().filter(|n| *n > 0)?;
    let qps = rate.min(MAX_TOTAL_RATE / n).max(1);
    let containers = targets
        .iter()
        .enumerate()
        .map(|(i, (host, port))| {
            fortio_container(
                &format!("s{i}"),
                &format!("http://{host}:{port}/"),
                qps,
                1,
                false,
            )
        })
        .collect();
    let mut pod = client_pod(&NamespacedName::default_ns(name), containers);
    // As the API server defaults them (and as a shared link's import writes them), so
    // that the pod reads back the same from a link.
    pod.spec.restart_policy = "Always".to_owned();
    pod.spec.termination_grace_period_seconds = Some(30);
    Some(Command::Create {
        objects: vec![pod.into()],
    })
}

/// An import the page is running.
#[derive(Debug)]
pub struct PendingImport {
    job: ImportJob,
}

/// Milliseconds of wall time, for the import's slices (the shell's clock; the core has
/// none).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1000.0
    }
}

/// The dialog on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Import YAML, with the last attempt's outcome.
    Import(Option<ImportOutcome>),
    /// Export YAML: the text.
    Export(Rc<str>),
    /// A link (or embed snippet) for the current scenario: its fragment `s=…`.
    Link {
        /// Share (a link) or Embed (an iframe snippet).
        embed: bool,
        /// The fragment, without `#`.
        fragment: Rc<str>,
    },
}

/// What an import attempt said.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// Whether it was applied.
    pub applied: bool,
    /// The errors (nothing applied) or the notices (applied), in the core's words.
    pub lines: Rc<[String]>,
}

/// Everything the scenario menu can do.
#[derive(Debug, Clone, PartialEq)]
pub enum MenuAction {
    /// Open the Import dialog.
    OpenImport,
    /// Import this text into the world (all or nothing), in slices.
    Import(String),
    /// Tick (true) or untick the box that sends traffic to every imported Service.
    SetTraffic(bool),
    /// Replace the world by an empty cluster (three nodes, nothing else).
    NewEmpty,
    /// Open the Export dialog with the world's YAML.
    Export,
    /// Make a link (false) or an embed snippet (true) for the current scenario.
    Link(bool),
    /// Close the dialog.
    Close,
    /// Replace the world by a scenario's.
    Load(Rc<Scenario>),
    /// Show a message.
    Notify(Rc<str>),
    /// Hide the message.
    Dismiss,
}

impl AppState {
    /// The current scenario: what the user made, the clients, the speed.
    pub fn scenario(&self) -> Scenario {
        let speed = self.view.speed_percent;
        let settings = Settings {
            speed_percent: (speed != 100).then_some(speed),
        };
        let seed = self.view.menu.seed.unwrap_or(DEFAULT_SEED);
        svcplay_core::scenario::share::world_to_scenario(&self.sim().world, seed, settings)
    }

    /// Applies one menu action.
    pub fn menu(&mut self, action: MenuAction) {
        match action {
            MenuAction::OpenImport => self.view.menu.dialog = Some(Dialog::Import(None)),
            MenuAction::Import(text) => {
                if self.view.menu.importing.is_some() {
                    return;
                }
                let at_once = text.len() <= IMPORT_AT_ONCE_BYTES;
                let total = text.len();
                // What the text adds to the world for a diagnosis (the explain view).
                // Simplification: a paste over IMPORT_AT_ONCE_BYTES is not scanned (one
                // task of 250 ms on Argo CD's 1.9 MB, measured); its containers are
                // diagnosed from their declared ports alone.
                let raw = if at_once {
                    svcplay_core::diagnose::RawScan::read(&text)
                } else {
                    svcplay_core::diagnose::RawScan::default()
                };
                self.view.edits.imported = super::edit::Imported(std::sync::Arc::new(raw));
                self.sim.borrow_mut().import = Some(PendingImport {
                    job: ImportJob::new(text),
                });
                self.view.menu.dialog = Some(Dialog::Import(None));
                if at_once {
                    self.continue_import(true);
                } else {
                    // Reading the text out of the page took this click's time: the work
                    // starts on the next frame.
                    self.view.menu.importing = Some(ImportProgress {
                        stage: "reading",
                        done: 0,
                        total,
                    });
                }
            }
            MenuAction::SetTraffic(on) => self.view.menu.no_traffic = !on,
            MenuAction::NewEmpty => {
                let view = self.view.clone();
                *self = AppState::new(super::ScenarioKind::Empty);
                self.view.epoch = view.epoch;
                self.view.speed_percent = view.speed_percent;
                self.view.menu = MenuView {
                    revision: view.menu.revision + 1,
                    seed: None,
                    dialog: None,
                    importing: None,
                    ..view.menu
                };
            }
            MenuAction::Export => {
                let yaml = export_world(&self.sim().world);
                self.view.menu.dialog = Some(Dialog::Export(yaml.into()));
            }
            MenuAction::Link(embed) => {
                let fragment = encode_fragment(&self.scenario()).into();
                self.view.menu.dialog = Some(Dialog::Link { embed, fragment });
            }
            MenuAction::Close => self.view.menu.dialog = None,
            MenuAction::Load(scenario) => self.load(&scenario),
            MenuAction::Notify(text) => self.view.menu.notice = Some(text),
            MenuAction::Dismiss => self.view.menu.notice = None,
        }
    }

    /// Runs the pending import for at most [`IMPORT_SLICE_MILLIS`]; when it is done,
    /// applies it (or keeps its refusal) and, unless unticked, gives every Service a
    /// stream from [`LOADGEN`]. True when the dialog changed.
    pub(crate) fn continue_import(&mut self, no_limit: bool) -> bool {
        let start = now_ms();
        let outcome = {
            let mut sim = self.sim.borrow_mut();
            let sim = &mut *sim;
            let Some(pending) = sim.import.as_mut() else {
                return false;
            };
            loop {
                let done = pending
                    .job
                    .step(&sim.world, IMPORT_STEP_BYTES, IMPORT_STEP_UNITS);
                if done {
                    let Some(p) = sim.import.take() else {
                        break None;
                    };
                    let lines = |e: svcplay_core::manifest::ImportErrors| {
                        e.0.iter().map(ToString::to_string).collect::<Vec<String>>()
                    };
                    break Some(p.job.finish(&mut sim.world).map_err(lines));
                }
                if !no_limit && now_ms() - start >= IMPORT_SLICE_MILLIS {
                    break None;
                }
            }
        };
        let Some(result) = outcome else {
            let sim = self.sim.borrow();
            self.view.menu.importing = sim.import.as_ref().map(|p| {
                let pr = p.job.progress();
                ImportProgress {
                    stage: match pr.stage {
                        ProgressStage::Reading => "reading",
                        ProgressStage::Creating | ProgressStage::Done => "creating",
                    },
                    done: pr.done,
                    total: pr.total,
                }
            });
            return true;
        };
        self.view.menu.importing = None;
        let outcome = match result {
            Ok(report) => {
                let mut lines: Vec<String> =
                    report.notices.iter().map(ToString::to_string).collect();
                if !self.view.menu.no_traffic {
                    let command = loadgen_command(&self.sim().world);
                    if let Some(command) = command
                        && let Err(e) = self.sim.borrow_mut().apply(command)
                    {
                        lines.push(format!("no traffic sent: {e}"));
                    }
                }
                self.view.menu.revision += 1;
                ImportOutcome {
                    applied: true,
                    lines: lines.into(),
                }
            }
            Err(lines) => ImportOutcome {
                applied: false,
                lines: lines.into(),
            },
        };
        self.view.menu.dialog = Some(Dialog::Import(Some(outcome)));
        self.view.epoch += 1;
        true
    }

    /// Replaces the world by the scenario's, from time zero; a scenario that does not
    /// build leaves everything as it was and says why.
    pub fn load(&mut self, scenario: &Scenario) {
        match scenario_to_world(scenario) {
            Ok(world) => {
                let menu = self.view.menu.clone();
                let epoch = self.view.epoch;
                // A loaded scenario is the sandbox: an open lesson closes (its kept
                // sandbox goes), but the lessons completed stay.
                let completed = std::mem::take(&mut self.view.lesson.completed);
                *self = AppState::new(self.view.scenario);
                self.view.lesson.completed = completed;
                self.handle().0.borrow_mut().world = world;
                self.view.epoch = epoch;
                self.view.speed_percent = scenario.settings.speed_percent.unwrap_or(100);
                self.view.menu = MenuView {
                    revision: menu.revision + 1,
                    seed: Some(scenario.seed),
                    ..menu
                };
            }
            Err(e) => self.view.menu.notice = Some(e.to_string().into()),
        }
    }
}

#[cfg(test)]
mod tests;
