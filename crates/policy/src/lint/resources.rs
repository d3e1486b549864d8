//! Resources: ARN syntax, and whether each resource can name something the statement's
//! actions act on.

use std::collections::HashMap;

use super::actions::ActionSet;
use crate::arn::{self, ArnIssue};
use crate::catalog::{self, ACTIONS};
use crate::finding::{Code, Finding};
use crate::glob::{Case, Glob, overlaps, overlaps_template};
use crate::model::Statement;
use crate::span::{Span, Spanned};

/// One template split at its colons, each part compiled.
struct Parts {
    template: String,
    parts: Vec<(String, Glob)>,
}

/// The catalogue's ARN patterns as wildcard templates, and which actions use each.
pub struct Templates {
    /// The templates (`${...}` turned into `*`), split.
    split: Vec<Parts>,
    /// For each action in [`ACTIONS`], a mask over `patterns`.
    by_action: Vec<u32>,
    /// The help of a "matches no resource" finding, by action set: statements often share
    /// their actions, and the text takes a dozen allocations to build.
    help: HashMap<u64, String>,
}

impl Templates {
    /// Builds the templates from the catalogue.
    pub fn new() -> Self {
        let patterns: Vec<(&'static str, String)> = catalog::arn_patterns()
            .map(|p| (p, placeholders_to_wildcards(p)))
            .collect();
        let by_action = ACTIONS
            .iter()
            .map(|a| {
                patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, (p, _))| a.arns.contains(p))
                    .fold(0u32, |m, (i, _)| m | (1 << i))
            })
            .collect();
        let split = patterns
            .iter()
            .map(|(_, t)| Parts {
                template: t.clone(),
                parts: t
                    .split(':')
                    .map(|p| (p.to_owned(), Glob::new(p, Case::Sensitive)))
                    .collect(),
            })
            .collect();
        Templates {
            split,
            by_action,
            help: HashMap::new(),
        }
    }

    fn mask_of(&self, actions: &ActionSet) -> u32 {
        self.by_action
            .iter()
            .enumerate()
            .filter(|(i, _)| actions.bits & (1u64 << i) != 0)
            .fold(0, |m, (_, p)| m | p)
    }

    /// A mask of the templates among `wanted` that some ARN matching `resource` could match.
    /// Same answer as [`overlaps_template`] on each, with the common cases made cheap: with
    /// as many colons as the template, no wildcard can produce a colon, so the parts are
    /// compared pairwise. Nothing is allocated.
    fn matching(&self, resource: &str, wanted: u32) -> u32 {
        const MAX: usize = 8;
        let mut parts = [""; MAX];
        let mut count = 0;
        let mut start = 0;
        let ends = resource
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b':')
            .map(|(i, _)| i)
            .chain(std::iter::once(resource.len()));
        for end in ends {
            if let Some(slot) = parts.get_mut(count) {
                *slot = resource.get(start..end).unwrap_or_default();
            }
            count += 1;
            start = end + 1;
        }
        let parts = parts.get(..count.min(MAX)).unwrap_or_default();
        self.split
            .iter()
            .enumerate()
            .filter(|(i, _)| wanted & (1 << i) != 0)
            .filter(|(_, t)| match count.cmp(&t.parts.len()) {
                std::cmp::Ordering::Greater => false,
                std::cmp::Ordering::Less => {
                    overlaps_template(resource, &t.template, Case::Sensitive)
                }
                std::cmp::Ordering::Equal => parts.iter().zip(&t.parts).all(|(p, (text, glob))| {
                    if p.bytes().any(|b| b == b'*' || b == b'?') {
                        overlaps(p, text, Case::Sensitive)
                    } else {
                        glob.matches(p)
                    }
                }),
            })
            .fold(0, |m, (i, _)| m | (1 << i))
    }
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

