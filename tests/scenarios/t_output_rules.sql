-- One rule for results on both backends: a change prints OK, a query
-- what it found and nothing when it found nothing (csv/tsv: the header);
-- -q hides OK and never a query's result; --echo names each result's
-- file:line and ends with a summary line.
-- run:
list trustedprojects;
create role reader;
list roles;
-- run: -q
create role writer;
list trustedprojects;
show principals writer;
list roles;
-- run: --echo
add user ALIYUN$fay@example.com;
grant reader to ALIYUN$fay@example.com;
show principals reader;
-- run: --echo --skip-existing --on-error continue
create role reader;
grant nobody to ALIYUN$fay@example.com;
list trustedprojects;
-- run: --format csv
create role auditor;
list trustedprojects;
list users;
show principals reader;
show securityconfiguration;
-- run: --format tsv
list roles;
describe role reader;
