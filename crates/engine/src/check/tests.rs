//! One test (at least) per rule of docs/language.md#checked-rules (a–j) and per output format.

use mcauth_syntax::ast::Statement;

use crate::failure::{Failure, FailureCode, WarningCode};
use crate::names::PrincipalId;
use crate::state::ProjectState;
use crate::{Caller, Context, Effect, Verdict, execute_in, plan};

const OWNER_ACCOUNT: &str = "odps_test_user@aliyun.com";

struct Project {
    state: ProjectState,
    ctx: Context,
}

fn statements(src: &str) -> Vec<Statement> {
    let parsed = mcauth_syntax::parse(src);
    assert!(parsed.errors.is_empty(), "{src}: {:?}", parsed.errors);
    parsed.statements
}

fn owner() -> Caller {
    Caller::new(PrincipalId::aliyun(OWNER_ACCOUNT), OWNER_ACCOUNT)
}

fn caller(p: &str) -> Caller {
    Caller::from_principal(PrincipalId::parse(p, OWNER_ACCOUNT).unwrap())
}

impl Project {
    fn new() -> Self {
        Project {
            state: ProjectState::new("test_project_a", PrincipalId::aliyun(OWNER_ACCOUNT)),
            ctx: Context::default(),
        }
    }

    /// Runs every statement; all must pass. Returns the last effect.
    fn run_as(&mut self, who: &Caller, src: &str) -> Effect {
        let mut last = None;
        for s in statements(src) {
            match execute_in(&mut self.state, who, &self.ctx, &s) {
                Ok(e) => last = Some(e),
                Err(f) => panic!("`{s}` failed: {} ({})\nhelp: {}", f.message, f.code, f.help),
            }
            self.ctx.observe(&s);
        }
        last.expect("no statement")
    }

    fn run(&mut self, src: &str) -> Effect {
        self.run_as(&owner(), src)
    }

    fn text(&mut self, src: &str) -> String {
        self.run(src).output.to_string()
    }

    /// Runs every statement but the last, which must fail.
    fn fail_as(&mut self, who: &Caller, src: &str) -> Failure {
        let all = statements(src);
        let (last, rest) = all.split_last().expect("no statement");
        for s in rest {
            if let Err(f) = execute_in(&mut self.state, who, &self.ctx, s) {
                panic!("`{s}` failed: {}", f.message);
            }
            self.ctx.observe(s);
        }
        let before = self.state.clone();
        match execute_in(&mut self.state, who, &self.ctx, last) {
            Ok(e) => panic!("`{last}` passed: {}", e.output),
            Err(f) => {
                assert_eq!(self.state, before, "a failure must not change the state");
                f
            }
        }
    }

    fn fail(&mut self, src: &str) -> Failure {
        self.fail_as(&owner(), src)
    }
}

/// The source text a failure's span covers.
fn spanned<'a>(src: &'a str, f: &Failure) -> &'a str {
    &src[f.span.range()]
}

const BOB: &str = "RAM$odps_test_user@aliyun.com:ram_test";

fn with_ram() -> Project {
    let mut p = Project::new();
    p.run("add accountprovider ram;");
    p
}

// a. RAM principals need the RAM account provider.

#[test]
fn a_ram_user_needs_the_ram_account_provider() {
    let mut p = Project::new();
    let src = "add user RAM$ram_test;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::LackOfAccountProvider);
    assert_eq!(
        f.message,
        "lack of account provider, principalName RAM$odps_test_user@aliyun.com:ram_test"
    );
    assert!(f.help.contains("add accountprovider ram;"), "{}", f.help);
    assert_eq!(spanned(src, &f), "RAM$ram_test");
    assert_eq!(
        p.text("add accountprovider ram; add user RAM$ram_test;"),
        "OK"
    );
}

#[test]
fn a_ram_roles_and_grants_need_the_provider_too() {
    let mut p = Project::new();
    let f = p.fail("add user `RAM$odps_test_user@aliyun.com:role/ram_role`;");
    assert_eq!(f.code, FailureCode::LackOfAccountProvider);
    let f = p.fail("create role worker; grant worker to RAM$ram_test;");
    assert_eq!(f.code, FailureCode::LackOfAccountProvider);
    let f = p.fail("grant Select on table t to RAM$ram_test;");
    assert_eq!(f.code, FailureCode::LackOfAccountProvider);
}

// b. RAM$name is the caller's account; other accounts take two steps.

#[test]
fn b_ram_name_resolves_to_the_callers_account() {
    let mut p = with_ram();
    p.run("add user RAM$ram_test;");
    assert_eq!(p.text("list users;"), BOB);
    // Both spellings name the same user.
    let f = p.fail("add user RAM$odps_test_user@aliyun.com:ram_test;");
    assert_eq!(f.code, FailureCode::UserAlreadyExists);
}

#[test]
fn b_another_accounts_ram_user_takes_two_steps() {
    let mut p = with_ram();
    let src = "add user RAM$other@aliyun.com:bob;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::OtherAccountRamUser);
    assert_eq!(spanned(src, &f), "RAM$other@aliyun.com:bob");
    assert!(
        f.help.contains("add user ALIYUN$other@aliyun.com;"),
        "{}",
        f.help
    );
    assert!(
        f.help.contains("add user RAM$other@aliyun.com:bob;"),
        "{}",
        f.help
    );
    // The documented way: add the account, then it adds its RAM user.
    p.run("add user ALIYUN$other@aliyun.com; grant admin to ALIYUN$other@aliyun.com;");
    p.run_as(&caller("ALIYUN$other@aliyun.com"), "add user RAM$bob;");
    assert_eq!(
        p.text("list users;"),
        "ALIYUN$other@aliyun.com\nRAM$other@aliyun.com:bob"
    );
}

// c. remove user while it holds roles.

#[test]
fn c_removing_a_user_with_roles_fails_with_the_revoke_that_fixes_it() {
    let mut p = with_ram();
    p.run("create role worker; create role reader; add user RAM$ram_test; grant Worker, reader to RAM$ram_test;");
    let src = "remove user RAM$ram_test;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::UserHoldsRoles);
    assert!(f.message.contains("reader, worker"), "{}", f.message);
    assert_eq!(spanned(src, &f), "RAM$ram_test");
    let fix = format!("revoke reader, worker from {BOB};");
    assert!(f.help.starts_with(&fix), "{}", f.help);
    // The RAM user warns about the p4_ residue.
    assert_eq!(f.warnings.len(), 1);
    assert_eq!(f.warnings[0].code, WarningCode::ResidueRisk);
    assert!(f.warnings[0].message.contains("p4_"));
    // The help's statement is one statement and fixes it.
    assert_eq!(statements(&fix).len(), 1);
    p.run(&fix);
    assert_eq!(p.text(src), "OK");
}

#[test]
fn c_an_aliyun_user_with_roles_gets_no_residue_warning() {
    let mut p = Project::new();
    p.run("add user ALIYUN$bob@aliyun.com; grant admin to ALIYUN$bob@aliyun.com;");
    let f = p.fail("remove user ALIYUN$bob@aliyun.com;");
    assert_eq!(f.code, FailureCode::UserHoldsRoles);
    assert!(f.warnings.is_empty());
    assert!(
        f.help
            .starts_with("revoke admin from ALIYUN$bob@aliyun.com;")
    );
}

