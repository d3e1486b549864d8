//! Principals and grantees.

use super::cursor::{Cursor, PResult};
use crate::ast::{Grantee, Principal, PrincipalKind};
use crate::diagnostic::{ErrorCode, SyntaxError};
use crate::keywords::kw;
use crate::lexer::{TokenKind, unquote};
use crate::span::Span;
use crate::suggest::did_you_mean;

impl Cursor<'_, '_> {
    /// `ALIYUN$acct`, `RAM$[acct:]name`, `` `RAM$acct:role/name` ``, `p4_…`
    /// or a bare name.
    pub fn principal(&mut self) -> PResult<Principal> {
        let token = match self.peek() {
            Some(t) if t.kind == TokenKind::Quoted => *t,
            Some(t) if t.kind == TokenKind::Word && !t.kw.is_reserved() => *t,
            _ => {
                self.expect("a principal");
                return Err(self.unexpected());
            }
        };
        self.bump();
        let quoted = token.kind == TokenKind::Quoted;
        let raw = self.text(&token);
        let unquoted;
        let text = if quoted {
            unquoted = unquote(raw);
            &*unquoted
        } else {
            raw
        };
        let kind = classify(text, quoted, token.span)?;
        Ok(Principal {
            kind,
            span: token.span.into(),
        })
    }

    /// `principalName`: `[user] P`, `[tenant] user P`, `[tenant] role R`,
    /// `[tenant] group G`.
    pub fn grantee(&mut self) -> PResult<Grantee> {
        self.expect("a principal");
        if self.is_kw_at(0, kw::TENANT) {
            self.bump();
            return match self.expect_one_of(&[kw::USER, kw::ROLE, kw::GROUP])? {
                kw::USER => Ok(Grantee::User {
                    tenant: true,
                    principal: self.principal()?,
                }),
                kw::ROLE => Ok(Grantee::Role {
                    tenant: true,
                    name: self.ident("a role name")?,
                }),
                _ => Ok(Grantee::Group {
                    tenant: true,
                    name: self.ident("a group name")?,
                }),
            };
        }
        let next = self.peek_kw();
        for word in [kw::USER, kw::ROLE, kw::GROUP] {
            if next == word && self.is_name_at(1) {
                self.bump();
                return Ok(match word {
                    kw::USER => Grantee::User {
                        tenant: false,
                        principal: self.principal()?,
                    },
                    kw::ROLE => Grantee::Role {
                        tenant: false,
                        name: self.ident("a role name")?,
                    },
                    _ => Grantee::Group {
                        tenant: false,
                        name: self.ident("a group name")?,
                    },
                });
            }
            self.expect(word.name());
        }
        self.expect("tenant");
        Ok(Grantee::user(self.principal()?))
    }

    /// `grantee {, grantee}`.
    pub fn grantees(&mut self) -> PResult<Vec<Grantee>> {
        self.comma_list(Cursor::grantee)
    }
}

fn invalid(span: Span, message: String, help: &str) -> SyntaxError {
    SyntaxError::new(ErrorCode::InvalidPrincipal, span, message)
        .with_label("invalid principal")
        .with_help(help)
}

/// Bytes that shape a principal, as bit flags (see [`shape`]).
const COLON: u8 = 1;
const SLASH: u8 = 2;
const WILDCARD: u8 = 4;
const DOLLAR: u8 = 8;

const SHAPE_BYTES: [u8; 256] = {
    let mut table = [0; 256];
    table[b':' as usize] = COLON;
    table[b'/' as usize] = SLASH;
    table[b'*' as usize] = WILDCARD;
    table[b'?' as usize] = WILDCARD;
    table[b'$' as usize] = DOLLAR;
    table
};

/// Which of `:`, `/`, `$` and the wildcards `text` holds, in one pass.
fn shape(text: &str) -> u8 {
    text.bytes()
        .fold(0, |seen, b| seen | SHAPE_BYTES[b as usize])
}

const SHAPES: &str = "principals look like ALIYUN$<account>, RAM$[<account>:]<ram user>, \
                      `RAM$<account>:role/<ram role>` or a bare name";

