//! The XML documents of the security subset (docs/wire-protocol.md): the
//! security-query request body and the answers the client reads.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A project member as listed by `GET /projects/{p}/users`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// `<ID>`, e.g. `p4_123`.
    pub id: String,
    /// `<DisplayName>`, e.g. `RAM$alice@example.com:bob`.
    pub display_name: String,
    /// `<Comment>`, empty when absent.
    pub comment: String,
}

/// A project role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// `<Name>`.
    pub name: String,
    /// `<Comment>`, empty when absent.
    pub comment: String,
    /// `<Type>` (`admin` or `resource`, any case), which the Java SDK
    /// reads; `None` when the answer does not carry it.
    pub role_type: Option<String>,
}

/// Project metadata from `GET /projects/{p}` (body and headers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectMeta {
    /// `<Name>`.
    pub name: String,
    /// `<Type>`, e.g. `managed`.
    pub kind: String,
    /// `<Comment>`.
    pub comment: String,
    /// `<State>`, e.g. `AVAILABLE`.
    pub state: String,
    /// `<ProjectGroupName>`.
    pub project_group_name: String,
    /// `<Region>`.
    pub region: String,
    /// `<TenantId>`.
    pub tenant_id: String,
    /// `<Properties><Property><Name/><Value/></Property>…`.
    pub properties: BTreeMap<String, String>,
    /// Header `x-odps-owner`, e.g. `ALIYUN$owner@test.com`.
    pub owner: Option<String>,
    /// Header `x-odps-creation-time`.
    pub creation_time: Option<String>,
    /// Header `Last-Modified`.
    pub last_modified: Option<String>,
}

/// Status of an asynchronous security query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStatus {
    /// Still running.
    Running,
    /// Finished; `Result` holds the answer.
    Terminated,
    /// Failed; `Result` holds the error text.
    Failed,
}

impl QueryStatus {
    /// Parses `Running`/`Terminated`/`Failed` in any case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "running" => Some(Self::Running),
            "terminated" => Some(Self::Terminated),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// The body of `POST /projects/{p}/authorization`. `query` must not contain
/// characters XML 1.0 cannot carry (checked by [`authorization_body_checked`]).
pub fn authorization_body(query: &str, json: bool, settings: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(query.len() + 160);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    out.push_str("<Authorization><Query>");
    out.push_str(&quick_xml::escape::escape(query));
    out.push_str("</Query><ResponseInJsonFormat>");
    out.push_str(if json { "true" } else { "false" });
    out.push_str("</ResponseInJsonFormat>");
    if !settings.is_empty() {
        let json = serde_json::to_string(settings).unwrap_or_else(|_| "{}".to_owned());
        out.push_str("<Settings>");
        out.push_str(&quick_xml::escape::escape(&json));
        out.push_str("</Settings>");
    }
    out.push_str("</Authorization>");
    out
}

/// [`authorization_body`] after checking that `query` and the settings can be
/// carried in XML 1.0; `Err` names the offending character.
pub fn authorization_body_checked(
    query: &str,
    json: bool,
    settings: &BTreeMap<String, String>,
) -> Result<String, String> {
    let texts =
        std::iter::once(query).chain(settings.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]));
    for text in texts {
        if let Some(c) = text.chars().find(|c| !xml_char(*c)) {
            return Err(format!(
                "character U+{:04X} cannot be sent in a security query",
                u32::from(c)
            ));
        }
    }
    Ok(authorization_body(query, json, settings))
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'))
}

#[derive(Deserialize)]
struct ResultXml {
    #[serde(rename = "Result", default)]
    result: Option<String>,
    #[serde(rename = "Status", default)]
    status: Option<String>,
}

/// `<Authorization><Result>…</Result></Authorization>` (or `<AuthorizationQuery>`
/// with a `<Status>`): the result text and status text.
pub fn parse_result(xml: &str) -> Result<(String, Option<String>), String> {
    let r: ResultXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    Ok((r.result.unwrap_or_default(), r.status))
}

#[derive(Deserialize)]
struct UserXml {
    #[serde(rename = "ID", default)]
    id: String,
    #[serde(rename = "DisplayName", default)]
    display_name: String,
    #[serde(rename = "Comment", default)]
    comment: Option<String>,
}

