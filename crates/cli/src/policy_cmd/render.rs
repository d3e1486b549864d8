//! Policy findings as the shared printer's reports, and as JSON objects with positions.

use serde::Serialize;

use mcauth_policy::{Finding, LineIndex, Severity};

use crate::diagnostics::{Printer, Report};

/// The lower-case word for a severity, as plain and JSON output print it.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A finding as the printer's report.
pub fn report(finding: &Finding) -> Report<'_> {
    let span = finding.span;
    Report {
        code: finding.code.as_str().to_owned(),
        severity: severity_word(finding.severity),
        message: finding.message.clone(),
        span: Some(mcauth_syntax::Span::new(span.start, span.end)),
        label: (!finding.label.is_empty()).then(|| finding.label.clone()),
        help: finding.help.clone(),
        diagnostic: finding,
    }
}

/// A finding about something that is not in a file, such as a `--system-policy` name.
pub fn report_without_span(finding: &Finding) -> Report<'_> {
    Report {
        span: None,
        ..report(finding)
    }
}

/// The source as text for snippets: the whole of it when it is UTF-8, else the valid part
/// before the first bad byte (the only finding then points there).
pub fn text_of(bytes: &[u8]) -> Option<&str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => bytes
            .get(..e.valid_up_to())
            .and_then(|valid| std::str::from_utf8(valid).ok()),
    }
}

/// Prints `findings` about the file `name` whose bytes are `bytes`.
pub fn print_findings(printer: &Printer, name: &str, bytes: &[u8], findings: &[Finding]) {
    let text = text_of(bytes);
    for finding in findings {
        printer.print(name, text, &report(finding));
    }
}

#[derive(Serialize)]
struct Position {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl Position {
    fn new(bytes: &[u8], lines: &LineIndex, span: mcauth_policy::Span) -> Self {
        let from = lines.line_col(bytes, span.start);
        let to = lines.line_col(bytes, span.end);
        Position {
            start: span.start,
            end: span.end,
            line: from.line,
            column: from.column,
            end_line: to.line,
            end_column: to.column,
        }
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    label: &'a str,
    #[serde(flatten)]
    at: Position,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    #[serde(flatten)]
    at: Position,
    #[serde(skip_serializing_if = "str::is_empty")]
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

/// One finding as one line of JSON: file, severity, code, message, byte offsets, 1-based
/// line and column (in characters) of both ends, label, help and related places.
pub fn json_line(file: &str, bytes: &[u8], lines: &LineIndex, finding: &Finding) -> String {
    let json = JsonFinding {
        file,
        severity: severity_word(finding.severity),
        code: finding.code.as_str(),
        message: &finding.message,
        at: Position::new(bytes, lines, finding.span),
        label: &finding.label,
        help: finding.help.as_deref(),
        related: finding
            .related
            .iter()
            .map(|r| JsonRelated {
                label: &r.label,
                at: Position::new(bytes, lines, r.span),
            })
            .collect(),
    };
    serde_json::to_string(&json).unwrap_or_else(|_| String::from("{}"))
}

/// A problem with no position, such as an unreadable file, as one line of JSON.
pub fn json_problem(file: &str, code: &str, message: &str) -> String {
    serde_json::json!({ "file": file, "severity": "error", "code": code, "message": message })
        .to_string()
}
