-- Rule a: a RAM principal needs the RAM account provider.
-- run:
add user RAM$alice;
-- run:
list accountproviders;
add accountprovider ram;
list accountproviders;
add user RAM$alice;
list users;
