-- Clearing the grants a removed user or dropped role left behind (docs/language.md#purge-privs)
purge privs from role Worker;
purge privileges from user RAM$acct:alice;
purge privs from ALIYUN$left@aliyun.com;
