//! The shape of an ARN: `acs:<service>:<region>:<account-id>:<resource>`.
//!
//! Seed 002 writes the tenant-level ARNs without a region
//! (`acs:odps:${resource-owner-id}:tenantUsers/*`), so a four-part ARN whose last part names
//! tenant users or roles is accepted as well.

use std::ops::Range;

/// What is wrong with an ARN. Ranges are byte ranges into the ARN text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnIssue {
    /// Not `*` and not of the form `acs:service:region:account:resource`.
    Malformed(&'static str),
    /// The region part is not a region id such as `cn-hangzhou`.
    Region(Range<usize>),
    /// The account part is not a numeric account id.
    Account(Range<usize>),
}

/// How many colon-separated parts of an ARN [`check`] looks at; the resource part may hold
/// more colons.
const LEADING_PARTS: usize = 5;

/// The first [`LEADING_PARTS`] parts of an ARN with their byte offsets, how many parts there
/// are in all, and the last one. Kept on the stack: linting calls this for every resource.
struct Parts<'a> {
    leading: [(usize, &'a str); LEADING_PARTS],
    count: usize,
    last: &'a str,
}

impl<'a> Parts<'a> {
    fn of(arn: &'a str) -> Self {
        let mut parts = Parts {
            leading: [(0, ""); LEADING_PARTS],
            count: 0,
            last: "",
        };
        // Byte by byte: `:` is ASCII, so every cut is on a character boundary.
        let mut start = 0;
        let ends = arn
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b':')
            .map(|(i, _)| i)
            .chain(std::iter::once(arn.len()));
        for end in ends {
            let part = arn.get(start..end).unwrap_or_default();
            if let Some(slot) = parts.leading.get_mut(parts.count) {
                *slot = (start, part);
            }
            parts.count += 1;
            parts.last = part;
            start = end + 1;
        }
        parts
    }

    fn get(&self, i: usize) -> Option<(usize, &'a str)> {
        if i < self.count {
            self.leading.get(i).copied()
        } else {
            None
        }
    }

    fn leading(&self) -> &[(usize, &'a str)] {
        self.leading
            .get(..self.count.min(LEADING_PARTS))
            .unwrap_or_default()
    }
}

/// Checks the syntax of `arn`. Parts containing wildcards are not checked.
pub fn check(arn: &str) -> Result<(), ArnIssue> {
    if arn == "*" {
        return Ok(());
    }
    let parts = Parts::of(arn);
    let text = |i: usize| parts.get(i).map_or("", |p| p.1);
    if !is_wild(text(0)) && text(0) != "acs" {
        return Err(ArnIssue::Malformed("an ARN starts with `acs:`"));
    }
    let ends_in_wildcard = parts.last.contains('*');
    let tenant = |p: &str| p.starts_with("tenantUsers/") || p.starts_with("tenantRoles/");
    let (region, account) = match parts.count {
        5.. => (Some(2), 3),
        4 if tenant(text(3)) => (None, 2),
        _ if ends_in_wildcard => return check_prefix(parts.leading()),
        _ => {
            return Err(ArnIssue::Malformed(
                "expected `acs:<service>:<region>:<account-id>:<resource>`",
            ));
        }
    };
    if text(1).is_empty() {
        return Err(ArnIssue::Malformed("the service part is empty"));
    }
    if let Some(i) = region {
        let (start, r) = parts.get(i).unwrap_or((0, ""));
        let empty_ok = r.is_empty() && tenant(text(4));
        if !is_wild(r) && !empty_ok && !is_region(r) {
            return Err(ArnIssue::Region(start..start + r.len()));
        }
    }
    let (start, a) = parts.get(account).unwrap_or((0, ""));
    if !is_wild(a) && !is_account(a) {
        return Err(ArnIssue::Account(start..start + a.len()));
    }
    let resource = arn.get(parts.get(account + 1).map_or(arn.len(), |p| p.0)..);
    if resource.is_none_or(str::is_empty) {
        return Err(ArnIssue::Malformed("the resource part is empty"));
    }
    Ok(())
}

/// An ARN cut short by a wildcard, such as `acs:odps:*`: check the parts that are there.
fn check_prefix(parts: &[(usize, &str)]) -> Result<(), ArnIssue> {
    if let Some(&(start, r)) = parts.get(2)
        && !is_wild(r)
        && !is_region(r)
    {
        return Err(ArnIssue::Region(start..start + r.len()));
    }
    if let Some(&(start, a)) = parts.get(3)
        && !is_wild(a)
        && !is_account(a)
    {
        return Err(ArnIssue::Account(start..start + a.len()));
    }
    Ok(())
}

fn is_wild(part: &str) -> bool {
    part.contains(['*', '?'])
}

/// `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`: lowercase words joined by `-`,
/// the first of them letters only.
pub fn is_region(region: &str) -> bool {
    let mut words = region.split('-');
    let first_ok = words
        .next()
        .is_some_and(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase()));
    let mut rest = words.peekable();
    first_ok
        && rest.peek().is_some()
        && rest.all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// An Alibaba Cloud account id: digits only.
pub fn is_account(account: &str) -> bool {
    !account.is_empty() && account.len() <= 32 && account.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_arns_pass() {
        for arn in [
            "*",
            "acs:odps:cn-hangzhou:12345:projects/*",
            "acs:odps:*:*:projects/prj_1",
            "acs:odps:cn-shanghai-finance-1:1234567890123456:quotas/q",
            "acs:odps:12345:tenantUsers/*",
            "acs:odps:cn-hangzhou:12345:tenantRoles/r1",
            "acs:odps::12345:tenantRoles/r1",
            "acs:odps:*",
            "acs:*",
            "acs:odps:cn-hangzhou:12345:quotaRoutingRules/a#b",
        ] {
            assert_eq!(check(arn), Ok(()), "{arn}");
        }
    }

    #[test]
    fn malformed_arns_are_reported() {
        assert!(matches!(
            check("odps:CreateProject"),
            Err(ArnIssue::Malformed(_))
        ));
        assert!(matches!(
            check("arn:odps:cn:1:projects/x"),
            Err(ArnIssue::Malformed(_))
        ));
        assert!(matches!(
            check("acs:odps:projects/x"),
            Err(ArnIssue::Malformed(_))
        ));
        assert!(matches!(
            check("acs::cn-hangzhou:1:projects/x"),
            Err(ArnIssue::Malformed(_))
        ));
        assert!(matches!(
            check("acs:odps:cn-hangzhou:1:"),
            Err(ArnIssue::Malformed(_))
        ));
    }

    #[test]
    fn bad_regions_and_accounts_point_at_their_part() {
        assert_eq!(
            check("acs:odps:Hangzhou:12345:projects/p"),
            Err(ArnIssue::Region(9..17))
        );
        assert_eq!(
            check("acs:odps:cn-hangzhou:12a45:projects/p"),
            Err(ArnIssue::Account(21..26))
        );
        assert_eq!(
            check("acs:odps:cn-hangzhou:abc:*"),
            Err(ArnIssue::Account(21..24))
        );
        assert_eq!(
            check("acs:odps:cn_hangzhou:*"),
            Err(ArnIssue::Region(9..20))
        );
        assert_eq!(
            check("acs:odps:cn-hangzhou::projects/p"),
            Err(ArnIssue::Account(21..21))
        );
    }

    #[test]
    fn region_shapes() {
        assert!(is_region("cn-hangzhou"));
        assert!(is_region("us-west-1"));
        assert!(!is_region("cn"));
        assert!(!is_region("cn-"));
        assert!(!is_region("CN-hangzhou"));
        assert!(!is_region("1-abc"));
    }
}
