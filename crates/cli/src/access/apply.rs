//! `mcauth apply FILE…`: plans every project, shows the plans, asks once
//! (or `-y`), then runs each project's plan as one script, all or
//! nothing, on whichever backend: the checks any script meets run first.
//! A project is planned again just before it runs; if its plan changed
//! meanwhile, it is left alone. After the run, a plan again must be
//! empty, or the run says so.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::Output;
use super::desired::load;
use super::plan::{Planned, plan_each, plan_towards};
use crate::cli::OutputFormat;
use crate::cli::{ApplyArgs, Cli, OnError};
use crate::exit;
use crate::projects::{Outcome, run_each};
use crate::source::ScriptText;

/// `mcauth apply`.
pub fn run(args: &ApplyArgs, cli: &Cli) -> ExitCode {
    let output = Output::of(cli, args.scope.format);
    let mut printer = output.printer();
    let loaded = match load(&args.files, &mut printer) {
        Ok(loaded) => loaded,
        Err(code) => return ExitCode::from(code),
    };
    let target = match crate::target::resolve(cli) {
        Ok(target) => target,
        Err(conflict) => return exit::usage(&conflict.to_string()),
    };
    let projects = match crate::projects::named(&cli.target, || crate::run::store_projects(&target))
    {
        Ok(p) if p.is_empty() => vec![String::new()],
        Ok(p) => p,
        Err(message) => return exit::usage(&message),
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
    let run_output = Output {
        format: OutputFormat::Text,
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
    match plan_towards(backend.as_mut(), loaded, &args.scope, &mut printer) {
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
