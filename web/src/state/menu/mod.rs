//! The scenario menu's half of the reducer: import, export, share, embed, load.
//!
//! Everything here reaches the world through [`AppState`]; the results the dialogs show
//! (errors, notices, the exported YAML, the link's fragment) are kept in [`MenuView`], so
//! the components never read the world. A scenario is a start state (see the core's
//! `scenario::share`): it is what Share puts in the link and what autosave keeps.

use std::rc::Rc;

use svcplay_core::manifest::{apply_import, export_world};
use svcplay_core::scenario::DEFAULT_SEED;
use svcplay_core::scenario::share::{Scenario, Settings, encode_fragment, scenario_to_world};

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
    /// Import this text into the world (all or nothing).
    Import(String),
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
                let outcome = match self.import(&text) {
                    Ok(report) => {
                        self.view.menu.revision += 1;
                        let raw = svcplay_core::diagnose::RawScan::read(&text);
                        self.view.edits.imported = super::edit::Imported(std::sync::Arc::new(raw));
                        ImportOutcome {
                            applied: true,
                            lines: report.notices.iter().map(ToString::to_string).collect(),
                        }
                    }
                    Err(lines) => ImportOutcome {
                        applied: false,
                        lines: lines.into(),
                    },
                };
                self.view.menu.dialog = Some(Dialog::Import(Some(outcome)));
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

    /// Imports into the live world, all or nothing, within the core's limits (the
    /// pods already running count against `MAX_PODS`).
    fn import(&mut self, text: &str) -> Result<svcplay_core::manifest::ImportReport, Vec<String>> {
        let sim = self.handle();
        let world = &mut sim.0.borrow_mut().world;
        apply_import(world, text).map_err(|e| e.0.iter().map(ToString::to_string).collect())
    }

    /// Replaces the world by the scenario's, from time zero; a scenario that does not
    /// build leaves everything as it was and says why.
    pub fn load(&mut self, scenario: &Scenario) {
        match scenario_to_world(scenario) {
            Ok(world) => {
                let menu = self.view.menu.clone();
                let epoch = self.view.epoch;
                *self = AppState::new(self.view.scenario);
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
