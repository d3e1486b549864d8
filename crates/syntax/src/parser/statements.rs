//! One statement: dispatch on the leading keyword, then its rest.

use super::acl::object_type_of;
use super::cursor::{Cursor, PResult};
use crate::ast::*;
use crate::catalog::SecurityFlag;
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::keywords::STATEMENT_STARTS;
use crate::keywords::{Kw, kw};
use crate::lexer::{TokenKind, unescape_string, unquote_identifier};
use crate::suggest::did_you_mean_static;

/// [`STATEMENT_STARTS`] as a list for help texts, joined once.
static STARTS_LIST: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| STATEMENT_STARTS.join(", "));

impl Cursor<'_, '_> {
    /// Parses one statement from the cursor's position. The caller checks
    /// that the statement ends there.
    pub fn statement(&mut self) -> PResult<Statement> {
        let start = self.here();
        let kind = self.statement_kind()?;
        Ok(Statement {
            kind,
            span: start.to(self.prev_span()).into(),
        })
    }

    fn statement_kind(&mut self) -> PResult<StatementKind> {
        let verb = self.peek_kw();
        if !verb.is_statement_start() {
            return Err(self.unknown_statement());
        }
        self.bump();
        use StatementKind as S;
        match verb {
            kw::ADD => self.add(),
            kw::REMOVE => self.remove(),
            kw::LIST => self.list(),
            kw::SHOW => self.show(),
            kw::CREATE => self.create(),
            kw::DROP | kw::DELETE => self.drop(),
            kw::DESCRIBE | kw::DESC => self.describe(),
            kw::GRANT => self.grant(),
            kw::REVOKE => self.revoke(),
            kw::PURGE => {
                self.expect_one_of(&[kw::PRIVS, kw::PRIVILEGES])?;
                self.expect_kw(kw::FROM)?;
                Ok(S::PurgePrivileges {
                    grantees: self.grantees()?,
                })
            }
            kw::CLEAR => {
                self.expect_kw(kw::EXPIRED)?;
                self.expect_kw(kw::GRANTS)?;
                Ok(S::ClearExpiredGrants)
            }
            kw::WHOAMI => Ok(S::Whoami),
            kw::SET => self.set(),
            kw::GET => {
                if self.eat_kw(kw::SECURITY).is_some() {
                    self.expect_kw(kw::POLICY)?;
                    return Ok(S::GetSecurityPolicy);
                }
                self.expect_kw(kw::POLICY)?;
                Ok(S::GetPolicy {
                    role: self.opt_on_role()?,
                })
            }
            kw::PUT => {
                if self.eat_kw(kw::SECURITY).is_some() {
                    self.expect_kw(kw::POLICY)?;
                    return Ok(S::PutSecurityPolicy {
                        file: self.file_path()?,
                    });
                }
                self.expect_kw(kw::POLICY)?;
                let file = self.file_path()?;
                Ok(S::PutPolicy {
                    file,
                    role: self.opt_on_role()?,
                })
            }
            kw::ALLOW | kw::DISALLOW => {
                self.expect_kw(kw::PROJECT)?;
                let project = self.project_scope()?;
                self.expect_kw(kw::TO)?;
                self.expect_kw(kw::INSTALL)?;
                self.expect_kw(kw::PACKAGE)?;
                let package = self.object_name("a package name")?;
                if verb == kw::DISALLOW {
                    return Ok(S::DisallowInstallPackage { project, package });
                }
                let privileges = if self.eat_kw(kw::WITH).is_some() {
                    Some(self.privileges()?)
                } else {
                    None
                };
                let label = if self.eat_kw(kw::USING).is_some() {
                    self.expect_kw(kw::LABEL)?;
                    Some(self.ident("a label level")?)
                } else {
                    None
                };
                let days = if self.eat_kw(kw::EXP).is_some() {
                    Some(self.ident("a number of days")?)
                } else {
                    None
                };
                Ok(S::AllowInstallPackage {
                    project,
                    package,
                    privileges,
                    label,
                    days,
                })
            }
            kw::INSTALL | kw::UNINSTALL => {
                self.expect_kw(kw::PACKAGE)?;
                let package = self.object_name("a package name")?;
                let properties = self.opt_properties()?;
                Ok(if verb == kw::INSTALL {
                    S::InstallPackage {
                        package,
                        properties,
                    }
                } else {
                    S::UninstallPackage {
                        package,
                        properties,
                    }
                })
            }
            kw::ALTER => self.alter(),
            kw::SETPROJECT => self.setproject(),
            kw::APPLY | kw::UNAPPLY => self.apply_masking(verb == kw::APPLY),
            _ => Err(self.unknown_statement()),
        }
    }

