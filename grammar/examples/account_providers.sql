-- Account providers (docs/language.md#account-providers)
# Only the project owner may change account providers.
list accountproviders;
add accountprovider ram;
remove accountprovider RAM;
