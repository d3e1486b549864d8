-- The three-tier model: the session flag odps.namespace.schema decides
-- how a.b and a.b.c read; schema is an object type of its own.
-- run:
create role analyst;
set odps.namespace.schema=true;
grant Select on table finance.ledger to role analyst;
grant Select on table default.finance.budget to role analyst;
grant List, CreateTable on schema finance to role analyst;
show grants for role analyst;
show grants for role analyst on type schema;
-- run:
grant Select on table finance.ledger to role analyst;
-- run:
set odps.namespace.schema=false;
grant Select on table default.finance.ledger to role analyst;
