-- Project roles (docs/language.md#roles)
create role Worker;
create role sale_admin privilegeproperties("type"="admin");
create role prj_a_worker comment 'reads sales' privilegeproperties("type" = "resource");
list roles;
show roles;
describe role Worker;
desc role role_project_admin;
show principals Worker;
show principals for role Worker;
drop role Worker;
delete role prj_a_worker;