#[test]
fn c_residues_are_listed_and_cannot_be_removed() {
    let mut p = with_ram();
    p.run("create role worker;");
    crate::apply(
        &mut p.state,
        &crate::Change::AddResidue {
            principal: PrincipalId::parse("p4_2652900", "").unwrap(),
            roles: vec![crate::RoleName::new("worker")],
        },
    );
    p.run("add user ALIYUN$a@x.com;");
    assert_eq!(p.text("list users;"), "ALIYUN$a@x.com\np4_2652900");
    let f = p.fail("remove user p4_2652900;");
    assert_eq!(f.code, FailureCode::ResidueNotRemovable);
    assert_eq!(
        f.message,
        "lack of account provider, principalName p4_2652900"
    );
    assert!(
        f.help.contains("revoke worker from p4_2652900;"),
        "{}",
        f.help
    );
    // Its role keeps the role from being dropped until revoked.
    assert_eq!(p.fail("drop role worker;").code, FailureCode::RoleInUse);
    p.run("revoke worker from p4_2652900; drop role worker;");
}

// d. Removed users keep dormant grants; purge clears them.

#[test]
fn d_removed_users_keep_dormant_grants_until_purged() {
    let mut p = Project::new();
    let bob = "ALIYUN$bob@aliyun.com";
    p.run(&format!(
        "add user {bob}; grant Select, Describe on table t to {bob};"
    ));
    let e = p.run(&format!("remove user {bob};"));
    assert_eq!(e.warnings[0].code, WarningCode::GrantsRetained);
    assert_eq!(
        p.fail(&format!("show grants for {bob};")).code,
        FailureCode::InvalidAccountName
    );
    // Re-adding restores them.
    let e = p.run(&format!("add user {bob};"));
    assert_eq!(e.warnings[0].code, WarningCode::RetainedGrantsRestored);
    assert!(
        p.text(&format!("show grants for {bob};"))
            .contains("tables/t: Select | Describe")
    );
    // purge fails while the user exists…
    let src = format!("purge privs from user {bob};");
    let f = p.fail(&src);
    assert_eq!(f.code, FailureCode::PrincipalStillExists);
    assert_eq!(
        f.message,
        format!("Principal {bob} still exist in the project")
    );
    assert_eq!(spanned(&src, &f), bob);
    assert!(f.help.contains(&format!("remove user {bob};")));
    // …and clears them once it is gone.
    p.run(&format!(
        "remove user {bob}; purge privs from user {bob}; add user {bob};"
    ));
    assert_eq!(p.text(&format!("show grants for {bob};")), "[roles]");
}

// e. Granting and revoking roles.

#[test]
fn e_role_grants_need_an_existing_role_and_a_member() {
    let mut p = Project::new();
    let src = "grant worker to ALIYUN$bob@aliyun.com;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::RoleNotFound);
    assert_eq!(spanned(src, &f), "worker");
    assert!(f.help.contains("create role worker;"));

    p.run("create role worker;");
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::InvalidAccountName);
    assert_eq!(f.message, "Invalid account Name ALIYUN$bob@aliyun.com");
    assert_eq!(spanned(src, &f), "ALIYUN$bob@aliyun.com");
    assert!(f.help.contains("add user ALIYUN$bob@aliyun.com;"));

    p.run("add user ALIYUN$bob@aliyun.com;");
    p.run(src);
    let again = "grant WORKER to ALIYUN$bob@aliyun.com;";
    let f = p.fail(again);
    assert_eq!(f.code, FailureCode::RoleAlreadyGranted);
    assert_eq!(f.message, "Principal already have the Role:worker");
    assert_eq!(spanned(again, &f), "WORKER");
}

#[test]
fn e_revoking_a_role_not_held_fails() {
    let mut p = Project::new();
    p.run("create role worker; create role reader; add user ALIYUN$bob@aliyun.com; grant reader to ALIYUN$bob@aliyun.com;");
    let src = "revoke worker from ALIYUN$bob@aliyun.com;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::RoleNotGranted);
    assert_eq!(spanned(src, &f), "worker");
    assert!(f.help.contains("revoke reader from ALIYUN$bob@aliyun.com;"));
    p.run("revoke reader from ALIYUN$bob@aliyun.com;");
}

#[test]
fn e_one_statement_cannot_grant_a_role_twice() {
    let mut p = Project::new();
    p.run("create role worker; add user ALIYUN$bob@aliyun.com;");
    let f = p.fail("grant worker, Worker to ALIYUN$bob@aliyun.com;");
    assert_eq!(f.code, FailureCode::RoleAlreadyGranted);
}

// f. Dropping roles.

#[test]
fn f_an_assigned_role_cannot_be_dropped() {
    let mut p = Project::new();
    p.run("create role worker; add user ALIYUN$a@x.com; add user ALIYUN$b@x.com; grant worker to ALIYUN$a@x.com, ALIYUN$b@x.com;");
    let src = "drop role worker;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::RoleInUse);
    assert_eq!(spanned(src, &f), "worker");
    let fix = "revoke worker from ALIYUN$a@x.com, ALIYUN$b@x.com;";
    assert!(f.help.starts_with(fix), "{}", f.help);
    p.run(fix);
    p.run(src);
}

#[test]
fn f_a_dropped_roles_grants_pass_to_a_recreated_role_until_purged() {
    let mut p = Project::new();
    p.run("create role worker; grant Select on table t to role worker;");
    let e = p.run("drop role worker;");
    assert_eq!(e.warnings[0].code, WarningCode::GrantsRetained);
    let e = p.run("create role worker;");
    assert_eq!(e.warnings[0].code, WarningCode::RetainedGrantsRestored);
    assert!(p.text("describe role worker;").contains("tables/t: Select"));
    let f = p.fail("purge privs from role worker;");
    assert_eq!(f.code, FailureCode::PrincipalStillExists);
    assert_eq!(f.message, "Principal worker still exist in the project");
    assert!(f.help.contains("drop role worker;"));
    p.run("drop role worker; purge privs from role worker; create role worker;");
    assert_eq!(p.text("describe role worker;"), "[users]");
}

#[test]
fn f_builtin_roles_cannot_be_dropped() {
    let mut p = Project::new();
    for role in ["admin", "Super_Administrator"] {
        let f = p.fail(&format!("drop role {role};"));
        assert_eq!(f.code, FailureCode::BuiltinRole);
    }
}

// g. The authority matrix.

fn team() -> Project {
    let mut p = Project::new();
    p.run(
        "add user ALIYUN$sa@x.com; grant super_administrator to ALIYUN$sa@x.com;
         add user ALIYUN$adm@x.com; grant admin to ALIYUN$adm@x.com;
         add user ALIYUN$dev@x.com;",
    );
    p
}

