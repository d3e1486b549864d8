grant CreateTable to RAM$acct:alice;
