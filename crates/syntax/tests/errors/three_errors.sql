-- three mistakes among valid statements
add accountprovider ram;
add user RAM$acct:alice;
list accountprovider;
grant Worker to RAM$acct:alice;
add user RAM$acct:role/etl;
create role Worker;
grant Select on table sales to;
list users;
