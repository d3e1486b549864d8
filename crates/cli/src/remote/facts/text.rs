//! Pieces every reader of MaxCompute's text answers shares: lines, the
//! resource paths of objects (`projects/p/tables/t/c`), privileges,
//! grantees (`user/…`, `role/…`) and expiry times — each the inverse of
//! what the engine prints (`ObjectRef::resource`, `GranteeId`'s Display,
//! `expiry_text`).
//!
//! Every function here is linear in its input and returns an error
//! rather than panicking on text it does not expect.

use mcauth_engine::{Expiry, GranteeId, ObjectKind, ObjectRef, PrincipalId, Privilege, RoleName};

/// Why a line of an answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based; 0 when the answer as a whole is at fault.
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        ParseError {
            line,
            message: message.into(),
        }
    }
}

/// The lines of an answer, numbered from 1, without `\r\n` endings.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

/// The names an answer lists one a line, blank lines skipped; a line with
/// a space in it is no name (`what` says of what: "a role name").
pub fn names<'t>(text: &'t str, what: &str) -> Result<Vec<&'t str>, ParseError> {
    let mut names = Vec::new();
    for (n, line) in lines(text) {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        if name.contains(char::is_whitespace) {
            return Err(ParseError::at(
                n,
                format!("`{}` is not {what}", excerpt(name)),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

/// The principals an answer lists one a line, blank lines skipped.
pub fn principal_lines(text: &str) -> Result<Vec<PrincipalId>, ParseError> {
    let mut principals = Vec::new();
    for (n, line) in lines(text) {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        let principal = PrincipalId::parse(name, "")
            .ok_or_else(|| ParseError::at(n, format!("`{}` is not a principal", excerpt(name))))?;
        principals.push(principal);
    }
    Ok(principals)
}

/// At most 120 characters of `text`, for a message.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Whether `text` starts with `prefix`, ignoring ASCII case.
pub fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The object type a `describe package` line names (`table`, `function`…).
pub fn kind_of(keyword: &str) -> Option<ObjectKind> {
    const KINDS: [ObjectKind; 8] = [
        ObjectKind::Project,
        ObjectKind::Table,
        ObjectKind::Function,
        ObjectKind::Resource,
        ObjectKind::Instance,
        ObjectKind::Package,
        ObjectKind::Model,
        ObjectKind::Volume,
    ];
    KINDS
        .into_iter()
        .find(|k| k.keyword().eq_ignore_ascii_case(keyword))
}

/// `Select | Describe` → the privileges, in order.
pub fn privileges_of(text: &str) -> Result<Vec<Privilege>, String> {
    text.split('|')
        .map(str::trim)
        .map(|name| {
            Privilege::from_name(name).ok_or_else(|| {
                format!(
                    "`{}` is not a privilege mcauth knows (wildcards such as Create* are not modelled)",
                    excerpt(name)
                )
            })
        })
        .collect()
}

/// `user/RAM$a:b`, `role/worker`, `tenant_role/r` → the grantee.
pub fn grantee_of(text: &str) -> Result<GranteeId, String> {
    let bad = || {
        format!(
            "`{}` is not a user/…, role/… or tenant_role/… grantee",
            excerpt(text)
        )
    };
    let (kind, name) = text.split_once('/').ok_or_else(bad)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(bad());
    }
    if kind.eq_ignore_ascii_case("user") {
        PrincipalId::parse(name, "")
            .map(GranteeId::User)
            .ok_or_else(bad)
    } else if kind.eq_ignore_ascii_case("role") {
        Ok(GranteeId::Role(RoleName::new(name)))
    } else if kind.eq_ignore_ascii_case("tenant_role") {
        Ok(GranteeId::TenantRole(RoleName::new(name)))
    } else {
        Err(bad())
    }
}

/// The object a resource path names, in `project`:
/// `projects/p`, `projects/p/tables/t[/column]`,
/// `projects/p/schemas/s/tables/t[/column]`,
/// `projects/p/registration/functions/f`, `…/resources/r`,
/// `…/instances/i`, `…/packages/k`, `…/offlinemodels/m`, `…/volumes/v`.
///
/// A table path reads its first segment as the table and the rest as the
/// column: a table whose name holds a `/` cannot be told from a column
/// (the text is ambiguous), while the other types take the whole rest as
/// the name, `/` included.
pub fn object_of(project: &str, resource: &str) -> Result<ObjectRef, String> {
    let bad = |why: &str| format!("resource `{}` {why}", excerpt(resource));
    let rest = resource
        .strip_prefix("projects/")
        .ok_or_else(|| bad("does not start with projects/"))?;
    if !starts_with_ci(rest, project) {
        return Err(bad(&format!("is not in project {project}")));
    }
    let rest = &rest[project.len()..];
    if rest.is_empty() {
        return Ok(ObjectRef {
            kind: ObjectKind::Project,
            name: project.to_owned(),
            column: None,
            partition: None,
        });
    }
    let rest = rest
        .strip_prefix('/')
        .ok_or_else(|| bad(&format!("is not in project {project}")))?;
    let table = |schema: Option<&str>, path: &str| -> Result<ObjectRef, String> {
        // `t`, `t/c`, `t/ds=1` (a partition), `t/ds=1/hr=2/c`.
        let mut segments = path.split('/');
        let table = segments.next().unwrap_or_default();
        let mut partition: Vec<&str> = Vec::new();
        let mut column = None;
        for segment in segments {
            if column.is_some() {
                return Err(bad("has a segment after its column"));
            }
            if segment.contains('=') {
                partition.push(segment);
            } else {
                column = Some(segment);
            }
        }
        if table.is_empty() || schema.is_some_and(str::is_empty) || column == Some("") {
            return Err(bad("has an empty name"));
        }
        let name = match schema {
            Some(s) => format!("{s}.{table}"),
            None => table.to_owned(),
        };
        Ok(ObjectRef {
            kind: ObjectKind::Table,
            name: ObjectKind::Table.normalise_name(&name),
            column: column.map(str::to_ascii_lowercase),
            partition: (!partition.is_empty()).then(|| partition.join("/")),
        })
    };
    if let Some(path) = rest.strip_prefix("tables/") {
        return table(None, path);
    }
    if let Some(path) = rest.strip_prefix("schemas/") {
        return match path.split_once("/tables/") {
            Some((schema, path)) => table(Some(schema), path),
            None if !path.is_empty() && !path.contains('/') => Ok(ObjectRef {
                kind: ObjectKind::Schema,
                name: ObjectKind::Schema.normalise_name(path),
                column: None,
                partition: None,
            }),
            None => Err(bad("names a schema but no table")),
        };
    }
    const SEGMENTS: [(&str, ObjectKind); 6] = [
        ("registration/functions/", ObjectKind::Function),
        ("resources/", ObjectKind::Resource),
        ("instances/", ObjectKind::Instance),
        ("packages/", ObjectKind::Package),
        ("offlinemodels/", ObjectKind::Model),
        ("volumes/", ObjectKind::Volume),
    ];
    for (segment, kind) in SEGMENTS {
        if let Some(name) = rest.strip_prefix(segment) {
            if name.is_empty() {
                return Err(bad("has an empty name"));
            }
            return Ok(ObjectRef {
                kind,
                name: kind.normalise_name(name),
                column: None,
                partition: None,
            });
        }
    }
    Err(bad("names no object type mcauth knows"))
}

/// `P30D` (no clock was given), or `2025-01-01T00:00:00+0000` (also with
/// `Z`, `+08:00` or no zone, read as UTC).
pub fn expiry_of(text: &str) -> Result<Expiry, String> {
    let text = text.trim();
    let bad = || format!("`{}` is not an expiry time", excerpt(text));
    if let Some(days) = text.strip_prefix('P').and_then(|t| t.strip_suffix('D')) {
        return days.parse().map(Expiry::Days).map_err(|_| bad());
    }
    let (date, time) = text.split_once('T').ok_or_else(bad)?;
    let mut parts = date.rsplitn(3, '-');
    let (Some(day), Some(month), Some(year)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let number = |s: &str| -> Result<i64, String> {
        if s.is_empty()
            || !s
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let (year, month, day) = (number(year)?, number(month)?, number(day)?);
    let clock = time.get(..8).ok_or_else(bad)?;
    let zone = time.get(8..).ok_or_else(bad)?;
    let mut hms = clock.split(':');
    let (Some(h), Some(m), Some(s), None) = (hms.next(), hms.next(), hms.next(), hms.next()) else {
        return Err(bad());
    };
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..=60).contains(&s)
    {
        return Err(bad());
    }
    let offset = match zone {
        "" | "Z" => 0,
        z => {
            let (sign, digits) = match z.as_bytes().first() {
                Some(b'+') => (1, &z[1..]),
                Some(b'-') => (-1, &z[1..]),
                _ => return Err(bad()),
            };
            let digits: String = digits.chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 {
                return Err(bad());
            }
            let hours = number(digits.get(..2).ok_or_else(bad)?)?;
            let minutes = number(digits.get(2..).ok_or_else(bad)?)?;
            sign * (hours * 3_600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day).ok_or_else(bad)?;
    days.checked_mul(86_400)
        .and_then(|t| t.checked_add(h * 3_600 + m * 60 + s))
        .and_then(|t| t.checked_sub(offset))
        .map(Expiry::At)
        .ok_or_else(bad)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of
/// the engine's `civil_from_days`); `None` on overflow.
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let y = year.checked_sub(i64::from(month <= 2))?;
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(kind: ObjectKind, name: &str, column: Option<&str>) -> ObjectRef {
        ObjectRef {
            kind,
            name: name.to_owned(),
            column: column.map(str::to_owned),
            partition: None,
        }
    }

    #[test]
    fn resources_read_back_as_the_engine_prints_them() {
        let cases = [
            object(ObjectKind::Project, "p$1", None),
            object(ObjectKind::Table, "t", None),
            object(ObjectKind::Table, "t", Some("c1")),
            object(ObjectKind::Table, "s.t", None),
            object(ObjectKind::Table, "s.t", Some("c")),
            object(ObjectKind::Table, "tb_*", None),
            object(ObjectKind::Function, "udtf", None),
            object(ObjectKind::Resource, "a/b:c.jar", None),
            object(ObjectKind::Instance, "20220105031923461ghuXY", None),
            object(ObjectKind::Package, "other.pkg", None),
            object(ObjectKind::Model, "m@x", None),
            object(ObjectKind::Volume, "v", None),
            object(ObjectKind::Schema, "finance", None),
            ObjectRef {
                partition: Some("ds=20240101".into()),
                ..object(ObjectKind::Table, "sales", None)
            },
            ObjectRef {
                partition: Some("ds=1/hr=2".into()),
                ..object(ObjectKind::Table, "s.t", Some("c"))
            },
        ];
        for o in cases {
            let project = if o.kind == ObjectKind::Project {
                o.name.clone()
            } else {
                "p$1".to_owned()
            };
            let printed = o.resource(&project);
            assert_eq!(object_of(&project, &printed), Ok(o.clone()), "{printed}");
        }
    }

    #[test]
    fn resources_of_other_projects_or_types_are_refused() {
        for bad in [
            "",
            "projects/",
            "projects/q/tables/t",
            "projects/pq/tables/t",
            "projects/p/tables/",
            "projects/p/tables//c",
            "projects/p/schemas/s/x",
            "projects/p/schemas/",
            "projects/p/tables/t/c/d",
            "projects/p/things/x",
            "projects/p/resources/",
            "tables/t",
        ] {
            assert!(object_of("p", bad).is_err(), "{bad}");
        }
        // The project's name is compared without case; names are
        // lower-cased as the engine keeps them.
        assert_eq!(
            object_of("Sales", "projects/SALES/tables/T/Col"),
            Ok(object(ObjectKind::Table, "t", Some("col")))
        );
    }

    #[test]
    fn expiry_times_round_trip_and_odd_ones_are_refused() {
        for t in [
            0,
            -1,
            951_782_400,
            1_735_689_599,
            4_102_444_800,
            -62_135_596_800,
            i64::MAX / 2,
        ] {
            let printed = mcauth_engine::iso8601(t);
            assert_eq!(expiry_of(&printed), Ok(Expiry::At(t)), "{printed}");
        }
        assert_eq!(expiry_of("P30D"), Ok(Expiry::Days(30)));
        assert_eq!(expiry_of(" P0D "), Ok(Expiry::Days(0)));
        assert_eq!(expiry_of("1970-01-01T08:00:00+08:00"), Ok(Expiry::At(0)));
        assert_eq!(expiry_of("1970-01-01T00:00:01Z"), Ok(Expiry::At(1)));
        assert_eq!(expiry_of("1970-01-01T00:00:00-0100"), Ok(Expiry::At(3_600)));
        for bad in [
            "",
            "P",
            "PD",
            "P-1D",
            "P99999999999D",
            "20xx-xx-xxTxx:xx:xx+xxxx",
            "2025-13-01T00:00:00+0000",
            "2025-01-01T24:00:00+0000",
            "2025-01-01T00:00+0000",
            "2025-01-01T00:00:00+00",
            "2025-01-01T00:00:00*0000",
            "2025-01T00:00:00+0000",
            "99999999999999999999-01-01T00:00:00+0000",
            "9999999999999999-01-01T00:00:00+0000",
            "2025-01-01T00:00:00+é000",
            "2025-01-01T00:00:00+0é0",
        ] {
            assert!(expiry_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn grantees_privileges_and_kinds() {
        assert_eq!(
            grantee_of("user/RAM$a@x.com:bob"),
            Ok(GranteeId::User(PrincipalId::ram_user("a@x.com", "bob")))
        );
        assert_eq!(
            grantee_of("user/RAM$a:role/etl"),
            Ok(GranteeId::User(PrincipalId::ram_role("a", "etl")))
        );
        assert_eq!(
            grantee_of("role/Worker"),
            Ok(GranteeId::Role(RoleName::new("worker")))
        );
        assert_eq!(
            grantee_of("tenant_role/r$1"),
            Ok(GranteeId::TenantRole(RoleName::new("r$1")))
        );
        for bad in ["", "user/", "role", "group/g", "user/FOO$x"] {
            assert!(grantee_of(bad).is_err(), "{bad}");
        }
        assert_eq!(
            privileges_of("Select | describe|ALL"),
            Ok(vec![Privilege::Select, Privilege::Describe, Privilege::All])
        );
        assert!(privileges_of("Create* | List").is_err());
        assert!(privileges_of("").is_err());
        assert_eq!(kind_of("TABLE"), Some(ObjectKind::Table));
        assert_eq!(kind_of("model"), Some(ObjectKind::Model));
        assert_eq!(kind_of("view"), None);
        assert_eq!(excerpt(&"é".repeat(200)).chars().count(), 121);
    }
}
