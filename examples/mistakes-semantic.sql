-- Statements that are well-formed but break MaxCompute's rules. Try:
--   mcauth --dry-run examples/mistakes-semantic.sql

remove accountprovider ram;                -- RAM members still exist
grant analyst to RAM$dave;                 -- dave is not a member of the project
remove user RAM$alice;                     -- alice still holds the analyst role
grant Select on function parse_log to role analyst;  -- Select is not a function privilege