#[test]
fn g_plain_members_and_outsiders_cannot_manage() {
    let mut p = team();
    let f = p.fail_as(&caller("ALIYUN$dev@x.com"), "add user ALIYUN$z@x.com;");
    assert_eq!(f.code, FailureCode::PermissionDenied);
    assert_eq!(
        f.message,
        "ODPS-0420095: Access Denied - You have no privilege 'odps:AddUser' on {acs:odps:*:projects/test_project_a}"
    );
    assert!(f.help.contains("grant admin to ALIYUN$dev@x.com;"));
    // A member may still look at its own grants.
    p.run_as(&caller("ALIYUN$dev@x.com"), "show grants; whoami;");
    let f = p.fail_as(&caller("ALIYUN$stranger@x.com"), "list users;");
    assert_eq!(f.code, FailureCode::CallerNotInProject);
    assert_eq!(
        f.message,
        "ODPS-0420095: Access Denied - Authorization Failed [4002], You don't exist in project test_project_a."
    );
}

#[test]
fn g_admin_cannot_grant_admin_or_super_administrator() {
    let mut p = team();
    let adm = caller("ALIYUN$adm@x.com");
    p.run_as(
        &adm,
        "add user ALIYUN$z@x.com; create role worker; grant worker to ALIYUN$z@x.com;",
    );
    for role in ["admin", "super_administrator"] {
        let src = format!("grant {role} to ALIYUN$z@x.com;");
        let f = p.fail_as(&adm, &src);
        assert_eq!(f.code, FailureCode::PermissionDenied);
        assert_eq!(spanned(&src, &f), role);
        assert!(f.help.contains(&src), "{}", f.help);
    }
    let f = p.fail_as(&adm, "revoke admin from ALIYUN$adm@x.com;");
    assert_eq!(f.code, FailureCode::PermissionDenied);
    // Super_Administrator may; so may the owner.
    p.run_as(&caller("ALIYUN$sa@x.com"), "grant admin to ALIYUN$z@x.com;");
    p.run("grant super_administrator to ALIYUN$z@x.com;");
}

#[test]
fn g_only_the_owner_changes_account_providers() {
    let mut p = team();
    for who in ["ALIYUN$sa@x.com", "ALIYUN$adm@x.com"] {
        let f = p.fail_as(&caller(who), "add accountprovider ram;");
        assert_eq!(f.code, FailureCode::PermissionDenied);
        assert!(f.help.contains("add accountprovider ram;"));
        assert!(f.help.contains("ALIYUN$odps_test_user@aliyun.com"));
        // Listing them is a read.
        p.run_as(&caller(who), "list accountproviders;");
    }
    p.run("add accountprovider ram;");
}

#[test]
fn g_security_configuration_is_owner_and_super_administrator_only() {
    let mut p = team();
    let f = p.fail_as(&caller("ALIYUN$adm@x.com"), "set ProjectProtection=true;");
    assert_eq!(f.code, FailureCode::PermissionDenied);
    p.run_as(&caller("ALIYUN$adm@x.com"), "show securityconfiguration;");
    p.run_as(&caller("ALIYUN$sa@x.com"), "set ProjectProtection=true;");
    assert!(
        p.text("show securityconfiguration;")
            .contains("ProjectProtection=true")
    );
}

// h. ACL grants.

#[test]
fn h_a_privilege_must_suit_its_object_type() {
    let mut p = Project::new();
    p.run("create role worker;");
    let src = "grant Select on project test_project_a to role worker;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::InvalidPrivilege);
    assert_eq!(spanned(src, &f), "Select");
    assert!(f.help.contains("CreateTable"), "{}", f.help);
    let src = "grant Selct on table t to role worker;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::InvalidPrivilege);
    assert!(
        f.help.contains("grant Select on table t to role worker;"),
        "{}",
        f.help
    );
    let f = p.fail("grant Execute on resource r to role worker;");
    assert_eq!(f.code, FailureCode::InvalidPrivilege);
    p.run("grant execute on function f to role worker; grant read on resource udtf.jar to role worker;");
}

#[test]
fn h_the_grantee_must_exist() {
    let mut p = Project::new();
    let f = p.fail("grant Select on table t to ALIYUN$nobody@x.com;");
    assert_eq!(f.code, FailureCode::InvalidAccountName);
    let src = "grant Select on table t to role nobody;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::RoleNotFound);
    assert_eq!(spanned(src, &f), "nobody");
}

