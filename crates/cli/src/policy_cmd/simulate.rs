//! `mcauth policy simulate`: decide requests against policies and explain each decision.

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use mcauth_policy::{
    Basis, Explanation, Outcome, ParseOptions, PolicySet, Request, RequestError, SimulateCode,
    Span, Spanned, action_info, check_system_policy, parse_policy, suggest_action,
};
use mcauth_policy::{StatementTrace, Status};

use super::render::{print_findings, report_without_span};
use super::{Expect, OutputFormat, SimulateArgs};
use crate::cli::ColorChoice;
use crate::diagnostics::Printer;
use crate::exit;
use crate::source::{read_file, read_stdin};

pub fn run(args: &SimulateArgs, color: ColorChoice) -> ExitCode {
    let stderr_tty = std::io::stderr().is_terminal();
    let printer = Printer::new(args.error_format, stderr_tty, color.enabled(stderr_tty));
    let batch = args.action.is_none();
    let set = match policy_set(args, &printer, batch) {
        Ok(set) => set,
        Err(message) => return exit::usage(&message),
    };
    let json = args.format == OutputFormat::Json;
    match (&args.action, &args.resource) {
        (Some(action), Some(resource)) => {
            let mut request = Request::new(action.as_str(), resource.as_str());
            for arg in &args.context {
                if let Err(e) = request.add_context_arg(arg) {
                    return exit::usage(&e.to_string());
                }
            }
            if let Err(message) = known_action(&request.action) {
                return exit::usage(&message);
            }
            let explanation = set.explain(&request);
            let answer = Answer::new(None, &request, &explanation, args.expect);
            let out = if json { answer.json() } else { answer.text() };
            println!("{out}");
            if answer.as_expected == Some(false) {
                ExitCode::from(exit::FAILED)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => batch_run(&set, args.expect, json),
    }
}

/// Reads and compiles every `--policy` and `--system-policy`; prints what is wrong with them.
fn policy_set(args: &SimulateArgs, printer: &Printer, batch: bool) -> Result<PolicySet, String> {
    let mut set = PolicySet::new();
    let mut broken = 0;
    for path in &args.policies {
        let stdin = path == Path::new("-");
        if stdin && batch {
            return Err("standard input carries the requests in a batch; give --policy a file, or give --action and --resource".to_owned());
        }
        let source = if stdin { read_stdin() } else { read_file(path) }?;
        let doc = match parse_policy(&source.bytes, &ParseOptions::default()) {
            Ok(doc) => doc,
            Err(finding) => {
                print_findings(
                    printer,
                    &source.name,
                    &source.bytes,
                    std::slice::from_ref(&finding),
                );
                broken += 1;
                continue;
            }
        };
        let errors: Vec<_> = doc
            .problems()
            .iter()
            .filter(|f| f.is_error())
            .cloned()
            .collect();
        if !errors.is_empty() {
            print_findings(printer, &source.name, &source.bytes, &errors);
            broken += 1;
            continue;
        }
        set.add(source.name, &doc).map_err(|e| e.to_string())?;
    }
    for name in &args.system_policies {
        if let Some(finding) = check_system_policy(&Spanned::new(name.clone(), Span::default())) {
            printer.print(
                &format!("system:{name}"),
                None,
                &report_without_span(&finding),
            );
            if finding.is_error() {
                broken += 1;
                continue;
            }
        }
        set.add_system_policy(name).map_err(|e| e.to_string())?;
    }
    match broken {
        0 => Ok(set),
        1 => Err("cannot simulate: 1 policy has errors (see above; `mcauth policy lint` shows every finding)".to_owned()),
        n => Err(format!("cannot simulate: {n} policies have errors (see above; `mcauth policy lint` shows every finding)")),
    }
}

/// A request's action must be one RAM knows: an `odps:` action outside
/// MaxCompute's RAM permission table (docs/seeds.md#ram-permissions) would only ever be implicitly denied, which hides
/// a typo behind a plausible answer. Actions of other services pass (the
/// catalogue holds MaxCompute's alone).
fn known_action(action: &str) -> Result<(), String> {
    if let Some(guess) = suggest_action(action) {
        return Err(format!(
            "`{action}` is not a MaxCompute action; did you mean `{guess}`?"
        ));
    }
    if action_info(action).is_none() && action.to_ascii_lowercase().starts_with("odps:") {
        return Err(format!(
            "`{action}` is not a MaxCompute action (MaxCompute's RAM permission table; `mcauth policy lint` lists them in its findings)"
        ));
    }
    Ok(())
}

/// Answers each request of standard input, one JSON object a line, with one line each.
fn batch_run(set: &PolicySet, expect: Option<Expect>, json: bool) -> ExitCode {
    let mut stdin = std::io::stdin().lock();
    let (mut malformed, mut mismatched) = (false, false);
    let mut buffer = Vec::new();
    let mut number = 0;
    loop {
        buffer.clear();
        match stdin.read_until(b'\n', &mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return exit::usage(&format!("cannot read standard input: {e}")),
        }
        number += 1;
        let out = match std::str::from_utf8(&buffer) {
            Err(e) => {
                malformed = true;
                let message = format!("not UTF-8 (byte {} of the line)", e.valid_up_to() + 1);
                error_line(
                    number,
                    SimulateCode::RequestInvalidUtf8.as_str(),
                    &message,
                    json,
                )
            }
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => match read_request(line, expect) {
                Ok((request, _)) if known_action(&request.action).is_err() => {
                    malformed = true;
                    let message = known_action(&request.action).err().unwrap_or_default();
                    error_line(
                        number,
                        SimulateCode::RequestUnknownAction.as_str(),
                        &message,
                        json,
                    )
                }
                Ok((request, expect)) => {
                    let explanation = set.explain(&request);
                    let answer = Answer::new(Some(number), &request, &explanation, expect);
                    mismatched |= answer.as_expected == Some(false);
                    if json {
                        answer.json()
                    } else {
                        answer.batch_text()
                    }
                }
                Err(e) => {
                    malformed = true;
                    error_line(number, e.code(), &e.to_string(), json)
                }
            },
        };
        println!("{out}");
        if crate::io::stdout_closed() {
            break;
        }
    }
    if malformed {
        ExitCode::from(exit::USAGE)
    } else if mismatched {
        ExitCode::from(exit::FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// A request line, with its own `"expect"` or the command line's.
fn read_request(
    line: &str,
    default: Option<Expect>,
) -> Result<(Request, Option<Expect>), RequestError> {
    let (request, extras) = Request::from_json_with(line.trim(), &["expect"])?;
    let mut expect = default;
    for (field, value) in extras {
        expect = Some(parse_expect(&value).ok_or(RequestError::WrongType {
            field,
            expected: "\"allow\", \"deny\", \"explicit_deny\" or \"implicit_deny\"",
        })?);
    }
    Ok((request, expect))
}

fn parse_expect(text: &str) -> Option<Expect> {
    match text.to_ascii_lowercase().replace('-', "_").as_str() {
        "allow" => Some(Expect::Allow),
        "deny" => Some(Expect::Deny),
        "explicit_deny" | "explicitdeny" => Some(Expect::ExplicitDeny),
        "implicit_deny" | "implicitdeny" => Some(Expect::ImplicitDeny),
        _ => None,
    }
}

fn error_line(number: usize, code: &str, message: &str, json: bool) -> String {
    if json {
        serde_json::json!({ "line": number, "error": { "code": code, "message": message } })
            .to_string()
    } else {
        format!("error: line {number}: {message} [{code}]")
    }
}

const fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "Allow",
        Outcome::ExplicitDeny => "ExplicitDeny",
        Outcome::ImplicitDeny => "ImplicitDeny",
    }
}

const fn expect_name(expect: Expect) -> &'static str {
    match expect {
        Expect::Allow => "allow",
        Expect::Deny => "deny",
        Expect::ExplicitDeny => "explicit_deny",
        Expect::ImplicitDeny => "implicit_deny",
    }
}

fn satisfies(outcome: Outcome, expect: Expect) -> bool {
    matches!(
        (expect, outcome),
        (Expect::Allow, Outcome::Allow)
            | (Expect::Deny | Expect::ExplicitDeny, Outcome::ExplicitDeny)
            | (Expect::Deny | Expect::ImplicitDeny, Outcome::ImplicitDeny)
    )
}

/// One decided request, as printed.
#[derive(Serialize)]
struct Answer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(flatten)]
    explanation: &'a Explanation,
    /// statement, default_project_visibility or no_statement_applied.
    basis: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    context: &'a [mcauth_policy::ContextEntry],
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_expected: Option<bool>,
}

