-- mcauth why and who-can: ACL grants to the user and to each of its
-- roles, policy grants (Allow, Deny, patterns, conditions, expiry), and
-- an explicit Deny beating an Allow. Each question shows the layer that
-- decided, and the grants consulted that did not apply, and why.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
add user RAM$owner@example.com:carol;
create role analyst;
create role auditor;
grant analyst to RAM$owner@example.com:alice;
grant auditor to RAM$owner@example.com:alice;
grant analyst to RAM$owner@example.com:bob;
grant Select on table sales to role analyst;
grant Describe on table sales to RAM$owner@example.com:carol;
grant Describe on table sales_* to role auditor privilegeproperties("policy"="true", "allow"="true");
grant Select on table sales to role auditor privilegeproperties("policy"="true", "allow"="false");
grant Select on table leads to role analyst privilegeproperties("conditions"="acs:SourceIp in ('10.0.0.0/8')", "expires"="10");
-- ask: why bob Select on table sales
-- ask: why alice Select on table sales
-- ask: why RAM$owner@example.com:alice Describe on table sales_2026
-- ask: why carol Select on table sales
-- ask: why bob Select on table leads
-- ask: why role analyst Drop on table sales
-- ask: who-can Select on table sales
-- ask: who-can Describe on table sales_2026
-- ask: why alice Select on table sales --format json
