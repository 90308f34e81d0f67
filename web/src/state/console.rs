//! The console panel's state: the line being typed, what earlier lines printed (bounded),
//! the line history for ↑/↓, and the candidates of the last Tab. Every line runs through
//! the core's console ([`svcplay_core::kubectl::Console`], kept in [`super::Sim`] with
//! the world); this module only keeps the transcript. `clear` empties it.

use std::collections::VecDeque;
use std::rc::Rc;

use svcplay_core::kubectl::console::lex;

use super::AppState;

/// At most this many lines stay in the transcript (older ones are dropped).
pub const MAX_ENTRIES: usize = 100;

/// At most this much output text (bytes) stays in the transcript.
pub const MAX_TRANSCRIPT_BYTES: usize = 1024 * 1024;

/// At most this many lines stay in the ↑/↓ history.
pub const MAX_HISTORY: usize = 100;

/// One line and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// The line as typed.
    pub line: String,
    /// Standard output then standard error, as a terminal shows them.
    pub output: String,
    /// Whether it succeeded.
    pub ok: bool,
}

/// The console's part of the view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConsoleView {
    /// The line being typed.
    pub input: String,
    /// The transcript, oldest first (shared: the view is cloned on every action).
    pub entries: Rc<VecDeque<ConsoleEntry>>,
    /// Lines run, oldest first.
    pub history: Vec<String>,
    /// Where ↑/↓ is in the history (`None`: at the line being typed).
    pub cursor: Option<usize>,
    /// What the line being typed was before ↑ was pressed.
    pub stash: String,
    /// The candidates of the last Tab that had several.
    pub candidates: Vec<String>,
}

/// What the user did in the console.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsoleAction {
    /// Typed: the line now holds this text.
    Input(String),
    /// Enter: run the line.
    Submit,
    /// Pasted text with line breaks: run it as a script (here-documents feed `apply`).
    Paste(String),
    /// ↑: the previous line of the history.
    Up,
    /// ↓: the next line of the history.
    Down,
    /// Tab: complete the word under the cursor (at the end of the line).
    Complete,
}

impl ConsoleView {
    fn push(&mut self, entry: ConsoleEntry) {
        let entries = Rc::make_mut(&mut self.entries);
        entries.push_back(entry);
        let bytes = |v: &VecDeque<ConsoleEntry>| -> usize {
            v.iter().map(|e| e.line.len() + e.output.len()).sum()
        };
        while entries.len() > MAX_ENTRIES
            || (entries.len() > 1 && bytes(entries) > MAX_TRANSCRIPT_BYTES)
        {
            entries.pop_front();
        }
    }

    fn remember(&mut self, line: &str) {
        if !line.trim().is_empty() && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_owned());
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
        self.cursor = None;
        self.stash.clear();
    }
}

impl AppState {
    /// Applies a console action; the world changes only through the core's console.
    pub(super) fn console(&mut self, action: ConsoleAction) {
        let view = &mut self.view.console;
        match action {
            ConsoleAction::Input(text) => {
                view.input = text;
                view.cursor = None;
                view.candidates.clear();
            }
            ConsoleAction::Up => {
                let at = match view.cursor {
                    None if view.history.is_empty() => return,
                    None => {
                        view.stash = view.input.clone();
                        view.history.len() - 1
                    }
                    Some(0) => 0,
                    Some(i) => i - 1,
                };
                view.cursor = Some(at);
                view.input = view.history[at].clone();
            }
            ConsoleAction::Down => match view.cursor {
                None => {}
                Some(i) if i + 1 < view.history.len() => {
                    view.cursor = Some(i + 1);
                    view.input = view.history[i + 1].clone();
                }
                Some(_) => {
                    view.cursor = None;
                    view.input = std::mem::take(&mut view.stash);
                }
            },
            ConsoleAction::Complete => {
                let sim = self.sim.borrow();
                let done = sim.console.complete(&sim.world, &view.input);
                let next = done.apply(&view.input);
                view.candidates = if done.candidates.len() > 1 && next == view.input {
                    done.candidates
                } else {
                    Vec::new()
                };
                view.input = next;
            }
            ConsoleAction::Submit => {
                let line = std::mem::take(&mut view.input);
                view.candidates.clear();
                view.remember(&line);
                self.run_line(&line, None);
            }
            ConsoleAction::Paste(text) => {
                let typed = std::mem::take(&mut self.view.console.input);
                let script = format!("{typed}{text}");
                for l in lex::script(&script) {
                    self.view.console.remember(&l.text);
                    self.run_line(&l.text, l.stdin.as_deref());
                }
            }
        }
    }

