-- Rule b: RAM$name means a RAM user of the caller's account; another
-- account's RAM user cannot be added directly.
-- run:
add accountprovider ram;
add user RAM$alice;
add user ram$owner@example.com:bob;
list users;
-- run:
add user RAM$other@example.com:mallory;
