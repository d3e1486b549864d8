//! A set of policies compiled for simulation, and the decision procedure.
//!
//! A request is decided in RAM's order: an applicable Deny statement denies it explicitly;
//! otherwise an applicable Allow statement allows it; otherwise the RAM permission table's default allows
//! `odps:ListProjects` and `odps:GetProject`; otherwise it is implicitly denied. A statement
//! applies when its action, its resource and every one of its conditions match.

use serde::Serialize;

use super::codes::SimulateCode;
use super::condition::{self, Miss};
use super::request::Request;
use crate::catalog::{self, ACTIONS, DEFAULT_ALLOWED_ACTIONS};
use crate::glob::{Case, Glob};
use crate::model::{Dialect, Effect, Patterns, PolicyDocument, parse_policy_str};
use crate::{Finding, ParseOptions};

/// The answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Allowed, by a statement or by the RAM permission table's default.
    Allow,
    /// Refused by a Deny statement.
    ExplicitDeny,
    /// Refused because nothing allows it.
    ImplicitDeny,
}

/// A statement of a policy in a [`PolicySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct StatementRef {
    /// Index of the policy in the set, in the order added.
    pub policy: usize,
    /// Index of the statement in its policy, from 0.
    pub statement: usize,
}

/// What decided a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// This statement applied.
    Statement(StatementRef),
    /// No statement applied and the RAM permission table's default for ListProjects and GetProject allowed
    /// it: the caller sees only the projects they were added to.
    DefaultProjectVisibility,
    /// No statement applied.
    NoStatementApplied,
}

/// A decision; cheap to compute and to copy. [`PolicySet::explain`] says more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Decision {
    /// Allow, explicit or implicit deny.
    pub outcome: Outcome,
    /// Why.
    pub basis: Basis,
}

/// Why a policy cannot be added to a set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulateError {
    /// The document has error findings from reading it.
    #[error("policy {name} has {errors} error(s); fix them before simulating")]
    InvalidPolicy {
        /// The policy's name.
        name: String,
        /// How many errors.
        errors: usize,
    },
    /// Project-level policies name principals; simulation covers RAM policies.
    #[error("policy {0} is a project-level policy; only RAM policies can be simulated")]
    UnsupportedDialect(String),
    /// No system policy of that name.
    #[error("unknown system policy {0}")]
    UnknownSystemPolicy(String),
    /// A built-in system policy did not read; a bug in the catalogue.
    #[error("system policy {name} does not read: {finding}")]
    BrokenSystemPolicy {
        /// The policy.
        name: String,
        /// The problem.
        finding: Box<Finding>,
    },
}

impl SimulateError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The catalogue entry of this error.
    pub fn kind(&self) -> SimulateCode {
        match self {
            SimulateError::InvalidPolicy { .. } => SimulateCode::InvalidPolicy,
            SimulateError::UnsupportedDialect(_) => SimulateCode::UnsupportedDialect,
            SimulateError::UnknownSystemPolicy(_) => SimulateCode::UnknownSystemPolicy,
            SimulateError::BrokenSystemPolicy { .. } => SimulateCode::BrokenSystemPolicy,
        }
    }
}

impl mcauth_codes::Coded for SimulateError {
    fn entry(&self) -> mcauth_codes::Entry {
        self.kind().entry()
    }
}

mcauth_codes::diagnostic!(SimulateError);

/// `Action`/`Resource` lists compiled to wildcards.
#[derive(Debug, Clone)]
pub(super) struct Matcher {
    negated: bool,
    any: bool,
    globs: Box<[Glob]>,
}

impl Matcher {
    pub(super) fn new(patterns: Option<&Patterns>, case: Case) -> Matcher {
        let items = patterns.map_or(&[][..], |p| p.items.as_slice());
        let globs: Box<[Glob]> = items.iter().map(|i| Glob::new(&i.value, case)).collect();
        Matcher {
            negated: patterns.is_some_and(|p| p.negated),
            any: globs.iter().any(Glob::is_any),
            globs,
        }
    }

    pub(super) fn matches(&self, text: &str) -> bool {
        (self.any || self.globs.iter().any(|g| g.matches(text))) != self.negated
    }
}

/// A statement ready to evaluate.
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    pub(super) at: StatementRef,
    pub(super) line: usize,
    pub(super) effect: Effect,
    pub(super) actions: Matcher,
    pub(super) resources: Matcher,
    pub(super) conditions: Box<[condition::Compiled]>,
}

/// Why a statement did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Skip {
    Action,
    Resource,
    Condition(usize, Miss),
}

impl Compiled {
    /// Whether the statement applies to `request`, given that its action matched.
    fn applies(&self, request: &Request) -> Result<(), Skip> {
        if !self.resources.matches(&request.resource) {
            return Err(Skip::Resource);
        }
        for (i, c) in self.conditions.iter().enumerate() {
            c.eval(request.context_values(&c.key))
                .map_err(|miss| Skip::Condition(i, miss))?;
        }
        Ok(())
    }

    pub(super) fn check(&self, request: &Request) -> Result<(), Skip> {
        if !self.actions.matches(&request.action) {
            return Err(Skip::Action);
        }
        self.applies(request)
    }
}

/// One policy of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyInfo {
    /// Its name: a file name, or `system:<Name>` for system policies.
    pub name: String,
}

/// Appends the name of `doc` to `policies`, unless it has reading
/// errors: the index of the policy.
pub(super) fn register(
    policies: &mut Vec<PolicyInfo>,
    name: String,
    doc: &PolicyDocument,
) -> Result<usize, SimulateError> {
    let errors = doc.problems().iter().filter(|f| f.is_error()).count();
    if errors > 0 {
        return Err(SimulateError::InvalidPolicy { name, errors });
    }
    policies.push(PolicyInfo { name });
    Ok(policies.len() - 1)
}

