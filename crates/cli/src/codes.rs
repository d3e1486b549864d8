//! The binary's own diagnostic codes: questions (`why`, `who-can`),
//! expectations (`mcauth test`) and unreadable input files. Every other
//! code the CLI prints is a library crate's; `docs/codes.md` lists them
//! all (see the tests below).

mcauth_codes::catalogue! {
    /// The CLI's own stable codes.
    pub enum CliCode in "mcauth::" {
        /// A question with no subject, or no name after `role`/`user`.
        MissingSubject => "explain::missing_subject",
            help "start with whom it is about: RAM$acct:bob, user RAM$acct:bob, role analyst, or a member's short name";
        /// A name no member, nor the owner, goes by.
        UnknownName => "explain::unknown_name",
            help "write the principal in full, e.g. RAM$<account>:name, or `role name` for a role";
        /// A name several members go by.
        AmbiguousName => "explain::ambiguous_name",
            help "write the principal in full";
        /// A principal written with a provider that cannot be read.
        BadPrincipal => "explain::bad_principal";
        /// The part after the subject does not read as `PRIVILEGE on TYPE OBJECT`.
        BadQuestion => "explain::bad_question";
        /// A privilege the object's type does not take.
        PrivilegeNotForType => "explain::privilege_not_for_type";
        /// A trailing `owned by …` or `to project …` that does not read.
        BadClause => "explain::bad_clause",
            help "end the question with `owned by PRINCIPAL` and/or `to project PROJECT`, each once";
        /// An expectation without `can` or `cannot` after its subject.
        ExpectedCan => "test::expected_can",
            help "write SUBJECT can|cannot PRIVILEGE on TYPE OBJECT";
        /// An input file that cannot be read.
        Unreadable => "io::unreadable";
    }
}

/// `docs/codes.md`, generated from every crate's catalogue and the exit
/// codes; a test keeps the file in step.
#[cfg(test)]
mod docs {
    use mcauth_codes::Entry;

    use super::CliCode;
    use crate::exit;

    /// One section of the page: a heading, where its codes come from,
    /// and the codes.
    struct Section {
        title: &'static str,
        source: &'static str,
        entries: Vec<Entry>,
    }

    fn sections() -> Vec<Section> {
        let section = |title, source, entries: &mut dyn Iterator<Item = Entry>| Section {
            title,
            source,
            entries: entries.collect(),
        };
        vec![
            section(
                "Syntax errors",
                "`mcauth-syntax`, `ErrorCode` (crates/syntax/src/diagnostic.rs): the parser",
                &mut mcauth_syntax::ErrorCode::entries(),
            ),
            section(
                "Rule failures",
                "`mcauth-engine`, `FailureCode` (crates/engine/src/failure.rs): a statement MaxCompute's rules refuse; the failure's own help names the statement that fixes it",
                &mut mcauth_engine::FailureCode::entries(),
            ),
            section(
                "Warnings",
                "`mcauth-engine`, `WarningCode` (crates/engine/src/failure.rs): a statement that runs, with something worth knowing",
                &mut mcauth_engine::WarningCode::entries(),
            ),
            section(
                "Audit findings",
                "`mcauth-engine`, `AuditCode` (crates/engine/src/audit.rs): `mcauth audit`; the meaning is the SARIF rule description",
                &mut mcauth_engine::audit::AuditCode::entries(),
            ),
            section(
                "Policy lint",
                "`mcauth-policy`, `Code` and `JsonErrorKind` (crates/policy/src/finding.rs, crates/policy/src/json/error.rs): `mcauth policy lint` and `put policy`",
                &mut mcauth_policy::Code::entries(),
            ),
            section(
                "Policy simulation",
                "`mcauth-policy`, `SimulateCode` (crates/policy/src/simulate/codes.rs): `mcauth policy simulate`",
                &mut mcauth_policy::SimulateCode::entries(),
            ),
            section(
                "Store",
                "`mcauth-store`, `StoreCode` (crates/store/src/error.rs): the embedded store, and the emulator's answers when its store fails",
                &mut mcauth_store::StoreCode::entries(),
            ),
            section(
                "MaxCompute client and configuration",
                "`mcauth-odps`, `OdpsCode` (crates/odps/src/error.rs): the remote backend",
                &mut mcauth_odps::OdpsCode::entries(),
            ),
            section(
                "Emulator",
                "`mcauth-serve`, `ServeCode` (crates/serve/src/error.rs): `mcauth serve` start-up, and the `x-mcauth-code` header of its answers (an engine failure or a syntax error carries the engine's or the parser's code)",
                &mut mcauth_serve::ServeCode::entries(),
            ),
            section(
                "Command line",
                "`mcauth`, `CliCode` (crates/cli/src/codes.rs): `why`, `who-can`, `mcauth test` and unreadable input files",
                &mut CliCode::entries(),
            ),
        ]
    }