    /// Runs one line through the core's console and keeps what it printed.
    pub(super) fn run_line(&mut self, line: &str, stdin: Option<&str>) {
        if line.trim() == "clear" {
            self.view.console.entries = Rc::default();
            return;
        }
        if line.trim().is_empty() {
            return;
        }
        let out = self.sim.borrow_mut().run_console(line, stdin);
        self.view.console.push(ConsoleEntry {
            line: line.to_owned(),
            output: out.text(),
            ok: out.ok,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use svcplay_core::objects::NamespacedName;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn typed(s: &mut AppState, line: &str) {
        s.apply(Action::Console(ConsoleAction::Input(line.to_owned())));
        s.apply(Action::Console(ConsoleAction::Submit));
    }

    #[test]
    fn a_line_runs_through_the_core_and_changes_the_world() {
        let mut s = AppState::default();
        s.apply(Action::Tick(200.0));
        typed(&mut s, "kubectl scale deploy/prod --replicas=5");
        let e = s.view.console.entries.back().unwrap();
        assert_eq!(
            (e.line.as_str(), e.output.as_str(), e.ok),
            (
                "kubectl scale deploy/prod --replicas=5",
                "deployment.apps/prod scaled\n",
                true
            )
        );
        let prod = NamespacedName::default_ns("prod");
        assert_eq!(s.sim().world.deployments()[&prod].spec.replicas, Some(5));
        assert!(s.view.console.input.is_empty());
        typed(&mut s, "kubectl get svc nope");
        let e = s.view.console.entries.back().unwrap();
        assert!(!e.ok);
        assert_eq!(
            e.output,
            "Error from server (NotFound): services \"nope\" not found\n"
        );
    }

    #[test]
    fn history_tab_paste_and_clear() {
        let mut s = AppState::default();
        typed(&mut s, "kubectl get pods");
        typed(&mut s, "kubectl get svc");
        s.apply(Action::Console(ConsoleAction::Input(
            "kubectl get no".into(),
        )));
        s.apply(Action::Console(ConsoleAction::Up));
        assert_eq!(s.view.console.input, "kubectl get svc");
        s.apply(Action::Console(ConsoleAction::Up));
        s.apply(Action::Console(ConsoleAction::Up));
        assert_eq!(s.view.console.input, "kubectl get pods");
        s.apply(Action::Console(ConsoleAction::Down));
        s.apply(Action::Console(ConsoleAction::Down));
        assert_eq!(s.view.console.input, "kubectl get no", "back to the draft");
        s.apply(Action::Console(ConsoleAction::Input("kubectl desc".into())));
        s.apply(Action::Console(ConsoleAction::Complete));
        assert_eq!(s.view.console.input, "kubectl describe ");
        s.apply(Action::Console(ConsoleAction::Input(
            "kubectl get s".into(),
        )));
        s.apply(Action::Console(ConsoleAction::Complete));
        assert_eq!(s.view.console.input, "kubectl get s");
        assert_eq!(s.view.console.candidates, ["service", "services", "svc"]);
        let manifest = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  selector:\n    app: prod\n  ports:\n  - port: 80\nEOF\nkubectl get svc echo -o name\n";
        s.apply(Action::Console(ConsoleAction::Input(String::new())));
        s.apply(Action::Console(ConsoleAction::Paste(manifest.into())));
        let last: Vec<&str> = s
            .view
            .console
            .entries
            .iter()
            .rev()
            .take(2)
            .map(|e| e.output.as_str())
            .collect();
        assert_eq!(last, ["service/echo\n", "service/echo created\n"]);
        typed(&mut s, "clear");
        assert!(s.view.console.entries.is_empty());
    }

    #[test]
    fn the_transcript_is_bounded() {
        let mut s = AppState::default();
        for _ in 0..MAX_ENTRIES + 20 {
            typed(&mut s, "kubectl get ns -o name");
        }
        assert_eq!(s.view.console.entries.len(), MAX_ENTRIES);
        assert_eq!(s.view.console.history.len(), 1, "repeats are kept once");
    }
}
