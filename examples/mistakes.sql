-- A script full of mistakes, to show what mcauth catches before anything
-- reaches MaxCompute. Try:  mcauth check examples/mistakes.sql
-- and then:                 mcauth --dry-run examples/mistakes-semantic.sql

list accountprovider;                      -- misspelt keyword
add user RAM$acme_corp:role/etl_runner;    -- a RAM role needs backticks
grant CreateTable to RAM$alice;            -- a privilege with no `on` clause
add user RAM$carol                         -- a missing `;`
create role auditor;
