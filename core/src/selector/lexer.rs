//! The selector lexer: turns `app=web,tier in (fe,be)` into tokens.
//!
//! Whitespace (space, `\t`, `\r`, `\n`) separates tokens. The special characters are
//! `= ! ( ) , > <`; a run of them is cut into the longest known operators (`!=` beats
//! `!`, `==` beats `=`). Any other run of bytes is one identifier, so `a||y` is a single
//! identifier; an identifier that is exactly `in` or `notin` is a keyword. As upstream
//! reads bytes and takes `0` for "end", a NUL byte ends the token it is in, and a NUL
//! where a token would start reads as the end of the input.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `Lexer`.

/// A token kind, named as upstream's `Token` constants are (without the `Token` suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Token {
    /// A run of special characters that forms no operator. Upstream keeps this case, but
    /// it cannot occur: every special character is an operator on its own.
    Error,
    /// The end of the input.
    EndOfString,
    /// `)`.
    ClosedPar,
    /// `,`.
    Comma,
    /// `!`.
    DoesNotExist,
    /// `==`.
    DoubleEquals,
    /// `=`.
    Equals,
    /// `>`.
    GreaterThan,
    /// A key or value.
    Identifier,
    /// The keyword `in`.
    In,
    /// `<`.
    LessThan,
    /// `!=`.
    NotEquals,
    /// The keyword `notin`.
    NotIn,
    /// `(`.
    OpenPar,
}

impl Token {
    /// The token's name as upstream's tests print it: `EndOfString`, `NotIn`, `OpenPar`.
    pub fn name(self) -> &'static str {
        match self {
            Token::Error => "Error",
            Token::EndOfString => "EndOfString",
            Token::ClosedPar => "ClosedPar",
            Token::Comma => "Comma",
            Token::DoesNotExist => "DoesNotExist",
            Token::DoubleEquals => "DoubleEquals",
            Token::Equals => "Equals",
            Token::GreaterThan => "GreaterThan",
            Token::Identifier => "Identifier",
            Token::In => "In",
            Token::LessThan => "LessThan",
            Token::NotEquals => "NotEquals",
            Token::NotIn => "NotIn",
            Token::OpenPar => "OpenPar",
        }
    }

    /// The operator or keyword spelled `text`, if any (upstream `string2token`).
    fn from_text(text: &[u8]) -> Option<Token> {
        Some(match text {
            b")" => Token::ClosedPar,
            b"," => Token::Comma,
            b"!" => Token::DoesNotExist,
            b"==" => Token::DoubleEquals,
            b"=" => Token::Equals,
            b">" => Token::GreaterThan,
            b"in" => Token::In,
            b"<" => Token::LessThan,
            b"!=" => Token::NotEquals,
            b"notin" => Token::NotIn,
            b"(" => Token::OpenPar,
            _ => return None,
        })
    }
}

/// One scanned token: its kind, its text and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexeme<'a> {
    /// The kind.
    pub token: Token,
    /// The text as written (empty for the end of input).
    pub literal: &'a str,
    /// The byte offset where it starts in the input.
    pub position: usize,
}

/// The lexer: call [`Lexer::lex`] until it returns [`Token::EndOfString`] (it keeps
/// returning it after that), or use [`scan`].
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    s: &'a str,
    pos: usize,
}

