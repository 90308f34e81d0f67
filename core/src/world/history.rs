//! A session is a list of commands: the world records every command it applied with
//! the simulated time it was applied at, and [`World::replay`] rebuilds the same world
//! from the seed, the configuration and that list.
//!
//! Replay is exact because how time is stepped does not matter: [`World::step`] runs
//! every timed thing and sends every request at its own simulated millisecond, so
//! stepping 1 s at once or in sixty frames gives the same world; only the commands'
//! times matter.

use super::command::Command;
use super::{ClusterConfig, World};
use crate::error::CommandError;
use crate::sim::SimTime;

/// The most commands a world records. A session that applies more keeps running, but
/// its history says it is incomplete and can no longer be replayed.
///
/// Simplification: a real audit log has no such cap; the playground bounds memory.
pub const MAX_HISTORY: usize = 100_000;

/// One applied command and when it was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The simulated time it was applied at.
    pub at: SimTime,
    /// The command.
    pub command: Command,
}

/// The commands applied so far, bounded by [`MAX_HISTORY`].
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    entries: Vec<Recorded>,
    truncated: bool,
}

impl History {
    /// How many commands were recorded (and whether some were not): changes whenever a
    /// command is applied.
    pub(crate) fn mark(&self) -> (usize, bool) {
        (self.entries.len(), self.truncated)
    }

    pub(crate) fn record(&mut self, at: SimTime, command: Command) {
        if self.entries.len() >= MAX_HISTORY {
            self.truncated = true;
            return;
        }
        self.entries.push(Recorded { at, command });
    }
}

impl World {
    /// The commands applied since the world was made, oldest first, or `None` when the
    /// session applied more than [`MAX_HISTORY`] commands.
    pub fn history(&self) -> Option<&[Recorded]> {
        (!self.history.truncated).then_some(self.history.entries.as_slice())
    }

    /// Rebuilds a world from a seed, a configuration and a history, then steps it to
    /// `until` (which must not be earlier than the last command). Every command is
    /// applied at its recorded time; the first refusal stops the replay.
    pub fn replay(
        seed: u64,
        config: ClusterConfig,
        history: &[Recorded],
        until: SimTime,
    ) -> Result<World, CommandError> {
        let mut w = World::with_config(seed, config)?;
        for r in history {
            w.step(r.at.as_millis().saturating_sub(w.now.as_millis()));
            w.apply(r.command.clone())?;
        }
        w.step(until.as_millis().saturating_sub(w.now.as_millis()));
        Ok(w)
    }
}
