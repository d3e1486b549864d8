-- mcauth why and who-can about an object of another project: project
-- shop shares tables through package pk, installed here (project
-- default). A subject of default may use a privilege on shop's object
-- when the package shares the object with it, shop still allows default
-- to install the package, the subject may use the package here (Read on
-- package shop.pk, by this project's own grants), and, under shop's
-- LabelSecurity, the data is within the allowance's label.
-- run: --project shop
create package pk;
add table orders to package pk with privileges Select, Describe;
add table items to package pk with privileges Describe;
set label 2 to table orders(card);
set LabelSecurity=true;
allow project default to install package pk using label 1;
-- (The parity test recreates project default's state in project copy.)
allow project copy to install package pk using label 1;
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
create role analyst;
grant analyst to RAM$owner@example.com:alice;
install package shop.pk;
grant Read on package shop.pk to role analyst;
-- The package must exist in project shop and allow this project: the
-- store holds shop, and mcauth serve serves it, so both check it.
-- run:
install package shop.nope;
-- ask: why alice Describe on table shop.orders
-- ask: why alice Select on table shop.items
-- ask: why bob Describe on table shop.orders
-- ask: why alice Select on table shop.orders(card)
-- ask: who-can Describe on table shop.orders
