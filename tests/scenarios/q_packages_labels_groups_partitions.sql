-- The Java SDK grammar's package, label, group and partition forms:
-- parsed, kept, and checked where the documentation says how; where it
-- does not, mcauth keeps them and warns that it did not verify them.
-- run:
add user ALIYUN$ada@example.com;
create package share;
add table sales to package share with privileges Select privilegeproperties("label"="2");
allow project partner to install package share with Select, Describe using label 2;
allow project * to install package share;
describe package share;
show packages with table sales;
show package items on type table;
desc package items table sales;
disallow project * to install package share;
grant Select on table sales partition(ds='20240101') to user ALIYUN$ada@example.com;
show grants for ALIYUN$ada@example.com;
add group reviewers comment 'reviews the sales tables';
list groups;
-- run:
add group reviewers;
-- run:
grant Select on table sales to group reviewers;
