-- Rule h: privileges must suit the object; grantees must exist; policy
-- grants go to roles only; admin-type roles take policy grants only.
-- run:
create role analyst;
create role ops privilegeproperties("type"="admin");
add user ALIYUN$erin@example.com;
grant Select on table sales to role analyst;
grant CreateTable, List on project default to user ALIYUN$erin@example.com;
grant Execute on function parse_log to role analyst;
-- run:
grant Select on function parse_log to role analyst;
-- run:
grant Select on table sales to role nobody;
-- run:
grant Select on table sales to user ALIYUN$erin@example.com privilegeproperties("policy"="true", "allow"="true");
-- run:
grant Select on table sales to role ops;
-- run:
grant Select on table sales to role ops privilegeproperties("policy"="true", "allow"="true");
show grants for role analyst;
show acl for sales;
describe role analyst;
