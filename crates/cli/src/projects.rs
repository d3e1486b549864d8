//! Several projects at once: which ones (`--project` repeated,
//! `--projects FILE`, names with `*` or `?` matched against the projects
//! a backend holds), and running one job per project, at most `--jobs` at
//! a time. Each project is its own failure domain: a failure in one ends
//! only its job. Each job's output is gathered and written whole, in the
//! order the projects were named, with a progress line on a terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::cli::TargetArgs;
use crate::exit;
use crate::io::Captured;

/// How many projects are worked on at once unless `--jobs` says.
pub const DEFAULT_JOBS: usize = 4;

/// The projects named on the command line, in order, each once; empty
/// when none is (the backend's default project). `listed` gives the
/// projects the backend holds, for names with wildcards.
pub fn named(
    target: &TargetArgs,
    listed: impl FnOnce() -> Result<Vec<String>, String>,
) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = target.project.clone();
    if let Some(file) = &target.projects {
        names.extend(read_list(file)?);
    }
    let mut out: Vec<String> = Vec::new();
    let mut listed = Some(listed);
    let mut known: Option<Vec<String>> = None;
    for name in names {
        check_name(&name)?;
        if !is_pattern(&name) {
            if !out.contains(&name) {
                out.push(name);
            }
            continue;
        }
        if known.is_none()
            && let Some(list) = listed.take()
        {
            known = Some(list()?);
        }
        let matched: Vec<&String> = known
            .iter()
            .flatten()
            .filter(|p| glob_matches(&name, p))
            .collect();
        if matched.is_empty() {
            return Err(format!("no project matches `{name}`"));
        }
        for p in matched {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    Ok(out)
}

/// The projects the command line names (see [`named`]), names with
/// wildcards matched against the projects `target`'s backend holds (the
/// store's, or those MaxCompute lists for the caller). `target` is `Err`
/// when the target rule found a conflict: it matters only if a name needs
/// the listing.
pub fn named_on(
    cli: &crate::cli::Cli,
    target: Result<&crate::target::Target, String>,
) -> Result<Vec<String>, String> {
    named(&cli.target, || crate::run::listed_projects(cli, target?))
}

/// The names in a `--projects` file: one per line; blank lines and `#`
/// comments are skipped.
fn read_list(file: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read the projects file {}: {e}", file.display()))?;
    let names: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        return Err(format!(
            "the projects file {} names no project",
            file.display()
        ));
    }
    Ok(names)
}

/// A project's name is letters, digits and `_` (MaxCompute's rule; `-`
/// is let through for names other tools made), with `*` and `?` in a
/// pattern: never a path, since `export --out` makes a folder of it.
fn check_name(name: &str) -> Result<(), String> {
    valid_name(name, true).map(|_| ())
}

/// A project's name, lower-cased, when it reads as one (`patterns`: `*`
/// and `?` allowed too); else why not.
pub fn valid_name(name: &str, patterns: bool) -> Result<String, String> {
    let fine = !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '-')
                || (patterns && matches!(c, '*' | '?'))
        });
    if fine {
        Ok(name.to_ascii_lowercase())
    } else if patterns {
        Err(format!(
            "`{name}` is not a project name: use letters, digits and `_` (and `*` or `?` to match several)"
        ))
    } else {
        Err(format!(
            "`{name}` is not a project name: use letters, digits and `_`"
        ))
    }
}

fn is_pattern(name: &str) -> bool {
    name.contains(['*', '?'])
}

/// Shell-style matching of `*` (any run) and `?` (one character).
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// How one project's job ended: its exit code, and the line that says
/// so in the summary of a run over several projects.
pub struct Outcome {
    pub code: u8,
    pub line: String,
}

