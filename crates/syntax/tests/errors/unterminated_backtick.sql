add user `RAM$acct:role/etl;
