//! Snapshots of every kind of syntax error, rendered as a user sees them.

use mcauth_syntax::renderable_source;
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, Report};

fn render(name: &str, source: &str) -> String {
    let parsed = mcauth_syntax::parse(source);
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .with_links(false);
    let text = renderable_source(source).into_owned();
    let mut out = String::new();
    for error in parsed.errors {
        let report = Report::new(error).with_source_code(NamedSource::new(name, text.clone()));
        handler
            .render_report(&mut out, report.as_ref())
            .expect("rendering to a String cannot fail");
        out.push('\n');
    }
    out
}

#[test]
fn syntax_errors_render_with_their_spans_and_help() {
    insta::glob!("errors/*.sql", |path| {
        let source = std::fs::read_to_string(path).expect("readable case");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("case.sql");
        let rendered = render(name, &source);
        assert!(!rendered.is_empty(), "{name} should have errors");
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn a_script_with_three_mistakes_reports_all_three() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/errors/three_errors.sql"
    ))
    .expect("readable case");
    let parsed = mcauth_syntax::parse(&source);
    let lines: Vec<usize> = parsed
        .errors
        .iter()
        .map(|e| mcauth_syntax::line_col(&source, e.span.start).line)
        .collect();
    assert_eq!(lines, vec![4, 6, 8]);
    assert_eq!(
        parsed.statements.len(),
        5,
        "the valid statements still parse"
    );
}
