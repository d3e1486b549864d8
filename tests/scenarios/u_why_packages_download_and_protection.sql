-- mcauth why: the layers about data leaving the project (Download
-- control, ProjectProtection and the trusted projects), packages shared
-- from here (with `using label`) and installed here, and the layers the
-- engine keeps but does not evaluate (installed packages, an object
-- creator nobody named), which the trace names as not modelled.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
grant Select, Download on table sales to RAM$owner@example.com:alice;
create package share;
add table sales to package share;
allow project partner to install package share using label 2;
install package other.kit;
setproject odps.security.enabledownloadprivilege=true;
set ProjectProtection=true;
add trustedproject partner;
-- ask: why alice Download on table sales
-- ask: why alice Select on table sales
-- ask: why alice Read on package other.kit