    #[cold]
    fn unknown_statement(&mut self) -> Box<SyntaxError> {
        let Some(token) = self.peek() else {
            return self.unexpected();
        };
        if let Some(err) = super::cursor::lexical_error(self.src, token) {
            return Box::new(err);
        }
        if !self.is_recording() {
            // `parse_chunk` words the error in full on its second, recording
            // pass; the suggestion below is the costly part of a script
            // with a mistake on every line.
            return Box::new(SyntaxError::new(
                ErrorCode::UnknownStatement,
                token.span,
                String::new(),
            ));
        }
        let found = self.text(token);
        let shown: String = found.chars().take(40).collect();
        let mut err = SyntaxError::new(
            ErrorCode::UnknownStatement,
            token.span,
            format!("`{shown}` does not start a statement"),
        )
        .with_label("unknown statement");
        err = match did_you_mean_static(found, STATEMENT_STARTS) {
            Some(s) => err.with_help(format!(
                "did you mean `{s}`? Statements start with: {}",
                *STARTS_LIST
            )),
            None => err.with_help(format!("statements start with: {}", *STARTS_LIST)),
        };
        Box::new(err)
    }

    /// `tenant` if it comes next.
    fn tenant(&mut self) -> bool {
        let yes = self.is_kw_at(0, kw::TENANT);
        if yes {
            self.bump();
        }
        yes
    }

    fn add(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        if self.tenant() {
            return match self.expect_one_of(&[kw::USER, kw::ROLE, kw::GROUP])? {
                kw::USER => Ok(S::AddUser {
                    tenant: true,
                    principal: self.principal()?,
                    comment: self.opt_comment()?,
                }),
                kw::ROLE => {
                    let role = self.ident("a role name")?;
                    self.expect_kw(kw::TO)?;
                    self.expect_kw(kw::PROJECT)?;
                    Ok(S::AddTenantRoleToProject {
                        role,
                        project: self.ident("a project name")?,
                    })
                }
                _ => Ok(S::AddGroup {
                    tenant: true,
                    group: self.ident("a group name")?,
                    comment: self.opt_comment()?,
                }),
            };
        }
        if let Some(kind) = self.package_member(kw::TO)? {
            return Ok(kind);
        }
        match self.user_provider_project_or_group()? {
            kw::USER => Ok(S::AddUser {
                tenant: false,
                principal: self.principal()?,
                comment: self.opt_comment()?,
            }),
            kw::ACCOUNTPROVIDER => Ok(S::AddAccountProvider {
                provider: self.provider()?,
            }),
            kw::TRUSTEDPROJECT => Ok(S::AddTrustedProject {
                project: self.ident("a project name")?,
            }),
            _ => Ok(S::AddGroup {
                tenant: false,
                group: self.ident("a group name")?,
                comment: self.opt_comment()?,
            }),
        }
    }

    fn remove(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        if self.tenant() {
            return match self.expect_one_of(&[kw::USER, kw::ROLE, kw::GROUP])? {
                kw::USER => Ok(S::RemoveUser {
                    tenant: true,
                    principal: self.principal()?,
                }),
                kw::ROLE => {
                    let role = self.ident("a role name")?;
                    self.expect_kw(kw::FROM)?;
                    self.expect_kw(kw::PROJECT)?;
                    Ok(S::RemoveTenantRoleFromProject {
                        role,
                        project: self.ident("a project name")?,
                    })
                }
                _ => Ok(S::RemoveGroup {
                    tenant: true,
                    group: self.ident("a group name")?,
                }),
            };
        }
        if let Some(kind) = self.package_member(kw::FROM)? {
            return Ok(kind);
        }
        match self.user_provider_project_or_group()? {
            kw::USER => Ok(S::RemoveUser {
                tenant: false,
                principal: self.principal()?,
            }),
            kw::ACCOUNTPROVIDER => Ok(S::RemoveAccountProvider {
                provider: self.provider()?,
            }),
            kw::TRUSTEDPROJECT => Ok(S::RemoveTrustedProject {
                project: self.ident("a project name")?,
            }),
            _ => Ok(S::RemoveGroup {
                tenant: false,
                group: self.ident("a group name")?,
            }),
        }
    }

