//! End to end: a real `mcauth serve` on 127.0.0.1 (in process, over a
//! store file), state made by statements sent through the REST client,
//! then every reader run against it; the changes it returns, applied to
//! an unread state, must give back what the emulator's store holds.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mcauth_engine::{
    Change, Fact, Flag, GranteeId, PolicySlot, PrincipalId, ProjectState, RoleName, StateView,
    apply,
};
use mcauth_odps::{
    Client, ClientConfig, Credentials, PolicyTarget, PollPolicy, RetryPolicy, SecurityQuery,
};
use mcauth_serve::{
    Accounts, DEFAULT_ACCESS_ID, DEFAULT_ACCESS_SECRET, DEFAULT_ACCOUNT, DEFAULT_PROJECT,
    RequestLog, ServeConfig, StoreLocation, start,
};

use super::{Known, read, read_grants, readable};

/// A store file removed when dropped.
struct TempStore(PathBuf);

impl TempStore {
    fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        TempStore(
            std::env::temp_dir().join(format!("mcauth-facts-{tag}-{}-{n}.db", std::process::id())),
        )
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn client(endpoint: String) -> Client {
    let creds = Credentials::new(DEFAULT_ACCESS_ID, DEFAULT_ACCESS_SECRET);
    let mut config = ClientConfig::new(endpoint, DEFAULT_PROJECT, creds);
    config.retry = RetryPolicy::none();
    config.poll = PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        max_wait: Some(Duration::from_secs(10)),
    };
    Client::new(config).expect("client")
}

fn owner() -> PrincipalId {
    PrincipalId::aliyun(DEFAULT_ACCOUNT)
}

fn alice() -> PrincipalId {
    PrincipalId::ram_user(DEFAULT_ACCOUNT, "alice")
}

fn bob() -> PrincipalId {
    PrincipalId::ram_user(DEFAULT_ACCOUNT, "Bo$b")
}

const ROLE_DOC: &str = "{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"odps:Read\"], \"Resource\": [\"acs:odps:*:projects/dev/tables/t\"]}]}\n";
const PROJECT_DOC: &str = "{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Deny\", \"Principal\": [\"*\"], \"Action\": [\"odps:Drop\"], \"Resource\": [\"acs:odps:*:projects/dev/tables/*\"]}]}";

const SCRIPT: &[&str] = &[
    "add accountprovider ram",
    "add user RAM$alice",
    "add user RAM$Bo$b",
    "add user RAM$gone",
    "create role Worker",
    "create role Ops_1",
    "create role doomed",
    "create role auditor privilegeproperties(\"type\"=\"admin\")",
    "grant worker to RAM$alice",
    "grant CreateTable, List on project dev to RAM$alice",
    "grant Select, Describe on table sales (c1, C2) to RAM$alice privilegeproperties(\"expires\"=\"30\")",
    "grant Read on resource a:b.jar to RAM$alice privilegeproperties(\"conditions\"=\"acs:SourceIp='10.0.0.0/8'\")",
    "grant Select on table t to role worker",
    "grant Drop on table tb_* to role worker privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\")",
    "grant Execute on function f/x to role Ops_1",
    "grant Select on table kept to RAM$gone",
    "remove user RAM$gone",
    "grant Select on table dropped to role doomed",
    "drop role doomed",
    "set ProjectProtection=true",
    "set CheckPermissionUsingACL=false",
    "add trustedproject Q$1",
    "add trustedproject other",
    "create package k",
    "create package empty",
    "add table sales to package k with privileges Select, Describe",
    "add function f/x to package k",
    "allow project q to install package k using label 2",
    "allow project r to install package k",
    "install package other.pkg",
    "add tenant user RAM$alice",
    "create tenant role tr",
    "grant Select on table t to tenant role tr",
    "grant tenant role tr to user RAM$alice",
    "grant label 2 on table sales to RAM$alice",
    "grant label 3 on table sales (c1) to role worker with exp 5",
    "add group Data_Team comment 'reviews the sales tables'",
    "add group gone",
    "remove group gone",
    "add tenant group Ops",
];

