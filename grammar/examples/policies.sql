-- Policy documents (docs/language.md#other-statements)
get policy;
get policy on role Worker;
get policy on tenant role data_readers;
put policy policy.json;
put policy 'policies/worker policy.json' on role Worker;
get security policy;
put security policy security_policy.json;
