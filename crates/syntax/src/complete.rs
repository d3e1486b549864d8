//! Whether typed input is ready to run: the REPL's validator and the
//! batch reader share this one rule.

use crate::lexer::{Lexer, TokenKind};

/// True when `input` ends with a `;` that is outside quotes, backticks and
/// comments (whitespace and comments may follow it), and no quote is left
/// open.
pub fn is_complete(input: &str) -> bool {
    let mut last = None;
    for token in Lexer::new(input) {
        match token.kind {
            TokenKind::Comment => {}
            TokenKind::UnterminatedStr | TokenKind::UnterminatedQuoted => return false,
            kind => last = Some(kind),
        }
    }
    last == Some(TokenKind::Semi)
}

#[cfg(test)]
mod tests {
    use super::is_complete;

    #[test]
    fn semicolons_count_only_outside_quotes_and_comments() {
        assert!(is_complete("list users;"));
        assert!(is_complete("list users; -- done"));
        assert!(is_complete("list users；"));
        assert!(is_complete("list users; list roles;\n"));
        assert!(!is_complete("list users"));
        assert!(!is_complete("list users -- ;"));
        assert!(!is_complete("create role `a;"));
        assert!(!is_complete("put policy 'x;"));
        assert!(!is_complete("list users; list roles"));
        assert!(!is_complete(""));
        assert!(!is_complete("# only a comment;"));
    }
}
