//! The statements that live beside the security language: `setproject`,
//! row access policies and data masking policies. Their free-form parts
//! (a filter expression, a masking method, a property value) are kept as
//! [`RawText`]: mcauth does not read them, and prints them back as they
//! were written, on one line.

use super::cursor::{Cursor, PResult};
use crate::ast::*;
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::keywords::kw;
use crate::lexer::TokenKind;

impl Cursor<'_, '_> {
    /// After `setproject`: `key[=value]` pairs, none to show them all.
    pub fn setproject(&mut self) -> PResult<StatementKind> {
        let mut properties = Vec::new();
        while let Some(token) = self.peek() {
            if token.kind != TokenKind::Word {
                self.expect("a property name");
                return Err(self.unexpected());
            }
            self.bump();
            let key = Ident::with_span(self.text(token), token.span);
            let value = match self.peek() {
                Some(eq) if eq.kind == TokenKind::Eq && eq.span.start == token.span.end => {
                    self.bump();
                    Some(self.raw_adjacent()?)
                }
                Some(eq) if eq.kind == TokenKind::Eq => {
                    return Err(spaced_equals(&key.value, eq.span));
                }
                _ => None,
            };
            properties.push(ProjectProperty { key, value });
        }
        Ok(StatementKind::SetProject { properties })
    }

    /// `*` or a project name, after `allow project` / `disallow project`.
    pub fn project_scope(&mut self) -> PResult<ProjectScope> {
        if let Some(t) = self.peek()
            && t.kind == TokenKind::Word
            && self.text(t) == "*"
        {
            self.bump();
            return Ok(ProjectScope::All);
        }
        self.expect("*");
        Ok(ProjectScope::Project {
            name: self.ident("a project name")?,
        })
    }

    /// `if not exists` if it comes next.
    fn if_not_exists(&mut self) -> PResult<bool> {
        if self.is_kw_at(0, kw::IF) && self.is_kw_at(1, kw::NOT) {
            self.bump();
            self.bump();
            self.expect_kw(kw::EXISTS)?;
            return Ok(true);
        }
        self.expect("if");
        Ok(false)
    }

    /// `default`, `user P, …` or `role R, …`, after `to`.
    fn policy_targets(&mut self) -> PResult<PolicyTargets> {
        let kind = self
            .expect_one_of(&[kw::DEFAULT, kw::USER, kw::ROLE])
            .map_err(|mut e| {
                if e.code == ErrorCode::UnexpectedToken && e.help.is_none() {
                    e.help = Some(
                        "name whom it applies to: `to default`, `to user <user>, …` or `to role <role>, …`"
                            .to_owned(),
                    );
                }
                e
            })?;
        Ok(match kind {
            kw::DEFAULT => PolicyTargets::Default,
            kw::USER => PolicyTargets::Users {
                users: self.comma_list(Cursor::principal)?,
            },
            _ => PolicyTargets::Roles {
                roles: self.comma_list(|c| c.ident("a role name"))?,
            },
        })
    }

    /// After `create row` or `create or replace row`.
    pub fn create_row_access_policy(&mut self, or_replace: bool) -> PResult<StatementKind> {
        self.expect_kw(kw::ACCESS)?;
        self.expect_kw(kw::POLICY)?;
        let if_not_exists = self.if_not_exists()?;
        let policy = self.ident("a policy name")?;
        self.expect_kw(kw::ON)?;
        let table = self.object_name("a table name")?;
        self.expect_kw(kw::TO)?;
        let to = self.policy_targets()?;
        self.expect_kw(kw::FILTER)?;
        self.expect_kw(kw::USING)?;
        self.expect_punct(TokenKind::LParen, "(")?;
        let filter = self.raw_in_parens("a filter expression")?;
        Ok(StatementKind::CreateRowAccessPolicy(
            CreateRowAccessPolicy {
                or_replace,
                if_not_exists,
                policy,
                table,
                to,
                filter,
            },
        ))
    }

    /// `row access policy <p> on <t>`, after `drop` or `describe`.
    pub fn row_access_policy_on(&mut self) -> PResult<(Ident, ObjectName)> {
        self.expect_kw(kw::ROW)?;
        self.expect_kw(kw::ACCESS)?;
        self.expect_kw(kw::POLICY)?;
        let policy = self.ident("a policy name")?;
        self.expect_kw(kw::ON)?;
        Ok((policy, self.object_name("a table name")?))
    }

