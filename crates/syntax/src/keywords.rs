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

/// Whether `word`, in any case, is one of the reserved words.
#[inline]
pub fn is_reserved(word: &str) -> bool {
    Kw::of(word.as_bytes()).is_reserved()
}

/// The words a statement can start with.
pub const STATEMENT_STARTS: &[&str] = &[
    "add",
    "allow",
    "alter",
    "apply",
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
    "setproject",
    "show",
    "unapply",
    "uninstall",
    "whoami",
];

/// The entry of [`STATEMENT_STARTS`] that `word` is, in any case (the
/// tests check the keyword table against the list with it).
#[cfg(test)]
fn statement_start(word: &str) -> Option<&'static str> {
    let kw = Kw::of(word.as_bytes());
    kw.is_statement_start().then(|| kw.name())
}

/// Every keyword of the language, lower case, sorted.
pub const ALL: &[&str] = &[
    "access",
    "accountprovider",
    "accountproviders",
    "acl",
    "add",
    "admin",
    "allow",
    "alter",
    "apply",
    "bind",
    "clear",
    "column",
    "comment",
    "create",
    "data",
    "default",
    "delete",
    "desc",
    "describe",
    "disallow",
    "drop",
    "exception",
    "exists",
    "exp",
    "expired",
    "filter",
    "for",
    "from",
    "function",
    "get",
    "grant",
    "grants",
    "group",
    "groups",
    "if",
    "install",
    "instance",
    "items",
    "label",
    "list",
    "masking",
    "model",
    "not",
    "on",
    "option",
    "or",
    "package",
    "packages",
    "partition",
    "policy",
    "principals",
    "privilegeproperties",
    "privileges",
    "privs",
    "project",
    "purge",
    "put",
    "remove",
    "replace",
    "resource",
    "revoke",
    "role",
    "roles",
    "row",
    "schema",
    "security",
    "securityconfiguration",
    "set",
    "setproject",
    "show",
    "super",
    "table",
    "tenant",
    "to",
    "trustedproject",
    "trustedprojects",
    "type",
    "unapply",
    "unbind",
    "uninstall",
    "unset",
    "user",
    "users",
    "using",
    "volume",
    "whoami",
    "with",
];

/// A keyword, as the lexer finds it: the index of a word in [`ALL`], or
/// [`Kw::NONE`] for a word that is no keyword. The parser compares these
/// instead of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kw(u8);

impl Kw {
    /// Not a keyword (and every token that is not a word).
    pub const NONE: Kw = Kw(u8::MAX);

    /// The keyword `name`, which must be in [`ALL`]: a misspelt name fails
    /// the build.
    pub const fn named(name: &str) -> Kw {
        let mut i = 0;
        while i < ALL.len() {
            if const_eq(ALL[i].as_bytes(), name.as_bytes()) {
                return Kw(i as u8);
            }
            i += 1;
        }
        panic!("not a keyword")
    }

