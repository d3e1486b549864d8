//! Actions: resolving each statement's `Action`/`NotAction` against the catalogue, and
//! reporting unknown, malformed and empty-wildcard actions.

use crate::catalog::{self, ACTIONS, SERVICE};
use crate::finding::{Code, Finding};
use crate::glob::{Case, Glob};
use crate::model::{Patterns, Statement};
use crate::span::Spanned;
use crate::suggest::closest;

/// Every catalogued action, as a bit mask over [`ACTIONS`].
pub const ALL_ACTIONS: u64 = if ACTIONS.len() >= 64 {
    u64::MAX
} else {
    (1u64 << ACTIONS.len()) - 1
};

/// What a statement's `Action` or `NotAction` covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionSet {
    /// Catalogued actions covered, as a mask over [`ACTIONS`].
    pub bits: u64,
    /// `*`: every action of every service.
    pub universal: bool,
    /// Patterns of other services, lower-cased and sorted.
    pub foreign: Vec<String>,
    /// The statement used `NotAction`.
    pub negated: bool,
    /// Every entry was understood (no unknown or malformed action).
    pub complete: bool,
}

impl ActionSet {
    /// Whether the set is exactly some catalogued actions and nothing else.
    pub fn is_pure_odps(&self) -> bool {
        !self.universal && self.foreign.is_empty() && !self.negated
    }

    /// The catalogued actions in the set.
    pub fn actions(&self) -> impl Iterator<Item = &'static catalog::ActionInfo> + '_ {
        ACTIONS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.bits & (1u64 << i) != 0)
            .map(|(_, a)| a)
    }
}

/// The mask of catalogued actions matching `pattern`, ignoring ASCII case.
pub fn matching_actions(pattern: &str) -> u64 {
    if !pattern.contains(['*', '?']) {
        // A literal matches at most its own name: look it up instead of matching every one.
        return catalog::action_index(pattern).map_or(0, |i| 1u64 << i);
    }
    let glob = Glob::new(pattern, Case::Insensitive);
    ACTIONS
        .iter()
        .enumerate()
        .filter(|(_, a)| glob.matches(a.name))
        .fold(0, |bits, (i, _)| bits | (1u64 << i))
}

/// Resolves the statement's actions, reporting problems with each entry.
pub fn resolve(statement: &Statement, out: &mut Vec<Finding>) -> Option<ActionSet> {
    let patterns = statement.action.as_ref()?;
    Some(resolve_patterns(patterns, out))
}

fn resolve_patterns(patterns: &Patterns, out: &mut Vec<Finding>) -> ActionSet {
    let mut set = ActionSet {
        bits: 0,
        universal: false,
        foreign: Vec::new(),
        negated: patterns.negated,
        complete: true,
    };
    for item in &patterns.items {
        set.complete &= entry(item, &mut set, out);
    }
    set.foreign.sort();
    set.foreign.dedup();
    if patterns.negated {
        // NotAction: everything in the catalogue except what is listed, and every other
        // service's actions too.
        set.bits = ALL_ACTIONS & !set.bits;
        set.foreign.clear();
    }
    set
}

