//! `GET /projects/{p}?security_configuration`: the project's security
//! configuration document (docs/wire-protocol.md), read here for
//! ProjectProtection and its exception policy, which `show
//! securityconfiguration`'s text does not carry whole; and `PUT` of the
//! same document with ProjectProtection changed, as odpscmd's `set
//! ProjectProtection=true with exception FILE` and PyODPS's
//! `SecurityConfiguration.update()` write it (read, change, write back
//! whole):
//!
//! ```xml
//! <SecurityConfiguration>
//!   <ProjectProtection Protected="true">
//!     <Exceptions>{"Version": "1", "Statement": […]}</Exceptions>
//!   </ProjectProtection>
//! </SecurityConfiguration>
//! ```

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use serde::Deserialize;

use super::Client;
use super::answer;
use crate::error::OdpsError;

/// ProjectProtection as the security configuration shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Protection {
    /// `Protected="true"`.
    pub protected: bool,
    /// The exception policy, verbatim; `None` when none is set (absent or
    /// blank).
    pub exception: Option<String>,
}

#[derive(Deserialize)]
struct ConfigurationXml {
    #[serde(rename = "ProjectProtection", default)]
    protection: Option<ProtectionXml>,
}

#[derive(Deserialize)]
struct ProtectionXml {
    #[serde(rename = "@Protected", default)]
    protected: Option<String>,
    #[serde(rename = "Exceptions", default)]
    exceptions: Option<ExceptionsXml>,
}

#[derive(Deserialize)]
struct ExceptionsXml {
    #[serde(rename = "$text", default)]
    text: Option<String>,
}

/// Reads ProjectProtection out of the configuration document. A document
/// without the element (the Java SDK's model does not require it) has
/// neither protection nor an exception policy.
pub fn parse_protection(xml: &str) -> Result<Protection, String> {
    let doc: ConfigurationXml = quick_xml::de::from_str(xml).map_err(|e| e.to_string())?;
    let Some(p) = doc.protection else {
        return Ok(Protection::default());
    };
    let protected = match p.protected.as_deref().map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        other => {
            return Err(format!(
                "<ProjectProtection Protected> is {other:?}, not true or false"
            ));
        }
    };
    let exception = p
        .exceptions
        .and_then(|e| e.text)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    Ok(Protection {
        protected,
        exception,
    })
}

const PROTECTION: &[u8] = b"ProjectProtection";
const EXCEPTIONS: &[u8] = b"Exceptions";

/// The configuration document `xml` with ProjectProtection set to
/// `protected` and its exception policy replaced by `exception` (none when
/// `None`); every other element is kept as it was.
pub fn with_protection(
    xml: &str,
    protected: bool,
    exception: Option<&str>,
) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = quick_xml::Writer::new(Vec::new());
    let bad = |e: &dyn std::fmt::Display| e.to_string();
    let start = |e: &BytesStart<'_>| -> Result<BytesStart<'static>, String> {
        let mut fresh = BytesStart::new("ProjectProtection");
        for a in e.attributes() {
            let a = a.map_err(|e| bad(&e))?;
            if a.key.as_ref() != b"Protected" {
                fresh.push_attribute(a);
            }
        }
        fresh.push_attribute(("Protected", if protected { "true" } else { "false" }));
        Ok(fresh)
    };
    let exceptions = |out: &mut quick_xml::Writer<Vec<u8>>| -> Result<(), String> {
        if let Some(doc) = exception {
            out.write_event(Event::Start(BytesStart::new("Exceptions")))
                .map_err(|e| bad(&e))?;
            out.write_event(Event::Text(BytesText::new(doc)))
                .map_err(|e| bad(&e))?;
            out.write_event(Event::End(BytesEnd::new("Exceptions")))
                .map_err(|e| bad(&e))?;
        }
        Ok(())
    };
    let mut found = false;
    let mut inside = false;
    // Depth inside an old <Exceptions> being left out.
    let mut skipping = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        if skipping > 0 {
            match event {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => return Err("the document ends inside <Exceptions>".to_owned()),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == PROTECTION && !inside => {
                found = true;
                inside = true;
                out.write_event(Event::Start(start(&e)?))
                    .map_err(|e| bad(&e))?;
                exceptions(&mut out)?;
            }
            Event::Empty(e) if e.name().as_ref() == PROTECTION && !inside => {
                found = true;
                out.write_event(Event::Start(start(&e)?))
                    .map_err(|e| bad(&e))?;
                exceptions(&mut out)?;
                out.write_event(Event::End(BytesEnd::new("ProjectProtection")))
                    .map_err(|e| bad(&e))?;
            }
            Event::Start(e) if inside && e.name().as_ref() == EXCEPTIONS => skipping = 1,
            Event::Empty(e) if inside && e.name().as_ref() == EXCEPTIONS => {}
            Event::End(e) if inside && e.name().as_ref() == PROTECTION => {
                inside = false;
                out.write_event(Event::End(e)).map_err(|e| bad(&e))?;
            }
            other => out.write_event(other).map_err(|e| bad(&e))?,
        }
    }
    if !found {
        return Err("the security configuration has no <ProjectProtection>".to_owned());
    }
    String::from_utf8(out.into_inner()).map_err(|e| bad(&e))
}

