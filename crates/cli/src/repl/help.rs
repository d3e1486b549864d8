//! `help;` in the REPL.

pub const HELP: &str = "\
Statements end with `;` and may span lines. Keywords are case-insensitive.

Users and account providers
  list users;                           add user RAM$<account>:<name>;
  list accountproviders;                remove user ALIYUN$<account>;
  add accountprovider ram;              add user `RAM$<account>:role/<ram role>`;
Roles
  list roles;                           create role analyst;
  describe role analyst;                drop role analyst;
  grant analyst to RAM$acct:bob;        revoke analyst from RAM$acct:bob;
  show principals analyst;              show role grant user RAM$acct:bob;
Privileges
  grant Select on table sales to role analyst;
  grant CreateTable, List on project dev to user RAM$acct:bob;
  revoke Select on table sales from role analyst;
  show grants for RAM$acct:bob;         show acl for sales on type table;
  purge privs from user RAM$acct:bob;   clear expired grants;
Project
  whoami;                               show securityconfiguration;
  set ProjectProtection=true;           list trustedprojects;
  use <project>;                        list projects;
Questions (answered by mcauth, not sent)
  why RAM$acct:bob Select on table sales(ssn);
  who-can Select on table sales;

Commands of the prompt (one line, no `;`)
  \\i FILE, .read FILE                   run a script, checked whole first
  \\pset format csv, .mode csv           results as text, csv or tsv
  \\h, \\?, .help                         this help
  \\q, .quit                             leave

The full language: grammar/mcauth.ebnf. Tab completes what may come next:
keywords, principals, roles, privileges, object types after `on`.
Ctrl-C clears the input; Ctrl-D, quit; or exit; leaves. remove, drop,
delete and purge ask for confirmation unless mcauth runs with -y.";
