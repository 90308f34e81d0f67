//! The selector parser: upstream's recursive descent over the scanned tokens.
//!
//! ```text
//! <selector>    ::= "" | <requirement> | <requirement> "," <selector>
//! <requirement> ::= [!] KEY [ <set-op> "(" <values> ")" | <exact-op> VALUE ]
//! <set-op>      ::= "in" | "notin"
//! <exact-op>    ::= "=" | "==" | "!=" | ">" | "<"
//! ```
//!
//! Where a value is expected the keywords `in`/`notin` are plain values. A missing exact
//! value is `""` (`x=`); an empty list slot is `""` (`()`, `(,a)`, `(a,,)`). List values
//! form a set: duplicates dropped, sorted. Requirements end up sorted by key, stably.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `Parser`, `parse`.

use std::collections::BTreeSet;

use super::lexer::{Lexeme, Token, scan};
use super::{Operator, Requirement, Selector, SelectorError};
use crate::labels::check_label_key;
use crate::validation::field::Path;

/// Where the parser is: reading a key and operator, or a value (where `in` and `notin`
/// are identifiers).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser<'a> {
    items: Vec<Lexeme<'a>>,
    position: usize,
    end: usize,
}

/// A requirement's key and, when already known, its operator.
struct KeyAndOperator<'a> {
    key: &'a str,
    position: usize,
    operator: Option<Operator>,
}

