//! "Did you mean …?" for misspelt words.

/// The candidate closest to `word`, if it is close enough to be a likely
/// misspelling. Uses Jaro similarity, as clap does, plus a check that
/// catches a single missing or extra letter in short words.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if word.is_empty() || word.len() > 64 {
        return None;
    }
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A script with the same mistake on every line asks the same question
    // on every line: the last few answers are kept, by the word and a hash
    // of the candidates (hashing them costs a fraction of scoring them).
    let key = candidates.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
        c.bytes().chain([0xff]).fold(h, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    });
    recalled_or_found(key, word, &candidates)
}

/// [`did_you_mean`] over a static list, such as the statement keywords:
/// its answers are kept by the list's address, which costs nothing to
/// compare (a script with `x;` on every line asks eight million times).
pub fn did_you_mean_static(
    word: &str,
    candidates: &'static [&'static str],
) -> Option<&'static str> {
    if word.is_empty() || word.len() > 64 {
        return None;
    }
    let key = (candidates.as_ptr() as u64) ^ ((candidates.len() as u64) << 48) ^ STATIC_TAG;
    recalled_or_found(key, word, candidates)
}

/// The answer kept for `word` and the candidates `key` stands for, or
/// the closest candidate, then kept.
fn recalled_or_found<'a>(key: u64, word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let recalled = RECENT.with_borrow(|recent| {
        recent
            .iter()
            .find(|(k, w, _)| *k == key && w.eq_ignore_ascii_case(word))
            .map(|(_, _, found)| *found)
    });
    let found = recalled.unwrap_or_else(|| {
        let found = closest(word, candidates);
        remember(key, word, found);
        found
    });
    found.and_then(|i| candidates.get(i).copied())
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo, for long names that share a prefix (`odps:CreateProject`):
/// Jaro–Winkler, which weighs a common prefix. Unlike [`did_you_mean`],
/// a candidate that differs only in case is an answer (`Actions` is
/// `Action`, `ODPS:getproject` is `odps:GetProject`). Case is ignored
/// when comparing; the candidate is returned as written.
pub fn closest_name<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Keeps the keys of static lists apart from hashes of contents.
const STATIC_TAG: u64 = 0x5a5a_0000_0000_0001;

/// Keeps an answer, forgetting the oldest past [`RECENT_ANSWERS`].
fn remember(key: u64, word: &str, found: Option<usize>) {
    RECENT.with_borrow_mut(|recent| {
        if recent.len() == RECENT_ANSWERS {
            recent.remove(0);
        }
        recent.push((key, word.to_owned(), found));
    });
}

/// How many answers [`did_you_mean`] keeps.
const RECENT_ANSWERS: usize = 8;

thread_local! {
    /// (candidates' hash, word, index of the answer) of recent questions.
    static RECENT: std::cell::RefCell<Vec<(u64, String, Option<usize>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The index of the candidate [`did_you_mean`] answers.
fn closest(word: &str, candidates: &[&str]) -> Option<usize> {
    let lower = word.to_ascii_lowercase();
    let chars = lower.chars().count();
    candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.eq_ignore_ascii_case(&lower))
        .filter_map(|(i, c)| {
            let c_lower = lowercase(c);
            let c_lower = c_lower.as_ref();
            let c_chars = c_lower.chars().count();
            // Bounds that skip the costly measures where they cannot
            // decide (a script with a mistake on every line asks this
            // once a line): Levenshtein is at least the difference in
            // length, and Jaro at most (m/a + m/b + 1) / 3 with m, the
            // matching characters, at most the shorter length.
            let (short, long) = (chars.min(c_chars), chars.max(c_chars));
            #[allow(clippy::cast_precision_loss)]
            let jaro_bound =
                (short as f64 / chars as f64 + short as f64 / c_chars as f64 + 1.0) / 3.0;
            let may_be_close = long - short <= 2 && c_lower.len() > 3;
            let close = may_be_close && strsim::levenshtein(&lower, c_lower) <= 2;
            let score = match (close, jaro_bound) {
                (true, b) if b <= 0.85 => 0.85,
                (true, _) => strsim::jaro(&lower, c_lower).max(0.85),
                (false, b) if b <= 0.8 => return None,
                (false, _) => strsim::jaro(&lower, c_lower),
            };
            Some((i, score))
        })
        .filter(|(_, score)| *score > 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// `text` in ASCII lower case, borrowed when it already is.
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_near_misses_only() {
        let kws = ["accountproviders", "users", "roles", "trustedprojects"];
        assert_eq!(
            did_you_mean("accountprovider", kws),
            Some("accountproviders")
        );
        assert_eq!(did_you_mean("usres", kws), Some("users"));
        assert_eq!(did_you_mean("zebra", kws), None);
        assert_eq!(did_you_mean("users", kws), None);
    }
}
