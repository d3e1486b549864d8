//! Did-you-mean suggestions.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
/// Case is ignored when comparing; the candidate is returned as written.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested() {
        let names = [
            "odps:CreateProject",
            "odps:GetProject",
            "odps:CreateQuotaPlan",
        ];
        assert_eq!(
            closest("odps:CreateProjects", names),
            Some("odps:CreateProject")
        );
        assert_eq!(closest("ODPS:getproject", names), Some("odps:GetProject"));
        assert_eq!(closest("Alow", ["Allow", "Deny"]), Some("Allow"));
        assert_eq!(closest("Actions", ["Action", "Resource"]), Some("Action"));
    }

    #[test]
    fn unrelated_words_are_not() {
        assert_eq!(closest("Banana", ["Allow", "Deny"]), None);
        assert_eq!(closest("x", std::iter::empty()), None);
    }
}
