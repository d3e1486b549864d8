//! `setproject` over REST, as odpscmd sends it: `PUT /projects/{p}` with
//! the properties, `GET /projects/{p}?properties=all` to read them; and
//! the session's schema mode in a security query's `Settings`.

use std::time::Duration;

use mcauth_odps::{
    Client, ClientConfig, Credentials, OdpsError, PollPolicy, RetryPolicy, SecurityQuery,
};
use mcauth_serve::{Accounts, RequestLog, ServeConfig, Server, StoreLocation, start};

const ACCOUNTS: &str = r#"
[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
"#;

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

fn client(server: &Server, id: &str, secret: &str) -> Client {
    let mut config = ClientConfig::new(server.endpoint(), "sales", Credentials::new(id, secret));
    config.retry = RetryPolicy::none();
    config.poll = PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        max_wait: Some(Duration::from_secs(10)),
    };
    Client::new(config).expect("client")
}

async fn run(c: &Client, query: SecurityQuery) -> Result<String, OdpsError> {
    c.run_security_query("sales", &query.json(false), std::future::pending())
        .await
}

#[tokio::test]
async fn setproject_is_a_put_of_the_projects_properties() {
    let server = server().await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    let set = [
        (
            "odps.security.enabledownloadprivilege".to_owned(),
            "true".to_owned(),
        ),
        ("note".to_owned(), "a <b> & c".to_owned()),
    ];
    owner
        .set_project_properties("sales", &set)
        .await
        .expect("the owner sets properties");
    let read = owner.project_properties("sales").await.expect("read back");
    assert_eq!(read.get("note").map(String::as_str), Some("a <b> & c"));
    let config = run(&owner, SecurityQuery::new("show securityconfiguration"))
        .await
        .expect("show securityconfiguration");
    assert!(config.ends_with("EnableDownloadPrivilege=true"), "{config}");
    // The plain project metadata carries them too (the Java SDK's
    // getProperty reads it).
    let meta = owner.project_meta("sales").await.expect("metadata");
    assert_eq!(
        meta.properties
            .get("odps.security.enabledownloadprivilege")
            .map(String::as_str),
        Some("true")
    );
    // The engine's rules apply: a bad value, and a caller who is neither
    // the owner nor Super_Administrator.
    let bad = owner
        .set_project_properties(
            "sales",
            &[(
                "odps.security.enabledownloadprivilege".to_owned(),
                "yes".to_owned(),
            )],
        )
        .await
        .expect_err("not true or false");
    assert_eq!(bad.service().map(|s| s.status), Some(400), "{bad}");
    for q in ["add accountprovider ram", "add user RAM$alice"] {
        run(&owner, SecurityQuery::new(q)).await.expect(q);
    }
    let alice = client(&server, "alice-id", "Alice-S3cret-0002");
    let denied = alice
        .set_project_properties("sales", &[("a".to_owned(), "1".to_owned())])
        .await
        .expect_err("not the owner");
    assert_eq!(denied.service().map(|s| s.status), Some(403), "{denied}");
    // Any member reads them.
    assert!(alice.project_properties("sales").await.is_ok());
}

#[tokio::test]
async fn schema_mode_comes_with_the_query() {
    let server = server().await;
    let owner = client(&server, "owner-id", "Owner-S3cret-0001");
    run(&owner, SecurityQuery::new("create role r"))
        .await
        .expect("create role");
    // Without schema mode, finance.ledger is a table of project finance.
    let refused = run(
        &owner,
        SecurityQuery::new("grant Select on table finance.ledger to role r"),
    )
    .await
    .expect_err("another project's table");
    assert_eq!(refused.service().map(|s| s.status), Some(400), "{refused}");
    run(
        &owner,
        SecurityQuery::new("grant Select on table finance.ledger to role r")
            .setting("odps.namespace.schema", "true"),
    )
    .await
    .expect("schema.table in schema mode");
    let grants = run(&owner, SecurityQuery::new("show grants for role r"))
        .await
        .expect("show grants");
    assert!(
        grants.contains("projects/sales/schemas/finance/tables/ledger: Select"),
        "{grants}"
    );
}
