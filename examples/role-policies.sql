-- A role's access written as a RAM-style policy document.
-- Run it with:  mcauth examples/role-policies.sql
-- The file is linted before anything runs: a policy with errors stops the script.

create role reporting;
put policy examples/policies/analyst-role.json on role reporting;

-- What was stored comes back as it was written.
get policy on role reporting;

-- A role's policy goes with the role.
drop role reporting;
