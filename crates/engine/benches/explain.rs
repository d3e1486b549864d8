//! `who-can` and `audit` on a large project: 10,000 members, 200 roles,
//! 100,000 grants (the sizes of the README's performance table), a
//! 20-statement project policy and a policy on every role. The project is
//! built with engine changes directly, so only the questions are timed.
//!
//! ```text
//! cargo bench -p mcauth-engine --bench explain
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mcauth_engine::audit::{AuditOptions, audit};
use mcauth_engine::{
    Change, GrantKey, GrantKind, GranteeId, ObjectKind, ObjectRef, PolicySlot, PrincipalId,
    Privilege, ProjectState, Provider, RoleName, RoleType, apply, who_can,
};

const MEMBERS: usize = 10_000;
const ROLES: usize = 200;
const GRANTS: usize = 100_000;
const TABLES: usize = 1_000;

fn project() -> ProjectState {
    let mut s = ProjectState::new("big", PrincipalId::aliyun("owner@x.com"));
    apply(
        &mut s,
        &Change::AddProvider {
            provider: Provider::Ram,
        },
    );
    let users: Vec<PrincipalId> = (0..MEMBERS)
        .map(|i| PrincipalId::ram_user("owner@x.com", &format!("u{i:05}")))
        .collect();
    for u in &users {
        apply(
            &mut s,
            &Change::AddMember {
                principal: u.clone(),
            },
        );
    }
    let roles: Vec<RoleName> = (0..ROLES)
        .map(|i| RoleName::new(&format!("r{i:03}")))
        .collect();
    for r in &roles {
        apply(
            &mut s,
            &Change::CreateRole {
                role: r.clone(),
                role_type: RoleType::Resource,
                comment: None,
            },
        );
    }
    // Each member holds two roles.
    for (i, u) in users.iter().enumerate() {
        for r in [&roles[i % ROLES], &roles[(i * 7 + 3) % ROLES]] {
            apply(
                &mut s,
                &Change::GrantRole {
                    role: r.clone(),
                    principal: u.clone(),
                },
            );
        }
    }
    apply(
        &mut s,
        &Change::GrantRole {
            role: RoleName::admin(),
            principal: users[0].clone(),
        },
    );
    let privileges = [
        Privilege::Select,
        Privilege::Describe,
        Privilege::Alter,
        Privilege::Drop,
    ];
    // A fifth of the grants go to roles, the rest to users directly.
    for g in 0..GRANTS {
        let grantee = if g % 5 == 0 {
            GranteeId::Role(roles[g % ROLES].clone())
        } else {
            GranteeId::User(users[g % MEMBERS].clone())
        };
        let key = GrantKey {
            object: ObjectRef::new(ObjectKind::Table, format!("t{:04}", (g / 7) % TABLES)),
            privilege: privileges[g % privileges.len()],
            kind: if g % 97 == 0 {
                GrantKind::Policy { allow: false }
            } else {
                GrantKind::Acl
            },
        };
        apply(
            &mut s,
            &Change::AddAclGrant {
                grantee,
                grant: key,
                props: Default::default(),
            },
        );
    }
    // A project policy of 20 statements and a policy on every role.
    let statements: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"{{"Effect": "{}", "Principal": "RAM$owner@x.com:u{i:02}*", "Action": "odps:Select", "Resource": "acs:odps:*:projects/big/tables/t{i:02}*"}}"#,
                if i % 2 == 0 { "Deny" } else { "Allow" }
            )
        })
        .collect();
    apply(
        &mut s,
        &Change::PutPolicy {
            slot: PolicySlot::Project,
            document: format!(
                r#"{{"Version": "1", "Statement": [{}]}}"#,
                statements.join(", ")
            ),
        },
    );
    for (i, r) in roles.iter().enumerate() {
        apply(
            &mut s,
            &Change::PutPolicy {
                slot: PolicySlot::Role(r.clone()),
                document: format!(
                    r#"{{"Version": "1", "Statement": [{{"Effect": "Allow", "Action": ["odps:Describe", "odps:Select"], "Resource": "acs:odps:*:projects/big/tables/t{:02}*"}}]}}"#,
                    i % 100
                ),
            },
        );
    }
    s
}

fn bench(c: &mut Criterion) {
    let s = project();
    let table = ObjectRef::new(ObjectKind::Table, "t0042");
    let found = who_can(&s, Privilege::Select, &table, None, None);
    assert!(
        found.principals.len() > 1,
        "the benchmark asks a question with answers"
    );
    let mut group = c.benchmark_group("explain");
    group.sample_size(20);
    group.bench_function("who_can 10k members, 200 roles, 100k grants", |b| {
        b.iter(|| {
            who_can(
                black_box(&s),
                Privilege::Select,
                black_box(&table),
                None,
                None,
            )
        })
    });
    group.bench_function("audit 10k members, 200 roles, 100k grants", |b| {
        b.iter(|| {
            audit(
                black_box(&s),
                AuditOptions {
                    now: Some(1_800_000_000),
                    expiring_within_days: 30,
                },
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