    /// `data masking policy <p>`, after `drop` or `describe`.
    pub fn masking_policy_name(&mut self) -> PResult<Ident> {
        self.expect_kw(kw::DATA)?;
        self.expect_kw(kw::MASKING)?;
        self.expect_kw(kw::POLICY)?;
        self.ident("a policy name")
    }

    /// After `create data`.
    pub fn create_masking_policy(&mut self) -> PResult<StatementKind> {
        self.expect_kw(kw::MASKING)?;
        self.expect_kw(kw::POLICY)?;
        let if_not_exists = self.if_not_exists()?;
        let policy = self.ident("a policy name")?;
        self.expect_kw(kw::TO)?;
        let to = self.policy_targets()?;
        self.expect_kw(kw::USING)?;
        let method = self.raw_rest("a masking method")?;
        Ok(StatementKind::CreateMaskingPolicy {
            if_not_exists,
            policy,
            to,
            method,
        })
    }

    /// After `apply` (`bind to`) or `unapply` (`unbind from`).
    pub fn apply_masking(&mut self, apply: bool) -> PResult<StatementKind> {
        let policy = self.masking_policy_name()?;
        // The only form found in a source (the Java SDK's tests) binds with
        // `bind to table`; an `on table` form is in none, so it is refused
        // with the form that is.
        let form = |e: Box<SyntaxError>| -> Box<SyntaxError> {
            let help = if apply {
                "MaxCompute's form: apply data masking policy <p> bind to table <t> column <c>"
            } else {
                "mcauth's form: unapply data masking policy <p> unbind from table <t> column <c>"
            };
            Box::new(e.with_help(help))
        };
        if apply {
            self.expect_kw(kw::BIND).map_err(form)?;
            self.expect_kw(kw::TO)?;
        } else {
            self.expect_kw(kw::UNBIND).map_err(form)?;
            self.expect_kw(kw::FROM)?;
        }
        self.expect_kw(kw::TABLE)?;
        let table = self.object_name("a table name")?;
        self.expect_kw(kw::COLUMN)?;
        let column = self.ident("a column name")?;
        Ok(if apply {
            StatementKind::ApplyMaskingPolicy {
                policy,
                table,
                column,
            }
        } else {
            StatementKind::UnapplyMaskingPolicy {
                policy,
                table,
                column,
            }
        })
    }
}

#[cold]
#[inline(never)]
fn spaced_equals(key: &str, span: crate::span::Span) -> Box<SyntaxError> {
    SyntaxError::new(
        ErrorCode::UnexpectedToken,
        span,
        format!("`=` must follow `{key}` with no space: setproject separates properties at spaces"),
    )
    .with_label("space before `=`")
    .with_help(format!("write {key}=<value>"))
    .into()
}

#[cfg(test)]
mod tests {
    use crate::ErrorCode;
    use crate::ast::{CreateRowAccessPolicy, ProjectProperty, StatementKind};

    fn one(src: &str) -> StatementKind {
        match crate::parse_statement(src) {
            Ok(s) => s.kind,
            Err(e) => panic!("{src}: {e:?}"),
        }
    }

    fn error(src: &str) -> (ErrorCode, String) {
        match crate::parse_statement(src) {
            Ok(s) => panic!("{src} parsed as {s}"),
            Err(e) => (e[0].code, e[0].message.clone()),
        }
    }

