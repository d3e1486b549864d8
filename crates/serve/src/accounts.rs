//! `accounts.toml`: the Alibaba Cloud accounts the emulator knows, their
//! RAM users and RAM roles with their AccessKeys and attached RAM policies,
//! the region, and the projects it serves.
//!
//! ```toml
//! region = "cn-hangzhou"                   # optional (the default): the region in ARNs
//!
//! [[accounts]]
//! name = "dev@example.com"                 # ALIYUN$dev@example.com
//! id = "1234567890123456"                  # optional: the account id in ARNs
//! access_keys = [{ id = "dev-access-id", secret = "dev-access-secret" }]
//!
//! [[accounts.ram_users]]
//! logon_name = "alice"                     # RAM$dev@example.com:alice
//! display_name = "Alice"
//! access_keys = [{ id = "alice-id", secret = "alice-secret" }]
//! system_policies = ["AliyunMaxComputeReadOnlyAccess"]
//! policies = ["policies/tenant-user-admin.json"]   # relative to this file
//!
//! [[accounts.ram_roles]]
//! name = "etl_runner"                      # RAM$dev@example.com:role/etl_runner
//! sts = [{ id = "STS.etl", secret = "etl-secret", token = "etl-token" }]
//! system_policies = ["AliyunMaxComputeReadOnlyAccess"]
//!
//! [[projects]]
//! name = "dev"
//! owner = "ALIYUN$dev@example.com"
//! account_providers = ["ALIYUN", "RAM"]   # optional (the default) for a new project
//! tables = [{ name = "sales", owner = "RAM$dev@example.com:alice" }]   # optional (see `crate::tables`)
//! ```
//!
//! Rules (RAM's own, docs/seeds.md#ram-users): a RAM logon name is 1–128
//! letters, digits, `.`, `_` or `-`; a display name is at most 128
//! characters; a RAM user has at most two AccessKeys. AccessKey IDs are
//! unique in the file. A file that breaks a rule is refused with the line
//! of the offending entry; the message never quotes the line (it may hold
//! a secret).
//!
//! RAM policies (docs/seeds.md#ram-permissions): `system_policies` names policies of
//! mcauth's catalogue (an unknown name is refused, with a did-you-mean);
//! `policies` names custom policy files, JSON, read relative to the
//! accounts file and linted as `mcauth policy lint` does: a file with an
//! error finding is refused, naming the accounts.toml line and the
//! position in the policy file. High-risk system policies
//! (AdministratorAccess, AliyunRAMFullAccess: RAM says not to grant
//! them unless absolutely necessary) and warning findings of custom
//! policies are not refused but reported by [`Accounts::warnings`], which
//! `mcauth serve` prints on standard error at start-up. The emulator
//! decides tenant-level statements of RAM users and roles with these
//! policies (see `crate::ram`); an account itself is never subject to them.
//!
//! ARNs name the account by its numeric id. `id` sets it; without one the
//! id is derived from the account name ([`derived_account_id`]: 16 digits,
//! stable across restarts) and printed at start-up. `region` (default
//! `cn-hangzhou`) must be a region id such as `cn-shanghai`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mcauth_engine::{PrincipalClass, PrincipalId, Provider};
use mcauth_odps::Secret;
use mcauth_policy::{LineIndex, ParseOptions, Severity, lint_source};
use mcauth_policy::{Risk, system_policy};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::error::ServeError;
use crate::ram::RamPolicies;
pub use crate::ram::derived_account_id;
use crate::tables::{RawTable, TableSpec};

/// The AccessKey ID of the default set-up (no `--accounts`).
pub const DEFAULT_ACCESS_ID: &str = "dev-access-id";
/// The AccessKey secret of the default set-up: a well-known test
/// credential, like LocalStack's, printed at start-up.
pub const DEFAULT_ACCESS_SECRET: &str = "dev-access-secret";
/// The account that owns the default project.
pub const DEFAULT_ACCOUNT: &str = "dev@example.com";
/// The region of ARNs when accounts.toml sets none.
pub const DEFAULT_REGION: &str = "cn-hangzhou";
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
    /// The RAM policies attached to a RAM user or RAM role (possibly none);
    /// `None` for an account, which RAM policies never restrict.
    pub policies: Option<Arc<RamPolicies>>,
}

