//! Did-you-mean suggestions for policy names, from the shared text utilities (`mcauth-text`).

pub(crate) use mcauth_text::closest_name as closest;

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
