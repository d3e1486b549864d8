//! RAM policies and policy documents on a real emulator (127.0.0.1, port
//! 0): tenant-level statements of RAM users and roles decided by the
//! policies accounts.toml attaches to them, and the REST policy endpoints
//! (`GET`/`PUT …?policy`, `?security_policy`, `/roles/{r}?policy`),
//! driven by mcauth's REST client and by signed raw HTTP/1.1.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use mcauth_odps::{
    Client, ClientConfig, Credentials, OdpsError, PollPolicy, RetryPolicy, SecurityQuery,
    SigningMode, VerifyRequest, authorization, candidate_strings,
};
use mcauth_serve::{Accounts, RequestLog, ServeConfig, Server, StoreLocation, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ACCOUNT_ID: &str = "1234567890123456";
const USERS_ARN: &str = "acs:odps:cn-hangzhou:1234567890123456:tenantUsers/*";

const ACCOUNTS: &str = r#"
[[accounts]]
name = "acme@example.com"
id = "1234567890123456"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

# Adds and lists tenant users, through a custom policy.
[[accounts.ram_users]]
logon_name = "useradmin"
access_keys = [{ id = "useradmin-id", secret = "Useradmin-S3cret-0003" }]
policies = ["policies/tenant-users.json"]

# Nothing attached.
[[accounts.ram_users]]
logon_name = "nobody"
access_keys = [{ id = "nobody-id", secret = "Nobody-S3cret-0004" }]

# Full access, but a Deny on adding tenant users.
[[accounts.ram_users]]
logon_name = "denied"
access_keys = [{ id = "denied-id", secret = "Denied-S3cret-0005" }]
system_policies = ["AliyunMaxComputeFullAccess"]
policies = ["policies/deny-add.json"]

# Every List and Get action.
[[accounts.ram_users]]
logon_name = "reader"
access_keys = [{ id = "reader-id", secret = "Reader-S3cret-0006" }]
system_policies = ["AliyunMaxComputeReadOnlyAccess"]

[[accounts.ram_roles]]
name = "etl"
sts = [{ id = "STS.etl-id", secret = "Etl-S3cret-0007", token = "CAIS.Etl-T0ken-0008" }]
policies = ["policies/tenant-roles.json"]

[[accounts]]
name = "other@example.com"
access_keys = [{ id = "other-id", secret = "Other-S3cret-0009" }]

[[accounts.ram_users]]
logon_name = "outsider"
access_keys = [{ id = "outsider-id", secret = "Outsider-S3cret-0010" }]
system_policies = ["AliyunMaxComputeFullAccess"]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
"#;

const TENANT_USERS: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["odps:AddTenantUsers", "odps:ListTenantUsers"],
      "Resource": "acs:odps:cn-hangzhou:1234567890123456:tenantUsers/*"
    }
  ]
}
"#;

const DENY_ADD: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Deny", "Action": "odps:AddTenantUsers", "Resource": "*"}
  ]
}
"#;

const TENANT_ROLES: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["odps:CreateTenantRole", "odps:ListAllTenantRoles"],
      "Resource": "acs:odps:*:1234567890123456:tenantRoles/*"
    }
  ]
}
"#;

/// A fresh directory with accounts.toml and its policy files.
fn accounts_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mcauth-serve-policies-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("policies")).expect("mkdir");
    for (file, text) in [
        ("accounts.toml", ACCOUNTS),
        ("policies/tenant-users.json", TENANT_USERS),
        ("policies/deny-add.json", DENY_ADD),
        ("policies/tenant-roles.json", TENANT_ROLES),
    ] {
        std::fs::write(dir.join(file), text).expect("write");
    }
    dir
}

async fn server_in(dir: &Path, store: StoreLocation) -> Server {
    server_with(dir, store, false).await
}

async fn server_with(dir: &Path, store: StoreLocation, async_mode: bool) -> Server {
    let accounts = Accounts::load(&dir.join("accounts.toml")).expect("valid accounts");
    let mut config = ServeConfig::new("127.0.0.1:0".parse().expect("addr"), store, accounts);
    config.request_log = RequestLog::Off;
    config.async_mode = async_mode;
    start(config).await.expect("server starts")
}

