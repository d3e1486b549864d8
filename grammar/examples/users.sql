-- Project users (docs/language.md#users, docs/seeds.md#project-users)
add user ALIYUN$odps_test_user@aliyun.com;
add user aliyun$5527xxxxxxxx5788;
add user RAM$ram_test;
add user RAM$odps_test_user@aliyun.com:ram_test;
add user ram$5527xxxxxxxx5788:2763xxxxxxxxxx1649;
add user `RAM$odps_test_user@aliyun.com:role/ram_role`;
add user alice comment 'the data team lead';
remove user ALIYUN$odps_test_user@aliyun.com;
remove user RAM$ram_test;
remove user `RAM$odps_test_user@aliyun.com:role/ram_role`;
remove user p4_2652900xxxxxxxxxx;
list users;
