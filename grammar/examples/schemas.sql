-- The three-tier model: project.schema.table (schema mode is a session flag)
set odps.namespace.schema=true;
grant Select on table finance.ledger to role analyst;
grant Select on table test_project_a.finance.ledger to user RAM$acct:alice;
grant List, CreateTable on schema finance to role analyst;
revoke CreateTable on schema finance from role analyst;
show grants for role analyst on type schema;
show acl for finance on type schema;
set odps.namespace.schema=false;