impl From<UserXml> for User {
    fn from(u: UserXml) -> Self {
        Self {
            id: u.id,
            display_name: u.display_name,
            comment: u.comment.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
struct UsersXml {
    #[serde(rename = "User", default)]
    users: Vec<UserXml>,
}

#[derive(Deserialize)]
struct RoleXml {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Comment", default)]
    comment: Option<String>,
    #[serde(rename = "Type", default)]
    role_type: Option<String>,
}

#[derive(Deserialize)]
struct RolesXml {
    #[serde(rename = "Role", default)]
    roles: Vec<RoleXml>,
}

/// `<Users><User>…</User>*</Users>`.
pub fn parse_users(xml: &str) -> Result<Vec<User>, String> {
    let u: UsersXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    Ok(u.users.into_iter().map(User::from).collect())
}

/// `<User>…</User>`.
pub fn parse_user(xml: &str) -> Result<User, String> {
    let u: UserXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    Ok(u.into())
}

/// `<Roles><Role>…</Role>*</Roles>`.
pub fn parse_roles(xml: &str) -> Result<Vec<Role>, String> {
    let r: RolesXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    Ok(r.roles
        .into_iter()
        .map(|r| Role {
            name: r.name,
            comment: r.comment.unwrap_or_default(),
            role_type: r
                .role_type
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
        })
        .collect())
}

#[derive(Deserialize, Default)]
struct PropertyXml {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Value", default)]
    value: Option<String>,
}

#[derive(Deserialize, Default)]
struct PropertiesXml {
    #[serde(rename = "Property", default)]
    property: Vec<PropertyXml>,
}

#[derive(Deserialize)]
struct ProjectXml {
    #[serde(rename = "Name", default)]
    name: Option<String>,
    #[serde(rename = "Type", default)]
    kind: Option<String>,
    #[serde(rename = "Comment", default)]
    comment: Option<String>,
    #[serde(rename = "State", default)]
    state: Option<String>,
    #[serde(rename = "ProjectGroupName", default)]
    group: Option<String>,
    #[serde(rename = "Region", default)]
    region: Option<String>,
    #[serde(rename = "TenantId", default)]
    tenant_id: Option<String>,
    #[serde(rename = "Properties", default)]
    properties: PropertiesXml,
}

#[derive(Deserialize)]
struct ProjectsXml {
    #[serde(rename = "Marker", default)]
    marker: Option<String>,
    #[serde(rename = "Project", default)]
    projects: Vec<ProjectXml>,
}

/// One page of `GET /projects`: the projects' names and the marker of the
/// next page (empty on the last).
pub fn parse_project_list(xml: &str) -> Result<(Vec<String>, String), String> {
    let page: ProjectsXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    let names = page.projects.into_iter().filter_map(|p| p.name).collect();
    Ok((names, page.marker.unwrap_or_default()))
}

/// `<Project>…</Project>` (headers are filled in by the caller).
pub fn parse_project(xml: &str) -> Result<ProjectMeta, String> {
    let p: ProjectXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    Ok(ProjectMeta {
        name: p.name.unwrap_or_default(),
        kind: p.kind.unwrap_or_default(),
        comment: p.comment.unwrap_or_default(),
        state: p.state.unwrap_or_default(),
        project_group_name: p.group.unwrap_or_default(),
        region: p.region.unwrap_or_default(),
        tenant_id: p.tenant_id.unwrap_or_default(),
        properties: p
            .properties
            .property
            .into_iter()
            .map(|p| (p.name, p.value.unwrap_or_default()))
            .collect(),
        ..ProjectMeta::default()
    })
}

/// The body of `PUT /projects/{p}` that sets properties, as the Java SDK's
/// `Projects.updateProject` writes it: `<Project><Name>p</Name><Properties>
/// <Property><Name>k</Name><Value>v</Value></Property>…</Properties></Project>`.
pub fn project_properties_body(project: &str, properties: &[(String, String)]) -> String {
    let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Project><Name>"#);
    out.push_str(&quick_xml::escape::escape(project));
    out.push_str("</Name><Properties>");
    for (name, value) in properties {
        out.push_str("<Property><Name>");
        out.push_str(&quick_xml::escape::escape(name));
        out.push_str("</Name><Value>");
        out.push_str(&quick_xml::escape::escape(value));
        out.push_str("</Value></Property>");
    }
    out.push_str("</Properties></Project>");
    out
}

/// The four children of `<Error>`, any of which may be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    /// `<Code>`.
    #[serde(rename = "Code", default)]
    pub code: Option<String>,
    /// `<Message>`.
    #[serde(rename = "Message", default)]
    pub message: Option<String>,
    /// `<RequestId>`.
    #[serde(rename = "RequestId", default)]
    pub request_id: Option<String>,
    /// `<HostId>`.
    #[serde(rename = "HostId", default)]
    pub host_id: Option<String>,
}

/// An `<Error>` XML body, or the JSON form `{"Code":…,"Message":…}` that the
/// SDKs also accept. `None` unless it has a non-empty `Code`.
pub fn parse_error(body: &str) -> Option<ErrorBody> {
    let trimmed = body.trim_start();
    let parsed: Option<ErrorBody> = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).ok()
    } else if trimmed.starts_with('<') {
        quick_xml::de::from_str(trimmed).ok()
    } else {
        None
    };
    parsed.filter(|e| e.code.as_deref().is_some_and(|c| !c.trim().is_empty()))
}

