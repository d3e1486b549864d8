//! Rendered findings, as a person reads them and as `--format json` carries them.

use std::fmt::Write as _;

use miette::{NamedSource, NarratableReportHandler, Report};

use crate::{LineIndex, ParseOptions, lint_source};

/// Lints `src` and renders every finding with its line and column.
fn render(name: &str, src: &str) -> String {
    let (_, findings) = lint_source(src.as_bytes(), &ParseOptions::default());
    let lines = LineIndex::new(src.as_bytes());
    let handler = NarratableReportHandler::new();
    let mut out = String::new();
    for f in findings {
        let at = lines.line_col(src.as_bytes(), f.span.start);
        let _ = writeln!(out, "--- {name}:{}:{}", at.line, at.column);
        let report = Report::new(f).with_source_code(NamedSource::new(name, src.to_owned()));
        let _ = handler.render_report(&mut out, report.as_ref());
    }
    out
}

const TYPOS: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Alow",
      "Action": ["odps:CreateProjects"],
      "Resource": "acs:odps:*:*:projects/*"
    },
    {
      "Effect": "Allow",
      "Action": "odps:CreateProject",
      "Resource": "acs:odps:*:*:quotas/*",
      "Condition": {"Bool": {"odps:Encryption": "yes"}}
    }
  ]
}"#;

const BROAD: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": "odps:GetProject", "Resource": "acs:odps:cn-hangzhou:12345:projects/prj_1"},
    {"Effect": "Allow", "Action": "odps:*", "Resource": "*"}
  ]
}"#;

#[test]
fn typos_rendered() {
    insta::assert_snapshot!(render("typos.json", TYPOS));
}

#[test]
fn broad_grant_rendered() {
    insta::assert_snapshot!(render("broad.json", BROAD));
}

#[test]
fn truncated_rendered() {
    insta::assert_snapshot!(render("truncated.json", &TYPOS[..40]));
}

#[test]
fn findings_as_data() {
    let (_, findings) = lint_source(TYPOS.as_bytes(), &ParseOptions::default());
    insta::assert_yaml_snapshot!(findings);
}
