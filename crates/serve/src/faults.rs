//! Fault injection for tests: `--faults SPEC`.
//!
//! ```text
//! SPEC   := GROUP (';' GROUP)*
//! GROUP  := TARGET ':' RULE (',' RULE)*
//! RULE   := ACTION [':' WHEN]
//! TARGET := authorization | poll | users | roles | project | tenants | all
//! ACTION := <HTTP status 400-599>            answer with that status and an <Error>
//!         | delay=<N>ms | delay=<N>s         wait before handling
//!         | drop-before                      close the connection, do nothing
//!         | drop-after                       handle (and commit), then close unanswered
//! WHEN   := always (default) | once | every=N | first=N | nth=N
//! ```
//!
//! `authorization` is `POST /projects/{p}/authorization`, `poll` its
//! `GET …/authorization/{id}`, `users` and `roles` the REST reads,
//! `project` `GET /projects/{p}`, `tenants` `GET /tenants`, `all` any
//! request. Each rule counts the requests its target matches (1, 2, 3 …)
//! and fires on `once` (the 1st), `every=N` (the Nth, 2Nth …), `first=N`
//! (the first N) or `nth=N` (the Nth only). Delays add up; of the other
//! actions that fire on one request, the first listed wins.
//!
//! Example: `authorization:503:every=3,drop-after:once` drops the
//! connection after applying the first security query, and answers every
//! third with 503 ServiceUnavailable without applying it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::ServeError;

/// Which requests a rule watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultTarget {
    /// `POST /projects/{p}/authorization`.
    Authorization,
    /// `GET /projects/{p}/authorization/{id}`.
    Poll,
    /// `GET /projects/{p}/users…`.
    Users,
    /// `GET /projects/{p}/roles…`.
    Roles,
    /// `GET /projects/{p}`.
    Project,
    /// `GET /tenants`.
    Tenants,
    /// Every request.
    All,
}

impl FaultTarget {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "authorization" => Self::Authorization,
            "poll" => Self::Poll,
            "users" => Self::Users,
            "roles" => Self::Roles,
            "project" => Self::Project,
            "tenants" => Self::Tenants,
            "all" | "*" => Self::All,
            _ => return None,
        })
    }

    /// The target a request falls under (`path` below `/api`); `None` for
    /// requests no target but `all` names.
    pub fn classify(method: &http::Method, path: &str) -> Option<Self> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method.as_str(), parts.as_slice()) {
            ("POST", ["projects", _, "authorization"]) => Some(Self::Authorization),
            ("GET", ["projects", _, "authorization", _]) => Some(Self::Poll),
            ("GET", ["projects", _, "users", ..]) => Some(Self::Users),
            ("GET", ["projects", _, "roles", ..]) => Some(Self::Roles),
            ("GET", ["projects", _]) => Some(Self::Project),
            ("GET", ["tenants"]) => Some(Self::Tenants),
            _ => None,
        }
    }
}

/// What a rule does when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultAction {
    /// Answer with this HTTP status and an `<Error>`, without handling.
    Status(u16),
    /// Wait this long before handling.
    Delay(Duration),
    /// Close the connection without handling the request.
    DropBefore,
    /// Handle the request, then close the connection without answering.
    DropAfter,
}

/// When a rule fires, by the count of requests its target matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultWhen {
    /// Every matching request.
    Always,
    /// The first only.
    Once,
    /// The Nth, 2Nth, 3Nth …
    Every(u64),
    /// The first N.
    First(u64),
    /// The Nth only.
    Nth(u64),
}

impl FaultWhen {
    fn fires(self, n: u64) -> bool {
        match self {
            Self::Always => true,
            Self::Once => n == 1,
            Self::Every(k) => n.is_multiple_of(k),
            Self::First(k) => n <= k,
            Self::Nth(k) => n == k,
        }
    }
}

#[derive(Debug)]
struct Rule {
    target: FaultTarget,
    action: FaultAction,
    when: FaultWhen,
    seen: AtomicU64,
}

/// The fault plan of one server.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
}

/// What to do with one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    /// Total delay before handling.
    pub delay: Duration,
    /// A status, drop-before or drop-after that fired, if any.
    pub terminal: Option<FaultAction>,
}

