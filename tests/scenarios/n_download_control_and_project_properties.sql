-- Download control is a project property: setproject switches it, show
-- securityconfiguration reports it. Only the owner or Super_Administrator
-- sets properties; any member reads them with setproject alone.
-- run:
setproject odps.security.enabledownloadprivilege=true odps.security.ip.whitelist=10.0.0.1,10.0.0.2 motd="hello world";
show securityconfiguration;
setproject;
setproject odps.security.enabledownloadprivilege=true;
-- run:
setproject odps.security.enabledownloadprivilege=yes;
-- run:
add user ALIYUN$ada@example.com;
grant admin to ALIYUN$ada@example.com;
-- run: --as ALIYUN$ada@example.com
setproject;
-- run: --as ALIYUN$ada@example.com
setproject odps.security.enabledownloadprivilege=false;
