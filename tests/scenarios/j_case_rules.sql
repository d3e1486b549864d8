-- Rule j: keywords, roles and privileges are case-insensitive; roles list
-- in lower case; principals display with upper-case providers.
-- run:
ADD AccountProvider RAM;
Add User ram$Alice;
CREATE ROLE Worker;
grant WORKER to RAM$owner@example.com:Alice;
GRANT select ON TABLE Sales TO ROLE worker;
list roles;
list users;
show grants for role WORKER;