/// Policies compiled for simulation. Build it once, then decide many requests.
#[derive(Debug, Clone)]
pub struct PolicySet {
    pub(super) policies: Vec<PolicyInfo>,
    pub(super) statements: Vec<Compiled>,
    /// For each catalogued action, the statements whose `Action` matches it, in order.
    by_action: Vec<Vec<u32>>,
    /// Case-folded hashes of the catalogued action names, sorted, with their index.
    lookup: Vec<(u64, usize)>,
    /// Indexes of the RAM permission table's default-allowed actions.
    defaults: Vec<usize>,
}

/// FNV-1a over ASCII-lowercased bytes.
fn folded_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The same as [`PolicySet::new`]: a derived default would leave out the
/// action index and the RAM permission table's defaults, and decide differently.
impl Default for PolicySet {
    fn default() -> Self {
        Self::new()
    }
}

impl PolicySet {
    /// An empty set: every request is implicitly denied, except the RAM permission table's defaults.
    pub fn new() -> Self {
        let mut lookup: Vec<(u64, usize)> = ACTIONS
            .iter()
            .enumerate()
            .map(|(i, a)| (folded_hash(a.name), i))
            .collect();
        lookup.sort_unstable();
        PolicySet {
            policies: Vec::new(),
            statements: Vec::new(),
            by_action: vec![Vec::new(); ACTIONS.len()],
            lookup,
            defaults: DEFAULT_ALLOWED_ACTIONS
                .iter()
                .filter_map(|a| catalog::action_index(a))
                .collect(),
        }
    }

    /// Adds a policy read by [`crate::parse_policy`] under `name` (shown in explanations).
    /// Returns its index. Documents with reading errors, and project-level policies, are
    /// refused.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        doc: &PolicyDocument,
    ) -> Result<usize, SimulateError> {
        let name = name.into();
        if doc.dialect != Dialect::Ram {
            return Err(SimulateError::UnsupportedDialect(name));
        }
        let policy = register(&mut self.policies, name, doc)?;
        for s in &doc.statements {
            let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
                continue;
            };
            let compiled = Compiled {
                at: StatementRef {
                    policy,
                    statement: s.index,
                },
                line: doc.line(s.span.start),
                effect,
                actions: Matcher::new(s.action.as_ref(), Case::Insensitive),
                resources: Matcher::new(s.resource.as_ref(), Case::Sensitive),
                conditions: s.conditions.iter().map(condition::Compiled::new).collect(),
            };
            let id = u32::try_from(self.statements.len()).unwrap_or(u32::MAX);
            for (i, action) in ACTIONS.iter().enumerate() {
                if compiled.actions.matches(action.name)
                    && let Some(list) = self.by_action.get_mut(i)
                {
                    list.push(id);
                }
            }
            self.statements.push(compiled);
        }
        Ok(policy)
    }

    /// Adds the system policy `name` (see [`crate::system_policy`]) as `system:<name>`.
    pub fn add_system_policy(&mut self, name: &str) -> Result<usize, SimulateError> {
        let policy = catalog::system_policy(name)
            .ok_or_else(|| SimulateError::UnknownSystemPolicy(name.to_owned()))?;
        let doc = parse_policy_str(policy.document, &ParseOptions::default()).map_err(|f| {
            SimulateError::BrokenSystemPolicy {
                name: name.to_owned(),
                finding: Box::new(f),
            }
        })?;
        self.add(format!("system:{name}"), &doc)
    }

    /// The policies, in the order added.
    pub fn policies(&self) -> &[PolicyInfo] {
        &self.policies
    }

    /// The number of statements that can apply.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    fn action_index(&self, action: &str) -> Option<usize> {
        let h = folded_hash(action);
        let start = self.lookup.partition_point(|(k, _)| *k < h);
        self.lookup
            .get(start..)?
            .iter()
            .take_while(|(k, _)| *k == h)
            .map(|(_, i)| *i)
            .find(|i| {
                ACTIONS
                    .get(*i)
                    .is_some_and(|a| a.name.eq_ignore_ascii_case(action))
            })
    }

    /// Decides `request`. Allocates nothing.
    pub fn simulate(&self, request: &Request) -> Decision {
        let index = self.action_index(&request.action);
        let mut allow = None;
        let mut decide = |s: &Compiled| -> Option<Decision> {
            if s.effect == Effect::Deny {
                return Some(Decision {
                    outcome: Outcome::ExplicitDeny,
                    basis: Basis::Statement(s.at),
                });
            }
            allow.get_or_insert(s.at);
            None
        };
        match index.and_then(|i| self.by_action.get(i)) {
            Some(candidates) => {
                for &id in candidates {
                    if let Some(s) = self.statements.get(id as usize)
                        && s.applies(request).is_ok()
                        && let Some(d) = decide(s)
                    {
                        return d;
                    }
                }
            }
            None => {
                for s in &self.statements {
                    if s.check(request).is_ok()
                        && let Some(d) = decide(s)
                    {
                        return d;
                    }
                }
            }
        }
        match allow {
            Some(at) => Decision {
                outcome: Outcome::Allow,
                basis: Basis::Statement(at),
            },
            None if index.is_some_and(|i| self.defaults.contains(&i)) => Decision {
                outcome: Outcome::Allow,
                basis: Basis::DefaultProjectVisibility,
            },
            None => Decision {
                outcome: Outcome::ImplicitDeny,
                basis: Basis::NoStatementApplied,
            },
        }
    }

    /// Decides each request in turn.
    pub fn simulate_batch(&self, requests: &[Request]) -> Vec<Decision> {
        requests.iter().map(|r| self.simulate(r)).collect()
    }
}
