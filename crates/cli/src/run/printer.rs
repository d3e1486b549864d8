//! Printing statement results: text as odpscmd prints it, or one JSON
//! object per statement; failures and warnings as diagnostics.

use std::io::Write;

use mcauth_engine::{Effect, Failure};
use mcauth_syntax::ast::Statement;
use serde_json::json;

use crate::cli::ResultFormat;
use crate::diagnostics::{Printer, Report};
use crate::source::ScriptText;

pub struct OutputPrinter {
    pub format: ResultFormat,
    pub quiet: bool,
    pub verbose: bool,
    pub diagnostics: Printer,
    /// The script's name and text, for positions and snippets.
    pub name: String,
    pub text: ScriptText,
    /// Line starts of `text`, made on first use: a JSON line's position is
    /// then a lookup, not a scan from the start of a long script.
    lines: std::cell::OnceCell<mcauth_policy::LineIndex>,
    out: std::io::BufWriter<std::io::Stdout>,
    /// Set when writing to stdout failed (`mcauth … | head`, a full
    /// disk): stop writing; `crate::io` decides the exit code.
    pub closed: bool,
    /// Warnings not printed in text output: ones the caller has already
    /// answered (an `apply` whose plan purges what a removal keeps does
    /// not warn that the grants are kept). JSON output keeps them all.
    pub silenced: std::collections::BTreeSet<mcauth_engine::WarningCode>,
}

impl OutputPrinter {
    pub fn new(format: ResultFormat, quiet: bool, verbose: bool, diagnostics: Printer) -> Self {
        OutputPrinter {
            format,
            quiet,
            verbose,
            diagnostics,
            name: String::new(),
            text: ScriptText::default(),
            lines: std::cell::OnceCell::new(),
            out: std::io::BufWriter::new(std::io::stdout()),
            closed: false,
            silenced: std::collections::BTreeSet::new(),
        }
    }

    /// Points positions at a new source (a script, or a REPL entry).
    pub fn set_source(&mut self, name: &str, text: &ScriptText) {
        self.name = name.to_owned();
        self.text = ScriptText::clone(text);
        self.lines = std::cell::OnceCell::new();
    }

    /// The line index of the source, made on first use.
    fn lines(&self) -> &mcauth_policy::LineIndex {
        self.lines
            .get_or_init(|| mcauth_policy::LineIndex::new(self.text.as_bytes()))
    }

    /// 1-based line and column (in characters) of a byte offset in the
    /// source.
    fn position(&self, offset: usize) -> (usize, usize) {
        let at = self.lines().line_col(self.text.as_bytes(), offset);
        (at.line, at.column)
    }

    /// `file:line` of a byte offset in the source: how plans and `--echo`
    /// name a statement.
    pub fn label(&self, offset: usize) -> String {
        let (line, _) = self.position(offset);
        format!("{}:{line}", self.name)
    }

    /// Prints a diagnostic about the source.
    pub fn report(&self, report: &Report<'_>) {
        self.diagnostics.print_indexed(
            &self.name,
            Some(self.text.as_str()),
            Some(self.lines()),
            report,
        );
    }

    fn line(&mut self, text: &str) {
        if crate::io::capturing() {
            // One of several projects' runs: gathered, written whole later.
            crate::io::line(crate::io::Stream::Stdout, format_args!("{text}"));
            return;
        }
        if !self.closed
            && let Err(e) = writeln!(self.out, "{text}")
        {
            self.closed = !crate::io::failed(crate::io::Stream::Stdout, &e);
        }
    }

    pub fn flush(&mut self) {
        if !self.closed
            && let Err(e) = self.out.flush()
        {
            self.closed = !crate::io::failed(crate::io::Stream::Stdout, &e);
        }
    }

    pub fn result(&mut self, statement: &Statement, result: Result<Effect, Failure>) {
        match self.format {
            ResultFormat::Json => self.json(statement, result),
            ResultFormat::Text | ResultFormat::Csv | ResultFormat::Tsv => {
                self.text_result(statement, result);
            }
        }
    }

    /// Prints what became of a statement, on either backend.
    pub fn outcome(&mut self, statement: &Statement, outcome: super::driver::Outcome) {
        use super::driver::Outcome;
        match outcome {
            Outcome::Checked(result) => self.result(statement, result),
            Outcome::Answered {
                answer,
                change,
                kind,
                warnings,
            } => self.remote_result(statement, &answer, change, kind.as_deref(), &warnings),
            Outcome::Refused(error) => self.remote_error(statement, &error),
        }
    }

    /// `--echo` and `-v`: `file:line: statement` before its result, so
    /// that each result of a script can be told apart.
    fn echo(&mut self, statement: &Statement) {
        if self.verbose {
            let echo = format!("{}: {statement}", self.label(statement.span.start));
            self.line(&echo);
        }
    }

