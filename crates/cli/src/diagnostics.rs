//! Printing diagnostics: fancy (miette), plain (one line each) or JSON.

use std::cell::Cell;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use serde::Serialize;

use crate::cli::ErrorFormat;
use mcauth_policy::{LineCol, LineIndex};
use mcauth_syntax::Span;

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

/// How many diagnostics `fancy` and `plain` show by default before they
/// only count the rest, as compilers do (`--max-diagnostics`).
pub const DEFAULT_MAX_DIAGNOSTICS: usize = 100;

/// Prints diagnostics about one source in the chosen format.
pub struct Printer {
    pub format: ErrorFormat,
    pub color: bool,
    pub width: usize,
    /// At most this many diagnostics are printed; the rest are counted
    /// and [`Printer::note_hidden`] says how many.
    pub limit: Option<usize>,
    shown: Cell<usize>,
    hidden: Cell<usize>,
    /// Where the last position was found: diagnostics come in source
    /// order, so each position costs the distance from the one before,
    /// and printing N of them stays linear in the source.
    cursor: Cell<Cursor>,
}

/// A known position in a source: the byte offset, its 1-based line and
/// its 1-based column in characters, for the text at `text` (its address
/// and length).
#[derive(Clone, Copy, Default)]
struct Cursor {
    text: (usize, usize),
    offset: usize,
    line: usize,
    column: usize,
}

/// How a [`Printer`] prints, without what it has printed: each of
/// several projects' runs (one per thread) makes its own printer from it.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    format: ErrorFormat,
    color: bool,
    width: usize,
    limit: Option<usize>,
}

impl Printer {
    pub fn style(&self) -> Style {
        Style {
            format: self.format,
            color: self.color,
            width: self.width,
            limit: self.limit,
        }
    }

    /// A new printer that prints as `style` says.
    pub fn with_style(style: Style) -> Self {
        let mut printer = Printer::new(style.format, false, style.color);
        printer.width = style.width;
        printer.limit = style.limit;
        printer
    }

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
            limit: None,
            shown: Cell::new(0),
            hidden: Cell::new(0),
            cursor: Cell::new(Cursor::default()),
        }
    }

    /// Caps how many diagnostics are printed: `Some(0)` prints all, `None`
    /// takes the default: [`DEFAULT_MAX_DIAGNOSTICS`] for people (fancy,
    /// plain), all for programs (json).
    #[must_use]
    pub fn with_limit(mut self, max: Option<usize>) -> Self {
        self.limit = match max {
            Some(0) => None,
            Some(n) => Some(n),
            None if self.format == ErrorFormat::Json => None,
            None => Some(DEFAULT_MAX_DIAGNOSTICS),
        };
        self
    }

    /// Whether the next diagnostic would only be counted: a caller with
    /// many can then skip building it and call [`Printer::count_hidden`].
    pub fn is_full(&self) -> bool {
        self.limit.is_some_and(|max| self.shown.get() >= max)
    }

    /// Counts a diagnostic that is not printed.
    pub fn count_hidden(&self) {
        self.hidden.set(self.hidden.get() + 1);
    }

    /// Says how many diagnostics were counted but not printed, once.
    pub fn note_hidden(&self) {
        let hidden = self.hidden.replace(0);
        if hidden > 0 && self.format != ErrorFormat::Json {
            eprintln!(
                "mcauth: {hidden} more diagnostic{} not shown (--max-diagnostics 0 shows all)",
                if hidden == 1 { "" } else { "s" }
            );
        }
    }

    pub fn print(&self, file: &str, text: Option<&str>, report: &Report<'_>) {
        self.print_indexed(file, text, None, report);
    }

    /// 1-based line and column (in characters) of `offset` in `text`, from
    /// the last position found in it when that is not past `offset`,
    /// otherwise from `lines` or the start. A byte-order mark does not
    /// count as a column.
    fn line_col(&self, text: &str, lines: Option<&LineIndex>, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let bytes = text.as_bytes();
        let id = (text.as_ptr() as usize, text.len());
        let last = self.cursor.get();
        let (from, line, column) = if last.text == id && last.offset <= offset {
            (last.offset, last.line, last.column)
        } else if let Some(index) = lines {
            let line = index.line(offset);
            (index.line_start(line).min(offset), line, 1)
        } else {
            (0, 1, 1)
        };
        let LineCol { line, column } = LineCol { line, column }.after(&bytes[from..offset]);
        self.cursor.set(Cursor {
            text: id,
            offset,
            line,
            column,
        });
        let bom = line == 1 && offset > 0 && text.starts_with('\u{feff}');
        (line, if bom { column - 1 } else { column })
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
        if self.is_full() {
            self.count_hidden();
            return;
        }
        self.shown.set(self.shown.get() + 1);
        let at = |text: &str, offset: usize| self.line_col(text, lines, offset);
        match self.format {
            ErrorFormat::Json => {
                let line = json_line(file, text, report, at);
                println!("{line}");
            }
            ErrorFormat::Fancy => {
                let rendered = text
                    .and_then(|text| Window::new(file, text, report, |o| at(text, o)))
                    .and_then(|window| self.fancy(&window, report));
                match rendered {
                    Some(rendered) => {
                        crate::io::write(crate::io::Stream::Stderr, rendered.as_bytes());
                    }
                    None => eprintln!("{}", plain_at(file, text, report, at)),
                }
            }
            _ => {
                eprintln!("{}", plain_at(file, text, report, at));
            }
        }
    }

    /// The snippet form, or `None` when miette cannot render it.
    fn fancy(&self, window: &Window<'_>, report: &Report<'_>) -> Option<String> {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false);
        let with_source = WithSource {
            inner: report.diagnostic,
            source: window,
        };
        let mut out = String::new();
        handler.render_report(&mut out, &with_source).ok()?;
        out.push('\n');
        Some(out)
    }
}

