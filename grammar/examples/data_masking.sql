-- Dynamic data masking (the SQL side of access control)
-- The first create and the apply are forms the Java SDK's tests run (and
-- MASKED_STRING_MASKED_BA(2, 5) a method they use); the rest are not in a
-- source mcauth could check (see grammar/mcauth.ebnf).
create data masking policy if not exists phone_plain to default using UNMASKED;
create data masking policy phone_mask to role analyst, ops using MASKED_STRING_MASKED_BA(2, 5);
create data masking policy email_hash to user RAM$acct:carol using MASKED_HASH;
apply data masking policy phone_mask bind to table customers column phone;
unapply data masking policy phone_mask unbind from table customers column phone;
describe data masking policy phone_mask;
drop data masking policy email_hash;
