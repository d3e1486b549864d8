grant worker(c1) to RAM$acct:bob;
