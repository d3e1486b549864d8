add user RMA$acct:alice;