fn client(server: &Server, creds: Credentials) -> Client {
    let mut config = ClientConfig::new(server.endpoint(), "sales", creds);
    config.signing = SigningMode::V2;
    config.retry = RetryPolicy::none();
    config.poll = PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        max_wait: Some(Duration::from_secs(10)),
    };
    Client::new(config).expect("client")
}

fn key(server: &Server, id: &str, secret: &str) -> Client {
    client(server, Credentials::new(id, secret))
}

async fn run(c: &Client, q: &str) -> Result<String, OdpsError> {
    c.run_security_query("sales", &SecurityQuery::new(q), std::future::pending())
        .await
}

async fn run_text(c: &Client, q: &str) -> Result<String, OdpsError> {
    c.run_security_query(
        "sales",
        &SecurityQuery::new(q).json(false),
        std::future::pending(),
    )
    .await
}

fn service(e: &OdpsError) -> (u16, String, String) {
    let s = e
        .service()
        .unwrap_or_else(|| panic!("not a service error: {e:?}"));
    (s.status, s.code.clone(), s.message.clone())
}

/// A refusal by RAM: 403, NoPermission, ODPS-0420095 naming the action
/// and the ARN.
fn assert_ram_denied(e: &OdpsError, action: &str, arn: &str) -> String {
    let (status, code, message) = service(e);
    assert_eq!((status, code.as_str()), (403, "NoPermission"), "{message}");
    assert!(message.starts_with("ODPS-0420095"), "{message}");
    assert!(
        message.contains(action) && message.contains(arn),
        "{message}"
    );
    message
}

