//! Input meant to break a parser: huge, binary, deeply nested. Each must
//! give a diagnostic (or parse), never a panic or a stack overflow.

use mcauth_syntax::{ErrorCode, decode, parse};

#[test]
fn a_100_mb_single_line() {
    // One statement whose comment string fills a 100 MB line.
    let source = format!(
        "create role r comment '{}'; list roles; -- {}",
        "x".repeat(100 << 20),
        "y".repeat(1 << 20)
    );
    let parsed = parse(&source);
    assert!(parsed.errors.is_empty());
    assert_eq!(parsed.statements.len(), 2);
}

#[test]
fn a_line_of_statements_without_semicolons() {
    // 8,000 statements of 8 tokens: under MAX_STATEMENT_TOKENS.
    let line = "grant Select on table sales to user RAM$acct:alice ".repeat(8_000);
    let parsed = parse(&line);
    // Every statement is recovered, and every missing `;` is reported.
    assert_eq!(parsed.statements.len(), parsed.errors.len() + 1);
    assert!(
        parsed
            .errors
            .iter()
            .all(|e| e.code == ErrorCode::MissingSemicolon)
    );
    assert!(
        parsed.errors[0].message.len() < 200,
        "messages do not echo the input"
    );
}

#[test]
fn a_10_mb_line_of_statements_without_semicolons() {
    // Past MAX_STATEMENT_TOKENS tokens with no `;`, what follows is one
    // error for the lot, not a token list as large as the input.
    let line = "grant Select on table sales to user RAM$acct:alice ".repeat(10 * 1024 * 1024 / 51);
    let source = format!("{line}; list users;");
    let parsed = parse(&source);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::StatementTooLong);
    assert_eq!(parsed.errors[0].span.start, 0);
    assert_eq!(parsed.errors[0].span.end, line.trim_end().len());
    assert_eq!(parsed.statements.len(), 1, "parsing goes on after it");
    let streamed: Vec<_> = mcauth_syntax::statements(&source).collect();
    assert_eq!(streamed.len(), 2);
    assert!(matches!(&streamed[0], Err(e) if e.code == ErrorCode::StatementTooLong));
    assert!(streamed[1].is_ok());
}

#[test]
fn sixteen_mb_of_brackets_or_commas() {
    for byte in ["(", ",", ")", "x "] {
        let source = byte.repeat(16 << 20);
        let parsed = parse(&source);
        assert_eq!(parsed.errors.len(), 1, "{byte}");
        assert_eq!(parsed.errors[0].code, ErrorCode::StatementTooLong, "{byte}");
    }
}

#[test]
fn a_100_mb_single_word() {
    let word = "a".repeat(100 * 1024 * 1024);
    let parsed = parse(&word);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::UnknownStatement);
    assert!(parsed.errors[0].message.len() < 200);
}

#[test]
fn a_10_mb_name() {
    let name = "r".repeat(10 * 1024 * 1024);
    let parsed = parse(&format!("create role {name};"));
    assert!(parsed.errors.is_empty());
    assert_eq!(parsed.statements.len(), 1);
}

#[test]
fn nul_bytes() {
    let parsed = parse("list\0users;\0;add user \0;");
    let codes: Vec<_> = parsed.errors.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        vec![
            ErrorCode::UnexpectedCharacter,
            ErrorCode::UnexpectedCharacter,
            ErrorCode::UnexpectedCharacter
        ]
    );
    assert!(parsed.errors[0].message.contains("\\0"));
}

#[test]
fn deeply_nested_parentheses() {
    let source = format!(
        "grant Select{} on table t to user bob;",
        "(".repeat(1_000_000)
    );
    let parsed = parse(&source);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::StatementTooLong);
    // Nested less deeply than the cap, it is an ordinary error.
    let source = format!("grant Select{} on table t to user bob;", "(".repeat(60_000));
    let parsed = parse(&source);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::UnexpectedToken);
}

#[test]
fn many_statements_and_many_errors() {
    let ok = "list users;".repeat(1_000_000);
    assert_eq!(parse(&ok).statements.len(), 1_000_000);
    let bad = "lst users;".repeat(100_000);
    assert_eq!(parse(&bad).errors.len(), 100_000);
    let empty = ";".repeat(1_000_000);
    assert!(parse(&empty).statements.is_empty());
}

#[test]
fn an_unclosed_quote_at_the_start_of_a_large_script() {
    let source = format!(
        "create role r comment 'x;\n{}",
        "list users;\n".repeat(100_000)
    );
    let parsed = parse(&source);
    assert_eq!(parsed.errors[0].code, ErrorCode::UnterminatedString);
    // The quote swallows the rest of its line, `;` included, so the next
    // line joins its statement; every later line parses.
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.statements.len(), 99_999);
}

#[test]
fn invalid_utf8_reports_the_byte_offset() {
    let mut bytes = b"list users;\nadd user ".to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"bob;");
    let error = decode(&bytes).expect_err("not UTF-8");
    assert_eq!(error.code, ErrorCode::InvalidUtf8);
    assert_eq!(error.span.start, 21);
    assert!(
        error.message.contains("byte offset 21"),
        "{}",
        error.message
    );
}

#[test]
fn multi_byte_characters_where_a_residue_prefix_is_checked() {
    // `p4_` is compared on the first three bytes, which may end inside a
    // character of a back-quoted principal.
    for source in ["add user `a€x`;", "grant r to `€€`;", "add user `p€`;"] {
        let parsed = parse(source);
        assert_eq!(parsed.errors.len(), 0, "{source}");
        assert_eq!(parsed.statements.len(), 1, "{source}");
    }
}

#[test]
fn deeply_nested_parentheses_in_free_text() {
    // A filter expression and a setproject value are read token by token:
    // nesting costs one pass, whether or not it closes.
    let open = "(".repeat(30_000);
    let close = ")".repeat(30_000);
    let filter =
        format!("create row access policy p on t to default filter using ({open}1{close});");
    let parsed = parse(&filter);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
    let unclosed = format!("create row access policy p on t to default filter using ({open}1;");
    let parsed = parse(&unclosed);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::UnexpectedToken);
    let value = format!("setproject k={open}1;");
    assert!(parse(&value).errors.is_empty());
    // A million is past the longest statement there is: one clear error.
    let million = format!("setproject k={}1;", "(".repeat(1_000_000));
    let parsed = parse(&million);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::StatementTooLong);
}

#[test]
fn a_2_mb_setproject_value() {
    // One value of 2 MB is past the longest statement there is (65,536
    // tokens): one error that says so, and the next statement still runs.
    let value = "a,".repeat(1024 * 1024);
    let parsed = parse(&format!("setproject k={value} j=1; whoami;"));
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, ErrorCode::StatementTooLong);
    assert_eq!(parsed.statements.len(), 1);
    // A long value within the limit is kept.
    let value = "a,".repeat(20_000);
    let parsed = parse(&format!("setproject k={value} j=1;"));
    assert!(parsed.errors.is_empty());
}
