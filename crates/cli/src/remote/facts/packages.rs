//! Packages, from `show packages` (the packages created here and the
//! packages of other projects installed here) and `describe package k`
//! for each created one. Both formats are undocumented; these are the
//! engine's:
//!
//! ```text
//! Packages created:
//! k
//!
//! Packages installed:
//! other.pkg
//! ```
//!
//! ```text
//! Package: k
//!
//! Objects:
//! table t: Select | Describe
//! function f:
//!
//! Allowed projects:
//! q
//! r (label 2)
//! ```

use mcauth_engine::{Change, ObjectRef};

use super::text::{ParseError, excerpt, kind_of, lines, privileges_of, starts_with_ci};

pub const LIST: &str = "show packages";

/// The statement that describes package `name`.
pub fn describe(name: &str) -> String {
    format!("describe package {name}")
}

/// The packages created here and those installed here, lower-cased as
/// the statements keep them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub created: Vec<String>,
    pub installed: Vec<String>,
}

pub fn parse_list(text: &str) -> Result<Listing, ParseError> {
    #[derive(PartialEq)]
    enum At {
        Start,
        Created,
        Installed,
    }
    let mut at = At::Start;
    let mut listing = Listing::default();
    for (n, line) in lines(text) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.eq_ignore_ascii_case("Packages created:") {
            at = At::Created;
        } else if line.eq_ignore_ascii_case("Packages installed:") {
            at = At::Installed;
        } else if line.contains(char::is_whitespace) || at == At::Start {
            return Err(ParseError::at(
                n,
                format!("`{}` is not a package name", excerpt(line)),
            ));
        } else if at == At::Created {
            listing.created.push(line.to_ascii_lowercase());
        } else {
            listing.installed.push(line.to_ascii_lowercase());
        }
    }
    Ok(listing)
}

/// [`Change::InstallPackage`] for each installed package.
pub fn installs(listing: &Listing) -> Vec<Change> {
    listing
        .installed
        .iter()
        .map(|package| Change::InstallPackage {
            package: package.clone(),
        })
        .collect()
}