impl Client {
    /// Sets ProjectProtection and its exception policy: the configuration
    /// is read, changed and written back whole (`PUT
    /// /projects/{p}?security_configuration`). Writing the same document
    /// again changes nothing, so the `PUT` is retried like a read.
    pub async fn set_protection(
        &self,
        project: &str,
        protected: bool,
        exception: Option<&str>,
    ) -> Result<(), OdpsError> {
        let target = || -> Result<_, OdpsError> {
            Ok(self
                .target(&["projects", project])?
                .param("security_configuration", ""))
        };
        let call = self.call(reqwest::Method::GET, target()?, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        let body = with_protection(&resp.body, protected, exception)
            .map_err(|e| answer::invalid(&call, e))?;
        let call = self.call(
            reqwest::Method::PUT,
            target()?,
            Some(("application/xml", body)),
        );
        answer::success(&call, self.execute(&call).await?)?;
        Ok(())
    }

    /// ProjectProtection and its exception policy, from `GET
    /// /projects/{p}?security_configuration`.
    pub async fn protection(&self, project: &str) -> Result<Protection, OdpsError> {
        let target = self
            .target(&["projects", project])?
            .param("security_configuration", "");
        let call = self.call(reqwest::Method::GET, target, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        parse_protection(&resp.body).map_err(|e| answer::invalid(&call, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_and_the_exception_policy_are_read() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<SecurityConfiguration><CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>
<ProjectProtection Protected="true"><Exceptions>{"Version":"1","Statement":[{"Effect":"Allow","Principal":"ALIYUN$a@x.com","Action":"odps:Select","Resource":"acs:odps:*:projects/p/tables/t"}]}</Exceptions></ProjectProtection>
</SecurityConfiguration>"#;
        let p = parse_protection(xml).expect("reads");
        assert!(p.protected);
        assert!(
            p.exception
                .as_deref()
                .is_some_and(|e| e.contains("odps:Select"))
        );
        let escaped = "<SecurityConfiguration><ProjectProtection Protected=\"false\"><Exceptions>{&quot;Version&quot;:&quot;1&quot;}</Exceptions></ProjectProtection></SecurityConfiguration>";
        let p = parse_protection(escaped).expect("reads");
        assert!(!p.protected);
        assert_eq!(p.exception.as_deref(), Some("{\"Version\":\"1\"}"));
        let none = "<SecurityConfiguration><ProjectProtection Protected=\"true\"><Exceptions>  </Exceptions></ProjectProtection></SecurityConfiguration>";
        assert_eq!(parse_protection(none).expect("reads").exception, None);
        let bare = "<SecurityConfiguration><ProjectProtection Protected=\"true\"/></SecurityConfiguration>";
        assert_eq!(parse_protection(bare).expect("reads").exception, None);
    }

    #[test]
    fn protection_is_changed_and_everything_else_kept() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<SecurityConfiguration><CheckPermissionUsingAcl>true</CheckPermissionUsingAcl><ProjectProtection Protected="false"><Exceptions>{"old": 1}</Exceptions></ProjectProtection><LabelSecurity>false</LabelSecurity></SecurityConfiguration>"#;
        let doc = r#"{"Version":"1","Statement":[]}"#;
        let out = with_protection(xml, true, Some(doc)).expect("rewrites");
        let p = parse_protection(&out).expect("reads back");
        assert!(p.protected);
        assert_eq!(p.exception.as_deref(), Some(doc));
        assert!(!out.contains("old"), "{out}");
        assert!(out.contains("<CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>"));
        assert!(out.contains("<LabelSecurity>false</LabelSecurity>"));
        assert!(out.starts_with("<?xml"));
        // None removes it; an empty element gets one.
        let out = with_protection(xml, false, None).expect("rewrites");
        assert_eq!(
            parse_protection(&out).expect("reads"),
            Protection::default()
        );
        let empty = "<SecurityConfiguration><ProjectProtection Protected=\"false\"/></SecurityConfiguration>";
        let out = with_protection(empty, true, Some("{}")).expect("rewrites");
        assert_eq!(
            parse_protection(&out).expect("reads").exception.as_deref(),
            Some("{}")
        );
        assert!(with_protection("<SecurityConfiguration/>", true, None).is_err());
    }

    #[test]
    fn a_document_without_the_protection_has_none_and_a_bad_flag_is_an_error() {
        assert_eq!(
            parse_protection("<SecurityConfiguration/>"),
            Ok(Protection::default())
        );
        assert!(
            parse_protection("<SecurityConfiguration><ProjectProtection Protected=\"yes\"/></SecurityConfiguration>")
                .is_err()
        );
        assert!(parse_protection("not xml <").is_err());
    }
}