/// Adds one entry to `set`; returns whether it was understood.
fn entry(item: &Spanned<String>, set: &mut ActionSet, out: &mut Vec<Finding>) -> bool {
    let text = item.value.as_str();
    if text.chars().all(|c| c == '*') && !text.is_empty() {
        set.universal = true;
        set.bits = ALL_ACTIONS;
        return true;
    }
    let Some((service, name)) = text.split_once(':') else {
        let guess = closest(&format!("{SERVICE}:{text}"), ACTIONS.iter().map(|a| a.name));
        out.push(
            Finding::new(
                Code::MalformedAction,
                item.span,
                format!("`{text}` has no service prefix"),
            )
            .label("expected `service:Action`")
            .help(match guess {
                Some(g) => format!("did you mean `{g}`?"),
                None => format!("MaxCompute actions are written `{SERVICE}:ActionName`"),
            }),
        );
        return false;
    };
    let wild = text.contains(['*', '?']);
    let is_odps = if service.contains(['*', '?']) {
        Glob::new(service, Case::Insensitive).matches(SERVICE)
    } else {
        service.eq_ignore_ascii_case(SERVICE)
    };
    if is_odps {
        if service.contains(['*', '?']) {
            set.foreign.push(text.to_ascii_lowercase());
        }
        let bits = matching_actions(text);
        set.bits |= bits;
        if bits != 0 || service.contains(['*', '?']) {
            return true;
        }
        if wild {
            out.push(
                Finding::new(
                    Code::WildcardMatchesNothing,
                    item.span,
                    format!("`{text}` matches no MaxCompute action"),
                )
                .label("matches nothing")
                .help(format!(
                    "none of the {} catalogued MaxCompute actions fits; check the spelling of `{name}`",
                    ACTIONS.len()
                )),
            );
            return false;
        }
        let guess = closest(text, ACTIONS.iter().map(|a| a.name));
        out.push(
            Finding::new(
                Code::UnknownAction,
                item.span,
                format!("`{text}` is not a MaxCompute action"),
            )
            .label("unknown action")
            .maybe_help(guess.map(|g| format!("did you mean `{g}`?"))),
        );
        return false;
    }
    let lower = service.to_ascii_lowercase();
    if !wild && lower.len() >= 3 && strsim::damerau_levenshtein(&lower, SERVICE) <= 2 {
        let fixed = format!("{SERVICE}:{name}");
        let guess = catalog::action_info(&fixed)
            .map(|a| a.name)
            .or_else(|| closest(&fixed, ACTIONS.iter().map(|a| a.name)));
        out.push(
            Finding::new(
                Code::UnknownAction,
                item.span,
                format!("`{text}` names the unknown service `{service}`"),
            )
            .label("unknown service")
            .help(match guess {
                Some(g) => format!("did you mean `{g}`?"),
                None => format!("MaxCompute's service prefix is `{SERVICE}`"),
            }),
        );
        return false;
    }
    set.foreign.push(text.to_ascii_lowercase());
    out.push(
        Finding::new(
            Code::UncheckedService,
            item.span,
            format!("`{text}` is not a MaxCompute action and is not checked"),
        )
        .label("other service"),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn resolve_items(items: &[&str], negated: bool) -> (ActionSet, Vec<Finding>) {
        let patterns = Patterns {
            negated,
            key: Span::default(),
            span: Span::default(),
            items: items
                .iter()
                .map(|s| Spanned::new((*s).to_owned(), Span::default()))
                .collect(),
        };
        let mut out = Vec::new();
        let set = resolve_patterns(&patterns, &mut out);
        (set, out)
    }

    fn codes(items: &[&str]) -> Vec<Code> {
        resolve_items(items, false)
            .1
            .iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn known_actions_and_wildcards_resolve() {
        let (set, findings) = resolve_items(&["odps:CreateProject", "odps:Get*"], false);
        assert!(findings.is_empty());
        let names: Vec<_> = set.actions().map(|a| a.name).collect();
        assert_eq!(
            names,
            [
                "odps:CreateProject",
                "odps:GetProject",
                "odps:GetNetworkLink",
                "odps:GetTenantRolePolicy"
            ]
        );
        assert!(set.is_pure_odps() && set.complete);
    }

    #[test]
    fn star_is_universal() {
        let (set, _) = resolve_items(&["*"], false);
        assert!(set.universal);
        assert_eq!(set.bits, ALL_ACTIONS);
        let (set, _) = resolve_items(&["odps:*"], false);
        assert!(!set.universal && set.bits == ALL_ACTIONS);
    }

    #[test]
    fn not_action_complements() {
        let (set, _) = resolve_items(&["odps:Get*", "odps:List*"], true);
        assert!(set.negated);
        assert!(
            set.actions()
                .all(|a| !a.name.starts_with("odps:Get") && !a.name.starts_with("odps:List"))
        );
        assert!(set.actions().any(|a| a.name == "odps:CreateProject"));
    }

    #[test]
    fn unknown_action_suggests_the_closest() {
        let (_, findings) = resolve_items(&["odps:CreateProjects"], false);
        assert_eq!(findings[0].code, Code::UnknownAction);
        assert_eq!(
            findings[0].help.as_deref(),
            Some("did you mean `odps:CreateProject`?")
        );
    }

    #[test]
    fn misspelt_service_is_an_unknown_action() {
        let (_, findings) = resolve_items(&["odsp:CreateProject"], false);
        assert_eq!(findings[0].code, Code::UnknownAction);
        assert_eq!(
            findings[0].help.as_deref(),
            Some("did you mean `odps:CreateProject`?")
        );
    }

    #[test]
    fn case_is_ignored() {
        assert!(codes(&["ODPS:createproject"]).is_empty());
    }

    #[test]
    fn wildcard_matching_nothing() {
        assert_eq!(codes(&["odps:Frob*"]), [Code::WildcardMatchesNothing]);
        assert_eq!(codes(&["odps:Get?roject"]), Vec::<Code>::new());
    }

    #[test]
    fn malformed_and_foreign_actions() {
        let (_, findings) = resolve_items(&["CreateProject"], false);
        assert_eq!(findings[0].code, Code::MalformedAction);
        assert_eq!(
            findings[0].help.as_deref(),
            Some("did you mean `odps:CreateProject`?")
        );
        let (set, findings) = resolve_items(&["ecs:DescribeInstances"], false);
        assert_eq!(findings[0].code, Code::UncheckedService);
        assert_eq!(set.foreign, ["ecs:describeinstances"]);
        assert_eq!(set.bits, 0);
    }

    #[test]
    fn service_wildcards_cover_odps_and_others() {
        let (set, findings) = resolve_items(&["*:Get*"], false);
        assert!(findings.is_empty());
        assert_ne!(set.bits, 0);
        assert!(!set.foreign.is_empty());
    }
}
