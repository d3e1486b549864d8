//! Grants and revokes of roles and privileges, objects, `show grants`.

use super::cursor::{Cursor, PResult};
use crate::ast::*;
use crate::catalog::ObjectType;
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::keywords::{Kw, kw};
use crate::lexer::TokenKind;

/// The object type keyword `kw` names, if it is one.
#[inline]
pub fn object_type_of(kw: Kw) -> Option<ObjectType> {
    Some(match kw {
        kw::PROJECT => ObjectType::Project,
        kw::TABLE => ObjectType::Table,
        kw::FUNCTION => ObjectType::Function,
        kw::RESOURCE => ObjectType::Resource,
        kw::INSTANCE => ObjectType::Instance,
        kw::PACKAGE => ObjectType::Package,
        kw::MODEL => ObjectType::Model,
        kw::VOLUME => ObjectType::Volume,
        kw::SCHEMA => ObjectType::Schema,
        _ => return None,
    })
}

impl Cursor<'_, '_> {
    /// `item {, item}`. A list of one gets a vector of one; a longer one
    /// starts at four, saving the regrowth from one.
    #[inline]
    pub fn comma_list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let first = item(self)?;
        if !self.eat_punct(TokenKind::Comma, ",") {
            return Ok(vec![first]);
        }
        let mut list = Vec::with_capacity(4);
        list.push(first);
        loop {
            list.push(item(self)?);
            if !self.eat_punct(TokenKind::Comma, ",") {
                return Ok(list);
            }
        }
    }

    /// Names with optional column lists: privileges, or roles before we
    /// know which they are (see [`Cursor::roles_from`]).
    fn items(&mut self, what: &'static str) -> PResult<Vec<Privilege>> {
        self.comma_list(|c| {
            Ok(Privilege {
                name: c.ident(what)?,
                columns: c.opt_columns()?,
            })
        })
    }

    /// `(c1, c2)` if one comes next.
    pub fn opt_columns(&mut self) -> PResult<Option<Vec<Ident>>> {
        if !self.eat_punct(TokenKind::LParen, "(") {
            return Ok(None);
        }
        let columns = self.comma_list(|c| c.ident("a column name"))?;
        self.expect_punct(TokenKind::RParen, ")")?;
        Ok(Some(columns))
    }

    pub fn privileges(&mut self) -> PResult<Vec<Privilege>> {
        self.items("a privilege")
    }

    /// `privilegeproperties("k"="v", …)` if one comes next.
    pub fn opt_properties(&mut self) -> PResult<Option<Properties>> {
        let Some(start) = self.eat_kw(kw::PRIVILEGEPROPERTIES) else {
            return Ok(None);
        };
        self.expect_punct(TokenKind::LParen, "(")?;
        let entries = self.comma_list(|c| {
            let key = c.string("a quoted property name")?;
            c.expect_punct(TokenKind::Eq, "=")?;
            let value = c.string("a quoted property value")?;
            Ok(Property { key, value })
        })?;
        self.expect_punct(TokenKind::RParen, ")")?;
        Ok(Some(Properties {
            entries,
            span: start.to(self.prev_span()).into(),
        }))
    }

    /// An object name: a word or a back-quoted name.
    pub fn object_name(&mut self, what: &'static str) -> PResult<ObjectName> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Quoted => {
                self.bump();
                let value = crate::lexer::unquote_identifier(self.text(t));
                Ok(ObjectName {
                    value,
                    span: t.span.into(),
                })
            }
            Some(t) if t.kind == TokenKind::Word && self.is_name_at(0) => {
                self.bump();
                Ok(ObjectName {
                    value: self.text(t).to_owned(),
                    span: t.span.into(),
                })
            }
            _ => {
                self.expect(what);
                Err(self.unexpected())
            }
        }
    }

    /// An object type keyword.
    pub fn object_type(&mut self) -> PResult<ObjectType> {
        if let Some(t) = object_type_of(self.peek_kw()) {
            self.pos += 1;
            return Ok(t);
        }
        for t in ObjectType::ALL {
            self.expect(t.keyword());
        }
        Err(self.unexpected())
    }

    /// The error for a word that stands where an object type would and is
    /// close to one (`tabel`), with a did-you-mean; `None` when it is not
    /// close to any.
    #[cold]
    fn misspelt_object_type(&self) -> Option<Box<SyntaxError>> {
        let token = self.peek()?;
        if token.kind != TokenKind::Word {
            return None;
        }
        let word = self.text(token);
        let guess = crate::suggest::did_you_mean(word, ObjectType::ALL.map(ObjectType::keyword))?;
        Some(
            SyntaxError::new(
                ErrorCode::UnexpectedToken,
                token.span,
                format!("expected an object type, found `{word}`"),
            )
            .with_label("not an object type")
            .with_help(format!("did you mean `{guess}`?"))
            .into(),
        )
    }

    /// `[type] name [(columns)]`; no type means a table.
    pub fn object(&mut self) -> PResult<Object> {
        let mut object_type = ObjectType::Table;
        let typed = self.is_name_at(1) && object_type_of(self.peek_kw()).is_some();
        if typed {
            object_type = self.object_type()?;
        } else if self.is_name_at(0) && self.is_name_at(1) {
            // Two names in a row: the first is meant as a type (`tabel t`).
            if let Some(err) = self.misspelt_object_type() {
                return Err(err);
            }
        }
        if !typed && self.is_recording() {
            for t in ObjectType::ALL {
                self.expect(t.keyword());
            }
        }
        let name = self.object_name("an object name")?;
        let (columns, partition) = if object_type == ObjectType::Table {
            (self.opt_columns()?, self.opt_partition()?)
        } else {
            let partition = self.is_kw_at(0, kw::PARTITION);
            if partition || self.is_punct(TokenKind::LParen, "(") {
                let (what, label) = if partition {
                    ("partitions", "partition clause")
                } else {
                    ("columns", "column list")
                };
                return Err(SyntaxError::new(
                    ErrorCode::UnexpectedToken,
                    self.here(),
                    format!("only tables have {what}, not a {}", object_type.keyword()),
                )
                .with_label(label)
                .with_help(format!("remove the {label}"))
                .into());
            }
            (None, None)
        };
        Ok(Object {
            object_type,
            name,
            columns,
            partition,
        })
    }

    /// `partition(col=value, …)` if one comes next.
    pub fn opt_partition(&mut self) -> PResult<Option<Vec<PartitionValue>>> {
        if self.eat_kw(kw::PARTITION).is_none() {
            return Ok(None);
        }
        self.expect_punct(TokenKind::LParen, "(")?;
        let values = self.comma_list(|c| {
            let column = c.ident("a partition column")?;
            if !c.eat_punct(TokenKind::Eq, "=") {
                return Ok(PartitionValue {
                    column,
                    value: None,
                });
            }
            let value = match c.peek() {
                Some(t) if t.kind == TokenKind::Str => {
                    PartitionLiteral::Str(c.string("a partition value")?)
                }
                Some(t) if t.kind == TokenKind::Word => {
                    c.bump();
                    PartitionLiteral::Word(c.text(t).to_owned())
                }
                _ => {
                    c.expect("a partition value");
                    return Err(c.unexpected());
                }
            };
            Ok(PartitionValue {
                column,
                value: Some(value),
            })
        })?;
        self.expect_punct(TokenKind::RParen, ")")?;
        Ok(Some(values))
    }

    /// After `grant`.
    pub fn grant(&mut self) -> PResult<StatementKind> {
        if self.is_kw_at(0, kw::LABEL) && self.is_name_at(1) && self.is_kw_at(2, kw::ON) {
            self.bump();
            let level = self.ident("a label level")?;
            self.expect_kw(kw::ON)?;
            self.expect_kw(kw::TABLE)?;
            let table = self.object_name("a table name")?;
            let columns = self.opt_columns()?;
            self.expect_kw(kw::TO)?;
            let grantee = self.grantee()?;
            let days = if self.eat_kw(kw::WITH).is_some() {
                self.expect_kw(kw::EXP)?;
                Some(self.ident("a number of days")?)
            } else {
                None
            };
            return Ok(StatementKind::GrantLabel(GrantLabel {
                level,
                table,
                columns,
                grantee,
                days,
                properties: self.opt_properties()?,
            }));
        }
        if self.is_kw_at(0, kw::SUPER) && self.is_name_at(1) {
            self.bump();
            let privileges = self.privileges()?;
            self.expect_kw(kw::TO)?;
            return Ok(StatementKind::GrantSuper {
                privileges,
                grantee: self.grantee()?,
            });
        }
        let tenant = self.role_keyword()?;
        if tenant.is_some() {
            let items = self.items("a role name")?;
            return self.grant_roles(tenant == Some(true), items);
        }
        let items = self.items("a privilege or role name")?;
        if self.eat_kw(kw::ON).is_some() {
            let privileges = items;
            let object = self.object()?;
            self.expect_kw(kw::TO)?;
            let grantees = self.grantees()?;
            let with_grant_option = if self.eat_kw(kw::WITH).is_some() {
                self.expect_kw(kw::GRANT)?;
                self.expect_kw(kw::OPTION)?;
                true
            } else {
                false
            };
            let properties = self.opt_properties()?;
            return Ok(StatementKind::GrantPrivileges {
                privileges,
                object,
                grantees,
                with_grant_option,
                properties,
            });
        }
        if self.is_kw_at(0, kw::TO) {
            return self.grant_roles(false, items);
        }
        self.expect("to");
        Err(self.unexpected())
    }

    /// `[tenant] role` before a role list: `Some(tenant)` if present.
    fn role_keyword(&mut self) -> PResult<Option<bool>> {
        if self.is_kw_at(0, kw::TENANT) {
            self.bump();
            self.expect_kw(kw::ROLE)?;
            return Ok(Some(true));
        }
        if self.is_kw_at(0, kw::ROLE) && self.is_name_at(1) {
            self.bump();
            return Ok(Some(false));
        }
        Ok(None)
    }

    fn grant_roles(&mut self, tenant: bool, items: Vec<Privilege>) -> PResult<StatementKind> {
        let roles = self.roles_from(items, "to")?;
        self.expect_kw(kw::TO)?;
        let grantees = self.grantees()?;
        let with_admin_option = if self.eat_kw(kw::WITH).is_some() {
            self.expect_kw(kw::ADMIN)?;
            self.expect_kw(kw::OPTION)?;
            true
        } else {
            false
        };
        Ok(StatementKind::GrantRoles {
            tenant,
            roles,
            grantees,
            with_admin_option,
        })
    }

    /// After `revoke`.
    pub fn revoke(&mut self) -> PResult<StatementKind> {
        if self.is_kw_at(0, kw::LABEL) && self.is_kw_at(1, kw::ON) {
            self.bump();
            self.bump();
            self.expect_kw(kw::TABLE)?;
            let table = self.object_name("a table name")?;
            let columns = self.opt_columns()?;
            self.expect_kw(kw::FROM)?;
            return Ok(StatementKind::RevokeLabel {
                table,
                columns,
                grantee: self.grantee()?,
                properties: self.opt_properties()?,
            });
        }
        if self.is_kw_at(0, kw::SUPER) && self.is_name_at(1) {
            self.bump();
            let privileges = self.privileges()?;
            self.expect_kw(kw::FROM)?;
            return Ok(StatementKind::RevokeSuper {
                privileges,
                grantee: self.grantee()?,
            });
        }
        let grant_option_for = self.is_kw_at(0, kw::GRANT) && self.is_kw_at(1, kw::OPTION);
        let admin_option_for = self.is_kw_at(0, kw::ADMIN) && self.is_kw_at(1, kw::OPTION);
        if grant_option_for || admin_option_for {
            self.bump();
            self.bump();
            self.expect_kw(kw::FOR)?;
        }
        let tenant = if grant_option_for {
            None
        } else {
            self.role_keyword()?
        };
        let items = self.items(if tenant.is_some() {
            "a role name"
        } else {
            "a privilege or role name"
        })?;
        if tenant.is_none() && !admin_option_for && self.eat_kw(kw::ON).is_some() {
            let privileges = items;
            let object = self.object()?;
            self.expect_kw(kw::FROM)?;
            let grantees = self.grantees()?;
            let properties = self.opt_properties()?;
            return Ok(StatementKind::RevokePrivileges {
                grant_option_for,
                privileges,
                object,
                grantees,
                properties,
            });
        }
        if grant_option_for {
            return Err(self.unexpected());
        }
        if !self.is_kw_at(0, kw::FROM) {
            self.expect("from");
            return Err(self.unexpected());
        }
        let roles = self.roles_from(items, "from")?;
        self.expect_kw(kw::FROM)?;
        let grantees = self.grantees()?;
        Ok(StatementKind::RevokeRoles {
            admin_option_for,
            tenant: tenant == Some(true),
            roles,
            grantees,
        })
    }

    /// After `show grant` or `show grants`.
    pub fn show_grants(&mut self) -> PResult<StatementKind> {
        let mut grantee = None;
        if self.eat_kw(kw::FOR).is_some() {
            grantee = Some(self.grantee()?);
        } else if !self.at_end()
            && !self.is_kw_at(0, kw::ON)
            && !self.is_kw_at(0, kw::PRIVILEGEPROPERTIES)
        {
            self.expect("for");
            grantee = Some(self.grantee()?);
        } else {
            self.expect("for");
        }
        let on = if self.eat_kw(kw::ON).is_some() {
            if self.is_kw_at(0, kw::TYPE) && self.peek_at(1).is_some() {
                self.bump();
                Some(GrantsFilter::Type {
                    object_type: self.object_type()?,
                })
            } else {
                self.expect("type");
                Some(GrantsFilter::Object {
                    object: self.object()?,
                })
            }
        } else {
            None
        };
        let properties = self.opt_properties()?;
        Ok(StatementKind::ShowGrants {
            grantee,
            on,
            properties,
        })
    }

    /// Turns the names before `to`/`from` into role names, catching column
    /// lists and privilege names that lack their `on` clause.
    fn roles_from(&self, items: Vec<Privilege>, preposition: &str) -> PResult<Vec<Ident>> {
        for item in &items {
            let quoted = self.src.as_bytes().get(item.name.span.start) == Some(&b'`');
            if !quoted && crate::catalog::Privilege::is_known(&item.name.value) {
                return Err(privilege_without_on(&item.name, preposition));
            }
            if item.columns.is_some() {
                return Err(columns_on_a_role(&item.name));
            }
        }
        // A new vector: collecting in place reuses the items' allocation
        // but shrinks it with a realloc, which costs more.
        let mut roles = Vec::with_capacity(items.len());
        roles.extend(items.into_iter().map(|item| item.name));
        Ok(roles)
    }
}

#[cold]
#[inline(never)]
fn privilege_without_on(name: &Ident, preposition: &str) -> Box<SyntaxError> {
    SyntaxError::new(
        ErrorCode::PrivilegeWithoutOn,
        *name.span,
        format!("`{}` is a privilege, but this statement has no `on` clause", name.value),
    )
    .with_label("privilege or role?")
    .with_help(format!(
        "to grant the privilege, name its object: `grant {n} on project <project> {preposition} user <name>;` \
         (or `on table <table>`); to mean a role called {n}, back-quote it: `{n}`",
        n = name.value
    ))
    .into()
}

#[cold]
#[inline(never)]
fn columns_on_a_role(name: &Ident) -> Box<SyntaxError> {
    SyntaxError::new(
        ErrorCode::UnexpectedToken,
        *name.span,
        format!(
            "`{}` has a column list, but a role is granted here",
            name.value
        ),
    )
    .with_label("columns belong to privileges")
    .with_help("add an `on table <name>` clause to grant a column privilege")
    .into()
}
