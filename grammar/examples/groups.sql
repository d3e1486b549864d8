-- Groups (docs/language.md#other-statements, grammar only)
add group data_team;
remove group data_team;
add tenant group data_team;
list groups;
list groups for user RAM$acct:alice;
list tenant groups;
show grants for group data_team;
add group reviewers comment 'reviews the sales tables';
