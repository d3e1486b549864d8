-- mcauth why: LabelSecurity. A column labelled above the user's
-- clearance is readable only through a label grant of that level (with
-- its expiry); labels are not checked while LabelSecurity is off.
-- run:
add accountprovider ram;
add user RAM$owner@example.com:alice;
add user RAM$owner@example.com:bob;
add user RAM$owner@example.com:vera;
create role analyst;
grant analyst to RAM$owner@example.com:alice;
grant analyst to RAM$owner@example.com:bob;
grant analyst to RAM$owner@example.com:vera;
grant Select on table sales to role analyst;
set label 3 to table sales(ssn);
set label 3 to user RAM$owner@example.com:vera;
grant label 3 on table sales(ssn) to user RAM$owner@example.com:bob with exp 30;
-- ask: why alice Select on table sales(ssn)
-- run:
set LabelSecurity=true;
-- ask: why alice Select on table sales(ssn, amount)
-- ask: why bob Select on table sales(ssn)
-- ask: why vera Select on table sales(ssn)
-- ask: who-can Select on table sales(ssn)
