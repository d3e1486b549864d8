-- Offboarding Bob: revoke his roles, then remove him, then clear what is left.
-- Removing a RAM user who still holds roles would leave an unremovable
-- p4_… member behind in MaxCompute, so mcauth refuses to do it in that order.

revoke analyst from RAM$bob;
remove user RAM$bob;

-- His direct grants stay behind, dormant, until purged.
purge privs from user RAM$bob;

list users;
