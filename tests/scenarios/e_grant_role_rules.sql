-- Rule e: the role must exist and the principal must be a member; a role
-- cannot be granted twice, nor revoked when not held.
-- run:
grant worker to ALIYUN$carol@example.com;
-- run:
create role worker;
-- run:
grant worker to ALIYUN$carol@example.com;
-- run:
add user ALIYUN$carol@example.com;
grant worker to ALIYUN$carol@example.com;
-- run:
grant worker to ALIYUN$carol@example.com;
-- run:
revoke worker from ALIYUN$carol@example.com;
-- run:
revoke worker from ALIYUN$carol@example.com;
