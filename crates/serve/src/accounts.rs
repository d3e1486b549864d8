//! `accounts.toml`: the Alibaba Cloud accounts the emulator knows, their
//! RAM users and RAM roles, their AccessKeys, and the projects it serves.
//!
//! ```toml
//! [[accounts]]
//! name = "dev@example.com"                 # ALIYUN$dev@example.com
//! access_keys = [{ id = "dev-access-id", secret = "dev-access-secret" }]
//!
//! [[accounts.ram_users]]
//! logon_name = "alice"                     # RAM$dev@example.com:alice
//! display_name = "Alice"
//! access_keys = [{ id = "alice-id", secret = "alice-secret" }]
//!
//! [[accounts.ram_roles]]
//! name = "etl_runner"                      # RAM$dev@example.com:role/etl_runner
//! sts = [{ id = "STS.etl", secret = "etl-secret", token = "etl-token" }]
//!
//! [[projects]]
//! name = "dev"
//! owner = "ALIYUN$dev@example.com"
//! ```
//!
//! Rules (RAM's own, shared/seeds/000): a RAM logon name is 1–128
//! letters, digits, `.`, `_` or `-`; a display name is at most 128
//! characters; a RAM user has at most two AccessKeys. AccessKey IDs are
//! unique in the file. A file that breaks a rule is refused with the line
//! of the offending entry; the message never quotes the line (it may hold
//! a secret).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use mcauth_engine::{PrincipalClass, PrincipalId};
use mcauth_odps::Secret;
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::error::ServeError;

/// The AccessKey ID of the default set-up (no `--accounts`).
pub const DEFAULT_ACCESS_ID: &str = "dev-access-id";
/// The AccessKey secret of the default set-up: a well-known test
/// credential, like LocalStack's, printed at start-up.
pub const DEFAULT_ACCESS_SECRET: &str = "dev-access-secret";
/// The account that owns the default project.
pub const DEFAULT_ACCOUNT: &str = "dev@example.com";
/// The default project.
pub const DEFAULT_PROJECT: &str = "dev";

/// The most AccessKeys a RAM user may have.
pub const MAX_RAM_USER_ACCESS_KEYS: usize = 2;
/// The longest RAM logon name and display name, in characters.
pub const MAX_NAME_CHARS: usize = 128;

/// What kind of principal an AccessKey belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    /// An Alibaba Cloud account (`ALIYUN$…`).
    Account,
    /// A RAM user (`RAM$acct:name`).
    RamUser,
    /// A RAM role assumed through STS (`RAM$acct:role/name`).
    RamRole,
}

/// Who signs with an AccessKey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The principal the engine sees.
    pub principal: PrincipalId,
    /// The Alibaba Cloud account it belongs to (`RAM$name` resolves here).
    pub account: String,
    /// Account, RAM user or RAM role.
    pub kind: IdentityKind,
    /// The display name from the file, if any.
    pub display_name: Option<String>,
}

/// One AccessKey: its owner, secret and, for STS credentials, the token
/// that must accompany it. `Debug` shows neither secret nor token.
#[derive(Clone, Debug)]
pub struct AccessKey {
    /// The principal behind the key.
    pub identity: Identity,
    /// The AccessKey secret.
    pub secret: Secret,
    /// The STS security token required in `authorization-sts-token`.
    pub sts_token: Option<Secret>,
}

/// A project the emulator serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectSpec {
    /// The project name.
    pub name: String,
    /// Its owner, an `ALIYUN$…` account.
    pub owner: PrincipalId,
}

/// The parsed and validated accounts file.
#[derive(Clone, Debug)]
pub struct Accounts {
    keys: HashMap<String, AccessKey>,
    projects: Vec<ProjectSpec>,
    default_setup: bool,
}

impl Accounts {
    /// The set-up used without `--accounts`: project `dev` owned by
    /// `ALIYUN$dev@example.com`, AccessKey `dev-access-id` /
    /// `dev-access-secret`.
    pub fn dev_default() -> Self {
        let owner = PrincipalId::aliyun(DEFAULT_ACCOUNT);
        let mut keys = HashMap::new();
        keys.insert(
            DEFAULT_ACCESS_ID.to_owned(),
            AccessKey {
                identity: Identity {
                    principal: owner.clone(),
                    account: DEFAULT_ACCOUNT.to_owned(),
                    kind: IdentityKind::Account,
                    display_name: None,
                },
                secret: Secret::new(DEFAULT_ACCESS_SECRET),
                sts_token: None,
            },
        );
        Accounts {
            keys,
            projects: vec![ProjectSpec {
                name: DEFAULT_PROJECT.to_owned(),
                owner,
            }],
            default_setup: true,
        }
    }