#[test]
fn h_policy_grants_go_to_roles_only() {
    let mut p = Project::new();
    p.run("add user ALIYUN$bob@x.com;");
    let f = p.fail(
        r#"grant Select on table t to ALIYUN$bob@x.com privilegeproperties("policy"="true", "allow"="true");"#,
    );
    assert_eq!(f.code, FailureCode::PolicyGrantToUser);
    assert_eq!(
        f.message,
        "Policy-based permission control supports granting permissions only to existing roles."
    );
    assert!(
        f.help.contains(r#"create role policy_role; grant Select on table t to role policy_role privilegeproperties("policy"="true", "allow"="true"); grant policy_role to ALIYUN$bob@x.com;"#),
        "{}",
        f.help
    );
}

#[test]
fn h_admin_roles_take_policy_grants_only() {
    let mut p = Project::new();
    p.run(r#"create role ops privilegeproperties("type"="admin");"#);
    let f = p.fail("grant Select on table t to role ops;");
    assert_eq!(f.code, FailureCode::AclGrantToAdminRole);
    let fix = r#"grant Select on table t to role ops privilegeproperties("policy"="true", "allow"="true");"#;
    assert!(f.help.contains(fix), "{}", f.help);
    p.run(fix);
    assert!(
        p.text("describe role ops;")
            .contains("Authorization Type: Policy")
    );
    // Built-in roles cannot be changed at all.
    assert_eq!(
        p.fail("grant Select on table t to role admin;").code,
        FailureCode::BuiltinRole
    );
}

#[test]
fn h_acl_is_allow_only_and_has_no_grant_option() {
    let mut p = Project::new();
    p.run("create role worker;");
    let f = p.fail("grant Select on table t to role worker with grant option;");
    assert_eq!(f.code, FailureCode::GrantOptionNotSupported);
    assert!(
        f.help.contains("grant Select on table t to role worker;"),
        "{}",
        f.help
    );
    let f =
        p.fail(r#"grant Select on table t to role worker privilegeproperties("allow"="false");"#);
    assert_eq!(f.code, FailureCode::AclDenyNotSupported);
    let f = p.fail("grant Select on table tb_* to role worker;");
    assert_eq!(f.code, FailureCode::InvalidObject);
    let f = p.fail("grant Select on table other_project.t to role worker;");
    assert_eq!(f.code, FailureCode::InvalidObject);
    p.run("grant Select on table test_project_a.t to role worker;");
}

#[test]
fn h_regrant_and_revoke_of_nothing_change_nothing() {
    let mut p = Project::new();
    p.run("create role worker; grant Select on table t to role worker;");
    let e = p.run("grant select on TABLE T to role worker;");
    assert!(e.changes.is_empty());
    assert_eq!(e.warnings[0].code, WarningCode::NoEffect);
    let e = p.run("revoke Drop on table t from role worker;");
    assert!(e.changes.is_empty());
    assert_eq!(e.warnings[0].code, WarningCode::NoEffect);
    let e = p.run("revoke select on table t from role worker;");
    assert_eq!(e.changes.len(), 1);
    assert_eq!(p.text("show grants for role worker;"), "");
}

// i. Removing the RAM provider while RAM members exist.

#[test]
fn i_the_ram_provider_stays_while_ram_members_exist() {
    let mut p = with_ram();
    p.run("create role worker; add user RAM$ram_test; grant worker to RAM$ram_test; add user ALIYUN$a@x.com;");
    let src = "remove accountprovider ram;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::AccountProviderInUse);
    assert!(f.message.contains(BOB), "{}", f.message);
    assert!(!f.message.contains("ALIYUN$a@x.com"));
    assert_eq!(spanned(src, &f), "ram");
    assert!(
        f.help.contains(&format!(
            "revoke worker from {BOB}; remove user {BOB}; remove accountprovider ram;"
        )),
        "{}",
        f.help
    );
    p.run(&format!("revoke worker from {BOB}; remove user {BOB};"));
    p.run(src);
    assert_eq!(p.text("list accountproviders;"), "ALIYUN");
    assert_eq!(
        p.fail("remove accountprovider aliyun;").code,
        FailureCode::AliyunProviderRequired
    );
}

// j. Case rules and display forms.

#[test]
fn j_keywords_roles_and_privileges_are_case_insensitive() {
    let mut p = with_ram();
    p.run("CREATE ROLE Worker; Add User ram$Ram_Test; GRANT worker TO RAM$Ram_Test; Grant SELECT On Table Sales To Role WORKER;");
    assert_eq!(p.text("list roles;"), "admin\nsuper_administrator\nworker");
    assert_eq!(
        p.text("list users;"),
        "RAM$odps_test_user@aliyun.com:Ram_Test"
    );
    assert_eq!(
        p.text("show grants for role worker;"),
        "Authorization Type: ACL\n[role/worker]\nA       projects/test_project_a/tables/sales: Select"
    );
    // The RAM role form needs backticks and displays with role/.
    p.run("add user `ram$odps_test_user@aliyun.com:role/ram_role`;");
    assert_eq!(
        p.text("list users;"),
        "RAM$odps_test_user@aliyun.com:Ram_Test\nRAM$odps_test_user@aliyun.com:role/ram_role"
    );
}

// Output formats.

#[test]
fn output_list_users_and_providers() {
    let mut p = with_ram();
    p.run("add user ALIYUN$odps_test_user2@aliyun.com; add user RAM$ram_test; add user `RAM$odps_test_user@aliyun.com:role/ram_role`;");
    assert_eq!(
        p.text("list users;"),
        "ALIYUN$odps_test_user2@aliyun.com\nRAM$odps_test_user@aliyun.com:ram_test\nRAM$odps_test_user@aliyun.com:role/ram_role"
    );
    assert_eq!(p.text("list accountproviders;"), "ALIYUN, RAM");
    assert_eq!(p.text("add user ALIYUN$x@x.com;"), "OK");
}

#[test]
fn output_whoami() {
    let mut p = Project::new();
    p.ctx.endpoint = Some("http://service.odps.aliyun.com/api".into());
    assert_eq!(
        p.text("whoami;"),
        "Name: ALIYUN$odps_test_user@aliyun.com\nEnd_Point: http://service.odps.aliyun.com/api\nProject: test_project_a"
    );
    p.run("add accountprovider ram; add user RAM$ram_test;");
    let out = p.run_as(&caller(BOB), "whoami;").output.to_string();
    assert!(out.starts_with(&format!("Name: {BOB}\n")), "{out}");
}

#[test]
fn output_show_grants_for_the_owner() {
    let mut p = Project::new();
    let expected = "[ALIYUN$odps_test_user@aliyun.com]\nprojects/test_project_a: Project Owner";
    assert_eq!(p.text("show grants;"), expected);
    assert_eq!(
        p.text("show grants for ALIYUN$odps_test_user@aliyun.com;"),
        expected
    );
}

#[test]
fn output_show_grants_for_a_user() {
    let mut p = with_ram();
    p.run(
        r#"create role worker; add user RAM$ram_test; grant worker to RAM$ram_test;
           grant CreateTable, CreateResource, CreateInstance, CreateFunction, List on project test_project_a to RAM$ram_test;
           grant Read on package project_test_b.datashare to RAM$ram_test;
           grant Drop, Download on table tb_* to role worker privilegeproperties("policy"="true", "allow"="true");"#,
    );
    let expected = "\
[roles]
worker

Authorization Type: ACL
[user/RAM$odps_test_user@aliyun.com:ram_test]
A       projects/test_project_a: CreateTable | CreateResource | CreateInstance | CreateFunction | List
A       projects/test_project_a/packages/project_test_b.datashare: Read

Authorization Type: Policy
[role/worker]
A       projects/test_project_a/tables/tb_*: Drop | Download";
    assert_eq!(p.text("show grants for RAM$ram_test;"), expected);
    // The user may see its own grants.
    assert_eq!(
        p.run_as(&caller(BOB), "show grants;").output.to_string(),
        expected
    );
    // Filtered by type.
    assert_eq!(
        p.text("show grants for RAM$ram_test on type package;"),
        "[roles]\nworker\n\nAuthorization Type: ACL\n[user/RAM$odps_test_user@aliyun.com:ram_test]\nA       projects/test_project_a/packages/project_test_b.datashare: Read"
    );
}

#[test]
fn output_privileges_print_in_grant_order_with_markers_and_expiry() {
    let mut p = Project::new();
    p.ctx.now = Some(1_735_689_600); // 2025-01-01T00:00:00Z
    p.run(
        r#"create role worker;
           grant Select on table t to role worker;
           grant Describe on table t to role worker;
           grant Download on table bank_data to role worker privilegeproperties("expires"="30");
           grant Select on table alifinance_* to role worker privilegeproperties("policy"="true", "allow"="false", "conditions"="acs:SourceIp in ('10.0.0.0/8')");"#,
    );
    assert_eq!(
        p.text("show grants for role worker;"),
        "\
Authorization Type: ACL
[role/worker]
A       projects/test_project_a/tables/bank_data: Download\tExpires:2025-01-31T00:00:00+0000
A       projects/test_project_a/tables/t: Select | Describe

Authorization Type: Policy
[role/worker]
DC      projects/test_project_a/tables/alifinance_*: Select"
    );
    // Once expired, clear expired grants removes it.
    p.ctx.now = Some(1_735_689_600 + 31 * 86_400);
    let e = p.run("clear expired grants;");
    assert_eq!(e.changes.len(), 1);
    assert!(!p.text("show grants for role worker;").contains("bank_data"));
}

#[test]
fn output_describe_role() {
    let mut p = with_ram();
    p.run(
        r#"create role worker; add user RAM$ram_test; grant worker to RAM$ram_test;
           grant CreateTable, List on project test_project_a to role worker;
           grant Download on table bank_data to role worker;
           grant Update on table sale_detail to role worker privilegeproperties("policy"="true", "allow"="true");"#,
    );
    assert_eq!(
        p.text("describe role Worker;"),
        "\
[users]
RAM$odps_test_user@aliyun.com:ram_test

Authorization Type: ACL
A       projects/test_project_a: CreateTable | List
A       projects/test_project_a/tables/bank_data: Download

Authorization Type: Policy
A       projects/test_project_a/tables/sale_detail: Update"
    );
    assert_eq!(
        p.fail("describe role nobody;").code,
        FailureCode::RoleNotFound
    );
}

#[test]
fn output_show_acl() {
    let mut p = with_ram();
    p.run(
        "create role worker; add user RAM$ram_test; add user ALIYUN$adm@x.com; grant admin to ALIYUN$adm@x.com;
         grant CreateTable, List on project test_project_a to role worker;
         grant Describe, Select on table sale_detail (customer_id) to RAM$ram_test;",
    );
    assert_eq!(
        p.text("show acl for test_project_a on type project;"),
        "\
Authorization Type: Implicit
AG      project_owner/ALIYUN$odps_test_user@aliyun.com: All
AG      admin/ALIYUN$adm@x.com: All

Authorization Type: ACL
A       role/worker(projects/test_project_a): CreateTable | List"
    );
    // Table is the default type.
    assert_eq!(
        p.text("show acl for sale_detail;"),
        "\
Authorization Type: Implicit
AG      project_owner/ALIYUN$odps_test_user@aliyun.com: All
AG      admin/ALIYUN$adm@x.com: All

Authorization Type: ACL
A       user/RAM$odps_test_user@aliyun.com:ram_test(acs:odps:*:projects/test_project_a/tables/sale_detail/customer_id): Describe | Select"
    );
}

#[test]
fn output_show_securityconfiguration_defaults() {
    let mut p = Project::new();
    assert_eq!(
        p.text("show securityconfiguration;"),
        "\
CheckPermissionUsingAcl=true
CheckPermissionUsingPolicy=true
ObjectCreatorHasAccessPermission=true
ObjectCreatorHasGrantPermission=true
LabelSecurity=false
ProjectProtection=false
ExternalResourceAccessControl=false
EnableDownloadPrivilege=false"
    );
    let e = p.run("set LabelSecurity=true;");
    assert_eq!(e.changes.len(), 1);
    assert!(p.run("set LabelSecurity=true;").changes.is_empty());
    // Session flags belong to the client.
    assert!(
        p.run("set odps.sql.allow.fullscan=true;")
            .changes
            .is_empty()
    );
}

#[test]
fn output_structured_forms_serialise() {
    let mut p = Project::new();
    p.run("create role worker;");
    let json = serde_json::to_string(&p.run("list roles;").output).unwrap();
    assert_eq!(
        json,
        r#"{"type":"roles","data":["admin","super_administrator","worker"]}"#
    );
    let json = serde_json::to_string(&p.run("list accountproviders;").output).unwrap();
    assert_eq!(json, r#"{"type":"account_providers","data":["ALIYUN"]}"#);
    let f = p.fail("drop role admin;");
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["code"], "mcauth::engine::builtin_role");
}

// Other statements are handled without panics.

#[test]
fn packages_trusted_projects_labels_and_tenants() {
    let mut p = Project::new();
    p.run(
        "create package datashare; add table sales to package datashare with privileges Select;
         allow project other to install package datashare; add trustedproject other;
         set label 2 to table sales (c1); add user ALIYUN$bob@x.com; grant label 2 on table sales to ALIYUN$bob@x.com;",
    );
    assert_eq!(p.text("list trustedprojects;"), "other");
    assert!(
        p.text("describe package datashare;")
            .contains("table sales: Select")
    );
    let e = p.run("install package other.pkg;");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    assert!(p.text("show packages;").contains("other.pkg"));
    assert!(
        p.text("show label grants;")
            .contains("user/ALIYUN$bob@x.com")
    );
    p.run("add tenant user RAM$t1; create tenant role tr; grant tenant role tr to user RAM$t1;");
    let f = p.fail("remove tenant user RAM$t1;");
    assert_eq!(f.code, FailureCode::UserHoldsRoles);
    assert!(
        f.help
            .starts_with("revoke tenant role tr from user RAM$odps_test_user@aliyun.com:t1;"),
        "{}",
        f.help
    );
    p.run("revoke tenant role tr from user RAM$t1; remove tenant user RAM$t1; list tenant roles;");
    // Groups are kept, not modelled: grants to them stay unsupported.
    let e = p.run("add group g;");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    assert_eq!(
        p.fail("grant Select on table sales to group g;").code,
        FailureCode::UnsupportedLocally
    );
}

// Planning.

#[test]
fn plan_checks_in_order_against_a_simulated_copy() {
    let p = with_ram();
    let before = p.state.clone();
    let script = statements(
        "create role worker; add user RAM$ram_test; grant worker to RAM$ram_test; grant nobody to RAM$ram_test; list users; remove user RAM$ram_test;",
    );
    let plan = plan(&p.state, &owner(), &script);
    assert_eq!(p.state, before, "planning changes nothing");
    assert!(!plan.is_clean());
    let verdicts: Vec<&str> = plan
        .steps
        .iter()
        .map(|s| match &s.verdict {
            Verdict::WillRun { .. } => "run",
            Verdict::NoChange => "none",
            Verdict::Fails(_) => "fails",
        })
        .collect();
    assert_eq!(verdicts, ["run", "run", "run", "fails", "none", "fails"]);
    let codes: Vec<FailureCode> = plan.failures().map(|(_, f)| f.code).collect();
    assert_eq!(
        codes,
        [FailureCode::RoleNotFound, FailureCode::UserHoldsRoles]
    );
    let text = plan.render(&script).to_string();
    assert!(
        text.contains("1: create role worker;\n   will run:\n     - create resource role worker\n"),
        "{text}"
    );
    assert!(
        text.contains("5: list users;\n   changes nothing\n"),
        "{text}"
    );
    assert!(text.contains("   fails: role nobody does not exist [mcauth::engine::role_not_found]\n     help: create it first: create role nobody;\n"), "{text}");
    assert!(
        text.ends_with("6 statement(s): 3 will run, 1 change nothing, 2 fail"),
        "{text}"
    );
}

#[test]
fn policy_documents_are_stored_and_returned_as_put() {
    let mut p = Project::new();
    assert_eq!(p.text("get policy;"), "");
    let doc = "{\n  \"Version\": \"1\",\n  \"Statement\": []\n}\n";
    p.ctx.documents.insert("p.json".into(), doc.into());
    p.run("put policy p.json;");
    assert_eq!(
        p.run("get policy;").output,
        crate::Output::Policy(doc.into())
    );
    assert_eq!(p.text("get policy;"), doc.trim_end());
    // Role policies need the role, and go with it when it is dropped.
    let f = p.fail("put policy p.json on role r;");
    assert_eq!(f.code, FailureCode::RoleNotFound);
    p.run("create role r; put policy p.json on role r;");
    assert_eq!(p.text("get policy on role r;"), doc.trim_end());
    p.run("drop role r; create role r;");
    assert_eq!(p.text("get policy on role r;"), "");
    // The security policy is its own slot.
    assert_eq!(p.text("get security policy;"), "");
    p.run("put security policy p.json;");
    assert_eq!(p.text("get security policy;"), doc.trim_end());
    // Tenant role policies.
    p.run("create tenant role tr; put policy p.json on tenant role tr;");
    assert_eq!(p.text("get policy on tenant role tr;"), doc.trim_end());
}

#[test]
fn a_put_without_the_file_text_is_refused() {
    let mut p = Project::new();
    let f = p.fail("put policy missing.json;");
    assert_eq!(f.code, FailureCode::PolicyDocumentMissing);
    assert!(f.message.contains("missing.json"), "{}", f.message);
}

#[test]
fn policies_follow_the_authority_matrix() {
    let mut p = Project::new();
    p.ctx.documents.insert("p.json".into(), "{}".into());
    p.run("add user ALIYUN$bob@x.com; add user ALIYUN$carol@x.com; grant admin to ALIYUN$carol@x.com; create role r;");
    let bob = caller("ALIYUN$bob@x.com");
    let carol = caller("ALIYUN$carol@x.com");
    assert_eq!(
        p.fail_as(&bob, "get policy;").code,
        FailureCode::PermissionDenied
    );
    // Admin reads policies and puts role policies, but not the project's.
    p.run_as(
        &carol,
        "get policy; put policy p.json on role r; get security policy;",
    );
    assert_eq!(
        p.fail_as(&carol, "put policy p.json;").code,
        FailureCode::PermissionDenied
    );
    assert_eq!(
        p.fail_as(&carol, "put security policy p.json;").code,
        FailureCode::PermissionDenied
    );
}

#[test]
fn ram_verdicts_decide_tenant_statements_of_ram_users() {
    use crate::{RamDecision, RamVerdict};
    let mut p = Project::new();
    let verdict = |decision| RamVerdict {
        action: "odps:AddTenantUsers".into(),
        arn: "acs:odps:cn-hangzhou:1234:tenantUsers/*".into(),
        decision,
        decided_by: Some("alice.json line 4".into()),
    };
    let alice = caller("RAM$alice");
    // Without a verdict, and with an implicit deny, the tenant roles decide.
    assert_eq!(
        p.fail_as(&alice, "add tenant user RAM$x;").code,
        FailureCode::PermissionDenied
    );
    let denied = p.fail_as(
        &alice.clone().with_ram(verdict(RamDecision::ImplicitDeny)),
        "add tenant user RAM$x;",
    );
    assert!(
        denied
            .message
            .contains("not allowed odps:AddTenantUsers on acs:odps:cn-hangzhou:1234:tenantUsers/*"),
        "{}",
        denied.message
    );
    // Allow lets it run.
    p.run_as(
        &alice.clone().with_ram(verdict(RamDecision::Allow)),
        "add tenant user RAM$x;",
    );
    // A verdict for another action does not count.
    assert_eq!(
        p.fail_as(
            &alice.clone().with_ram(verdict(RamDecision::Allow)),
            "create tenant role tr;"
        )
        .code,
        FailureCode::PermissionDenied
    );
    // An explicit deny wins over a tenant Super_Administrator role.
    p.run("add tenant user RAM$alice; grant tenant role super_administrator to user RAM$alice;");
    p.run_as(&alice, "add tenant user RAM$y;");
    let explicit = p.fail_as(
        &alice.clone().with_ram(verdict(RamDecision::ExplicitDeny)),
        "add tenant user RAM$z;",
    );
    assert!(
        explicit
            .message
            .contains("explicitly denied by alice.json line 4"),
        "{}",
        explicit.message
    );
    // The account itself is never subject to RAM policies.
    p.run_as(
        &owner().with_ram(verdict(RamDecision::ExplicitDeny)),
        "add tenant user RAM$z;",
    );
}

#[test]
fn only_the_owners_account_is_the_tenant_root() {
    let mut p = Project::new();
    p.run("add user ALIYUN$other@x.com; grant super_administrator to ALIYUN$other@x.com;");
    let other = caller("ALIYUN$other@x.com");
    let f = p.fail_as(&other, "list tenant users;");
    assert_eq!(f.code, FailureCode::PermissionDenied);
    p.run("list tenant users;");
}

/// What a second remote session sees before reading anything: the facts
/// an earlier session created are unknown, not absent, so nothing is
/// refused and each statement names what it could not verify.
#[test]
fn unread_facts_pass_with_a_warning_that_names_them() {
    use crate::knowledge::Fact;
    let mut state = ProjectState::unread("test_project_a", PrincipalId::aliyun(OWNER_ACCOUNT));
    let cases = [
        ("remove trustedproject other;", Fact::TrustedProjects),
        ("drop package pk;", Fact::Packages),
        ("remove tenant user RAM$carol;", Fact::TenantUsers),
        ("drop tenant role tr;", Fact::TenantRoles),
        ("purge privs from user RAM$bob;", Fact::Members),
    ];
    for (src, fact) in cases {
        let stmt = &statements(src)[0];
        let effect = execute_in(&mut state, &owner(), &Context::default(), stmt)
            .unwrap_or_else(|f| panic!("{src} was refused: {}", f.message));
        assert!(!effect.changes.is_empty(), "{src} must still be sent");
        let named = effect
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::NotVerified && w.message.contains(fact.describe()));
        assert!(named, "{src}: {:?}", effect.warnings);
    }
    // Once read, absence is a fact again.
    state.learn(Fact::TrustedProjects);
    let stmt = &statements("remove trustedproject other;")[0];
    let failure = execute_in(&mut state, &owner(), &Context::default(), stmt).unwrap_err();
    assert_eq!(failure.code, FailureCode::TrustedProjectNotFound);
}

// The rest of the language: packages, labels, groups, policies
// (docs/language.md#other-statements).

#[test]
fn packages_keep_the_sdk_forms() {
    let mut p = Project::new();
    p.run("create package k; add table sales to package k with privileges Select privilegeproperties('a'='b');");
    let e =
        p.run("allow project q to install package k with Select, Describe using label 2 exp 10;");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    p.run("allow project * to install package k;");
    let d = p.text("describe package k;");
    assert!(
        d.contains("q (label 2, with Select | Describe, Expires:P10D)"),
        "{d}"
    );
    assert!(d.contains("\n*"), "{d}");
    p.run("disallow project * to install package k;");
    assert!(!p.text("describe package k;").contains("\n*"));
    assert_eq!(
        p.text("show packages with table sales;"),
        "Packages created:\nk\n\nPackages installed:"
    );
    assert_eq!(
        p.text("show packages with table other;"),
        "Packages created:\n\nPackages installed:"
    );
    assert_eq!(p.text("show package items;"), "k: table sales: Select");
    assert_eq!(p.text("show package items on type resource;"), "");
    assert_eq!(
        p.text("desc package items table sales;"),
        "k: table sales: Select"
    );
    let e = p.run("show package items from elsewhere;");
    assert_eq!(e.output.to_string(), "");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.message.contains("cannot be seen"))
    );
    let e = p.run("install package other.pkg privilegeproperties('label'='2');");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.message.contains("privilegeproperties"))
    );
    assert_eq!(
        p.fail("allow project q to install package k exp soon;")
            .code,
        FailureCode::InvalidProperty
    );
    assert_eq!(
        p.fail("allow project q to install package nope;").code,
        FailureCode::PackageNotFound
    );
}

