//! RAM's wildcards: `*` matches any run of characters, `?` exactly one.
//!
//! [`Glob`] is a pattern compiled once and matched many times without allocating.
//! [`overlaps`] and [`covers`] compare two patterns, for the linter.

/// Whether letters must match in case. Only ASCII letters fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// `A` matches only `A`.
    Sensitive,
    /// `A` matches `a` too.
    Insensitive,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    shape: Shape,
    case: Case,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// `*`
    Any,
    /// No wildcard.
    Exact(Box<[u8]>),
    /// `abc*`
    Prefix(Box<[u8]>),
    /// `*abc`
    Suffix(Box<[u8]>),
    /// Anything else.
    General(Box<[u8]>),
}

impl Glob {
    /// Compiles `pattern`.
    pub fn new(pattern: &str, case: Case) -> Self {
        let bytes = pattern.as_bytes();
        let wild = |b: &u8| *b == b'*' || *b == b'?';
        let shape = match bytes.iter().filter(|b| wild(b)).count() {
            0 => Shape::Exact(bytes.into()),
            _ if bytes.iter().all(|b| *b == b'*') => Shape::Any,
            1 if bytes.last() == Some(&b'*') => {
                Shape::Prefix(bytes.get(..bytes.len() - 1).unwrap_or_default().into())
            }
            1 if bytes.first() == Some(&b'*') => {
                Shape::Suffix(bytes.get(1..).unwrap_or_default().into())
            }
            _ => Shape::General(bytes.into()),
        };
        Glob { shape, case }
    }

    /// Whether the pattern is `*`, matching everything.
    pub fn is_any(&self) -> bool {
        matches!(self.shape, Shape::Any)
    }

    /// Whether `text` matches the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        let t = text.as_bytes();
        let ci = self.case == Case::Insensitive;
        match &self.shape {
            Shape::Any => true,
            Shape::Exact(p) => eq_bytes(p, t, ci),
            Shape::Prefix(p) => t.get(..p.len()).is_some_and(|head| eq_bytes(p, head, ci)),
            Shape::Suffix(p) => t
                .len()
                .checked_sub(p.len())
                .and_then(|start| t.get(start..))
                .is_some_and(|tail| eq_bytes(p, tail, ci)),
            Shape::General(p) => wildcard_match(p, t, ci),
        }
    }
}

fn eq_bytes(a: &[u8], b: &[u8], ci: bool) -> bool {
    if ci {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

fn eq_byte(a: u8, b: u8, ci: bool) -> bool {
    a == b || (ci && a.eq_ignore_ascii_case(&b))
}

/// Length of the UTF-8 sequence starting with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Whole-text wildcard match in `O(|p|·|t|)` worst case and no allocation: on a mismatch
/// the most recent `*` absorbs one more character.
fn wildcard_match(p: &[u8], t: &[u8], ci: bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(&tc) = t.get(ti) {
        match p.get(pi) {
            Some(b'*') => {
                pi += 1;
                star = Some((pi, ti));
                continue;
            }
            Some(b'?') => {
                pi += 1;
                ti += char_len(tc);
                continue;
            }
            Some(&pc) if eq_byte(pc, tc, ci) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                let next = st + t.get(st).map_or(1, |b| char_len(*b));
                star = Some((sp, next));
                pi = sp;
                ti = next;
            }
            None => return false,
        }
    }
    ti <= t.len()
        && p.get(pi..)
            .is_some_and(|rest| rest.iter().all(|b| *b == b'*'))
}

/// Whether `outer` matches every text that `inner` matches, judged soundly but not
/// completely: `true` is always right, `false` may be wrong for contrived patterns.
///
/// `inner` is read as a string of symbols; an `outer` `*` absorbs any symbols, an `outer` `?`
/// any one symbol except `*`, and a literal only the same literal.
pub fn covers(outer: &str, inner: &str, case: Case) -> bool {
    let (p, t) = (outer.as_bytes(), inner.as_bytes());
    let ci = case == Case::Insensitive;
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(&tc) = t.get(ti) {
        let step = if tc == b'?' || tc == b'*' {
            1
        } else {
            char_len(tc)
        };
        match p.get(pi) {
            Some(b'*') => {
                pi += 1;
                star = Some((pi, ti));
                continue;
            }
            Some(b'?') if tc != b'*' => {
                pi += 1;
                ti += step;
                continue;
            }
            Some(&pc) if pc != b'?' && tc != b'?' && tc != b'*' && eq_byte(pc, tc, ci) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                let lead = t.get(st).copied().unwrap_or(b'*');
                let next = st
                    + if lead == b'?' || lead == b'*' {
                        1
                    } else {
                        char_len(lead)
                    };
                star = Some((sp, next));
                pi = sp;
                ti = next;
            }
            None => return false,
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|b| *b == b'*'))
}

