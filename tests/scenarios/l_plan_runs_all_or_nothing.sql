-- A script runs only if every statement passes its checks; --dry-run
-- shows the plan; --on-error continue runs what passes.
-- run:
create role worker;
grant worker to ALIYUN$ghost@example.com;
-- run:
list roles;
-- run: --dry-run
create role worker;
add user ALIYUN$gil@example.com;
grant worker to ALIYUN$ghost@example.com;
-- run: --on-error continue
create role worker;
grant worker to ALIYUN$ghost@example.com;
list roles;
