//! A trace as text: the answer, the reason, then one line per step (the
//! deciding one marked `=>`), each with the statement behind it.

use std::fmt;

use super::{Outcome, Trace};

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = &self.question;
        writeln!(
            f,
            "{}{}: {} {} on {}",
            self.verdict.as_str(),
            if self.verified { "" } else { " (not verified)" },
            q.subject,
            q.privilege,
            q.object.to_statement_text()
        )?;
        writeln!(f, "  because {}", self.reason)?;
        for (i, step) in self.steps.iter().enumerate() {
            let mark = if Some(i) == self.decided_by {
                "=>"
            } else {
                match step.outcome {
                    Outcome::NotVerified => " ?",
                    _ => " -",
                }
            };
            writeln!(
                f,
                "  {mark} {}: {}: {}",
                step.layer.as_str(),
                step.outcome.as_str(),
                step.detail
            )?;
            if let Some(s) = &step.statement {
                writeln!(f, "       {s}")?;
            }
            if let Some(r) = &step.recorded {
                writeln!(f, "       recorded: statement {}: {}", r.seq, r.text)?;
            }
        }
        if !self.verified {
            writeln!(
                f,
                "  not verified: a layer marked ? was not read and could change the answer"
            )?;
        }
        Ok(())
    }
}
