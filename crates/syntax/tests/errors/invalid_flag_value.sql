set ProjectProtection=yes;
