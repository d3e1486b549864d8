//! The client's errors. Each variant has a stable diagnostic code of
//! [`OdpsCode`]. None of them can hold a secret: they are built from
//! status codes, service answers and messages this crate writes.

use std::fmt;
use std::time::Duration;

mcauth_codes::catalogue! {
    /// The stable codes of the client's errors.
    pub enum OdpsCode in "mcauth::odps::" {
        /// MaxCompute (or the emulator) answered with an `<Error>`; the
        /// message is its `<Code>` and `<Message>`.
        ServiceError => "service_error";
        /// A non-success answer without a readable `<Error>` body.
        UnexpectedResponse => "unexpected_response";
        /// A success answer whose body could not be understood.
        InvalidResponse => "invalid_response";
        /// The endpoint could not be reached (or a GET kept failing) within the retry budget.
        Transport => "transport",
            help "check the endpoint, the network and any proxy";
        /// A GET timed out on every attempt.
        Timeout => "timeout";
        /// A request that changes state was sent, and whether it took
        /// effect is unknown; it is never re-sent automatically.
        OutcomeUnknown => "outcome_unknown",
            help "the statement may or may not have been applied; read the state back before sending it again";
        /// An asynchronous security query ended `Failed`.
        QueryFailed => "query_failed";
        /// An asynchronous security query did not finish in time.
        PollTimeout => "poll_timeout";
        /// Cancelled by the caller (Ctrl-C).
        Cancelled => "cancelled";
        /// A name or statement that cannot be sent (e.g. control characters, `..`).
        InvalidArgument => "invalid_argument";
        /// The client could not be built (bad endpoint or proxy).
        Setup => "setup";
        /// The configuration file cannot be read.
        ConfigIo => "config::io";
        /// A `--config` file that does not exist.
        ConfigNotFound => "config::not_found";
        /// A configuration line that is not `key=value`.
        ConfigSyntax => "config::syntax",
            help "odps_config.ini lines are `key=value`; comments start with `#`";
        /// A configuration value that cannot be used.
        ConfigInvalidValue => "config::invalid_value";
        /// A required setting that no source provides; the help says
        /// where it can be given.
        ConfigMissing => "config::missing";
    }
}

/// An `<Error>` answer from MaxCompute (or the emulator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status.
    pub status: u16,
    /// `<Code>`, e.g. `NoPermission` or `ODPS-0130013`.
    pub code: String,
    /// `<Message>`, e.g. `ODPS-0420095: Access Denied - …`.
    pub message: String,
    /// `<RequestId>`, else the `x-odps-request-id` header.
    pub request_id: Option<String>,
    /// `<HostId>`.
    pub host_id: Option<String>,
}

impl ServiceError {
    /// The stable diagnostic code.
    pub const CODE: &'static str = OdpsCode::ServiceError.as_str();