#[test]
fn label_forms_of_the_sdk_grammar() {
    let mut p = Project::new();
    p.run("add user ALIYUN$bob@x.com; create role r;");
    let e = p
        .run("grant label 2 on table t(c1) to user ALIYUN$bob@x.com privilegeproperties('a'='b');");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    p.run("grant label 3 on table u to role r;");
    let for_table = p.text("show label grants for table t;");
    assert!(for_table.contains("tables/t/c1"), "{for_table}");
    assert!(!for_table.contains("tables/u"), "{for_table}");
    let for_role = p.text("show label grants for role r;");
    assert!(
        for_role.contains("role/r") && !for_role.contains("bob"),
        "{for_role}"
    );
    p.run("revoke label on table t(c1) from user ALIYUN$bob@x.com privilegeproperties('a'='b');");
    assert!(!p.text("show label grants;").contains("bob"));
}

#[test]
fn grants_on_a_partition_are_kept_apart_and_not_verified() {
    let mut p = Project::new();
    p.run("add user ALIYUN$bob@x.com;");
    let e = p.run("grant Select on table t partition(ds='20240101') to user ALIYUN$bob@x.com;");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    let g = p.text("show grants for ALIYUN$bob@x.com;");
    assert!(
        g.contains("projects/test_project_a/tables/t/ds=20240101: Select"),
        "{g}"
    );
    // The table's own grant is another one.
    p.run("grant Select on table t to user ALIYUN$bob@x.com;");
    let g = p.text("show grants for ALIYUN$bob@x.com;");
    assert!(
        g.contains("projects/test_project_a/tables/t: Select"),
        "{g}"
    );
    p.run("revoke Select on table t partition(ds=20240101) from user ALIYUN$bob@x.com;");
    let g = p.text("show grants for ALIYUN$bob@x.com;");
    assert!(!g.contains("ds=20240101"), "{g}");
}