    /// `add <type> <name> to package <pkg> [with privileges …]` or
    /// `remove <type> <name> from package <pkg>`, if that is what follows.
    fn package_member(&mut self, preposition: Kw) -> PResult<Option<StatementKind>> {
        let is_member = object_type_of(self.peek_kw()).is_some() && self.is_name_at(1);
        if !is_member {
            return Ok(None);
        }
        let object_type = self.object_type()?;
        let object = self.object_name("an object name")?;
        self.expect_kw(preposition)?;
        self.expect_kw(kw::PACKAGE)?;
        let package = self.ident("a package name")?;
        if preposition == kw::FROM {
            return Ok(Some(StatementKind::RemoveFromPackage {
                object_type,
                object,
                package,
            }));
        }
        let privileges = if self.eat_kw(kw::WITH).is_some() {
            self.expect_kw(kw::PRIVILEGES)?;
            Some(self.privileges()?)
        } else {
            None
        };
        Ok(Some(StatementKind::AddToPackage {
            object_type,
            object,
            package,
            privileges,
            properties: self.opt_properties()?,
        }))
    }

    /// The word after `add` or `remove` when it is not about a package.
    fn user_provider_project_or_group(&mut self) -> PResult<Kw> {
        self.expect_one_of(&[
            kw::USER,
            kw::ACCOUNTPROVIDER,
            kw::TRUSTEDPROJECT,
            kw::GROUP,
            kw::TENANT,
        ])
        .map_err(|_| {
            self.expect("an object type");
            self.unexpected()
        })
    }

    /// An account provider name, normalised to lower case.
    fn provider(&mut self) -> PResult<Ident> {
        let mut ident = self.ident("an account provider name")?;
        ident.value.make_ascii_lowercase();
        Ok(ident)
    }

    fn opt_comment(&mut self) -> PResult<Option<StringLit>> {
        if self.eat_kw(kw::COMMENT).is_some() {
            Ok(Some(self.string("a quoted comment")?))
        } else {
            Ok(None)
        }
    }

    fn list(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        if self.tenant() {
            return match self.expect_one_of(&[kw::USERS, kw::ROLES, kw::GROUPS])? {
                kw::USERS => Ok(S::ListUsers { tenant: true }),
                kw::ROLES => Ok(S::ListRoles { tenant: true }),
                _ => Ok(S::ListGroups {
                    tenant: true,
                    user: self.opt_for_user()?,
                }),
            };
        }
        match self.expect_one_of(&[
            kw::USERS,
            kw::ROLES,
            kw::ACCOUNTPROVIDERS,
            kw::TRUSTEDPROJECTS,
            kw::GROUPS,
            kw::TENANT,
            kw::ROW,
        ])? {
            kw::USERS => Ok(S::ListUsers { tenant: false }),
            kw::ROLES => Ok(S::ListRoles { tenant: false }),
            kw::ACCOUNTPROVIDERS => Ok(S::ListAccountProviders),
            kw::TRUSTEDPROJECTS => Ok(S::ListTrustedProjects),
            kw::ROW => {
                self.expect_kw(kw::ACCESS)?;
                self.expect_kw(kw::POLICY)?;
                self.expect_kw(kw::ON)?;
                Ok(S::ListRowAccessPolicies {
                    table: self.object_name("a table name")?,
                })
            }
            _ => Ok(S::ListGroups {
                tenant: false,
                user: self.opt_for_user()?,
            }),
        }
    }

    fn opt_for_user(&mut self) -> PResult<Option<Principal>> {
        if self.eat_kw(kw::FOR).is_some() {
            self.expect_kw(kw::USER)?;
            Ok(Some(self.principal()?))
        } else {
            Ok(None)
        }
    }

