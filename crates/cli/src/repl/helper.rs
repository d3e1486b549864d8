//! The line editor's helper: completion from local state, highlighting
//! by token, and the lexer-aware completeness check.

use std::borrow::Cow;
use std::cell::RefCell;

use mcauth_syntax::keywords;
use mcauth_syntax::lexer::{Lexer, TokenKind, is_word_char};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

pub struct ReplHelper {
    /// Principals and roles of the project, refreshed after each statement;
    /// never read over the network.
    pub names: RefCell<Vec<String>>,
    pub color: bool,
}

impl ReplHelper {
    pub fn new(color: bool) -> Self {
        ReplHelper {
            names: RefCell::new(Vec::new()),
            color,
        }
    }

    /// The completions for `prefix`, keywords in lower case.
    pub fn candidates(&self, prefix: &str) -> Vec<String> {
        let lower = prefix.to_ascii_lowercase();
        let mut out: Vec<String> = Vec::new();
        let names = self.names.borrow();
        let all = keywords::ALL
            .iter()
            .map(|k| (*k).to_owned())
            .chain(
                mcauth_syntax::KNOWN_PRIVILEGES
                    .iter()
                    .map(|p| (*p).to_owned()),
            )
            .chain(names.iter().cloned())
            .chain(["RAM$".to_owned(), "ALIYUN$".to_owned()]);
        for candidate in all {
            if candidate.to_ascii_lowercase().starts_with(&lower) && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
        out.sort();
        out
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !is_word_char(*c) && *c != '`')
            .map_or(0, |(i, c)| i + c.len_utf8());
        let prefix = &before[start..];
        let quoted = prefix.starts_with('`');
        let word = prefix.trim_start_matches('`');
        let pairs = self
            .candidates(word)
            .into_iter()
            .map(|c| {
                let needs_quotes = quoted || c.contains(":role/");
                let replacement = if needs_quotes {
                    format!("`{c}`")
                } else {
                    c.clone()
                };
                Pair {
                    display: c,
                    replacement,
                }
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Validator for ReplHelper {
    /// Each line is read on its own and the REPL joins lines until the
    /// statement is complete by `mcauth_syntax::complete::is_complete`, so
    /// that continuation lines get their own prompt, as in psql.
    fn validate(&self, _ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(line))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Helper for ReplHelper {}

/// ANSI colours by token: keywords bold blue, principals cyan, strings
/// green, back-quoted names yellow, comments dim, stray characters red.
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 32);
    let mut last = 0;
    for token in Lexer::new(line) {
        let text = token.text(line);
        out.push_str(line.get(last..token.span.start).unwrap_or(""));
        let style = match token.kind {
            TokenKind::Word if keywords::ALL.iter().any(|k| k.eq_ignore_ascii_case(text)) => {
                Some("1;34")
            }
            TokenKind::Word if text.contains('$') => Some("36"),
            TokenKind::Str => Some("32"),
            TokenKind::Quoted => Some("33"),
            TokenKind::Comment => Some("2"),
            TokenKind::Other | TokenKind::UnterminatedStr | TokenKind::UnterminatedQuoted => {
                Some("31")
            }
            _ => None,
        };
        match style {
            Some(code) => {
                out.push_str("\x1b[");
                out.push_str(code);
                out.push('m');
                out.push_str(text);
                out.push_str("\x1b[0m");
            }
            None => out.push_str(text),
        }
        last = token.span.end;
    }
    out.push_str(line.get(last..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_keywords_names_and_privileges() {
        let helper = ReplHelper::new(false);
        helper
            .names
            .borrow_mut()
            .extend(["RAM$acct:alice".to_owned(), "analyst".to_owned()]);
        assert_eq!(
            helper.candidates("accountp"),
            vec!["accountprovider", "accountproviders"]
        );
        assert_eq!(helper.candidates("RAM$a"), vec!["RAM$acct:alice"]);
        assert!(
            helper
                .candidates("creat")
                .contains(&"CreateTable".to_owned())
        );
        assert_eq!(helper.candidates("anal"), vec!["analyst"]);
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let line = "grant Select on table t to RAM$a:b; -- x";
        let coloured = highlight(line);
        let plain: String = {
            let mut s = String::new();
            let mut skip = false;
            for c in coloured.chars() {
                if c == '\x1b' {
                    skip = true;
                } else if skip && c == 'm' {
                    skip = false;
                } else if !skip {
                    s.push(c);
                }
            }
            s
        };
        assert_eq!(plain, line);
    }
}
