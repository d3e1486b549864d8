-- mcauth audit: every rule, each finding with its severity, code and the
-- statement that fixes it; --fail-on for CI.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:a;
add user RAM$owner@example.com:b;
add user RAM$owner@example.com:c;
add user RAM$owner@example.com:gone;
grant super_administrator to RAM$owner@example.com:a;
grant admin to RAM$owner@example.com:b;
create role empty;
create role idle;
grant idle to RAM$owner@example.com:c;
grant Select on table t to RAM$owner@example.com:b;
grant Select on table t to RAM$owner@example.com:c;
grant Describe on table t to RAM$owner@example.com:gone;
remove user RAM$owner@example.com:gone;
create role wide;
grant wide to RAM$owner@example.com:c;
grant Select on table * to role wide privilegeproperties("policy"="true", "allow"="true");
set LabelSecurity=true;
set label 3 to table t(ssn);
grant label 3 on table t(ssn) to user RAM$owner@example.com:c with exp 5;
-- ask: audit
-- ask: audit --expiring-within 3 --fail-on high
-- ask: audit --format json --fail-on low