/// Runs `job` for every project, at most `jobs` at a time, and writes
/// each one's output whole, in order. With more than one project, a
/// result line per project and a summary follow on standard error.
/// Returns the worst exit code (see [`worst`]) and what each job gave, in
/// the order of `projects` (`None` for a job that panicked).
pub fn run_each<T: Send>(
    projects: &[String],
    jobs: usize,
    job: impl Fn(&str) -> (Outcome, T) + Sync,
) -> (u8, Vec<Option<T>>) {
    if let [one] = projects {
        let (outcome, value) = job(one);
        return (outcome.code, vec![Some(value)]);
    }
    let progress = std::io::stderr().is_terminal();
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Option<(Outcome, T)>, Captured)>();
    let mut codes = Vec::with_capacity(projects.len());
    let mut values = Vec::with_capacity(projects.len());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, projects.len().max(1)) {
            let tx = tx.clone();
            let (next, job) = (&next, &job);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(project) = projects.get(i) else {
                        break;
                    };
                    let (result, captured) = crate::io::capture(|| {
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(project))).ok()
                    });
                    if tx.send((i, result, captured)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Written in the order named, as soon as each is next.
        let mut ready: BTreeMap<usize, (Option<(Outcome, T)>, Captured)> = BTreeMap::new();
        let (mut written, mut done) = (0, 0);
        for (i, result, captured) in rx {
            done += 1;
            ready.insert(i, (result, captured));
            if progress {
                clear_progress();
            }
            while let Some((result, captured)) = ready.remove(&written) {
                captured.replay();
                let outcome = match result {
                    Some((outcome, value)) => {
                        values.push(Some(value));
                        outcome
                    }
                    None => {
                        values.push(None);
                        Outcome {
                            code: 101,
                            line: "failed: an internal error (a bug in mcauth)".into(),
                        }
                    }
                };
                eprintln!("mcauth: project {}: {}", projects[written], outcome.line);
                codes.push(outcome.code);
                written += 1;
            }
            if progress && done < projects.len() {
                crate::io::write(
                    crate::io::Stream::Stderr,
                    format!("[{done}/{}] projects done", projects.len()).as_bytes(),
                );
            }
        }
    });
    let failed = codes.iter().filter(|c| **c != 0 && **c != 2).count();
    eprintln!(
        "mcauth: {} projects: {} ok, {failed} failed",
        projects.len(),
        projects.len() - failed
    );
    (worst(&codes), values)
}

fn clear_progress() {
    crate::io::write(crate::io::Stream::Stderr, b"\r\x1b[2K");
}

/// The exit code of a run over several projects: a failure (1, 3…) wins
/// over "changes" (2), which wins over success.
pub fn worst(codes: &[u8]) -> u8 {
    let failure = codes.iter().copied().filter(|c| *c != 0 && *c != 2).max();
    failure.unwrap_or(if codes.contains(&2) { 2 } else { 0 })
}

/// `--jobs`, or the default.
pub fn jobs(target: &TargetArgs) -> usize {
    target.jobs.map_or(DEFAULT_JOBS, usize::from)
}

/// A project's run that could not start (its backend would not open).
pub fn could_not_open(message: &str) -> Outcome {
    eprintln!("mcauth: {message}");
    Outcome {
        code: exit::CONFIG,
        line: format!("failed: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_a_shell_does() {
        assert!(glob_matches("dev_*", "dev_sales"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("d?v", "dev"));
        assert!(glob_matches("*_prod", "sales_prod"));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("dev_*", "prod_sales"));
        assert!(!glob_matches("d?v", "dv"));
    }

    #[test]
    fn a_project_name_is_never_a_path() {
        for bad in ["../x", "a/b", "", "a b", "p.q", "x\\y"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for good in ["dev", "sales_prod", "p1", "dev_*", "my-proj"] {
            assert!(check_name(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn a_failure_outranks_changes() {
        assert_eq!(worst(&[0, 2, 0]), 2);
        assert_eq!(worst(&[0, 2, 1]), 1);
        assert_eq!(worst(&[3, 1]), 3);
        assert_eq!(worst(&[0, 0]), 0);
        assert_eq!(worst(&[]), 0);
    }
}
