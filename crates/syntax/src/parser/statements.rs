//! One statement: dispatch on the leading keyword, then its rest.

use super::cursor::{Cursor, PResult};
use crate::ast::*;
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::keywords::{STATEMENT_STARTS, statement_start};
use crate::lexer::{TokenKind, unescape_string, unquote_identifier};
use crate::suggest::did_you_mean;

impl Cursor<'_, '_> {
    /// Parses one statement from the cursor's position. The caller checks
    /// that the statement ends there.
    pub fn statement(&mut self) -> PResult<Statement> {
        let start = self.here();
        let kind = self.statement_kind()?;
        Ok(Statement {
            kind,
            span: start.to(self.prev_span()),
        })
    }

    fn statement_kind(&mut self) -> PResult<StatementKind> {
        let verb = match self.peek() {
            Some(t) if t.kind == TokenKind::Word => statement_start(self.text(t)),
            _ => None,
        };
        let Some(verb) = verb else {
            return Err(self.unknown_statement());
        };
        self.bump();
        use StatementKind as S;
        match verb {
            "add" => self.add(),
            "remove" => self.remove(),
            "list" => self.list(),
            "show" => self.show(),
            "create" => self.create(),
            "drop" | "delete" => self.drop(),
            "describe" | "desc" => self.describe(),
            "grant" => self.grant(),
            "revoke" => self.revoke(),
            "purge" => {
                self.expect_one_of(&["privs", "privileges"])?;
                self.expect_kw("from")?;
                Ok(S::PurgePrivileges {
                    grantees: self.grantees()?,
                })
            }
            "clear" => {
                self.expect_kw("expired")?;
                self.expect_kw("grants")?;
                Ok(S::ClearExpiredGrants)
            }
            "whoami" => Ok(S::Whoami),
            "set" => self.set(),
            "get" => {
                if self.eat_kw("security").is_some() {
                    self.expect_kw("policy")?;
                    return Ok(S::GetSecurityPolicy);
                }
                self.expect_kw("policy")?;
                Ok(S::GetPolicy {
                    role: self.opt_on_role()?,
                })
            }
            "put" => {
                if self.eat_kw("security").is_some() {
                    self.expect_kw("policy")?;
                    return Ok(S::PutSecurityPolicy {
                        file: self.file_path()?,
                    });
                }
                self.expect_kw("policy")?;
                let file = self.file_path()?;
                Ok(S::PutPolicy {
                    file,
                    role: self.opt_on_role()?,
                })
            }
            "allow" | "disallow" => {
                self.expect_kw("project")?;
                let project = self.ident("a project name")?;
                self.expect_kw("to")?;
                self.expect_kw("install")?;
                self.expect_kw("package")?;
                let package = self.object_name("a package name")?;
                if verb == "disallow" {
                    return Ok(S::DisallowInstallPackage { project, package });
                }
                let label = if self.eat_kw("using").is_some() {
                    self.expect_kw("label")?;
                    Some(self.ident("a label level")?)
                } else {
                    None
                };
                Ok(S::AllowInstallPackage {
                    project,
                    package,
                    label,
                })
            }
            "install" | "uninstall" => {
                self.expect_kw("package")?;
                let package = self.object_name("a package name")?;
                Ok(if verb == "install" {
                    S::InstallPackage { package }
                } else {
                    S::UninstallPackage { package }
                })
            }
            "alter" => self.alter(),
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
        let found = self.text(token);
        let shown: String = found.chars().take(40).collect();
        let mut err = SyntaxError::new(
            ErrorCode::UnknownStatement,
            token.span,
            format!("`{shown}` does not start a statement"),
        )
        .with_label("unknown statement");
        err = match did_you_mean(found, STATEMENT_STARTS.iter().copied()) {
            Some(s) => err.with_help(format!(
                "did you mean `{s}`? Statements start with: {}",
                STATEMENT_STARTS.join(", ")
            )),
            None => err.with_help(format!(
                "statements start with: {}",
                STATEMENT_STARTS.join(", ")
            )),
        };
        Box::new(err)
    }

    /// `tenant` if it comes next.
    fn tenant(&mut self) -> bool {
        let yes = self.is_kw_at(0, "tenant");
        if yes {
            self.bump();
        }
        yes
    }

    fn add(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        if self.tenant() {
            return match self.expect_one_of(&["user", "role", "group"])? {
                "user" => Ok(S::AddUser {
                    tenant: true,
                    principal: self.principal()?,
                    comment: self.opt_comment()?,
                }),
                "role" => {
                    let role = self.ident("a role name")?;
                    self.expect_kw("to")?;
                    self.expect_kw("project")?;
                    Ok(S::AddTenantRoleToProject {
                        role,
                        project: self.ident("a project name")?,
                    })
                }
                _ => Ok(S::AddGroup {
                    tenant: true,
                    group: self.ident("a group name")?,
                }),
            };
        }
        if let Some(kind) = self.package_member("to")? {
            return Ok(kind);
        }
        match self.user_provider_project_or_group()? {
            "user" => Ok(S::AddUser {
                tenant: false,
                principal: self.principal()?,
                comment: self.opt_comment()?,
            }),
            "accountprovider" => Ok(S::AddAccountProvider {
                provider: self.provider()?,
            }),
            "trustedproject" => Ok(S::AddTrustedProject {
                project: self.ident("a project name")?,
            }),
            _ => Ok(S::AddGroup {
                tenant: false,
                group: self.ident("a group name")?,
            }),
        }
    }

    fn remove(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        if self.tenant() {
            return match self.expect_one_of(&["user", "role", "group"])? {
                "user" => Ok(S::RemoveUser {
                    tenant: true,
                    principal: self.principal()?,
                }),
                "role" => {
                    let role = self.ident("a role name")?;
                    self.expect_kw("from")?;
                    self.expect_kw("project")?;
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
        if let Some(kind) = self.package_member("from")? {
            return Ok(kind);
        }
        match self.user_provider_project_or_group()? {
            "user" => Ok(S::RemoveUser {
                tenant: false,
                principal: self.principal()?,
            }),
            "accountprovider" => Ok(S::RemoveAccountProvider {
                provider: self.provider()?,
            }),
            "trustedproject" => Ok(S::RemoveTrustedProject {
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
    fn package_member(&mut self, preposition: &'static str) -> PResult<Option<StatementKind>> {
        let is_member = self.peek().is_some_and(|t| t.kind == TokenKind::Word)
            && self
                .peek()
                .and_then(|t| ObjectType::from_keyword(self.text(t)))
                .is_some()
            && self.is_name_at(1);
        if !is_member {
            return Ok(None);
        }
        let object_type = self.object_type()?;
        let object = self.object_name("an object name")?;
        self.expect_kw(preposition)?;
        self.expect_kw("package")?;
        let package = self.ident("a package name")?;
        if preposition == "from" {
            return Ok(Some(StatementKind::RemoveFromPackage {
                object_type,
                object,
                package,
            }));
        }
        let privileges = if self.eat_kw("with").is_some() {
            self.expect_kw("privileges")?;
            Some(self.privileges()?)
        } else {
            None
        };
        Ok(Some(StatementKind::AddToPackage {
            object_type,
            object,
            package,
            privileges,
        }))
    }

    /// The word after `add` or `remove` when it is not about a package.
    fn user_provider_project_or_group(&mut self) -> PResult<&'static str> {
        self.expect_one_of(&[
            "user",
            "accountprovider",
            "trustedproject",
            "group",
            "tenant",
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
        if self.eat_kw("comment").is_some() {
            Ok(Some(self.string("a quoted comment")?))
        } else {
            Ok(None)
        }
    }

    fn list(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        if self.tenant() {
            return match self.expect_one_of(&["users", "roles", "groups"])? {
                "users" => Ok(S::ListUsers { tenant: true }),
                "roles" => Ok(S::ListRoles { tenant: true }),
                _ => Ok(S::ListGroups {
                    tenant: true,
                    user: self.opt_for_user()?,
                }),
            };
        }
        match self.expect_one_of(&[
            "users",
            "roles",
            "accountproviders",
            "trustedprojects",
            "groups",
            "tenant",
        ])? {
            "users" => Ok(S::ListUsers { tenant: false }),
            "roles" => Ok(S::ListRoles { tenant: false }),
            "accountproviders" => Ok(S::ListAccountProviders),
            "trustedprojects" => Ok(S::ListTrustedProjects),
            _ => Ok(S::ListGroups {
                tenant: false,
                user: self.opt_for_user()?,
            }),
        }
    }

    fn opt_for_user(&mut self) -> PResult<Option<Principal>> {
        if self.eat_kw("for").is_some() {
            self.expect_kw("user")?;
            Ok(Some(self.principal()?))
        } else {
            Ok(None)
        }
    }

    fn show(&mut self) -> PResult<StatementKind> {
        use StatementKind as S;
        let what = self.expect_one_of(&[
            "grants",
            "grant",
            "acl",
            "principals",
            "role",
            "roles",
            "securityconfiguration",
            "packages",
            "package",
            "label",
        ])?;
        match what {
            "grants" | "grant" => self.show_grants(),
            "acl" => {
                self.expect_kw("for")?;
                let object = self.object_name("an object name")?;
                let object_type = if self.eat_kw("on").is_some() {
                    self.expect_kw("type")?;
                    Some(self.object_type()?)
                } else {
                    None
                };
                Ok(S::ShowAcl {
                    object,
                    object_type,
                })
            }
            "principals" => {
                self.eat_kw("for");
                let tenant = self.tenant();
                if tenant {
                    self.expect_kw("role")?;
                } else if self.is_kw_at(0, "role") && self.is_name_at(1) {
                    self.bump();
                }
                Ok(S::ShowPrincipals {
                    tenant,
                    role: self.ident("a role name")?,
                })
            }
            "role" => {
                self.expect_kw("grant")?;
                Ok(S::ShowRoleGrant {
                    grantee: self.grantee()?,
                })
            }
            "roles" => Ok(S::ListRoles { tenant: false }),
            "securityconfiguration" => Ok(S::ShowSecurityConfiguration),
            "packages" => Ok(S::ShowPackages),
            "package" => Ok(S::DescribePackage {
                package: self.object_name("a package name")?,
            }),
            _ => {
                let level = if self.is_kw_at(0, "grants") {
                    None
                } else {
                    Some(self.ident("a label level")?)
                };
                self.expect_kw("grants")?;
                let table = if self.eat_kw("on").is_some() {
                    self.expect_kw("table")?;
                    Some(self.object_name("a table name")?)
                } else {
                    None
                };
                let user = self.opt_for_user()?;
                Ok(S::ShowLabelGrants { level, table, user })
            }
        }
    }

    fn create(&mut self) -> PResult<StatementKind> {
        if self.eat_kw("package").is_some() {
            return Ok(StatementKind::CreatePackage {
                package: self.ident("a package name")?,
            });
        }
        let tenant = self.tenant();
        self.expect_kw("role")?;
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
        if self.eat_kw("package").is_some() {
            return Ok(StatementKind::DropPackage {
                package: self.ident("a package name")?,
            });
        }
        let tenant = self.tenant();
        self.expect_kw("role")?;
        Ok(StatementKind::DropRole {
            tenant,
            role: self.ident("a role name")?,
        })
    }

    fn describe(&mut self) -> PResult<StatementKind> {
        if self.eat_kw("package").is_some() {
            return Ok(StatementKind::DescribePackage {
                package: self.object_name("a package name")?,
            });
        }
        let tenant = self.tenant();
        self.expect_kw("role")?;
        Ok(StatementKind::DescribeRole {
            tenant,
            role: self.ident("a role name")?,
        })
    }

    fn set(&mut self) -> PResult<StatementKind> {
        if self.is_kw_at(0, "label") && !self.is_punct_at(1, TokenKind::Eq) {
            self.bump();
            let level = self.ident("a label level")?;
            self.expect_kw("to")?;
            let target = match self.expect_one_of(&["table", "user"])? {
                "table" => {
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
                    value.span,
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
            && self.eat_kw("with").is_some()
        {
            self.expect_kw("exception")?;
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
                    span: t.span,
                })
            }
            Some(t) if t.kind == TokenKind::Word && self.is_name_at(0) => {
                self.bump();
                Ok(FilePath {
                    value: self.text(t).to_owned(),
                    span: t.span,
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
        if self.eat_kw("on").is_none() {
            return Ok(None);
        }
        let tenant = self.tenant();
        self.expect_kw("role")?;
        Ok(Some(RoleRef {
            tenant,
            role: self.ident("a role name")?,
        }))
    }

    fn alter(&mut self) -> PResult<StatementKind> {
        let tenant = self.tenant();
        let is_user = self.expect_one_of(&["user", "role"])? == "user";
        let (principal, role) = if is_user {
            (Some(self.principal()?), None)
        } else {
            (None, Some(self.ident("a role name")?))
        };
        let change = if self.eat_kw("set").is_some() {
            match self.opt_properties()? {
                Some(properties) => PropertyChange::Set { properties },
                None => return Err(self.unexpected()),
            }
        } else {
            self.expect_kw("unset")?;
            self.expect_kw("privilegeproperties")?;
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
