-- Rule d: a removed user's grants stay dormant and come back when it is
-- added again; purge clears them, and only once the user is gone.
-- run:
add user ALIYUN$bob@example.com;
grant Select on table sales to user ALIYUN$bob@example.com;
-- run:
purge privs from user ALIYUN$bob@example.com;
-- run:
remove user ALIYUN$bob@example.com;
add user ALIYUN$bob@example.com;
show grants for ALIYUN$bob@example.com;
remove user ALIYUN$bob@example.com;
purge privs from user ALIYUN$bob@example.com;
add user ALIYUN$bob@example.com;
show grants for ALIYUN$bob@example.com;
