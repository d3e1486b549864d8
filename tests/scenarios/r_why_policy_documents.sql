-- mcauth why and who-can: the project policy and the policies of the
-- roles a principal holds decide. A project policy Deny beats an ACL
-- grant; a role policy Allow with a wildcard resource allows the role's
-- holders; a Deny whose condition needs context a question does not know
-- (the source IP) leaves an Allow not verified. The documents are the
-- files in examples/policies.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
create role analyst;
grant analyst to RAM$owner@example.com:alice;
grant analyst to RAM$owner@example.com:bob;
grant Select on table sales to role analyst;
put policy examples/policies/project-deny-sales.json;
put policy examples/policies/sales-tables-role.json on role analyst;
-- ask: why bob Select on table sales
-- ask: why alice Select on table sales
-- ask: why alice Describe on table sales_2026
-- ask: why role analyst Select on table sales_eu
-- ask: why alice Drop on table sales_2026
-- ask: why alice Drop on table sales
-- ask: why ALIYUN$owner@example.com Drop on table sales_2026
-- ask: who-can Select on table sales
-- ask: who-can Describe on table sales_2026
-- ask: why bob Select on table sales --format json
