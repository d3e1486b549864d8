-- Rule g: owner, Super_Administrator, Admin and others.
-- run:
add accountprovider ram;
add user RAM$admin_user;
add user RAM$plain_user;
add user RAM$super_user;
grant admin to RAM$admin_user;
grant super_administrator to RAM$super_user;
-- run: --as RAM$owner@example.com:plain_user
add user RAM$newcomer;
-- run: --as RAM$owner@example.com:admin_user
add user RAM$newcomer;
-- run: --as RAM$owner@example.com:admin_user
grant admin to RAM$newcomer;
-- run: --as RAM$owner@example.com:admin_user
set ProjectProtection=true;
-- run: --as RAM$owner@example.com:super_user
grant admin to RAM$newcomer;
set ProjectProtection=true;
show securityconfiguration;
-- run: --as RAM$owner@example.com:super_user
remove accountprovider ram;
