//! Normalised names: principals, roles, account providers and grantees.
//!
//! Principals are kept in their display form (`ALIYUN$x`, `RAM$<account>:<name>`,
//! `RAM$<account>:role/<name>`, `p4_…`). The provider prefix is upper-case;
//! the account and name keep the case they were first written with.
//!
//! **Choice (the docs leave it open, docs/language.md#lexical-rules):** principals are
//! *compared* ASCII-case-insensitively, so `ALIYUN$Bob@x.com` and
//! `ALIYUN$bob@x.com` are one member, displayed as first added. Role names
//! are case-insensitive and kept lower-case.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use mcauth_syntax::ast::PrincipalKind;
use serde::{Deserialize, Serialize};

/// An account provider: the identity systems a project recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Provider {
    /// Alibaba Cloud accounts (`ALIYUN$name`).
    Aliyun,
    /// RAM users and roles of an account (`RAM$account:user`).
    Ram,
}

impl Provider {
    /// Both providers, in the order `list accountproviders` prints them.
    pub const ALL: [Provider; 2] = [Provider::Aliyun, Provider::Ram];

    /// The name as `list accountproviders` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aliyun => "ALIYUN",
            Provider::Ram => "RAM",
        }
    }

    /// Case-insensitive lookup (`ram`, `RAM`).
    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of principal a [`PrincipalId`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalClass {
    /// `ALIYUN$<account>`
    Aliyun,
    /// `RAM$<account>:<name>`
    RamUser,
    /// `RAM$<account>:role/<name>`
    RamRole,
    /// `p4_…`
    Residue,
    /// Anything else (a name with no provider).
    Other,
}

/// A principal in display form; compared case-insensitively.
///
/// Comparison uses a folded key (provider upper-case, the rest lower-case),
/// kept only when it differs from the display text, so that lookups in
/// ordered maps compare plain bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct PrincipalId {
    text: Arc<str>,
    key: Option<Arc<str>>,
    /// A hash of the key, computed once: maps hash principals often.
    hash: u64,
    /// Where the `:` of `RAM$<account>:<name>` is in `text`;
    /// [`NO_ACCOUNT`] for other principals (or when it cannot be indexed).
    account_end: u32,
    class: PrincipalClass,
}

/// `PrincipalId::account_end` when there is no `:` to point at.
const NO_ACCOUNT: u32 = u32::MAX;

/// Principals up to this long are assembled on the stack, so that making
/// one costs a single allocation.
const STACK_TEXT: usize = 128;

impl From<String> for PrincipalId {
    fn from(text: String) -> Self {
        PrincipalId::from_text(&text)
    }
}

impl From<PrincipalId> for String {
    fn from(p: PrincipalId) -> Self {
        p.text.to_string()
    }
}

