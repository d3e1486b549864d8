-- Account providers (§2.4): only the project owner may change them.
list accountproviders;
add accountprovider ram;
remove accountprovider RAM;