    /// 404, `NoSuchObject`, `NoSuchProject`, … .
    pub fn is_not_found(&self) -> bool {
        self.status == 404 || self.code.starts_with("NoSuch")
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (HTTP {}", self.code, self.message, self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", RequestId {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ServiceError {}

impl miette::Diagnostic for ServiceError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(Self::CODE))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.ids().map(|ids| Box::new(ids) as Box<dyn fmt::Display>)
    }
}

impl ServiceError {
    /// `RequestId: …, HostId: …`, as far as the answer said them.
    fn ids(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(id) = &self.request_id {
            parts.push(format!("RequestId: {id}"));
        }
        if let Some(host) = self.host_id.as_ref().filter(|h| !h.is_empty()) {
            parts.push(format!("HostId: {host}"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Everything the client can fail with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OdpsError {
    /// The service answered with an `<Error>`.
    #[error(transparent)]
    Service(ServiceError),

    /// A non-success answer without a readable `<Error>` body.
    #[error("HTTP {status} from {method} {path}{}", snippet(.body))]
    UnexpectedResponse {
        /// HTTP status.
        status: u16,
        /// Request method.
        method: String,
        /// Request path (below the endpoint).
        path: String,
        /// The start of the body.
        body: String,
    },

    /// A success answer whose body could not be understood.
    #[error("cannot read the answer to {method} {path}: {message}")]
    InvalidResponse {
        /// Request method.
        method: String,
        /// Request path.
        path: String,
        /// What is wrong.
        message: String,
    },

    /// The endpoint could not be reached (or a GET kept failing) within the retry budget.
    #[error("cannot reach {endpoint} ({attempts} attempt(s)): {message}")]
    Transport {
        /// The endpoint.
        endpoint: String,
        /// Attempts made.
        attempts: u32,
        /// The last error.
        message: String,
    },

    /// A GET timed out on every attempt.
    #[error("{method} {path} timed out after {attempts} attempt(s)")]
    Timeout {
        /// Request method.
        method: String,
        /// Request path.
        path: String,
        /// Attempts made.
        attempts: u32,
    },

    /// A request that changes state was sent, and whether it took effect is
    /// unknown (connection lost after sending, timeout, gateway error). It is
    /// never re-sent automatically: read the state back, then decide.
    #[error("the outcome of {method} {path} is unknown: {reason}")]
    OutcomeUnknown {
        /// Request method.
        method: String,
        /// Request path.
        path: String,
        /// What happened.
        reason: String,
    },

    /// An asynchronous security query ended `Failed`.
    #[error("authorization query {instance_id} failed: {message}")]
    QueryFailed {
        /// The instance id.
        instance_id: String,
        /// The `<Result>` text.
        message: String,
    },

    /// An asynchronous security query did not finish within the poll policy's `max_wait`.
    #[error("authorization query {instance_id} still running after {waited:?}")]
    PollTimeout {
        /// The instance id.
        instance_id: String,
        /// Time spent polling.
        waited: Duration,
    },

    /// Cancelled by the caller (Ctrl-C).
    #[error("cancelled{}", cancelled_detail(.instance_id, *.while_sending))]
    Cancelled {
        /// The async instance being polled, if any.
        instance_id: Option<String>,
        /// Cancelled while the statement was being sent: its outcome is unknown.
        while_sending: bool,
    },

    /// A name or statement that cannot be sent (e.g. control characters, `..`).
    #[error("invalid argument: {message}")]
    InvalidArgument {
        /// What is wrong.
        message: String,
    },

    /// The client could not be built (bad endpoint or proxy).
    #[error("cannot set up the MaxCompute client: {message}")]
    Setup {
        /// What is wrong.
        message: String,
    },
}

impl OdpsError {
    /// The stable diagnostic code, e.g. `mcauth::odps::outcome_unknown`.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The catalogue entry of this error.
    pub fn kind(&self) -> OdpsCode {
        match self {
            Self::Service(_) => OdpsCode::ServiceError,
            Self::UnexpectedResponse { .. } => OdpsCode::UnexpectedResponse,
            Self::InvalidResponse { .. } => OdpsCode::InvalidResponse,
            Self::Transport { .. } => OdpsCode::Transport,
            Self::Timeout { .. } => OdpsCode::Timeout,
            Self::OutcomeUnknown { .. } => OdpsCode::OutcomeUnknown,
            Self::QueryFailed { .. } => OdpsCode::QueryFailed,
            Self::PollTimeout { .. } => OdpsCode::PollTimeout,
            Self::Cancelled { .. } => OdpsCode::Cancelled,
            Self::InvalidArgument { .. } => OdpsCode::InvalidArgument,
            Self::Setup { .. } => OdpsCode::Setup,
        }
    }

    /// Whether a state-changing request may or may not have taken effect;
    /// the caller must read the state back before re-sending.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::OutcomeUnknown { .. }
                | Self::Cancelled {
                    while_sending: true,
                    ..
                }
        )
    }

    /// A 404 / `NoSuch*` answer.
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::Service(e) => e.is_not_found(),
            Self::UnexpectedResponse { status, .. } => *status == 404,
            _ => false,
        }
    }

    /// The service error, if this is one.
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl mcauth_codes::Coded for OdpsError {
    fn entry(&self) -> mcauth_codes::Entry {
        self.kind().entry()
    }

    fn specific_help(&self) -> Option<String> {
        match self {
            Self::Service(e) => e.ids(),
            _ => None,
        }
    }
}

mcauth_codes::diagnostic!(OdpsError);

fn snippet(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

fn cancelled_detail(instance_id: &Option<String>, while_sending: bool) -> String {
    match (instance_id, while_sending) {
        (_, true) => {
            " while the statement was being sent; it may or may not have been applied".into()
        }
        (Some(id), false) => format!(" while waiting for authorization query {id}"),
        (None, false) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::Diagnostic as _;

    fn service() -> ServiceError {
        ServiceError {
            status: 403,
            code: "NoPermission".into(),
            message: "ODPS-0420095: Access Denied".into(),
            request_id: Some("RID1".into()),
            host_id: Some("localhost".into()),
        }
    }

    #[test]
    fn service_errors_show_code_message_request_id_and_status() {
        let e = OdpsError::Service(service());
        assert_eq!(
            e.to_string(),
            "NoPermission: ODPS-0420095: Access Denied (HTTP 403, RequestId RID1)"
        );
        assert_eq!(e.code().to_string(), "mcauth::odps::service_error");
        let diag_code = e.diagnostic_code_string();
        assert_eq!(diag_code.as_deref(), Some("mcauth::odps::service_error"));
        let help = e.help().map(|h| h.to_string()).unwrap_or_default();
        assert_eq!(help, "RequestId: RID1, HostId: localhost");
    }

    #[test]
    fn every_variant_reports_its_code_through_miette() {
        let all = [
            OdpsError::Service(service()),
            OdpsError::UnexpectedResponse {
                status: 502,
                method: "GET".into(),
                path: "/x".into(),
                body: String::new(),
            },
            OdpsError::OutcomeUnknown {
                method: "POST".into(),
                path: "/x".into(),
                reason: "connection closed".into(),
            },
            OdpsError::Cancelled {
                instance_id: None,
                while_sending: true,
            },
        ];
        for e in &all {
            assert_eq!(e.diagnostic_code_string().as_deref(), Some(e.code()));
        }
        assert!(all[2].outcome_unknown() && all[3].outcome_unknown());
        assert!(!all[0].outcome_unknown());
    }

    trait CodeString {
        fn diagnostic_code_string(&self) -> Option<String>;
    }

    impl<T: miette::Diagnostic> CodeString for T {
        fn diagnostic_code_string(&self) -> Option<String> {
            self.code().map(|c| c.to_string())
        }
    }
}
