//! The security configuration document of `GET`/`PUT
//! /projects/{p}?security_configuration` (PyODPS's `SecurityConfiguration`,
//! the Java SDK's `SecurityConfigurationModel`, which odpscmd's `show
//! securityconfiguration` and `set ProjectProtection=…` use):
//!
//! ```xml
//! <SecurityConfiguration>
//!   <CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>
//!   …
//!   <ProjectProtection Protected="true"><Exceptions>{policy}</Exceptions></ProjectProtection>
//!   <EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable="false"/>
//!   <SupportACL>true</SupportACL>
//!   …
//! </SecurityConfiguration>
//! ```
//!
//! The flags the engine models come from the project's state and are
//! changed by `set` statements run as the caller; `ProjectProtection`'s
//! exception policy is kept by the engine too. Every other element
//! (`SupportACL`, `CheckPermissionUsingAclV2`, `AuthorizationVersion`,
//! `EnableExternalResourceAccessControl`'s `Locations`, and anything the
//! SDKs add later) is kept as the XML it was put with: a `PUT` replaces the
//! elements it carries and leaves the others as they were (PyODPS's model
//! lacks some that Java's has, so a PyODPS update must not erase them).

use std::borrow::Cow;

use mcauth_engine::{Flag, StateView};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::wire::{XML_DECL, control_character, escape};

/// The root element.
const ROOT: &str = "SecurityConfiguration";
/// `ProjectProtection` and its exception policy.
const PROTECTION: &str = "ProjectProtection";
const EXCEPTIONS: &str = "Exceptions";
/// External resource access control and its locations.
const EXTERNAL: &str = "EnableExternalResourceAccessControl";
const EXTERNAL_ATTR: &str = "CheckExternalResourcePermissionEnable";
const LOCATIONS: &str = "Locations";
/// Download control: the engine's (`setproject
/// odps.security.enabledownloadprivilege=…`), not a kept field.
const DOWNLOAD: &str = "EnableDownloadPrivilege";

/// The simple boolean elements the engine models, in document order.
const FLAGS: [(&str, Flag); 5] = [
    ("CheckPermissionUsingAcl", Flag::CheckPermissionUsingAcl),
    (
        "CheckPermissionUsingPolicy",
        Flag::CheckPermissionUsingPolicy,
    ),
    ("LabelSecurity", Flag::LabelSecurity),
    (
        "ObjectCreatorHasAccessPermission",
        Flag::ObjectCreatorHasAccessPermission,
    ),
    (
        "ObjectCreatorHasGrantPermission",
        Flag::ObjectCreatorHasGrantPermission,
    ),
];

/// What a new project reports for the elements the engine does not
/// model: the classic authorization model (ACL, policy, package) on, the
/// V2 one off. **Choice:** MaxCompute's own values for a new project are
/// not documented; these are the ones that agree with the flags.
const DEFAULT_EXTRAS: [(&str, &str); 13] = [
    ("CheckPermissionUsingAclV2", "false"),
    ("CheckPermissionUsingPolicyV2", "false"),
    ("CheckPermissionUsingPackageV2", "false"),
    ("SupportACL", "true"),
    ("SupportPolicy", "true"),
    ("SupportPackage", "true"),
    ("SupportACLV2", "false"),
    ("SupportPackageV2", "false"),
    ("CheckPermissionUsingPackage", "true"),
    ("CreatePackage", "true"),
    ("CreatePackageV2", "false"),
    ("EnableTenantResourceAccessControl", "false"),
    ("EnableRAMResourceAccessControl", "false"),
];

/// Why a `PUT` body is refused: a message for `InvalidParameter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadDocument(pub String);

/// A `PUT` body, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Update {
    /// The modelled flags it sets, in document order.
    pub flags: Vec<(Flag, bool)>,
    /// `ProjectProtection`, when present: `Protected` (if given) and the
    /// exception policy (empty for none).
    pub protection: Option<(Option<bool>, String)>,
    /// `EnableDownloadPrivilege`, when present: download control, which
    /// the engine keeps as the project property
    /// `odps.security.enabledownloadprivilege`.
    pub download: Option<bool>,
    /// Every other element, by name, as XML (`Locations` included, taken
    /// out of its parent).
    pub extras: Vec<(String, String)>,
}

