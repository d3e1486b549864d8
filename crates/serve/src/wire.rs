//! What goes on the wire: ids, XML bodies (with the root element names the
//! SDKs check, docs/wire-protocol.md#errors and
//! #what-pyodps-needs-from-a-server), and how engine outputs become a
//! security query's `<Result>`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mcauth_engine::{Output, PrincipalClass, PrincipalId, RoleInfo, Whoami};
use std::borrow::Cow;

pub(crate) const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The first control character of `text` other than tab, line feed and
/// carriage return, with its byte offset: what XML 1.0 cannot carry at all
/// (and JSON only escaped), so statements and documents holding one are
/// refused before anything stores them.
pub(crate) fn control_character(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// `c` as `U+0007`.
pub(crate) fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `text` with every control character but tab and line feed written out
/// as `\u{…}`: for messages that echo a request (a path, a name).
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n') {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// XML element text: `&`, `<`, `>`, quotes escaped, a carriage return as
/// `&#13;` (a parser would turn a literal one into a line feed), and any
/// other control character, which XML 1.0 cannot carry (they are refused
/// on the way in, so this is a last guard), replaced by U+FFFD.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'' | '\r')
            || (c.is_control() && !matches!(c, '\t' | '\n'))
    };
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c if c.is_control() && !matches!(c, '\t' | '\n') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Makes request ids (unique within a process, and across processes
/// thanks to a random seed) and instance ids (128 bits from the operating
/// system's random source each: an instance id is all a poller presents
/// besides its signature, so it must not be guessable from another).
#[derive(Debug)]
pub(crate) struct Ids {
    seed: u64,
    counter: AtomicU64,
}

impl Ids {
    pub(crate) fn new() -> Self {
        Self {
            seed: fastrand::u64(..),
            counter: AtomicU64::new(0),
        }
    }

    fn next(&self) -> u64 {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        mix(self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// 24 upper-case hex digits, e.g. `5F0C1E2D3A4B5C6D7E8F9A0B`.
    pub(crate) fn request_id(&self) -> String {
        let secs = unix_secs() as u32;
        format!("{secs:08X}{:016X}", self.next())
    }

    /// `yyyymmddhhmmss` + 32 hex digits of fresh randomness (the service's
    /// ids start with the time too); `None` if the random source fails.
    pub(crate) fn instance_id(&self) -> Option<String> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).ok()?;
        let secs = unix_secs();
        let (y, mo, d) = civil(secs / 86_400);
        let t = secs % 86_400;
        let mut id = format!(
            "{y:04}{mo:02}{d:02}{:02}{:02}{:02}",
            t / 3600,
            (t / 60) % 60,
            t % 60,
        );
        for b in random {
            id.push_str(&format!("{b:02x}"));
        }
        Some(id)
    }
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Days since 1970-01-01 to (year, month, day).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u64::from(m <= 2), m, d)
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A member's `<ID>`: `p4_` and 16 digits derived from the principal
/// (case-insensitively), stable across restarts; a `p4_…` residue is its
/// own id.
pub(crate) fn user_id(principal: &PrincipalId) -> String {
    if principal.class() == PrincipalClass::Residue {
        return principal.as_str().to_owned();
    }
    // FNV-1a over the folded form, so that ids agree with PrincipalId's
    // case-insensitive equality.
    let folded = match principal.as_str().split_once('$') {
        Some((p, rest)) => format!("{}${}", p.to_ascii_uppercase(), rest.to_ascii_lowercase()),
        None => principal.as_str().to_ascii_lowercase(),
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in folded.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("p4_{:016}", mix(h) % 10_000_000_000_000_000)
}

fn push_user(out: &mut String, p: &PrincipalId, comment: Option<&str>) {
    out.push_str("<User><ID>");
    out.push_str(&escape(&user_id(p)));
    out.push_str("</ID><DisplayName>");
    out.push_str(&escape(p.as_str()));
    out.push_str("</DisplayName><Comment>");
    out.push_str(&escape(comment.unwrap_or_default()));
    out.push_str("</Comment></User>");
}

/// `<Users><User><ID/><DisplayName/><Comment/></User>…</Users>`, each
/// user's comment from `comment_of`.
pub(crate) fn users_xml(
    users: &[PrincipalId],
    comment_of: impl Fn(&PrincipalId) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(64 + users.len() * 96);
    out.push_str(XML_DECL);
    out.push_str("<Users>");
    for u in users {
        push_user(&mut out, u, comment_of(u).as_deref());
    }
    out.push_str("</Users>");
    out
}

/// `<User><ID/><DisplayName/><Comment/></User>`.
pub(crate) fn user_xml(user: &PrincipalId, comment: Option<&str>) -> String {
    let mut out = String::from(XML_DECL);
    push_user(&mut out, user, comment);
    out
}

/// `<Roles><Role><Name/><Comment/><Type/></Role>…</Roles>`.
pub(crate) fn roles_xml<'a>(
    roles: impl IntoIterator<Item = (&'a str, Option<&'a RoleInfo>)>,
) -> String {
    let mut out = String::from(XML_DECL);
    out.push_str("<Roles>");
    for (name, info) in roles {
        push_role(&mut out, name, info);
    }
    out.push_str("</Roles>");
    out
}

/// A role, with its type (`admin` or `resource`) in `<Type>`, which the
/// Java SDK reads and mcauth's remote backend needs: no statement's text
/// shows it.
fn push_role(out: &mut String, name: &str, info: Option<&RoleInfo>) {
    out.push_str("<Role><Name>");
    out.push_str(&escape(name));
    out.push_str("</Name><Comment>");
    out.push_str(&escape(
        info.and_then(|i| i.comment.as_deref()).unwrap_or_default(),
    ));
    out.push_str("</Comment>");
    if let Some(info) = info {
        out.push_str("<Type>");
        out.push_str(info.role_type.as_str());
        out.push_str("</Type>");
    }
    out.push_str("</Role>");
}

/// `<Role><Name/><Comment/><Type/></Role>`.
pub(crate) fn role_xml(name: &str, info: &RoleInfo) -> String {
    let mut out = String::from(XML_DECL);
    push_role(&mut out, name, Some(info));
    out
}

/// `<Project>…</Project>` in `region` (owner and times go in headers).
pub(crate) fn project_xml(name: &str, region: &str, properties: &[(String, String)]) -> String {
    let mut props = String::new();
    for (k, v) in properties {
        props.push_str("<Property><Name>");
        props.push_str(&escape(k));
        props.push_str("</Name><Value>");
        props.push_str(&escape(v));
        props.push_str("</Value></Property>");
    }
    format!(
        "{XML_DECL}<Project><Name>{}</Name><Type>managed</Type><Comment></Comment><ProjectGroupName></ProjectGroupName><State>AVAILABLE</State><Properties>{props}</Properties><Region>{}</Region></Project>",
        escape(name),
        escape(region)
    )
}

/// One project of `GET /projects`: its name and meta.
pub(crate) struct ProjectEntry<'a> {
    pub name: &'a str,
    pub owner: &'a PrincipalId,
    pub created: SystemTime,
    pub modified: SystemTime,
}

