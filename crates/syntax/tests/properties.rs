//! Property tests: printed ASTs read back as themselves, and no input,
//! however mangled, makes the parser panic.

use mcauth_syntax::ast::*;
use mcauth_syntax::{ObjectType, SecurityFlag, is_complete, parse, parse_statement};
use proptest::prelude::*;
use proptest::strategy::Union;

fn plain() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,7}"
}

/// Any non-empty name, usually plain, sometimes needing backticks.
fn name_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => plain(),
        1 => "[ -~]{1,6}",
        1 => Just("role".to_owned()),
        1 => Just("a`b".to_owned()),
        1 => Just("销售".to_owned()),
    ]
}

fn ident() -> impl Strategy<Value = Ident> {
    name_text().prop_map(Ident::new)
}

fn idents() -> impl Strategy<Value = Vec<Ident>> {
    prop::collection::vec(ident(), 1..3)
}

fn string_lit() -> impl Strategy<Value = StringLit> {
    prop_oneof![4 => "[a-z =']{0,8}", 1 => "[ -~\n\t\\\\\"]{0,8}"].prop_map(StringLit::new)
}

fn properties() -> impl Strategy<Value = Properties> {
    prop::collection::vec(
        (string_lit(), string_lit()).prop_map(|(key, value)| Property { key, value }),
        1..3,
    )
    .prop_map(|entries| Properties {
        entries,
        span: Default::default(),
    })
}

/// Account and user-name text: no `:`, `/`, `$` or wildcards.
fn account() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[a-z0-9_.@-]{1,10}", 1 => "[a-z ]{1,5}"]
}

fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        account().prop_map(|account| PrincipalKind::Aliyun { account }),
        (prop::option::of(account()), account())
            .prop_filter("a RAM user name does not start with role/", |(_, n)| !n
                .to_lowercase()
                .starts_with("role/"))
            .prop_map(|(account, name)| PrincipalKind::RamUser { account, name }),
        (account(), account()).prop_map(|(account, role)| PrincipalKind::RamRole { account, role }),
        "[0-9]{4,12}".prop_map(|d| PrincipalKind::Residue {
            id: format!("p4_{d}")
        }),
        "[a-z][a-z0-9_.@-]{0,8}"
            .prop_filter("not a residue id", |n| !n.starts_with("p4_"))
            .prop_map(|name| PrincipalKind::Bare { name }),
    ]
    .prop_map(Principal::new)
}

fn grantee() -> impl Strategy<Value = Grantee> {
    prop_oneof![
        3 => (any::<bool>(), principal()).prop_map(|(tenant, principal)| Grantee::User { tenant, principal }),
        1 => (any::<bool>(), ident()).prop_map(|(tenant, name)| Grantee::Role { tenant, name }),
        1 => (any::<bool>(), ident()).prop_map(|(tenant, name)| Grantee::Group { tenant, name }),
    ]
}

fn grantees() -> impl Strategy<Value = Vec<Grantee>> {
    prop::collection::vec(grantee(), 1..3)
}

fn object_type() -> impl Strategy<Value = ObjectType> {
    prop::sample::select(ObjectType::ALL.to_vec())
}

fn object_name() -> impl Strategy<Value = ObjectName> {
    prop_oneof![4 => "[a-z_][a-z0-9_]{0,5}(\\.[a-z0-9_*]{1,5}){0,2}", 1 => "[ -~]{1,6}", 1 => Just("table".into())]
        .prop_map(ObjectName::new)
}

fn columns() -> impl Strategy<Value = Option<Vec<Ident>>> {
    prop::option::of(idents())
}

fn partition() -> impl Strategy<Value = Option<Vec<PartitionValue>>> {
    let value = prop_oneof![
        string_lit().prop_map(PartitionLiteral::Str),
        "[0-9a-z_]{1,8}".prop_map(PartitionLiteral::Word),
    ];
    prop::option::of(prop::collection::vec(
        (ident(), prop::option::of(value))
            .prop_map(|(column, value)| PartitionValue { column, value }),
        1..3,
    ))
}

