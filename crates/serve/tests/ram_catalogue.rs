//! The engine names the RAM action of each tenant-level statement
//! (`mcauth_engine::ram_request`); the policy crate's catalogue (docs/seeds.md#ram-permissions)
//! says which actions exist and what they act on. The two crates do not
//! depend on each other, so this test keeps them in step.

use mcauth_engine::ram_request;
use mcauth_policy::action_info;

const TENANT_STATEMENTS: &[&str] = &[
    "add tenant user RAM$a:x;",
    "remove tenant user RAM$a:x;",
    "list tenant users;",
    "show principals for tenant role r;",
    "grant tenant role r to user RAM$a:x;",
    "revoke tenant role r from user RAM$a:x;",
    "list tenant roles;",
    "describe tenant role r;",
    "create tenant role r;",
    "drop tenant role r;",
    "get policy on tenant role r;",
    "put policy p.json on tenant role r;",
];

#[test]
fn every_tenant_action_is_catalogued_with_a_matching_resource() {
    for text in TENANT_STATEMENTS {
        let parsed = mcauth_syntax::parse(text);
        assert!(parsed.errors.is_empty(), "{text}");
        let request = ram_request(&parsed.statements[0])
            .unwrap_or_else(|| panic!("`{text}` names no RAM action"));
        let info = action_info(request.action).unwrap_or_else(|| {
            panic!(
                "{} is not in MaxCompute's RAM permission table",
                request.action
            )
        });
        // The catalogue's patterns end in the resource: `tenantUsers/*`,
        // `tenantRoles/*` or `tenantRoles/${role-name}`.
        let fits = info.arns.iter().any(|pattern| {
            let tail = pattern.rsplit_once("}:").map_or(*pattern, |(_, t)| t);
            tail == request.resource
                || tail
                    .strip_suffix("${role-name}")
                    .is_some_and(|prefix| request.resource.starts_with(prefix))
        });
        assert!(
            fits,
            "`{text}`: {} on {} fits none of {:?}",
            request.action, request.resource, info.arns
        );
    }
}
