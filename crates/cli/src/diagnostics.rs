//! Printing diagnostics: fancy (miette), plain (one line each) or JSON.

use std::io::Write;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource};
use serde::Serialize;

use crate::cli::ErrorFormat;
use mcauth_policy::LineIndex;
use mcauth_syntax::{Span, diagnostic::renderable_source, line_col};

/// Lines longer than this are not shown in a snippet: a 100 MB line would
/// drown the message. Such diagnostics print in the plain format.
const MAX_SNIPPET_LINE: usize = 4096;

/// One diagnostic, whatever produced it, ready to print.
pub struct Report<'a> {
    pub code: String,
    pub severity: &'static str,
    pub message: String,
    pub span: Option<Span>,
    pub label: Option<String>,
    pub help: Option<String>,
    pub diagnostic: &'a dyn Diagnostic,
}

impl<'a> Report<'a> {
    pub fn warning(diagnostic: &'a (dyn Diagnostic + 'a), span: Option<Span>) -> Self {
        Report {
            severity: "warning",
            ..Report::error(diagnostic, span)
        }
    }

    pub fn error(diagnostic: &'a (dyn Diagnostic + 'a), span: Option<Span>) -> Self {
        let label = diagnostic
            .labels()
            .and_then(|mut l| l.next())
            .and_then(|l| l.label().map(str::to_owned));
        Report {
            code: diagnostic.code().map(|c| c.to_string()).unwrap_or_default(),
            severity: "error",
            message: diagnostic.to_string(),
            span,
            label,
            help: diagnostic.help().map(|h| h.to_string()),
            diagnostic,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    severity: &'a str,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// Prints diagnostics about one source in the chosen format.
pub struct Printer {
    pub format: ErrorFormat,
    pub color: bool,
    pub width: usize,
}

impl Printer {
    /// `auto` becomes fancy on a terminal and plain otherwise.
    pub fn new(format: ErrorFormat, stderr_is_terminal: bool, color: bool) -> Self {
        let format = match format {
            ErrorFormat::Auto if stderr_is_terminal => ErrorFormat::Fancy,
            ErrorFormat::Auto => ErrorFormat::Plain,
            other => other,
        };
        Printer {
            format,
            color,
            width: 100,
        }
    }

    pub fn print(&self, file: &str, text: Option<&str>, report: &Report<'_>) {
        self.print_indexed(file, text, None, report);
    }

    /// [`Printer::print`] with the line index of `text`, for a source
    /// that many diagnostics point into: each position is then a lookup,
    /// not a scan from the start.
    pub fn print_indexed(
        &self,
        file: &str,
        text: Option<&str>,
        lines: Option<&LineIndex>,
        report: &Report<'_>,
    ) {
        let at = |text: &str, offset: usize| match lines {
            Some(index) => {
                let at = index.line_col(text.as_bytes(), offset);
                (at.line, at.column)
            }
            None => line_col(text, offset),
        };
        match self.format {
            ErrorFormat::Json => {
                let line = json_line(file, text, report, at);
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{line}");
            }
            ErrorFormat::Fancy if text.is_some_and(|t| fits_in_snippet(t, report.span)) => {
                let rendered = self.fancy(file, text.unwrap_or_default(), report);
                let _ = std::io::stderr().lock().write_all(rendered.as_bytes());
            }
            _ => {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{}",
                    plain_at(file, text, report, at)
                );
            }
        }
    }

    fn fancy(&self, file: &str, text: &str, report: &Report<'_>) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false);
        let source = NamedSource::new(file, renderable_source(text).into_owned());
        let with_source = WithSource {
            inner: report.diagnostic,
            source,
        };
        let mut out = String::new();
        if handler.render_report(&mut out, &with_source).is_err() {
            return format!("{}\n", plain(file, Some(text), report));
        }
        out.push('\n');
        out
    }
}

/// A diagnostic about something other than a script (the store, the
/// connection): its message, and its help on the next line.
pub fn one_line(e: &(dyn Diagnostic + 'static)) -> String {
    match e.help() {
        Some(help) => format!("{e}\n  help: {help}"),
        None => e.to_string(),
    }
}

/// `file:line:col: error[code]: message`, then the help indented.
pub fn plain(file: &str, text: Option<&str>, report: &Report<'_>) -> String {
    plain_at(file, text, report, line_col)
}

/// [`plain`], finding positions with `at`.
fn plain_at(
    file: &str,
    text: Option<&str>,
    report: &Report<'_>,
    at: impl Fn(&str, usize) -> (usize, usize),
) -> String {
    let position = match (text, report.span) {
        (Some(text), Some(span)) => {
            let (line, col) = at(text, span.start);
            format!("{file}:{line}:{col}")
        }
        _ => file.to_owned(),
    };
    let mut out = format!(
        "{position}: {}[{}]: {}",
        report.severity, report.code, report.message
    );
    if let Some(help) = &report.help {
        out.push_str("\n    help: ");
        out.push_str(help);
    }
    out
}

fn json_line(
    file: &str,
    text: Option<&str>,
    report: &Report<'_>,
    at: impl Fn(&str, usize) -> (usize, usize),
) -> String {
    let start = report.span.map(|s| s.start);
    let end = report.span.map(|s| s.end);
    let (line, column, end_line, end_column) = match (text, report.span) {
        (Some(text), Some(span)) => {
            let (l, c) = at(text, span.start);
            let (el, ec) = at(text, span.end);
            (Some(l), Some(c), Some(el), Some(ec))
        }
        _ => (None, None, None, None),
    };
    let json = JsonDiagnostic {
        file,
        severity: report.severity,
        code: &report.code,
        message: &report.message,
        start,
        end,
        line,
        column,
        end_line,
        end_column,
        label: report.label.as_deref(),
        help: report.help.as_deref(),
    };
    serde_json::to_string(&json).unwrap_or_else(|_| String::from("{}"))
}

fn fits_in_snippet(text: &str, span: Option<Span>) -> bool {
    let Some(span) = span else { return true };
    let start = text
        .get(..span.start.min(text.len()))
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(span.end.min(text.len())..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| span.end + i);
    end.saturating_sub(start) <= MAX_SNIPPET_LINE
}

/// A diagnostic paired with the source it points into.
struct WithSource<'a> {
    inner: &'a dyn Diagnostic,
    source: NamedSource<String>,
}

impl std::fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner.to_string(), f)
    }
}

impl std::fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
}