fn object() -> impl Strategy<Value = Object> {
    (object_type(), object_name(), columns(), partition()).prop_map(
        |(object_type, name, columns, partition)| {
            let table = object_type == ObjectType::Table;
            Object {
                columns: if table { columns } else { None },
                partition: if table { partition } else { None },
                object_type,
                name,
            }
        },
    )
}

fn opt_properties() -> impl Strategy<Value = Option<Properties>> {
    prop::option::of(properties())
}

fn project_scope() -> impl Strategy<Value = ProjectScope> {
    prop_oneof![
        1 => Just(ProjectScope::All),
        3 => ident().prop_map(|name| ProjectScope::Project { name }),
    ]
}

fn policy_targets() -> impl Strategy<Value = PolicyTargets> {
    prop_oneof![
        Just(PolicyTargets::Default),
        prop::collection::vec(principal(), 1..3).prop_map(|users| PolicyTargets::Users { users }),
        idents().prop_map(|roles| PolicyTargets::Roles { roles }),
    ]
}

/// Free text as the parser keeps it: tokens, one space between those that
/// were apart. Built from pieces that lex as themselves.
fn raw_text() -> impl Strategy<Value = RawText> {
    let piece = prop_oneof![
        "[a-z_][a-z0-9_]{0,5}",
        "[0-9]{1,4}",
        Just("'x y'".to_owned()),
        Just("\"q\"".to_owned()),
        Just(">=".to_owned()),
        Just("=".to_owned()),
        Just("<".to_owned()),
        Just("f(a, b)".to_owned()),
        Just("{k v}".to_owned()),
        Just(",".to_owned()),
    ];
    prop::collection::vec((piece, any::<bool>()), 1..5).prop_map(|pieces| {
        let mut text = String::new();
        for (i, (p, space)) in pieces.iter().enumerate() {
            if i > 0 && *space {
                text.push(' ');
            }
            text.push_str(p);
        }
        RawText::new(text)
    })
}

/// A `setproject` value: tokens that touch, or anything in braces.
fn property_value() -> impl Strategy<Value = Option<RawText>> {
    prop::option::of(prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9_.,:]{1,10}",
        Just("\"hello world\"".to_owned()),
        Just("{a b, \"c\": [1, 2]}".to_owned()),
        Just("<vpc1>[10.0.0.1,10.0.0.2],<vpc2>".to_owned()),
    ])
    .prop_map(|v| v.map(RawText::new))
}

fn privileges() -> impl Strategy<Value = Vec<Privilege>> {
    prop::collection::vec(
        (ident(), columns()).prop_map(|(name, columns)| Privilege { name, columns }),
        1..3,
    )
}

fn file_path() -> impl Strategy<Value = FilePath> {
    prop_oneof!["[a-z_/.]{1,10}", "[ -~]{1,10}"].prop_map(|value| FilePath {
        value,
        span: Default::default(),
    })
}

fn role_ref() -> impl Strategy<Value = Option<RoleRef>> {
    prop::option::of((any::<bool>(), ident()).prop_map(|(tenant, role)| RoleRef { tenant, role }))
}

