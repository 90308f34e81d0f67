//! A [`Command::Create`] applied in slices, for imports too big for one frame of a page:
//! the same creates, in the same order, on a copy of the world, then the controllers'
//! syncs one at a time, and at the end the copy replaces the world and the command is
//! recorded, exactly as [`World::apply`] would have left it. All or nothing: a refusal
//! of any object leaves the world untouched, and so does a world that changed in the
//! meantime.
//!
//! The work is counted in units (one object created, or one controller sync), so a shell
//! can run slices between frames and show how far it got; the core keeps no clock.

use super::World;
use super::command::{Applied, Command};
use super::create::{batch, create_order};
use crate::error::CommandError;
use crate::objects::Object;
use crate::sim::SimTime;

/// A create in progress (see the module docs).
#[derive(Debug, Clone)]
pub struct CreateJob {
    next: World,
    objects: Vec<Object>,
    order: Vec<usize>,
    done: usize,
    errors: Vec<(usize, CommandError)>,
    applied: Applied,
    settled: bool,
    started: (SimTime, (usize, bool)),
}

impl World {
    /// Begins creating `objects` on a copy of the world; run it with
    /// [`CreateJob::step`], then [`CreateJob::finish`] it onto this world.
    pub fn begin_create(&self, objects: Vec<Object>) -> CreateJob {
        CreateJob {
            next: self.clone(),
            order: create_order(&objects),
            objects,
            done: 0,
            errors: Vec::new(),
            applied: Applied::default(),
            settled: false,
            started: (self.now, self.history.mark()),
        }
    }
}

impl CreateJob {
    /// Does up to `units` of work (creates, then controller syncs); true when all is done.
    pub fn step(&mut self, units: usize) -> bool {
        let mut left = units.max(1);
        while left > 0 && self.done < self.order.len() {
            if let Some(&i) = self.order.get(self.done)
                && let Some(o) = self.objects.get(i)
            {
                match self.next.create_one(o.clone()) {
                    Ok(change) => self.applied.changes.push(change),
                    Err(e) => self.errors.push((i, e)),
                }
            }
            self.done += 1;
            left -= 1;
        }
        if self.done < self.order.len() {
            return false;
        }
        if !self.errors.is_empty() {
            return true;
        }
        while left > 0 && !self.settled {
            self.settled = !self.next.settle_one();
            left -= 1;
        }
        self.settled
    }

    /// Objects created so far, and how many there are.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.order.len())
    }

    /// Whether every object is created and the controllers are done (or a refusal ended
    /// it).
    pub fn is_done(&self) -> bool {
        self.done >= self.order.len() && (self.settled || !self.errors.is_empty())
    }

    /// Runs what is left, then replaces `world` by the copy and records the command;
    /// on a refusal, or when `world` changed since [`World::begin_create`], `world` is
    /// left as it was.
    pub fn finish(mut self, world: &mut World) -> Result<Applied, CommandError> {
        while !self.step(usize::MAX) {}
        if !self.errors.is_empty() {
            let mut errors = self.errors;
            crate::sort::sort_by_key(&mut errors, |(i, _)| *i);
            return Err(batch(errors, self.objects.len()));
        }
        if (world.now, world.history.mark()) != self.started {
            return Err(CommandError::WorldChanged);
        }
        let now = self.next.now;
        self.next.history.record(
            now,
            Command::Create {
                objects: self.objects,
            },
        );
        *world = self.next;
        world.touch();
        Ok(self.applied)
    }
}
