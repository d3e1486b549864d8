add user RAM$acct:alice
list users;
