//! "Did you mean …?" for misspelt words, from the shared text utilities (`mcauth-text`).

pub use mcauth_text::did_you_mean;
pub(crate) use mcauth_text::did_you_mean_static;

#[cfg(test)]
mod tests {
    use super::{did_you_mean, did_you_mean_static};

    /// The bounds that skip Jaro and Levenshtein change no answer: the
    /// same choice as scoring every candidate in full.
    #[test]
    fn the_shortcuts_choose_as_the_full_scores_do() {
        let full = |word: &str, kws: &[&'static str]| -> Option<&'static str> {
            let lower = word.to_ascii_lowercase();
            kws.iter()
                .copied()
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
        };
        let kws = crate::keywords::ALL;
        let words = [
            "lst",
            "ad",
            "grnat",
            "revok",
            "usres",
            "Roles",
            "accountprovider",
            "x",
            "describ",
            "creat",
            "dro",
            "SHOW",
            "whoam",
            "purg",
            "tenant",
            "tennat",
            "puts",
            "se",
            "sets",
            "privilegeproperty",
            "projectprotection",
            "aaaaaaaa",
            "é",
            "grant_",
        ];
        let starts = crate::keywords::STATEMENT_STARTS;
        for word in words {
            // Twice: the second answer is the kept one, and must be the same;
            // with other candidates a kept answer is not reused.
            for _ in 0..2 {
                let expected = full(word, kws);
                assert_eq!(did_you_mean(word, kws.iter().copied()), expected, "{word}");
                let few = &kws[..5];
                let expected_few = full(word, few);
                assert_eq!(
                    did_you_mean(word, few.iter().copied()),
                    expected_few,
                    "{word}"
                );
                assert_eq!(did_you_mean_static(word, kws), expected, "{word}");
                let expected_starts = full(word, starts);
                assert_eq!(did_you_mean_static(word, starts), expected_starts, "{word}");
            }
        }
    }
}
