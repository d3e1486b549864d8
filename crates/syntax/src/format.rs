//! `mcauth fmt`: the canonical text of a script, comments kept in place.

use crate::diagnostic::SyntaxError;
use crate::lexer::{Lexer, TokenKind};
use crate::parser::statements;
use crate::span::Span;

/// Formats a script: one statement per line in canonical form; comments
/// stay before the statement they preceded, or at the end of its line;
/// runs of blank lines shrink to one. Fails with every syntax error.
pub fn format(source: &str) -> Result<String, Vec<SyntaxError>> {
    let errors: Vec<SyntaxError> = statements(source).filter_map(Result::err).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(format_checked(source))
}

/// [`format()`] of a script already known to have no syntax error (`mcauth
/// fmt` reports them streaming first); a statement that does not parse is
/// left out. Neither the statements nor the comments are held: both are
/// read as the text is written (a script of short statements holds 30
/// times its size as syntax trees, one of comments 4 times as spans).
pub fn format_checked(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    // A byte-order mark stays: formatting does not change how the file is
    // marked.
    if source.starts_with(crate::lexer::BOM) {
        out.push(crate::lexer::BOM);
    }
    let mut comments = Lexer::new(source)
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| t.span)
        .peekable();
    // The end of the last thing written, for blank-line and same-line checks.
    let mut prev_end: Option<usize> = None;
    let mut prev_was_statement = false;

    let emit_comment =
        |out: &mut String, span: Span, prev_end: &mut Option<usize>, prev_stmt: &mut bool| {
            let text = source.get(span.range()).unwrap_or("").trim_end();
            let gap = prev_end.map_or("", |end| source.get(end..span.start).unwrap_or(""));
            if *prev_stmt && !gap.contains('\n') && prev_end.is_some() {
                out.pop(); // the newline after the statement
                out.push_str("  ");
            } else {
                blank_line_if_gap(out, gap);
            }
            out.push_str(text);
            out.push('\n');
            *prev_end = Some(span.end);
            *prev_stmt = false;
        };

    for statement in statements(source).filter_map(Result::ok) {
        let statement = &statement;
        while let Some(comment) = comments.next_if(|c| c.start < statement.span.end) {
            emit_comment(&mut out, comment, &mut prev_end, &mut prev_was_statement);
        }
        let gap = prev_end.map_or("", |end| {
            source.get(end..statement.span.start).unwrap_or("")
        });
        blank_line_if_gap(&mut out, gap);
        out.push_str(&statement.to_string());
        out.push('\n');
        // The statement's `;` belongs to it: continue after it.
        let after = source.get(statement.span.end..).unwrap_or("");
        let semi = after.find([';', '；']).map_or(0, |i| {
            i + after[i..].chars().next().map_or(1, char::len_utf8)
        });
        let semi_end = statement.span.end + semi;
        let next_comment_start = comments.peek().map_or(usize::MAX, |c| c.start);
        prev_end = Some(if semi_end <= next_comment_start {
            semi_end
        } else {
            statement.span.end
        });
        prev_was_statement = true;
    }
    for comment in comments {
        emit_comment(&mut out, comment, &mut prev_end, &mut prev_was_statement);
    }
    out
}

fn blank_line_if_gap(out: &mut String, gap: &str) {
    if !out.is_empty() && gap.matches('\n').count() >= 2 {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn canonical_form_with_comments_in_place() {
        let src = "-- onboarding\nADD   USER ram$acct:Bob ; -- bob\n\n\n# roles\nGrant Worker TO ram$acct:Bob\n";
        let expected = "-- onboarding\nadd user RAM$acct:Bob;  -- bob\n\n# roles\ngrant Worker to RAM$acct:Bob;\n";
        assert_eq!(format(src).unwrap(), expected);
        assert_eq!(
            format(expected).unwrap(),
            expected,
            "formatting is idempotent"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_kept() {
        let src = "\u{feff}ADD USER ram$acct:Bob;";
        assert_eq!(format(src).unwrap(), "\u{feff}add user RAM$acct:Bob;\n");
        let parsed = crate::parse(src);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        // Spans stay offsets into the text as given.
        assert_eq!(parsed.statements[0].span.start, 3);
        // Only at the very start: elsewhere it is a stray character.
        assert!(
            !crate::parse("add user ram$acct:Bob;\u{feff}")
                .errors
                .is_empty()
        );
    }

    #[test]
    fn comments_inside_a_statement_move_before_it() {
        let src = "grant Select -- which\n on table t to user ALIYUN$a;";
        assert_eq!(
            format(src).unwrap(),
            "-- which\ngrant Select on table t to user ALIYUN$a;\n"
        );
    }

    #[test]
    fn free_text_goes_on_one_line_and_its_comments_before_it() {
        let src = "CREATE ROW ACCESS POLICY p ON t TO DEFAULT\nFILTER USING (a = 1 -- cn only\n    AND b IN ('x',  'y'));\nSETPROJECT k={a  b} j=\"c d\";";
        let once = format(src).unwrap();
        assert_eq!(
            once,
            "-- cn only\ncreate row access policy p on t to default filter using (a = 1 AND b IN ('x', 'y'));\nsetproject k={a b} j=\"c d\";\n"
        );
        assert_eq!(format(&once).unwrap(), once, "formatting is idempotent");
    }

    #[test]
    fn errors_are_returned() {
        assert!(format("add user;").is_err());
    }
}
