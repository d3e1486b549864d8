//! Condition keys: known keys, keys the statement's actions support, operators that fit.

use super::actions::ActionSet;
use crate::catalog::{self, ACTIONS, CONDITION_KEYS, KeyScope, KeyType};
use crate::finding::{Code, Finding};
use crate::model::{Family, Statement};
use crate::suggest::closest;

/// Checks every condition of `statement`.
pub fn check(statement: &Statement, actions: Option<&ActionSet>, out: &mut Vec<Finding>) {
    for condition in &statement.conditions {
        let key = condition.key.value.as_str();
        let Some(info) = catalog::condition_key(key) else {
            let guess = closest(key, CONDITION_KEYS.iter().map(|k| k.name));
            out.push(
                Finding::new(
                    Code::UnknownConditionKey,
                    condition.key.span,
                    format!("`{key}` is not a known condition key"),
                )
                .label("unknown key")
                .help(match guess {
                    Some(g) => format!("did you mean `{g}`?"),
                    None => format!(
                        "MaxCompute defines `{}`; RAM's global keys start with `acs:`",
                        catalog::ENCRYPTION_KEY
                    ),
                }),
            );
            continue;
        };
        let op = condition.operator.value;
        let fits = matches!(
            (info.value_type, op.family()),
            (KeyType::Bool, Family::Bool)
                | (KeyType::String, Family::String)
                | (KeyType::Date, Family::Date)
                | (KeyType::Ip, Family::Ip)
        );
        if !fits {
            out.push(
                Finding::new(
                    Code::OperatorMismatch,
                    condition.operator.span,
                    format!(
                        "`{}` does not fit `{}`, which holds {}",
                        op.name(),
                        info.name,
                        type_name(info.value_type)
                    ),
                )
                .label("operator")
                .related(condition.key.span, "key")
                .help(format!("use {}", operators_for(info.value_type))),
            );
        }
        if info.scope != KeyScope::Service {
            continue;
        }
        let Some(actions) = actions.filter(|a| a.is_pure_odps() && a.bits != 0) else {
            continue;
        };
        let supported = ACTIONS
            .iter()
            .enumerate()
            .filter(|(_, a)| a.condition_keys.contains(&info.name))
            .fold(0u64, |m, (i, _)| m | (1u64 << i));
        if actions.bits & supported == 0 {
            let users: Vec<_> = ACTIONS
                .iter()
                .filter(|a| a.condition_keys.contains(&info.name))
                .map(|a| format!("`{}`", a.name))
                .collect();
            out.push(
                Finding::new(
                    Code::UnsupportedConditionKey,
                    condition.key.span,
                    format!("none of the statement's actions supports `{}`", info.name),
                )
                .label("unsupported key")
                .help(format!(
                    "`{}` is supported by {} only; requests for the other actions never carry it",
                    info.name,
                    users.join(", ")
                )),
            );
        }
    }
}

fn type_name(t: KeyType) -> &'static str {
    match t {
        KeyType::Bool => "true or false",
        KeyType::String => "text",
        KeyType::Date => "a time",
        KeyType::Ip => "an IP address",
    }
}

fn operators_for(t: KeyType) -> &'static str {
    match t {
        KeyType::Bool => "`Bool`",
        KeyType::String => "a String operator such as `StringEquals`",
        KeyType::Date => "a Date operator such as `DateLessThan`",
        KeyType::Ip => "`IpAddress` or `NotIpAddress`",
    }
}
