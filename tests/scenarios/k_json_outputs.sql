-- Results as JSON have one shape on both backends: `output` is the
-- result's `type` and its `data`, and `text` is what the text form prints.
-- run:
create role worker;
add user ALIYUN$fay@example.com;
grant worker to ALIYUN$fay@example.com;
grant Select on table sales to role worker;
-- run: --format json --on-error continue
create role reader;
list roles;
list users;
show grants for ALIYUN$fay@example.com;
describe role worker;
show principals worker;
list trustedprojects;
drop role nosuchrole;
