//! Any bytes: decode, parse, format. None of it may panic, and whatever
//! parses must print and parse back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = mcauth_syntax::decode(data) else {
        return;
    };
    let parsed = mcauth_syntax::parse(text);
    for statement in &parsed.statements {
        let printed = statement.to_string();
        let reparsed = mcauth_syntax::parse_statement(&printed).expect("printed statements parse");
        assert_eq!(&reparsed, statement, "round trip of `{printed}`");
    }
    let _ = mcauth_syntax::format(text);
    let _ = mcauth_syntax::is_complete(text);
});
