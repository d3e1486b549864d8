add user RAM$odps_test_user@aliyun.com:role/ram_role;