    /// The keyword's lower-case text ("" for [`Kw::NONE`]).
    pub fn name(self) -> &'static str {
        ALL.get(self.0 as usize).copied().unwrap_or("")
    }

    /// The keyword `word` is, in any case.
    #[inline]
    pub fn of(word: &[u8]) -> Kw {
        Kw::at(word, 0, word.len())
    }

    /// The keyword `bytes[start..end]` is, in any case: its length and
    /// three of its bytes pick the one candidate (see [`KW_SLOT`]), which
    /// is compared eight bytes at a time when `bytes` has room to read.
    #[inline]
    pub fn at(bytes: &[u8], start: usize, end: usize) -> Kw {
        let len = end.wrapping_sub(start);
        if !(2..=LONGEST_KW).contains(&len) {
            return Kw::NONE;
        }
        let (Some(&first), Some(&[before_last, last])) =
            (bytes.get(start), bytes.get(end - 2..end))
        else {
            return Kw::NONE;
        };
        let slot = KW_SLOT[kw_hash(first, before_last, last, len)];
        let Some(padded) = KW_PADDED.get(slot as usize) else {
            return Kw::NONE;
        };
        if padded.len != len {
            return Kw::NONE;
        }
        let same = match bytes.get(start..).and_then(<[u8]>::first_chunk::<24>) {
            Some(window) => {
                // Keyword bytes are lower-case letters, so a byte matches
                // one, in either case, exactly when it does with bit 5 set.
                let differ = |i: usize| {
                    let mut word = [0; 8];
                    word.copy_from_slice(&window[8 * i..8 * i + 8]);
                    (u64::from_le_bytes(word) | 0x2020_2020_2020_2020) ^ padded.words[i]
                };
                let mut diff = differ(0) & padded.masks[0];
                if len > 8 {
                    diff |= differ(1) & padded.masks[1] | differ(2) & padded.masks[2];
                }
                diff == 0
            }
            None => bytes
                .get(start..end)
                .is_some_and(|word| word.eq_ignore_ascii_case(ALL[slot as usize].as_bytes())),
        };
        if same { Kw(slot) } else { Kw::NONE }
    }

    /// One of [`RESERVED`].
    #[inline]
    pub fn is_reserved(self) -> bool {
        self.0 < 128 && RESERVED_KWS & (1 << self.0) != 0
    }

    /// One of [`STATEMENT_STARTS`].
    #[inline]
    pub fn is_statement_start(self) -> bool {
        self.0 < 128 && STATEMENT_START_KWS & (1 << self.0) != 0
    }
}

const LONGEST_KW: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < ALL.len() {
        if ALL[i].len() > longest {
            longest = ALL[i].len();
        }
        i += 1;
    }
    longest
};

/// A hash of a word's first, next-to-last and last bytes (in any case) and
/// its length that is different for every keyword (the build checks it):
/// the four as the bytes of a `u32`, times a constant found by search, top
/// byte.
#[inline(always)]
const fn kw_hash(first: u8, before_last: u8, last: u8, len: usize) -> usize {
    let key = (first as u32 | (before_last as u32) << 8 | (last as u32) << 16 | (len as u32) << 24)
        | 0x0020_2020;
    (key.wrapping_mul(0x2a6c_db05) >> 24) as usize
}

/// [`kw_hash`] to the index in [`ALL`] of the keyword with that hash, or
/// `u8::MAX`.
const KW_SLOT: [u8; 256] = {
    assert!(ALL.len() < u8::MAX as usize && ALL.len() <= 128);
    let mut table = [u8::MAX; 256];
    let mut i = 0;
    while i < ALL.len() {
        let kw = ALL[i].as_bytes();
        let len = kw.len();
        let slot = kw_hash(kw[0], kw[len - 2], kw[len - 1], len);
        assert!(table[slot] == u8::MAX, "two keywords share a hash");
        table[slot] = i as u8;
        i += 1;
    }
    table
};

/// A keyword as three little-endian words, zero-padded, with masks that
/// keep its bytes.
struct Padded {
    len: usize,
    words: [u64; 3],
    masks: [u64; 3],
}

const KW_PADDED: [Padded; ALL.len()] = {
    let mut table = [const {
        Padded {
            len: 0,
            words: [0; 3],
            masks: [0; 3],
        }
    }; ALL.len()];
    let mut i = 0;
    while i < ALL.len() {
        let kw = ALL[i].as_bytes();
        assert!(kw.len() <= 24);
        table[i].len = kw.len();
        let mut j = 0;
        while j < kw.len() {
            assert!(kw[j].is_ascii_lowercase());
            table[i].words[j / 8] |= (kw[j] as u64) << (8 * (j % 8));
            table[i].masks[j / 8] |= 0xff << (8 * (j % 8));
            j += 1;
        }
        i += 1;
    }
    table
};

/// Bit `i` is set when `ALL[i]` is in `words` (each of which must be).
const fn kw_mask(words: &[&str]) -> u128 {
    let mut mask = 0;
    let mut i = 0;
    while i < words.len() {
        mask |= 1 << Kw::named(words[i]).0;
        i += 1;
    }
    mask
}

const RESERVED_KWS: u128 = kw_mask(RESERVED);
const STATEMENT_START_KWS: u128 = kw_mask(STATEMENT_STARTS);

