-- Clearing the grants a removed user or dropped role left behind (§2.14)
purge privs from role Worker;
purge privileges from user RAM$acct:alice;
purge privs from ALIYUN$left@aliyun.com;
