//! Statements that never change a decision: exact duplicates, and statements another one
//! covers (same effect and at least the same actions, resources and conditions, or an
//! unconditional Deny of everything an Allow grants).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::actions::ActionSet;
use crate::finding::{Code, Finding};
use crate::glob::{Case, covers, literal_triples};
use crate::model::{Effect, Operator, Statement};
use crate::span::Span;

/// FNV-1a: the keys are short strings from one document, so there is no attacker to keep
/// out with SipHash's random keys, and FNV hashes them several times faster.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// How many statement pairs to compare before giving up on a huge policy.
const PAIR_BUDGET: usize = 500_000;

/// A statement reduced to what decides its meaning.
struct Shape<'a> {
    index: usize,
    span: Span,
    effect: Effect,
    actions: &'a ActionSet,
    resources: Vec<&'a str>,
    /// [`literal_triples`] of each resource.
    triples: Vec<u64>,
    conditions: Vec<(Operator, String, Vec<&'a str>)>,
}

#[derive(PartialEq, Eq, Hash)]
struct Canonical<'a> {
    effect: Effect,
    actions: &'a ActionSet,
    resources: &'a [&'a str],
    conditions: &'a [(Operator, String, Vec<&'a str>)],
}

fn shape<'a>(statement: &'a Statement, actions: Option<&'a ActionSet>) -> Option<Shape<'a>> {
    let effect = statement.effect.as_ref()?.value;
    let actions = actions.filter(|a| a.complete && !a.negated)?;
    let resource = statement.resource.as_ref().filter(|r| !r.negated)?;
    let mut resources: Vec<&str> = resource.items.iter().map(|i| i.value.as_str()).collect();
    resources.sort_unstable();
    resources.dedup();
    let mut conditions: Vec<_> = statement
        .conditions
        .iter()
        .map(|c| {
            let mut values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
            values.sort_unstable();
            values.dedup();
            (c.operator.value, c.key.value.to_ascii_lowercase(), values)
        })
        .collect();
    conditions.sort();
    let triples = resources.iter().map(|r| literal_triples(r)).collect();
    Some(Shape {
        index: statement.index,
        span: statement.span,
        effect,
        actions,
        resources,
        triples,
        conditions,
    })
}

fn actions_cover(a: &ActionSet, b: &ActionSet) -> bool {
    a.universal
        || (!b.universal
            && b.bits & !a.bits == 0
            && b.foreign
                .iter()
                .all(|f| a.foreign.iter().any(|g| covers(g, f, Case::Insensitive))))
}

fn resources_cover(a: &Shape<'_>, b: &Shape<'_>) -> bool {
    b.resources.iter().zip(&b.triples).all(|(r, rt)| {
        a.resources
            .iter()
            .zip(&a.triples)
            .any(|(s, st)| st & !rt == 0 && covers(s, r, Case::Sensitive))
    })
}

/// Why `b` never matters given `a`, if it doesn't.
fn shadows(a: &Shape<'_>, b: &Shape<'_>) -> Option<&'static str> {
    let kind = if a.effect == b.effect && (a.conditions.is_empty() || a.conditions == b.conditions)
    {
        "redundant"
    } else if a.effect == Effect::Deny && b.effect == Effect::Allow && a.conditions.is_empty() {
        "denied"
    } else {
        return None;
    };
    if !actions_cover(a.actions, b.actions) || !resources_cover(a, b) {
        return None;
    }
    if kind == "redundant" && a.index > b.index && shadows_back(b, a) {
        // Each covers the other: report only the later one.
        return None;
    }
    Some(kind)
}

fn shadows_back(a: &Shape<'_>, b: &Shape<'_>) -> bool {
    (a.conditions.is_empty() || a.conditions == b.conditions)
        && actions_cover(a.actions, b.actions)
        && resources_cover(a, b)
}

/// Reports duplicated and shadowed statements.
pub fn check(
    statements: &[Statement],
    actions: &[Option<ActionSet>],
    document: Span,
    out: &mut Vec<Finding>,
) {
    let shapes: Vec<Shape<'_>> = statements
        .iter()
        .zip(actions)
        .filter_map(|(s, a)| shape(s, a.as_ref()))
        .collect();
    let mut first: HashMap<Canonical<'_>, usize, BuildHasherDefault<Fnv>> = HashMap::default();
    let mut reported = vec![false; shapes.len()];
    for (i, s) in shapes.iter().enumerate() {
        let key = Canonical {
            effect: s.effect,
            actions: s.actions,
            resources: &s.resources,
            conditions: &s.conditions,
        };
        if let Some(&j) = first.get(&key) {
            let original = &shapes[j];
            out.push(
                Finding::new(
                    Code::DuplicateStatement,
                    s.span,
                    format!(
                        "statement {} repeats statement {}",
                        s.index + 1,
                        original.index + 1
                    ),
                )
                .label("duplicate")
                .related(original.span, "same statement here")
                .help("remove one of them"),
            );
            reported[i] = true;
        } else {
            first.insert(key, i);
        }
    }
    // Compare only groups whose actions can cover each other.
    let mut groups: Vec<(&ActionSet, Vec<usize>)> = Vec::new();
    for (i, s) in shapes.iter().enumerate() {
        match groups.iter_mut().find(|(a, _)| *a == s.actions) {
            Some((_, members)) => members.push(i),
            None => groups.push((s.actions, vec![i])),
        }
    }
    let mut budget = PAIR_BUDGET;
    for (outer, outer_members) in &groups {
        for (inner, inner_members) in &groups {
            if !actions_cover(outer, inner) {
                continue;
            }
            for &b in inner_members {
                if reported[b] {
                    continue;
                }
                for &a in outer_members {
                    if a == b || reported[a] && shapes[a].effect == shapes[b].effect {
                        continue;
                    }
                    if budget == 0 {
                        out.push(
                            Finding::new(
                                Code::AnalysisLimit,
                                Span::new(document.start, document.start + 1),
                                format!(
                                    "stopped looking for shadowed statements after {PAIR_BUDGET} comparisons"
                                ),
                            )
                            .label("large policy")
                            .help("split the policy into smaller ones to have every statement checked"),
                        );
                        return;
                    }
                    budget -= 1;
                    let (sa, sb) = (&shapes[a], &shapes[b]);
                    let Some(kind) = shadows(sa, sb) else {
                        continue;
                    };
                    let message = if kind == "denied" {
                        format!(
                            "statement {} never allows anything: statement {} denies all of it",
                            sb.index + 1,
                            sa.index + 1
                        )
                    } else {
                        format!(
                            "statement {} is redundant: statement {} already {} all of it",
                            sb.index + 1,
                            sa.index + 1,
                            if sa.effect == Effect::Allow {
                                "allows"
                            } else {
                                "denies"
                            }
                        )
                    };
                    out.push(
                        Finding::new(Code::ShadowedStatement, sb.span, message)
                            .label("shadowed")
                            .related(sa.span, "covered by this statement")
                            .help(
                                "remove the shadowed statement, or narrow the one that covers it",
                            ),
                    );
                    reported[b] = true;
                    break;
                }
            }
        }
    }
}
