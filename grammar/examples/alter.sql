-- Changing properties of users and roles (docs/language.md#other-statements, grammar only)
alter user RAM$acct:alice set privilegeproperties("expires" = "30");
alter role Worker set privilegeproperties("type" = "resource");
alter tenant role data_readers unset privilegeproperties("expires");
grant super CreateTable to user RAM$acct:alice;
revoke super CreateTable from user RAM$acct:alice;
