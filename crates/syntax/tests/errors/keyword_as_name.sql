grant Select on table sales to role;
