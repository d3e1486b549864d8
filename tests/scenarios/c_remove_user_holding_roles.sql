-- Rule c: revoke roles before removing a user; the help is the exact fix.
-- run:
add accountprovider ram;
add user RAM$alice;
create role worker;
create role auditor;
grant worker, auditor to RAM$alice;
-- run:
remove user RAM$alice;
-- run:
revoke worker, auditor from RAM$alice;
remove user RAM$alice;
list users;