    /// Reads and validates an accounts file.
    pub fn load(path: &std::path::Path) -> Result<Self, ServeError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServeError::AccountsRead {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses and validates accounts TOML; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ServeError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| ServeError::AccountsInvalid {
            file: file.to_owned(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_owned(),
        })?;
        Validator {
            text,
            file,
            keys: HashMap::new(),
        }
        .validate(raw)
    }

    /// The AccessKey with this ID.
    pub fn key(&self, access_id: &str) -> Option<&AccessKey> {
        self.keys.get(access_id)
    }

    /// The projects, in file order.
    pub fn projects(&self) -> &[ProjectSpec] {
        &self.projects
    }

    /// Every AccessKey ID with its principal, sorted by ID (no secrets).
    pub fn access_ids(&self) -> Vec<(&str, &PrincipalId)> {
        let mut ids: Vec<(&str, &PrincipalId)> = self
            .keys
            .iter()
            .map(|(id, k)| (id.as_str(), &k.identity.principal))
            .collect();
        ids.sort_unstable_by(|a, b| a.0.cmp(b.0));
        ids
    }

    /// Whether this is [`Accounts::dev_default`] (whose secret may be printed).
    pub fn is_default_setup(&self) -> bool {
        self.default_setup
    }
}

// ---------------------------------------------------------------- raw TOML

/// A secret read from the file; never shown.
struct SecretField(Secret);

impl<'de> Deserialize<'de> for SecretField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretField(Secret::new(s)))
    }
}