impl<'a> Answer<'a> {
    fn new(
        line: Option<usize>,
        request: &'a Request,
        explanation: &'a Explanation,
        expect: Option<Expect>,
    ) -> Self {
        let basis = match explanation.decision.basis {
            Basis::Statement(_) => "statement",
            Basis::DefaultProjectVisibility => "default_project_visibility",
            Basis::NoStatementApplied => "no_statement_applied",
        };
        Answer {
            line,
            explanation,
            basis,
            context: &request.context,
            expected: expect.map(expect_name),
            as_expected: expect.map(|e| satisfies(explanation.outcome, e)),
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    fn expectation(&self) -> Option<String> {
        let expected = self.expected?;
        Some(match self.as_expected {
            Some(true) => format!("{expected} (as expected)"),
            _ => format!(
                "{expected}, but the decision is {} (MISMATCH)",
                outcome_name(self.explanation.outcome)
            ),
        })
    }

    /// The decision, why, and every statement's part in it.
    fn text(&self) -> String {
        let e = self.explanation;
        let mut out = format!(
            "decision: {}\nrequest:  {} on {}\n",
            outcome_name(e.outcome),
            e.action,
            e.resource
        );
        if !self.context.is_empty() {
            let pairs: Vec<String> = self
                .context
                .iter()
                .flat_map(|c| c.values.iter().map(move |v| format!("{}={v}", c.key)))
                .collect();
            out.push_str(&format!("context:  {}\n", pairs.join(", ")));
        }
        out.push_str(&format!("why:      {}\n", e.summary));
        if let Some(expectation) = self.expectation() {
            out.push_str(&format!("expected: {expectation}\n"));
        }
        if e.statements.is_empty() {
            out.push_str("statements: none");
        } else {
            out.push_str("statements:");
            for trace in &e.statements {
                out.push_str(&format!("\n  {}", statement_line(trace)));
            }
        }
        out
    }

    /// One line: the decision, the request and why.
    fn batch_text(&self) -> String {
        let e = self.explanation;
        let mut out = format!(
            "{} {} on {}: {}",
            outcome_name(e.outcome),
            e.action,
            e.resource,
            e.summary
        );
        if let Some(expectation) = self.expectation() {
            out.push_str(&format!("; expected {expectation}"));
        }
        out
    }
}

/// `file:line statement N (Effect): status: reason`.
fn statement_line(trace: &StatementTrace) -> String {
    let s = &trace.statement;
    let status = match trace.status {
        Status::Decided => "decided",
        Status::AlsoApplied => "not decisive",
        Status::ActionNotMatched | Status::ResourceNotMatched | Status::ConditionNotMet => {
            "did not apply"
        }
    };
    format!(
        "{}:{} statement {} ({}): {status}: {}",
        s.policy,
        s.line,
        s.statement,
        s.effect.name(),
        trace.reason
    )
}