/// One AccessKey: its owner, secret and, for STS credentials, the token
/// that must accompany it. `Debug` shows neither secret nor token.
#[derive(Clone, Debug)]
pub struct AccessKey {
    /// The principal behind the key (shared with each request it signs).
    pub identity: Arc<Identity>,
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
    /// The account providers it starts with when the store does not hold
    /// it yet (`account_providers`; default `ALIYUN` and `RAM`).
    pub providers: Vec<Provider>,
    /// The tables it declares, with their owners (see `crate::tables`).
    pub tables: Vec<TableSpec>,
}

/// The account providers a new project starts with: `ALIYUN` and `RAM`,
/// as a project created in today's console lists them (and as PyODPS's own
/// security tests expect of a project: `"RAM" in list accountproviders`).
/// The documentation's older default, `ALIYUN` alone, is one
/// `account_providers = ["ALIYUN"]` away in accounts.toml.
pub const DEFAULT_PROVIDERS: [Provider; 2] = [Provider::Aliyun, Provider::Ram];

/// An Alibaba Cloud account of the file and its numeric id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInfo {
    /// The account name, e.g. `acme@example.com`.
    pub name: String,
    /// Its id, the resource-owner id of ARNs.
    pub id: String,
    /// Whether the id was derived from the name (no `id` in the file).
    pub derived: bool,
}

/// The parsed and validated accounts file.
#[derive(Clone, Debug)]
pub struct Accounts {
    keys: HashMap<String, AccessKey>,
    projects: Vec<ProjectSpec>,
    default_setup: bool,
    region: String,
    accounts: Vec<AccountInfo>,
    warnings: Vec<String>,
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
                identity: Arc::new(Identity {
                    principal: owner.clone(),
                    account: DEFAULT_ACCOUNT.to_owned(),
                    kind: IdentityKind::Account,
                    display_name: None,
                    policies: None,
                }),
                secret: Secret::new(DEFAULT_ACCESS_SECRET),
                sts_token: None,
            },
        );
        Accounts {
            keys,
            projects: vec![ProjectSpec {
                name: DEFAULT_PROJECT.to_owned(),
                owner,
                providers: DEFAULT_PROVIDERS.to_vec(),
                tables: Vec::new(),
            }],
            default_setup: true,
            region: DEFAULT_REGION.to_owned(),
            accounts: vec![AccountInfo {
                name: DEFAULT_ACCOUNT.to_owned(),
                id: derived_account_id(DEFAULT_ACCOUNT),
                derived: true,
            }],
            warnings: Vec::new(),
        }
    }

    /// Reads and validates an accounts file; policy files it names are
    /// read relative to its directory.
    pub fn load(path: &Path) -> Result<Self, ServeError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServeError::AccountsRead {
            path: path.to_owned(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Self::parse_in(&text, &path.display().to_string(), base)
    }

    /// Parses and validates accounts TOML; `file` names it in errors, and
    /// policy files are read relative to its directory.
    pub fn parse(text: &str, file: &str) -> Result<Self, ServeError> {
        let base = Path::new(file).parent().unwrap_or(Path::new(""));
        Self::parse_in(text, file, base)
    }

    /// [`Accounts::parse`], reading policy files relative to `base`.
    pub fn parse_in(text: &str, file: &str, base: &Path) -> Result<Self, ServeError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| ServeError::AccountsInvalid {
            file: file.to_owned(),
            line: e
                .span()
                .map_or(1, |s| mcauth_syntax::line_col(text, s.start).line),
            message: without_values(e.message().trim()),
        })?;
        Validator {
            text,
            file,
            base: base.to_owned(),
            keys: HashMap::new(),
            warnings: Vec::new(),
        }
        .validate(raw)
    }

    /// The AccessKey with this ID.
    pub(crate) fn key(&self, access_id: &str) -> Option<&AccessKey> {
        self.keys.get(access_id)
    }

    /// The projects, in file order.
    pub(crate) fn projects(&self) -> &[ProjectSpec] {
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

    /// The RAM users and roles with attached policies, sorted by principal.
    pub fn ram_policies(&self) -> Vec<(&PrincipalId, &RamPolicies)> {
        let mut v: Vec<(&PrincipalId, &RamPolicies)> = self
            .keys
            .values()
            .filter_map(|k| {
                let p = k.identity.policies.as_deref()?;
                (!p.names().is_empty()).then_some((&k.identity.principal, p))
            })
            .collect();
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        v.dedup_by(|a, b| a.0 == b.0);
        v
    }

    /// Whether this is [`Accounts::dev_default`] (whose secret may be printed).
    pub fn is_default_setup(&self) -> bool {
        self.default_setup
    }

    /// The region of ARNs (`region`, default `cn-hangzhou`).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The accounts of the file with their ids, in file order.
    pub fn accounts(&self) -> &[AccountInfo] {
        &self.accounts
    }

    /// The id of account `name` (compared without regard to ASCII case):
    /// its `id`, or the one derived from its name, also for accounts the
    /// file does not declare (e.g. a project owner without keys).
    pub fn account_id(&self, name: &str) -> String {
        self.accounts
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map_or_else(|| derived_account_id(name), |a| a.id.clone())
    }

    /// What loading found worth saying but not refusing, one line each
    /// (`warning: accounts.toml:12: …`, `note: …`): high-risk system
    /// policies attached to RAM users or roles, warning findings of their
    /// custom policies. Never holds a secret.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

// ---------------------------------------------------------------- raw TOML

/// A secret read from the file; never shown, not even when it is of the
/// wrong type (serde's own message would quote a number, a boolean or a
/// date, and a string where a table belongs).
struct SecretField(Secret);

impl<'de> Deserialize<'de> for SecretField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SecretVisitor)
    }
}