impl fmt::Debug for SecretField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    accounts: Vec<Spanned<RawAccount>>,
    #[serde(default)]
    projects: Vec<Spanned<RawProject>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    name: Spanned<String>,
    #[serde(default)]
    display_name: Option<Spanned<String>>,
    #[serde(default)]
    access_keys: Vec<Spanned<RawKey>>,
    #[serde(default)]
    ram_users: Vec<Spanned<RawRamUser>>,
    #[serde(default)]
    ram_roles: Vec<Spanned<RawRamRole>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRamUser {
    logon_name: Spanned<String>,
    #[serde(default)]
    display_name: Option<Spanned<String>>,
    #[serde(default)]
    access_keys: Vec<Spanned<RawKey>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRamRole {
    name: Spanned<String>,
    #[serde(default)]
    sts: Vec<Spanned<RawStsKey>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    id: Spanned<String>,
    secret: SecretField,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStsKey {
    id: Spanned<String>,
    secret: SecretField,
    token: SecretField,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: Spanned<String>,
    owner: Spanned<String>,
}

// ---------------------------------------------------------------- validation

struct Validator<'a> {
    text: &'a str,
    file: &'a str,
    keys: HashMap<String, AccessKey>,
}

impl Validator<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ServeError {
        ServeError::AccountsInvalid {
            file: self.file.to_owned(),
            line: line_of(self.text, span.start),
            message: message.into(),
        }
    }

    fn validate(mut self, raw: RawFile) -> Result<Accounts, ServeError> {
        let mut account_names: HashSet<String> = HashSet::new();
        for account in &raw.accounts {
            let account = account.get_ref();
            let name = account.name.get_ref();
            account_name(name).map_err(|m| self.err(account.name.span(), m))?;
            if !account_names.insert(name.to_ascii_lowercase()) {
                return Err(self.err(
                    account.name.span(),
                    format!("account {name:?} is declared twice"),
                ));
            }
            if let Some(d) = &account.display_name {
                display_name(d.get_ref()).map_err(|m| self.err(d.span(), m))?;
            }
            let identity = Identity {
                principal: PrincipalId::aliyun(name),
                account: name.clone(),
                kind: IdentityKind::Account,
                display_name: account.display_name.as_ref().map(|d| d.get_ref().clone()),
            };
            for key in &account.access_keys {
                self.add_key(key.get_ref(), &identity, None)?;
            }
            self.ram_users(account, name)?;
            self.ram_roles(account, name)?;
        }

        let mut projects: Vec<ProjectSpec> = Vec::new();
        let mut project_names: BTreeMap<String, ()> = BTreeMap::new();
        for project in &raw.projects {
            let project = project.get_ref();
            let name = project.name.get_ref();
            project_name(name).map_err(|m| self.err(project.name.span(), m))?;
            if project_names.insert(name.clone(), ()).is_some() {
                return Err(self.err(
                    project.name.span(),
                    format!("project {name:?} is declared twice"),
                ));
            }
            let owner_text = project.owner.get_ref();
            let owner = if owner_text.contains('$') {
                PrincipalId::parse(owner_text, "")
            } else {
                account_name(owner_text)
                    .ok()
                    .map(|()| PrincipalId::aliyun(owner_text))
            };
            let owner = owner
                .filter(|o| o.class() == PrincipalClass::Aliyun)
                .ok_or_else(|| {
                    self.err(
                        project.owner.span(),
                        format!(
                            "the owner of project {name:?} must be an Alibaba Cloud account, e.g. ALIYUN$you@example.com"
                        ),
                    )
                })?;
            projects.push(ProjectSpec {
                name: name.clone(),
                owner,
            });
        }
        if projects.is_empty() {
            return Err(ServeError::AccountsInvalid {
                file: self.file.to_owned(),
                line: 1,
                message: "no [[projects]]: the emulator needs at least one project to serve".into(),
            });
        }
        Ok(Accounts {
            keys: self.keys,
            projects,
            default_setup: false,
        })
    }

    fn ram_users(&mut self, account: &RawAccount, acct: &str) -> Result<(), ServeError> {
        let mut seen: HashSet<String> = HashSet::new();
        for user in &account.ram_users {
            let user = user.get_ref();
            let logon = user.logon_name.get_ref();
            logon_name(logon).map_err(|m| self.err(user.logon_name.span(), m))?;
            if !seen.insert(logon.to_ascii_lowercase()) {
                return Err(self.err(
                    user.logon_name.span(),
                    format!("RAM user {logon:?} is declared twice in account {acct:?}"),
                ));
            }
            if let Some(d) = &user.display_name {
                display_name(d.get_ref()).map_err(|m| self.err(d.span(), m))?;
            }
            let keys = &user.access_keys;
            if keys.len() > MAX_RAM_USER_ACCESS_KEYS {
                let span = keys
                    .get(MAX_RAM_USER_ACCESS_KEYS)
                    .map_or(user.logon_name.span(), Spanned::span);
                return Err(self.err(
                    span,
                    format!(
                        "RAM user {logon:?} has {} AccessKeys; a RAM user can have at most {MAX_RAM_USER_ACCESS_KEYS}",
                        keys.len()
                    ),
                ));
            }
            let identity = Identity {
                principal: PrincipalId::ram_user(acct, logon),
                account: acct.to_owned(),
                kind: IdentityKind::RamUser,
                display_name: user.display_name.as_ref().map(|d| d.get_ref().clone()),
            };
            for key in keys {
                self.add_key(key.get_ref(), &identity, None)?;
            }
        }
        Ok(())
    }

    fn ram_roles(&mut self, account: &RawAccount, acct: &str) -> Result<(), ServeError> {
        let mut seen: HashSet<String> = HashSet::new();
        for role in &account.ram_roles {
            let role = role.get_ref();
            let name = role.name.get_ref();
            logon_name(name)
                .map_err(|m| self.err(role.name.span(), m.replace("logon name", "role name")))?;
            if !seen.insert(name.to_ascii_lowercase()) {
                return Err(self.err(
                    role.name.span(),
                    format!("RAM role {name:?} is declared twice in account {acct:?}"),
                ));
            }
            let identity = Identity {
                principal: PrincipalId::ram_role(acct, name),
                account: acct.to_owned(),
                kind: IdentityKind::RamRole,
                display_name: None,
            };
            for sts in &role.sts {
                let sts = sts.get_ref();
                let key = RawKeyRef {
                    id: &sts.id,
                    secret: &sts.secret.0,
                };
                if sts.token.0.is_empty() {
                    return Err(self.err(sts.id.span(), "the STS token is empty"));
                }
                self.add_key_ref(key, &identity, Some(sts.token.0.clone()))?;
            }
        }
        Ok(())
    }

    fn add_key(
        &mut self,
        key: &RawKey,
        identity: &Identity,
        token: Option<Secret>,
    ) -> Result<(), ServeError> {
        self.add_key_ref(
            RawKeyRef {
                id: &key.id,
                secret: &key.secret.0,
            },
            identity,
            token,
        )
    }

    fn add_key_ref(
        &mut self,
        key: RawKeyRef<'_>,
        identity: &Identity,
        token: Option<Secret>,
    ) -> Result<(), ServeError> {
        let id = key.id.get_ref();
        if id.is_empty()
            || id.len() > MAX_NAME_CHARS
            || !id
                .chars()
                .all(|c| c.is_ascii_graphic() && c != ':' && c != '/')
        {
            return Err(self.err(
                key.id.span(),
                "an AccessKey ID is 1–128 printable ASCII characters without `:` or `/`",
            ));
        }
        if key.secret.is_empty() {
            return Err(self.err(
                key.id.span(),
                format!("the secret of AccessKey {id:?} is empty"),
            ));
        }
        if self.keys.contains_key(id) {
            return Err(self.err(key.id.span(), format!("AccessKey ID {id:?} is used twice")));
        }
        self.keys.insert(
            id.clone(),
            AccessKey {
                identity: identity.clone(),
                secret: key.secret.clone(),
                sts_token: token,
            },
        );
        Ok(())
    }
}

