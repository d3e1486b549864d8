-- mcauth why and who-can: ObjectCreator. The creator of an object (its
-- owner in MaxCompute's metadata) may use every privilege on it while
-- ObjectCreatorHasAccessPermission is true (the default); an explicit
-- Deny still beats it; with the flag false it does not apply. The store
-- does not know creators: `--owner` names the owner. Against MaxCompute
-- (tests/cli/parity.rs) the owner is read from the table's metadata: the
-- emulator declares the table below and the remote runs leave out
-- `--owner`. A table nobody declared has no known owner on either side.
-- table: sales owner RAM$owner@example.com:bob
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
create role guarded;
grant Select on table sales to RAM$owner@example.com:alice;
-- ask: why bob Select on table sales --owner RAM$owner@example.com:bob
-- ask: why alice Select on table sales --owner RAM$owner@example.com:bob
-- ask: who-can Drop on table sales --owner RAM$owner@example.com:bob
-- ask: who-can Drop on table sales --owner RAM$owner@example.com:bob --format json
-- ask: why bob Drop on table orders
-- run:
grant guarded to RAM$owner@example.com:bob;
grant Drop on table sales to role guarded privilegeproperties("policy"="true", "allow"="false");
-- ask: why bob Drop on table sales --owner RAM$owner@example.com:bob
-- run:
set ObjectCreatorHasAccessPermission=false;
-- ask: why bob Select on table sales --owner RAM$owner@example.com:bob --format json
