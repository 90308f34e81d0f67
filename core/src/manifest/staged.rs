//! An import run in slices, so that a page stays responsive while it reads and applies
//! a large stream (Argo CD's install is 1.9 MB): the same reading, validation and
//! creation as [`super::apply_import`], all or nothing, cut into bounded steps.
//!
//! [`ImportJob::step`] cuts the text into documents ([`SPLIT_STEP_BYTES`] a step), reads
//! documents until about `bytes` of text are read (each with the positions of its
//! values, in one pass: `reading`), then validates the whole import at once, then
//! creates the objects and runs the controllers a few at a time on a copy of the world
//! ([`CreateJob`]); the caller runs steps between frames for as long as it likes and
//! shows [`ImportJob::progress`]. [`ImportJob::finish`] swaps the copy in. The result is
//! the world `apply_import` gives: the same objects created in the same order, the same
//! single `Create` command in the history, the same limits. A stream whose documents
//! cannot be cut on its text (see `cut`) is read whole in one step.

use super::ImportReport;
use super::apply::{conclude, prepare};
use super::cut::{Cut, Span, Splitter};
use super::decode::validated;
use super::error::{ImportError, ImportErrors};
use super::reading::{self, Reading};
use super::validate::to_import_errors;
use crate::World;
use crate::world::CreateJob;

/// An import in progress (see the module docs).
#[derive(Debug)]
pub struct ImportJob {
    text: String,
    spans: Vec<Span>,
    splitter: Splitter,
    /// Whether `spans` holds every document.
    split: bool,
    next_doc: usize,
    reading: Reading,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    Reading,
    Creating {
        job: Box<CreateJob>,
        report: ImportReport,
        made: Vec<String>,
    },
    Refused(Vec<ImportError>),
}

/// How far an import got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// What it is doing.
    pub stage: ProgressStage,
    /// Units done: bytes read, or objects created.
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

/// What an import is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressStage {
    /// Reading and validating documents.
    Reading,
    /// Creating objects and starting their controllers.
    Creating,
    /// Done (applied or refused): call [`ImportJob::finish`].
    Done,
}

/// Text cut into documents per step (a line scan: about a millisecond in a page).
pub const SPLIT_STEP_BYTES: usize = 128 * 1024;

impl ImportJob {
    /// An import of `text`, not started (and nothing done yet but dropping a leading
    /// byte order mark: cheap).
    pub fn new(mut text: String) -> Self {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let reading = match reading::over_limits(text.len(), None) {
            Some(e) => Reading::refused(e),
            None => Reading::default(),
        };
        ImportJob {
            text,
            spans: Vec::new(),
            splitter: Splitter::default(),
            split: false,
            next_doc: 0,
            reading,
            stage: Stage::Reading,
        }
    }

    /// Does one slice of work: cutting [`SPLIT_STEP_BYTES`] of text into documents,
    /// reading about `bytes` of documents (at least one), or creating `units` objects
    /// and controller syncs. True when there is nothing left but to finish. `world` is
    /// the world the import goes into; it must not change until [`ImportJob::finish`].
    pub fn step(&mut self, world: &World, bytes: usize, units: usize) -> bool {
        match &mut self.stage {
            Stage::Reading => {
                if self.reading.stopped() {
                    self.validate(world);
                } else if !self.split {
                    let budget = SPLIT_STEP_BYTES.max(bytes);
                    self.split = self.splitter.run(&self.text, &mut self.spans, budget);
                    // Documents are read once the cut is whole, so that a stream of too
                    // many documents is refused before any is parsed.
                    if self.split
                        && let Some(e) =
                            reading::over_limits(self.text.len(), Some(self.spans.len()))
                    {
                        self.reading = Reading::refused(e);
                    }
                    return false;
                } else if self.next_doc >= self.spans.len() {
                    self.validate(world);
                } else {
                    self.read(bytes);
                }
                matches!(self.stage, Stage::Refused(_))
            }
            Stage::Creating { job, .. } => job.step(units),
            Stage::Refused(_) => true,
        }
    }

    fn read(&mut self, bytes: usize) {
        let cut = Cut {
            text: &self.text,
            spans: &self.spans,
        };
        let mut read = 0;
        let start = self.next_doc;
        let mut end = start;
        while end < self.spans.len() && (end == start || read < bytes) {
            read += self.spans.get(end).map_or(0, |s| s.end - s.start);
            end += 1;
        }
        if self.reading.documents(cut, start..end).is_err() {
            // A document the cut did not foresee: the whole stream in this step.
            self.reading = Reading::default();
            self.reading.whole(&self.text);
            end = self.spans.len();
        }
        self.next_doc = end;
    }

    /// Validates everything read, then begins the create (or keeps the refusal).
    fn validate(&mut self, world: &World) {
        let (spans, report, errors) = std::mem::take(&mut self.reading).finish();
        let (report, errors) = validated(&spans, report, errors);
        self.stage = if !errors.is_empty() {
            Stage::Refused(errors)
        } else {
            match prepare(world, &report) {
                Ok((objects, made)) => Stage::Creating {
                    job: Box::new(world.begin_create(objects)),
                    report,
                    made,
                },
                Err(found) => Stage::Refused(to_import_errors(&spans, &report, found)),
            }
        };
    }

    /// The text being imported.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How far the import got.
    pub fn progress(&self) -> Progress {
        match &self.stage {
            Stage::Reading => {
                let done = if self.split {
                    self.spans
                        .get(self.next_doc)
                        .map_or(self.text.len(), |s| s.start)
                } else {
                    0
                };
                Progress {
                    stage: ProgressStage::Reading,
                    done,
                    total: self.text.len(),
                }
            }
            Stage::Creating { job, .. } => {
                let (done, total) = job.progress();
                Progress {
                    stage: if job.is_done() {
                        ProgressStage::Done
                    } else {
                        ProgressStage::Creating
                    },
                    done,
                    total,
                }
            }
            Stage::Refused(_) => Progress {
                stage: ProgressStage::Done,
                done: self.text.len(),
                total: self.text.len(),
            },
        }
    }

    /// The objects the import will create, once it has read them (for limits a caller
    /// keeps, such as the pods a page runs).
    pub fn report(&self) -> Option<&ImportReport> {
        match &self.stage {
            Stage::Creating { report, .. } => Some(report),
            _ => None,
        }
    }

    /// Runs what is left and applies it to `world`, all or nothing: the report (as
    /// [`super::apply_report`] gives it) or every error.
    pub fn finish(mut self, world: &mut World) -> Result<ImportReport, ImportErrors> {
        while !self.step(world, usize::MAX, usize::MAX) {}
        match self.stage {
            Stage::Refused(errors) => Err(ImportErrors(errors)),
            Stage::Creating { job, report, made } => {
                let result = job.finish(world).map(|_| ());
                conclude(world, &self.text, report, result, made)
            }
            Stage::Reading => Err(ImportErrors(Vec::new())),
        }
    }
}