/// The changes that create `package` as `describe package` shows it.
pub fn parse_description(package: &str, text: &str) -> Result<Vec<Change>, ParseError> {
    #[derive(PartialEq)]
    enum At {
        Start,
        Objects,
        Allowed,
    }
    let mut at = At::Start;
    let mut changes = vec![Change::CreatePackage {
        package: package.to_owned(),
    }];
    for (n, raw) in lines(text) {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fail = |why: String| ParseError::at(n, why);
        if at == At::Start && starts_with_ci(line, "package:") {
            continue;
        }
        if starts_with_ci(line, "installed from project:") {
            return Err(fail(format!(
                "package {package} is installed from another project, not created here"
            )));
        }
        if line.eq_ignore_ascii_case("Objects:") {
            at = At::Objects;
        } else if line.eq_ignore_ascii_case("Allowed projects:") {
            at = At::Allowed;
        } else if at == At::Objects {
            // `table t: Select | Describe`, or `table t:` with none.
            let (object, privileges) = match line.rsplit_once(": ") {
                Some((o, p)) => (o, p.trim()),
                None => (line.strip_suffix(':').unwrap_or(line), ""),
            };
            let (keyword, name) = object.split_once(' ').ok_or_else(|| {
                fail(format!(
                    "`{}` is not `<type> <name>: <privileges>`",
                    excerpt(line)
                ))
            })?;
            let kind = kind_of(keyword)
                .ok_or_else(|| fail(format!("`{}` is not an object type", excerpt(keyword))))?;
            let name = name.trim();
            if name.is_empty() || !line.contains(':') {
                return Err(fail(format!(
                    "`{}` is not `<type> <name>: <privileges>`",
                    excerpt(line)
                )));
            }
            let privileges = if privileges.is_empty() {
                Vec::new()
            } else {
                privileges_of(privileges).map_err(fail)?
            };
            changes.push(Change::AddPackageObject {
                package: package.to_owned(),
                object: ObjectRef {
                    kind,
                    name: kind.normalise_name(name),
                    column: None,
                    partition: None,
                },
                privileges,
            });
        } else if at == At::Allowed {
            // `q`, or `q (label 2, with Select | Describe, Expires:…)`.
            let (project, terms) = match line.strip_suffix(')').and_then(|l| l.split_once(" (")) {
                Some((p, terms)) => (p.trim(), terms),
                None => (line, ""),
            };
            if project.is_empty() || project.contains(char::is_whitespace) {
                return Err(fail(format!("`{}` is not a project", excerpt(line))));
            }
            let (mut label, mut privileges, mut until) = (None, Vec::new(), None);
            for term in terms.split(", ").map(str::trim).filter(|t| !t.is_empty()) {
                if let Some(l) = term.strip_prefix("label ") {
                    label = Some(l.trim().to_owned());
                } else if let Some(p) = term.strip_prefix("with ") {
                    privileges = privileges_of(p).map_err(fail)?;
                } else if let Some(e) = term.strip_prefix("Expires:") {
                    until = Some(super::text::expiry_of(e).map_err(fail)?);
                } else {
                    return Err(fail(format!(
                        "`{}` is not a label, privileges or an expiry",
                        excerpt(term)
                    )));
                }
            }
            changes.push(Change::AllowPackageInstall {
                privileges,
                until,
                package: package.to_owned(),
                project: project.to_ascii_lowercase(),
                label,
            });
        } else {
            return Err(fail(format!(
                "expected Package:, Objects: or Allowed projects:, not `{}`",
                excerpt(line)
            )));
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use mcauth_engine::{ObjectKind, Privilege};

    use super::*;

    #[test]
    fn listings_created_and_installed() {
        let text = "Packages created:\nk\nK2$x\n\nPackages installed:\nother.pkg\n";
        assert_eq!(
            parse_list(text),
            Ok(Listing {
                created: vec!["k".into(), "k2$x".into()],
                installed: vec!["other.pkg".into()],
            })
        );
        assert_eq!(
            parse_list("Packages created:\n\nPackages installed:"),
            Ok(Listing::default())
        );
        assert_eq!(parse_list(""), Ok(Listing::default()));
        assert_eq!(parse_list("k").map_err(|e| e.line), Err(1));
        assert_eq!(
            parse_list("Packages created:\na b").map_err(|e| e.line),
            Err(2)
        );
        assert_eq!(
            installs(&parse_list("Packages installed:\np.k").expect("reads")),
            vec![Change::InstallPackage {
                package: "p.k".into()
            }]
        );
    }

    #[test]
    fn descriptions_with_objects_and_allowed_projects() {
        let text = "Package: k\n\nObjects:\ntable t: Select | Describe\nfunction F: \nresource a:b.jar:\nresource c: d.jar: Read\n\nAllowed projects:\nq\nR (label 2)\ns (label 3, with Select | Describe, Expires:P10D)\n";
        let changes = parse_description("k", text).expect("reads");
        let object = |kind, name: &str, privileges: Vec<Privilege>| Change::AddPackageObject {
            package: "k".into(),
            object: ObjectRef {
                kind,
                name: name.into(),
                column: None,
                partition: None,
            },
            privileges,
        };
        assert_eq!(
            changes,
            vec![
                Change::CreatePackage {
                    package: "k".into()
                },
                object(
                    ObjectKind::Table,
                    "t",
                    vec![Privilege::Select, Privilege::Describe]
                ),
                object(ObjectKind::Function, "f", vec![]),
                object(ObjectKind::Resource, "a:b.jar", vec![]),
                object(ObjectKind::Resource, "c: d.jar", vec![Privilege::Read]),
                Change::AllowPackageInstall {
                    package: "k".into(),
                    project: "q".into(),
                    label: None,
                    privileges: Vec::new(),
                    until: None,
                },
                Change::AllowPackageInstall {
                    package: "k".into(),
                    project: "r".into(),
                    label: Some("2".into()),
                    privileges: Vec::new(),
                    until: None,
                },
                Change::AllowPackageInstall {
                    package: "k".into(),
                    project: "s".into(),
                    label: Some("3".into()),
                    privileges: vec![Privilege::Select, Privilege::Describe],
                    until: Some(mcauth_engine::Expiry::Days(10)),
                },
            ]
        );
        let empty = "Package: k\n\nObjects:\n\nAllowed projects:";
        assert_eq!(parse_description("k", empty).map(|c| c.len()), Ok(1));
    }

    #[test]
    fn odd_descriptions_are_errors() {
        for (text, line) in [
            ("Package: p.k\nInstalled from project: p", 2),
            ("Package: k\nhello", 2),
            ("Objects:\nview v: Select", 2),
            ("Objects:\ntable: Select", 2),
            ("Objects:\ntable t", 2),
            ("Objects:\ntable t: Fly", 2),
            ("Allowed projects:\na b", 2),
        ] {
            let e = parse_description("k", text).expect_err(text);
            assert_eq!(e.line, line, "{text}: {}", e.message);
        }
    }
}
