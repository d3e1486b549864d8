-- mcauth why and who-can: Download control decides a download. While
-- odps.security.enabledownloadprivilege is not true MaxCompute does not
-- check Download, so whoever may Select a table may download it (and a
-- Download grant alone does not let anyone read it); once it is true, a
-- download needs Download itself. A Select keeps the note.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
grant Select on table sales to RAM$owner@example.com:alice;
grant Download on table sales to RAM$owner@example.com:bob;
-- ask: why alice Download on table sales
-- ask: why bob Download on table sales
-- ask: who-can Download on table sales
-- run:
setproject odps.security.enabledownloadprivilege=true;
-- ask: why alice Download on table sales
-- ask: why bob Download on table sales
-- ask: why alice Select on table sales
-- ask: who-can Download on table sales