struct RawKeyRef<'a> {
    id: &'a Spanned<String>,
    secret: &'a Secret,
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// RAM logon names: 1–128 letters, digits, `.`, `_`, `-`.
pub fn logon_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return Err(format!(
            "a RAM logon name is 1–{MAX_NAME_CHARS} characters; {name:?} has {n}"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "a RAM logon name may hold only letters, digits, `.`, `_` and `-`; {name:?} has {c:?}"
        ));
    }
    Ok(())
}

/// Display names: at most 128 characters.
pub fn display_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(format!(
            "a display name is at most {MAX_NAME_CHARS} characters; this one has {n}"
        ));
    }
    Ok(())
}

/// Alibaba Cloud account names (the part after `ALIYUN$`): not empty, no
/// white space, and none of the characters that delimit principals.
fn account_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err("an account name is 1–128 characters, e.g. you@example.com".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '$' | ':' | '`' | '/'))
    {
        return Err(format!(
            "an account name cannot hold {c:?}; write the login alone, e.g. you@example.com"
        ));
    }
    Ok(())
}

/// Project names: a letter, then letters, digits or `_`; at most 128.
fn project_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= MAX_NAME_CHARS;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "a project name starts with a letter and holds only letters, digits and `_` (at most {MAX_NAME_CHARS}); {name:?} does not"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "acme-root", secret = "root-S3cret" }]

[[accounts.ram_users]]
logon_name = "alice.liu_01-x"
display_name = "Alice"
access_keys = [
  { id = "alice-1", secret = "alice-S3cret-1" },
  { id = "alice-2", secret = "alice-S3cret-2" },
]

[[accounts.ram_roles]]
name = "etl"
sts = [{ id = "STS.etl", secret = "etl-S3cret", token = "etl-T0ken" }]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"