/// `<Projects><Marker/><MaxItems/><Project>…</Project>…</Projects>`: the
/// list puts owner and times in the body (Go and PyODPS read them there),
/// in RFC 1123 form.
pub(crate) fn projects_xml(
    projects: &[ProjectEntry<'_>],
    region: &str,
    marker: &str,
    max_items: usize,
) -> String {
    let mut out = String::with_capacity(128 + projects.len() * 320);
    out.push_str(XML_DECL);
    out.push_str("<Projects><Marker>");
    out.push_str(&escape(marker));
    out.push_str("</Marker><MaxItems>");
    out.push_str(&max_items.to_string());
    out.push_str("</MaxItems>");
    for p in projects {
        out.push_str("<Project><Name>");
        out.push_str(&escape(p.name));
        out.push_str("</Name><Type>managed</Type><Comment></Comment><Owner>");
        out.push_str(&escape(p.owner.as_str()));
        out.push_str("</Owner><CreationTime>");
        out.push_str(&httpdate::fmt_http_date(p.created));
        out.push_str("</CreationTime><LastModifiedTime>");
        out.push_str(&httpdate::fmt_http_date(p.modified));
        out.push_str("</LastModifiedTime><State>AVAILABLE</State><Region>");
        out.push_str(&escape(region));
        out.push_str("</Region></Project>");
    }
    out.push_str("</Projects>");
    out
}

/// `<Auth><Result>Allow|Deny</Result><Message>…</Message></Auth>`, the
/// Java SDK's `checkPermission` answer.
pub(crate) fn auth_xml(allowed: bool, message: &str) -> String {
    format!(
        "{XML_DECL}<Auth><Result>{}</Result><Message>{}</Message></Auth>",
        if allowed { "Allow" } else { "Deny" },
        escape(message)
    )
}

/// `<Authorization><Result>…</Result></Authorization>`.
pub(crate) fn authorization_xml(result: &str) -> String {
    format!(
        "{XML_DECL}<Authorization><Result>{}</Result></Authorization>",
        escape(result)
    )
}

/// `<AuthorizationQuery><Result>…</Result><Status>…</Status></AuthorizationQuery>`.
pub(crate) fn poll_xml(result: &str, status: &str) -> String {
    format!(
        "{XML_DECL}<AuthorizationQuery><Result>{}</Result><Status>{status}</Status></AuthorizationQuery>",
        escape(result)
    )
}

/// `whoami` as JSON: `DisplayName`, `ID`, `SourceIP`, `VpcId` (PyODPS's
/// `current_user` and odpscmd read these, whatever ResponseInJsonFormat says).
pub(crate) fn whoami_json(principal: &PrincipalId, w: &Whoami) -> String {
    serde_json::json!({
        "DisplayName": principal.as_str(),
        "ID": user_id(principal),
        "SourceIP": w.source_ip.clone().unwrap_or_default(),
        "VpcId": w.vpc_id.clone().unwrap_or_default(),
    })
    .to_string()
}

/// A statement's `<Result>`. With `json`: `{}` for a change, an array of
/// names for listings, a policy document as it is (`{}` when none was
/// put), the engine's structured report otherwise — always non-empty
/// valid JSON, which PyODPS `json.loads`. Without: the text odpscmd
/// prints, empty for a change (odpscmd then prints `OK`). `whoami` is JSON
/// either way.
pub(crate) fn result_text(output: &Output, json: bool, caller: &PrincipalId) -> String {
    if let Output::Whoami(w) = output {
        return whoami_json(caller, w);
    }
    if let Output::Policy(document) = output
        && json
    {
        return if document.trim().is_empty() {
            "{}".to_owned()
        } else if serde_json::from_str::<serde::de::IgnoredAny>(document).is_ok() {
            document.clone()
        } else {
            serde_json::Value::String(document.clone()).to_string()
        };
    }
    if !json {
        return match output {
            Output::Ok => String::new(),
            other => other.to_string(),
        };
    }
    let names = |items: Vec<String>| serde_json::Value::from(items);
    let value = match output {
        Output::Ok => serde_json::json!({}),
        Output::Users(v) | Output::Principals(v) => {
            names(v.iter().map(|p| p.as_str().to_owned()).collect())
        }
        Output::Roles(v) => names(v.iter().map(|r| r.as_str().to_owned()).collect()),
        Output::AccountProviders(v) => names(v.iter().map(|p| p.as_str().to_owned()).collect()),
        Output::TrustedProjects(v) | Output::Groups(v) => names(v.clone()),
        other => match serde_json::to_value(other) {
            Ok(serde_json::Value::Object(mut m)) => {
                m.remove("data").unwrap_or(serde_json::Value::Object(m))
            }
            Ok(v) => v,
            Err(_) => serde_json::Value::String(other.to_string()),
        },
    };
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcauth_engine::{Provider, RoleName};

    #[test]
    fn ids_have_the_service_shapes() {
        let ids = Ids::new();
        let a = ids.request_id();
        let b = ids.request_id();
        assert_eq!(a.len(), 24);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
        assert_ne!(a, b);
        let i = ids.instance_id().expect("random");
        assert_eq!(i.len(), 14 + 32, "{i}");
        assert!(i.starts_with("20"), "{i}");
        // Fresh randomness each time, not a counter: no two of many share
        // their random part, and consecutive ones differ in many bits.
        let mut seen = std::collections::HashSet::new();
        let mut previous: Option<u128> = None;
        for _ in 0..1000 {
            let id = ids.instance_id().expect("random");
            let random = u128::from_str_radix(&id[14..], 16).expect("hex");
            assert!(seen.insert(random), "{id}");
            if let Some(p) = previous {
                assert!((p ^ random).count_ones() > 16, "{p:x} then {random:x}");
            }
            previous = Some(random);
        }
        assert_eq!(civil(20_670), (2026, 8, 5));
    }

    #[test]
    fn user_ids_are_stable_and_case_insensitive() {
        let a = user_id(&PrincipalId::ram_user("Acct@x.com", "Bob"));
        let b = user_id(&PrincipalId::ram_user("acct@x.com", "bob"));
        assert_eq!(a, b);
        assert!(a.starts_with("p4_") && a.len() == 19, "{a}");
        assert_ne!(a, user_id(&PrincipalId::aliyun("acct@x.com")));
        let residue = PrincipalId::from("p4_1234".to_owned());
        assert_eq!(user_id(&residue), "p4_1234");
    }

    #[test]
    fn xml_bodies_escape_and_keep_root_names() {
        let users = users_xml(&[PrincipalId::ram_user("a&b.com", "x")], |_| None);
        assert!(users.contains("<Users><User><ID>p4_"), "{users}");
        assert!(users.contains(
            "<DisplayName>RAM$a&amp;b.com:x</DisplayName><Comment></Comment></User></Users>"
        ));
        let parsed = mcauth_odps::parse_users(&users).expect("parses");
        assert_eq!(parsed[0].display_name, "RAM$a&b.com:x");
        let admin = RoleInfo::custom(mcauth_engine::RoleType::Admin);
        let commented = RoleInfo {
            comment: Some("c".into()),
            ..RoleInfo::custom(mcauth_engine::RoleType::Resource)
        };
        let roles = roles_xml([
            ("admin", Some(&admin)),
            ("r<1>", Some(&commented)),
            ("x", None),
        ]);
        let parsed = mcauth_odps::parse_roles(&roles).expect("parses");
        assert_eq!(parsed[1].name, "r<1>");
        assert_eq!(parsed[1].comment, "c");
        let types: Vec<Option<&str>> = parsed.iter().map(|r| r.role_type.as_deref()).collect();
        assert_eq!(types, [Some("admin"), Some("resource"), None]);
        let (r, s) = mcauth_odps::parse_result(&poll_xml("a<b", "Terminated")).expect("parses");
        assert_eq!((r.as_str(), s.as_deref()), ("a<b", Some("Terminated")));
        let p =
            mcauth_odps::parse_project(&project_xml("dev", "cn-hangzhou", &[])).expect("parses");
        assert_eq!((p.name.as_str(), p.state.as_str()), ("dev", "AVAILABLE"));
    }

    #[test]
    fn xml_text_never_carries_a_control_character() {
        assert_eq!(escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
        assert_eq!(escape("line\r\nnext\ttab"), "line&#13;\nnext\ttab");
        assert_eq!(
            escape("bell\u{7}del\u{7f}c1\u{85}"),
            "bell\u{fffd}del\u{fffd}c1\u{fffd}"
        );
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(control_character("ok\tand\r\n"), None);
        assert_eq!(control_character("a\u{1b}[31m"), Some((1, '\u{1b}')));
        assert_eq!(control_character("x\u{9f}"), Some((1, '\u{9f}')));
        assert_eq!(printable("p\u{0}q\r"), "p\\u{0000}q\\u{000d}");
        let info = RoleInfo {
            comment: Some("two\r\nlines".into()),
            ..RoleInfo::custom(mcauth_engine::RoleType::Resource)
        };
        let roles = roles_xml([("r", Some(&info))]);
        let parsed = mcauth_odps::parse_roles(&roles).expect("parses");
        assert_eq!(parsed[0].comment, "two\r\nlines");
    }

    #[test]
    fn results_are_json_or_text() {
        let me = PrincipalId::aliyun("me@x.com");
        assert_eq!(result_text(&Output::Ok, true, &me), "{}");
        assert_eq!(result_text(&Output::Ok, false, &me), "");
        let providers = Output::AccountProviders(vec![Provider::Aliyun, Provider::Ram]);
        assert_eq!(result_text(&providers, true, &me), r#"["ALIYUN","RAM"]"#);
        assert_eq!(result_text(&providers, false, &me), "ALIYUN, RAM");
        let roles = Output::Roles(vec![RoleName::admin()]);
        assert_eq!(result_text(&roles, true, &me), r#"["admin"]"#);
        let doc = "{\n  \"Version\": \"1\"\n}\n";
        let policy = Output::Policy(doc.to_owned());
        assert_eq!(result_text(&policy, true, &me), doc);
        assert_eq!(result_text(&policy, false, &me), doc.trim_end());
        assert_eq!(result_text(&Output::Policy(String::new()), true, &me), "{}");
        assert_eq!(
            result_text(&Output::Policy("not json".into()), true, &me),
            r#""not json""#
        );
        let w = Output::Whoami(Whoami {
            name: "me@x.com".into(),
            source_ip: Some("127.0.0.1".into()),
            project: "p".into(),
            ..Whoami::default()
        });
        for json in [true, false] {
            let v: serde_json::Value =
                serde_json::from_str(&result_text(&w, json, &me)).expect("json");
            assert_eq!(v["DisplayName"], "ALIYUN$me@x.com");
            assert_eq!(v["SourceIP"], "127.0.0.1");
            assert!(v["ID"].as_str().is_some_and(|s| s.starts_with("p4_")));
        }
    }
}
