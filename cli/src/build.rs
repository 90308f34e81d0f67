//! Reading the manifests and building the world they describe.
//!
//! Files are read within [`MAX_INPUT_BYTES`] in all: reading stops one byte past the
//! limit, so `-f /dev/zero` is refused rather than read. A byte order mark at the start
//! of a file is dropped, as kubectl drops it.

use std::io::Read;

use svcplay_core::World;
use svcplay_core::limits::{Limit, LimitError, MAX_INPUT_BYTES};
use svcplay_core::manifest::{ImportError, ImportReport, Object, apply_report, import_lenient};
use svcplay_core::scenario::empty_cluster_commands;

/// A world built from manifests, with what the import said.
pub struct Built {
    /// The world, settled.
    pub world: World,
    /// Objects and notices.
    pub report: ImportReport,
    /// Errors of objects that were left out (validation, conflicts): problems to report.
    pub rejected: Vec<ImportError>,
}

/// Why no world could be built: exit status 2.
pub struct Unusable(pub Vec<String>);

/// The text between two files.
const SEPARATOR: &str = "\n---\n";

/// Reads the files (`-` is stdin) into one stream, documents separated by `---`.
pub fn read(files: &[String]) -> Result<String, Unusable> {
    read_files(files).map(|(t, _)| t)
}

/// The same, with where each file starts in the stream (its first line).
pub fn read_files(files: &[String]) -> Result<(String, crate::check::Files), Unusable> {
    let mut text = String::new();
    let mut starts = crate::check::Files::default();
    for f in files {
        if !text.is_empty() {
            text.push_str(SEPARATOR);
        }
        let line = text.matches('\n').count() + 1;
        starts.0.push((
            if f == "-" {
                "stdin".to_owned()
            } else {
                f.clone()
            },
            line,
        ));
        let budget = MAX_INPUT_BYTES.saturating_sub(text.len());
        let fail = |e: std::io::Error| Unusable(vec![format!("error: reading {f}: {e}")]);
        let mut bytes = Vec::new();
        let limit = u64::try_from(budget).unwrap_or(u64::MAX).saturating_add(1);
        if f == "-" {
            std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
        } else {
            std::fs::File::open(f).and_then(|file| file.take(limit).read_to_end(&mut bytes))
        }
        .map_err(fail)?;
        if bytes.len() > budget {
            let e = LimitError::new(Limit::InputBytes, "input", None);
            return Err(Unusable(vec![format!("error: reading {f}: {e}")]));
        }
        let part = String::from_utf8(bytes).map_err(|_| {
            Unusable(vec![format!(
                "error: reading {f}: stream did not contain valid UTF-8"
            )])
        })?;
        text.push_str(part.strip_prefix('\u{feff}').unwrap_or(&part));
    }
    Ok((text, starts))
}

/// Imports the text into an empty cluster (the core's: three nodes that joined by
/// themselves, so that an export leaves them out) or, when the manifests bring nodes,
/// into a cluster of those; applies; and runs the world for `settle_secs` of simulated
/// time.
pub fn build(text: &str, seed: u64, settle_secs: u64) -> Result<Built, Unusable> {
    let (report, rejected) = import_lenient(text);
    if rejected.iter().any(ImportError::is_unreadable) {
        let lines = rejected
            .iter()
            .filter(|e| e.is_unreadable())
            .map(|e| format!("error: {e}"));
        return Err(Unusable(lines.collect()));
    }
    let mut world = World::new(seed);
    if !report.objects.iter().any(|o| matches!(o, Object::Node(_))) {
        for c in empty_cluster_commands() {
            // Fresh nodes in an empty world with default addresses cannot be refused.
            let _ = world.apply(c);
        }
    }
    let report = apply_report(&mut world, text, report)
        .map_err(|e| Unusable(e.0.iter().map(|e| format!("error: {e}")).collect()))?;
    world.step(settle_secs.saturating_mul(1000));
    Ok(Built {
        world,
        report,
        rejected,
    })
}
