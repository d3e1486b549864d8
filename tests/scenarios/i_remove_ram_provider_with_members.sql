-- Rule i: removing the RAM provider while RAM members exist fails and
-- names them (MaxCompute's docs leave this open; mcauth refuses).
-- run:
add accountprovider ram;
add user RAM$alice;
-- run:
remove accountprovider ram;
-- run:
remove user RAM$alice;
remove accountprovider ram;
list accountproviders;
