//! Risky grants: `Allow` of every MaxCompute action on every resource, and references to
//! system policies that RAM flags as high-risk (docs/seeds.md#ram-users) or excessive (docs/seeds.md#ram-permissions).

use super::actions::{ALL_ACTIONS, ActionSet};
use crate::catalog::{self, Risk, SYSTEM_POLICIES};
use crate::finding::{Code, Finding};
use crate::glob::{Case, covers};
use crate::model::{Effect, Statement};
use crate::span::{Span, Spanned};
use crate::suggest::closest;

/// Reports an unconditional `Allow` of every MaxCompute action on every resource.
pub fn check_broad(statement: &Statement, actions: Option<&ActionSet>, out: &mut Vec<Finding>) {
    let allow = statement
        .effect
        .as_ref()
        .is_some_and(|e| e.value == Effect::Allow);
    let (Some(actions), Some(resource)) = (actions, statement.resource.as_ref()) else {
        return;
    };
    let every_action = actions.universal || actions.negated || actions.bits == ALL_ACTIONS;
    if !allow || !every_action || resource.negated || !statement.conditions.is_empty() {
        return;
    }
    let Some(broad) = resource
        .items
        .iter()
        .find(|r| r.value == "*" || covers(&r.value, "acs:odps:*:*:*", Case::Sensitive))
    else {
        return;
    };
    let what = statement
        .action
        .as_ref()
        .map(|a| {
            let list: Vec<_> = a.items.iter().map(|i| i.value.as_str()).collect();
            format!(
                "{}{}",
                if a.negated { "NotAction " } else { "" },
                list.join(", ")
            )
        })
        .unwrap_or_default();
    out.push(
        Finding::new(
            Code::OverlyBroadGrant,
            broad.span,
            format!("allows `{what}` on `{}`: every MaxCompute action on every resource", broad.value),
        )
        .label("every resource")
        .related(statement.action.as_ref().map_or(statement.span, |a| a.span), "every action")
        .help("grant only the actions and resources needed, e.g. `odps:GetProject` on `acs:odps:cn-hangzhou:12345:projects/prj_1`"),
    );
}

/// Reports resource and condition values that name a high-risk system policy, e.g.
/// `acs:ram:*:*:policy/AdministratorAccess`.
pub fn check_references(statement: &Statement, out: &mut Vec<Finding>) {
    let values = statement
        .resource
        .iter()
        .flat_map(|r| r.items.iter())
        .chain(statement.conditions.iter().flat_map(|c| c.values.iter()));
    for value in values {
        for policy in SYSTEM_POLICIES.iter().filter(|p| p.risk == Risk::High) {
            if names(&value.value, policy.name) {
                out.push(high_risk(policy, value.span));
            }
        }
    }
}

/// Whether `text` contains `name` as a whole word.
fn names(text: &str, name: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    // Most values hold no byte of the name's first letter: look for it before setting up a
    // substring search, which costs more than the scan on short values.
    let Some(&first) = name.as_bytes().first() else {
        return false;
    };
    if !text.as_bytes().contains(&first) {
        return false;
    }
    text.match_indices(name).any(|(i, _)| {
        !word(text[..i].chars().next_back()) && !word(text[i + name.len()..].chars().next())
    })
}

fn high_risk(policy: &catalog::SystemPolicy, span: Span) -> Finding {
    Finding::new(
        Code::HighRiskPolicy,
        span,
        format!("refers to the high-risk system policy `{}`", policy.name),
    )
    .label("high-risk policy")
    .help(format!(
        "{}; do not grant it unless absolutely necessary",
        policy.note
    ))
}

/// Checks a system policy attached by name (e.g. `--system-policy`, or a RAM user in
/// accounts.toml): unknown names are errors, high-risk ones warnings, excessive ones notes.
pub fn check_system_policy(name: &Spanned<String>) -> Option<Finding> {
    let Some(policy) = catalog::system_policy(&name.value) else {
        let guess = closest(&name.value, SYSTEM_POLICIES.iter().map(|p| p.name));
        return Some(
            Finding::new(
                Code::UnknownSystemPolicy,
                name.span,
                format!("`{}` is not a system policy mcauth knows", name.value),
            )
            .label("unknown system policy")
            .help(match guess {
                Some(g) => format!("did you mean `{g}`?"),
                None => format!(
                    "known system policies: {}",
                    SYSTEM_POLICIES
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        );
    };
    match policy.risk {
        Risk::Normal => None,
        Risk::High => Some(high_risk(policy, name.span)),
        Risk::Excessive => Some(
            Finding::new(
                Code::ExcessivePolicy,
                name.span,
                format!("`{}` {}", policy.name, policy.note),
            )
            .label("broad system policy")
            .help("proceed with caution, or write a custom policy with only the actions needed"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_word_names() {
        assert!(names(
            "acs:ram:*:*:policy/AdministratorAccess",
            "AdministratorAccess"
        ));
        assert!(names("AdministratorAccess", "AdministratorAccess"));
        assert!(!names("MyAdministratorAccessCopy", "AdministratorAccess"));
        assert!(!names("é", "AdministratorAccess"));
    }

    #[test]
    fn system_policy_names() {
        let check = |n: &str| {
            check_system_policy(&Spanned::new(n.to_owned(), Span::default())).map(|f| f.code)
        };
        assert_eq!(check("AdministratorAccess"), Some(Code::HighRiskPolicy));
        assert_eq!(check("AliyunRAMFullAccess"), Some(Code::HighRiskPolicy));
        assert_eq!(
            check("AliyunMaxComputeFullAccess"),
            Some(Code::ExcessivePolicy)
        );
        assert_eq!(check("AliyunMaxComputeReadOnlyAccess"), None);
        assert_eq!(
            check("AliyunMaxComputeReadOnly"),
            Some(Code::UnknownSystemPolicy)
        );
        let f = check_system_policy(&Spanned::new(
            "AliyunMaxComputeFullAcess".to_owned(),
            Span::default(),
        ));
        assert_eq!(
            f.and_then(|f| f.help),
            Some("did you mean `AliyunMaxComputeFullAccess`?".to_owned())
        );
    }
}
