//! Every file in grammar/examples parses, round-trips, and together they
//! exercise every production of grammar/mcauth.ebnf.

use std::collections::BTreeSet;
use std::path::PathBuf;

use mcauth_syntax::parse;

fn grammar_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../grammar")
}

fn examples() -> Vec<(PathBuf, String)> {
    let mut files: Vec<_> = std::fs::read_dir(grammar_dir().join("examples"))
        .expect("grammar/examples exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected one example file per statement family"
    );
    files
        .into_iter()
        .map(|p| {
            (
                p.clone(),
                std::fs::read_to_string(&p).expect("readable example"),
            )
        })
        .collect()
}

#[test]
fn every_example_parses_and_round_trips() {
    for (path, text) in examples() {
        let parsed = parse(&text);
        assert!(
            parsed.errors.is_empty(),
            "{}: {:#?}",
            path.display(),
            parsed.errors
        );
        assert!(
            !parsed.statements.is_empty(),
            "{} has no statements",
            path.display()
        );
        for statement in &parsed.statements {
            let printed = statement.to_string();
            let reparsed = mcauth_syntax::parse_statement(&printed).unwrap_or_else(|e| {
                panic!(
                    "{}: `{printed}` does not parse back: {e:#?}",
                    path.display()
                )
            });
            assert_eq!(
                &reparsed,
                statement,
                "{}: `{printed}` reads back differently",
                path.display()
            );
            assert_eq!(reparsed.to_string(), printed, "printing is stable");
        }
    }
}

/// The names of every production in the EBNF, and those listed as
/// alternatives of `statement`.
fn productions() -> (BTreeSet<String>, BTreeSet<String>) {
    let ebnf = std::fs::read_to_string(grammar_dir().join("mcauth.ebnf"))
        .expect("grammar/mcauth.ebnf exists");
    // Drop comments first: they may contain `=`.
    let mut text = String::new();
    let mut rest = ebnf.as_str();
    while let Some(start) = rest.find("(*") {
        text.push_str(&rest[..start]);
        let end = rest[start..]
            .find("*)")
            .map_or(rest.len(), |e| start + e + 2);
        rest = &rest[end..];
    }
    text.push_str(rest);
    let mut all = BTreeSet::new();
    let mut statements = BTreeSet::new();
    for definition in text.split(';') {
        let Some((name, body)) = definition.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        all.insert(name.to_owned());
        if name == "statement" {
            statements = body.split('|').map(|s| s.trim().to_owned()).collect();
        }
    }
    (all, statements)
}

/// Collects every `"statement"` and `"type"` tag in the JSON of the ASTs.
fn tags(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if (key == "statement" || key == "type") && v.is_string() {
                    out.insert(v.as_str().unwrap_or_default().to_owned());
                }
                if key == "object_type" && v.is_string() {
                    out.insert(format!("object_type:{}", v.as_str().unwrap_or_default()));
                }
                tags(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| tags(v, out)),
        _ => {}
    }
}

#[test]
fn every_production_has_an_example() {
    let (all, statements) = productions();
    assert!(
        statements.len() > 40,
        "the statement production lists every statement"
    );
    let mut seen = BTreeSet::new();
    let mut text = String::new();
    for (_, source) in examples() {
        let parsed = parse(&source);
        let json = serde_json::to_value(&parsed.statements).expect("ASTs serialise");
        tags(&json, &mut seen);
        text.push_str(&source);
    }
    let lower = text.to_lowercase();
    for production in &all {
        let covered = if statements.contains(production) {
            seen.contains(production)
        } else {
            match production.as_str() {
                "script" | "statement" | "terminator" => !seen.is_empty(),
                "aliyun_account" => seen.contains("aliyun"),
                "ram_user" | "ram_role" | "residue" => seen.contains(production.as_str()),
                "bare_principal" => seen.contains("bare"),
                "principal" => seen.contains("aliyun") && seen.contains("ram_user"),
                "grantee" => {
                    seen.contains("user") && seen.contains("role") && seen.contains("group")
                }
                "object_type" => [
                    "project", "table", "function", "resource", "instance", "package", "model",
                    "volume", "schema",
                ]
                .iter()
                .all(|t| seen.contains(&format!("object_type:{t}"))),
                "privilege" | "object" | "name" | "identifier" | "object_name" | "word" => {
                    seen.contains("grant_privileges")
                }
                "columns" => {
                    lower.contains("select(") || lower.contains("sales(") || lower.contains(" (c1")
                }
                "properties" => lower.contains("privilegeproperties("),
                "property_change" => seen.contains("set") && seen.contains("unset"),
                "flag" | "value" | "security_flag" => {
                    seen.contains("security") && seen.contains("session")
                }
                "file" => {
                    lower.contains("put policy 'policies")
                        && lower.contains("put policy policy.json")
                }
                "partition" | "partition_value" => lower.contains("partition(ds="),
                "project_scope" => {
                    lower.contains("allow project * ") && lower.contains("allow project partner")
                }
                "policy_targets" => {
                    seen.contains("default") && seen.contains("users") && seen.contains("roles")
                }
                "property_pair" | "raw_value" => {
                    seen.contains("set_project") && lower.contains("filter using (")
                }
                "quoted" => text.contains('`'),
                "string" => text.contains('\'') && text.contains('"'),
                "comment" => text.contains("\n--") && text.contains("\n#"),
                other => panic!("production `{other}` has no coverage rule in this test"),
            }
        };
        assert!(
            covered,
            "grammar production `{production}` has no example in grammar/examples"
        );
    }
}