    /// Prints a statement's result by the one rule for every backend and
    /// format: a change prints `OK` (text only; `-q` hides it), a query
    /// prints what it found, and nothing when it found nothing (csv and
    /// tsv: the header).
    fn output(&mut self, output: &mcauth_engine::Output) {
        let change = matches!(output, mcauth_engine::Output::Ok);
        match self.format {
            ResultFormat::Csv | ResultFormat::Tsv => {
                if change {
                    return;
                }
                let value = serde_json::to_value(output).unwrap_or_default();
                self.table(value.get("data"));
            }
            _ if change => {
                if !self.quiet {
                    self.line("OK");
                }
            }
            _ => {
                let text = output.to_string();
                if !text.is_empty() {
                    self.line(&text);
                }
            }
        }
    }

    /// Prints the table of a result's data (the `data` of its JSON form,
    /// or what the service answered in JSON).
    fn table(&mut self, data: Option<&serde_json::Value>) {
        if let Some(table) = super::table::of(data) {
            let text = super::table::render(&table, self.format == ResultFormat::Tsv);
            self.line(&text);
        }
    }

    /// Prints a warning unless it is [`OutputPrinter::silenced`].
    fn warn(&self, warning: &mcauth_engine::Warning) {
        if !self.silenced.contains(&warning.code) {
            self.report(&Report::warning(warning, Some(warning.span)));
        }
    }

    fn text_result(&mut self, statement: &Statement, result: Result<Effect, Failure>) {
        self.echo(statement);
        match result {
            Ok(effect) if effect.is_skipped() => {
                // Skipped is a result, not a warning: it goes where OK
                // would, and `-q` hides it as it hides OK.
                for warning in &effect.warnings {
                    if warning.code == mcauth_engine::WarningCode::Skipped {
                        if !self.quiet && self.format == ResultFormat::Text {
                            self.line(&warning.message);
                        }
                    } else {
                        self.flush();
                        self.warn(warning);
                    }
                }
            }
            Ok(effect) => {
                self.output(&effect.output);
                // Results stay buffered; before a warning (on stderr) they
                // are flushed so that it follows its result.
                if !effect.warnings.is_empty() {
                    self.flush();
                }
                for warning in &effect.warnings {
                    self.warn(warning);
                }
            }
            Err(failure) => {
                self.flush();
                self.failure(&failure);
            }
        }
    }

    /// Prints what MaxCompute answered to a statement, with the warnings
    /// mcauth's own check of it gave. `kind` is the kind of result the
    /// check expected: JSON output then has the store's shape
    /// (`{"type": kind, "data": answer}`, and the text form where the
    /// answer reads as that kind).
    pub fn remote_result(
        &mut self,
        statement: &Statement,
        answer: &str,
        change: bool,
        kind: Option<&str>,
        warnings: &[mcauth_engine::Warning],
    ) {
        match self.format {
            ResultFormat::Json => {
                let (line, column) = self.position(statement.span.start);
                let (output, text) = remote_json_output(answer, change, kind);
                let mut value = json!({
                    "statement": statement.to_string(),
                    "line": line,
                    "column": column,
                    "ok": true,
                    "output": output,
                    "warnings": warnings,
                });
                if let (Some(text), Some(object)) = (text, value.as_object_mut()) {
                    object.insert("text".to_owned(), text.into());
                }
                let line = value.to_string();
                self.line(&line);
            }
            ResultFormat::Text | ResultFormat::Csv | ResultFormat::Tsv => {
                self.echo(statement);
                // The same rule as the store's (see `output`): the service
                // answers a change with nothing or `OK`.
                let change = change && matches!(answer, "" | "OK" | "{}");
                if self.format == ResultFormat::Text {
                    if change {
                        if !self.quiet {
                            self.line("OK");
                        }
                    } else if !answer.is_empty() {
                        self.line(answer);
                    }
                } else if !change {
                    match serde_json::from_str::<serde_json::Value>(answer) {
                        // The service answers with the data itself.
                        Ok(value) => self.table(Some(&value)),
                        Err(_) if answer.is_empty() => {}
                        Err(_) => self.line(answer),
                    }
                }
                self.flush();
                for warning in warnings {
                    self.warn(warning);
                }
            }
        }
        self.flush();
    }

    /// Prints the service's refusal of a statement, pointing at it.
    pub fn remote_error(&mut self, statement: &Statement, error: &mcauth_odps::OdpsError) {
        self.flush();
        match self.format {
            ResultFormat::Json => {
                let (line, column) = self.position(statement.span.start);
                let service = error.service();
                let value = json!({
                    "statement": statement.to_string(),
                    "line": line,
                    "column": column,
                    "ok": false,
                    "error": {
                        "code": service.map_or(error.code(), |s| s.code.as_str()),
                        "message": service.map_or_else(|| error.to_string(), |s| s.message.clone()),
                        "request_id": service.map(|s| s.request_id.clone()),
                        "status": service.map(|s| s.status),
                    },
                });
                let text = value.to_string();
                self.line(&text);
                self.flush();
            }
            ResultFormat::Text | ResultFormat::Csv | ResultFormat::Tsv => {
                let report = Report::error(error, Some(*statement.span));
                self.report(&report);
            }
        }
    }