/// Reads the text of a principal into its typed form. The errors are
/// built out of line, so the common paths stay small.
pub fn classify(text: &str, quoted: bool, span: Span) -> PResult<PrincipalKind> {
    let seen = shape(text);
    // The first `$` splits the provider from the rest; a short scan, as
    // it comes early when there is one.
    let dollar = if seen & DOLLAR != 0 {
        text.bytes().position(|b| b == b'$')
    } else {
        None
    };
    let Some(dollar) = dollar else {
        if text.len() > 3 && text.as_bytes()[..3].eq_ignore_ascii_case(b"p4_") {
            return Ok(PrincipalKind::Residue {
                id: text.to_owned(),
            });
        }
        if seen & (COLON | SLASH) != 0 {
            return Err(no_provider_for_account(text, span));
        }
        if seen & WILDCARD != 0 {
            return Err(wildcard(text, span));
        }
        return Ok(PrincipalKind::Bare {
            name: text.to_owned(),
        });
    };
    if seen & WILDCARD != 0 {
        return Err(wildcard(text, span));
    }
    let (provider, rest) = (&text[..dollar], &text[dollar + 1..]);
    if provider.eq_ignore_ascii_case("ram") {
        return classify_ram(text, rest, seen, quoted, span);
    }
    if provider.eq_ignore_ascii_case("aliyun") {
        // `aliyun` holds no `:` or `/`, so `rest` holds what `text` does.
        if rest.is_empty() || seen & (COLON | SLASH) != 0 {
            return Err(aliyun_error(text, rest, span));
        }
        return Ok(PrincipalKind::Aliyun {
            account: rest.to_owned(),
        });
    }
    Err(unknown_provider(text, provider, rest, quoted, span))
}

#[cold]
#[inline(never)]
fn wildcard(text: &str, span: Span) -> Box<SyntaxError> {
    invalid(
        span,
        format!("`{text}`: a principal cannot hold a wildcard"),
        "name each principal in full; `list users;` shows them",
    )
    .into()
}

#[cold]
#[inline(never)]
fn no_provider_for_account(text: &str, span: Span) -> Box<SyntaxError> {
    let help = match lost_to_the_shell(text) {
        Some(example) => shell_help(text, &example, &format!("mcauth -e 'add user {example};'")),
        None => "RAM users are written RAM$<account>:<name>, RAM roles `RAM$<account>:role/<name>`"
            .to_owned(),
    };
    invalid(
        span,
        format!("`{text}` has an account part but no account provider"),
        &help,
    )
    .into()
}

/// When `text` looks like a principal whose `$…` a shell replaced (in
/// double quotes `"RAM$acct:bob"` reaches mcauth as `RAM:bob`, and
/// `"RAM$bob"` as `RAM`), the principal it likely was, with `<…>` for
/// what was lost; `None` otherwise.
pub fn lost_to_the_shell(text: &str) -> Option<String> {
    let (provider, rest) = ["ALIYUN", "RAM"].into_iter().find_map(|p| {
        let head = text.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| (p, &text[p.len()..]))
    })?;
    match (provider, rest.strip_prefix(':')) {
        ("RAM", Some(name)) if !name.is_empty() => Some(format!("RAM$<account>:{name}")),
        ("RAM", _) if rest.is_empty() => Some("RAM$<account>:<name>".to_owned()),
        ("ALIYUN", None) if rest.is_empty() || rest.starts_with('@') => {
            Some(format!("ALIYUN$<account>{rest}"))
        }
        _ => None,
    }
}

/// The help for a principal [`lost_to_the_shell`]: what happened, and
/// `how` to write it in single quotes.
pub fn shell_help(text: &str, example: &str, how: &str) -> String {
    format!(
        "a shell replaces `$name` inside double quotes, so `{example}` can reach mcauth as `{text}`: \
         write it whole in single quotes, e.g. {how}"
    )
}

#[cold]
#[inline(never)]
fn aliyun_error(text: &str, rest: &str, span: Span) -> Box<SyntaxError> {
    if rest.is_empty() {
        return invalid(
            span,
            "`ALIYUN$` needs an account name after the `$`".into(),
            SHAPES,
        )
        .into();
    }
    invalid(
        span,
        format!("`{text}`: an Alibaba Cloud account has no `:` or `/` part"),
        "for a RAM user of this account write RAM$<account>:<name>",
    )
    .into()
}