    fn show(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        let what = self.expect_one_of(&[
            kw::GRANTS,
            kw::GRANT,
            kw::ACL,
            kw::PRINCIPALS,
            kw::ROLE,
            kw::ROLES,
            kw::SECURITYCONFIGURATION,
            kw::PACKAGES,
            kw::PACKAGE,
            kw::LABEL,
        ])?;
        match what {
            kw::GRANTS | kw::GRANT => self.show_grants(),
            kw::ACL => {
                self.expect_kw(kw::FOR)?;
                let object = self.object_name("an object name")?;
                let object_type = if self.eat_kw(kw::ON).is_some() {
                    self.expect_kw(kw::TYPE)?;
                    Some(self.object_type()?)
                } else {
                    None
                };
                Ok(S::ShowAcl {
                    object,
                    object_type,
                })
            }
            kw::PRINCIPALS => {
                self.eat_kw(kw::FOR);
                let tenant = self.tenant();
                if tenant {
                    self.expect_kw(kw::ROLE)?;
                } else if self.is_kw_at(0, kw::ROLE) && self.is_name_at(1) {
                    self.bump();
                }
                Ok(S::ShowPrincipals {
                    tenant,
                    role: self.ident("a role name")?,
                })
            }
            kw::ROLE => {
                self.expect_kw(kw::GRANT)?;
                Ok(S::ShowRoleGrant {
                    grantee: self.grantee()?,
                })
            }
            kw::ROLES => Ok(S::ListRoles { tenant: false }),
            kw::SECURITYCONFIGURATION => Ok(S::ShowSecurityConfiguration),
            kw::PACKAGES => {
                let with = if self.eat_kw(kw::WITH).is_some() {
                    Some(self.object()?)
                } else {
                    None
                };
                Ok(S::ShowPackages {
                    with,
                    properties: self.opt_properties()?,
                })
            }
            kw::PACKAGE => {
                // `items` is the items form unless it is the whole rest
                // (a package named items).
                let items = self.is_kw_at(0, kw::ITEMS)
                    && (self.is_kw_at(1, kw::FROM)
                        || self.is_kw_at(1, kw::ON)
                        || self.is_kw_at(1, kw::PRIVILEGEPROPERTIES)
                        || self.peek_at(1).is_none());
                if !items {
                    return Ok(S::DescribePackage {
                        package: self.object_name("a package name")?,
                        properties: self.opt_properties()?,
                    });
                }
                self.bump();
                let project = if self.eat_kw(kw::FROM).is_some() {
                    Some(self.ident("a project name")?)
                } else {
                    None
                };
                let object_type = if self.eat_kw(kw::ON).is_some() {
                    self.expect_kw(kw::TYPE)?;
                    Some(self.object_type()?)
                } else {
                    None
                };
                Ok(S::ShowPackageItems {
                    project,
                    object_type,
                    properties: self.opt_properties()?,
                })
            }
            _ => self.show_label_grants(),
        }
    }

    /// After `show label`.
    fn show_label_grants(&mut self) -> PResult<StatementKind> {
        let level = if self.is_kw_at(0, kw::GRANTS) {
            None
        } else {
            Some(self.ident("a label level")?)
        };
        self.expect_kw(kw::GRANTS)?;
        let scope = if self.eat_kw(kw::ON).is_some() {
            self.expect_kw(kw::TABLE)?;
            let table = self.object_name("a table name")?;
            let grantee = if self.eat_kw(kw::FOR).is_some() {
                Some(self.grantee()?)
            } else {
                None
            };
            LabelGrantsScope::OnTable { table, grantee }
        } else if self.eat_kw(kw::FOR).is_some() {
            if self.is_kw_at(0, kw::TABLE) && self.is_name_at(1) {
                self.bump();
                LabelGrantsScope::ForTable {
                    table: self.object_name("a table name")?,
                }
            } else {
                LabelGrantsScope::For {
                    grantee: self.grantee()?,
                }
            }
        } else {
            LabelGrantsScope::All
        };
        Ok(StatementKind::ShowLabelGrants {
            level,
            scope,
            properties: self.opt_properties()?,
        })
    }