const fn const_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The keywords the parser asks for, by name.
pub(crate) mod kw {
    use super::Kw;

    macro_rules! keywords {
        ($($name:ident = $text:literal,)*) => {
            $(pub const $name: Kw = Kw::named($text);)*
        };
    }

    keywords! {
        ACCESS = "access",
        ACCOUNTPROVIDER = "accountprovider",
        ACCOUNTPROVIDERS = "accountproviders",
        ACL = "acl",
        ADD = "add",
        ADMIN = "admin",
        ALLOW = "allow",
        ALTER = "alter",
        APPLY = "apply",
        BIND = "bind",
        CLEAR = "clear",
        COLUMN = "column",
        COMMENT = "comment",
        CREATE = "create",
        DATA = "data",
        DEFAULT = "default",
        DELETE = "delete",
        DESC = "desc",
        DESCRIBE = "describe",
        DISALLOW = "disallow",
        DROP = "drop",
        EXCEPTION = "exception",
        EXISTS = "exists",
        EXP = "exp",
        EXPIRED = "expired",
        FILTER = "filter",
        FOR = "for",
        FROM = "from",
        FUNCTION = "function",
        GET = "get",
        GRANT = "grant",
        GRANTS = "grants",
        GROUP = "group",
        GROUPS = "groups",
        IF = "if",
        INSTALL = "install",
        INSTANCE = "instance",
        ITEMS = "items",
        LABEL = "label",
        LIST = "list",
        MASKING = "masking",
        MODEL = "model",
        NOT = "not",
        ON = "on",
        OPTION = "option",
        OR = "or",
        PACKAGE = "package",
        PACKAGES = "packages",
        PARTITION = "partition",
        POLICY = "policy",
        PRINCIPALS = "principals",
        PRIVILEGEPROPERTIES = "privilegeproperties",
        PRIVILEGES = "privileges",
        PRIVS = "privs",
        PROJECT = "project",
        PURGE = "purge",
        PUT = "put",
        REMOVE = "remove",
        REPLACE = "replace",
        RESOURCE = "resource",
        REVOKE = "revoke",
        ROLE = "role",
        ROLES = "roles",
        ROW = "row",
        SCHEMA = "schema",
        SECURITY = "security",
        SECURITYCONFIGURATION = "securityconfiguration",
        SET = "set",
        SETPROJECT = "setproject",
        SHOW = "show",
        SUPER = "super",
        TABLE = "table",
        TENANT = "tenant",
        TO = "to",
        TRUSTEDPROJECT = "trustedproject",
        TRUSTEDPROJECTS = "trustedprojects",
        TYPE = "type",
        UNAPPLY = "unapply",
        UNBIND = "unbind",
        UNINSTALL = "uninstall",
        UNSET = "unset",
        USER = "user",
        USERS = "users",
        USING = "using",
        VOLUME = "volume",
        WHOAMI = "whoami",
        WITH = "with",
    }
}

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
    fn every_keyword_is_found_in_any_case_and_nothing_else() {
        use super::Kw;
        for (i, word) in super::ALL.iter().enumerate() {
            assert_eq!(Kw::of(word.as_bytes()), Kw::named(word));
            assert_eq!(Kw::of(word.to_uppercase().as_bytes()).name(), *word);
            assert_eq!(Kw::named(word).0 as usize, i);
            for cut in [&word[1..], &word[..word.len() - 1]] {
                assert!(!super::ALL.contains(&cut) || Kw::of(cut.as_bytes()).name() == cut);
            }
            let longer = format!("{word}s");
            let expected = if super::ALL.contains(&longer.as_str()) {
                longer.as_str()
            } else {
                ""
            };
            assert_eq!(Kw::of(longer.as_bytes()).name(), expected);
        }
        for word in [
            "",
            "a",
            "x",
            "tO_",
            "privilegepropertiesxx",
            "gránt",
            "t\u{f6}",
            "ro1e",
        ] {
            assert_eq!(Kw::of(word.as_bytes()), Kw::NONE, "{word}");
        }
        assert_eq!(Kw::NONE.name(), "");
        assert!(!Kw::NONE.is_reserved() && !Kw::NONE.is_statement_start());
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
