-- Packages (§2.18)
create package datashare;
add table sales to package datashare with privileges Describe, Select;
add resource udtf.jar to package datashare;
remove table sales from package datashare;
allow project partner_project to install package datashare using label 2;
disallow project partner_project to install package datashare;
install package test_project_a.datashare;
uninstall package test_project_a.datashare;
show packages;
describe package datashare;
show package test_project_a.datashare;
drop package datashare;
delete package old_share;
