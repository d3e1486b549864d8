-- A mistyped name gets a did-you-mean before any other help: roles,
-- members, privileges and object types; a principal whose `$…` a shell
-- took says so.
-- run:
add accountprovider ram;
create role reader;
add user RAM$owner@example.com:bob;
-- run: --on-error continue
grant readers to RAM$owner@example.com:bob;
grant reader to RAM$owner@example.com:bobb;
grant Slect on table t to role reader;
describe role raeder;
add user RAM;
add user ALIYUN;
-- run:
grant Select on tabel t to role reader;
-- run:
add user RAM:bob;
