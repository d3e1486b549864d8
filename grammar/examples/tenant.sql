-- Tenant (account-level) users and roles (docs/language.md#tenant-statements)
add tenant user RAM$acct:alice;
remove tenant user RAM$acct:alice;
create tenant role data_readers;
drop tenant role data_readers;
describe tenant role data_readers;
grant tenant role data_readers to tenant user RAM$acct:alice;
revoke tenant role data_readers from tenant user RAM$acct:alice;
list tenant users;
list tenant roles;
show principals for tenant role data_readers;
add tenant role data_readers to project test_project_a;
remove tenant role data_readers from project test_project_a;
