//! Reading a stream's documents into objects, within the limits, either a few documents
//! at a time (for an import in slices, [`super::staged`]) or all at once; both give the
//! same objects, notices, errors and positions.
//!
//! The stream is cut into its documents on its text ([`super::cut`]); each document is
//! measured for nesting ([`super::depth`]) and parsed on its own text with the positions
//! of its values ([`super::spans::read`]), so the work per document is in proportion to
//! the document, and the whole import to the stream. A document whose top-level lines
//! show a kind the playground does not read is skipped unparsed (see [`reads`]). When a
//! cut document does not parse as exactly one document, the stream is read whole
//! instead by [`super::stream::parse`] (the same limits, the same objects).

use yaml_serde::Value;

use super::cut::{self, Cut};
use super::decode::Decoder;
use super::depth;
use super::error::ImportError;
use super::path::{FieldPath, Position};
use super::spans::{self, Spans};
use super::stream;
use super::{ImportReport, defaults};
use crate::limits::{self, Limit, LimitError, MAX_OBJECTS};

/// Whether the importer reads this kind (and version) rather than skipping it.
///
/// Simplification: a document of any other kind whose top-level `apiVersion:` and
/// `kind:` lines show it plainly ([`cut::header`]) is skipped without being parsed,
/// so its YAML is not checked (kubectl would refuse a malformed one). This keeps large
/// streams of definitions the playground does not model (Argo CD's 1.4 MB
/// CustomResourceDefinition) from costing a parse.
pub(crate) fn reads(api_version: &str, kind: &str) -> bool {
    matches!(
        (api_version, kind),
        (
            "v1",
            "List" | "Namespace" | "Pod" | "Service" | "Node" | "ReplicationController"
        ) | (
            "apps/v1",
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
        ) | ("batch/v1", "Job" | "CronJob")
            | (
                "autoscaling/v1" | "autoscaling/v2",
                "HorizontalPodAutoscaler"
            )
    )
}

/// A document cut from the stream parsed as more (or fewer) than one document: read the
/// stream as a whole instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Irregular;

/// What reading a stream has found so far: objects, notices, errors, positions.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    report: ImportReport,
    errors: Vec<ImportError>,
    spans: Spans,
    /// Objects met so far (the items of a List each count).
    objects: usize,
    /// A syntax error or a limit stopped the reading (the parser cannot resynchronise).
    stopped: bool,
}

/// The errors of a stream over the size limit, or of a cut of more documents than the
/// limit; nothing of such a stream is parsed.
pub(crate) fn over_limits(bytes: usize, documents: Option<usize>) -> Option<ImportError> {
    if let Err(e) = limits::check_input_bytes(bytes) {
        return Some(stream::limit(0, None, e));
    }
    let documents = documents?;
    (documents > limits::MAX_DOCUMENTS).then(|| {
        let found = Some(u64::try_from(documents).unwrap_or(u64::MAX));
        let e = LimitError::new(Limit::Documents, "", found);
        stream::limit(limits::MAX_DOCUMENTS, None, e)
    })
}

/// Reads all of `text` (without a byte order mark: [`stream::source`]), defaulted.
pub(crate) fn read_all(text: &str) -> (Spans, ImportReport, Vec<ImportError>) {
    let mut reading = Reading::default();
    if let Some(e) = over_limits(text.len(), None) {
        reading.errors.push(e);
        return reading.finish();
    }
    let spans = cut::split(text);
    if let Some(e) = over_limits(text.len(), Some(spans.len())) {
        reading.errors.push(e);
        return reading.finish();
    }
    let cut = Cut {
        text,
        spans: &spans,
    };
    if reading.documents(cut, 0..spans.len()).is_err() {
        reading = Reading::default();
        reading.whole(text);
    }
    reading.finish()
}

impl Reading {
    /// A reading that stopped at `error` before reading anything.
    pub(crate) fn refused(error: ImportError) -> Self {
        Reading {
            errors: vec![error],
            stopped: true,
            ..Reading::default()
        }
    }