/// The largest `|a|·|b|` table [`overlaps`] builds; beyond it the answer is `true`.
const OVERLAP_LIMIT: usize = 1 << 20;

/// Whether some text matches both patterns. Patterns too long to compare cheaply are
/// assumed to overlap.
pub fn overlaps(a: &str, b: &str, case: Case) -> bool {
    overlap(a, b, case == Case::Insensitive, false)
}

/// Whether some ARN matches both `pattern` and `template`, where the template's wildcards
/// stand for one `:`-separated part (a region, an account id, a name) and never span a `:`.
pub fn overlaps_template(pattern: &str, template: &str, case: Case) -> bool {
    overlap(pattern, template, case == Case::Insensitive, true)
}

fn overlap(a: &str, b: &str, ci: bool, b_in_segment: bool) -> bool {
    // What `b`'s wildcards may stand for: a symbol of `a`.
    let b_takes = |x: u8| !b_in_segment || x != b':';
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    // Literal heads and tails must agree; trim them.
    while let (Some(&x), Some(&y)) = (a.first(), b.first()) {
        if is_wild(x) || is_wild(y) {
            break;
        }
        if !eq_byte(x, y, ci) {
            return false;
        }
        (a, b) = (&a[1..], &b[1..]);
    }
    while let (Some(&x), Some(&y)) = (a.last(), b.last()) {
        if is_wild(x) || is_wild(y) {
            break;
        }
        if !eq_byte(x, y, ci) {
            return false;
        }
        (a, b) = (&a[..a.len() - 1], &b[..b.len() - 1]);
    }
    let width = b.len() + 1;
    if (a.len() + 1).saturating_mul(width) > OVERLAP_LIMIT {
        return true;
    }
    // Search the product of the two patterns' positions.
    let mut seen = vec![false; (a.len() + 1) * width];
    let mut todo = vec![(0usize, 0usize)];
    while let Some((i, j)) = todo.pop() {
        let Some(cell) = seen.get_mut(i * width + j) else {
            continue;
        };
        if *cell {
            continue;
        }
        *cell = true;
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        if x.is_none() && y.is_none() {
            return true;
        }
        if x == Some(b'*') {
            todo.push((i + 1, j));
            if y.is_some_and(|y| y != b'*') {
                todo.push((i, j + 1));
            }
        }
        if y == Some(b'*') {
            todo.push((i, j + 1));
            if x.is_some_and(|x| x != b'*' && b_takes(x)) {
                todo.push((i + 1, j));
            }
        }
        if let (Some(x), Some(y)) = (x, y)
            && x != b'*'
            && y != b'*'
            && (x == b'?' || (y == b'?' && b_takes(x)) || eq_byte(x, y, ci))
        {
            todo.push((i + 1, j + 1));
        }
    }
    false
}

