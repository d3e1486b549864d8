-- Rule f: a role cannot be dropped while assigned; its grants pass to a
-- re-created role of the same name until purged; built-ins stay.
-- run:
create role worker;
grant Select on table sales to role worker;
add user ALIYUN$dan@example.com;
grant worker to ALIYUN$dan@example.com;
-- run:
drop role worker;
-- run:
drop role admin;
-- run:
revoke worker from ALIYUN$dan@example.com;
drop role worker;
create role worker;
show grants for role worker;
drop role worker;
purge privs from role worker;
create role worker;
show grants for role worker;
