-- Onboarding a data team to a MaxCompute project.
-- Run it with:  mcauth examples/onboarding.sql
-- (on the embedded store: the project is created on first use, with you as its owner)

-- RAM users need the RAM account provider first.
add accountprovider ram;
list accountproviders;

-- Add the team. RAM$<name> means a RAM user of your own account.
add user RAM$alice;
add user RAM$bob;

-- A role for analysts, with read access to the sales tables.
create role analyst;
grant Describe, Select on table sales to role analyst;
grant Select on table sales_daily to role analyst;

-- Give the role to the people who need it.
grant analyst to RAM$alice, RAM$bob;

-- Bob also reads the raw data directly.
grant Select on table sales_raw to user RAM$bob;

list users;
list roles;
show grants for role analyst;