#[cold]
#[inline(never)]
fn unknown_provider(
    text: &str,
    provider: &str,
    rest: &str,
    quoted: bool,
    span: Span,
) -> Box<SyntaxError> {
    if provider.is_empty() {
        return invalid(
            span,
            format!("`{text}` has no account provider before the `$`"),
            SHAPES,
        )
        .into();
    }
    let mut err = SyntaxError::new(
        ErrorCode::UnknownAccountProvider,
        Span::new(
            span.start + usize::from(quoted),
            span.start + usize::from(quoted) + provider.len(),
        ),
        format!("unknown account provider `{provider}`"),
    )
    .with_label("not ALIYUN or RAM");
    err = match did_you_mean(provider, ["ALIYUN", "RAM"]) {
        Some(s) => err.with_help(format!("did you mean `{s}${rest}`?")),
        None => err.with_help("MaxCompute knows the account providers ALIYUN and RAM"),
    };
    err.into()
}

/// `seen` is the [`shape`] of `text`, which `rest` ends.
fn classify_ram(
    text: &str,
    rest: &str,
    seen: u8,
    quoted: bool,
    span: Span,
) -> PResult<PrincipalKind> {
    let split = if seen & COLON != 0 {
        rest.split_once(':')
    } else {
        None
    };
    let (account, name) = match split {
        Some((account, name)) => (Some(account), name),
        None => (None, rest),
    };
    if name.len() >= 5 && name.as_bytes()[..5].eq_ignore_ascii_case(b"role/") {
        return ram_role(text, account, &name[5..], quoted, span);
    }
    if account.is_some_and(str::is_empty)
        || name.is_empty()
        || (seen & SLASH != 0 && name.contains('/'))
    {
        return Err(ram_user_error(text, account, name, span));
    }
    Ok(PrincipalKind::RamUser {
        account: account.map(str::to_owned),
        name: name.to_owned(),
    })
}

/// `RAM$<account>:role/<role>`.
fn ram_role(
    text: &str,
    account: Option<&str>,
    role: &str,
    quoted: bool,
    span: Span,
) -> PResult<PrincipalKind> {
    let Some(account) = account.filter(|a| !a.is_empty()) else {
        return Err(invalid(
            span,
            format!("`{text}`: a RAM role needs the account it belongs to"),
            "write it as `RAM$<account>:role/<name>`, with the backticks",
        )
        .into());
    };
    if role.is_empty() || role.contains('/') {
        return Err(invalid(
            span,
            format!("`{text}` is not a RAM role name"),
            "write `RAM$<account>:role/<name>`",
        )
        .into());
    }
    if !quoted {
        return Err(SyntaxError::new(
            ErrorCode::RamRoleNeedsBackticks,
            span,
            "a RAM role principal must be back-quoted",
        )
        .with_label("the `/` cannot appear in an unquoted name")
        .with_help(format!(
            "put backticks around it: `RAM${account}:role/{role}` (the backticks are part of the statement)"
        )).into());
    }
    Ok(PrincipalKind::RamRole {
        account: account.to_owned(),
        role: role.to_owned(),
    })
}

#[cold]
#[inline(never)]
fn ram_user_error(text: &str, account: Option<&str>, name: &str, span: Span) -> Box<SyntaxError> {
    if account.is_some_and(str::is_empty) {
        return invalid(
            span,
            format!("`{text}` has an empty account before the `:`"),
            "write RAM$<account>:<name> or RAM$<name>",
        )
        .into();
    }
    if name.is_empty() {
        return invalid(
            span,
            format!("`{text}` needs a RAM user name"),
            "write RAM$<name> or RAM$<account>:<name>",
        )
        .into();
    }
    invalid(
        span,
        format!("`{text}` is not a RAM user name"),
        "RAM roles are written `RAM$<account>:role/<name>`; RAM user names have no `/`",
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::lost_to_the_shell;

    #[test]
    fn principals_a_shell_cut_are_recognised() {
        let cases = [
            ("RAM", Some("RAM$<account>:<name>")),
            ("ram:bob", Some("RAM$<account>:bob")),
            ("ALIYUN", Some("ALIYUN$<account>")),
            ("ALIYUN@example.com", Some("ALIYUN$<account>@example.com")),
            ("ramona", None),
            ("aliyunfan", None),
            ("bob", None),
        ];
        for (text, expected) in cases {
            assert_eq!(lost_to_the_shell(text).as_deref(), expected, "{text}");
        }
    }
}
