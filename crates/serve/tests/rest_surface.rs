//! The REST surface odpscmd, PyODPS and the Java SDK use beyond security
//! queries (docs/wire-protocol.md#project-and-security-configuration): the security configuration document, policies
//! cleared and read, comments, filtered listings, `GET /projects`, the
//! Java SDK's `checkPermission` (with the owners of declared tables),
//! table metadata, `install package` against served projects, and
//! MaxCompute's "not supported" for what is not served.
//! Requests are signed by mcauth's own signer (`support::Signed`).

use std::net::SocketAddr;
use std::time::Duration;

use crate::support::{Raw, Signed};
use mcauth_serve::{Accounts, RequestLog, ServeConfig, Server, StoreLocation, start};

const ACCOUNTS: &str = r#"
[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

[[accounts.ram_users]]
logon_name = "bob"
access_keys = [{ id = "bob-id", secret = "Bob-S3cret-0003" }]

[[accounts.ram_users]]
logon_name = "carol"
access_keys = [{ id = "carol-id", secret = "Carol-S3cret-0004" }]
system_policies = ["AliyunMaxComputeReadOnlyAccess"]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
tables = [{ name = "orders", owner = "RAM$bob", columns = [{ name = "id", type = "bigint" }] }]

[[projects]]
name = "shared"
owner = "ALIYUN$acme@example.com"
"#;

const OWNER: (&str, &str) = ("owner-id", "Owner-S3cret-0001");
const ALICE: (&str, &str) = ("alice-id", "Alice-S3cret-0002");
const BOB: (&str, &str) = ("bob-id", "Bob-S3cret-0003");

async fn server() -> Server {
    let accounts = Accounts::parse(ACCOUNTS, "accounts.toml").expect("valid accounts");
    let mut config = ServeConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        StoreLocation::Memory,
        accounts,
    );
    config.request_log = RequestLog::Off;
    start(config).await.expect("server starts")
}

