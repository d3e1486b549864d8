//! The security configuration, from `show securityconfiguration`:
//! `CheckPermissionUsingAcl=true`, one flag a line, in odpscmd's format.
//! Lines mcauth does not model (`EnableDownloadPrivilege`,
//! `AuthorizationVersion`, `ProjectProtection with Exception:…`) are
//! passed over; each modelled flag must be there, with `true` or `false`.

use mcauth_engine::{Change, Flag};

use super::text::{ParseError, excerpt, lines};

pub const STATEMENT: &str = "show securityconfiguration";

/// A [`Change::SetFlag`] for every flag.
pub fn parse(text: &str) -> Result<Vec<Change>, ParseError> {
    let mut values: [Option<bool>; Flag::ALL.len()] = [None; Flag::ALL.len()];
    for (n, line) in lines(text) {
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let Some(i) = Flag::ALL
            .iter()
            .position(|f| f.config_name().eq_ignore_ascii_case(name))
        else {
            continue;
        };
        let value = value.trim();
        values[i] = Some(if value.eq_ignore_ascii_case("true") {
            true
        } else if value.eq_ignore_ascii_case("false") {
            false
        } else {
            return Err(ParseError::at(
                n,
                format!("{name} is `{}`, not true or false", excerpt(value)),
            ));
        });
    }
    Flag::ALL
        .iter()
        .zip(values)
        .map(|(flag, value)| match value {
            Some(value) => Ok(Change::SetFlag { flag: *flag, value }),
            None => Err(ParseError::at(
                0,
                format!("the answer does not show {}", flag.config_name()),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_is_read_and_others_are_passed_over() {
        let text = "CheckPermissionUsingAcl=false\r\nCheckPermissionUsingPolicy=TRUE\n\
            ObjectCreatorHasAccessPermission=true\nObjectCreatorHasGrantPermission = false\n\
            LabelSecurity=true\nProjectProtection=true\n\
            ProjectProtection with Exception:{\"Version\":\"1\",\"a\":\"b=c\"}\n\
            ExternalResourceAccessControl=false\nAuthorizationVersion=2\nEnableDownloadPrivilege=false\n";
        let changes = parse(text).expect("reads");
        let values: Vec<bool> = changes
            .iter()
            .filter_map(|c| match c {
                Change::SetFlag { value, .. } => Some(*value),
                _ => None,
            })
            .collect();
        assert_eq!(values, [false, true, true, false, true, true, false]);
    }

    #[test]
    fn a_missing_flag_or_a_bad_value_is_an_error() {
        assert!(parse("").is_err());
        assert!(parse("CheckPermissionUsingAcl=true").is_err());
        let text = "CheckPermissionUsingAcl=maybe";
        assert_eq!(parse(text).map_err(|e| e.line), Err(1));
    }
}
