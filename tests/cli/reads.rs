//! What a remote session reads, counted: only the kinds of fact its
//! statements need, each once, and never one request per member when one
//! listing serves. Counted from `-vv`'s log of answers (`<- 200 …`).

use crate::remote::start;
use crate::support::{Outcome, mcauth_in, repo};

fn remote(endpoint: &str, args: &[&str]) -> Outcome {
    let mut argv = vec!["--endpoint", endpoint, "--project", "dev"];
    argv.extend_from_slice(args);
    mcauth_in(
        &repo(),
        &argv,
        "",
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-access-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-access-secret"),
        ],
    )
}

/// The requests a run made, as `METHOD path?query` without the endpoint.
fn requests(out: &Outcome, endpoint: &str) -> Vec<String> {
    out.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("<- "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let _status = words.next()?;
            let method = words.next()?;
            let url = words.next()?;
            Some(format!(
                "{method} {}",
                url.strip_prefix(endpoint).unwrap_or(url)
            ))
        })
        .collect()
}

#[test]
fn a_session_reads_what_its_statements_need_and_no_more() {
    let emulator = start("reads", &[]);
    // Four roles, as the README counts: admin and super_administrator,
    // which every project has, and two of its own.
    let mut script =
        String::from("add accountprovider ram; create role analyst; create role auditor;\n");
    for i in 0..1000 {
        script.push_str(&format!("add user RAM$u{i};\n"));
    }
    script.push_str("grant analyst to RAM$u1;\n");
    let path = emulator.dir.join("members.sql");
    std::fs::write(&path, script).expect("write script");
    let filled = remote(&emulator.endpoint, &[path.to_str().expect("utf-8")]);
    assert_eq!(filled.code, 0, "{}", filled.stderr);

    // The owner adding a trusted project needs only the trusted projects:
    // whoami, the project's owner, the listing, the statement.
    let trusted = remote(
        &emulator.endpoint,
        &["-vv", "-e", "add trustedproject other;"],
    );
    assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    let sent = requests(&trusted, &emulator.endpoint);
    assert_eq!(
        sorted(sent),
        sorted(vec![
            // whoami, then the listing and the statement
            STATEMENT.to_owned(),
            STATEMENT.to_owned(),
            STATEMENT.to_owned(),
            "GET /projects/dev?curr_project=dev".to_owned(),
        ])
    );

    // Removing a member of a 1,000-member project: the providers, the
    // member listing, the roles, who holds each role (one request per
    // role: there are fewer roles than members), the member's grants and
    // the statement, and no request per member.
    let removed = remote(
        &emulator.endpoint,
        &[
            "-vv",
            "-e",
            "revoke analyst from RAM$u1; remove user RAM$u1;",
        ],
    );
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    let sent = requests(&removed, &emulator.endpoint);
    let mut expected = vec![
        // whoami, the providers, the member's grants, the two statements
        STATEMENT.to_owned(),
        STATEMENT.to_owned(),
        STATEMENT.to_owned(),
        STATEMENT.to_owned(),
        STATEMENT.to_owned(),
        "GET /projects/dev?curr_project=dev".to_owned(),
        "GET /projects/dev/users?curr_project=dev".to_owned(),
        "GET /projects/dev/roles?curr_project=dev".to_owned(),
    ];
    for role in ["admin", "analyst", "auditor", "super_administrator"] {
        expected.push(format!(
            "GET /projects/dev/roles/{role}?users=&curr_project=dev"
        ));
    }
    // The README's count: 12, and no request per member.
    assert_eq!(sorted(sent), sorted(expected));
}

/// A security statement (or a query: whoami, a listing, `show grants`).
const STATEMENT: &str = "POST /projects/dev/authorization?curr_project=dev";

fn sorted(mut requests: Vec<String>) -> Vec<String> {
    requests.sort();
    requests
}
