//! How a plan is shown: text for people (each step a statement that can
//! be copied, with why as a comment, destructive steps named first), or
//! one JSON object per project.

use mcauth_engine::converge::{LeftAlone, Sign, Step};
use mcauth_engine::export::Kind;
use serde_json::json;

use crate::cli::OutputFormat;

/// A project's plan, and what it was planned against.
pub struct Shown<'a> {
    /// `project dev in /path/store.db`, `project dev on http://…`.
    pub target: &'a str,
    pub project: &'a str,
    pub kinds: &'a [Kind],
    pub steps: &'a [Step],
    /// What the file lacks that no statement can take away.
    pub left: &'a [LeftAlone],
}

pub fn render(plan: &Shown<'_>, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(plan),
        OutputFormat::Text => text(plan),
    }
}

fn count(steps: &[Step], sign: Sign) -> usize {
    steps.iter().filter(|s| s.sign == sign).count()
}

fn kinds(kinds: &[Kind]) -> String {
    if kinds.is_empty() {
        return "nothing".to_owned();
    }
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn text(plan: &Shown<'_>) -> String {
    let mut out = String::new();
    let steps = plan.steps;
    if steps.is_empty() {
        out.push_str(&format!(
            "{}: no changes (managing {})\n",
            plan.target,
            kinds(plan.kinds)
        ));
        left_alone(&mut out, plan.left);
        return out;
    }
    out.push_str(&format!(
        "{}: {} to add, {} to change, {} to remove (managing {})\n",
        plan.target,
        count(steps, Sign::Add),
        count(steps, Sign::Change),
        count(steps, Sign::Remove),
        kinds(plan.kinds)
    ));
    let destructive: Vec<&Step> = steps.iter().filter(|s| s.destructive).collect();
    if !destructive.is_empty() {
        out.push_str(&format!("destructive ({}):\n", destructive.len()));
        for s in &destructive {
            out.push_str(&format!("  {}\n", s.statement));
        }
    }
    left_alone(&mut out, plan.left);
    out.push('\n');
    for s in steps {
        out.push_str(&format!(
            "{} {}  -- {}{}\n",
            s.sign.symbol(),
            s.statement,
            s.why,
            if s.destructive { " (destructive)" } else { "" }
        ));
    }
    out
}

/// The facts a plan cannot take away, after its summary.
fn left_alone(out: &mut String, left: &[LeftAlone]) {
    if left.is_empty() {
        return;
    }
    out.push_str(&format!("left as they are ({}):\n", left.len()));
    for l in left {
        out.push_str(&format!("  {}  -- {}\n", l.fact, l.why));
    }
}

fn json(plan: &Shown<'_>) -> String {
    let steps: Vec<serde_json::Value> = plan
        .steps
        .iter()
        .map(|s| {
            json!({
                "sign": s.sign.symbol().to_string(),
                "statement": s.statement,
                "why": s.why,
                "destructive": s.destructive,
            })
        })
        .collect();
    let value = json!({
        "project": plan.project,
        "target": plan.target,
        "managed": plan.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "add": count(plan.steps, Sign::Add),
        "change": count(plan.steps, Sign::Change),
        "remove": count(plan.steps, Sign::Remove),
        "destructive": plan.steps.iter().filter(|s| s.destructive).count(),
        "steps": steps,
        "left_alone": plan
            .left
            .iter()
            .map(|l| json!({"fact": l.fact, "why": l.why}))
            .collect::<Vec<_>>(),
    });
    format!("{value}\n")
}
