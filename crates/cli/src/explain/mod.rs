//! `mcauth why`, `who-can`, `audit` and `test`: who can do what, and
//! why, answered by the engine's own access decision
//! ([`mcauth_engine::explain`]) on either backend.

pub mod audit;
pub mod clauses;
pub mod origin;
pub mod owner;
pub mod project;
pub mod question;
pub mod shared;
pub mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mcauth_engine::explain::Subject;
use mcauth_engine::{GranteeId, ProjectState, StateView};

use crate::cli::Cli;
use crate::exit;
use project::Project;
use question::QuestionError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The question: PRINCIPAL PRIVILEGE on TYPE OBJECT [(columns)], e.g.
    /// `RAM$acct:bob Select on table sales(ssn)`; the principal may be
    /// `role R`, or a member's short name.
    #[arg(required = true, value_name = "QUESTION")]
    pub question: Vec<String>,

    /// text (a trace per privilege and column) or json (one object per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub about: AboutObject,
}

/// What a question may say of its object beyond its name, as `why` and
/// `who-can` take it (`owned by` and `to project` at the prompt and in
/// `mcauth test` files).
#[derive(Debug, Args)]
pub struct AboutObject {
    /// The object's owner (its creator), for the ObjectCreator rule
    /// (`who-can` lists it with path `creator`); the store does not know
    /// it, and against MaxCompute a table's owner is read from its
    /// metadata when this is not given.
    #[arg(long, value_name = "PRINCIPAL")]
    pub owner: Option<String>,

    /// Ask about taking the data to project PROJECT too: ProjectProtection
    /// (trusted projects, the exception policy) decides as well.
    #[arg(long, value_name = "PROJECT", value_parser = project_name)]
    pub to_project: Option<String>,
}

#[derive(Debug, Args)]
pub struct WhoCanArgs {
    /// PRIVILEGE on TYPE OBJECT, e.g. `Select on table sales`.
    #[arg(required = true, value_name = "QUESTION")]
    pub question: Vec<String>,

    /// Also answer against the state FILE's statements build on a fresh
    /// project (a desired state), and show who gains or loses.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub about: AboutObject,
}

/// `--to-project`: a project's name (see [`crate::projects::valid_name`]).
pub fn project_name(name: &str) -> Result<String, String> {
    crate::projects::valid_name(name, false)
}

/// Who may use `privilege` on `object`: of another project through its
/// packages installed here, or of this one (taken to `to`, when named).
pub fn who_can_answer(
    view: &ProjectState,
    privilege: mcauth_engine::Privilege,
    object: &mcauth_engine::ObjectRef,
    owner: Option<&mcauth_engine::PrincipalId>,
    from: Option<&mcauth_engine::explain::SharingProject>,
    to: Option<&str>,
    now: Option<i64>,
) -> mcauth_engine::WhoCan {
    let asked = mcauth_engine::explain::Question::new(
        Subject::Principal(view.owner().clone()),
        privilege,
        object.clone(),
    )
    .owned_by(owner.cloned())
    .shared_by(from.cloned())
    .leaving_to(to.map(str::to_owned));
    mcauth_engine::who_can_asked(view, &asked, now)
}

/// A question's problem as `NAME:1:COL: error[code]: …`, the question
/// with a marker under the place, and the fix.
pub fn describe_error(name: &str, text: &str, e: &QuestionError) -> String {
    let col = text.get(..e.at()).map_or(1, |t| t.chars().count() + 1);
    format!(
        "{name}:1:{col}: error[{}]: {e}\n  {text}\n  {}^\n  help: {}",
        e.code(),
        " ".repeat(col - 1),
        e.help()
    )
}

/// Prints a question's problem; exit 2.
fn report(text: &str, e: &QuestionError) -> ExitCode {
    eprintln!("{}", describe_error("question", text, e));
    ExitCode::from(exit::USAGE)
}

