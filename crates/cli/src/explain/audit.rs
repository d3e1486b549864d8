//! `mcauth audit`: the engine's findings about the project, plus the
//! high-risk RAM policies attached to its RAM users when an accounts file
//! says which are attached; text, JSON or SARIF 2.1.0, and `--fail-on`
//! for CI.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mcauth_engine::audit::{AuditCode, AuditOptions, Finding, Severity};
use mcauth_engine::{Fact, StateView};

use super::project::Project;
use crate::cli::Cli;
use crate::exit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Low,
    Medium,
    High,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
        }
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The projects to audit, one after another [default: those --project
    /// (repeated) or --projects name, else the backend's project].
    #[arg(value_name = "PROJECT")]
    pub names: Vec<String>,

    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,

    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Report label grants that expire within DAYS.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub expiring_within: u32,

    /// An accounts file (as `mcauth serve --accounts` reads) naming the
    /// RAM policies attached to RAM users: high-risk ones are findings.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
}

pub fn run(args: &AuditArgs, cli: &Cli) -> ExitCode {
    // Names given here replace --project's.
    let named = if args.names.is_empty() {
        let target = crate::target::resolve(cli);
        match crate::projects::named_on(cli, target.as_ref().map_err(|c| c.to_string())) {
            Ok(named) => named,
            Err(message) => return exit::usage(&message),
        }
    } else {
        args.names.clone()
    };
    let names: Vec<Option<&str>> = if named.is_empty() {
        vec![None]
    } else {
        named.iter().map(|p| Some(p.as_str())).collect()
    };
    let mut audited: Vec<(String, Vec<Finding>)> = Vec::new();
    for name in names {
        match audit_one(args, cli, name) {
            Ok(found) => audited.push(found),
            Err(code) => return code,
        }
    }
    match args.format {
        AuditFormat::Text => {
            for (project, findings) in &audited {
                crate::io::print(&text(project, findings));
            }
        }
        AuditFormat::Json => {
            for (project, findings) in &audited {
                for f in findings {
                    println!("{}", json(project, f));
                }
            }
        }
        AuditFormat::Sarif => match serde_json::to_string_pretty(&sarif(&audited)) {
            Ok(doc) => println!("{doc}"),
            Err(e) => {
                eprintln!("mcauth: cannot write SARIF: {e}");
                return ExitCode::from(exit::CONFIG);
            }
        },
    }
    let failing = args.fail_on.is_some_and(|level| {
        audited
            .iter()
            .flat_map(|(_, f)| f)
            .any(|f| f.severity >= level.severity())
    });
    if failing {
        ExitCode::from(exit::FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// One project's findings, most severe first.
fn audit_one(
    args: &AuditArgs,
    cli: &Cli,
    name: Option<&str>,
) -> Result<(String, Vec<Finding>), ExitCode> {
    let mut project = Project::open_named(cli, name)?;
    let now = project.now();
    let state = project.with_all_grants()?;
    let mut findings = mcauth_engine::audit::audit(
        state,
        AuditOptions {
            now,
            expiring_within_days: args.expiring_within,
        },
    );
    if let Some(file) = &args.accounts {
        match ram_findings(file, state) {
            Ok(found) => findings.extend(found),
            Err(message) => {
                eprintln!("mcauth: {message}");
                return Err(ExitCode::from(exit::CONFIG));
            }
        }
        findings.sort_by(|x, y| y.severity.cmp(&x.severity).then(x.code.cmp(&y.code)));
    }
    Ok((state.project().to_owned(), findings))
}

/// High-risk system policies attached to RAM users of the project.
fn ram_findings(
    file: &std::path::Path,
    state: &mcauth_engine::ProjectState,
) -> Result<Vec<Finding>, String> {
    let accounts = mcauth_serve::Accounts::load(file).map_err(|e| e.to_string())?;
    let members_known = state.knows(Fact::Members);
    let mut out = Vec::new();
    for (principal, policies) in accounts.ram_policies() {
        if members_known && !state.is_member(principal) && principal != state.owner() {
            continue;
        }
        for name in policies.names() {
            let Some(system) = name.strip_prefix("system:") else {
                continue;
            };
            let Some(policy) = mcauth_policy::system_policy(system) else {
                continue;
            };
            if policy.risk != mcauth_policy::Risk::High {
                continue;
            }
            out.push(Finding {
                code: AuditCode::RamHighRiskPolicy,
                severity: Severity::High,
                message: format!(
                    "{principal} has the high-risk RAM policy {system} attached ({}): {}",
                    file.display(),
                    policy.note
                ),
                fix: None,
            });
        }
    }
    Ok(out)
}

fn text(project: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "{}[{}]: {}\n",
            f.severity.as_str(),
            f.code,
            f.message
        ));
        if let Some(fix) = &f.fix {
            out.push_str(&format!("  fix: {fix}\n"));
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "project {project}: {} finding(s): {} high, {} medium, {} low\n",
        findings.len(),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    ));
    out
}

fn json(project: &str, f: &Finding) -> serde_json::Value {
    serde_json::json!({
        "project": project,
        "code": f.code.as_str(),
        "severity": f.severity.as_str(),
        "message": f.message,
        "fix": f.fix,
    })
}

/// A minimal valid SARIF 2.1.0 log: one run per project, a rule per
/// code, a result per finding (the project as its logical location).
fn sarif(audited: &[(String, Vec<Finding>)]) -> serde_json::Value {
    let level = |s: Severity| match s {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    };
    let rules: Vec<serde_json::Value> = AuditCode::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.describe() },
            })
        })
        .collect();
    let runs: Vec<serde_json::Value> = audited
        .iter()
        .map(|(project, findings)| {
            let results: Vec<serde_json::Value> = findings
                .iter()
                .map(|f| {
                    let mut message = f.message.clone();
                    if let Some(fix) = &f.fix {
                        message.push_str(&format!(" Fix: {fix}"));
                    }
                    serde_json::json!({
                        "ruleId": f.code.as_str(),
                        "ruleIndex": AuditCode::ALL.iter().position(|c| *c == f.code),
                        "level": level(f.severity),
                        "message": { "text": message },
                        "locations": [{
                            "logicalLocations": [{ "name": project, "kind": "module" }]
                        }],
                    })
                })
                .collect();
            serde_json::json!({
                "tool": { "driver": {
                    "name": "mcauth",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "results": results,
            })
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    })
}
