-- Sharing and restricting data: download control, schemas, packages,
-- label security, and the access rules that live on the SQL side.
-- Run it with:  mcauth examples/data-access.sql
-- (after examples/onboarding.sql, which adds RAM$alice, RAM$bob and the
-- role analyst)

-- Download control: only those granted Download may export data.
setproject odps.security.enabledownloadprivilege=true;
show securityconfiguration;
grant Download on table sales_daily to role analyst;

-- Project properties are kept as given; `setproject;` shows them.
setproject odps.security.ip.whitelist=10.0.0.1,10.0.0.2;
setproject;

-- The three-tier model: in schema mode, finance.ledger is schema.table.
set odps.namespace.schema=true;
grant Select on table finance.ledger to role analyst;
grant List on schema finance to role analyst;
show grants for role analyst;
set odps.namespace.schema=false;

-- A grant on one day's partition.
grant Select on table sales partition(ds='20240101') to user RAM$bob;

-- Share the daily sales with a partner project through a package.
create package daily_share;
add table sales_daily to package daily_share with privileges Select;
allow project partner_project to install package daily_share using label 2;
show package items;
describe package daily_share;

-- Label security: Bob may read columns labelled up to 2 for 30 days.
set label 2 to table sales(phone);
grant label 2 on table sales(phone) to user RAM$bob with exp 30;

-- Row-level access: Alice sees the China rows, everyone else none.
create row access policy sales_cn on sales to user RAM$alice filter using (region = 'cn');
create row access policy sales_none on sales to default filter using (1 = 0);
list row access policy on sales;

-- Dynamic data masking: analysts see customers' phone numbers masked.
create data masking policy phone_mask to role analyst using MASKED_STRING_MASKED_BA(3, 4);
apply data masking policy phone_mask bind to table customers column phone;
describe data masking policy phone_mask;
