create role sales.team;