/// One element directly under the root.
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    /// Its text, unescaped.
    text: String,
    /// Its child elements' names and texts.
    children: Vec<(String, String)>,
    /// The element as it was written.
    raw: String,
}

fn bad(message: impl Into<String>) -> BadDocument {
    BadDocument(format!(
        "ODPS-0420031: Invalid XML in HTTP request body - {}",
        message.into()
    ))
}

fn name_of(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

fn attributes_of(start: &BytesStart<'_>) -> Result<Vec<(String, String)>, BadDocument> {
    let mut out = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| bad(e.to_string()))?;
        let value = a.unescape_value().map_err(|e| bad(e.to_string()))?;
        out.push((
            String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
            value.into_owned(),
        ));
    }
    Ok(out)
}

/// The elements directly under `<SecurityConfiguration>`.
fn elements(body: &str) -> Result<Vec<Element>, BadDocument> {
    let mut reader = Reader::from_str(body);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut root_seen = false;
    // The element being read at depth 1, and the child at depth 2.
    let mut current: Option<(Element, usize)> = None;
    let mut child: Option<(String, String)> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| bad(e.to_string()))?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(start) => {
                depth += 1;
                match depth {
                    1 => {
                        if name_of(&start) != ROOT {
                            return Err(bad(format!(
                                "the root element is <{}>, not <{ROOT}>",
                                name_of(&start)
                            )));
                        }
                        root_seen = true;
                    }
                    2 => {
                        current = Some((
                            Element {
                                name: name_of(&start),
                                attributes: attributes_of(&start)?,
                                text: String::new(),
                                children: Vec::new(),
                                raw: String::new(),
                            },
                            before,
                        ));
                    }
                    3 => child = Some((name_of(&start), String::new())),
                    _ => {}
                }
            }
            Event::Empty(start) => match depth {
                0 if name_of(&start) == ROOT => root_seen = true,
                1 => out.push(Element {
                    name: name_of(&start),
                    attributes: attributes_of(&start)?,
                    text: String::new(),
                    children: Vec::new(),
                    raw: body.get(before..after).unwrap_or_default().to_owned(),
                }),
                2 => {
                    if let Some((e, _)) = current.as_mut() {
                        e.children.push((name_of(&start), String::new()));
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                let text = t.xml_content().map_err(|e| bad(e.to_string()))?;
                append_text(depth, &text, &mut current, &mut child);
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| bad(e.to_string()))?;
                        quick_xml::escape::unescape(&format!("&{name};"))
                            .map_err(|e| bad(e.to_string()))?
                            .into_owned()
                    }
                };
                append_text(depth, &text, &mut current, &mut child);
            }
            Event::CData(c) => {
                let text = String::from_utf8_lossy(&c.into_inner()).into_owned();
                append_text(depth, &text, &mut current, &mut child);
            }
            Event::End(_) => {
                match depth {
                    2 => {
                        if let Some((mut e, start)) = current.take() {
                            e.raw = body.get(start..after).unwrap_or_default().to_owned();
                            out.push(e);
                        }
                    }
                    3 => {
                        if let (Some((e, _)), Some(c)) = (current.as_mut(), child.take()) {
                            e.children.push(c);
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(bad(format!("no <{ROOT}> element")));
    }
    Ok(out)
}

fn append_text(
    depth: usize,
    text: &str,
    current: &mut Option<(Element, usize)>,
    child: &mut Option<(String, String)>,
) {
    match depth {
        2 => {
            if let Some((e, _)) = current.as_mut() {
                e.text.push_str(text);
            }
        }
        3 => {
            if let Some((_, t)) = child.as_mut() {
                t.push_str(text);
            }
        }
        _ => {}
    }
}

fn boolean(name: &str, value: &str) -> Result<bool, BadDocument> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        v => Err(BadDocument(format!(
            "ODPS-0420061: Invalid parameter in HTTP request - {name} must be true or false, not '{}'",
            crate::wire::printable(v)
        ))),
    }
}