fn statement_kind() -> impl Strategy<Value = StatementKind> {
    use StatementKind as S;
    let t = any::<bool>;
    let users = Union::new(vec![
        (t(), principal(), prop::option::of(string_lit()))
            .prop_map(|(tenant, principal, comment)| S::AddUser {
                tenant,
                principal,
                comment,
            })
            .boxed(),
        (t(), principal())
            .prop_map(|(tenant, principal)| S::RemoveUser { tenant, principal })
            .boxed(),
        t().prop_map(|tenant| S::ListUsers { tenant }).boxed(),
        Just(S::ListAccountProviders).boxed(),
        "[a-z]{1,8}"
            .prop_map(|p| S::AddAccountProvider {
                provider: Ident::new(p),
            })
            .boxed(),
        "[a-z]{1,8}"
            .prop_map(|p| S::RemoveAccountProvider {
                provider: Ident::new(p),
            })
            .boxed(),
    ]);
    let roles = Union::new(vec![
        (
            t(),
            ident(),
            prop::option::of(string_lit()),
            prop::option::of(properties()),
        )
            .prop_map(|(tenant, role, comment, properties)| S::CreateRole {
                tenant,
                role,
                comment,
                properties,
            })
            .boxed(),
        (t(), ident())
            .prop_map(|(tenant, role)| S::DropRole { tenant, role })
            .boxed(),
        t().prop_map(|tenant| S::ListRoles { tenant }).boxed(),
        (t(), ident())
            .prop_map(|(tenant, role)| S::DescribeRole { tenant, role })
            .boxed(),
        (t(), idents(), grantees(), t())
            .prop_map(
                |(tenant, roles, grantees, with_admin_option)| S::GrantRoles {
                    tenant,
                    roles,
                    grantees,
                    with_admin_option,
                },
            )
            .boxed(),
        (t(), t(), idents(), grantees())
            .prop_map(
                |(admin_option_for, tenant, roles, grantees)| S::RevokeRoles {
                    admin_option_for,
                    tenant,
                    roles,
                    grantees,
                },
            )
            .boxed(),
        (t(), ident())
            .prop_map(|(tenant, role)| S::ShowPrincipals { tenant, role })
            .boxed(),
        grantee()
            .prop_map(|grantee| S::ShowRoleGrant { grantee })
            .boxed(),
    ]);
    let acl = Union::new(vec![
        (
            privileges(),
            object(),
            grantees(),
            t(),
            prop::option::of(properties()),
        )
            .prop_map(
                |(privileges, object, grantees, with_grant_option, properties)| {
                    S::GrantPrivileges {
                        privileges,
                        object,
                        grantees,
                        with_grant_option,
                        properties,
                    }
                },
            )
            .boxed(),
        (
            t(),
            privileges(),
            object(),
            grantees(),
            prop::option::of(properties()),
        )
            .prop_map(
                |(grant_option_for, privileges, object, grantees, properties)| {
                    S::RevokePrivileges {
                        grant_option_for,
                        privileges,
                        object,
                        grantees,
                        properties,
                    }
                },
            )
            .boxed(),
        (
            prop::option::of(grantee()),
            prop::option::of(prop_oneof![
                object_type().prop_map(|object_type| GrantsFilter::Type { object_type }),
                object().prop_map(|object| GrantsFilter::Object { object }),
            ]),
            prop::option::of(properties()),
        )
            .prop_map(|(grantee, on, properties)| S::ShowGrants {
                grantee,
                on,
                properties,
            })
            .boxed(),
        (object_name(), prop::option::of(object_type()))
            .prop_map(|(object, object_type)| S::ShowAcl {
                object,
                object_type,
            })
            .boxed(),
        Just(S::ClearExpiredGrants).boxed(),
        grantees()
            .prop_map(|grantees| S::PurgePrivileges { grantees })
            .boxed(),
    ]);
    let session = Union::new(vec![
        Just(S::Whoami).boxed(),
        Just(S::ShowSecurityConfiguration).boxed(),
        (
            prop::sample::select(SecurityFlag::ALL.to_vec()),
            t(),
            prop::option::of(file_path()),
        )
            .prop_map(|(flag, value, exception)| S::Set {
                exception: if flag == SecurityFlag::ProjectProtection && value {
                    exception
                } else {
                    None
                },
                setting: Setting::Security(flag),
                value: SetValue::Bool(value),
            })
            .boxed(),
        ("[a-z][a-z.]{0,12}", "[A-Za-z0-9_.]{1,6}")
            .prop_filter("not a security flag", |(k, _)| {
                SecurityFlag::from_name(k).is_none() && k != "label"
            })
            .prop_map(|(k, v)| S::Set {
                setting: Setting::Session(Ident::new(k)),
                value: SetValue::Text(Ident::new(v)),
                exception: None,
            })
            .boxed(),
        (ident(), ident())
            .prop_map(|(role, project)| S::AddTenantRoleToProject { role, project })
            .boxed(),
        (ident(), ident())
            .prop_map(|(role, project)| S::RemoveTenantRoleFromProject { role, project })
            .boxed(),
        role_ref().prop_map(|role| S::GetPolicy { role }).boxed(),
        (file_path(), role_ref())
            .prop_map(|(file, role)| S::PutPolicy { file, role })
            .boxed(),
        Just(S::GetSecurityPolicy).boxed(),
        file_path()
            .prop_map(|file| S::PutSecurityPolicy { file })
            .boxed(),
    ]);
    let packages = Union::new(vec![
        Just(S::ListTrustedProjects).boxed(),
        ident()
            .prop_map(|project| S::AddTrustedProject { project })
            .boxed(),
        ident()
            .prop_map(|project| S::RemoveTrustedProject { project })
            .boxed(),
        ident()
            .prop_map(|package| S::CreatePackage { package })
            .boxed(),
        ident()
            .prop_map(|package| S::DropPackage { package })
            .boxed(),
        (
            object_type(),
            object_name(),
            ident(),
            prop::option::of(privileges()),
            opt_properties(),
        )
            .prop_map(
                |(object_type, object, package, privileges, properties)| S::AddToPackage {
                    object_type,
                    object,
                    package,
                    privileges,
                    properties,
                },
            )
            .boxed(),
        (object_type(), object_name(), ident())
            .prop_map(|(object_type, object, package)| S::RemoveFromPackage {
                object_type,
                object,
                package,
            })
            .boxed(),
        (
            project_scope(),
            object_name(),
            prop::option::of(privileges()),
            prop::option::of(ident()),
            prop::option::of("[0-9]{1,3}".prop_map(Ident::new)),
        )
            .prop_map(
                |(project, package, privileges, label, days)| S::AllowInstallPackage {
                    project,
                    package,
                    privileges,
                    label,
                    days,
                },
            )
            .boxed(),
        (project_scope(), object_name())
            .prop_map(|(project, package)| S::DisallowInstallPackage { project, package })
            .boxed(),
        (object_name(), opt_properties())
            .prop_map(|(package, properties)| S::InstallPackage {
                package,
                properties,
            })
            .boxed(),
        (object_name(), opt_properties())
            .prop_map(|(package, properties)| S::UninstallPackage {
                package,
                properties,
            })
            .boxed(),
        (prop::option::of(object()), opt_properties())
            .prop_map(|(with, properties)| S::ShowPackages { with, properties })
            .boxed(),
        (object_name(), opt_properties())
            .prop_map(|(package, properties)| S::DescribePackage {
                package,
                properties,
            })
            .boxed(),
        (
            prop::option::of(ident()),
            prop::option::of(object_type()),
            opt_properties(),
        )
            .prop_map(|(project, object_type, properties)| S::ShowPackageItems {
                project,
                object_type,
                properties,
            })
            .boxed(),
        (object(), prop::option::of(ident()))
            .prop_map(|(object, project)| S::DescribePackageItems { object, project })
            .boxed(),
    ]);
    let labels = Union::new(vec![
        (
            ident(),
            prop_oneof![
                (object_name(), columns())
                    .prop_map(|(table, columns)| LabelTarget::Table { table, columns }),
                principal().prop_map(|principal| LabelTarget::User { principal }),
            ],
        )
            .prop_map(|(level, target)| S::SetLabel { level, target })
            .boxed(),
        (
            ident(),
            object_name(),
            columns(),
            grantee(),
            prop::option::of(ident()),
            opt_properties(),
        )
            .prop_map(|(level, table, columns, grantee, days, properties)| {
                S::GrantLabel(GrantLabel {
                    level,
                    table,
                    columns,
                    grantee,
                    days,
                    properties,
                })
            })
            .boxed(),
        (object_name(), columns(), grantee(), opt_properties())
            .prop_map(|(table, columns, grantee, properties)| S::RevokeLabel {
                table,
                columns,
                grantee,
                properties,
            })
            .boxed(),
        (
            prop::option::of(ident()),
            prop_oneof![
                Just(LabelGrantsScope::All),
                (object_name(), prop::option::of(grantee()))
                    .prop_map(|(table, grantee)| LabelGrantsScope::OnTable { table, grantee }),
                grantee().prop_map(|grantee| LabelGrantsScope::For { grantee }),
                object_name().prop_map(|table| LabelGrantsScope::ForTable { table }),
            ],
            opt_properties(),
        )
            .prop_map(|(level, scope, properties)| S::ShowLabelGrants {
                level,
                scope,
                properties,
            })
            .boxed(),
        (t(), ident(), prop::option::of(string_lit()))
            .prop_map(|(tenant, group, comment)| S::AddGroup {
                tenant,
                group,
                comment,
            })
            .boxed(),
        (t(), ident())
            .prop_map(|(tenant, group)| S::RemoveGroup { tenant, group })
            .boxed(),
        (t(), prop::option::of(principal()))
            .prop_map(|(tenant, user)| S::ListGroups { tenant, user })
            .boxed(),
    ]);
    let change = prop_oneof![
        properties().prop_map(|properties| PropertyChange::Set { properties }),
        prop::collection::vec(string_lit(), 1..3).prop_map(|keys| PropertyChange::Unset { keys }),
    ];
    let alter = Union::new(vec![
        (t(), principal(), change.clone())
            .prop_map(|(tenant, principal, change)| S::AlterUser {
                tenant,
                principal,
                change,
            })
            .boxed(),
        (t(), ident(), change)
            .prop_map(|(tenant, role, change)| S::AlterRole {
                tenant,
                role,
                change,
            })
            .boxed(),
        (privileges(), grantee())
            .prop_map(|(privileges, grantee)| S::GrantSuper {
                privileges,
                grantee,
            })
            .boxed(),
        (privileges(), grantee())
            .prop_map(|(privileges, grantee)| S::RevokeSuper {
                privileges,
                grantee,
            })
            .boxed(),
    ]);
    let sql_side = Union::new(vec![
        prop::collection::vec(
            ("[a-z][a-z0-9_.]{0,12}", property_value()).prop_map(|(key, value)| ProjectProperty {
                key: Ident::new(key),
                value,
            }),
            0..3,
        )
        .prop_map(|properties| S::SetProject { properties })
        .boxed(),
        (
            t(),
            t(),
            ident(),
            object_name(),
            policy_targets(),
            raw_text(),
        )
            .prop_map(|(or_replace, if_not_exists, policy, table, to, filter)| {
                S::CreateRowAccessPolicy(CreateRowAccessPolicy {
                    or_replace,
                    if_not_exists,
                    policy,
                    table,
                    to,
                    filter,
                })
            })
            .boxed(),
        (ident(), object_name())
            .prop_map(|(policy, table)| S::DropRowAccessPolicy { policy, table })
            .boxed(),
        (ident(), object_name())
            .prop_map(|(policy, table)| S::DescribeRowAccessPolicy { policy, table })
            .boxed(),
        object_name()
            .prop_map(|table| S::ListRowAccessPolicies { table })
            .boxed(),
        (t(), ident(), policy_targets(), raw_text())
            .prop_map(
                |(if_not_exists, policy, to, method)| S::CreateMaskingPolicy {
                    if_not_exists,
                    policy,
                    to,
                    method,
                },
            )
            .boxed(),
        (ident(), object_name(), ident())
            .prop_map(|(policy, table, column)| S::ApplyMaskingPolicy {
                policy,
                table,
                column,
            })
            .boxed(),
        (ident(), object_name(), ident())
            .prop_map(|(policy, table, column)| S::UnapplyMaskingPolicy {
                policy,
                table,
                column,
            })
            .boxed(),
        ident()
            .prop_map(|policy| S::DropMaskingPolicy { policy })
            .boxed(),
        ident()
            .prop_map(|policy| S::DescribeMaskingPolicy { policy })
            .boxed(),
    ]);
    prop_oneof![
        users, roles, acl, session, packages, labels, alter, sql_side
    ]
}