fn is_whitespace(ch: u8) -> bool {
    matches!(ch, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(ch: u8) -> bool {
    matches!(ch, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `s`.
    pub fn new(s: &'a str) -> Self {
        Lexer { s, pos: 0 }
    }

    /// The byte at the cursor, moving past it; `0` at the end (a NUL byte also reads as
    /// `0`, but is moved past).
    fn read(&mut self) -> u8 {
        match self.s.as_bytes().get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => 0,
        }
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.s.get(start..end).unwrap_or_default()
    }

    /// The next token.
    pub fn lex(&mut self) -> Lexeme<'a> {
        let mut start = self.pos;
        let mut ch = self.read();
        while is_whitespace(ch) {
            start = self.pos;
            ch = self.read();
        }
        if ch == 0 {
            return Lexeme {
                token: Token::EndOfString,
                literal: "",
                position: start,
            };
        }
        self.unread();
        if is_special(ch) {
            self.scan_special()
        } else {
            self.scan_identifier()
        }
    }

    /// An identifier or keyword: bytes up to whitespace, a special character or the end.
    fn scan_identifier(&mut self) -> Lexeme<'a> {
        let start = self.pos;
        let end = loop {
            let at = self.pos;
            let ch = self.read();
            if ch == 0 {
                break at;
            }
            if is_special(ch) || is_whitespace(ch) {
                self.unread();
                break at;
            }
        };
        let literal = self.slice(start, end);
        let token = match Token::from_text(literal.as_bytes()) {
            Some(t @ (Token::In | Token::NotIn)) => t,
            _ => Token::Identifier,
        };
        Lexeme {
            token,
            literal,
            position: start,
        }
    }

    /// The longest operator made of the special characters at the cursor.
    fn scan_special(&mut self) -> Lexeme<'a> {
        let start = self.pos;
        let mut last: Option<(Token, usize)> = None;
        loop {
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if !is_special(ch) {
                self.unread();
                break;
            }
            let text = self.s.as_bytes().get(start..self.pos).unwrap_or_default();
            match Token::from_text(text) {
                Some(token) => last = Some((token, self.pos)),
                None if last.is_some() => {
                    self.unread();
                    break;
                }
                None => {}
            }
        }
        match last {
            Some((token, end)) => Lexeme {
                token,
                literal: self.slice(start, end),
                position: start,
            },
            None => Lexeme {
                token: Token::Error,
                literal: self.slice(start, self.pos),
                position: start,
            },
        }
    }
}

/// Every token of `input`, ending with (and including) the first [`Token::EndOfString`].
pub fn scan(input: &str) -> Vec<Lexeme<'_>> {
    let mut lexer = Lexer::new(input);
    let mut out = Vec::new();
    loop {
        let item = lexer.lex();
        out.push(item);
        if item.token == Token::EndOfString {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn kinds(s: &str) -> Vec<&'static str> {
        scan(s).iter().map(|l| l.token.name()).collect()
    }

    #[test]
    fn longest_operator_wins() {
        assert_eq!(
            kinds("!=!==="),
            ["NotEquals", "NotEquals", "DoubleEquals", "EndOfString"]
        );
        assert_eq!(
            kinds("a<=b"),
            [
                "Identifier",
                "LessThan",
                "Equals",
                "Identifier",
                "EndOfString"
            ]
        );
        assert_eq!(kinds("a||y"), ["Identifier", "EndOfString"]);
    }

    #[test]
    fn keywords_and_positions() {
        let items = scan(" x notin\t(in ,notinx)");
        let got: Vec<(&str, &str, usize)> = items
            .iter()
            .map(|l| (l.token.name(), l.literal, l.position))
            .collect();
        assert_eq!(
            got,
            [
                ("Identifier", "x", 1),
                ("NotIn", "notin", 3),
                ("OpenPar", "(", 9),
                ("In", "in", 10),
                ("Comma", ",", 13),
                ("Identifier", "notinx", 14),
                ("ClosedPar", ")", 20),
                ("EndOfString", "", 21),
            ]
        );
    }

    #[test]
    fn nul_reads_as_end() {
        assert_eq!(kinds("\0abc"), ["EndOfString"]);
        let items = scan("a\0b");
        assert_eq!(
            items.iter().map(|l| l.literal).collect::<Vec<_>>(),
            ["a", "b", ""]
        );
        let mut lexer = Lexer::new("");
        assert_eq!(lexer.lex().token, Token::EndOfString);
        assert_eq!(lexer.lex().token, Token::EndOfString);
    }
}