/// An `<Error>` document with all four children, which PyODPS requires
/// (docs/wire-protocol.md#errors). Text is escaped, so any message is safe.
pub fn render_error(code: &str, message: &str, request_id: &str, host_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{}</RequestId><HostId>{}</HostId></Error>",
        quick_xml::escape::escape(code),
        quick_xml::escape::escape(message),
        quick_xml::escape::escape(request_id),
        quick_xml::escape::escape(host_id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_escapes_the_query_and_carries_settings() {
        let mut settings = BTreeMap::new();
        settings.insert("odps.namespace.schema".to_owned(), "true".to_owned());
        let body =
            authorization_body_checked("grant x to user <a&b>", false, &settings).expect("valid");
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Authorization><Query>grant x to user &lt;a&amp;b&gt;</Query><ResponseInJsonFormat>false</ResponseInJsonFormat><Settings>{&quot;odps.namespace.schema&quot;:&quot;true&quot;}</Settings></Authorization>"
        );
        assert!(authorization_body_checked("a\u{1}b", true, &BTreeMap::new()).is_err());
    }

    #[test]
    fn a_project_list_page_gives_names_and_the_next_marker() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Projects><Marker>b</Marker><MaxItems>2</MaxItems>\
                   <Project><Name>a</Name><Owner>ALIYUN$x</Owner></Project><Project><Name>b</Name></Project></Projects>";
        assert_eq!(
            parse_project_list(xml).expect("valid"),
            (vec!["a".to_owned(), "b".to_owned()], "b".to_owned())
        );
        let last = "<Projects><Marker></Marker><MaxItems>100</MaxItems></Projects>";
        assert_eq!(
            parse_project_list(last).expect("valid"),
            (Vec::new(), String::new())
        );
        assert!(parse_project_list("<Projects><Project>").is_err());
    }

    #[test]
    fn parses_results_with_cdata_and_entities() {
        let (r, s) = parse_result(
            r#"<?xml version="1.0" encoding="UTF-8"?><Authorization><Result><![CDATA[{"DisplayName": "ALIYUN$o@t.com"}]]></Result></Authorization>"#,
        )
        .expect("parses");
        assert_eq!(r, r#"{"DisplayName": "ALIYUN$o@t.com"}"#);
        assert_eq!(s, None);
        let (r, s) = parse_result(
            "<AuthorizationQuery><Result>&lt;a&amp;b&gt;</Result><Status>Terminated</Status></AuthorizationQuery>",
        )
        .expect("parses");
        assert_eq!((r.as_str(), s.as_deref()), ("<a&b>", Some("Terminated")));
        let (r, _) =
            parse_result("<Authorization><Result></Result></Authorization>").expect("parses");
        assert_eq!(r, "");
        assert!(parse_result("").is_err());
        assert_eq!(
            QueryStatus::parse("TERMINATED"),
            Some(QueryStatus::Terminated)
        );
        assert_eq!(QueryStatus::parse("Success"), None);
    }

    #[test]
    fn parses_users_roles_and_project() {
        let users = parse_users(
            "<Users><User><ID>p4_123</ID><DisplayName>ALIYUN$owner@test.com</DisplayName><Comment></Comment></User><User><ID>p4_456</ID><DisplayName>RAM$owner@test.com:x</DisplayName><Comment>c</Comment></User></Users>",
        )
        .expect("parses");
        assert_eq!(users.len(), 2);
        assert_eq!(users[1].display_name, "RAM$owner@test.com:x");
        assert_eq!(users[1].comment, "c");
        assert_eq!(parse_users("<Users></Users>").expect("parses"), vec![]);
        assert_eq!(parse_users("<Users/>").expect("parses"), vec![]);
        let roles = parse_roles("<Roles><Role><Name>admin</Name><Comment></Comment></Role><Role><Name>r</Name></Role></Roles>").expect("parses");
        assert_eq!(
            roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["admin", "r"]
        );
        assert_eq!(roles[1].role_type, None);
        let typed = parse_roles(
            "<Roles><Role><Name>a</Name><Type>Admin</Type></Role><Role><Name>b</Name><Type> </Type></Role></Roles>",
        )
        .expect("parses");
        assert_eq!(typed[0].role_type.as_deref(), Some("Admin"));
        assert_eq!(typed[1].role_type, None);
        let body = project_properties_body(
            "p",
            &[("a.b".into(), "x<y".into()), ("e".into(), String::new())],
        );
        let back = parse_project(&body).expect("the body is a project document");
        assert_eq!(back.name, "p");
        assert_eq!(
            back.properties.into_iter().collect::<Vec<_>>(),
            [
                ("a.b".to_owned(), "x<y".to_owned()),
                ("e".to_owned(), String::new())
            ]
        );
        let p = parse_project("<Project><Name>test_proj</Name><Type>managed</Type><Comment>c</Comment><ProjectGroupName>g</ProjectGroupName><State>AVAILABLE</State><Properties><Property><Name>odps.security.ip.whitelist</Name><Value></Value></Property><Property><Name>a</Name><Value>b</Value></Property></Properties><Region>cn-local</Region></Project>").expect("parses");
        assert_eq!(p.name, "test_proj");
        assert_eq!(p.state, "AVAILABLE");
        assert_eq!(p.region, "cn-local");
        assert_eq!(p.properties.get("a").map(String::as_str), Some("b"));
        assert_eq!(
            p.properties
                .get("odps.security.ip.whitelist")
                .map(String::as_str),
            Some("")
        );
    }

    #[test]
    fn parses_error_bodies_in_xml_and_json() {
        let e = parse_error("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoPermission</Code><Message><![CDATA[ODPS-0420095: Access Denied - x]]></Message><RequestId>5F0C</RequestId><HostId>localhost</HostId></Error>").expect("parses");
        assert_eq!(e.code.as_deref(), Some("NoPermission"));
        assert_eq!(
            e.message.as_deref(),
            Some("ODPS-0420095: Access Denied - x")
        );
        assert_eq!(e.request_id.as_deref(), Some("5F0C"));
        let e = parse_error(r#"{"Code":"NoPermission","Message":"json denied","HostId":"h"}"#)
            .expect("parses");
        assert_eq!(e.message.as_deref(), Some("json denied"));
        assert_eq!(parse_error("<Error><Message>m</Message></Error>"), None);
        assert_eq!(parse_error("Bad gateway"), None);
        let rendered = render_error("NoPermission", "ODPS-0420095: a<b & c", "R1", "");
        let back = parse_error(&rendered).expect("round trip");
        assert_eq!(back.message.as_deref(), Some("ODPS-0420095: a<b & c"));
        assert_eq!(back.request_id.as_deref(), Some("R1"));
        assert!(rendered.contains("<HostId></HostId>"));
        assert_eq!(parse_error(""), None);
    }
}
