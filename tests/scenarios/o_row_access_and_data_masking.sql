-- Row access policies and data masking policies are kept on the model:
-- Admin and above manage them; a policy name is unique per table (row
-- access) or per project (masking); a table takes one kind, not both.
-- run:
create row access policy sales_cn on sales to user ALIYUN$ada@example.com filter using (region = 'cn');
create row access policy if not exists sales_cn on sales to default filter using (1 = 1);
create row access policy sales_rest on sales to default filter using (1 = 0);
list row access policy on sales;
create data masking policy phone_mask to role analyst using MASKED_HASH;
apply data masking policy phone_mask bind to table customers column phone;
describe data masking policy phone_mask;
-- run:
create row access policy sales_cn on sales to default filter using (1 = 1);
-- run:
apply data masking policy phone_mask bind to table sales column phone;
-- run:
create row access policy c on customers to default filter using (1 = 1);
-- run:
drop row access policy sales_rest on sales;
drop row access policy sales_rest on sales;
-- run: --on-error continue
unapply data masking policy phone_mask unbind from table customers column phone;
drop data masking policy phone_mask;
describe data masking policy phone_mask;