/// Statements from the examples, as seeds for mutation.
fn example_statements() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../grammar/examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("grammar/examples exists") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("readable");
        out.extend(
            parse(&text)
                .statements
                .iter()
                .map(|s| text[s.span.range()].to_owned()),
        );
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn printed_statements_parse_back_to_the_same_tree(kind in statement_kind()) {
        let statement = Statement::new(kind);
        let printed = statement.to_string();
        let reparsed = parse_statement(&printed);
        prop_assert!(reparsed.is_ok(), "`{}` failed: {:?}", printed, reparsed);
        let reparsed = reparsed.unwrap_or_else(|_| unreachable!());
        prop_assert_eq!(&reparsed, &statement, "`{}`", printed);
        prop_assert_eq!(reparsed.to_string(), printed);
    }

    #[test]
    fn any_text_parses_without_panicking(text in "\\PC{0,200}") {
        let parsed = parse(&text);
        for error in &parsed.errors {
            prop_assert!(error.span.end <= text.len());
            prop_assert!(text.is_char_boundary(error.span.start) && text.is_char_boundary(error.span.end));
        }
        let _ = is_complete(&text);
    }

    #[test]
    fn mutated_statements_parse_without_panicking(
        index in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        insert in prop::sample::select(vec!["", ";", "`", "'", "\"", "(", ")", ",", "--", "\n#", "$", ":", "role/", "on", "to", "\u{0}", "；"]),
    ) {
        let seeds = example_statements();
        let seed = index.get(&seeds);
        let mut at = cut.index(seed.len() + 1);
        while !seed.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{}{}", &seed[..at], insert, &seed[at..]);
        let parsed = parse(&mutated);
        for error in &parsed.errors {
            prop_assert!(error.span.end <= mutated.len());
        }
        // Whatever parsed also prints and reads back.
        for statement in &parsed.statements {
            let printed = statement.to_string();
            let reparsed = parse_statement(&printed).ok();
            prop_assert_eq!(reparsed.as_ref(), Some(statement), "`{}`", printed);
        }
    }

    #[test]
    fn streaming_finds_what_parse_finds(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        noise in prop::sample::select(vec!["", "junk", ";;", "grant", "(", "-- c\n", "list users"]),
    ) {
        let seeds = example_statements();
        let mut text = String::new();
        for (i, pick) in picks.iter().enumerate() {
            let seed: &String = pick.get(&seeds);
            text.push_str(seed);
            text.push_str(if i % 3 == 2 { noise } else { ";\n" });
        }
        let whole = parse(&text);
        let mut statements = Vec::new();
        let mut errors = Vec::new();
        for item in mcauth_syntax::statements(&text) {
            match item {
                Ok(s) => statements.push(s),
                Err(e) => errors.push(e),
            }
        }
        prop_assert_eq!(statements, whole.statements);
        prop_assert_eq!(
            errors.iter().map(|e| (e.span, e.to_string())).collect::<Vec<_>>(),
            whole.errors.iter().map(|e| (e.span, e.to_string())).collect::<Vec<_>>()
        );
    }

    #[test]
    fn arbitrary_bytes_are_decoded_or_reported(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        match mcauth_syntax::decode(&bytes) {
            Ok(text) => { let _ = parse(text); }
            Err(error) => prop_assert!(error.span.start < bytes.len()),
        }
    }
}
