//! The language's keywords, for the parser's reserved-word rule, for
//! did-you-mean suggestions and for the REPL's completer.

/// Words that cannot stand as a bare name where the grammar could also read
/// them as keywords; such names print back-quoted.
const RESERVED: &[&str] = &[
    "to",
    "from",
    "on",
    "with",
    "for",
    "user",
    "role",
    "tenant",
    "group",
    "type",
    "privilegeproperties",
    "comment",
    "option",
    "label",
    "super",
    "using",
    "exp",
    "privileges",
];

#[inline]
pub fn is_reserved(word: &str) -> bool {
    // Most words are longer than any reserved word, or of a length none of
    // them has; check that before comparing.
    const LONGEST: usize = 19;
    const LENGTHS: u32 = {
        let mut mask = 0;
        let mut i = 0;
        while i < RESERVED.len() {
            mask |= 1 << RESERVED[i].len();
            i += 1;
        }
        mask
    };
    let len = word.len();
    if len > LONGEST || LENGTHS & (1 << len) == 0 {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    for (to, from) in lower.iter_mut().zip(word.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &lower[..len],
        b"to"
            | b"from"
            | b"on"
            | b"with"
            | b"for"
            | b"user"
            | b"role"
            | b"tenant"
            | b"group"
            | b"type"
            | b"privilegeproperties"
            | b"comment"
            | b"option"
            | b"label"
            | b"super"
            | b"using"
            | b"exp"
            | b"privileges"
    )
}

/// The words a statement can start with.
pub const STATEMENT_STARTS: &[&str] = &[
    "add",
    "alter",
    "allow",
    "clear",
    "create",
    "delete",
    "desc",
    "describe",
    "disallow",
    "drop",
    "get",
    "grant",
    "install",
    "list",
    "purge",
    "put",
    "remove",
    "revoke",
    "set",
    "show",
    "uninstall",
    "whoami",
];

/// The entry of [`STATEMENT_STARTS`] that `word` is, in any case.
#[inline]
pub fn statement_start(word: &str) -> Option<&'static str> {
    const LONGEST: usize = 9;
    let len = word.len();
    if !(3..=LONGEST).contains(&len) {
        return None;
    }
    let mut lower = [0u8; LONGEST];
    for (to, from) in lower.iter_mut().zip(word.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    Some(match &lower[..len] {
        b"add" => "add",
        b"alter" => "alter",
        b"allow" => "allow",
        b"clear" => "clear",
        b"create" => "create",
        b"delete" => "delete",
        b"desc" => "desc",
        b"describe" => "describe",
        b"disallow" => "disallow",
        b"drop" => "drop",
        b"get" => "get",
        b"grant" => "grant",
        b"install" => "install",
        b"list" => "list",
        b"purge" => "purge",
        b"put" => "put",
        b"remove" => "remove",
        b"revoke" => "revoke",
        b"set" => "set",
        b"show" => "show",
        b"uninstall" => "uninstall",
        b"whoami" => "whoami",
        _ => return None,
    })
}

/// Every keyword of the language, lower case, sorted.
pub const ALL: &[&str] = &[
    "accountprovider",
    "accountproviders",
    "acl",
    "add",
    "admin",
    "allow",
    "alter",
    "clear",
    "comment",
    "create",
    "delete",
    "desc",
    "describe",
    "disallow",
    "drop",
    "exception",
    "exp",
    "expired",
    "for",
    "from",
    "function",
    "get",
    "grant",
    "grants",
    "group",
    "groups",
    "install",
    "instance",
    "label",
    "list",
    "model",
    "on",
    "option",
    "package",
    "packages",
    "policy",
    "principals",
    "privilegeproperties",
    "privileges",
    "privs",
    "project",
    "purge",
    "put",
    "remove",
    "resource",
    "revoke",
    "role",
    "roles",
    "security",
    "securityconfiguration",
    "set",
    "show",
    "super",
    "table",
    "tenant",
    "to",
    "trustedproject",
    "trustedprojects",
    "type",
    "uninstall",
    "unset",
    "user",
    "users",
    "using",
    "volume",
    "whoami",
    "with",
];

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_words_are_found_in_any_case() {
        for word in super::RESERVED {
            assert!(super::is_reserved(word));
            assert!(super::is_reserved(&word.to_uppercase()));
        }
        assert!(!super::is_reserved("users"));
        assert!(!super::is_reserved(""));
        assert!(!super::is_reserved("privilegepropertiesx"));
        for word in super::ALL {
            assert_eq!(super::is_reserved(word), super::RESERVED.contains(word));
        }
        assert!(!super::is_reserved("admin"));
    }

    #[test]
    fn statement_starts_are_found_in_any_case_and_nothing_else() {
        for start in super::STATEMENT_STARTS {
            assert_eq!(super::statement_start(start), Some(*start));
            assert_eq!(super::statement_start(&start.to_uppercase()), Some(*start));
        }
        for word in super::ALL {
            let expected = super::STATEMENT_STARTS.iter().copied().find(|s| s == word);
            assert_eq!(super::statement_start(word), expected);
        }
        for word in ["", "ad", "adds", "grants", "revoker", "uninstalls", "gránt"] {
            assert_eq!(super::statement_start(word), None);
        }
    }

    #[test]
    fn keyword_table_is_sorted_and_lower_case() {
        let mut sorted = super::ALL.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, super::ALL);
        assert!(
            super::ALL
                .iter()
                .all(|k| k.chars().all(|c| c.is_ascii_lowercase()))
        );
        for start in super::STATEMENT_STARTS {
            assert!(super::ALL.contains(start), "{start} missing from ALL");
        }
    }
}
