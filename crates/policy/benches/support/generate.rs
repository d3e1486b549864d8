//! The generated policies the benchmark and the profiling example read.

use mcauth_policy::ACTIONS;

/// One statement of a generated policy: a few actions on a few resources, every fifth a
/// Deny, every seventh with a condition.
pub fn statement(i: usize) -> String {
    let a = |k: usize| ACTIONS[(i * 7 + k * 13) % ACTIONS.len()].name;
    let effect = if i.is_multiple_of(5) { "Deny" } else { "Allow" };
    let condition = if i.is_multiple_of(7) {
        r#", "Condition": {"Bool": {"odps:Encryption": "false"}, "IpAddress": {"acs:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#
    } else {
        ""
    };
    format!(
        r#"    {{
      "Effect": "{effect}",
      "Action": ["{}", "{}", "{}"],
      "Resource": ["acs:odps:cn-hangzhou:12345:projects/prj_{i}", "acs:odps:*:12345:quotas/q_{i}_*", "acs:odps:cn-*:12345:networkLinks/nl_{i}"]{condition}
    }}"#,
        a(0),
        a(1),
        a(2)
    )
}

pub fn policy(statements: usize) -> String {
    let body: Vec<String> = (0..statements).map(statement).collect();
    format!(
        "{{\n  \"Version\": \"1\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        body.join(",\n")
    )
}

/// A policy of whole hundreds of statements, at least `bytes` long.
pub fn policy_of_at_least(bytes: usize) -> (usize, String) {
    let mut n = 100;
    let mut src = policy(n);
    while src.len() < bytes {
        n += 100;
        src = policy(n);
    }
    (n, src)
}