    fn decoder(&mut self, doc: usize) -> Decoder<'_> {
        Decoder {
            spans: &self.spans,
            doc,
            objects: &mut self.objects,
            report: &mut self.report,
            errors: &mut self.errors,
        }
    }

    /// Whether reading has stopped (an error the parser cannot read past, or a limit).
    pub(crate) fn stopped(&self) -> bool {
        self.stopped || self.objects > MAX_OBJECTS
    }

    /// Reads the documents `range` of a cut stream, each on its own text.
    pub(crate) fn documents(
        &mut self,
        cut: Cut<'_>,
        range: std::ops::Range<usize>,
    ) -> Result<(), Irregular> {
        for i in range {
            if self.stopped() {
                break;
            }
            let Some((text, before)) = cut.document(i) else {
                break;
            };
            if let Some((api_version, kind)) = cut::header(text)
                && !reads(&api_version, &kind)
            {
                // A kind the playground skips: recognised by its top-level lines and
                // noted where it starts, never parsed (see `reads`).
                self.spans.push_shifted(None, before);
                let at = Position {
                    line: before + cut::first_content_line(text) + 1,
                    column: 1,
                };
                self.decoder(i).skipped(at, api_version, kind);
                continue;
            }
            let start = match depth::check(text, limits::MAX_NESTING_DEPTH) {
                Ok(shape) => shape.starts.first().copied().flatten(),
                Err(deep) => {
                    let found = u64::try_from(deep.depth).unwrap_or(u64::MAX);
                    let e = LimitError::new(Limit::NestingDepth, "", Some(found));
                    let at = shift(deep.position, before);
                    self.errors.push(stream::limit(i, Some(at), e));
                    self.stopped = true;
                    break;
                }
            };
            let mut docs = yaml_serde::Deserializer::from_str(text);
            let Some(de) = docs.next() else {
                return Err(Irregular);
            };
            let read = spans::read(text, start, de);
            if read.is_ok() && docs.next().is_some() {
                return Err(Irregular);
            }
            match read {
                Ok((value, node)) => {
                    self.spans.push_shifted(Some(node), before);
                    self.value(i, value);
                }
                Err(e) => {
                    let mut e = stream::syntax(i, &e);
                    e.position = e.position.map(|p| shift(p, before));
                    if let super::error::Problem::Syntax(m) = &mut e.problem {
                        *m = shift_lines_in(m, before);
                    }
                    self.errors.push(e);
                    self.stopped = true;
                }
            }
        }
        Ok(())
    }

    /// One parsed document, its positions already in `spans`.
    fn value(&mut self, i: usize, value: Value) {
        if let Some((found, path)) = stream::too_deep(&value, limits::MAX_NESTING_DEPTH) {
            let at = self.spans.locate(i, &path);
            let found = Some(u64::try_from(found).unwrap_or(u64::MAX));
            let e = LimitError::new(Limit::NestingDepth, path.to_string(), found);
            self.errors.push(stream::limit(i, at, e));
            self.stopped = true;
            return;
        }
        let mut value = value;
        match value.apply_merge() {
            Ok(()) if value.is_null() => {}
            Ok(()) => self.decoder(i).object(value, &FieldPath::default()),
            // YAML merge keys (`<<: *defaults`), which Kubernetes' YAML reader applies.
            Err(e) => self.errors.push(stream::error(
                i,
                None,
                "",
                super::error::Problem::Syntax(e.to_string()),
            )),
        }
    }

    /// Reads a whole stream in one pass ([`stream::parse`]), from the start.
    pub(crate) fn whole(&mut self, text: &str) {
        let stream::Stream {
            docs,
            spans,
            errors,
        } = stream::parse(text);
        *self = Reading {
            spans,
            errors,
            ..Reading::default()
        };
        for (i, value) in docs {
            self.decoder(i).object(value, &FieldPath::default());
            if self.objects > MAX_OBJECTS {
                break;
            }
        }
    }

    /// The objects read, defaulted, with the notices, the errors and the positions.
    pub(crate) fn finish(self) -> (Spans, ImportReport, Vec<ImportError>) {
        let Reading {
            mut report,
            errors,
            spans,
            ..
        } = self;
        for o in &mut report.objects {
            defaults::apply(o);
        }
        (spans, report, errors)
    }
}

/// A position in a document's own text as a position in the stream.
fn shift(p: Position, lines_before: usize) -> Position {
    Position {
        line: p.line + lines_before,
        column: p.column,
    }
}

/// The parser's message with every `line N` in it (a message may name a second place:
/// `…, while parsing a flow node at line 4 column 1`) counted in the stream's lines.
fn shift_lines_in(message: &str, lines_before: usize) -> String {
    const AT: &str = "line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(AT) {
        let (head, tail) = rest.split_at(i + AT.len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = tail.split_at(digits);
        match number.parse::<usize>() {
            Ok(n) if after.starts_with(" column") => out.push_str(&(n + lines_before).to_string()),
            _ => out.push_str(number),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Reads `text` cut into documents, and whole: the same objects, notices and errors.
    fn both(text: &str) -> [(ImportReport, Vec<ImportError>); 2] {
        let (_, cut, cut_errors) = read_all(text);
        let mut whole = Reading::default();
        whole.whole(text);
        let (_, whole, whole_errors) = whole.finish();
        [(cut, cut_errors), (whole, whole_errors)]
    }

    #[test]
    fn a_cut_reading_places_everything_as_a_whole_one() {
        let text = "# head\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]\n---\n\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  uid: x\nspec:\n  containers: [{name: c, image: i}]\n  bogus: 1\n";
        let [cut, whole] = both(text);
        assert_eq!(cut, whole);
        let (report, errors) = cut;
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(report.objects.len(), 2);
        assert_eq!(report.origins[1].position.line, 9);
        let bogus = report.notices.iter().find(|n| n.field == "spec.bogus");
        assert_eq!(bogus.map(|n| n.position.line), Some(16));
    }

    #[test]
    fn a_syntax_error_is_placed_in_the_stream_s_lines() {
        let text = "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: [\n";
        let [cut, whole] = both(text);
        assert_eq!(cut.1, whole.1);
        assert_eq!(cut.1.len(), 1);
        assert_eq!(cut.1[0].document, 2);
        assert!(cut.1[0].line() >= 5, "{:?}", cut.1[0]);
    }

    #[test]
    fn an_unread_kind_is_skipped_at_its_first_line() {
        let text = "---\n# c\napiVersion: example.com/v1\nkind: Widget\nspec: {\n";
        let (_, report, errors) = read_all(text);
        assert!(errors.is_empty(), "not parsed: {errors:?}");
        assert_eq!(report.notices.len(), 1);
        assert_eq!(report.notices[0].position, Position { line: 3, column: 1 });
        assert!(reads("apps/v1", "StatefulSet") && !reads("v1", "ConfigMap"));
    }
}
