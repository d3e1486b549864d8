-- mcauth why and who-can --to-project: may the data be read here and
-- taken to another project? While ProjectProtection is on, data leaves
-- only for the trusted projects or as the exception policy allows (alice
-- by name; bob only for a task type a question does not know, so his
-- answer is not verified); carol may read it but not take it out; dave
-- may not read it at all.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
add user RAM$owner@example.com:carol;
add user RAM$owner@example.com:dave;
grant Select on table sales to RAM$owner@example.com:alice;
grant Select on table sales to RAM$owner@example.com:bob;
grant Select on table sales to RAM$owner@example.com:carol;
set ProjectProtection=true with exception examples/policies/protection-exception.json;
add trustedproject partner;
-- ask: why carol Select on table sales --to-project partner
-- ask: why carol Select on table sales --to-project elsewhere
-- ask: why alice Select on table sales --to-project elsewhere
-- ask: why bob Select on table sales --to-project elsewhere
-- ask: why dave Select on table sales --to-project partner
-- ask: who-can Select on table sales --to-project elsewhere
-- ask: who-can Select on table sales --to-project partner --format json
