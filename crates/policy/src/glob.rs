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
    /// Case-sensitive, `*` but no `?`: `pre*mid*...*suf`, matched by searching for each
    /// middle part in turn (the leftmost occurrence is always the best choice).
    Segments {
        prefix: Box<str>,
        middle: Box<[Box<str>]>,
        suffix: Box<str>,
    },
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
            _ if case == Case::Sensitive && !pattern.contains('?') => {
                let mut parts = pattern.split('*');
                let prefix = parts.next().unwrap_or_default().into();
                let mut rest: Vec<&str> = parts.collect();
                let suffix = rest.pop().unwrap_or_default().into();
                let middle = rest
                    .into_iter()
                    .filter(|m| !m.is_empty())
                    .map(Box::from)
                    .collect();
                Shape::Segments {
                    prefix,
                    middle,
                    suffix,
                }
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
            Shape::Exact(p) => same_last(p, t) && eq_bytes(p, t, ci),
            Shape::Prefix(p) => t.get(..p.len()).is_some_and(|head| eq_bytes(p, head, ci)),
            Shape::Suffix(p) => t
                .len()
                .checked_sub(p.len())
                .and_then(|start| t.get(start..))
                .is_some_and(|tail| same_last(p, tail) && eq_bytes(p, tail, ci)),
            Shape::Segments {
                prefix,
                middle,
                suffix,
            } => {
                let (p, s) = (prefix.as_bytes(), suffix.as_bytes());
                if t.len() < p.len() + s.len() {
                    return false;
                }
                let (head, rest) = t.split_at(p.len());
                let (mut rest, tail) = rest.split_at(rest.len() - s.len());
                if !same_last(s, tail) || head != p || tail != s {
                    return false;
                }
                for part in middle.iter() {
                    match find(rest, part.as_bytes()) {
                        Some(end) => rest = rest.get(end..).unwrap_or_default(),
                        None => return false,
                    }
                }
                true
            }
            Shape::General(p) => wildcard_match(p, t, ci),
        }
    }
}

/// A cheap first test before comparing whole slices: ARNs often differ only at the end.
fn same_last(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.last().map(u8::to_ascii_lowercase) == b.last().map(u8::to_ascii_lowercase)
}

/// The end of the first occurrence of `needle` in `hay`. Needles are short parts of
/// patterns, so a plain scan beats setting up a general searcher.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let last_start = hay.len().checked_sub(needle.len())?;
    (0..=last_start)
        .filter(|&i| hay.get(i) == Some(&first))
        .find(|&i| hay.get(i + 1..i + needle.len()) == Some(rest))
        .map(|i| i + needle.len())
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
    star_match::<false>(p, t, ci)
}

