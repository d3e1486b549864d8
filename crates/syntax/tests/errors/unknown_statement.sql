lst users;
