//! "Did you mean …?" for misspelt words.

/// The candidate closest to `word`, if it is close enough to be a likely
/// misspelling. Uses Jaro similarity, as clap does, plus a check that
/// catches a single missing or extra letter in short words.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    if lower.is_empty() || lower.len() > 64 {
        return None;
    }
    candidates
        .into_iter()
        .filter(|c| !c.eq_ignore_ascii_case(&lower))
        .map(|c| {
            let c_lower = c.to_ascii_lowercase();
            let score = strsim::jaro(&lower, &c_lower);
            let close = strsim::levenshtein(&lower, &c_lower) <= 2 && c_lower.len() > 3;
            (c, if close { score.max(0.85) } else { score })
        })
        .filter(|(_, score)| *score > 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
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