impl<'a> Parser<'a> {
    fn peek_raw(&self, at: usize) -> Lexeme<'a> {
        self.items.get(at).copied().unwrap_or(Lexeme {
            token: Token::EndOfString,
            literal: "",
            position: self.end,
        })
    }

    fn in_context(item: Lexeme<'a>, context: Context) -> Lexeme<'a> {
        match item.token {
            Token::In | Token::NotIn if context == Context::Values => Lexeme {
                token: Token::Identifier,
                ..item
            },
            _ => item,
        }
    }

    fn lookahead(&self, context: Context) -> Lexeme<'a> {
        Self::in_context(self.peek_raw(self.position), context)
    }

    fn consume(&mut self, context: Context) -> Lexeme<'a> {
        let item = self.peek_raw(self.position);
        self.position += 1;
        Self::in_context(item, context)
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut requirements = Vec::new();
        loop {
            let next = self.lookahead(Context::Values);
            match next.token {
                Token::Identifier | Token::DoesNotExist => {
                    requirements.push(self.parse_requirement()?);
                    let after = self.consume(Context::Values);
                    match after.token {
                        Token::EndOfString => return Ok(requirements),
                        Token::Comma => {
                            let following = self.lookahead(Context::Values);
                            if !matches!(following.token, Token::Identifier | Token::DoesNotExist) {
                                return Err(SelectorError::ExpectedRequirementAfterComma {
                                    found: following.literal.to_owned(),
                                    position: following.position,
                                });
                            }
                        }
                        _ => {
                            return Err(SelectorError::ExpectedCommaOrEnd {
                                found: after.literal.to_owned(),
                                position: after.position,
                            });
                        }
                    }
                }
                Token::EndOfString => return Ok(requirements),
                _ => {
                    return Err(SelectorError::ExpectedRequirement {
                        found: next.literal.to_owned(),
                        position: next.position,
                    });
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, SelectorError> {
        let KeyAndOperator {
            key,
            position,
            operator,
        } = self.parse_key_and_infer_operator()?;
        let (operator, values) = match operator {
            Some(op) => (op, Vec::new()),
            None => {
                let op = self.parse_operator(key)?;
                let values = match op {
                    Operator::In | Operator::NotIn => self.parse_values(key, op)?,
                    _ => self.parse_exact_value(key, op)?,
                };
                (op, values)
            }
        };
        Requirement::build(key, Ok(operator), values, false, &Path::nil()).map_err(|errors| {
            SelectorError::InvalidParsedRequirement {
                key: key.to_owned(),
                operator,
                errors,
                position,
            }
        })
    }

    /// `[!] KEY`, inferring `exists` (or `!`) when a `,` or the end follows.
    fn parse_key_and_infer_operator(&mut self) -> Result<KeyAndOperator<'a>, SelectorError> {
        let mut item = self.consume(Context::Values);
        let mut operator = None;
        if item.token == Token::DoesNotExist {
            operator = Some(Operator::DoesNotExist);
            item = self.consume(Context::Values);
        }
        if item.token != Token::Identifier {
            return Err(SelectorError::ExpectedKey {
                found: item.literal.to_owned(),
                position: item.position,
            });
        }
        if let Some(error) = check_label_key(item.literal, Path::nil) {
            return Err(SelectorError::InvalidKey {
                key: item.literal.to_owned(),
                error: Box::new(error),
                position: item.position,
            });
        }
        let next = self.lookahead(Context::Values).token;
        if operator.is_none() && matches!(next, Token::EndOfString | Token::Comma) {
            operator = Some(Operator::Exists);
        }
        Ok(KeyAndOperator {
            key: item.literal,
            position: item.position,
            operator,
        })
    }

    fn parse_operator(&mut self, key: &str) -> Result<Operator, SelectorError> {
        let item = self.consume(Context::KeyAndOperator);
        Ok(match item.token {
            Token::In => Operator::In,
            Token::Equals => Operator::Equals,
            Token::DoubleEquals => Operator::DoubleEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            _ => {
                return Err(SelectorError::ExpectedOperator {
                    key: key.to_owned(),
                    found: item.literal.to_owned(),
                    position: item.position,
                });
            }
        })
    }

    /// `( values )` for `in` / `notin`.
    fn parse_values(
        &mut self,
        key: &str,
        operator: Operator,
    ) -> Result<Vec<String>, SelectorError> {
        let open = self.consume(Context::Values);
        if open.token != Token::OpenPar {
            return Err(SelectorError::ExpectedOpenParen {
                key: key.to_owned(),
                operator,
                found: open.literal.to_owned(),
                position: open.position,
            });
        }
        let next = self.lookahead(Context::Values);
        match next.token {
            Token::Identifier | Token::Comma => {
                let values = self.parse_identifiers_list(key, operator)?;
                // The list ends only when `)` is next, so this consumes the `)`.
                let close = self.consume(Context::Values);
                debug_assert_eq!(close.token, Token::ClosedPar);
                Ok(values)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(SelectorError::ExpectedValueList {
                key: key.to_owned(),
                operator,
                found: next.literal.to_owned(),
                position: next.position,
            }),
        }
    }

    /// A comma-separated list of possibly empty values, up to (not including) `)`.
    fn parse_identifiers_list(
        &mut self,
        key: &str,
        operator: Operator,
    ) -> Result<Vec<String>, SelectorError> {
        let mut set: BTreeSet<&'a str> = BTreeSet::new();
        loop {
            let item = self.consume(Context::Values);
            match item.token {
                Token::Identifier => {
                    set.insert(item.literal);
                    let next = self.lookahead(Context::Values);
                    match next.token {
                        Token::Comma => continue,
                        Token::ClosedPar => break,
                        _ => {
                            return Err(SelectorError::ExpectedCommaOrCloseParen {
                                key: key.to_owned(),
                                operator,
                                found: next.literal.to_owned(),
                                position: next.position,
                            });
                        }
                    }
                }
                Token::Comma => {
                    if set.is_empty() {
                        set.insert(""); // "(,"
                    }
                    match self.lookahead(Context::Values).token {
                        Token::ClosedPar => {
                            set.insert(""); // ",)"
                            break;
                        }
                        Token::Comma => {
                            set.insert(""); // ",,"
                        }
                        _ => {}
                    }
                }
                _ => {
                    return Err(SelectorError::ExpectedCommaOrValue {
                        key: key.to_owned(),
                        operator,
                        found: item.literal.to_owned(),
                        position: item.position,
                    });
                }
            }
        }
        Ok(set.into_iter().map(str::to_owned).collect())
    }

    /// The one value of `=`, `==`, `!=`, `>`, `<`; `""` when `,` or the end follows.
    fn parse_exact_value(
        &mut self,
        key: &str,
        operator: Operator,
    ) -> Result<Vec<String>, SelectorError> {
        if matches!(
            self.lookahead(Context::Values).token,
            Token::EndOfString | Token::Comma
        ) {
            return Ok(vec![String::new()]);
        }
        let item = self.consume(Context::Values);
        if item.token == Token::Identifier {
            return Ok(vec![item.literal.to_owned()]);
        }
        Err(SelectorError::ExpectedValue {
            key: key.to_owned(),
            operator,
            found: item.literal.to_owned(),
            position: item.position,
        })
    }
}

/// Parses a selector string (see the module documentation for the grammar).
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `Parse`.
pub(crate) fn parse(input: &str) -> Result<Selector, SelectorError> {
    let mut parser = Parser {
        items: scan(input),
        position: 0,
        end: input.len(),
    };
    let requirements = parser.parse()?;
    Ok(Selector::from_requirements(requirements))
}

/// Parses a selector string into its requirements, sorted by key.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `ParseToRequirements`.
pub fn parse_to_requirements(input: &str) -> Result<Vec<Requirement>, SelectorError> {
    parse(input).map(Selector::into_requirements)
}