/// Reads a `PUT` body. Every text and attribute is checked for control
/// characters, which the answers could not carry.
pub(crate) fn parse_update(body: &str) -> Result<Update, BadDocument> {
    let mut update = Update::default();
    for e in elements(body)? {
        let texts = std::iter::once(e.text.as_str())
            .chain(e.attributes.iter().map(|(_, v)| v.as_str()))
            .chain(e.children.iter().map(|(_, t)| t.as_str()));
        for text in texts {
            if let Some((_, c)) = control_character(text) {
                return Err(BadDocument(format!(
                    "ODPS-0420061: Invalid parameter in HTTP request - <{}> holds the control character {}",
                    e.name,
                    crate::wire::code_point(c)
                )));
            }
        }
        let attribute = |name: &str| {
            e.attributes
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let child = |name: &str| {
            e.children
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some((_, flag)) = FLAGS.iter().find(|(n, _)| *n == e.name) {
            update.flags.push((*flag, boolean(&e.name, &e.text)?));
        } else if e.name == PROTECTION {
            let protected = attribute("Protected")
                .map(|v| boolean("ProjectProtection's Protected", v))
                .transpose()?;
            let exceptions = child(EXCEPTIONS).unwrap_or_default().trim().to_owned();
            update.protection = Some((protected, exceptions));
        } else if e.name == DOWNLOAD {
            update.download = Some(boolean(DOWNLOAD, &e.text)?);
        } else if e.name == EXTERNAL {
            if let Some(v) = attribute(EXTERNAL_ATTR) {
                update.flags.push((
                    Flag::ExternalResourceAccessControl,
                    boolean(EXTERNAL_ATTR, v)?,
                ));
            }
            let locations = child(LOCATIONS).unwrap_or_default();
            update.extras.push((
                LOCATIONS.to_owned(),
                format!("<{LOCATIONS}>{}</{LOCATIONS}>", escape(locations)),
            ));
        } else {
            update
                .extras
                .push((e.name.clone(), e.raw.trim().to_owned()));
        }
    }
    Ok(update)
}

/// The stored extras (concatenated elements) by name, in order.
fn stored_extras(document: &str) -> Vec<(String, String)> {
    let wrapped = format!("<{ROOT}>{document}</{ROOT}>");
    elements(&wrapped)
        .map(|es| es.into_iter().map(|e| (e.name, e.raw)).collect())
        .unwrap_or_default()
}

/// The stored extras with a `PUT`'s elements replacing theirs (and new
/// ones appended), as the document to store.
pub(crate) fn merged_extras(stored: &str, put: &[(String, String)]) -> String {
    let mut all = stored_extras(stored);
    for (name, raw) in put {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1.clone_from(raw),
            None => all.push((name.clone(), raw.clone())),
        }
    }
    all.into_iter().map(|(_, raw)| raw).collect()
}

/// The document `GET` answers, `download` being whether download control
/// is on (the engine's `show securityconfiguration` says). Without
/// `exceptions` (the `?security_configuration_without_exception_policy`
/// form) the exception policy is left out.
pub(crate) fn render(view: &(impl StateView + ?Sized), download: bool, exceptions: bool) -> String {
    use mcauth_engine::PolicySlot;
    let extras = stored_extras(
        view.policy(&PolicySlot::ConfigurationExtras)
            .unwrap_or_default(),
    );
    let extra = |name: &str| -> Option<Cow<'_, str>> {
        extras
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, raw)| Cow::Borrowed(raw.as_str()))
    };
    let mut out = String::with_capacity(1024);
    out.push_str(XML_DECL);
    out.push('<');
    out.push_str(ROOT);
    out.push('>');
    for (name, flag) in FLAGS {
        out.push_str(&format!("<{name}>{}</{name}>", view.flag(flag)));
    }
    out.push_str(&format!(
        "<{PROTECTION} Protected=\"{}\">",
        view.flag(Flag::ProjectProtection)
    ));
    if exceptions
        && let Some(policy) = view
            .policy(&PolicySlot::ProtectionException)
            .filter(|p| !p.is_empty())
    {
        out.push_str(&format!("<{EXCEPTIONS}>{}</{EXCEPTIONS}>", escape(policy)));
    }
    out.push_str(&format!("</{PROTECTION}>"));
    out.push_str(&format!(
        "<{EXTERNAL} {EXTERNAL_ATTR}=\"{}\">",
        view.flag(Flag::ExternalResourceAccessControl)
    ));
    if let Some(locations) = extra(LOCATIONS) {
        out.push_str(&locations);
    }
    out.push_str(&format!("</{EXTERNAL}>"));
    for (name, default) in DEFAULT_EXTRAS {
        match extra(name) {
            Some(raw) => out.push_str(&raw),
            None => out.push_str(&format!("<{name}>{default}</{name}>")),
        }
    }
    out.push_str(&format!("<{DOWNLOAD}>{download}</{DOWNLOAD}>"));
    for (name, raw) in &extras {
        // (A store written before download control was the engine's may
        // hold it as a kept field: the engine's value wins.)
        let known =
            name == LOCATIONS || name == DOWNLOAD || DEFAULT_EXTRAS.iter().any(|(d, _)| d == name);
        if !known {
            out.push_str(raw);
        }
    }
    out.push_str("</");
    out.push_str(ROOT);
    out.push('>');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcauth_engine::{PolicySlot, PrincipalId, ProjectState};

    const JAVA_PUT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<SecurityConfiguration>
   <CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>
   <CheckPermissionUsingPolicy>false</CheckPermissionUsingPolicy>
   <LabelSecurity>true</LabelSecurity>
   <ObjectCreatorHasAccessPermission>true</ObjectCreatorHasAccessPermission>
   <ObjectCreatorHasGrantPermission>true</ObjectCreatorHasGrantPermission>
   <ProjectProtection Protected="true">
      <Exceptions>{"Version":"1","Statement":[]}</Exceptions>
   </ProjectProtection>
   <EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable="true">
      <Locations>oss://bucket/a &amp; b</Locations>
   </EnableExternalResourceAccessControl>
   <SupportACLV2>true</SupportACLV2>
   <AuthorizationVersion>V2</AuthorizationVersion>
   <EnableDownloadPrivilege>true</EnableDownloadPrivilege>
   <SomethingNew level="3"><Inner>x</Inner></SomethingNew>