#[tokio::test]
async fn tenant_statements_of_ram_users_are_decided_by_their_policies() {
    let dir = accounts_dir("tenant");
    let server = server_in(&dir, StoreLocation::Memory).await;
    let owner = key(&server, "owner-id", "Owner-S3cret-0001");
    let useradmin = key(&server, "useradmin-id", "Useradmin-S3cret-0003");
    let nobody = key(&server, "nobody-id", "Nobody-S3cret-0004");
    let denied = key(&server, "denied-id", "Denied-S3cret-0005");
    let reader = key(&server, "reader-id", "Reader-S3cret-0006");

    // None of them is a project member: tenant statements act on the
    // account, so RAM decides; project statements still need membership.
    run(&useradmin, "add tenant user RAM$acme@example.com:carol")
        .await
        .expect("allowed by its policy");
    assert_eq!(
        run_text(&useradmin, "list tenant users")
            .await
            .expect("allowed"),
        "RAM$acme@example.com:carol"
    );
    let e = run(&useradmin, "whoami").await.expect_err("not a member");
    assert!(service(&e).2.contains("You don't exist in project sales"));

    // Nothing attached: refused naming the action and the ARN.
    let e = run(&nobody, "add tenant user RAM$acme@example.com:dave")
        .await
        .expect_err("nothing allows it");
    let message = assert_ram_denied(&e, "odps:AddTenantUsers", USERS_ARN);
    assert!(message.contains("no RAM policy"), "{message}");

    // An explicit Deny wins over AliyunMaxComputeFullAccess, and is named.
    let e = run(&denied, "add tenant user RAM$acme@example.com:dave")
        .await
        .expect_err("explicitly denied");
    let message = assert_ram_denied(&e, "odps:AddTenantUsers", USERS_ARN);
    assert!(
        message.contains("explicitly denied by policies/deny-add.json:4 (statement 1)"),
        "{message}"
    );
    // …which still allows everything else.
    run(&denied, "create tenant role from_full_access")
        .await
        .expect("full access");

    // Read-only: List* passes, adding does not.
    assert_eq!(
        run(&reader, "list tenant users").await.expect("List*"),
        r#"["RAM$acme@example.com:carol"]"#
    );
    run(&reader, "list tenant roles").await.expect("List*");
    let e = run(&reader, "add tenant user RAM$acme@example.com:erin")
        .await
        .expect_err("read only");
    assert_ram_denied(&e, "odps:AddTenantUsers", USERS_ARN);
    let e = run(&useradmin, "create tenant role nope")
        .await
        .expect_err("roles are not in its policy");
    assert_ram_denied(
        &e,
        "odps:CreateTenantRole",
        &format!("acs:odps:cn-hangzhou:{ACCOUNT_ID}:tenantRoles/*"),
    );

    // A RAM role through STS, with a policy on tenant roles.
    let etl = client(
        &server,
        Credentials::new("STS.etl-id", "Etl-S3cret-0007").with_sts_token("CAIS.Etl-T0ken-0008"),
    );
    run(&etl, "create tenant role etl_made")
        .await
        .expect("allowed for the role");
    let e = run(&etl, "list tenant users")
        .await
        .expect_err("users are not in its policy");
    assert_ram_denied(&e, "odps:ListTenantUsers", USERS_ARN);

    // The account itself is never subject to RAM policies.
    run(&owner, "add tenant user RAM$acme@example.com:frank")
        .await
        .expect("the account");

    // Another account's RAM user: its policies cannot grant rights on this
    // account's tenant, and it is not a member.
    let outsider = key(&server, "outsider-id", "Outsider-S3cret-0010");
    let e = run(&outsider, "list tenant users")
        .await
        .expect_err("another account");
    let (status, _, message) = service(&e);
    assert_eq!(status, 403);
    assert!(
        message.contains("You don't exist in project sales"),
        "{message}"
    );

    // A tenant Super_Administrator passes on an implicit deny (the engine's
    // fallback), but not on an explicit one.
    run(&owner, "add tenant user RAM$acme@example.com:nobody")
        .await
        .expect("add");
    run(
        &owner,
        "grant tenant role super_administrator to user RAM$acme@example.com:nobody",
    )
    .await
    .expect("grant");
    run(&nobody, "add tenant user RAM$acme@example.com:gina")
        .await
        .expect("tenant Super_Administrator");
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_banner_names_the_region_account_ids_and_attached_policies() {
    let dir = accounts_dir("banner");
    let server = server_in(&dir, StoreLocation::Memory).await;
    let accounts = Accounts::load(&dir.join("accounts.toml")).expect("valid");
    let banner = mcauth_serve::banner(
        &server,
        &accounts,
        &StoreLocation::Memory,
        &mcauth_serve::BannerMode::default(),
    );
    let other = mcauth_serve::derived_account_id("other@example.com");
    for line in [
        "  region:   cn-hangzhou\n".to_owned(),
        format!("  account:  acme@example.com id {ACCOUNT_ID}\n"),
        format!(
            "  account:  other@example.com id {other} (derived from the name; set `id` in the accounts file to choose it)\n"
        ),
        "  policies: RAM$acme@example.com:denied: system:AliyunMaxComputeFullAccess, policies/deny-add.json\n".to_owned(),
        "  policies: RAM$acme@example.com:role/etl: policies/tenant-roles.json\n".to_owned(),
    ] {
        assert!(banner.contains(&line), "{line:?} not in\n{banner}");
    }
    assert!(!banner.contains("RAM$acme@example.com:nobody:"), "{banner}");
    assert!(
        !banner.contains("S3cret") && !banner.contains("T0ken"),
        "{banner}"
    );
    // Full access is worth a note at start-up, not a refusal.
    assert_eq!(accounts.warnings().len(), 2, "{:?}", accounts.warnings());
    assert!(
        accounts.warnings()[0].starts_with("note: "),
        "{:?}",
        accounts.warnings()
    );
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn async_submissions_admit_tenant_statements_as_sync_ones_do() {
    let dir = accounts_dir("async");
    let server = server_with(&dir, StoreLocation::Memory, true).await;
    let useradmin = key(&server, "useradmin-id", "Useradmin-S3cret-0003");
    run(&useradmin, "add tenant user RAM$acme@example.com:carol")
        .await
        .expect("submitted and allowed");
    let nobody = key(&server, "nobody-id", "Nobody-S3cret-0004");
    let e = run(&nobody, "add tenant user RAM$acme@example.com:dave")
        .await
        .expect_err("refused");
    match &e {
        OdpsError::QueryFailed { message, .. } => assert!(
            message.contains("odps:AddTenantUsers") && message.contains(USERS_ARN),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    // Project statements still need membership, before any instance exists.
    let e = run(&nobody, "whoami").await.expect_err("not a member");
    assert_eq!(service(&e).0, 403);
    let owner = key(&server, "owner-id", "Owner-S3cret-0001");
    assert_eq!(
        run(&owner, "get security policy").await.expect("empty"),
        "{}"
    );
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_error_xml_of_a_ram_denial_carries_the_action_and_the_arn() {
    let dir = accounts_dir("xml");
    let server = server_in(&dir, StoreLocation::Memory).await;
    let answer = raw(
        &server,
        ("nobody-id", "Nobody-S3cret-0004"),
        "POST",
        "/api/projects/sales/authorization",
        b"<Authorization><Query>list tenant roles</Query></Authorization>",
        "application/xml",
    )
    .await;
    assert_eq!(answer.status, 403, "{}", answer.text());
    let parsed = mcauth_odps::parse_error(&answer.text()).expect("error xml");
    assert_eq!(parsed.code.as_deref(), Some("NoPermission"));
    let message = parsed.message.unwrap_or_default();
    assert!(
        message.starts_with("ODPS-0420095")
            && message.contains("odps:ListAllTenantRoles")
            && message.contains("acs:odps:cn-hangzhou:1234567890123456:tenantRoles/*"),
        "{message}"
    );
    assert_eq!(
        answer.header("x-mcauth-code"),
        Some("mcauth::engine::permission_denied")
    );
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- REST

/// A raw answer: status, headers (lower-case names), body bytes.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one V2-signed request by hand (Connection: close).
async fn raw(
    server: &Server,
    (id, secret): (&str, &str),
    method: &str,
    target: &str,
    body: &[u8],
    content_type: &str,
) -> Raw {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    };
    let date = SystemTime::now();
    let mut headers = vec![
        ("Date".to_owned(), httpdate::fmt_http_date(date)),
        ("x-odps-user-agent".to_owned(), "policy-test".to_owned()),
    ];
    if !body.is_empty() {
        headers.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    let vreq = VerifyRequest {
        method: method.to_owned(),
        path,
        query,
        headers: headers.clone(),
    };
    let sts = candidate_strings(&vreq, "/api").remove(0);
    let auth = authorization(&Credentials::new(id, secret), &SigningMode::V2, &sts, date);
    headers.push(("Authorization".to_owned(), auth));
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        server.local_addr(),
        body.len()
    );
    for (k, v) in &headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .expect("connect");
    stream.write_all(&bytes).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let body = answer.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Raw {
        status,
        headers,
        body,
    }
}

const OWNER: (&str, &str) = ("owner-id", "Owner-S3cret-0001");
const ALICE: (&str, &str) = ("alice-id", "Alice-S3cret-0002");

/// A project policy with odd but valid spacing, a non-ASCII description
/// and no final newline: it must come back byte for byte.
const PROJECT_POLICY: &str = "{\r\n  \"Version\": \"1\",\n\t\"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Principal\": [\"RAM$acme@example.com:alice\"],\n    \"Action\": [\"odps:Read\"],\n    \"Resource\": [\"acs:odps:*:projects/sales/tables/*\"],\n    \"Condition\": {\"StringEquals\": {\"acs:SourceVpc\": \"vpc-\u{e9}t\u{e9}\"}}\n  }]\n}";

const ROLE_POLICY: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": ["odps:Read", "odps:List"], "Resource": ["acs:odps:*:projects/sales/tables/sales_*"]}
  ]
}
"#;

const SECURITY_POLICY: &str = r#"{"Version": "1", "Statement": [{"Effect": "Deny", "Principal": ["*"], "Action": ["odps:Download"], "Resource": ["acs:odps:*:projects/sales/tables/*"]}]}"#;

#[tokio::test]
async fn policy_documents_round_trip_byte_for_byte() {
    let dir = accounts_dir("rest");
    let store = dir.join("store.db");
    let server = server_in(&dir, StoreLocation::Path(store.clone())).await;

    // Nothing put yet: 200 with an empty body.
    let none = raw(&server, OWNER, "GET", "/api/projects/sales?policy", b"", "").await;
    assert_eq!((none.status, none.body.len()), (200, 0), "{}", none.text());
    assert_eq!(none.header("content-type"), Some("application/json"));

    for (put, get) in [
        ("/api/projects/sales?policy", "/api/projects/sales?policy="),
        (
            "/api/projects/sales?security_policy=",
            "/api/projects/sales?security_policy",
        ),
    ] {
        let doc = if put.contains("security") {
            SECURITY_POLICY
        } else {
            PROJECT_POLICY
        };
        let stored = raw(
            &server,
            OWNER,
            "PUT",
            put,
            doc.as_bytes(),
            "application/json",
        )
        .await;
        assert_eq!(
            (stored.status, stored.text()),
            (200, String::new()),
            "{put}"
        );
        let back = raw(&server, OWNER, "GET", get, b"", "").await;
        assert_eq!(back.status, 200, "{}", back.text());
        assert_eq!(back.body, doc.as_bytes(), "{get}");
        assert_eq!(back.header("content-type"), Some("application/json"));
    }

    // A role's policy; the role must exist (the engine's 404).
    let owner = key(&server, "owner-id", "Owner-S3cret-0001");
    let missing = raw(
        &server,
        OWNER,
        "PUT",
        "/api/projects/sales/roles/analyst?policy",
        ROLE_POLICY.as_bytes(),
        "application/json",
    )
    .await;
    assert_eq!(missing.status, 404, "{}", missing.text());
    assert!(missing.text().contains("<Code>NoSuchObject</Code>"));
    assert_eq!(
        missing.header("x-mcauth-code"),
        Some("mcauth::engine::role_not_found")
    );
    run(&owner, "create role analyst").await.expect("create");
    let stored = raw(
        &server,
        OWNER,
        "PUT",
        "/api/projects/sales/roles/analyst?policy",
        ROLE_POLICY.as_bytes(),
        "application/json",
    )
    .await;
    assert_eq!(stored.status, 200, "{}", stored.text());
    let back = raw(
        &server,
        OWNER,
        "GET",
        "/api/projects/sales/roles/analyst?policy=",
        b"",
        "",
    )
    .await;
    assert_eq!(back.body, ROLE_POLICY.as_bytes());
    let odd = raw(
        &server,
        OWNER,
        "GET",
        "/api/projects/sales/roles/a%3Bb?policy",
        b"",
        "",
    )
    .await;
    assert_eq!(odd.status, 404, "{}", odd.text());

    // The same documents through security queries.
    assert_eq!(
        run(&owner, "get policy on role analyst")
            .await
            .expect("get"),
        ROLE_POLICY
    );
    assert_eq!(
        run_text(&owner, "get security policy").await.expect("get"),
        SECURITY_POLICY
    );
    let e = run(&owner, "put policy local.json")
        .await
        .expect_err("no file");
    let (status, code, message) = service(&e);
    assert_eq!((status, code.as_str()), (400, "InvalidParameter"));
    assert!(
        message.contains("local.json") && message.contains("PUT /api/projects/sales?policy"),
        "{message}"
    );
    let e = run(&owner, "put policy r.json on role analyst")
        .await
        .expect_err("no file");
    assert!(
        service(&e)
            .2
            .contains("PUT /api/projects/sales/roles/analyst?policy"),
        "{e}"
    );

    // mcauth's own REST client (the remote backend's `put policy`/`get
    // policy`) speaks the same shapes.
    use mcauth_odps::PolicyTarget;
    for (target, doc) in [
        (PolicyTarget::Security, SECURITY_POLICY),
        (PolicyTarget::Role("analyst"), ROLE_POLICY),
        (PolicyTarget::Project, PROJECT_POLICY),
    ] {
        owner
            .put_policy("sales", target, doc)
            .await
            .unwrap_or_else(|e| panic!("{target:?}: {e}"));
        assert_eq!(
            owner.get_policy("sales", target).await.expect("get"),
            doc,
            "{target:?}"
        );
    }
    let e = owner
        .put_policy("sales", PolicyTarget::Role("nosuch"), ROLE_POLICY)
        .await
        .expect_err("no such role");
    assert!(e.is_not_found(), "{e:?}");

    // Kept in the store: a restarted emulator serves the same bytes.
    server.shutdown().await;
    let server = server_in(&dir, StoreLocation::Path(store)).await;
    let back = raw(&server, OWNER, "GET", "/api/projects/sales?policy", b"", "").await;
    assert_eq!(back.body, PROJECT_POLICY.as_bytes());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn bad_policy_documents_are_refused_and_authority_applies() {
    let dir = accounts_dir("refused");
    let server = server_in(&dir, StoreLocation::Memory).await;
    let put = |who, target: &'static str, body: Vec<u8>| {
        let server = &server;
        async move { raw(server, who, "PUT", target, &body, "application/json").await }
    };

    // A lint error: 400 naming the finding and its position.
    let typo = PROJECT_POLICY.replace("\"Allow\"", "\"allow\"");
    let bad = put(OWNER, "/api/projects/sales?policy", typo.into_bytes()).await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    let parsed = mcauth_odps::parse_error(&bad.text()).expect("error xml");
    assert_eq!(parsed.code.as_deref(), Some("InvalidParameter"));
    let message = parsed.message.unwrap_or_default();
    assert!(
        message.contains("line 4, column 15") && message.contains("`allow` is not an effect"),
        "{message}"
    );
    assert_eq!(
        bad.header("x-mcauth-code"),
        Some("mcauth::policy::invalid_effect")
    );
    // Project policies name a Principal; role policies must not.
    let bad = put(
        OWNER,
        "/api/projects/sales?policy",
        ROLE_POLICY.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(
        (bad.status, bad.header("x-mcauth-code")),
        (400, Some("mcauth::policy::missing_principal")),
        "{}",
        bad.text()
    );
    // Not JSON, not UTF-8, too large.
    let bad = put(
        OWNER,
        "/api/projects/sales?policy",
        b"{\"Version\": ".to_vec(),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    let bad = put(OWNER, "/api/projects/sales?policy", vec![b'{', 0xff, b'}']).await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.text().contains("not UTF-8"), "{}", bad.text());
    let mut big = SECURITY_POLICY.as_bytes().to_vec();
    big.resize((1 << 20) + 1, b' ');
    let bad = put(OWNER, "/api/projects/sales?security_policy", big).await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.text().contains("1 MiB"), "{}", bad.text());
    // Neither ?policy nor ?security_policy.
    let bad = put(
        OWNER,
        "/api/projects/sales",
        SECURITY_POLICY.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.text());

    // Nothing was stored by any of these.
    let none = raw(&server, OWNER, "GET", "/api/projects/sales?policy", b"", "").await;
    assert_eq!((none.status, none.body.len()), (200, 0));

    // A plain member may neither put nor read the project policy; an
    // outsider is not in the project at all.
    let owner = key(&server, "owner-id", "Owner-S3cret-0001");
    for q in ["add accountprovider ram", "add user RAM$alice"] {
        run(&owner, q).await.expect(q);
    }
    let refused = put(
        ALICE,
        "/api/projects/sales?policy",
        PROJECT_POLICY.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("<Code>NoPermission</Code>"));
    let refused = raw(&server, ALICE, "GET", "/api/projects/sales?policy", b"", "").await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    let outsider = put(
        ("other-id", "Other-S3cret-0009"),
        "/api/projects/sales?security_policy",
        SECURITY_POLICY.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(outsider.status, 403, "{}", outsider.text());
    assert!(outsider.text().contains("ODPS-0420095"));
    // Made admin, alice may put a role's policy, but the project policy
    // stays the owner's (or Super_Administrator's).
    run(&owner, "grant admin to RAM$alice")
        .await
        .expect("grant");
    run(&owner, "create role analyst").await.expect("create");
    let ok = put(
        ALICE,
        "/api/projects/sales/roles/analyst?policy",
        ROLE_POLICY.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let refused = put(
        ALICE,
        "/api/projects/sales?policy",
        PROJECT_POLICY.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