/// Runs the script on a fresh emulator, reads every fact back and hands
/// both the store's state and the reads to `check`.
#[test]
fn every_reader_reproduces_what_the_emulator_holds() {
    let store = TempStore::new("all");
    let rt = runtime();
    rt.block_on(async {
        let mut config = ServeConfig::new(
            "127.0.0.1:0".parse().expect("addr"),
            StoreLocation::Path(store.0.clone()),
            Accounts::dev_default(),
        );
        config.request_log = RequestLog::Custom(std::sync::Arc::new(|_: &str| {}));
        let server = start(config).await.expect("the emulator starts");
        let c = client(server.endpoint());
        for q in SCRIPT {
            c.run_security_query(
                DEFAULT_PROJECT,
                &SecurityQuery::new(*q),
                std::future::pending(),
            )
            .await
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        }
        c.put_policy(DEFAULT_PROJECT, PolicyTarget::Role("worker"), ROLE_DOC)
            .await
            .expect("role policy");
        c.put_policy(DEFAULT_PROJECT, PolicyTarget::Project, PROJECT_DOC)
            .await
            .expect("project policy");

        let held = {
            let mut db = mcauth_store::Store::open(&store.0).expect("the store opens");
            db.project(DEFAULT_PROJECT, &owner())
                .expect("the project")
                .state()
                .clone()
        };

        // A role's type comes with the listing (no statement's text shows it).
        let listed = c.list_roles(DEFAULT_PROJECT).await.expect("roles");
        let auditor = listed.iter().find(|r| r.name == "auditor").expect("listed");
        assert_eq!(auditor.role_type.as_deref(), Some("admin"));

        let known = Known {
            roles: held.roles().into_iter().cloned().collect(),
        };
        let mut back = ProjectState::unread(DEFAULT_PROJECT, owner());
        for fact in Fact::ALL {
            let read = read(c.clone(), DEFAULT_PROJECT.into(), fact, known.clone())
                .await
                .unwrap_or_else(|e| panic!("{fact}: {e}"));
            assert_eq!(read.is_some(), readable(fact), "{fact}");
            for change in read.iter().flatten() {
                apply(&mut back, change);
            }
        }
        assert_eq!(back.trusted_projects(), ["other", "q$1"]);
        assert_eq!(back.trusted_projects(), held.trusted_projects());
        for flag in Flag::ALL {
            assert_eq!(back.flag(flag), held.flag(flag), "{flag:?}");
        }
        assert!(back.flag(Flag::ProjectProtection));
        assert_eq!(back.packages(), ["empty", "k"]);
        for k in held.packages() {
            assert_eq!(back.package(k), held.package(k), "{k}");
        }
        assert_eq!(back.installed_packages(), ["other.pkg"]);
        assert_eq!(back.tenant_users(), [&alice()]);
        assert_eq!(back.tenant_roles(), held.tenant_roles());
        for r in held.tenant_roles() {
            assert_eq!(back.tenant_role(r), held.tenant_role(r), "{r}");
            assert_eq!(
                back.tenant_role_members(r),
                held.tenant_role_members(r),
                "{r}"
            );
        }
        assert!(
            back.tenant_roles_of(&alice())
                .iter()
                .eq([&RoleName::new("tr")])
        );
        assert_eq!(back.label_grants().len(), 2);
        assert_eq!(back.label_grants(), held.label_grants());
        let groups = |s: &ProjectState| -> Vec<(bool, String)> {
            s.groups()
                .into_iter()
                .map(|(g, _)| (g.tenant, g.name.clone()))
                .collect()
        };
        assert_eq!(
            groups(&back),
            [(false, "data_team".to_owned()), (true, "ops".to_owned())]
        );
        assert_eq!(groups(&back), groups(&held));
        let worker = RoleName::new("worker");
        for slot in [
            PolicySlot::Project,
            PolicySlot::Security,
            PolicySlot::Role(worker.clone()),
            PolicySlot::Role(RoleName::new("Ops_1")),
        ] {
            assert_eq!(back.policy(&slot), held.policy(&slot), "{slot}");
        }
        assert_eq!(
            back.policy(&PolicySlot::Role(worker.clone())),
            Some(ROLE_DOC)
        );

        // Grants, per grantee.
        let grantees = [
            GranteeId::User(alice()),
            GranteeId::User(bob()),
            GranteeId::Role(worker.clone()),
            GranteeId::Role(RoleName::new("OPS_1")),
            GranteeId::TenantRole(RoleName::new("tr")),
        ];
        for g in &grantees {
            let read = read_grants(c.clone(), DEFAULT_PROJECT.into(), g.clone())
                .await
                .unwrap_or_else(|e| panic!("{g}: {e}"))
                .unwrap_or_else(|| panic!("{g}: not read"));
            for change in &read {
                assert!(
                    matches!(change, Change::AddAclGrant { grantee, .. } if grantee == g),
                    "{change}"
                );
                apply(&mut back, change);
            }
            let keys = |s: &ProjectState| -> Vec<_> {
                s.grants_of(g)
                    .into_iter()
                    .map(|a| (a.key.clone(), a.props.expires, a.props.conditions.is_some()))
                    .collect()
            };
            assert_eq!(keys(&back), keys(&held), "{g}");
        }
        assert_eq!(back.grants_of(&GranteeId::User(alice())).len(), 7);
        assert!(back.grants_of(&GranteeId::User(bob())).is_empty());

        // A removed user, a dropped role and the owner cannot be asked.
        for g in [
            GranteeId::User(PrincipalId::ram_user(DEFAULT_ACCOUNT, "gone")),
            GranteeId::User(PrincipalId::ram_user(DEFAULT_ACCOUNT, "never")),
            GranteeId::Role(RoleName::new("doomed")),
            GranteeId::User(owner()),
        ] {
            let read = read_grants(c.clone(), DEFAULT_PROJECT.into(), g.clone())
                .await
                .unwrap_or_else(|e| panic!("{g}: {e}"));
            assert_eq!(read, None, "{g}");
        }
        assert!(
            !held
                .grants_of(&GranteeId::User(PrincipalId::ram_user(
                    DEFAULT_ACCOUNT,
                    "gone"
                )))
                .is_empty(),
            "the removed user's grants are retained, yet not shown"
        );
        server.shutdown().await;
    });
}