/// The backtracking match under [`wildcard_match`] and [`covers`]. With `SYMBOLS`,
/// `t` is itself a pattern, read as a string of symbols: its `*` and `?` are one
/// symbol each, a `?` of `p` takes any symbol but `*`, and no literal of `p` is
/// one of them.
fn star_match<const SYMBOLS: bool>(p: &[u8], t: &[u8], ci: bool) -> bool {
    let wild = |b: u8| SYMBOLS && (b == b'?' || b == b'*');
    let step = |b: u8| if wild(b) { 1 } else { char_len(b) };
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(&tc) = t.get(ti) {
        match p.get(pi) {
            Some(b'*') => {
                pi += 1;
                star = Some((pi, ti));
                continue;
            }
            Some(b'?') if !(SYMBOLS && tc == b'*') => {
                pi += 1;
                ti += step(tc);
                continue;
            }
            Some(&pc) if pc != b'?' && !wild(tc) && eq_byte(pc, tc, ci) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                let next = st + t.get(st).map_or(1, |b| step(*b));
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

/// A 64-bit summary of the literal character triples of a pattern. If `outer` covers
/// `inner`, every literal triple of `outer` is a literal triple of `inner`, so
/// `literal_triples(outer) & !literal_triples(inner) == 0` is a cheap necessary test.
pub fn literal_triples(pattern: &str) -> u64 {
    pattern
        .as_bytes()
        .windows(3)
        .filter(|w| !w.iter().any(|b| is_wild(*b)))
        .fold(0, |bits, w| {
            let h = (u32::from(w[0]) * 31 + u32::from(w[1])) * 31 + u32::from(w[2]);
            bits | 1u64 << (h % 64)
        })
}

/// Whether `outer` matches every text that `inner` matches, judged soundly but not
/// completely: `true` is always right, `false` may be wrong for contrived patterns.
///
/// `inner` is read as a string of symbols; an `outer` `*` absorbs any symbols, an `outer` `?`
/// any one symbol except `*`, and a literal only the same literal.
pub fn covers(outer: &str, inner: &str, case: Case) -> bool {
    let (p, t) = (outer.as_bytes(), inner.as_bytes());
    let ci = case == Case::Insensitive;
    // Fast answers: a literal covers only itself, and `outer`'s literal head and tail must
    // appear literally in `inner`.
    let head = p.iter().position(|b| is_wild(*b)).unwrap_or(p.len());
    if head == p.len() {
        return eq_bytes(p, t, ci);
    }
    let tail = p.iter().rev().position(|b| is_wild(*b)).unwrap_or(0);
    let (Some(ph), Some(th)) = (p.get(..head), t.get(..head)) else {
        return false;
    };
    let (Some(pt), Some(tt)) = (
        p.get(p.len() - tail..),
        t.len().checked_sub(tail).and_then(|s| t.get(s..)),
    ) else {
        return false;
    };
    if !eq_bytes(ph, th, ci) || !eq_bytes(pt, tt, ci) {
        return false;
    }
    star_match::<true>(p, t, ci)
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
    let ci = case == Case::Insensitive;
    let colons = |s: &str| s.bytes().filter(|b| *b == b':').count();
    let (have, want) = (colons(pattern), colons(template));
    if have > want {
        // Every text of the template has exactly `want` colons; the pattern's have more.
        return false;
    }
    if have < want {
        // The pattern's wildcards must supply colons: compare whole strings.
        return overlap(pattern, template, ci, true);
    }
    // Same number of colons: no wildcard may produce one, so compare part by part.
    pattern
        .split(':')
        .zip(template.split(':'))
        .all(|(p, t)| overlap(p, t, ci, false))
}

fn overlap(a: &str, b: &str, ci: bool, b_in_segment: bool) -> bool {
    let case = if ci {
        Case::Insensitive
    } else {
        Case::Sensitive
    };
    let (a_wild, b_wild) = (a.contains(['*', '?']), b.contains(['*', '?']));
    if !(a_wild || b_in_segment && b_wild) {
        return Glob::new(b, case).matches(a);
    }
    if !b_wild {
        return Glob::new(a, case).matches(b);
    }
    if !b_in_segment && (a.bytes().all(|c| c == b'*') || b.bytes().all(|c| c == b'*')) {
        return true;
    }
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
        assert!(t("acs:odps:*:12345:quotas/q_1_*", "acs:odps:*:*:quotas/*"));
        assert!(!t(
            "acs:odps:*:12345:quotas/q_1_*",
            "acs:odps:*:*:projects/*"
        ));
        assert!(t(
            "acs:odps:12345:tenantUsers/*",
            "acs:odps:*:tenantUsers/*"
        ));
        assert!(t("acs:*:projects/p", "acs:odps:*:*:projects/*"));
        assert!(!t("acs:*:quotas/p", "acs:odps:*:*:projects/*"));
        assert!(o("*", "x"));
        assert!(o("a*c", "ab*"));
        assert!(o("a?c", "*b*"));
        assert!(!o("a?", "abc"));
        assert!(!o("abc", "abd"));
        assert!(o("acs:odps:*", "acs:odps:*:*:bills/*"));
    }

    proptest! {
        #[test]
        fn covering_implies_literal_triples(p in "[ab*?]{0,8}", t in "[ab*?]{0,8}") {
            if covers(&p, &t, Case::Sensitive) {
                prop_assert_eq!(literal_triples(&p) & !literal_triples(&t), 0);
            }
        }

        #[test]
        fn general_matches_agree_with_a_reference(p in "[ab*?]{0,8}", t in "[ab]{0,8}") {
            prop_assert_eq!(m(&p, &t), reference(p.as_bytes(), t.as_bytes()));
        }

        #[test]
        fn segment_overlap_agrees_with_whole_overlap(
            p in "[ab:*?]{0,7}",
            t in "[ab:*?]{0,7}",
        ) {
            // Brute force: some text over {a, b, :} of length <= 8 matches both, where the
            // template's wildcards never produce a colon.
            let mut found = false;
            for len in 0..=8u32 {
                for n in 0..3u32.pow(len) {
                    let text: String = (0..len).map(|i| ['a', 'b', ':'][(n / 3u32.pow(i) % 3) as usize]).collect();
                    if m(&p, &text) && template_match(&t, &text) {
                        found = true;
                        break;
                    }
                }
                if found { break; }
            }
            if found {
                prop_assert!(overlaps_template(&p, &t, Case::Sensitive));
            }
        }

        #[test]
        fn a_covered_text_is_matched(p in "[ab*?]{0,6}", t in "[ab]{0,6}") {
            if covers(&p, &t, Case::Sensitive) {
                prop_assert!(m(&p, &t));
            }
            prop_assert_eq!(overlaps(&p, &t, Case::Sensitive), m(&p, &t));
        }
    }

    /// Wildcards that never match a colon.
    fn template_match(p: &str, t: &str) -> bool {
        fn go(p: &[u8], t: &[u8]) -> bool {
            match (p.first(), t.first()) {
                (None, None) => true,
                (Some(b'*'), _) => {
                    go(&p[1..], t) || (t.first().is_some_and(|c| *c != b':') && go(p, &t[1..]))
                }
                (Some(b'?'), Some(c)) if *c != b':' => go(&p[1..], &t[1..]),
                (Some(a), Some(b)) if a == b && *a != b'?' => go(&p[1..], &t[1..]),
                _ => false,
            }
        }
        go(p.as_bytes(), t.as_bytes())
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