    fn properties(src: &str) -> Vec<ProjectProperty> {
        match one(src) {
            StatementKind::SetProject { properties } => properties,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn setproject_splits_as_odpscmd_does() {
        let p = properties(
            "setproject  noEquals onlyEquals= \t\t normal=123 \n space=\"hello world\" brackets={hello world} \r ",
        );
        let got: Vec<(&str, &str, bool)> = p
            .iter()
            .map(|p| (p.key.value.as_str(), p.effective_value(), p.value.is_some()))
            .collect();
        assert_eq!(
            got,
            [
                ("noEquals", "", false),
                ("onlyEquals", "", true),
                ("normal", "123", true),
                ("space", "hello world", true),
                ("brackets", "{hello world}", true),
            ]
        );
        let p = properties(
            "setproject odps.security.vpc.whitelist=<vpc1>[192.168.0.10, 192.168.0.20],<vpc2> happy=true",
        );
        assert_eq!(
            p[0].effective_value(),
            "<vpc1>[192.168.0.10, 192.168.0.20],<vpc2>"
        );
        assert_eq!(p[1].effective_value(), "true");
        assert!(properties("setproject").is_empty());
    }

    #[test]
    fn free_text_is_one_line_without_comments() {
        let StatementKind::CreateRowAccessPolicy(CreateRowAccessPolicy { filter, .. }) = one(
            "create row access policy p on t to default filter using (a = 1 -- first\n  and  b>=2)",
        ) else {
            panic!("not a row access policy");
        };
        assert_eq!(filter.text, "a = 1 and b>=2");
        let StatementKind::CreateMaskingPolicy { method, .. } =
            one("create data masking policy m to default using MASKED_X( 2,\n5 )")
        else {
            panic!("not a masking policy");
        };
        assert_eq!(method.text, "MASKED_X( 2, 5 )");
    }

    #[test]
    fn mistakes_in_free_text_are_syntax_errors() {
        assert_eq!(
            error("create row access policy p on t to default filter using (a = 'x)").0,
            ErrorCode::UnterminatedString
        );
        assert_eq!(
            error("create row access policy p on t to default filter using (a = (1)").0,
            ErrorCode::UnexpectedToken
        );
        assert_eq!(
            error("create row access policy p on t to default filter using ()").0,
            ErrorCode::UnexpectedToken
        );
        assert_eq!(
            error("create data masking policy m to default using").0,
            ErrorCode::UnexpectedToken
        );
        let (code, message) = error("setproject k =v");
        assert_eq!(code, ErrorCode::UnexpectedToken);
        assert!(message.contains("no space"), "{message}");
        assert_eq!(error("setproject k=v !").0, ErrorCode::UnexpectedCharacter);
    }

    /// The `on table` form of apply/unapply is in no source: refused, with
    /// the form that is.
    #[test]
    fn apply_on_table_is_refused_with_the_bind_form() {
        for (src, form) in [
            (
                "apply data masking policy m on table t column c",
                "bind to table",
            ),
            (
                "unapply data masking policy m on table t column c",
                "unbind from table",
            ),
        ] {
            let errors = match crate::parse_statement(src) {
                Ok(s) => panic!("{src} parsed as {s}"),
                Err(e) => e,
            };
            assert_eq!(errors[0].code, ErrorCode::UnexpectedToken);
            let help = errors[0].help.as_deref().unwrap_or_default();
            assert!(help.contains(form), "{src}: {help}");
        }
        // The SDK's forms read back as themselves.
        for src in [
            "apply data masking policy m bind to table t column c",
            "unapply data masking policy m unbind from table t column c",
            "create data masking policy if not exists m to default using MASKED_STRING_MASKED_BA(2, 5)",
            "list row access policy on not_exist",
        ] {
            assert_eq!(one(src).to_string(), src);
        }
    }

    #[test]
    fn targets_and_scopes() {
        use crate::ast::{PolicyTargets, ProjectScope};
        let StatementKind::CreateRowAccessPolicy(CreateRowAccessPolicy { to, .. }) =
            one("create row access policy p on t to role a, b filter using (x)")
        else {
            panic!()
        };
        assert!(matches!(to, PolicyTargets::Roles { roles } if roles.len() == 2));
        let StatementKind::AllowInstallPackage { project, .. } =
            one("allow project * to install package k")
        else {
            panic!()
        };
        assert_eq!(project, ProjectScope::All);
        let StatementKind::AllowInstallPackage { project, .. } =
            one("allow project `*` to install package k")
        else {
            panic!()
        };
        assert!(matches!(project, ProjectScope::Project { name } if name.value == "*"));
    }

    #[test]
    fn items_or_a_package_called_items() {
        assert!(matches!(
            one("show package items"),
            StatementKind::ShowPackageItems { .. }
        ));
        assert!(matches!(
            one("show package items.x"),
            StatementKind::DescribePackage { .. }
        ));
        assert!(matches!(
            one("describe package items"),
            StatementKind::DescribePackage { .. }
        ));
        assert!(matches!(
            one("describe package items t"),
            StatementKind::DescribePackageItems { .. }
        ));
    }

    #[test]
    fn partitions_belong_to_tables() {
        let (code, message) = error("grant Read on resource r partition(ds=1) to user bob");
        assert_eq!(code, ErrorCode::UnexpectedToken);
        assert!(message.contains("only tables have partitions"), "{message}");
    }
}