    fn create(&mut self) -> PResult<StatementKind> {
        if self.eat_kw(kw::PACKAGE).is_some() {
            return Ok(StatementKind::CreatePackage {
                package: self.ident("a package name")?,
            });
        }
        if self.eat_kw(kw::OR).is_some() {
            self.expect_kw(kw::REPLACE)?;
            self.expect_kw(kw::ROW)?;
            return self.create_row_access_policy(true);
        }
        if self.eat_kw(kw::ROW).is_some() {
            return self.create_row_access_policy(false);
        }
        if self.eat_kw(kw::DATA).is_some() {
            return self.create_masking_policy();
        }
        let tenant = self.tenant();
        self.expect_kw(kw::ROLE)?;
        let role = self.ident("a role name")?;
        let comment = self.opt_comment()?;
        let properties = self.opt_properties()?;
        Ok(StatementKind::CreateRole {
            tenant,
            role,
            comment,
            properties,
        })
    }

    fn drop(&mut self) -> PResult<StatementKind> {
        if self.eat_kw(kw::PACKAGE).is_some() {
            return Ok(StatementKind::DropPackage {
                package: self.ident("a package name")?,
            });
        }
        if self.is_kw_at(0, kw::ROW) && self.is_kw_at(1, kw::ACCESS) {
            let (policy, table) = self.row_access_policy_on()?;
            return Ok(StatementKind::DropRowAccessPolicy { policy, table });
        }
        if self.is_kw_at(0, kw::DATA) && self.is_kw_at(1, kw::MASKING) {
            return Ok(StatementKind::DropMaskingPolicy {
                policy: self.masking_policy_name()?,
            });
        }
        let tenant = self.tenant();
        self.expect_kw(kw::ROLE)?;
        Ok(StatementKind::DropRole {
            tenant,
            role: self.ident("a role name")?,
        })
    }

    fn describe(&mut self) -> PResult<StatementKind> {
        if self.eat_kw(kw::PACKAGE).is_some() {
            // `items` followed by an object is the items form; otherwise
            // it names a package.
            let items = self.is_kw_at(0, kw::ITEMS) && self.is_name_at(1);
            if items {
                self.bump();
                let object = self.object()?;
                let project = if self.eat_kw(kw::FROM).is_some() {
                    Some(self.ident("a project name")?)
                } else {
                    None
                };
                return Ok(StatementKind::DescribePackageItems { object, project });
            }
            return Ok(StatementKind::DescribePackage {
                package: self.object_name("a package name")?,
                properties: self.opt_properties()?,
            });
        }
        if self.is_kw_at(0, kw::ROW) && self.is_kw_at(1, kw::ACCESS) {
            let (policy, table) = self.row_access_policy_on()?;
            return Ok(StatementKind::DescribeRowAccessPolicy { policy, table });
        }
        if self.is_kw_at(0, kw::DATA) && self.is_kw_at(1, kw::MASKING) {
            return Ok(StatementKind::DescribeMaskingPolicy {
                policy: self.masking_policy_name()?,
            });
        }
        let tenant = self.tenant();
        self.expect_kw(kw::ROLE)?;
        Ok(StatementKind::DescribeRole {
            tenant,
            role: self.ident("a role name")?,
        })
    }

