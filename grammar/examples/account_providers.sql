-- Account providers (§2.4)
# Only the project owner may change account providers.
list accountproviders;
add accountprovider ram;
remove accountprovider RAM;
