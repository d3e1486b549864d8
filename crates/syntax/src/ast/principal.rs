//! Principals: who a statement is about.

use crate::span::{NodeSpan, Span};

/// A user-like principal, typed by its account provider. The provider
/// prefix is case-insensitive in the source and normalised here; the
/// account and name parts are kept apart and keep their case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Principal {
    /// Which provider the principal comes from, with its parts.
    pub kind: PrincipalKind,
    /// Where the principal was written.
    pub span: NodeSpan,
}

/// The account provider of a [`Principal`] and the parts of its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PrincipalKind {
    /// `ALIYUN$<account>`: an Alibaba Cloud account, by name or id.
    Aliyun {
        /// The account's name or id, after `ALIYUN$`.
        account: String,
    },
    /// `RAM$[<account>:]<name>`: a RAM user. Without an account it means
    /// a RAM user of the caller's own account.
    RamUser {
        /// The account the user belongs to, when written.
        account: Option<String>,
        /// The user's name within its account.
        name: String,
    },
    /// `` `RAM$<account>:role/<name>` ``: a RAM role (backticks required).
    RamRole {
        /// The account the role belongs to.
        account: String,
        /// The role's name, after `role/`.
        role: String,
    },
    /// `p4_<id>`: what a RAM user removed while holding roles leaves behind.
    Residue {
        /// The whole name, `p4_` included.
        id: String,
    },
    /// A name with no provider prefix (`alice`, `bob@aliyun.com`).
    Bare {
        /// The name as written.
        name: String,
    },
}

impl Principal {
    /// A principal made in code, with no position in a source.
    pub fn new(kind: PrincipalKind) -> Self {
        Principal {
            kind,
            span: NodeSpan::default(),
        }
    }

    /// The Alibaba Cloud account `account` (`ALIYUN$account`).
    pub fn aliyun(account: impl Into<String>) -> Self {
        Principal::new(PrincipalKind::Aliyun {
            account: account.into(),
        })
    }

    /// The RAM user `name`, of `account` or of the caller's own account.
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
    User {
        /// Whether the statement said `tenant user`.
        tenant: bool,
        /// The user.
        principal: Principal,
    },
    /// `role R` or `tenant role R`.
    Role {
        /// Whether it is a tenant role (`tenant role R`).
        tenant: bool,
        /// The role's name.
        name: super::Ident,
    },
    /// `group G` or `tenant group G`.
    Group {
        /// Whether it is a tenant group (`tenant group G`).
        tenant: bool,
        /// The group's name.
        name: super::Ident,
    },
}

impl Grantee {
    /// The project user `principal` (`user P`, not a tenant user).
    pub fn user(principal: Principal) -> Self {
        Grantee::User {
            tenant: false,
            principal,
        }
    }

    /// Where the grantee's name was written (the principal or the role or
    /// group name; a `role`/`group` keyword before it is not included).
    pub fn span(&self) -> Span {
        match self {
            Grantee::User { principal, .. } => *principal.span,
            Grantee::Role { name, .. } | Grantee::Group { name, .. } => *name.span,
        }
    }
}