</SecurityConfiguration>"#;

    #[test]
    fn a_java_sdk_put_is_read_whole() {
        let u = parse_update(JAVA_PUT).expect("valid");
        assert_eq!(
            u.flags,
            [
                (Flag::CheckPermissionUsingAcl, true),
                (Flag::CheckPermissionUsingPolicy, false),
                (Flag::LabelSecurity, true),
                (Flag::ObjectCreatorHasAccessPermission, true),
                (Flag::ObjectCreatorHasGrantPermission, true),
                (Flag::ExternalResourceAccessControl, true),
            ]
        );
        assert_eq!(
            u.protection,
            Some((
                Some(true),
                "{\"Version\":\"1\",\"Statement\":[]}".to_owned()
            ))
        );
        // Download control is the engine's, not a kept field.
        assert_eq!(u.download, Some(true));
        let names: Vec<&str> = u.extras.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Locations",
                "SupportACLV2",
                "AuthorizationVersion",
                "SomethingNew"
            ]
        );
        assert_eq!(
            u.extras[0].1,
            "<Locations>oss://bucket/a &amp; b</Locations>"
        );
        assert_eq!(
            u.extras[3].1,
            "<SomethingNew level=\"3\"><Inner>x</Inner></SomethingNew>"
        );
    }

    #[test]
    fn bad_values_and_control_characters_are_refused() {
        let e = parse_update(
            "<SecurityConfiguration><LabelSecurity>yes</LabelSecurity></SecurityConfiguration>",
        );
        assert!(
            matches!(e, Err(BadDocument(ref m)) if m.contains("LabelSecurity must be true or false"))
        );
        let e = parse_update(
            "<SecurityConfiguration><SupportACL>tr&#1;ue</SupportACL></SecurityConfiguration>",
        );
        assert!(
            matches!(e, Err(BadDocument(ref m)) if m.contains("U+0001")),
            "{e:?}"
        );
        assert!(parse_update("<Project/>").is_err());
        assert!(parse_update("not xml <").is_err());
        assert_eq!(
            parse_update("<SecurityConfiguration/>"),
            Ok(Update::default())
        );
    }

    #[test]
    fn the_document_carries_every_field_and_keeps_what_was_put() {
        let mut state = ProjectState::new("p", PrincipalId::aliyun("o@x.com"));
        let fresh = render(&state, false, true);
        for field in [
            "<CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>",
            "<LabelSecurity>false</LabelSecurity>",
            "<ProjectProtection Protected=\"false\"></ProjectProtection>",
            "<EnableExternalResourceAccessControl CheckExternalResourcePermissionEnable=\"false\"></EnableExternalResourceAccessControl>",
            "<SupportACL>true</SupportACL>",
            "<SupportACLV2>false</SupportACLV2>",
            "<EnableDownloadPrivilege>false</EnableDownloadPrivilege>",
        ] {
            assert!(fresh.contains(field), "{field} in {fresh}");
        }
        let on = render(&state, true, true);
        assert!(
            on.contains("<EnableDownloadPrivilege>true</EnableDownloadPrivilege>"),
            "{on}"
        );
        let u = parse_update(JAVA_PUT).expect("valid");
        let extras = merged_extras("", &u.extras);
        mcauth_engine::apply(
            &mut state,
            &mcauth_engine::Change::PutPolicy {
                slot: PolicySlot::ConfigurationExtras,
                document: extras.clone(),
            },
        );
        mcauth_engine::apply(
            &mut state,
            &mcauth_engine::Change::PutPolicy {
                slot: PolicySlot::ProtectionException,
                document: "{\"Version\":\"1\"}".into(),
            },
        );
        let doc = render(&state, false, true);
        assert!(doc.contains("<SupportACLV2>true</SupportACLV2>"), "{doc}");
        assert!(!doc.contains("<SupportACLV2>false"), "{doc}");
        assert!(
            doc.contains("<AuthorizationVersion>V2</AuthorizationVersion>"),
            "{doc}"
        );
        assert!(doc.contains("<Inner>x</Inner>"), "{doc}");
        assert!(
            doc.contains("CheckExternalResourcePermissionEnable=\"false\"><Locations>oss://bucket/a &amp; b</Locations></EnableExternalResourceAccessControl>"),
            "{doc}"
        );
        assert!(
            doc.contains("<Exceptions>{&quot;Version&quot;:&quot;1&quot;}</Exceptions>"),
            "{doc}"
        );
        assert!(!render(&state, false, false).contains("Exceptions"));
        // A later PUT of one field leaves the others as they were.
        let merged = merged_extras(
            &extras,
            &[(
                "SupportACLV2".to_owned(),
                "<SupportACLV2>false</SupportACLV2>".to_owned(),
            )],
        );
        assert!(
            merged.contains("<SupportACLV2>false</SupportACLV2>"),
            "{merged}"
        );
        assert!(
            merged.contains("<AuthorizationVersion>V2</AuthorizationVersion>"),
            "{merged}"
        );
        // What it renders reads back as it was.
        let again = parse_update(&doc).expect("own output reads");
        assert_eq!(
            again.protection,
            Some((Some(false), "{\"Version\":\"1\"}".to_owned()))
        );
        assert_eq!(again.download, Some(false));
    }

    #[test]
    fn a_download_control_kept_by_an_older_store_is_not_repeated() {
        let mut state = ProjectState::new("p", PrincipalId::aliyun("o@x.com"));
        mcauth_engine::apply(
            &mut state,
            &mcauth_engine::Change::PutPolicy {
                slot: PolicySlot::ConfigurationExtras,
                document: "<EnableDownloadPrivilege>true</EnableDownloadPrivilege>".into(),
            },
        );
        let doc = render(&state, false, true);
        assert_eq!(doc.matches("<EnableDownloadPrivilege>").count(), 1, "{doc}");
        assert!(doc.contains("<EnableDownloadPrivilege>false<"), "{doc}");
    }
}
