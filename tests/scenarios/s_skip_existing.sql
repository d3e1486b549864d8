-- An onboarding script run twice: the second run fails on what is
-- already there, and the help offers --skip-existing before any fix that
-- takes something away; with --skip-existing it runs, reporting those
-- statements as skipped.
-- run:
add accountprovider ram;
create role reader;
add user RAM$owner@example.com:bob;
grant reader to RAM$owner@example.com:bob;
add trustedproject other;
-- run:
create role reader;
add user RAM$owner@example.com:bob;
grant reader to RAM$owner@example.com:bob;
add trustedproject other;
-- run: --skip-existing
create role reader;
create role writer;
add user RAM$owner@example.com:bob;
grant reader to RAM$owner@example.com:bob;
grant writer to RAM$owner@example.com:bob;
add trustedproject other;
show grants for RAM$owner@example.com:bob;
-- run: --skip-existing
-- Skipping a part would lose the rest: not skipped.
create role auditor;
grant writer, auditor to RAM$owner@example.com:bob;
-- run: --skip-existing
-- Every part already held: skipped whole.
grant reader, writer to RAM$owner@example.com:bob;
-- run: --skip-existing --format json
create role reader;
-- run: --skip-existing --dry-run
add user RAM$owner@example.com:bob;