/// Runs a statement in `project` and returns the answer (polling an
/// asynchronous one to its end).
async fn run(addr: SocketAddr, project: &str, q: &str, key: (&str, &str)) -> Raw {
    let answer = Signed::query(project, q, key.0, key.1).send(addr).await;
    if answer.status != 201 {
        return answer;
    }
    let (id, _) = mcauth_odps::parse_result(&answer.body).expect("an instance id");
    for _ in 0..500 {
        let status = Signed::get(
            &format!("/api/projects/{project}/authorization/{id}"),
            key.0,
            key.1,
        )
        .send(addr)
        .await;
        if !status.body.contains("<Status>Running</Status>") {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{q} did not finish");
}

/// The `<Result>` of an answer, unescaped.
fn result(answer: &Raw) -> String {
    mcauth_odps::parse_result(&answer.body)
        .map(|(r, _)| r)
        .unwrap_or_default()
}

async fn ok(addr: SocketAddr, project: &str, q: &str) {
    let answer = run(addr, project, q, OWNER).await;
    assert!(
        answer.status == 200 && !answer.body.contains("<Status>Failed</Status>"),
        "{q}: {} {}",
        answer.status,
        answer.body
    );
}

fn get(target: &str, key: (&str, &str)) -> Signed {
    Signed::get(target, key.0, key.1)
}

fn put(target: &str, body: &str, key: (&str, &str)) -> Signed {
    Signed::new("PUT", target, key.0, key.1).body("application/xml", body.as_bytes())
}

#[tokio::test]
async fn a_new_project_lists_aliyun_and_ram() {
    let s = server().await;
    let answer = run(s.local_addr(), "sales", "list accountproviders", OWNER).await;
    assert_eq!(result(&answer), "[\"ALIYUN\",\"RAM\"]");
    // So a RAM user is added without a provider step.
    ok(s.local_addr(), "sales", "add user RAM$alice").await;
    s.shutdown().await;
}

const JAVA_PUT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<SecurityConfiguration>
   <CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>
   <CheckPermissionUsingPolicy>true</CheckPermissionUsingPolicy>
   <LabelSecurity>true</LabelSecurity>
   <ObjectCreatorHasAccessPermission>true</ObjectCreatorHasAccessPermission>
   <ObjectCreatorHasGrantPermission>false</ObjectCreatorHasGrantPermission>
   <ProjectProtection Protected="true">
      <Exceptions>{"Version":"1","Statement":[{"Effect":"Allow","Principal":"RAM$acme@example.com:alice","Action":["odps:Select"],"Resource":"acs:odps:*:projects/sales/tables/t"}]}</Exceptions>
   </ProjectProtection>
   <EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable="true">
      <Locations>oss://bucket/path</Locations>
   </EnableExternalResourceAccessControl>
   <SupportACLV2>true</SupportACLV2>
   <AuthorizationVersion>V2</AuthorizationVersion>
   <GrammarVersion>2.0</GrammarVersion>
   <EnableDownloadPrivilege>true</EnableDownloadPrivilege>
</SecurityConfiguration>"#;

#[tokio::test]
async fn the_security_configuration_is_read_and_put_whole() {
    let s = server().await;
    let addr = s.local_addr();
    let target = "/api/projects/sales?security_configuration";
    let fresh = get(target, OWNER).send(addr).await;
    assert_eq!(fresh.status, 200, "{}", fresh.body);
    for field in [
        "<SecurityConfiguration>",
        "<CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>",
        "<LabelSecurity>false</LabelSecurity>",
        "<ProjectProtection Protected=\"false\">",
        "<EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable=\"false\">",
        "<SupportACL>true</SupportACL>",
        "<EnableDownloadPrivilege>false</EnableDownloadPrivilege>",
    ] {
        assert!(fresh.body.contains(field), "{field}: {}", fresh.body);
    }

    let done = put(target, JAVA_PUT, OWNER).send(addr).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let after = get(target, OWNER).send(addr).await;
    for field in [
        "<LabelSecurity>true</LabelSecurity>",
        "<ObjectCreatorHasGrantPermission>false</ObjectCreatorHasGrantPermission>",
        "<ProjectProtection Protected=\"true\"><Exceptions>{&quot;Version&quot;",
        "CheckExternalResourcePermissionEnable=\"true\"><Locations>oss://bucket/path</Locations>",
        "<SupportACLV2>true</SupportACLV2>",
        "<AuthorizationVersion>V2</AuthorizationVersion>",
        "<GrammarVersion>2.0</GrammarVersion>",
        "<EnableDownloadPrivilege>true</EnableDownloadPrivilege>",
    ] {
        assert!(after.body.contains(field), "{field}: {}", after.body);
    }
    // The flags are the engine's: `show securityconfiguration` agrees,
    // download control included (a `setproject` of its property).
    let shown = run(addr, "sales", "show securityconfiguration", OWNER).await;
    assert!(
        result(&shown).contains("\"label_security\":true"),
        "{}",
        shown.body
    );
    assert!(
        result(&shown).contains("\"enable_download_privilege\":true"),
        "{}",
        shown.body
    );
    ok(
        addr,
        "sales",
        "setproject odps.security.enabledownloadprivilege=false",
    )
    .await;
    let off = get(target, OWNER).send(addr).await;
    assert!(
        off.body
            .contains("<EnableDownloadPrivilege>false</EnableDownloadPrivilege>"),
        "{}",
        off.body
    );
    assert_eq!(off.body.matches("EnableDownloadPrivilege>").count(), 2);
    let stripped = get(
        "/api/projects/sales?security_configuration_without_exception_policy",
        OWNER,
    )
    .send(addr)
    .await;
    assert!(!stripped.body.contains("Exceptions"), "{}", stripped.body);

    // A PUT of fewer fields (PyODPS's model lacks some) keeps the rest.
    let partial = "<SecurityConfiguration><LabelSecurity>false</LabelSecurity><SupportACLV2>false</SupportACLV2></SecurityConfiguration>";
    assert_eq!(put(target, partial, OWNER).send(addr).await.status, 200);
    let kept = get(target, OWNER).send(addr).await;
    for field in [
        "<LabelSecurity>false</LabelSecurity>",
        "<SupportACLV2>false</SupportACLV2>",
        "<AuthorizationVersion>V2</AuthorizationVersion>",
        "<ProjectProtection Protected=\"true\"><Exceptions>",
    ] {
        assert!(kept.body.contains(field), "{field}: {}", kept.body);
    }
    // `set ProjectProtection=…` without an exception drops it, as odpscmd's does.
    ok(addr, "sales", "set ProjectProtection=true").await;
    let dropped = get(target, OWNER).send(addr).await;
    assert!(
        dropped
            .body
            .contains("<ProjectProtection Protected=\"true\"></ProjectProtection>"),
        "{}",
        dropped.body
    );

    // Refusals: a value that is not a boolean, an exception policy that
    // does not lint, someone who may not set the configuration.
    let not_bool =
        "<SecurityConfiguration><LabelSecurity>maybe</LabelSecurity></SecurityConfiguration>";
    let refused = put(target, not_bool, OWNER).send(addr).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused
            .message()
            .contains("LabelSecurity must be true or false")
    );
    let bad_policy = "<SecurityConfiguration><ProjectProtection Protected=\"true\"><Exceptions>{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"allow\"}]}</Exceptions></ProjectProtection></SecurityConfiguration>";
    let refused = put(target, bad_policy, OWNER).send(addr).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.message().contains("policy document is refused"),
        "{}",
        refused.message()
    );
    ok(addr, "sales", "add user RAM$alice").await;
    let denied = put(target, JAVA_PUT, ALICE).send(addr).await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(denied.code().as_deref(), Some("NoPermission"));
    // Nothing of the refused PUTs was kept.
    let still = get(target, OWNER).send(addr).await;
    assert!(
        still.body.contains("<LabelSecurity>false</LabelSecurity>"),
        "{}",
        still.body
    );
    s.shutdown().await;
}

