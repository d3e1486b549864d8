//! Principals: who a statement is about.

use crate::span::{NodeSpan, Span};

/// A user-like principal, typed by its account provider. The provider
/// prefix is case-insensitive in the source and normalised here; the
/// account and name parts are kept apart and keep their case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PrincipalKind {
    /// `ALIYUN$<account>`: an Alibaba Cloud account, by name or id.
    Aliyun { account: String },
    /// `RAM$[<account>:]<name>`: a RAM user. Without an account it means
    /// a RAM user of the caller's own account.
    RamUser {
        account: Option<String>,
        name: String,
    },
    /// `` `RAM$<account>:role/<name>` ``: a RAM role (backticks required).
    RamRole { account: String, role: String },
    /// `p4_<id>`: what a RAM user removed while holding roles leaves behind.
    Residue { id: String },
    /// A name with no provider prefix (`alice`, `bob@aliyun.com`).
    Bare { name: String },
}

impl Principal {
    pub fn new(kind: PrincipalKind) -> Self {
        Principal {
            kind,
            span: NodeSpan::default(),
        }
    }

    pub fn aliyun(account: impl Into<String>) -> Self {
        Principal::new(PrincipalKind::Aliyun {
            account: account.into(),
        })
    }

    pub fn ram_user(account: Option<&str>, name: impl Into<String>) -> Self {
        Principal::new(PrincipalKind::RamUser {
            account: account.map(str::to_owned),
            name: name.into(),
        })
    }

    /// Whether this principal comes from the RAM account provider.
    pub fn is_ram(&self) -> bool {
        matches!(
            self.kind,
            PrincipalKind::RamUser { .. } | PrincipalKind::RamRole { .. }
        )
    }

    /// The text of the principal without any quoting, e.g.
    /// `RAM$acct:role/name`.
    pub fn text(&self) -> String {
        match &self.kind {
            PrincipalKind::Aliyun { account } => format!("ALIYUN${account}"),
            PrincipalKind::RamUser {
                account: Some(account),
                name,
            } => {
                format!("RAM${account}:{name}")
            }
            PrincipalKind::RamUser {
                account: None,
                name,
            } => format!("RAM${name}"),
            PrincipalKind::RamRole { account, role } => format!("RAM${account}:role/{role}"),
            PrincipalKind::Residue { id } => id.clone(),
            PrincipalKind::Bare { name } => name.clone(),
        }
    }
}

/// The target of a grant, a revoke or a query: `principalName` in the SDK
/// grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Grantee {
    /// `[user] P` or `tenant user P`.
    User { tenant: bool, principal: Principal },
    /// `role R` or `tenant role R`.
    Role { tenant: bool, name: super::Ident },
    /// `group G` or `tenant group G`.
    Group { tenant: bool, name: super::Ident },
}

impl Grantee {
    pub fn user(principal: Principal) -> Self {
        Grantee::User {
            tenant: false,
            principal,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Grantee::User { principal, .. } => *principal.span,
            Grantee::Role { name, .. } | Grantee::Group { name, .. } => *name.span,
        }
    }
}