fn is_wild(b: u8) -> bool {
    b == b'*' || b == b'?'
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(p: &str, t: &str) -> bool {
        Glob::new(p, Case::Sensitive).matches(t)
    }

    #[test]
    fn shapes_match() {
        assert!(m("*", ""));
        assert!(m("**", "abc"));
        assert!(m("abc", "abc"));
        assert!(!m("abc", "abd"));
        assert!(m("odps:Create*", "odps:CreateProject"));
        assert!(!m("odps:Create*", "odps:GetProject"));
        assert!(m("*Project", "odps:GetProject"));
        assert!(!m("*Project", "odps:GetProjects"));
        assert!(m(
            "acs:odps:*:*:projects/*",
            "acs:odps:cn-hangzhou:12345:projects/p1"
        ));
        assert!(!m(
            "acs:odps:*:*:projects/*",
            "acs:odps:cn-hangzhou:12345:quotas/q"
        ));
        assert!(m("a?c", "abc"));
        assert!(m("a?c", "aéc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a*b*c", "aXXbYYc"));
        assert!(!m("a*b*c", "aXXbYY"));
    }

    #[test]
    fn case_folding_is_opt_in() {
        assert!(!m("odps:getproject", "odps:GetProject"));
        assert!(Glob::new("odps:get*", Case::Insensitive).matches("ODPS:GetProject"));
        assert!(Glob::new("*project", Case::Insensitive).matches("odps:GetProject"));
        assert!(Glob::new("o?ps:*PROJECT", Case::Insensitive).matches("odps:GetProject"));
    }

    #[test]
    fn covers_is_containment() {
        let c = |a, b| covers(a, b, Case::Sensitive);
        assert!(c("*", "anything*"));
        assert!(c(
            "acs:odps:*:*:projects/*",
            "acs:odps:cn-hangzhou:*:projects/p?"
        ));
        assert!(c("a*", "a"));
        assert!(c("a?", "a?"));
        assert!(!c("a?", "a*"));
        assert!(!c("a", "a?"));
        assert!(!c("acs:odps:*:*:projects/p1", "acs:odps:*:*:projects/*"));
        assert!(covers("ODPS:*", "odps:Get*", Case::Insensitive));
    }

    #[test]
    fn overlaps_finds_common_texts() {
        let o = |a, b| overlaps(a, b, Case::Sensitive);
        assert!(o(
            "acs:odps:*:*:projects/*",
            "acs:odps:cn-hangzhou:123:projects/p1"
        ));
        assert!(o("acs:odps:*:*:quotas/*", "acs:odps:*:*:projects/*"));
        let t = |a, b| overlaps_template(a, b, Case::Sensitive);
        assert!(!t("acs:odps:*:*:quotas/*", "acs:odps:*:*:projects/*"));
        assert!(t("acs:odps:*", "acs:odps:*:*:projects/*"));
        assert!(t("acs:odps:cn-*:1?3:projects/p", "acs:odps:*:*:projects/*"));
        assert!(!t("acs:odps:cn:hz:1:projects/p", "acs:odps:*:*:projects/*"));
        assert!(o("*", "x"));
        assert!(o("a*c", "ab*"));
        assert!(o("a?c", "*b*"));
        assert!(!o("a?", "abc"));
        assert!(!o("abc", "abd"));
        assert!(o("acs:odps:*", "acs:odps:*:*:bills/*"));
    }

    proptest! {
        #[test]
        fn general_matches_agree_with_a_reference(p in "[ab*?]{0,8}", t in "[ab]{0,8}") {
            prop_assert_eq!(m(&p, &t), reference(p.as_bytes(), t.as_bytes()));
        }

        #[test]
        fn a_covered_text_is_matched(p in "[ab*?]{0,6}", t in "[ab]{0,6}") {
            if covers(&p, &t, Case::Sensitive) {
                prop_assert!(m(&p, &t));
            }
            prop_assert_eq!(overlaps(&p, &t, Case::Sensitive), m(&p, &t));
        }
    }

    fn reference(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            (Some(b'?'), Some(_)) => reference(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => reference(&p[1..], &t[1..]),
            _ => false,
        }
    }
}
