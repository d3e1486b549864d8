//! Plans and renders a script file as `mcauth --dry-run` does on a fresh
//! project (owner `ALIYUN$bench@example.com`), for profiling the engine
//! alone: `cargo run --release -p mcauth-engine --example dry_run FILE`.
//! With `DRY_RUN_QUIET` set, the plan is rendered into a sink.

use std::fmt::Write;
use std::time::Instant;

use mcauth_engine::{Caller, Context, PrincipalId, ProjectState, plan_in};

/// Counts what is written, so that rendering is measured without output.
struct Count(usize);

impl Write for Count {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dry_run FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let start = Instant::now();
    let parsed = mcauth_syntax::parse(&text);
    let parsed_at = start.elapsed();
    let state = ProjectState::new("default", PrincipalId::aliyun("bench@example.com"));
    let owner = Caller::owner_of(&state);
    let plan = plan_in(&state, &owner, &Context::default(), &parsed.statements);
    let planned_at = start.elapsed();
    if std::env::var_os("DRY_RUN_QUIET").is_some() {
        let mut count = Count(0);
        let _ = write!(count, "{}", plan.render(&parsed.statements));
        eprintln!("{} bytes of plan", count.0);
    } else {
        println!("{}", plan.render(&parsed.statements));
    }
    let done = start.elapsed();
    eprintln!(
        "{} statements: parse {parsed_at:?}, plan {:?}, render {:?}",
        parsed.statements.len(),
        planned_at - parsed_at,
        done - planned_at
    );
}
