use crate::support::{mcauth, mcauth_in};

#[test]
fn prints_the_canonical_form_with_comments() {
    let out = mcauth(
        &["fmt"],
        "-- onboarding\nADD USER ram$acct:Bob ;   -- bob\nGRANT worker TO ram$acct:Bob",
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        "-- onboarding\nadd user RAM$acct:Bob;  -- bob\ngrant worker to RAM$acct:Bob;\n"
    );
}

#[test]
fn check_mode_exits_1_for_a_script_that_is_not_canonical() {
    assert_eq!(mcauth(&["fmt", "--check"], "list users;\n").code, 0);
    let out = mcauth(&["fmt", "--check"], "LIST USERS;\n");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("<stdin>: not in canonical form"));
}

#[test]
fn check_mode_prints_a_unified_diff() {
    let out = mcauth(
        &["fmt", "--check"],
        "-- onboarding\nlist users;\nCREATE ROLE r ;\nlist roles;\n",
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    insta::assert_snapshot!(out.stdout, @r"
    --- a/<stdin>
    +++ b/<stdin>
    @@ -1,4 +1,4 @@
     -- onboarding
     list users;
    -CREATE ROLE r ;
    +create role r;
     list roles;
    ");
}

#[test]
fn syntax_errors_stop_formatting() {
    let out = mcauth(&["fmt", "--error-format", "plain"], "add user;\n");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("<stdin>:1:9: error[mcauth::syntax::unexpected_token]"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn write_mode_rewrites_files_in_place() {
    let dir = std::env::temp_dir().join(format!("mcauth-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("x.sql");
    std::fs::write(&file, "WHOAMI").expect("write");
    let out = mcauth_in(&dir, &["fmt", "--write", "x.sql"], "", &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "whoami;\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_grammar_example_formats_to_a_fixed_point() {
    let examples = crate::support::repo().join("grammar/examples");
    for entry in std::fs::read_dir(examples).expect("examples") {
        let path = entry.expect("entry").path();
        let first = mcauth(&["fmt", path.to_str().expect("utf-8 path")], "");
        assert_eq!(first.code, 0, "{}: {}", path.display(), first.transcript());
        let second = mcauth(&["fmt"], &first.stdout);
        assert_eq!(
            second.stdout,
            first.stdout,
            "{} is not stable under fmt",
            path.display()
        );
    }
}

#[test]
fn check_mode_shows_no_diff_of_a_huge_script() {
    // Every line changes: a minimal diff would take time and memory that
    // grow with lines times changes. Past 512 KB, no diff, and a way to
    // see one.
    let script = "LIST USERS;\n".repeat(50_000);
    let out = mcauth(&["fmt", "--check"], &script);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "{}",
        &out.stdout[..200.min(out.stdout.len())]
    );
    assert!(
        out.stderr
            .contains("no diff shown for a script over 512 KB"),
        "{}",
        out.stderr
    );
}