impl PrincipalId {
    /// Concatenates `parts` into one shared text (one allocation when short).
    fn join(parts: &[&str]) -> Arc<str> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len <= STACK_TEXT {
            let mut buf = [0u8; STACK_TEXT];
            let mut at = 0;
            for p in parts {
                buf[at..at + p.len()].copy_from_slice(p.as_bytes());
                at += p.len();
            }
            // Whole `str`s end to end are UTF-8; the check cannot fail.
            if let Ok(text) = std::str::from_utf8(&buf[..len]) {
                return Arc::from(text);
            }
        }
        let mut text = String::with_capacity(len);
        for p in parts {
            text.push_str(p);
        }
        Arc::from(text)
    }

    fn from_text(text: &str) -> Self {
        PrincipalId::from_shared(Arc::from(text))
    }

    /// Classifies `text` and folds its case for comparison.
    fn from_shared(text: Arc<str>) -> Self {
        let bytes = text.as_bytes();
        // Folds (not `any`) so that the case scans vectorise.
        let has = |part: &[u8], test: fn(&u8) -> bool| part.iter().fold(false, |a, b| a | test(b));
        let dollar = bytes.iter().position(|&b| b == b'$');
        let (before, after) = bytes.split_at(dollar.unwrap_or(bytes.len()));
        // The first `:` after the first `$`.
        let colon = match dollar {
            Some(d) => after.iter().position(|&b| b == b':').map(|c| d + c),
            None => None,
        };
        let (class, account_end) = if bytes.starts_with(b"ALIYUN$") {
            (PrincipalClass::Aliyun, NO_ACCOUNT)
        } else if bytes.starts_with(b"RAM$") {
            match colon {
                Some(c) => {
                    let class = if bytes[c + 1..].starts_with(b"role/") {
                        PrincipalClass::RamRole
                    } else {
                        PrincipalClass::RamUser
                    };
                    (class, u32::try_from(c).unwrap_or(NO_ACCOUNT))
                }
                None => (PrincipalClass::RamUser, NO_ACCOUNT),
            }
        } else if bytes.len() > 3 && bytes[..3].eq_ignore_ascii_case(b"p4_") {
            (PrincipalClass::Residue, NO_ACCOUNT)
        } else {
            (PrincipalClass::Other, NO_ACCOUNT)
        };
        let key: Option<Arc<str>> = match dollar {
            Some(i)
                if has(before, u8::is_ascii_lowercase) || has(after, u8::is_ascii_uppercase) =>
            {
                let (prefix, rest) = text.split_at(i);
                let mut k = prefix.to_ascii_uppercase();
                k.push_str(&rest.to_ascii_lowercase());
                Some(Arc::from(k))
            }
            None if has(bytes, u8::is_ascii_uppercase) => {
                Some(Arc::from(text.to_ascii_lowercase()))
            }
            _ => None,
        };
        let hash = fold_hash(key.as_deref().unwrap_or(&text));
        PrincipalId {
            text,
            key,
            hash,
            account_end,
            class,
        }
    }

    fn key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.text)
    }

    /// `ALIYUN$<account>`.
    pub fn aliyun(account: &str) -> Self {
        PrincipalId::from_shared(PrincipalId::join(&["ALIYUN$", account]))
    }

    /// `RAM$<account>:<name>`.
    pub fn ram_user(account: &str, name: &str) -> Self {
        PrincipalId::from_shared(PrincipalId::join(&["RAM$", account, ":", name]))
    }

    /// `RAM$<account>:role/<name>`.
    pub fn ram_role(account: &str, role: &str) -> Self {
        PrincipalId::from_shared(PrincipalId::join(&["RAM$", account, ":role/", role]))
    }

    /// The display id of a parsed principal. `RAM$name` takes
    /// `default_account` (the caller's account). A bare name is kept as
    /// written; the rules resolve it against the members.
    pub fn from_kind(kind: &PrincipalKind, default_account: &str) -> Self {
        match kind {
            PrincipalKind::Aliyun { account } => PrincipalId::aliyun(account),
            PrincipalKind::RamUser { account, name } => {
                PrincipalId::ram_user(account.as_deref().unwrap_or(default_account), name)
            }
            PrincipalKind::RamRole { account, role } => PrincipalId::ram_role(account, role),
            PrincipalKind::Residue { id } => PrincipalId::from_text(id),
            PrincipalKind::Bare { name } => PrincipalId::from_text(name),
        }
    }

    /// Reads a principal written by hand (`--as`, configuration): the
    /// provider prefix is matched case-insensitively and upper-cased;
    /// `RAM$name` takes `default_account`. Returns `None` for an empty
    /// name or an empty part.
    pub fn parse(text: &str, default_account: &str) -> Option<Self> {
        let text = text.trim().trim_matches('`');
        if text.is_empty() {
            return None;
        }
        let Some((provider, rest)) = text.split_once('$') else {
            return Some(PrincipalId::from_text(text));
        };
        if rest.is_empty() {
            return None;
        }
        match Provider::from_name(provider)? {
            Provider::Aliyun => Some(PrincipalId::aliyun(rest)),
            Provider::Ram => match rest.split_once(':') {
                Some((account, name)) if !account.is_empty() && !name.is_empty() => {
                    match name.strip_prefix("role/") {
                        Some(role) if !role.is_empty() => {
                            Some(PrincipalId::ram_role(account, role))
                        }
                        _ => Some(PrincipalId::ram_user(account, name)),
                    }
                }
                Some(_) => None,
                None if default_account.is_empty() => None,
                None => Some(PrincipalId::ram_user(default_account, rest)),
            },
        }
    }

    /// The principal as MaxCompute prints it, e.g. `RAM$owner@x.com:bob`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What kind of principal this is.
    pub fn class(&self) -> PrincipalClass {
        self.class
    }

    /// Whether the RAM account provider is needed for this principal.
    pub fn is_ram(&self) -> bool {
        matches!(
            self.class(),
            PrincipalClass::RamUser | PrincipalClass::RamRole
        )
    }

    /// The Alibaba Cloud account this principal belongs to, if it names one.
    pub fn account(&self) -> Option<&str> {
        match self.class {
            PrincipalClass::Aliyun => self.text.get("ALIYUN$".len()..),
            PrincipalClass::RamUser | PrincipalClass::RamRole => self.ram_parts().map(|(a, _)| a),
            PrincipalClass::Residue | PrincipalClass::Other => None,
        }
    }

    /// The name without its provider and account (`bob` for `RAM$a:bob`).
    pub fn short_name(&self) -> &str {
        match self.class {
            PrincipalClass::Aliyun => self.text.get("ALIYUN$".len()..).unwrap_or_default(),
            PrincipalClass::RamUser | PrincipalClass::RamRole => match self.ram_parts() {
                Some((_, name)) => name,
                None => self.text.get("RAM$".len()..).unwrap_or_default(),
            },
            PrincipalClass::Residue | PrincipalClass::Other => &self.text,
        }
    }

    /// `(account, name)` of `RAM$<account>:<name>`.
    fn ram_parts(&self) -> Option<(&str, &str)> {
        let rest = self.text.get("RAM$".len()..)?;
        if self.account_end == NO_ACCOUNT {
            return rest.split_once(':');
        }
        let colon = usize::try_from(self.account_end).ok()? - "RAM$".len();
        Some((rest.get(..colon)?, rest.get(colon + 1..)?))
    }

    /// The text to write in a statement: RAM roles need backticks.
    pub fn to_statement_text(&self) -> String {
        if self.class() == PrincipalClass::RamRole {
            format!("`{}`", self.text)
        } else {
            self.text.to_string()
        }
    }
}