const POLICY: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Principal": ["RAM$acme@example.com:alice"], "Action": ["odps:Read"], "Resource": ["acs:odps:*:projects/sales"]}]}"#;

#[tokio::test]
async fn an_empty_policy_clears_it_and_a_role_without_one_reads_as_empty() {
    let s = server().await;
    let addr = s.local_addr();
    let p = "/api/projects/sales?policy";
    let stored = Signed::new("PUT", p, OWNER.0, OWNER.1)
        .body("application/json", POLICY.as_bytes())
        .send(addr)
        .await;
    assert_eq!(stored.status, 200, "{}", stored.body);
    assert_eq!(get(p, OWNER).send(addr).await.body, POLICY);
    let cleared = Signed::new("PUT", p, OWNER.0, OWNER.1).send(addr).await;
    assert_eq!(cleared.status, 200, "{}", cleared.body);
    assert_eq!(get(p, OWNER).send(addr).await.body, "");

    ok(addr, "sales", "create role analyst").await;
    let role = get("/api/projects/sales/roles/analyst?policy", OWNER)
        .send(addr)
        .await;
    assert_eq!(role.status, 200, "{}", role.body);
    let v: serde_json::Value = serde_json::from_str(&role.body).expect("JSON");
    assert_eq!(v["Statement"], serde_json::json!([]));
    s.shutdown().await;
}

#[tokio::test]
async fn comments_are_kept_and_roles_filter_by_name() {
    let s = server().await;
    let addr = s.local_addr();
    ok(
        addr,
        "sales",
        "add user RAM$alice comment 'data & <ops> team'",
    )
    .await;
    ok(addr, "sales", "add user RAM$bob").await;
    let users = get("/api/projects/sales/users", OWNER).send(addr).await;
    let parsed = mcauth_odps::parse_users(&users.body).expect("users");
    let alice = parsed
        .iter()
        .find(|u| u.display_name.ends_with(":alice"))
        .expect("alice");
    assert_eq!(alice.comment, "data & <ops> team");
    let one = get(
        "/api/projects/sales/users/RAM%24acme%40example.com%3Aalice?type=displayname",
        OWNER,
    )
    .send(addr)
    .await;
    assert!(
        one.body
            .contains("<Comment>data &amp; &lt;ops&gt; team</Comment>"),
        "{}",
        one.body
    );
    ok(addr, "sales", "remove user RAM$alice").await;
    ok(addr, "sales", "add user RAM$alice").await;
    let again = get("/api/projects/sales/users", OWNER).send(addr).await;
    assert!(!again.body.contains("ops"), "{}", again.body);

    for r in ["analyst", "analyst_eu", "auditor"] {
        ok(addr, "sales", &format!("create role {r}")).await;
    }
    let some = get("/api/projects/sales/roles?name=ANALYST", OWNER)
        .send(addr)
        .await;
    let names: Vec<String> = mcauth_odps::parse_roles(&some.body)
        .expect("roles")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["analyst", "analyst_eu"]);
    s.shutdown().await;
}

