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
        Templates { split, by_action }
    }

    fn mask_of(&self, actions: &ActionSet) -> u32 {
        self.by_action
            .iter()
            .enumerate()
            .filter(|(i, _)| actions.bits & (1u64 << i) != 0)
            .fold(0, |m, (_, p)| m | p)
    }

    /// A mask of the templates some ARN matching `resource` could match. Same answer as
    /// [`overlaps_template`] on each, with the common cases made cheap: with as many colons
    /// as the template, no wildcard can produce a colon, so the parts are compared pairwise.
    fn matching(&self, resource: &str) -> u32 {
        let parts: Vec<&str> = resource.split(':').collect();
        self.split
            .iter()
            .enumerate()
            .filter(|(_, t)| match parts.len().cmp(&t.parts.len()) {
                std::cmp::Ordering::Greater => false,
                std::cmp::Ordering::Less => {
                    overlaps_template(resource, &t.template, Case::Sensitive)
                }
                std::cmp::Ordering::Equal => parts.iter().zip(&t.parts).all(|(p, (text, glob))| {
                    if p.contains(['*', '?']) {
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

/// Checks ARN syntax of every resource entry.
pub fn check_syntax(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(resources) = &statement.resource else {
        return;
    };
    for item in &resources.items {
        let text = item.value.as_str();
        match arn::check(text) {
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
}

/// Reports resources that match no ARN pattern of the statement's actions.
pub fn check_match(
    statement: &Statement,
    actions: &ActionSet,
    templates: &Templates,
    cache: &mut HashMap<String, u32>,
    out: &mut Vec<Finding>,
) {
    let Some(resources) = &statement.resource else {
        return;
    };
    if resources.negated || !actions.is_pure_odps() || actions.bits == 0 {
        return;
    }
    let wanted = templates.mask_of(actions);
    for item in &resources.items {
        let text = item.value.as_str();
        if text == "*" || arn::check(text).is_err() {
            continue;
        }
        let mask = match cache.get(text) {
            Some(m) => *m,
            None => {
                let m = templates.matching(text);
                cache.insert(text.to_owned(), m);
                m
            }
        };
        if mask & wanted != 0 {
            continue;
        }
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
        assert_eq!(t.matching("acs:odps:*:*:quotas/*") & create.unwrap_or(0), 0);
        assert_ne!(
            t.matching("acs:odps:*:*:projects/*") & create.unwrap_or(0),
            0
        );
        assert_ne!(
            t.matching("acs:odps:12345:tenantUsers/*") & tenant.unwrap_or(0),
            0
        );
    }

    #[test]
    fn sub_spans_skip_the_quote() {
        let v = Spanned::new("abc".to_owned(), Span::new(10, 15));
        assert_eq!(sub_span(&v, 1, 2), Span::new(12, 13));
        let escaped = Spanned::new("a/c".to_owned(), Span::new(10, 16));
        assert_eq!(sub_span(&escaped, 1, 2), escaped.span);
    }
}
