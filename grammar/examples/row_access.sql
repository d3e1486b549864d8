-- Row-level access control (the SQL side of access control)
-- MaxCompute documents CREATE/REPLACE, DROP, DESC and LIST; `list … on t` is
-- also in the Java SDK's tests (see grammar/mcauth.ebnf).
create row access policy sales_cn on sales to user RAM$acct:alice, RAM$acct:bob filter using (region = 'cn');
create or replace row access policy sales_cn on sales to role analyst filter using (region in ('cn', 'hk') and ds >= '20240101');
create row access policy if not exists sales_rest on sales to default filter using (1 = 0);
list row access policy on sales;
desc row access policy sales_cn on sales;
drop row access policy sales_rest on sales;
