-- Querying grants (docs/language.md#grant-queries)
show grants;
show grants for RAM$acct:alice;
show grants for user RAM$acct:alice on type table;
show grants for role Worker;
show grants for tenant role data_readers;
show grants for tenant user RAM$acct:alice;
show grants on table sales;
show grant RAM$acct:alice;
show acl for sales;
show acl for sale_detail on type table;
show acl for test_project_a on type project;
show acl for alipaydw.alipaydw_for_alisec_app on type package;
clear expired grants;
