//! Reading answers: success bodies, and `<Error>` bodies into [`ServiceError`].

use super::send::{Call, RawResponse};
use crate::error::{OdpsError, ServiceError};
use crate::model;

/// Longest body excerpt kept in an error.
const SNIPPET: usize = 512;

/// `Ok(resp)` for 2xx, else the error the body describes.
pub(crate) fn success(call: &Call, resp: RawResponse) -> Result<RawResponse, OdpsError> {
    if (200..300).contains(&resp.status) {
        return Ok(resp);
    }
    Err(error_from(call, &resp))
}

/// The error for a non-success answer.
pub(crate) fn error_from(call: &Call, resp: &RawResponse) -> OdpsError {
    match model::parse_error(&resp.body) {
        Some(body) => OdpsError::Service(ServiceError {
            status: resp.status,
            code: body.code.unwrap_or_default().trim().to_owned(),
            message: body.message.unwrap_or_default().trim().to_owned(),
            request_id: body
                .request_id
                .filter(|id| !id.trim().is_empty())
                .or_else(|| resp.header("x-odps-request-id").map(str::to_owned)),
            host_id: body.host_id.filter(|h| !h.trim().is_empty()),
        }),
        None => OdpsError::UnexpectedResponse {
            status: resp.status,
            method: call.method.as_str().to_owned(),
            path: call.target.path.clone(),
            body: truncate(&resp.body),
        },
    }
}

/// The error for a 2xx answer whose body cannot be read.
pub(crate) fn invalid(call: &Call, message: impl Into<String>) -> OdpsError {
    OdpsError::InvalidResponse {
        method: call.method.as_str().to_owned(),
        path: call.target.path.clone(),
        message: message.into(),
    }
}

fn truncate(body: &str) -> String {
    match body.char_indices().nth(SNIPPET) {
        Some((i, _)) => format!("{}…", &body[..i]),
        None => body.to_owned(),
    }
}