    fn set(&mut self) -> PResult<StatementKind> {
        if self.is_kw_at(0, kw::LABEL) && !self.is_punct_at(1, TokenKind::Eq) {
            self.bump();
            let level = self.ident("a label level")?;
            self.expect_kw(kw::TO)?;
            let target = match self.expect_one_of(&[kw::TABLE, kw::USER])? {
                kw::TABLE => {
                    let table = self.object_name("a table name")?;
                    LabelTarget::Table {
                        table,
                        columns: self.opt_columns()?,
                    }
                }
                _ => LabelTarget::User {
                    principal: self.principal()?,
                },
            };
            return Ok(StatementKind::SetLabel { level, target });
        }
        let key = match self.peek() {
            Some(t) if matches!(t.kind, TokenKind::Word | TokenKind::Quoted) => {
                self.bump();
                let text = self.text(t);
                let value = if t.kind == TokenKind::Quoted {
                    unquote_identifier(text)
                } else {
                    text.to_owned()
                };
                Ident::with_span(value, t.span)
            }
            _ => {
                self.expect("label");
                self.expect("a flag name");
                return Err(self.unexpected());
            }
        };
        self.expect_punct(TokenKind::Eq, "=")?;
        let value = match self.peek() {
            Some(t) if matches!(t.kind, TokenKind::Word | TokenKind::Str | TokenKind::Quoted) => {
                self.bump();
                let text = self.text(t);
                let value = match t.kind {
                    TokenKind::Str => unescape_string(text),
                    TokenKind::Quoted => unquote_identifier(text),
                    _ => text.to_owned(),
                };
                Ident::with_span(value, t.span)
            }
            _ => {
                self.expect("a value");
                return Err(self.unexpected());
            }
        };
        let Some(flag) = SecurityFlag::from_name(&key.value) else {
            return Ok(StatementKind::Set {
                setting: Setting::Session(key),
                value: SetValue::Text(value),
                exception: None,
            });
        };
        let bool_value = match value.value.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(SyntaxError::new(
                    ErrorCode::InvalidFlagValue,
                    *value.span,
                    format!(
                        "{} must be boolean (set {}=true|false)",
                        flag.name(),
                        flag.name()
                    ),
                )
                .with_label("not true or false")
                .with_help(format!(
                    "write `set {}=true;` or `set {}=false;`",
                    flag.name(),
                    flag.name()
                ))
                .into());
            }
        };
        let exception = if flag == SecurityFlag::ProjectProtection
            && bool_value
            && self.eat_kw(kw::WITH).is_some()
        {
            self.expect_kw(kw::EXCEPTION)?;
            Some(self.file_path()?)
        } else {
            None
        };
        Ok(StatementKind::Set {
            setting: Setting::Security(flag),
            value: SetValue::Bool(bool_value),
            exception,
        })
    }

    fn is_punct_at(&self, ahead: usize, kind: TokenKind) -> bool {
        self.peek_at(ahead).is_some_and(|t| t.kind == kind)
    }

    fn file_path(&mut self) -> PResult<FilePath> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Str => {
                self.bump();
                Ok(FilePath {
                    value: unescape_string(self.text(t)),
                    span: t.span.into(),
                })
            }
            Some(t) if t.kind == TokenKind::Word && self.is_name_at(0) => {
                self.bump();
                Ok(FilePath {
                    value: self.text(t).to_owned(),
                    span: t.span.into(),
                })
            }
            _ => {
                self.expect("a file path");
                Err(self.unexpected())
            }
        }
    }

    /// `on [tenant] role R` if it comes next.
    fn opt_on_role(&mut self) -> PResult<Option<RoleRef>> {
        if self.eat_kw(kw::ON).is_none() {
            return Ok(None);
        }
        let tenant = self.tenant();
        self.expect_kw(kw::ROLE)?;
        Ok(Some(RoleRef {
            tenant,
            role: self.ident("a role name")?,
        }))
    }

    fn alter(&mut self) -> PResult<StatementKind> {
        let tenant = self.tenant();
        let is_user = self.expect_one_of(&[kw::USER, kw::ROLE])? == kw::USER;
        let (principal, role) = if is_user {
            (Some(self.principal()?), None)
        } else {
            (None, Some(self.ident("a role name")?))
        };
        let change = if self.eat_kw(kw::SET).is_some() {
            match self.opt_properties()? {
                Some(properties) => PropertyChange::Set { properties },
                None => return Err(self.unexpected()),
            }
        } else {
            self.expect_kw(kw::UNSET)?;
            self.expect_kw(kw::PRIVILEGEPROPERTIES)?;
            self.expect_punct(TokenKind::LParen, "(")?;
            let keys = self.comma_list(|c| c.string("a quoted property name"))?;
            self.expect_punct(TokenKind::RParen, ")")?;
            PropertyChange::Unset { keys }
        };
        Ok(match (principal, role) {
            (Some(principal), _) => StatementKind::AlterUser {
                tenant,
                principal,
                change,
            },
            (_, Some(role)) => StatementKind::AlterRole {
                tenant,
                role,
                change,
            },
            (None, None) => return Err(self.unexpected()),
        })
    }
}
