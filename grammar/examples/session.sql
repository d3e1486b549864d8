-- Who am I, and the project's security configuration (docs/language.md#whoami, #security-configuration)
whoami;
show securityconfiguration;
set CheckPermissionUsingACL=true;
set CheckPermissionUsingPolicy=true;
set ObjectCreatorHasAccessPermission=true;
set ObjectCreatorHasGrantPermission=false;
set ProjectProtection=false;
set ProjectProtection=true with exception exception_policy.json;
set LabelSecurity=false;
set ExternalResourceAccessControl=false;
set odps.namespace.schema=true;
