//! Measures planning throughput on a generated script (the `--dry-run`
//! target is 500,000 statements/s). Run with
//! `cargo run --release -p mcauth-engine --example plan_speed [N]`.

use std::time::Instant;

use mcauth_engine::{Caller, PrincipalId, ProjectState, plan};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut script = String::from("add accountprovider ram;\n");
    for r in 0..20 {
        script.push_str(&format!("create role role_{r};\n"));
    }
    let mut i = 0;
    while 21 + i * 5 < n {
        let user = format!("RAM$user_{i}");
        script.push_str(&format!("add user {user};\n"));
        script.push_str(&format!("grant role_{} to {user};\n", i % 20));
        script.push_str(&format!(
            "grant Select, Describe on table t_{} to {user};\n",
            i % 500
        ));
        script.push_str(&format!(
            "grant CreateInstance on project p to role role_{};\n",
            i % 20
        ));
        script.push_str(&format!("revoke role_{} from {user};\n", i % 20));
        i += 1;
    }
    let parsed = mcauth_syntax::parse(&script);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
    let state = ProjectState::new("p", PrincipalId::aliyun("owner@x.com"));
    let owner = Caller::owner_of(&state);
    if std::env::var_os("PLAN_SPEED_PARSE_ONLY").is_some() {
        return;
    }
    let start = Instant::now();
    let plan = plan(&state, &owner, &parsed.statements);
    let elapsed = start.elapsed();
    let count = parsed.statements.len();
    println!(
        "{count} statements planned in {elapsed:?}: {:.0} statements/s, clean: {}",
        count as f64 / elapsed.as_secs_f64(),
        plan.is_clean()
    );
}
