-- A table takes row access policies or data masking policies, not both
-- ("Dynamic data masking", MaxCompute docs). A policy the script itself
-- created is known even to a backend that cannot list the policies: the
-- conflict is found before anything is sent, on both backends.
-- run:
create row access policy p1 on sales to default filter using (region = 'east');
create data masking policy if not exists m1 to default using UNMASKED;
apply data masking policy m1 bind to table sales column phone;
-- run:
create data masking policy if not exists m2 to default using UNMASKED;
apply data masking policy m2 bind to table orders column phone;
create row access policy p2 on orders to default filter using (1 = 1);