[[projects]]
name = "ops"
owner = "acme@example.com"
"#;

    fn invalid(text: &str) -> (usize, String) {
        match Accounts::parse(text, "a.toml") {
            Err(ServeError::AccountsInvalid { line, message, .. }) => (line, message),
            other => panic!("expected AccountsInvalid, got {other:?}"),
        }
    }

    #[test]
    fn reads_accounts_users_roles_and_projects() {
        let a = Accounts::parse(GOOD, "a.toml").expect("valid");
        let alice = a.key("alice-2").expect("key");
        assert_eq!(
            alice.identity.principal.as_str(),
            "RAM$acme@example.com:alice.liu_01-x"
        );
        assert_eq!(alice.identity.account, "acme@example.com");
        assert_eq!(alice.secret.expose(), "alice-S3cret-2");
        let etl = a.key("STS.etl").expect("sts");
        assert_eq!(etl.identity.kind, IdentityKind::RamRole);
        assert_eq!(
            etl.sts_token.as_ref().map(Secret::expose),
            Some("etl-T0ken")
        );
        assert_eq!(
            a.projects()
                .iter()
                .map(|p| (p.name.as_str(), p.owner.as_str()))
                .collect::<Vec<_>>(),
            [
                ("sales", "ALIYUN$acme@example.com"),
                ("ops", "ALIYUN$acme@example.com")
            ]
        );
        assert!(!a.is_default_setup());
        assert_eq!(a.access_ids().len(), 4);
    }

    #[test]
    fn logon_name_rules_name_the_line() {
        let bad = GOOD.replace("alice.liu_01-x", "alice liu");
        let (line, message) = invalid(&bad);
        assert_eq!(line, 7);
        assert!(message.contains("letters, digits"), "{message}");

        let (line, _) = invalid(&GOOD.replace("alice.liu_01-x", ""));
        assert_eq!(line, 7);
        let long = "a".repeat(129);
        let (line, message) = invalid(&GOOD.replace("alice.liu_01-x", &long));
        assert_eq!(line, 7);
        assert!(message.contains("has 129"), "{message}");
        assert!(Accounts::parse(&GOOD.replace("alice.liu_01-x", &"a".repeat(128)), "a").is_ok());
        let (line, _) = invalid(&GOOD.replace("alice.liu_01-x", "bob$x"));
        assert_eq!(line, 7);
    }

    #[test]
    fn display_names_are_at_most_128_characters() {
        let ok = GOOD.replace("\"Alice\"", &format!("\"{}\"", "é".repeat(128)));
        assert!(Accounts::parse(&ok, "a").is_ok());
        let bad = GOOD.replace("\"Alice\"", &format!("\"{}\"", "é".repeat(129)));
        let (line, message) = invalid(&bad);
        assert_eq!(line, 8);
        assert!(message.contains("at most 128"), "{message}");
    }

    #[test]
    fn a_ram_user_has_at_most_two_access_keys() {
        let bad = GOOD.replace(
            "  { id = \"alice-2\", secret = \"alice-S3cret-2\" },\n",
            "  { id = \"alice-2\", secret = \"alice-S3cret-2\" },\n  { id = \"alice-3\", secret = \"alice-S3cret-3\" },\n",
        );
        let (line, message) = invalid(&bad);
        assert_eq!(line, 12, "{message}");
        assert!(message.contains("at most 2"), "{message}");
        assert!(!message.contains("S3cret"), "{message}");
    }

    #[test]
    fn duplicate_ids_unknown_fields_and_bad_owners_are_refused() {
        let (line, message) = invalid(&GOOD.replace("\"alice-2\"", "\"acme-root\""));
        assert_eq!(line, 11);
        assert!(message.contains("used twice"), "{message}");

        let (line, message) =
            invalid(&GOOD.replace("display_name = \"Alice\"", "nickname = \"A\""));
        assert_eq!(line, 8);
        assert!(message.contains("nickname"), "{message}");

        let (line, message) = invalid(&GOOD.replace(
            "\"ALIYUN$acme@example.com\"",
            "\"RAM$acme@example.com:bob\"",
        ));
        assert_eq!(line, 20);
        assert!(message.contains("Alibaba Cloud account"), "{message}");

        let (line, _) = invalid(&GOOD.replace("name = \"ops\"", "name = \"sales\""));
        assert_eq!(line, 23);
    }

    #[test]
    fn toml_syntax_errors_name_the_line_and_never_quote_it() {
        let bad = GOOD.replace("secret = \"alice-S3cret-1\"", "secret = alice-S3cret-1");
        let (line, message) = invalid(&bad);
        assert_eq!(line, 10);
        assert!(!message.contains("S3cret"), "{message}");
        let shown = format!("{:?}", Accounts::parse(GOOD, "a").expect("valid"));
        assert!(
            !shown.contains("S3cret") && !shown.contains("T0ken"),
            "{shown}"
        );
    }

    #[test]
    fn a_file_without_projects_is_refused() {
        let (line, message) = invalid("[[accounts]]\nname = \"a@b.c\"\n");
        assert_eq!(line, 1);
        assert!(message.contains("projects"), "{message}");
    }

    #[test]
    fn the_shipped_example_is_valid() {
        let text = include_str!("../../../examples/accounts.toml");
        let a = Accounts::parse(text, "examples/accounts.toml").expect("valid example");
        assert_eq!(a.projects().len(), 2);
        assert_eq!(
            a.key("STS.etl-runner-id")
                .map(|k| k.identity.principal.as_str()),
            Some("RAM$acme@example.com:role/etl_runner")
        );
    }

    #[test]
    fn the_default_setup() {
        let a = Accounts::dev_default();
        assert!(a.is_default_setup());
        let key = a.key(DEFAULT_ACCESS_ID).expect("default key");
        assert_eq!(key.identity.principal.as_str(), "ALIYUN$dev@example.com");
        assert_eq!(key.secret.expose(), DEFAULT_ACCESS_SECRET);
        assert_eq!(a.projects()[0].name, "dev");
    }
}
