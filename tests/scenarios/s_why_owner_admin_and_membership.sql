-- mcauth why: the owner, the admin roles and membership decide before
-- any grant is read; the configuration switches grant kinds off.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:ada;
add user RAM$owner@example.com:sam;
add user RAM$owner@example.com:eve;
grant admin to RAM$owner@example.com:ada;
grant super_administrator to RAM$owner@example.com:sam;
grant Select on table t to RAM$owner@example.com:eve;
-- ask: why ALIYUN$owner@example.com Drop on table t
-- ask: why ada Drop on table t
-- ask: why sam CreateTable on project default
-- ask: why RAM$owner@example.com:mallory Select on table t
-- ask: who-can Drop on table t
-- run:
set CheckPermissionUsingACL=false;
-- ask: why eve Select on table t
-- ask: why nobody Select on table t
-- ask: why eve Select on project default
