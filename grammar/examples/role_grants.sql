-- Granting and revoking roles (docs/language.md#role-grants)
grant Worker to ALIYUN$odps_test_user@aliyun.com;
grant Worker, prj_a_worker to RAM$acct:alice, RAM$acct:bob;
grant role Worker to user RAM$acct:carol;
grant admin to RAM$acct:dave with admin option;
grant Super_Administrator TO RAM$acct:erin;
revoke Worker from ALIYUN$odps_test_user@aliyun.com;
revoke role_project_security, role_project_admin from RAM$MainCount:hanmeimei;
revoke admin option for admin from RAM$acct:dave;
show role grant user RAM$acct:alice;
show role grant ALIYUN$odps_test_user@aliyun.com;
