//! `mcauth apply FILE…`: plans every project, shows the plans, asks once
//! (or `-y`), then runs each project's plan as one script, all or
//! nothing, on whichever backend: the checks any script meets run first.
//! A project is planned again just before it runs; if its plan changed
//! meanwhile, it is left alone. After the run, a plan again must be
//! empty, or the run says so.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::Output;
use super::plan::{Planned, Planning, plan_each, plan_towards};
use crate::cli::OutputFormat;
use crate::cli::{ApplyArgs, Cli, OnError};
use crate::exit;
use crate::projects::{Outcome, run_each};
use crate::source::ScriptText;

/// `mcauth apply`.
pub fn run(args: &ApplyArgs, cli: &Cli) -> ExitCode {
    let Planning {
        output,
        loaded,
        target,
        projects,
    } = match Planning::prepare(cli, &args.files, args.scope.format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (planned_code, plans) = plan_each(cli, &target, &projects, &loaded, &args.scope, output);
    let failed_planning = if planned_code == 2 { 0 } else { planned_code };
    let pending: Vec<(String, Planned)> = projects
        .iter()
        .zip(plans)
        .filter_map(|(p, plan)| {
            plan.filter(|plan| !plan.steps.is_empty())
                .map(|plan| (p.clone(), plan))
        })
        .collect();
    if pending.is_empty() {
        if failed_planning == 0 {
            eprintln!("mcauth: nothing to apply");
        }
        return ExitCode::from(failed_planning);
    }
    let steps: usize = pending.iter().map(|(_, p)| p.steps.len()).sum();
    let destructive: usize = pending.iter().map(|(_, p)| p.destructive()).sum();
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if (args.yes || !interactive) && destructive > 0 && !args.allow_destructive {
        eprintln!(
            "mcauth: the plan has {destructive} destructive step{} (listed first above); nothing was applied. Add --allow-destructive to run them without being asked",
            if destructive == 1 { "" } else { "s" }
        );
        return ExitCode::from(exit::FAILED);
    }
    if !args.yes {
        if !interactive {
            eprintln!(
                "mcauth: apply asks before it changes anything; not at a terminal, add -y to apply without asking. Nothing was applied"
            );
            return ExitCode::from(exit::FAILED);
        }
        if !confirm(steps, destructive, pending.len()) {
            eprintln!("mcauth: nothing was applied");
            return ExitCode::from(exit::FAILED);
        }
    }
    let names: Vec<String> = pending.iter().map(|(p, _)| p.clone()).collect();
    let (code, _) = run_each(&names, crate::projects::jobs(&cli.target), |project| {
        let Some((_, shown)) = pending.iter().find(|(p, _)| p == project) else {
            return (
                Outcome {
                    code: exit::FAILED,
                    line: "not planned".into(),
                },
                (),
            );
        };
        (
            apply_one(cli, &target, project, &loaded, args, output, shown),
            (),
        )
    });
    ExitCode::from(crate::projects::worst(&[failed_planning, code]))
}

/// Asks at the terminal; only `y` or `yes` goes on.
fn confirm(steps: usize, destructive: usize, projects: usize) -> bool {
    let prompt = format!(
        "Apply {steps} step{} to {projects} project{}{}? [y/N] ",
        if steps == 1 { "" } else { "s" },
        if projects == 1 { "" } else { "s" },
        if destructive > 0 {
            format!(", {destructive} of them destructive")
        } else {
            String::new()
        }
    );
    crate::io::write(crate::io::Stream::Stderr, prompt.as_bytes());
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Plans one project again, runs the plan if it is the one shown, and
/// checks that the project then matches the files.
fn apply_one(
    cli: &Cli,
    target: &crate::target::Target,
    project: &str,
    loaded: &super::desired::Loaded,
    args: &ApplyArgs,
    output: Output,
    shown: &Planned,
) -> Outcome {
    let failed = |code: u8, line: String| Outcome { code, line };
    let name = (!project.is_empty()).then_some(project);
    // Statement results print as any script's do; the plan was printed.
    // With --format json, standard output holds the plans' objects alone:
    // the statements' own results are not printed (failures still are,
    // on standard error).
    let run_output = Output {
        format: OutputFormat::Text,
        quiet: output.quiet || output.format == OutputFormat::Json,
        ..output
    };
    let mut backend = match crate::run::open_backend(cli, target, name, run_output.printer()) {
        Ok(backend) => backend,
        Err(message) => return crate::projects::could_not_open(&message),
    };
    let mut printer = output.printer();
    let planned = match plan_towards(backend.as_mut(), loaded, &args.scope, &mut printer) {
        Ok(planned) => planned,
        Err(code) => return failed(code, "failed to plan again".into()),
    };
    if planned != *shown {
        eprintln!(
            "mcauth: project {} changed after it was planned; it was left alone: run apply again to see the new plan",
            planned.project
        );
        return failed(exit::FAILED, "changed since planned; not applied".into());
    }
    // The plan purges what each of its removals keeps: their warning
    // that the grants are kept would only alarm.
    if purges_what_it_removes(&planned) {
        backend
            .printer()
            .silenced
            .insert(mcauth_engine::WarningCode::GrantsRetained);
    }
    backend.preset_documents(planned.documents.clone());
    let script = ScriptText::new(planned.script());
    let ran = exit::code_of(backend.run_script(
        &format!("the plan for project {}", planned.project),
        &script,
        OnError::Stop,
    ));
    if ran != 0 {
        return failed(ran, "the plan failed; see above".into());
    }
    // Convergence is judged on a fresh read of the project (a new
    // session), not on the session's own model of what it changed: on
    // MaxCompute that model is what the statements were expected to do.
    drop(backend);
    let mut fresh = match crate::run::open_backend(cli, target, name, run_output.printer()) {
        Ok(backend) => backend,
        Err(message) => {
            eprintln!(
                "mcauth: applied, but project {} could not be read again: {message}",
                planned.project
            );
            return failed(exit::FAILED, "applied; reading it again failed".into());
        }
    };
    match plan_towards(fresh.as_mut(), loaded, &args.scope, &mut printer) {
        Ok(after) if after.steps.is_empty() => {
            eprintln!(
                "mcauth: applied {} step{} to project {}; it now matches the file",
                planned.steps.len(),
                if planned.steps.len() == 1 { "" } else { "s" },
                planned.project
            );
            Outcome {
                code: 0,
                line: format!("applied {} steps", planned.steps.len()),
            }
        }
        Ok(after) => {
            eprintln!(
                "mcauth: applied the plan to project {}, but {} step{} still remain (run plan to see them)",
                planned.project,
                after.steps.len(),
                if after.steps.len() == 1 { "" } else { "s" }
            );
            failed(exit::FAILED, "applied, but does not converge".into())
        }
        Err(code) => failed(code, "applied; planning again failed".into()),
    }
}

/// Whether every user the plan removes and every role it drops is also
/// purged by the plan.
fn purges_what_it_removes(planned: &Planned) -> bool {
    let statements: Vec<&str> = planned.steps.iter().map(|s| s.statement.as_str()).collect();
    let purged = |target: &str| {
        statements.iter().any(|s| {
            s.strip_prefix("purge privs from ")
                .and_then(|r| r.strip_suffix(';'))
                == Some(target)
        })
    };
    statements.iter().all(|s| {
        if let Some(user) = s
            .strip_prefix("remove user ")
            .and_then(|r| r.strip_suffix(';'))
        {
            purged(&format!("user {user}"))
        } else if let Some(role) = s
            .strip_prefix("drop role ")
            .and_then(|r| r.strip_suffix(';'))
        {
            purged(&format!("role {role}"))
        } else {
            true
        }
    })
}
