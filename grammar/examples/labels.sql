-- Label security (docs/language.md#other-statements)
set label 2 to table sales(customer_id, phone);
set label 3 to user RAM$acct:alice;
grant label 2 on table sales(phone) to user RAM$acct:alice with exp 30;
grant label 1 on table sales to role analyst;
revoke label on table sales(phone) from user RAM$acct:alice;
show label grants;
show label 2 grants on table sales for user RAM$acct:alice;
-- Forms of the Java SDK's command grammar
grant label 2 on table sales(phone) to user RAM$acct:alice with exp 30 privilegeproperties("a" = "b");
revoke label on table sales(phone) from user RAM$acct:alice privilegeproperties("a" = "b");
show label grants for table sales;
show label grants for role analyst;
show label grants on table sales privilegeproperties("a" = "b");