    /// Prints a failure as a diagnostic against the source.
    pub fn failure(&mut self, failure: &Failure) {
        let report = Report::error(failure, Some(failure.span));
        self.report(&report);
        for warning in &failure.warnings {
            let report = Report::warning(warning, Some(warning.span));
            self.report(&report);
        }
    }

    fn json(&mut self, statement: &Statement, result: Result<Effect, Failure>) {
        let (line, column) = self.position(statement.span.start);
        let skipped = result.as_ref().is_ok_and(Effect::is_skipped);
        let value = match result {
            Ok(effect) => json!({
                "statement": statement.to_string(),
                "line": line,
                "column": column,
                "ok": true,
                "output": effect.output,
                "text": effect.output.to_string(),
                "warnings": effect.warnings,
            }),
            Err(failure) => {
                let (fl, fc) = self.position(failure.span.start);
                json!({
                    "statement": statement.to_string(),
                    "line": line,
                    "column": column,
                    "ok": false,
                    "error": {
                        "code": failure.code.as_str(),
                        "message": failure.message,
                        "help": failure.help,
                        "line": fl,
                        "column": fc,
                        "start": failure.span.start,
                        "end": failure.span.end,
                        "warnings": failure.warnings,
                    },
                })
            }
        };
        let mut value = value;
        if skipped && let Some(object) = value.as_object_mut() {
            object.insert("skipped".to_owned(), true.into());
            // What the text form prints in place of OK.
            let said = object
                .get("warnings")
                .and_then(|w| w.as_array())
                .and_then(|w| {
                    w.iter()
                        .find(|w| w["code"] == mcauth_engine::WarningCode::Skipped.as_str())
                })
                .and_then(|w| w["message"].as_str())
                .map(str::to_owned);
            if let Some(said) = said {
                object.insert("text".to_owned(), said.into());
            }
        }
        let text = value.to_string();
        self.line(&text);
    }
}

impl Drop for OutputPrinter {
    fn drop(&mut self) {
        self.flush();
    }
}

/// A service's JSON answer in the shape the store's results have: the
/// kind mcauth's check expected as `type`, the answer as `data`, and the
/// text form (`text`) where the answer reads as that kind of result (the
/// emulator's answers do; another service's JSON may not, and then has no
/// `text`). Without a kind (the statement was not checked), the answer
/// as it came.
fn remote_json_output(
    answer: &str,
    change: bool,
    kind: Option<&str>,
) -> (serde_json::Value, Option<String>) {
    let data = serde_json::from_str::<serde_json::Value>(answer).unwrap_or_else(|_| answer.into());
    let Some(kind) = kind else {
        return (data, None);
    };
    if change && kind == "ok" && matches!(answer.trim(), "" | "OK" | "{}") {
        return (json!({ "type": "ok" }), Some("OK".to_owned()));
    }
    let output = json!({ "type": kind, "data": data });
    let text = serde_json::from_value::<mcauth_engine::Output>(output.clone())
        .ok()
        .map(|o| o.to_string());
    (output, text)
}

#[cfg(test)]
mod tests {
    use super::remote_json_output;
    use serde_json::json;

    #[test]
    fn a_service_answer_gets_the_stores_shape() {
        let (output, text) = remote_json_output(r#"["admin","worker"]"#, false, Some("roles"));
        assert_eq!(
            output,
            json!({"type": "roles", "data": ["admin", "worker"]})
        );
        assert_eq!(text.as_deref(), Some("admin\nworker"));
        let (output, text) = remote_json_output("", true, Some("ok"));
        assert_eq!(output, json!({"type": "ok"}));
        assert_eq!(text.as_deref(), Some("OK"));
    }

    #[test]
    fn an_answer_of_another_shape_is_kept_without_a_text() {
        // MaxCompute's own JSON for a listing need not be the store's.
        let answer = r#"{"users":[{"name":"ALIYUN$a@example.com"}]}"#;
        let (output, text) = remote_json_output(answer, false, Some("users"));
        assert_eq!(output["type"], "users");
        assert_eq!(output["data"]["users"][0]["name"], "ALIYUN$a@example.com");
        assert_eq!(text, None);
        // Unchecked: the answer as it came.
        let (output, text) = remote_json_output("plain words", false, None);
        assert_eq!(output, json!("plain words"));
        assert_eq!(text, None);
    }
}
