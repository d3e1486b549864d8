-- Every statement of the "user planning and management" page
-- (docs/seeds.md#project-users), as the documentation writes it.
add user ALIYUN$odps_test_user@aliyun.com;
remove user ALIYUN$odps_test_user@aliyun.com;
--收回赋予用户的角色。
revoke Worker from ALIYUN$odps_test_user@aliyun.com;
add user RAM$ram_test;
add user RAM$odps_test_user@aliyun.com:ram_test;
remove user RAM$ram_test;
remove user RAM$odps_test_user@aliyun.com:ram_test;
revoke Worker from RAM$odps_test_user@aliyun.com:ram_test;
remove accountprovider ram;
add user `RAM$odps_test_user@aliyun.com:role/ram_role`;
remove user `RAM$odps_test_user@aliyun.com:role/ram_role`;
list users;
list accountproviders;
add accountprovider ram;