/// A reader that meets text it does not expect fails with an error that
/// names the statement; here a tenant role's grants asked of a project
/// role's name, which the service refuses: the refusal stands.
#[test]
fn a_refusal_of_an_existing_grantee_is_an_error() {
    let rt = runtime();
    rt.block_on(async {
        let mut config = ServeConfig::new(
            "127.0.0.1:0".parse().expect("addr"),
            StoreLocation::Memory,
            Accounts::dev_default(),
        );
        config.request_log = RequestLog::Custom(std::sync::Arc::new(|_: &str| {}));
        let server = start(config).await.expect("the emulator starts");
        let c = client(server.endpoint());
        let missing = read_grants(
            c.clone(),
            DEFAULT_PROJECT.into(),
            GranteeId::TenantRole(RoleName::new("nope")),
        )
        .await;
        assert!(missing.is_err(), "{missing:?}");
        // A project with nothing in it reads as nothing, not as an error.
        let known = Known::default();
        for fact in Fact::ALL.into_iter().filter(|f| readable(*f)) {
            let read = read(c.clone(), DEFAULT_PROJECT.into(), fact, known.clone())
                .await
                .unwrap_or_else(|e| panic!("{fact}: {e}"))
                .unwrap_or_else(|| panic!("{fact}: not read"));
            let expected = if fact == Fact::Flags {
                Flag::ALL.len()
            } else {
                0
            };
            assert_eq!(read.len(), expected, "{fact}: {read:?}");
        }
        server.shutdown().await;
    });
}
