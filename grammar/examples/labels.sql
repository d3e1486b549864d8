-- Label security (§2.18)
set label 2 to table sales(customer_id, phone);
set label 3 to user RAM$acct:alice;
grant label 2 on table sales(phone) to user RAM$acct:alice with exp 30;
grant label 1 on table sales to role analyst;
revoke label on table sales(phone) from user RAM$acct:alice;
show label grants;
show label 2 grants on table sales for user RAM$acct:alice;
