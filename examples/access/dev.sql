-- The access project dev should have, kept as code (see "Access as code"
-- in the README). It began as `mcauth export --project dev --out .` after
-- examples/onboarding.sql, and was then edited: bob has left, carol has
-- joined, and analysts read sales_weekly instead of sales_daily.
--
-- The header says what this file manages; kinds it leaves out (flags,
-- labels, packages, policies…) are left alone by `plan` and `apply`.
-- mcauth: manage providers, users, roles, role-grants, grants

add accountprovider ram;

-- Names without an account are read in the caller's: RAM$alice is
-- RAM$<account>:alice, and the two never differ in a plan.
add user RAM$alice;
add user RAM$carol;

create role analyst;
grant Describe, Select on table sales to role analyst;
grant Select on table sales_weekly to role analyst;

grant analyst to RAM$alice, RAM$carol;
