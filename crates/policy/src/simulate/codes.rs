//! The stable codes of simulation errors: a request that cannot be read,
//! a policy that cannot be simulated.

mcauth_codes::catalogue! {
    /// Why a request or a policy cannot be simulated.
    pub enum SimulateCode in "mcauth::policy::" {
        /// A request line is not JSON.
        RequestJson => "request::json";
        /// A request is JSON but not an object.
        RequestNotAnObject => "request::not_an_object";
        /// A request without `action` or `resource`.
        RequestMissingField => "request::missing_field";
        /// A request field of the wrong type.
        RequestWrongType => "request::wrong_type";
        /// A request field the request format does not have.
        RequestUnknownField => "request::unknown_field",
            help "the fields are \"action\", \"resource\" and \"context\"";
        /// A request line that is not UTF-8.
        RequestInvalidUtf8 => "request::invalid_utf8",
            help "save the requests as UTF-8";
        /// A request whose action is not in the `odps:` catalogue.
        RequestUnknownAction => "request::unknown_action";
        /// A `--context` argument without `=`.
        RequestBadContext => "request::bad_context";
        /// A policy with error findings.
        InvalidPolicy => "simulate::invalid_policy",
            help "run `mcauth policy lint` on it";
        /// A project-level policy; simulation covers RAM policies.
        UnsupportedDialect => "simulate::unsupported_dialect";
        /// No system policy of that name.
        UnknownSystemPolicy => "simulate::unknown_system_policy";
        /// A built-in system policy did not read; a bug in the catalogue.
        BrokenSystemPolicy => "simulate::broken_system_policy";
    }
}