#[test]
fn schema_mode_reads_names_by_the_session_flag() {
    let mut p = Project::new();
    p.run("create role r;");
    // Unset: a.b is project.table.
    assert_eq!(
        p.fail("grant Select on table fin.ledger to role r;").code,
        FailureCode::InvalidObject
    );
    p.run("set odps.namespace.schema=true; grant Select on table fin.ledger to role r;");
    p.run("grant Select on table test_project_a.fin.other to role r;");
    p.run("grant Select on table default.plain to role r;");
    let g = p.text("show grants for role r;");
    assert!(
        g.contains("projects/test_project_a/schemas/fin/tables/ledger"),
        "{g}"
    );
    assert!(
        g.contains("projects/test_project_a/schemas/fin/tables/other"),
        "{g}"
    );
    assert!(g.contains("projects/test_project_a/tables/plain"), "{g}");
    p.run("set odps.namespace.schema=false;");
    let f = p.fail("grant Select on table test_project_a.fin.ledger to role r;");
    assert_eq!(f.code, FailureCode::InvalidObject);
    assert!(
        f.help.contains("set odps.namespace.schema=true;"),
        "{}",
        f.help
    );
    // Schemas are objects of their own.
    p.run("grant List, CreateTable on schema fin to role r;");
    let s = p.text("show grants for role r on type schema;");
    assert_eq!(
        s,
        "Authorization Type: ACL\n[role/r]\nA       projects/test_project_a/schemas/fin: List | CreateTable"
    );
    assert_eq!(
        p.fail("grant List on schema elsewhere.fin to role r;").code,
        FailureCode::InvalidObject
    );
}