struct SecretVisitor;

impl SecretVisitor {
    fn refuse<E: serde::de::Error>(kind: &str) -> E {
        E::custom(format!(
            "a secret must be a string in quotes, not {kind} (its value is not shown)"
        ))
    }
}

impl<'de> serde::de::Visitor<'de> for SecretVisitor {
    type Value = SecretField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a secret in quotes")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SecretField, E> {
        Ok(SecretField(Secret::new(v)))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<SecretField, E> {
        Ok(SecretField(Secret::new(v)))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<SecretField, E> {
        Err(Self::refuse("a boolean"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<SecretField, E> {
        Err(Self::refuse("a number"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<SecretField, E> {
        Err(Self::refuse("a number"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<SecretField, E> {
        Err(Self::refuse("a number"))
    }

    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<SecretField, E> {
        Err(Self::refuse("bytes"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<SecretField, A::Error> {
        Err(Self::refuse("an array"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<SecretField, A::Error> {
        // A TOML date and time reaches serde as a one-entry map.
        Err(Self::refuse("a table or a date"))
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
    region: Option<Spanned<String>>,
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
    id: Option<Spanned<String>>,
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
    #[serde(default)]
    system_policies: Vec<Spanned<String>>,
    #[serde(default)]
    policies: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRamRole {
    name: Spanned<String>,
    #[serde(default)]
    sts: Vec<Spanned<RawStsKey>>,
    #[serde(default)]
    system_policies: Vec<Spanned<String>>,
    #[serde(default)]
    policies: Vec<Spanned<String>>,
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
    #[serde(default)]
    account_providers: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    tables: Vec<Spanned<RawTable>>,
}

// ---------------------------------------------------------------- validation

struct Validator<'a> {
    text: &'a str,
    file: &'a str,
    /// Where relative policy file paths start.
    base: PathBuf,
    keys: HashMap<String, AccessKey>,
    warnings: Vec<String>,
}

impl Validator<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ServeError {
        ServeError::AccountsInvalid {
            file: self.file.to_owned(),
            line: mcauth_syntax::line_col(self.text, span.start).line,
            message: message.into(),
        }
    }

    fn warn(&mut self, severity: &str, span: Range<usize>, message: impl fmt::Display) {
        let line = mcauth_syntax::line_col(self.text, span.start).line;
        self.warnings
            .push(format!("{severity}: {}:{line}: {message}", self.file));
    }

    fn validate(mut self, raw: RawFile) -> Result<Accounts, ServeError> {
        let region = match &raw.region {
            Some(r) if !mcauth_policy::is_region(r.get_ref()) => {
                return Err(self.err(
                    r.span(),
                    format!(
                        "{:?} is not a region id; write one such as \"cn-hangzhou\" or \"cn-shanghai\"",
                        r.get_ref()
                    ),
                ));
            }
            Some(r) => r.get_ref().clone(),
            None => DEFAULT_REGION.to_owned(),
        };
        let mut infos: Vec<AccountInfo> = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
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
            let (id, derived, id_span) = match &account.id {
                Some(id) => {
                    let text = id.get_ref();
                    if !mcauth_policy::is_account(text) {
                        return Err(self.err(
                            id.span(),
                            format!(
                                "the id of account {name:?} is its numeric Alibaba Cloud account id, 1–32 digits, e.g. \"1234567890123456\""
                            ),
                        ));
                    }
                    (text.clone(), false, id.span())
                }
                None => (derived_account_id(name), true, account.name.span()),
            };
            if let Some(other) = ids.insert(id.clone(), name.clone()) {
                return Err(self.err(
                    id_span,
                    format!("accounts {other:?} and {name:?} have the same id {id}"),
                ));
            }
            infos.push(AccountInfo {
                name: name.clone(),
                id,
                derived,
            });
            let identity = Identity {
                principal: PrincipalId::aliyun(name),
                account: name.clone(),
                kind: IdentityKind::Account,
                display_name: account.display_name.as_ref().map(|d| d.get_ref().clone()),
                policies: None,
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
            let providers = match &project.account_providers {
                None => DEFAULT_PROVIDERS.to_vec(),
                Some(list) => {
                    let mut providers = Vec::new();
                    for p in list.get_ref() {
                        let provider = Provider::from_name(p.get_ref()).ok_or_else(|| {
                            self.err(
                                p.span(),
                                format!(
                                    "{:?} is not an account provider; they are \"ALIYUN\" and \"RAM\"",
                                    p.get_ref()
                                ),
                            )
                        })?;
                        if !providers.contains(&provider) {
                            providers.push(provider);
                        }
                    }
                    if !providers.contains(&Provider::Aliyun) {
                        return Err(self.err(
                            list.span(),
                            format!(
                                "project {name:?} must list \"ALIYUN\": every project recognises Alibaba Cloud accounts"
                            ),
                        ));
                    }
                    providers
                }
            };
            let tables = crate::tables::validate(name, &owner, &project.tables)
                .map_err(|(span, message)| self.err(span, message))?;
            projects.push(ProjectSpec {
                name: name.clone(),
                owner,
                providers,
                tables,
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
            region,
            accounts: infos,
            warnings: self.warnings,
        })
    }

    /// The RAM policies attached to `who` (a RAM user or role), checked
    /// and compiled.
    fn attached(
        &mut self,
        who: &str,
        system: &[Spanned<String>],
        custom: &[Spanned<String>],
    ) -> Result<Arc<RamPolicies>, ServeError> {
        let mut policies = RamPolicies::new();
        for name in system {
            let text = name.get_ref();
            let Some(policy) = system_policy(text) else {
                let spanned = mcauth_policy::Spanned::new(text.clone(), mcauth_policy::Span::at(0));
                let help = mcauth_policy::check_system_policy(&spanned)
                    .and_then(|f| f.help)
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                return Err(self.err(
                    name.span(),
                    format!("{text:?} attached to {who} is not a system policy mcauth knows{help}"),
                ));
            };
            match policy.risk {
                Risk::High => self.warn(
                    "warning",
                    name.span(),
                    format_args!(
                        "{who} has the high-risk system policy {} attached: {}; do not grant it unless absolutely necessary",
                        policy.name, policy.note
                    ),
                ),
                Risk::Excessive => self.warn(
                    "note",
                    name.span(),
                    format_args!(
                        "{who} has the system policy {} attached, which {}; proceed with caution",
                        policy.name, policy.note
                    ),
                ),
                Risk::Normal => {}
            }
            policies
                .add_system(text)
                .map_err(|e| self.err(name.span(), e.to_string()))?;
        }
        for file in custom {
            let label = file.get_ref();
            let path = self.base.join(label);
            let bytes = std::fs::read(&path).map_err(|e| {
                self.err(
                    file.span(),
                    format!("cannot read the policy file {label} attached to {who}: {e}"),
                )
            })?;
            let (doc, findings) = lint_source(&bytes, &ParseOptions::default());
            let lines = LineIndex::new(&bytes);
            let at = |f: &mcauth_policy::Finding| {
                let lc = lines.line_col(&bytes, f.span.start);
                format!(
                    "{label}:{}:{}: {}[{}]: {}{}",
                    lc.line,
                    lc.column,
                    match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    },
                    f.code,
                    f.message,
                    f.help
                        .as_deref()
                        .map(|h| format!(" (help: {h})"))
                        .unwrap_or_default()
                )
            };
            let errors: Vec<&mcauth_policy::Finding> =
                findings.iter().filter(|f| f.is_error()).collect();
            if let Some(first) = errors.first() {
                let more = match errors.len() {
                    1 => String::new(),
                    n => format!(" (and {} more; run `mcauth policy lint {label}`)", n - 1),
                };
                return Err(self.err(
                    file.span(),
                    format!(
                        "the policy file attached to {who} is refused: {}{more}",
                        at(first)
                    ),
                ));
            }
            let warnings: Vec<String> = findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .map(|f| format!("{who}: {}", at(f)))
                .collect();
            for w in warnings {
                self.warn("warning", file.span(), w);
            }
            let doc = doc.ok_or_else(|| self.err(file.span(), "the policy file does not read"))?;
            policies
                .add_custom(label, &doc)
                .map_err(|e| self.err(file.span(), format!("{label}: {e}")))?;
        }
        Ok(Arc::new(policies))
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
            let principal = PrincipalId::ram_user(acct, logon);
            let policies = self.attached(
                &format!("RAM user {principal}"),
                &user.system_policies,
                &user.policies,
            )?;
            let identity = Identity {
                principal,
                account: acct.to_owned(),
                kind: IdentityKind::RamUser,
                display_name: user.display_name.as_ref().map(|d| d.get_ref().clone()),
                policies: Some(policies),
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
            let principal = PrincipalId::ram_role(acct, name);
            let policies = self.attached(
                &format!("RAM role {principal}"),
                &role.system_policies,
                &role.policies,
            )?;
            let identity = Identity {
                principal,
                account: acct.to_owned(),
                kind: IdentityKind::RamRole,
                display_name: None,
                policies: Some(policies),
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
                identity: Arc::new(identity.clone()),
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

/// A TOML or serde message with any quoted value taken out: serde's
/// `invalid type: string "…", expected …` quotes what was found, which may
/// be a secret written where the file expected something else (an
/// AccessKey as a bare string in `access_keys`, say).
fn without_values(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let expected = rest.rfind(", expected ").map_or("", |at| &rest[at..]);
            let found = rest
                .split(['"', '`', '\''])
                .next()
                .unwrap_or_default()
                .trim_end();
            let found = found.strip_suffix(',').unwrap_or(found);
            return format!("{prefix}{found}{expected}");
        }
    }
    message.to_owned()
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
    fn a_secret_of_any_type_is_never_printed() {
        // The value sits where a secret (or an STS token) belongs, or
        // where a whole key belongs, written as something else.
        let cases = [
            "secret = 98765432123",
            "secret = 98765.4321",
            "secret = true",
            "secret = 1987-07-05T17:45:00Z",
            "secret = [\"S3cretInAnArray\"]",
            "secret = { value = \"S3cretInATable\" }",
            "secret = \"\"\"S3cret\nmultiline\"\"\" , extra = 98765432123",
        ];
        for case in cases {
            let text = GOOD.replace("secret = \"alice-S3cret-1\"", case);
            let (line, message) = invalid(&text);
            assert!((10..=11).contains(&line), "{case}: {line}: {message}");
            for leak in ["98765", "S3cret", "true", "1987", "InAnArray", "InATable"] {
                assert!(!message.contains(leak), "{case}: {message}");
            }
            let shown = Accounts::parse(&text, "a.toml")
                .err()
                .map(|e| format!("{e} {e:?}"))
                .unwrap_or_default();
            assert!(
                !shown.contains("98765") && !shown.contains("S3cret"),
                "{shown}"
            );
        }
        let token = GOOD.replace("token = \"etl-T0ken\"", "token = 424242424242");
        let (_, message) = invalid(&token);
        assert!(!message.contains("4242"), "{message}");
        assert!(message.contains("a secret must be a string"), "{message}");
        // A whole key written as a string: serde would quote the string.
        let bare = GOOD.replace(
            "access_keys = [{ id = \"acme-root\", secret = \"root-S3cret\" }]",
            "access_keys = [\"acme-root:root-S3cret\"]",
        );
        let (line, message) = invalid(&bare);
        assert_eq!(line, 4, "{message}");
        assert!(!message.contains("S3cret"), "{message}");
        assert!(
            message.starts_with("invalid type: string, expected"),
            "{message}"
        );
    }

    #[test]
    fn new_projects_start_with_aliyun_and_ram_unless_told() {
        let a = Accounts::parse(GOOD, "a.toml").expect("valid");
        assert_eq!(a.projects()[0].providers, DEFAULT_PROVIDERS);
        assert_eq!(
            Accounts::dev_default().projects()[0].providers,
            DEFAULT_PROVIDERS
        );
        let only = GOOD.replace(
            "owner = \"ALIYUN$acme@example.com\"\n",
            "owner = \"ALIYUN$acme@example.com\"\naccount_providers = [\"aliyun\"]\n",
        );
        let a = Accounts::parse(&only, "a.toml").expect("valid");
        assert_eq!(a.projects()[0].providers, [Provider::Aliyun]);
        let (line, message) = invalid(&only.replace("[\"aliyun\"]", "[\"RAM\"]"));
        assert_eq!(line, 21, "{message}");
        assert!(message.contains("must list \"ALIYUN\""), "{message}");
        let (_, message) = invalid(&only.replace("[\"aliyun\"]", "[\"ALIYUN\", \"LDAP\"]"));
        assert!(
            message.contains("\"LDAP\" is not an account provider"),
            "{message}"
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
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/accounts.toml");
        let a = Accounts::load(&path).expect("valid example");
        assert_eq!(a.projects().len(), 2);
        let orders = &a.projects()[0].tables[0];
        assert_eq!(
            (orders.name.as_str(), orders.owner.as_str()),
            ("orders", "RAM$acme@example.com:alice")
        );
        assert_eq!(
            a.key("STS.etl-runner-id")
                .map(|k| k.identity.principal.as_str()),
            Some("RAM$acme@example.com:role/etl_runner")
        );
        assert_eq!(a.region(), "cn-hangzhou");
        assert_eq!(a.account_id("ACME@example.com"), "1234567890123456");
        let alice = a
            .key("alice-id-1")
            .and_then(|k| k.identity.policies.clone());
        assert_eq!(
            alice.as_deref().map(RamPolicies::names),
            Some(&["policies/tenant-user-admin.json".to_owned()][..])
        );
        assert!(a.warnings().is_empty(), "{:?}", a.warnings());
    }

    /// A fresh directory holding `files`.
    fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "mcauth-serve-accounts-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    const TENANT_ADMIN: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": "odps:AddTenantUsers", "Resource": "acme:odps:*:*:tenantUsers/*"}
  ]
}"#;

    fn with_policies(extra_user: &str) -> String {
        GOOD.replace(
            "display_name = \"Alice\"\n",
            &format!("display_name = \"Alice\"\n{extra_user}\n"),
        )
    }

    #[test]
    fn policies_attach_to_ram_users_and_roles() {
        let good = TENANT_ADMIN.replace("acme:odps", "acs:odps");
        let dir = dir_with("good", &[("policies/admin.json", &good)]);
        let text = format!(
            "region = \"cn-shanghai\"\n{}",
            with_policies(
                "system_policies = [\"AliyunMaxComputeReadOnlyAccess\"]\npolicies = [\"policies/admin.json\"]"
            )
            .replace(
                "sts = [{ id = \"STS.etl\"",
                "system_policies = [\"AliyunMaxComputeReadOnlyAccess\"]\nsts = [{ id = \"STS.etl\"",
            )
            .replace(
                "name = \"acme@example.com\"\n",
                "name = \"acme@example.com\"\nid = \"5555000011112222\"\n"
            )
        );
        let a = Accounts::parse_in(&text, "a.toml", &dir).expect("valid");
        let alice = a.key("alice-1").expect("alice");
        assert_eq!(
            alice.identity.policies.as_deref().map(RamPolicies::names),
            Some(
                &[
                    "system:AliyunMaxComputeReadOnlyAccess".to_owned(),
                    "policies/admin.json".to_owned()
                ][..]
            )
        );
        let etl = a.key("STS.etl").and_then(|k| k.identity.policies.clone());
        assert_eq!(etl.map(|p| p.names().len()), Some(1));
        assert!(
            a.key("acme-root")
                .is_some_and(|k| k.identity.policies.is_none())
        );
        assert_eq!(a.region(), "cn-shanghai");
        assert_eq!(a.account_id("acme@example.com"), "5555000011112222");
        assert_eq!(
            a.account_id("nobody@example.com"),
            derived_account_id("nobody@example.com")
        );
        assert_eq!(a.ram_policies().len(), 2);
        assert!(a.warnings().is_empty(), "{:?}", a.warnings());
        // Without `id` and `region`: derived, and cn-hangzhou.
        let a = Accounts::parse(GOOD, "a.toml").expect("valid");
        assert_eq!(a.region(), DEFAULT_REGION);
        assert_eq!(
            a.accounts(),
            [AccountInfo {
                name: "acme@example.com".into(),
                id: derived_account_id("acme@example.com"),
                derived: true
            }]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_policy_file_with_errors_is_refused_naming_both_places() {
        let dir = dir_with("bad", &[("bad.json", TENANT_ADMIN)]);
        let text = with_policies("policies = [\"bad.json\"]");
        let e = Accounts::parse_in(&text, "a.toml", &dir).expect_err("refused");
        let ServeError::AccountsInvalid { line, message, .. } = e else {
            panic!("{e:?}");
        };
        assert_eq!(line, 9, "{message}");
        assert!(
            message.contains("RAM user RAM$acme@example.com:alice.liu_01-x")
                && message.contains("bad.json:4:")
                && message.contains("mcauth::policy::malformed_arn"),
            "{message}"
        );
        assert!(!message.contains("S3cret"), "{message}");
        let shown = e_display(&text, &dir);
        assert!(shown.starts_with("a.toml:9: "), "{shown}");

        let (line, message) = invalid_in(&with_policies("policies = [\"missing.json\"]"), &dir);
        assert_eq!(line, 9);
        assert!(
            message.contains("cannot read the policy file missing.json"),
            "{message}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn invalid_in(text: &str, dir: &Path) -> (usize, String) {
        match Accounts::parse_in(text, "a.toml", dir) {
            Err(ServeError::AccountsInvalid { line, message, .. }) => (line, message),
            other => panic!("expected AccountsInvalid, got {other:?}"),
        }
    }

    fn e_display(text: &str, dir: &Path) -> String {
        Accounts::parse_in(text, "a.toml", dir)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn unknown_system_policies_are_refused_with_a_guess() {
        let (line, message) = invalid(&with_policies(
            "system_policies = [\"AliyunMaxComputeReadonlyAccess\"]",
        ));
        assert_eq!(line, 9);
        assert!(
            message.contains("\"AliyunMaxComputeReadonlyAccess\"")
                && message.contains("did you mean `AliyunMaxComputeReadOnlyAccess`?"),
            "{message}"
        );
    }

    #[test]
    fn high_risk_policies_are_warned_about_not_refused() {
        let text =
            with_policies("system_policies = [\"AdministratorAccess\", \"AliyunRAMFullAccess\"]");
        let a = Accounts::parse(&text, "a.toml").expect("warned, not refused");
        assert_eq!(a.warnings().len(), 2, "{:?}", a.warnings());
        assert_eq!(
            a.warnings()[0],
            "warning: a.toml:9: RAM user RAM$acme@example.com:alice.liu_01-x has the high-risk system policy AdministratorAccess attached: flagged by RAM as high-risk: full access to every Alibaba Cloud service; do not grant it unless absolutely necessary"
        );
        assert!(
            a.warnings()[1].contains("high-risk system policy AliyunRAMFullAccess"),
            "{:?}",
            a.warnings()
        );
        // Warning findings of custom policies are reported too.
        let broad = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "odps:*", "Resource": "*"}]}"#;
        let dir = dir_with("broad", &[("broad.json", broad)]);
        let a = Accounts::parse_in(
            &with_policies("policies = [\"broad.json\"]"),
            "a.toml",
            &dir,
        )
        .expect("warned");
        assert!(
            a.warnings()
                .iter()
                .any(|w| w.starts_with("warning: a.toml:9: RAM user")
                    && w.contains("broad.json:1:")
                    && w.contains("overly_broad_grant")),
            "{:?}",
            a.warnings()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn regions_and_account_ids_are_checked() {
        let (line, message) = invalid(&format!("region = \"Hangzhou\"\n{GOOD}"));
        assert_eq!(line, 1);
        assert!(message.contains("region id"), "{message}");
        let with_id = |id: &str| {
            GOOD.replace(
                "name = \"acme@example.com\"\n",
                &format!("name = \"acme@example.com\"\nid = \"{id}\"\n"),
            )
        };
        let (line, message) = invalid(&with_id("12ab"));
        assert_eq!(line, 4);
        assert!(message.contains("digits"), "{message}");
        let two = format!(
            "{}\n[[accounts]]\nname = \"b@example.com\"\nid = \"42\"\n",
            with_id("42")
        );
        let (line, message) = invalid(&two);
        assert!(message.contains("same id 42"), "{message}");
        assert!(line > 20, "{line}");
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
