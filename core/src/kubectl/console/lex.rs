//! Console lines as a POSIX shell splits them, and scripts into lines.
//!
//! A line is split into words at blanks; `'…'` keeps everything literally, `"…"` keeps
//! blanks and takes `\"`, `\\`, `\$` and `` \` `` as escapes, a backslash outside quotes
//! escapes the next character; an unquoted `#` at the start of a word begins a comment.
//! A script is read line by line: blank lines and comments are skipped, and a line
//! ending in a here-document (`<<EOF`, `<<'EOF'`, `<<-EOF`) takes the lines up to the
//! delimiter as its standard input, as `kubectl apply -f - <<EOF` does in a shell.
//! Standard (no repository to pin): IEEE Std 1003.1-2017, Shell Command Language §2.2 (Quoting), §2.7.4
//! (Here-Document).
//!
//! Simplification: no expansions (`$VAR`, `$(…)`, globs), pipes or redirections other
//! than the here-document.

/// Why a line could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexError {
    /// A quote was opened and not closed.
    Unterminated(char),
}

impl std::fmt::Display for LexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LexError::Unterminated(q) => write!(
                f,
                "unexpected end of line while looking for the matching `{q}'"
            ),
        }
    }
}

/// Splits a line into words.
pub fn split(line: &str) -> Result<Vec<String>, LexError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => word.push(x),
                        None => return Err(LexError::Unterminated('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => word.push(x),
                            Some('\n') => {}
                            Some(x) => {
                                word.push('\\');
                                word.push(x);
                            }
                            None => return Err(LexError::Unterminated('"')),
                        },
                        Some(x) => word.push(x),
                        None => return Err(LexError::Unterminated('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    word.push(x);
                }
            }
            x => {
                in_word = true;
                word.push(x);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// One command of a script: its line number (from 1), its text and, with a
/// here-document, the standard input it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    /// Where the command starts, counting from 1.
    pub number: usize,
    /// The command line, without the here-document operator.
    pub text: String,
    /// The here-document's text, if any.
    pub stdin: Option<String>,
}

/// Splits a script into its commands: blank and comment lines are skipped; a
/// here-document's lines go to its command. A here-document that never ends takes the
/// rest of the script (a shell warns and does the same).
pub fn script(text: &str) -> Vec<ScriptLine> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let number = i + 1;
        i += 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((command, delimiter, strip_tabs)) = heredoc(line) else {
            out.push(ScriptLine {
                number,
                text: line.to_owned(),
                stdin: None,
            });
            continue;
        };
        let mut body = String::new();
        while i < lines.len() {
            let l = lines[i];
            i += 1;
            let l = if strip_tabs {
                l.trim_start_matches('\t')
            } else {
                l
            };
            if l == delimiter {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        out.push(ScriptLine {
            number,
            text: command,
            stdin: Some(body),
        });
    }
    out
}

/// A line's here-document operator: the command before it, the delimiter, and whether
/// leading tabs are stripped (`<<-`).
pub fn heredoc(line: &str) -> Option<(String, String, bool)> {
    let at = line.find("<<")?;
    let (command, rest) = (&line[..at], &line[at + 2..]);
    let (strip, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let word = rest.trim();
    let delimiter = word
        .strip_prefix('\'')
        .and_then(|w| w.strip_suffix('\''))
        .or_else(|| word.strip_prefix('"').and_then(|w| w.strip_suffix('"')))
        .unwrap_or(word);
    if delimiter.is_empty() || delimiter.contains(char::is_whitespace) {
        return None;
    }
    Some((command.trim_end().to_owned(), delimiter.to_owned(), strip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn words_split_as_a_shell_splits_them() {
        assert_eq!(
            split("kubectl patch svc prod -p '{\"spec\":{\"type\":\"NodePort\"}}'").unwrap(),
            [
                "kubectl",
                "patch",
                "svc",
                "prod",
                "-p",
                "{\"spec\":{\"type\":\"NodePort\"}}"
            ]
        );
        assert_eq!(
            split("a \"b c\" d\\ e \"q\\\"x\" # comment").unwrap(),
            ["a", "b c", "d e", "q\"x"]
        );
        assert_eq!(split("x='a b'").unwrap(), ["x=a b"]);
        assert_eq!(split("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split("echo 'x").unwrap_err(), LexError::Unterminated('\''));
        assert_eq!(
            LexError::Unterminated('"').to_string(),
            "unexpected end of line while looking for the matching `\"'"
        );
    }

    #[test]
    fn scripts_skip_comments_and_take_here_documents() {
        let s = "# setup\nkubectl get pods\n\nkubectl apply -f - <<EOF\nkind: x\n  a: 1\nEOF\nsleep 30s\nkubectl apply -f - <<-'END'\n\tk: v\n\tEND\n";
        let lines = script(s);
        assert_eq!(lines.len(), 4);
        assert_eq!(
            (lines[0].number, lines[0].text.as_str()),
            (2, "kubectl get pods")
        );
        assert_eq!(lines[1].text, "kubectl apply -f -");
        assert_eq!(lines[1].stdin.as_deref(), Some("kind: x\n  a: 1\n"));
        assert_eq!((lines[2].number, lines[2].text.as_str()), (8, "sleep 30s"));
        assert_eq!(lines[3].stdin.as_deref(), Some("k: v\n"));
    }
}
