//! The typed syntax tree. Every node carries its byte span as a
//! [`NodeSpan`](crate::NodeSpan), which takes no part in equality.
//! `Display` prints the canonical form.

mod display;
mod names;
mod principal;
mod statement;

pub use names::{FilePath, Ident, ObjectName, Properties, Property, RawText, StringLit};
pub use principal::{Grantee, Principal, PrincipalKind};
pub use statement::{
    CreateRowAccessPolicy, GrantLabel, GrantsFilter, LabelGrantsScope, LabelTarget, Object,
    PartitionLiteral, PartitionValue, PolicyTargets, Privilege, ProjectProperty, ProjectScope,
    PropertyChange, RoleRef, SetValue, Setting, Statement, StatementKind,
};

#[cfg(test)]
mod size_tests {
    #[test]
    fn print_sizes() {
        eprintln!("Statement {}", std::mem::size_of::<super::Statement>());
        eprintln!("Principal {}", std::mem::size_of::<super::Principal>());
        eprintln!("Grantee {}", std::mem::size_of::<super::Grantee>());
        eprintln!("Object {}", std::mem::size_of::<super::Object>());
    }
}