impl Decision {
    /// A short description for the request log, e.g. `503` or `drop-after`.
    pub fn label(&self) -> Option<String> {
        let terminal = self.terminal.map(|t| match t {
            FaultAction::Status(s) => s.to_string(),
            FaultAction::DropBefore => "drop-before".into(),
            FaultAction::DropAfter => "drop-after".into(),
            FaultAction::Delay(_) => String::new(),
        });
        match (self.delay.is_zero(), terminal) {
            (true, t) => t,
            (false, None) => Some(format!("delay={}ms", self.delay.as_millis())),
            (false, Some(t)) => Some(format!("delay={}ms,{t}", self.delay.as_millis())),
        }
    }
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether there is no rule at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Parses a `--faults` specification (see the module docs).
    pub fn parse(spec: &str) -> Result<Self, ServeError> {
        let mut rules = Vec::new();
        for group in spec.split(';').map(str::trim).filter(|g| !g.is_empty()) {
            let bad = |message: String| ServeError::FaultsInvalid {
                spec: group.to_owned(),
                message,
            };
            let (target, rest) = group
                .split_once(':')
                .ok_or_else(|| bad("expected TARGET:ACTION".into()))?;
            let target = FaultTarget::parse(target.trim()).ok_or_else(|| {
                bad(format!(
                    "unknown target {:?}; expected authorization, poll, users, roles, project, tenants or all",
                    target.trim()
                ))
            })?;
            for rule in rest.split(',').map(str::trim) {
                let (action, when) = match rule.split_once(':') {
                    Some((a, w)) => (a.trim(), Some(w.trim())),
                    None => (rule, None),
                };
                let action = parse_action(action).map_err(&bad)?;
                let when = match when {
                    None => FaultWhen::Always,
                    Some(w) => parse_when(w).map_err(&bad)?,
                };
                rules.push(Rule {
                    target,
                    action,
                    when,
                    seen: AtomicU64::new(0),
                });
            }
        }
        Ok(Faults { rules })
    }

    /// [`Faults::decide`] for a request (`path` below `/api`), classified
    /// only when there are rules to match.
    pub(crate) fn decide_request(&self, method: &http::Method, path: &str) -> Decision {
        if self.rules.is_empty() {
            return Decision::default();
        }
        self.decide(FaultTarget::classify(method, path))
    }

    /// Counts a request of `target` (`None`: a request only `all` matches)
    /// against every rule and says what to do with it.
    pub(crate) fn decide(&self, target: Option<FaultTarget>) -> Decision {
        let mut decision = Decision::default();
        for rule in &self.rules {
            let matches = rule.target == FaultTarget::All || Some(rule.target) == target;
            if !matches {
                continue;
            }
            let n = rule.seen.fetch_add(1, Ordering::Relaxed).saturating_add(1);
            if !rule.when.fires(n) {
                continue;
            }
            match rule.action {
                FaultAction::Delay(d) => decision.delay = decision.delay.saturating_add(d),
                other => {
                    if decision.terminal.is_none() {
                        decision.terminal = Some(other);
                    }
                }
            }
        }
        decision
    }
}

fn parse_action(s: &str) -> Result<FaultAction, String> {
    if let Some(d) = s.strip_prefix("delay=") {
        return parse_duration(d).map(FaultAction::Delay);
    }
    match s {
        "drop-before" => Ok(FaultAction::DropBefore),
        "drop-after" => Ok(FaultAction::DropAfter),
        _ => match s.parse::<u16>() {
            Ok(status) if (400..=599).contains(&status) => Ok(FaultAction::Status(status)),
            _ => Err(format!(
                "unknown action {s:?}; expected a status 400-599, delay=<N>ms, drop-before or drop-after"
            )),
        },
    }
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let (digits, unit) = match s.strip_suffix("ms") {
        Some(d) => (d, 1),
        None => match s.strip_suffix('s') {
            Some(d) => (d, 1000),
            None => (s, 1),
        },
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("bad delay {s:?}; write e.g. delay=250ms or delay=2s"))?;
    let ms = n.saturating_mul(unit);
    if ms > 600_000 {
        return Err(format!("delay {s:?} is longer than 10 minutes"));
    }
    Ok(Duration::from_millis(ms))
}