impl PartialEq for PrincipalId {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for PrincipalId {}

impl Ord for PrincipalId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(other.key())
    }
}

impl PartialOrd for PrincipalId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for PrincipalId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A hash of the folded key, eight bytes at a time (the FxHash mix, then
/// a final avalanche so that the low bits hash tables use are well mixed).
/// Its value never shows: it only places principals in hash maps.
fn fold_hash(key: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let bytes = key.as_bytes();
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

impl fmt::Display for PrincipalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A role name, lower-cased (role names are case-insensitive and listed
/// in lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct RoleName(Arc<str>);

impl RoleName {
    /// The built-in admin role's name.
    pub const ADMIN: &'static str = "admin";
    /// The built-in super administrator role's name.
    pub const SUPER_ADMINISTRATOR: &'static str = "super_administrator";

    /// The role named `name`, in lower case.
    pub fn new(name: &str) -> Self {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            RoleName(Arc::from(name.to_ascii_lowercase()))
        } else {
            RoleName(Arc::from(name))
        }
    }

    /// The built-in `admin` role.
    pub fn admin() -> Self {
        RoleName(Arc::from(Self::ADMIN))
    }

    /// The built-in `super_administrator` role.
    pub fn super_administrator() -> Self {
        RoleName(Arc::from(Self::SUPER_ADMINISTRATOR))
    }

    /// The name, in lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `admin` or `super_administrator`.
    pub fn is_builtin(&self) -> bool {
        &*self.0 == Self::ADMIN || &*self.0 == Self::SUPER_ADMINISTRATOR
    }
}

impl From<String> for RoleName {
    fn from(s: String) -> Self {
        RoleName::new(&s)
    }
}

impl From<RoleName> for String {
    fn from(r: RoleName) -> Self {
        r.0.to_string()
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who holds an ACL grant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum GranteeId {
    /// A user of the project.
    User(PrincipalId),
    /// A project role.
    Role(RoleName),
    /// A tenant role that counts in the project.
    TenantRole(RoleName),
}

impl GranteeId {
    /// The name MaxCompute prints: the principal, or the role name.
    pub fn name(&self) -> &str {
        match self {
            GranteeId::User(p) => p.as_str(),
            GranteeId::Role(r) | GranteeId::TenantRole(r) => r.as_str(),
        }
    }

    /// The form a statement takes after `to`/`from`: `RAM$a:b`, `role worker`.
    pub fn to_statement_text(&self) -> String {
        match self {
            GranteeId::User(p) => p.to_statement_text(),
            GranteeId::Role(r) => format!("role {r}"),
            GranteeId::TenantRole(r) => format!("tenant role {r}"),
        }
    }
}

impl GranteeId {
    /// The [`Display`](fmt::Display) text into any writer.
    pub(crate) fn write_display<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        let (prefix, name) = match self {
            GranteeId::User(p) => ("user/", p.as_str()),
            GranteeId::Role(r) => ("role/", r.as_str()),
            GranteeId::TenantRole(r) => ("tenant_role/", r.as_str()),
        };
        w.write_str(prefix)?;
        w.write_str(name)
    }
}

impl fmt::Display for GranteeId {
    /// `user/<principal>`, `role/<role>`, as in `show grants` and `show acl`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_display(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_compare_case_insensitively_and_keep_their_case() {
        let a = PrincipalId::aliyun("Bob@aliyun.com");
        let b = PrincipalId::aliyun("bob@ALIYUN.com");
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "ALIYUN$Bob@aliyun.com");
        let mut set = std::collections::BTreeSet::new();
        set.insert(a);
        assert!(!set.insert(b));
    }

    #[test]
    fn ram_name_resolves_to_the_default_account() {
        let kind = PrincipalKind::RamUser {
            account: None,
            name: "ram_test".into(),
        };
        assert_eq!(
            PrincipalId::from_kind(&kind, "odps_test_user@aliyun.com").as_str(),
            "RAM$odps_test_user@aliyun.com:ram_test"
        );
    }

    #[test]
    fn parse_normalises_the_provider() {
        let p = PrincipalId::parse("ram$acct:bob", "x").unwrap();
        assert_eq!(p.as_str(), "RAM$acct:bob");
        assert_eq!(p.class(), PrincipalClass::RamUser);
        let r = PrincipalId::parse("`RAM$acct:role/r`", "x").unwrap();
        assert_eq!(r.class(), PrincipalClass::RamRole);
        assert_eq!(r.to_statement_text(), "`RAM$acct:role/r`");
        assert_eq!(
            PrincipalId::parse("aliyun$me", "").unwrap().as_str(),
            "ALIYUN$me"
        );
        assert_eq!(
            PrincipalId::parse("RAM$bob", "acct").unwrap().as_str(),
            "RAM$acct:bob"
        );
        assert!(PrincipalId::parse("RAM$", "acct").is_none());
        assert!(PrincipalId::parse("FOO$x", "acct").is_none());
        assert_eq!(
            PrincipalId::parse("p4_123", "").unwrap().class(),
            PrincipalClass::Residue
        );
    }

    #[test]
    fn accounts_and_short_names() {
        let cases = [
            (PrincipalId::ram_user("acct", "bob"), Some("acct"), "bob"),
            (PrincipalId::ram_role("acct", "r"), Some("acct"), "role/r"),
            (
                PrincipalId::aliyun("me@x.com"),
                Some("me@x.com"),
                "me@x.com",
            ),
            (PrincipalId::from("RAM$nocolon".to_owned()), None, "nocolon"),
            (PrincipalId::from("RAM$a:b:c".to_owned()), Some("a"), "b:c"),
            (PrincipalId::from("p4_123".to_owned()), None, "p4_123"),
            (PrincipalId::from("bare".to_owned()), None, "bare"),
        ];
        for (p, account, short) in cases {
            assert_eq!(p.account(), account, "{p}");
            assert_eq!(p.short_name(), short, "{p}");
        }
        let long = "x".repeat(STACK_TEXT * 2);
        let p = PrincipalId::ram_user("acct", &long);
        assert_eq!(p.short_name(), long);
        assert_eq!(p.account(), Some("acct"));
    }

    #[test]
    fn role_names_are_lower_case() {
        assert_eq!(RoleName::new("Worker").as_str(), "worker");
        assert!(RoleName::new("Super_Administrator").is_builtin());
    }
}
