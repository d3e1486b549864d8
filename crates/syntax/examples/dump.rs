//! Prints the canonical form (or the errors) of each statement in a file:
//! `cargo run -p mcauth-syntax --example dump -- FILE`.
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let parsed = mcauth_syntax::parse(&text);
        for s in &parsed.statements {
            println!("{s}");
        }
        for e in &parsed.errors {
            let at = mcauth_syntax::line_col(&text, e.span.start);
            let (line, col) = (at.line, at.column);
            println!(
                "{path}:{line}:{col}: error[{}]: {} {:?}",
                e.code, e.message, e.help
            );
        }
    }
}