fn parse_when(s: &str) -> Result<FaultWhen, String> {
    let count = |v: &str| -> Result<u64, String> {
        match v.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{s:?}: the count must be a whole number above 0")),
        }
    };
    if let Some(v) = s.strip_prefix("every=") {
        return count(v).map(FaultWhen::Every);
    }
    if let Some(v) = s.strip_prefix("first=") {
        return count(v).map(FaultWhen::First);
    }
    if let Some(v) = s.strip_prefix("nth=") {
        return count(v).map(FaultWhen::Nth);
    }
    match s {
        "always" => Ok(FaultWhen::Always),
        "once" => Ok(FaultWhen::Once),
        _ => Err(format!(
            "unknown condition {s:?}; expected always, once, every=N, first=N or nth=N"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terminals(f: &Faults, target: FaultTarget, n: usize) -> Vec<Option<FaultAction>> {
        (0..n).map(|_| f.decide(Some(target)).terminal).collect()
    }

    #[test]
    fn the_documented_example() {
        let f = Faults::parse("authorization:503:every=3,drop-after:once").expect("parses");
        use FaultAction::*;
        assert_eq!(
            terminals(&f, FaultTarget::Authorization, 7),
            [
                Some(DropAfter),
                None,
                Some(Status(503)),
                None,
                None,
                Some(Status(503)),
                None
            ]
        );
        // Other targets are not counted.
        assert_eq!(f.decide(Some(FaultTarget::Users)), Decision::default());
    }

    #[test]
    fn groups_delays_and_conditions() {
        let f = Faults::parse("users:delay=20ms; all:drop-before:nth=2 ; poll:500:first=2")
            .expect("parses");
        let d = f.decide(Some(FaultTarget::Users));
        assert_eq!(d.delay, Duration::from_millis(20));
        assert_eq!(d.terminal, None);
        assert_eq!(d.label().as_deref(), Some("delay=20ms"));
        let d = f.decide(Some(FaultTarget::Poll));
        assert_eq!(d.terminal, Some(FaultAction::DropBefore));
        assert_eq!(d.label().as_deref(), Some("drop-before"));
        assert_eq!(
            f.decide(Some(FaultTarget::Poll)).terminal,
            Some(FaultAction::Status(500))
        );
        assert_eq!(f.decide(Some(FaultTarget::Poll)).terminal, None);
        assert_eq!(f.decide(None).terminal, None);
        let f = Faults::parse("all:delay=1s").expect("parses");
        assert_eq!(f.decide(None).delay, Duration::from_secs(1));
        assert!(Faults::parse("").expect("empty").is_empty());
    }

    #[test]
    fn bad_specs_are_refused_with_the_group() {
        for bad in [
            "authorization",
            "nowhere:503",
            "users:200",
            "users:explode",
            "users:503:sometimes",
            "users:503:every=0",
            "users:delay=fast",
            "users:delay=11000s",
        ] {
            match Faults::parse(bad) {
                Err(ServeError::FaultsInvalid { spec, .. }) => assert_eq!(spec, bad),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn classifies_requests() {
        use http::Method;
        let c = FaultTarget::classify;
        assert_eq!(
            c(&Method::POST, "/projects/p/authorization"),
            Some(FaultTarget::Authorization)
        );
        assert_eq!(
            c(&Method::GET, "/projects/p/authorization/123"),
            Some(FaultTarget::Poll)
        );
        assert_eq!(
            c(&Method::GET, "/projects/p/users/RAM$a:b"),
            Some(FaultTarget::Users)
        );
        assert_eq!(
            c(&Method::GET, "/projects/p/roles"),
            Some(FaultTarget::Roles)
        );
        assert_eq!(c(&Method::GET, "/projects/p"), Some(FaultTarget::Project));
        assert_eq!(c(&Method::GET, "/tenants"), Some(FaultTarget::Tenants));
        assert_eq!(c(&Method::GET, "/logview/host"), None);
    }
}
