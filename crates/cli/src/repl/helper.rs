//! The line editor's helper: completion from local state, highlighting
//! by token, and the lexer-aware completeness check.

use std::borrow::Cow;
use std::cell::RefCell;

use mcauth_syntax::{KEYWORDS, Lexer, TokenKind, is_word_char};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use crate::run::CompletionNames;

pub struct ReplHelper {
    /// Principals and roles of the project, refreshed after each statement;
    /// never read over the network.
    pub names: RefCell<CompletionNames>,
    pub color: bool,
}

/// What the words before the cursor say may come next.
#[derive(Debug, PartialEq, Eq)]
enum Slot {
    /// After `on` in a grant, revoke or `show acl`: an object type.
    ObjectType,
    /// After `grant … to`, `revoke … from`: a principal, or `role`,
    /// `user`, `tenant`.
    Grantee,
    /// After `to role`, `describe role`, `drop role`, …: a role.
    Role,
    /// After `to user`, `remove user`, `show grants for`, …: a member.
    Member,
    /// Anywhere else: keywords, privileges and names.
    Any,
}

/// Reads the position from the words of the statement before the word
/// being completed (lower case).
fn slot(words: &[String]) -> Slot {
    let last = words.last().map(String::as_str);
    let before = words
        .len()
        .checked_sub(2)
        .and_then(|i| words.get(i))
        .map(String::as_str);
    let first = words.first().map(String::as_str);
    let grants = matches!(first, Some("grant" | "revoke"));
    match (before, last) {
        (_, Some("on")) if grants || first == Some("show") => Slot::ObjectType,
        (_, Some("type")) if first == Some("show") => Slot::ObjectType,
        (Some("to" | "from"), Some("role")) if grants => Slot::Role,
        (Some("to" | "from"), Some("user")) if grants => Slot::Member,
        (_, Some("to" | "from")) if grants => Slot::Grantee,
        (Some("describe" | "drop" | "desc"), Some("role")) => Slot::Role,
        (Some("show"), Some("principals")) => Slot::Role,
        (Some("remove"), Some("user")) => Slot::Member,
        (Some("grants"), Some("for")) => Slot::Member,
        (None, Some("grant")) => Slot::Role,
        _ => Slot::Any,
    }
}

impl ReplHelper {
    pub fn new(color: bool) -> Self {
        ReplHelper {
            names: RefCell::new(CompletionNames::default()),
            color,
        }
    }

    /// The completions for `prefix` anywhere: keywords in lower case,
    /// privileges and names.
    pub fn candidates(&self, prefix: &str) -> Vec<String> {
        let names = self.names.borrow();
        let all = KEYWORDS
            .iter()
            .map(|k| (*k).to_owned())
            .chain(
                mcauth_syntax::Privilege::ALL
                    .iter()
                    .map(|p| p.as_str().to_owned()),
            )
            .chain(names.members.iter().cloned())
            .chain(names.roles.iter().cloned())
            .chain(["RAM$".to_owned(), "ALIYUN$".to_owned()]);
        starting_with(prefix, all)
    }

    /// The completions for `prefix` after the words `before` of the same
    /// statement: what may stand there.
    pub fn candidates_at(&self, before: &str, prefix: &str) -> Vec<String> {
        let statement = before.rsplit([';', '；']).next().unwrap_or(before);
        let words: Vec<String> = statement
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let names = self.names.borrow();
        let principals = || {
            names
                .members
                .iter()
                .cloned()
                .chain(["RAM$".to_owned(), "ALIYUN$".to_owned()])
        };
        match slot(&words) {
            Slot::ObjectType => starting_with(
                prefix,
                mcauth_syntax::ObjectType::ALL
                    .iter()
                    .map(|t| t.keyword().to_owned()),
            ),
            Slot::Grantee => starting_with(
                prefix,
                ["role", "user", "tenant"]
                    .into_iter()
                    .map(str::to_owned)
                    .chain(principals()),
            ),
            Slot::Role => {
                let mut roles = starting_with(prefix, names.roles.iter().cloned());
                // `grant` takes a privilege as well as a role.
                if words.len() == 1 {
                    roles.extend(starting_with(
                        prefix,
                        mcauth_syntax::Privilege::ALL
                            .iter()
                            .map(|p| p.as_str().to_owned()),
                    ));
                }
                roles
            }
            Slot::Member => starting_with(prefix, principals()),
            Slot::Any => {
                drop(names);
                self.candidates(prefix)
            }
        }
    }
}

/// The candidates that start with `prefix` (case aside), each once, sorted.
fn starting_with(prefix: &str, all: impl Iterator<Item = String>) -> Vec<String> {
    let lower = prefix.to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    for candidate in all {
        if candidate.to_ascii_lowercase().starts_with(&lower) && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out.sort();
    out
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
            .candidates_at(&before[..start], word)
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
    /// statement is complete by `mcauth_syntax::is_complete`, so
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
            TokenKind::Word if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(text)) => {
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

    fn helper() -> ReplHelper {
        let helper = ReplHelper::new(false);
        *helper.names.borrow_mut() = CompletionNames {
            members: vec!["RAM$acct:alice".to_owned()],
            roles: vec!["analyst".to_owned(), "reader".to_owned()],
        };
        helper
    }

    #[test]
    fn completion_knows_the_position() {
        let h = helper();
        assert_eq!(
            h.candidates_at("grant Select on ", "ta"),
            vec!["table".to_owned()]
        );
        assert_eq!(
            h.candidates_at("grant reader to ", ""),
            vec![
                "ALIYUN$",
                "RAM$",
                "RAM$acct:alice",
                "role",
                "tenant",
                "user"
            ]
        );
        assert_eq!(
            h.candidates_at("grant Select on table t to role ", ""),
            vec!["analyst", "reader"]
        );
        assert_eq!(
            h.candidates_at("revoke reader from ", "R"),
            vec!["RAM$", "RAM$acct:alice", "role"]
        );
        assert_eq!(h.candidates_at("describe role ", "a"), vec!["analyst"]);
        assert_eq!(
            h.candidates_at("list users; grant ", "rea"),
            vec!["reader", "Read"]
        );
        assert!(
            h.candidates_at("grant ", "Sel")
                .contains(&"Select".to_owned())
        );
    }

    #[test]
    fn completes_keywords_names_and_privileges() {
        let helper = helper();
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
