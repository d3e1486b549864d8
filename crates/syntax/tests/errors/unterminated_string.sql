create role analyst comment 'reads sales;
list roles;
