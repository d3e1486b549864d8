-- A syntax error anywhere means nothing runs (exit 2).
-- run:
create role worker;
list rolez;
create role auditor
-- run:
list roles;