#[test]
fn groups_are_kept_with_their_comments() {
    let mut p = Project::new();
    p.run("add group g1 comment 'x'; add tenant group g2;");
    assert_eq!(p.text("list groups;"), "g1");
    assert_eq!(p.text("list tenant groups;"), "g2");
    assert_eq!(p.fail("add group G1;").code, FailureCode::GroupExists);
    p.run("remove group g1;");
    assert_eq!(p.fail("remove group g1;").code, FailureCode::GroupNotFound);
    p.run("add user ALIYUN$bob@x.com;");
    let e = p.run("list groups for user ALIYUN$bob@x.com;");
    assert_eq!(e.output.to_string(), "");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    // Admin's business, as adding users is.
    p.run("grant admin to ALIYUN$bob@x.com;");
    p.run_as(&caller("ALIYUN$bob@x.com"), "add group g3;");
}

#[test]
fn setproject_sets_and_shows_properties_and_download_control() {
    let mut p = Project::new();
    assert!(
        p.text("show securityconfiguration;")
            .ends_with("EnableDownloadPrivilege=false")
    );
    p.run("setproject odps.security.enabledownloadprivilege=true odps.security.ip.whitelist=10.0.0.1,10.0.0.2 note=\"a b\";");
    assert!(
        p.text("show securityconfiguration;")
            .ends_with("EnableDownloadPrivilege=true")
    );
    assert_eq!(
        p.text("setproject;"),
        "note=a b\nodps.security.enabledownloadprivilege=true\nodps.security.ip.whitelist=10.0.0.1,10.0.0.2"
    );
    let e = p.run("setproject odps.security.enabledownloadprivilege=true;");
    assert!(e.changes.is_empty());
    assert_eq!(e.warnings[0].code, WarningCode::NoEffect);
    let src = "setproject odps.security.enabledownloadprivilege=yes;";
    let f = p.fail(src);
    assert_eq!(f.code, FailureCode::InvalidProperty);
    assert_eq!(spanned(src, &f), "yes");
    // Owner or Super_Administrator sets; any member reads.
    p.run("add user ALIYUN$bob@x.com; grant admin to ALIYUN$bob@x.com;");
    let bob = caller("ALIYUN$bob@x.com");
    assert_eq!(
        p.fail_as(&bob, "setproject a=1;").code,
        FailureCode::PermissionDenied
    );
    p.run_as(&bob, "setproject;");
    assert_eq!(
        p.fail_as(&caller("ALIYUN$stranger@y.com"), "setproject;")
            .code,
        FailureCode::CallerNotInProject
    );
}

#[test]
fn row_access_policies() {
    let mut p = Project::new();
    p.run("create row access policy p1 on sales to user RAM$bob, ALIYUN$c@x.com filter using (region = 'cn');");
    assert_eq!(
        p.text("desc row access policy P1 on sales;"),
        "Policy: p1\nTable: sales\nTo: user RAM$odps_test_user@aliyun.com:bob, ALIYUN$c@x.com\nFilter: region = 'cn'"
    );
    let f = p.fail("create row access policy p1 on sales to default filter using (1 = 1);");
    assert_eq!(f.code, FailureCode::RowAccessPolicyExists);
    assert!(
        f.help
            .contains("; replace it: create or replace row access policy p1"),
        "{}",
        f.help
    );
    let e = p
        .run("create row access policy if not exists p1 on sales to default filter using (1 = 1);");
    assert!(e.changes.is_empty());
    p.run("create or replace row access policy p1 on sales to role analyst filter using (region = 'hk');");
    p.run("create row access policy p2 on sales to default filter using (1 = 0);");
    assert_eq!(
        p.text("list row access policy on sales;"),
        "p1\tto role analyst\tfilter using (region = 'hk')\np2\tto default\tfilter using (1 = 0)"
    );
    p.run("drop row access policy p2 on sales;");
    assert_eq!(
        p.fail("drop row access policy p2 on sales;").code,
        FailureCode::RowAccessPolicyNotFound
    );
    assert_eq!(
        p.fail("desc row access policy p2 on sales;").code,
        FailureCode::RowAccessPolicyNotFound
    );
    // Patterns are no tables.
    assert_eq!(
        p.fail("create row access policy p3 on tb_* to default filter using (1 = 1);")
            .code,
        FailureCode::InvalidObject
    );
    // Admin's business.
    p.run("add user ALIYUN$m@x.com;");
    assert_eq!(
        p.fail_as(
            &caller("ALIYUN$m@x.com"),
            "list row access policy on sales;"
        )
        .code,
        FailureCode::PermissionDenied
    );
}