fn project_names(answer: &Raw) -> Vec<String> {
    answer
        .body
        .split("<Project><Name>")
        .skip(1)
        .filter_map(|p| p.split("</Name>").next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn projects_are_listed_for_who_may_see_them() {
    let s = server().await;
    let addr = s.local_addr();
    let all = get("/api/projects?expectmarker=true", OWNER)
        .send(addr)
        .await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(project_names(&all), ["sales", "shared"]);
    for field in [
        "<Owner>ALIYUN$acme@example.com</Owner>",
        "<CreationTime>",
        "GMT</LastModifiedTime>",
        "<Marker></Marker>",
    ] {
        assert!(all.body.contains(field), "{field}: {}", all.body);
    }
    // Pages, with the marker of the last name.
    let first = get("/api/projects?maxitems=1", OWNER).send(addr).await;
    assert_eq!(project_names(&first), ["sales"]);
    assert!(
        first.body.contains("<Marker>sales</Marker>"),
        "{}",
        first.body
    );
    let second = get("/api/projects?maxitems=1&marker=sales", OWNER)
        .send(addr)
        .await;
    assert_eq!(project_names(&second), ["shared"]);
    assert!(second.body.contains("<Marker></Marker>"), "{}", second.body);
    let named = get("/api/projects?name=sh", OWNER).send(addr).await;
    assert_eq!(project_names(&named), ["shared"]);

    // A RAM user without policies sees the projects they joined.
    ok(addr, "sales", "add user RAM$alice").await;
    assert_eq!(
        project_names(&get("/api/projects", ALICE).send(addr).await),
        ["sales"]
    );
    assert!(project_names(&get("/api/projects", BOB).send(addr).await).is_empty());
    // One whose RAM policy allows odps:ListProjects sees all of the
    // account's projects, member or not.
    assert_eq!(
        project_names(
            &get("/api/projects", ("carol-id", "Carol-S3cret-0004"))
                .send(addr)
                .await
        ),
        ["sales", "shared"]
    );
    s.shutdown().await;
}

#[tokio::test]
async fn check_permission_answers_from_grants_and_roles() {
    let s = server().await;
    let addr = s.local_addr();
    for q in [
        "add user RAM$alice",
        "add user RAM$bob",
        "create role analyst",
        "grant analyst to RAM$alice",
        "grant Select on table sales_detail to role analyst",
    ] {
        ok(addr, "sales", q).await;
    }
    let auth = "/api/projects/sales/auth/";
    let asked = |key, q: &str| get(&format!("{auth}?{q}"), key);
    let allow = asked(ALICE, "type=Table&name=sales_detail&grantee=Select")
        .send(addr)
        .await;
    assert_eq!(allow.status, 200, "{}", allow.body);
    assert!(
        allow.body.contains("<Auth><Result>Allow</Result>"),
        "{}",
        allow.body
    );
    assert!(allow.body.contains("role/analyst"), "{}", allow.body);
    let deny = asked(ALICE, "type=Table&name=sales_detail&grantee=Drop")
        .send(addr)
        .await;
    assert!(deny.body.contains("<Result>Deny</Result>"), "{}", deny.body);
    let bob = asked(
        BOB,
        "type=Table&name=sales_detail&grantee=Select&columns=a,b",
    )
    .send(addr)
    .await;
    assert!(bob.body.contains("<Result>Deny</Result>"), "{}", bob.body);

    // The POST form, as SecurityManager.checkPermission(PermissionDesc)
    // sends it, for another principal: the owner may ask, Bob may not.
    let desc = r#"[{"Action":"Select","Resource":"/projects/sales/tables/sales_detail","Principal":"RAM$acme@example.com:alice"}]"#;
    let post = |key: (&str, &str)| {
        Signed::new("POST", auth, key.0, key.1).body("application/json", desc.as_bytes())
    };
    let for_alice = post(OWNER).send(addr).await;
    assert!(
        for_alice.body.contains("<Result>Allow</Result>"),
        "{}",
        for_alice.body
    );
    let nosy = post(BOB).send(addr).await;
    assert_eq!(nosy.status, 403, "{}", nosy.body);
    let bad = asked(OWNER, "type=Table&name=t&grantee=Fly")
        .send(addr)
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    // Without the trailing slash too.
    let bare = get(
        "/api/projects/sales/auth?type=Project&grantee=CreateTable",
        OWNER,
    )
    .send(addr)
    .await;
    assert!(
        bare.body.contains("<Result>Allow</Result>"),
        "{}",
        bare.body
    );
    s.shutdown().await;
}

#[tokio::test]
async fn declared_tables_answer_with_their_owner_and_their_creator_may_use_them() {
    let s = server().await;
    let addr = s.local_addr();
    for q in ["add user RAM$alice", "add user RAM$bob"] {
        ok(addr, "sales", q).await;
    }
    let table = get("/api/projects/sales/tables/ORDERS", ALICE)
        .send(addr)
        .await;
    assert_eq!(table.status, 200, "{}", table.body);
    assert!(
        table
            .body
            .contains("<Name>orders</Name><Owner>RAM$acme@example.com:bob</Owner>"),
        "{}",
        table.body
    );
    assert!(
        table.body.contains("&quot;columns&quot;:[{"),
        "{}",
        table.body
    );
    let missing = get("/api/projects/sales/tables/nothing", ALICE)
        .send(addr)
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert!(
        missing.body.contains("<Code>NoSuchObject</Code>"),
        "{}",
        missing.body
    );
    // Only members read a project's tables.
    let outsider = get(
        "/api/projects/sales/tables/orders",
        ("carol-id", "Carol-S3cret-0004"),
    )
    .send(addr)
    .await;
    assert_eq!(outsider.status, 403, "{}", outsider.body);
    // checkPermission: bob created orders and holds no grant on it.
    let auth = "/api/projects/sales/auth/?type=Table&name=orders&grantee=Drop";
    let bob = get(auth, BOB).send(addr).await;
    assert!(bob.body.contains("<Result>Allow</Result>"), "{}", bob.body);
    assert!(bob.body.contains("creator of table orders"), "{}", bob.body);
    let alice = get(auth, ALICE).send(addr).await;
    assert!(
        alice.body.contains("<Result>Deny</Result>"),
        "{}",
        alice.body
    );
    s.shutdown().await;
}

#[tokio::test]
async fn install_package_is_checked_against_the_projects_served() {
    let s = server().await;
    let addr = s.local_addr();
    for q in [
        "create package datashare",
        "allow project sales to install package datashare",
        "create package private",
    ] {
        ok(addr, "shared", q).await;
    }
    let missing = run(addr, "sales", "install package shared.nosuch", OWNER).await;
    assert!(
        missing.body.contains("<Status>Failed</Status>"),
        "{}",
        missing.body
    );
    assert!(
        missing
            .body
            .contains("package shared.nosuch does not exist"),
        "{}",
        missing.body
    );
    let private = run(addr, "sales", "install package shared.private", OWNER).await;
    assert!(
        private.body.contains("<Status>Failed</Status>"),
        "{}",
        private.body
    );
    assert!(
        private.body.contains("not allowed to install"),
        "{}",
        private.body
    );
    ok(addr, "sales", "install package shared.datashare").await;
    // A project the emulator does not serve: not verified, recorded.
    ok(addr, "sales", "install package elsewhere.pkg").await;
    s.shutdown().await;
}

#[tokio::test]
async fn what_is_not_served_answers_not_supported() {
    let s = server().await;
    let addr = s.local_addr();
    let token = Signed::new(
        "POST",
        "/api/projects/sales/authorization?sign_bearer_token",
        OWNER.0,
        OWNER.1,
    )
    .body(
        "application/json",
        b"{\"expires_in_hours\": 1, \"policy\": {}}",
    )
    .send(addr)
    .await;
    assert_eq!(token.status, 400, "{}", token.body);
    assert!(
        token.message().ends_with("is not supported"),
        "{}",
        token.message()
    );
    let setproject = put(
        "/api/projects/sales",
        "<Project><Name>sales</Name></Project>",
        OWNER,
    )
    .send(addr)
    .await;
    assert_eq!(setproject.status, 400, "{}", setproject.body);
    assert_eq!(
        setproject.header("x-mcauth-code"),
        Some("mcauth::serve::unsupported")
    );
    s.shutdown().await;
}