/// Traces as text (separated by blank lines) or JSON (one a line).
pub fn render_traces(
    traces: &[mcauth_engine::explain::Trace],
    format: Format,
) -> Result<String, String> {
    let mut out = String::new();
    for (i, trace) in traces.iter().enumerate() {
        match format {
            Format::Json => {
                let line = serde_json::to_string(trace)
                    .map_err(|e| format!("cannot write the trace as JSON: {e}"))?;
                out.push_str(&line);
                out.push('\n');
            }
            Format::Text => {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&trace.to_string());
            }
        }
    }
    Ok(out)
}

/// The grantees whose grants the questions read.
pub fn grantees_for(
    state: &ProjectState,
    questions: &[mcauth_engine::explain::Question],
) -> std::collections::BTreeSet<GranteeId> {
    questions
        .iter()
        .flat_map(|q| grantees_of(state, &q.subject))
        .collect()
}

/// The grantees whose grants a question about `subject` reads.
fn grantees_of(state: &ProjectState, subject: &Subject) -> std::collections::BTreeSet<GranteeId> {
    match subject {
        Subject::Principal(p) => std::iter::once(GranteeId::User(p.clone()))
            .chain(state.roles_of(p).iter().cloned().map(GranteeId::Role))
            .collect(),
        Subject::Role(r) => std::iter::once(GranteeId::Role(r.clone())).collect(),
    }
}

pub fn why(args: &WhyArgs, cli: &Cli) -> ExitCode {
    let text = args.question.join(" ");
    let mut project = match Project::open(cli) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let now = project.now();
    let (questions, grantees, mut whose) = match project.base() {
        Ok(state) => match question::parse(&text, state) {
            Ok(questions) => match shared::Whose::new(state, args.about.owner.as_deref()) {
                Ok(whose) => {
                    let grantees = grantees_for(state, &questions);
                    (questions, grantees, whose)
                }
                Err(code) => return code,
            },
            Err(e) => return report(&text, &e),
        },
        Err(code) => return code,
    };
    let mut asked = Vec::new();
    for q in questions {
        let (owner, from) = match whose.of(&mut project, &q.object) {
            Ok(found) => found,
            Err(code) => return code,
        };
        asked.push(
            q.owned_by(owner)
                .shared_by(from)
                .leaving_to(args.about.to_project.clone()),
        );
    }
    let questions = asked;
    let state = match project.with_grants(grantees) {
        Ok(state) => state,
        Err(code) => return code,
    };
    let mut traces: Vec<mcauth_engine::explain::Trace> = questions
        .iter()
        .map(|q| mcauth_engine::explain::explain(state, q, now))
        .collect();
    if let Project::Store(planner) = &project {
        let found = origin::fill(&mut traces, |visit| planner.history(visit));
        if let Err(message) = found {
            eprintln!("mcauth: {message}");
            return ExitCode::from(exit::CONFIG);
        }
    }
    match render_traces(&traces, args.format) {
        Ok(text) => crate::io::print(&text),
        Err(message) => {
            eprintln!("mcauth: {message}");
            return ExitCode::from(exit::CONFIG);
        }
    }
    ExitCode::SUCCESS
}