#[test]
fn data_masking_policies() {
    let mut p = Project::new();
    p.run("create data masking policy m1 to default using UNMASKED;");
    p.run(
        "create data masking policy m2 to role analyst, ops using MASKED_STRING_MASKED_BA(2, 5);",
    );
    assert_eq!(
        p.fail("create data masking policy m1 to default using MASKED_HASH;")
            .code,
        FailureCode::MaskingPolicyExists
    );
    assert!(
        p.run("create data masking policy if not exists m1 to default using MASKED_HASH;")
            .changes
            .is_empty()
    );
    p.run("apply data masking policy m2 bind to table customers column phone;");
    p.run("apply data masking policy m1 bind to table customers column phone;");
    assert_eq!(
        p.text("desc data masking policy m2;"),
        "Policy: m2\nTo: role analyst, ops\nUsing: MASKED_STRING_MASKED_BA(2, 5)\nBound to:\ncustomers.phone"
    );
    let again = p.run("apply data masking policy m2 bind to table customers column phone;");
    assert_eq!(again.warnings[0].code, WarningCode::NoEffect);
    assert_eq!(
        p.fail("apply data masking policy nope bind to table customers column phone;")
            .code,
        FailureCode::MaskingPolicyNotFound
    );
    // A table takes masking or row access policies, not both.
    let f = p.fail("create row access policy r on customers to default filter using (1 = 1);");
    assert_eq!(f.code, FailureCode::AccessRulesExclusive);
    p.run("create row access policy r on orders to default filter using (1 = 1);");
    assert_eq!(
        p.fail("apply data masking policy m1 bind to table orders column id;")
            .code,
        FailureCode::AccessRulesExclusive
    );
    p.run("unapply data masking policy m1 unbind from table customers column phone;");
    let none = p.run("unapply data masking policy m1 unbind from table customers column phone;");
    assert!(none.changes.is_empty());
    // Dropping a bound policy drops its bindings, and says it is unsure.
    let e = p.run("drop data masking policy m2;");
    assert_eq!(e.warnings[0].code, WarningCode::NotVerified);
    p.run("create row access policy r on customers to default filter using (1 = 1);");
    assert_eq!(
        p.fail("desc data masking policy m2;").code,
        FailureCode::MaskingPolicyNotFound
    );
}

#[test]
fn the_session_flag_follows_the_statements_of_a_plan() {
    let p = Project::new();
    let script = statements(
        "create role r; set odps.namespace.schema=true; grant Select on table fin.t to role r; set odps.namespace.schema=false; grant Select on table fin.t to role r;",
    );
    let plan = crate::plan_in(&p.state, &owner(), &p.ctx, &script);
    let failures: Vec<usize> = plan.failures().map(|(i, _)| i).collect();
    assert_eq!(failures, [4]);
}
// ------------------------------ comments, and the security configuration

#[test]
fn a_users_comment_is_kept_until_the_user_goes() {
    use crate::state::PolicySlot;
    use crate::view::StateView;
    let mut p = Project::new();
    p.run("add accountprovider ram; add user RAM$bob comment 'data team';");
    let bob = PrincipalId::ram_user(OWNER_ACCOUNT, "bob");
    let slot = PolicySlot::MemberComment(bob.clone());
    assert_eq!(p.state.policy(&slot), Some("data team"));
    p.run("remove user RAM$bob;");
    assert_eq!(p.state.policy(&slot), None);
    // Added again without one: none.
    p.run("add user RAM$bob;");
    assert_eq!(p.state.policy(&slot), None);
}

#[test]
fn project_protection_keeps_its_exception_policy_when_given_one() {
    use crate::state::PolicySlot;
    use crate::view::StateView;
    let mut p = Project::new();
    p.ctx
        .documents
        .insert("exception.json".into(), "{\"Version\":\"1\"}".into());
    let e = p.run("set ProjectProtection=true with exception exception.json;");
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(
        p.state.policy(&PolicySlot::ProtectionException),
        Some("{\"Version\":\"1\"}")
    );
    // The same again changes nothing; without an exception it goes.
    let again = p.run("set ProjectProtection=true with exception exception.json;");
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    p.run("set ProjectProtection=true;");
    assert_eq!(p.state.policy(&PolicySlot::ProtectionException), None);
    // A file nobody read: only the flag, with the warning as before.
    p.ctx.documents.clear();
    let e = p.run("set ProjectProtection=true with exception other.json;");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.code == WarningCode::NotVerified),
        "{:?}",
        e.warnings
    );
}

#[test]
fn an_empty_document_clears_its_slot() {
    use crate::state::PolicySlot;
    use crate::view::StateView;
    let mut p = Project::new();
    p.ctx
        .documents
        .insert("p.json".into(), "{\"Version\":\"1\"}".into());
    p.run("put policy p.json;");
    assert!(p.state.policy(&PolicySlot::Project).is_some());
    p.ctx.documents.insert("p.json".into(), String::new());
    p.run("put policy p.json;");
    assert_eq!(p.state.policy(&PolicySlot::Project), None);
    assert_eq!(p.text("get policy;"), "");
}

#[test]
fn installing_a_package_of_a_project_the_runner_holds_is_checked() {
    let mut p = Project::new();
    let mut other = std::collections::BTreeMap::new();
    other.insert(
        "datashare".to_owned(),
        std::collections::BTreeSet::from(["test_project_a".to_owned()]),
    );
    other.insert("private".to_owned(), std::collections::BTreeSet::new());
    p.ctx.packages_elsewhere.insert("other".into(), other);

    let e = p.fail("install package other.nosuch;");
    assert_eq!(e.code, FailureCode::PackageNotFound);
    assert_eq!(e.message, "package other.nosuch does not exist");
    let e = p.fail("install package other.private;");
    assert_eq!(e.code, FailureCode::PermissionDenied);
    assert!(
        e.help
            .contains("allow project test_project_a to install package private;"),
        "{}",
        e.help
    );
    let ok = p.run("install package other.datashare;");
    assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
    // A project the runner does not hold stays unverified.
    let unknown = p.run("install package elsewhere.pkg;");
    assert!(
        unknown
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::NotVerified),
        "{:?}",
        unknown.warnings
    );
}