impl Drop for Printer {
    fn drop(&mut self) {
        self.note_hidden();
    }
}

/// How many lines of context a snippet shows around its labels.
const CONTEXT_LINES: usize = 1;

/// The few lines of a source that one diagnostic's snippet shows: miette
/// is handed these, not the whole source, so a snippet costs the size of
/// its lines, not of the file (miette finds lines by scanning from the
/// start of what it is given). Lines longer than [`MAX_SNIPPET_LINE`] are
/// left out of the context; labels on such lines print plain.
struct Window<'a> {
    name: &'a str,
    /// Byte offset of `data` in the source.
    start: usize,
    /// 1-based line of `start`.
    line: usize,
    /// The lines, with a final newline added when the source has none:
    /// miette drops a zero-width label at the very end of a source that
    /// does not end in one.
    data: std::borrow::Cow<'a, str>,
}

impl<'a> Window<'a> {
    fn new(
        name: &'a str,
        text: &'a str,
        report: &Report<'_>,
        at: impl Fn(usize) -> (usize, usize),
    ) -> Option<Self> {
        let bytes = text.as_bytes();
        let mut lo = report.span.map_or(usize::MAX, |s| s.start);
        let mut hi = report.span.map_or(0, |s| s.end);
        for label in report.diagnostic.labels().into_iter().flatten() {
            lo = lo.min(label.offset());
            hi = hi.max(label.offset() + label.len());
        }
        if lo > hi {
            // Nothing to point at: an empty window.
            lo = 0;
            hi = 0;
        }
        if hi > bytes.len() {
            return None;
        }
        let limit = MAX_SNIPPET_LINE;
        // Start of the first label's line, then up to CONTEXT_LINES before.
        let line_start = |end: usize| -> Option<usize> {
            let from = end.saturating_sub(limit + 1);
            match bytes[from..end].iter().rposition(|&b| b == b'\n') {
                Some(i) => Some(from + i + 1),
                None if from == 0 => Some(0),
                None => None,
            }
        };
        let line_end = |start: usize| -> Option<usize> {
            let to = (start + limit + 1).min(bytes.len());
            match bytes[start..to].iter().position(|&b| b == b'\n') {
                Some(i) => Some(start + i + 1),
                None if to == bytes.len() => Some(to),
                None => None,
            }
        };
        let mut start = line_start(lo)?;
        let mut end = line_end(hi)?;
        // The labelled lines themselves must be short enough to show.
        if end - start > limit + 1 {
            return None;
        }
        for _ in 0..CONTEXT_LINES {
            match start.checked_sub(1).and_then(line_start) {
                Some(s) if start > 0 => start = s,
                _ => break,
            }
        }
        for _ in 0..CONTEXT_LINES {
            match line_end(end) {
                Some(e) if end < bytes.len() => end = e,
                _ => break,
            }
        }
        let slice = text.get(start..end)?;
        let data = if end == bytes.len() && !slice.ends_with('\n') {
            std::borrow::Cow::Owned(format!("{slice}\n"))
        } else {
            std::borrow::Cow::Borrowed(slice)
        };
        Some(Window {
            name,
            start,
            line: at(start).0,
            data,
        })
    }
}

impl miette::SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let offset = span
            .offset()
            .checked_sub(self.start)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let inner = self.data.as_bytes().read_span(
            &miette::SourceSpan::new(offset.into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        let base = self.line - 1;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_owned(),
            inner.data(),
            miette::SourceSpan::new(
                (inner.span().offset() + self.start).into(),
                inner.span().len(),
            ),
            inner.line() + base,
            inner.column(),
            inner.line_count() + base,
        )))
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

/// `file:line:col: error[code]: message`, then the help indented,
/// finding positions with `at`.
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

/// A diagnostic paired with the lines it points into.
struct WithSource<'a> {
    inner: &'a dyn Diagnostic,
    source: &'a Window<'a>,
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
        Some(self.source)
    }
}