    /// A table cell: one line, `|` escaped, and `<` too outside code
    /// spans (else Markdown reads `<account>` as a tag).
    fn cell(text: &str) -> String {
        let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        line.split('`')
            .enumerate()
            .map(|(i, part)| {
                let part = part.replace('|', "\\|");
                if i % 2 == 0 {
                    part.replace('<', "&lt;")
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("`")
    }

    fn render() -> String {
        let mut out = String::from(
            "# Diagnostic codes\n\n\
             <!-- Generated by `MCAUTH_UPDATE_CODES=1 cargo test -p mcauth --bin mcauth codes`\n\
             from each crate's catalogue; do not edit by hand. -->\n\n\
             Every diagnostic mcauth prints has a stable code, `mcauth::<area>::<name>`,\n\
             that never changes meaning; a new kind of problem gets a new code. Each\n\
             crate declares its codes once, in one catalogue (`mcauth_codes::catalogue!`),\n\
             with the meaning and the help listed here. The help is the general fix; a\n\
             diagnostic's own help may say more about the case at hand (the statement\n\
             that fixes it, the name it meant).\n",
        );
        for section in sections() {
            out.push_str(&format!(
                "\n## {}\n\n{}.\n\n| code | meaning | help |\n| --- | --- | --- |\n",
                section.title, section.source
            ));
            for e in &section.entries {
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    e.code,
                    cell(e.meaning),
                    e.help.map_or_else(|| "—".to_owned(), cell)
                ));
            }
        }
        out.push_str(
            "\n## Exit codes\n\n`mcauth` (crates/cli/src/exit.rs): the same in every mode.\n\n\
             | exit code | meaning |\n| --- | --- |\n",
        );
        for (code, meaning) in exit::MEANINGS {
            out.push_str(&format!("| {code} | {} |\n", cell(meaning)));
        }
        out
    }

    fn path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/codes.md")
    }

    #[test]
    fn docs_codes_md_is_up_to_date() {
        let page = render();
        if std::env::var_os("MCAUTH_UPDATE_CODES").is_some() {
            std::fs::write(path(), &page).expect("write docs/codes.md");
        }
        let written = std::fs::read_to_string(path()).unwrap_or_default();
        assert!(
            written == page,
            "docs/codes.md is out of date with the code catalogues; regenerate it with\n    \
             MCAUTH_UPDATE_CODES=1 cargo test -p mcauth --bin mcauth codes"
        );
    }

    #[test]
    fn codes_are_unique_namespaced_and_documented() {
        let all: Vec<Entry> = sections().into_iter().flat_map(|s| s.entries).collect();
        assert_eq!(mcauth_codes::first_duplicate(&all), None);
        let page = render();
        for e in &all {
            assert!(e.code.starts_with("mcauth::"), "{}", e.code);
            assert!(!e.meaning.is_empty(), "{} has no meaning", e.code);
            assert!(page.contains(&format!("`{}`", e.code)), "{}", e.code);
        }
        let numbers: Vec<u8> = exit::MEANINGS.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [0, exit::FAILED, exit::USAGE, exit::CONFIG]);
    }
}