/// `acs:odps:${region-id}:...` → `acs:odps:*:...`
fn placeholders_to_wildcards(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = match rest[start..].find('}') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// The span of bytes `range` of a string value, when its JSON text has no escapes.
fn sub_span(value: &Spanned<String>, start: usize, end: usize) -> Span {
    if value.span.len() == value.value.len() + 2 {
        Span::new(value.span.start + 1 + start, value.span.start + 1 + end)
    } else {
        value.span
    }
}

/// Checks ARN syntax of every resource entry. Returns which of the first 64 entries are
/// malformed, as a mask, so that [`check_match`] need not check them again.
pub fn check_syntax(statement: &Statement, out: &mut Vec<Finding>) -> u64 {
    let mut malformed = 0;
    let Some(resources) = &statement.resource else {
        return malformed;
    };
    for (i, item) in resources.items.iter().enumerate() {
        let text = item.value.as_str();
        let result = arn::check(text);
        if result.is_err() && i < 64 {
            malformed |= 1 << i;
        }
        match result {
            Ok(()) => {}
            Err(ArnIssue::Malformed(why)) => out.push(
                Finding::new(
                    Code::MalformedArn,
                    item.span,
                    format!("`{text}` is not a well-formed ARN: {why}"),
                )
                .label("malformed ARN")
                .help(
                    "MaxCompute ARNs look like `acs:odps:cn-hangzhou:12345:projects/prj_1`, or `*`",
                ),
            ),
            Err(ArnIssue::Region(r)) => {
                let region = text.get(r.clone()).unwrap_or_default();
                out.push(
                    Finding::new(
                        Code::MalformedRegion,
                        sub_span(item, r.start, r.end),
                        format!("`{region}` is not a region id"),
                    )
                    .label("bad region")
                    .help("a region id looks like `cn-hangzhou` or `ap-southeast-1`; use `*` for every region"),
                );
            }
            Err(ArnIssue::Account(r)) => {
                let account = text.get(r.clone()).unwrap_or_default();
                out.push(
                    Finding::new(
                        Code::MalformedAccountId,
                        sub_span(item, r.start, r.end),
                        format!("`{account}` is not an account id"),
                    )
                    .label("bad account id")
                    .help("the account id is the numeric id of the Alibaba Cloud account; use `*` for any"),
                );
            }
        }
    }
    malformed
}

/// Reports resources that match no ARN pattern of the statement's actions. `malformed` is
/// what [`check_syntax`] returned: those entries are skipped.
pub fn check_match(
    statement: &Statement,
    actions: &ActionSet,
    templates: &mut Templates,
    malformed: u64,
    out: &mut Vec<Finding>,
) {
    let Some(resources) = &statement.resource else {
        return;
    };
    if resources.negated || !actions.is_pure_odps() || actions.bits == 0 {
        return;
    }
    let wanted = templates.mask_of(actions);
    for (i, item) in resources.items.iter().enumerate() {
        let text = item.value.as_str();
        let bad = if i < 64 {
            malformed & (1 << i) != 0
        } else {
            arn::check(text).is_err()
        };
        if text == "*" || bad {
            continue;
        }
        if templates.matching(text, wanted) != 0 {
            continue;
        }
        let help = templates
            .help
            .entry(actions.bits)
            .or_insert_with(|| arn_help(actions))
            .clone();
        out.push(
            Finding::new(
                Code::ResourceMatchesNoArn,
                item.span,
                format!("`{text}` matches no resource of the statement's actions"),
            )
            .label("no action here acts on this resource")
            .related(resources_key(statement), "actions of this statement")
            .help(help),
        );
    }
}

/// "`odps:CreateProject` acts on acs:odps:...; and 2 more actions"
fn arn_help(actions: &ActionSet) -> String {
    let expected: Vec<String> = actions
        .actions()
        .take(3)
        .map(|a| format!("`{}` acts on {}", a.name, a.arns.join(" or ")))
        .collect();
    let more = actions.bits.count_ones().saturating_sub(3);
    let mut help = expected.join("; ");
    if more > 0 {
        help.push_str(&format!("; and {more} more actions"));
    }
    help
}

fn resources_key(statement: &Statement) -> Span {
    statement.action.as_ref().map_or(statement.span, |a| a.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_wildcards() {
        assert_eq!(
            placeholders_to_wildcards(
                "acs:odps:${region-id}:${resource-owner-id}:projects/${object-name}"
            ),
            "acs:odps:*:*:projects/*"
        );
        assert_eq!(placeholders_to_wildcards("a${b"), "a*");
    }

    #[test]
    fn templates_know_each_action() {
        let t = Templates::new();
        // Masks over the patterns are 32 bits wide.
        assert!(t.split.len() <= 32);
        let create = catalog::action_index("odps:CreateProject").map(|i| t.by_action[i]);
        assert!(create.is_some_and(|m| m.count_ones() == 1));
        let tenant = catalog::action_index("odps:AddTenantUsers").map(|i| t.by_action[i]);
        assert!(tenant.is_some_and(|m| m.count_ones() == 2));
        assert_eq!(t.matching("acs:odps:*:*:quotas/*", create.unwrap_or(0)), 0);
        assert_ne!(
            t.matching("acs:odps:*:*:projects/*", create.unwrap_or(0)),
            0
        );
        assert_ne!(
            t.matching("acs:odps:12345:tenantUsers/*", tenant.unwrap_or(0)),
            0
        );
        assert_eq!(t.matching("acs:odps:*:*:projects/*", 0), 0);
    }

    #[test]
    fn sub_spans_skip_the_quote() {
        let v = Spanned::new("abc".to_owned(), Span::new(10, 15));
        assert_eq!(sub_span(&v, 1, 2), Span::new(12, 13));
        let escaped = Spanned::new("a/c".to_owned(), Span::new(10, 16));
        assert_eq!(sub_span(&escaped, 1, 2), escaped.span);
    }
}
