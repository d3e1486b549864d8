-- Packages (docs/language.md#other-statements)
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
-- Forms of the Java SDK's command grammar (meaning undocumented: parsed and kept)
add table sales_daily to package datashare with privileges Select privilegeproperties("label" = "2");
allow project partner_project to install package datashare with Select, Describe;
allow project partner_project to install package datashare using label 2 exp 10;
allow project * to install package datashare;
disallow project * to install package datashare;
install package test_project_a.datashare privilegeproperties("label" = "2");
uninstall package test_project_a.datashare privilegeproperties("label" = "2");
show packages with table sales;
show packages privilegeproperties("label" = "2");
desc package test_project_a.datashare privilegeproperties("a" = "b");
show package items;
show package items from test_project_a on type table privilegeproperties("a" = "b");
desc package items table sales from test_project_a;