pub fn who_can(args: &WhoCanArgs, cli: &Cli) -> ExitCode {
    let text = args.question.join(" ");
    let mut project = match Project::open(cli) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let now = project.now();
    let (privileges, objects, mut whose) = match project.base() {
        Ok(state) => match question::action(&text, 0, state.project()) {
            Ok((privileges, objects)) => {
                match shared::Whose::new(state, args.about.owner.as_deref()) {
                    Ok(whose) => (privileges, objects, whose),
                    Err(code) => return code,
                }
            }
            Err(e) => return report(&text, &e),
        },
        Err(code) => return code,
    };
    let mut object_owners = Vec::new();
    let mut shared_by = Vec::new();
    for o in &objects {
        match whose.of(&mut project, o) {
            Ok((owner, from)) => {
                object_owners.push(owner);
                shared_by.push(from);
            }
            Err(code) => return code,
        }
    }
    let desired = match &args.plan {
        Some(file) => match project
            .base()
            .map(|s| (s.project().to_owned(), s.owner().clone()))
        {
            Ok((name, owner)) => match desired_state(file, &name, owner, now) {
                Ok(state) => Some(state),
                Err(code) => return code,
            },
            Err(code) => return code,
        },
        None => None,
    };
    let state = match project.with_all_grants() {
        Ok(state) => state,
        Err(code) => return code,
    };
    let mut first = true;
    for privilege in &privileges {
        for ((object, object_owner), from) in objects.iter().zip(&object_owners).zip(&shared_by) {
            let object_owner = object_owner.as_ref();
            let answer = |view: &ProjectState| {
                who_can_answer(
                    view,
                    *privilege,
                    object,
                    object_owner,
                    from.as_ref(),
                    args.about.to_project.as_deref(),
                    now,
                )
            };
            let now_can = answer(state);
            let after = desired.as_ref().map(answer);
            match args.format {
                Format::Json => {
                    // The answer itself; with --plan, the answer against the
                    // desired state under `after_plan`.
                    let mut value = match serde_json::to_value(&now_can) {
                        Ok(v) => v,
                        Err(e) => {
                            eprintln!("mcauth: cannot write the answer as JSON: {e}");
                            return ExitCode::from(exit::CONFIG);
                        }
                    };
                    if let (Some(after), Some(o)) = (&after, value.as_object_mut()) {
                        o.insert(
                            "after_plan".to_owned(),
                            serde_json::to_value(after).unwrap_or_default(),
                        );
                    }
                    println!("{value}");
                }
                Format::Text => {
                    if !first {
                        println!("");
                    }
                    crate::io::print(&now_can.to_string());
                    if let (Some(after), Some(file)) = (&after, &args.plan) {
                        crate::io::print(&plan_diff(&now_can, after, file));
                    }
                }
            }
            first = false;
        }
    }
    ExitCode::SUCCESS
}

/// Who gains and who loses the access after a plan.
fn plan_diff(
    now: &mcauth_engine::WhoCan,
    after: &mcauth_engine::WhoCan,
    file: &std::path::Path,
) -> String {
    let names = |w: &mcauth_engine::WhoCan| -> Vec<String> {
        w.principals
            .iter()
            .map(|h| h.principal.to_string())
            .collect()
    };
    let (before, later) = (names(now), names(after));
    let mut out = format!("after {}: {} principal(s)\n", file.display(), later.len());
    for h in &after.principals {
        let mark = if before.contains(&h.principal.to_string()) {
            " "
        } else {
            "+"
        };
        out.push_str(&format!("  {mark} {}  via {}\n", h.principal, h.path));
    }
    for name in before.iter().filter(|n| !later.contains(n)) {
        out.push_str(&format!("  - {name}\n"));
    }
    out
}

/// The state FILE's statements build on a fresh project with the same
/// name and owner, run as the owner: the desired state of a plan.
fn desired_state(
    file: &std::path::Path,
    name: &str,
    owner: mcauth_engine::PrincipalId,
    now: Option<i64>,
) -> Result<ProjectState, ExitCode> {
    let source = crate::source::read_file(file).map_err(|m| exit::usage(&m))?;
    let Ok(text) = String::from_utf8(source.bytes) else {
        return Err(exit::usage(&format!("{}: is not UTF-8", file.display())));
    };
    let parsed = mcauth_syntax::parse(&text);
    if let Some(e) = parsed.errors.first() {
        let mcauth_syntax::LineCol { line, column: col } =
            mcauth_syntax::line_col(&text, e.span.start);
        eprintln!(
            "{}:{line}:{col}: error[{}]: {}",
            file.display(),
            e.code,
            e.message
        );
        return Err(ExitCode::from(exit::USAGE));
    }
    let mut state = ProjectState::new(name, owner);
    let caller = mcauth_engine::Caller::owner_of(&state);
    let ctx = mcauth_engine::Context {
        now,
        ..Default::default()
    };
    for statement in &parsed.statements {
        if let Err(f) = mcauth_engine::execute_in(&mut state, &caller, &ctx, statement) {
            let mcauth_syntax::LineCol { line, column: col } =
                mcauth_syntax::line_col(&text, statement.span.start);
            eprintln!(
                "{}:{line}:{col}: error[{}]: {} (the plan must build its state from a fresh project)",
                file.display(),
                f.code,
                f.message
            );
            return Err(ExitCode::from(exit::FAILED));
        }
    }
    Ok(state)
}
