-- The documented text formats of queries.
-- run:
whoami;
show grants;
show securityconfiguration;
list accountproviders;
create role worker;
grant CreateTable, CreateInstance on project default to role worker;
add user ALIYUN$fay@example.com;
grant worker to ALIYUN$fay@example.com;
describe role worker;
show principals worker;
-- run: --format json
list roles;
grant worker to ALIYUN$nobody@example.com;
