-- Trusted projects (docs/language.md#other-statements)
list trustedprojects;
add trustedproject partner_project;
remove trustedproject partner_project;
