-- Trusted projects (§2.18)
list trustedprojects;
add trustedproject partner_project;
remove trustedproject partner_project;
