//! The prompt's own commands: backslash commands as in psql (`\q`, `\h`,
//! `\i FILE`, `\pset format csv`), dot commands as in sqlite3 and duckdb
//! (`.quit`, `.help`, `.read FILE`, `.mode csv`), and the words odpscmd
//! takes (`quit;`, `exit;`, `help;`, `use <project>;`, `list projects;`).
//!
//! A backslash or dot command is one line and is answered at once, known
//! or not: it never starts a continuation.

use crate::cli::ResultFormat;

/// A command of the prompt, not a statement.
#[derive(Debug, PartialEq, Eq)]
pub enum Meta<'a> {
    Quit,
    Help,
    /// `\i FILE`, `.read FILE`: run a script.
    Read(&'a str),
    /// `.mode`, `\pset format`: show (`None`) or set the result format.
    Mode(Option<ResultFormat>),
    /// `use <project>;`
    Use(&'a str),
    /// `list projects;`
    ListProjects,
    /// A backslash or dot command with something wrong: what to say.
    Invalid(String),
}

/// The backslash and dot commands, for the help and the message about an
/// unknown one.
pub const COMMANDS: &str =
    "\\q .quit  \\h \\? .help  \\i FILE .read FILE  \\pset format FMT .mode FMT (text, csv, tsv)";

/// Reads a line typed at an empty prompt as a backslash or dot command;
/// `None` when it does not start with `\` or `.`.
pub fn line_command(line: &str) -> Option<Meta<'_>> {
    let line = line.trim();
    let rest = line.strip_prefix('\\').or_else(|| line.strip_prefix('.'))?;
    let rest = rest.trim_end_matches([';', '；']).trim();
    let (name, argument) = match rest.split_once(char::is_whitespace) {
        Some((name, argument)) => (name, argument.trim()),
        None => (rest, ""),
    };
    let backslash = line.starts_with('\\');
    Some(match (backslash, name.to_ascii_lowercase().as_str()) {
        (true, "q") | (false, "quit" | "exit") => Meta::Quit,
        (true, "h" | "?" | "help") | (false, "help") => Meta::Help,
        (true, "i" | "include") | (false, "read") => match argument {
            "" => Meta::Invalid(format!(
                "{} needs a file: {} FILE",
                first(line),
                first(line)
            )),
            file => Meta::Read(unquote(file)),
        },
        (false, "mode") => mode(argument),
        (true, "pset") => match argument.split_once(char::is_whitespace) {
            Some((what, format)) if what.eq_ignore_ascii_case("format") => mode(format.trim()),
            None if argument.eq_ignore_ascii_case("format") || argument.is_empty() => mode(""),
            _ => Meta::Invalid(format!(
                "\\pset sets only the format here: \\pset format text|csv|tsv (not `{argument}`)"
            )),
        },
        _ => Meta::Invalid(format!(
            "unknown command {}; the prompt's commands are: {COMMANDS}",
            first(line)
        )),
    })
}

/// The command word of `line` as typed (`\x`, `.foo`).
fn first(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or(line)
}

/// A file name, without the quotes psql and sqlite3 accept around it.
fn unquote(file: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = file.strip_prefix(q).and_then(|f| f.strip_suffix(q)) {
            return inner;
        }
    }
    file
}

fn mode(format: &str) -> Meta<'static> {
    match format.to_ascii_lowercase().as_str() {
        "" => Meta::Mode(None),
        "text" | "aligned" | "list" => Meta::Mode(Some(ResultFormat::Text)),
        "csv" => Meta::Mode(Some(ResultFormat::Csv)),
        "tsv" | "tabs" => Meta::Mode(Some(ResultFormat::Tsv)),
        "json" => Meta::Invalid(
            "json is for scripts and pipes (mcauth --format json); the prompt prints text, csv or tsv".to_owned(),
        ),
        other => Meta::Invalid(format!("unknown format `{other}`: text, csv or tsv")),
    }
}

/// Reads a complete entry (a `;` was typed) as one of odpscmd's words:
/// `quit`, `exit`, `help`, `use <project>`, `list projects`. `None` for a
/// statement.
pub fn entry_command(entry: &str) -> Option<Meta<'_>> {
    let text = entry.trim().trim_end_matches([';', '；']).trim();
    let mut words = text.split_whitespace();
    let first = words.next()?.to_ascii_lowercase();
    let second = words.next();
    let more = words.next().is_some();
    match (first.as_str(), second, more) {
        ("quit" | "exit" | "\\q", None, _) => Some(Meta::Quit),
        ("help" | "\\?" | "h", None, _) => Some(Meta::Help),
        ("use", Some(project), false) => Some(Meta::Use(project.trim_matches('`'))),
        ("use", _, _) => Some(Meta::Invalid(
            "use takes one project: use <project>;".to_owned(),
        )),
        ("list", Some(what), false) if what.eq_ignore_ascii_case("projects") => {
            Some(Meta::ListProjects)
        }
        _ => None,
    }
}

/// A name for a format, as `.mode` shows it.
pub fn format_name(format: ResultFormat) -> &'static str {
    match format {
        ResultFormat::Text => "text",
        ResultFormat::Json => "json",
        ResultFormat::Csv => "csv",
        ResultFormat::Tsv => "tsv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslash_and_dot_commands() {
        assert_eq!(line_command("\\q"), Some(Meta::Quit));
        assert_eq!(line_command(".quit"), Some(Meta::Quit));
        assert_eq!(line_command("\\h"), Some(Meta::Help));
        assert_eq!(line_command(".help"), Some(Meta::Help));
        assert_eq!(line_command("\\i a.sql"), Some(Meta::Read("a.sql")));
        assert_eq!(line_command(".read 'b c.sql'"), Some(Meta::Read("b c.sql")));
        assert_eq!(
            line_command(".mode csv"),
            Some(Meta::Mode(Some(ResultFormat::Csv)))
        );
        assert_eq!(
            line_command("\\pset format tsv"),
            Some(Meta::Mode(Some(ResultFormat::Tsv)))
        );
        assert_eq!(line_command(".mode"), Some(Meta::Mode(None)));
        assert!(
            matches!(line_command("\\x"), Some(Meta::Invalid(m)) if m.contains("unknown command \\x"))
        );
        assert!(matches!(line_command(".tables"), Some(Meta::Invalid(_))));
        assert!(matches!(line_command("\\i"), Some(Meta::Invalid(_))));
        assert_eq!(line_command("list users;"), None);
    }

    #[test]
    fn odpscmd_words() {
        assert_eq!(entry_command("use prod;"), Some(Meta::Use("prod")));
        assert_eq!(entry_command("USE `prod` ;"), Some(Meta::Use("prod")));
        assert_eq!(entry_command("list projects;"), Some(Meta::ListProjects));
        assert_eq!(entry_command("quit;"), Some(Meta::Quit));
        assert_eq!(entry_command("list users;"), None);
        assert!(matches!(entry_command("use a b;"), Some(Meta::Invalid(_))));
    }
}
