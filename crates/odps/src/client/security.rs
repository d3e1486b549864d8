//! Security queries: `POST /projects/{p}/authorization`, and polling of the
//! asynchronous ones (docs/wire-protocol.md#security-queries).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Instant;

use reqwest::Method;

use super::Client;
use super::answer;
use crate::error::OdpsError;
use crate::model::{self, QueryStatus};

/// A security statement to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityQuery {
    /// The statement, e.g. `grant r to RAM$a@b.com:c`.
    pub query: String,
    /// `ResponseInJsonFormat`. Default `true`.
    pub json: bool,
    /// `Settings`, sent as a JSON object when not empty.
    pub settings: BTreeMap<String, String>,
}

impl SecurityQuery {
    /// A statement with a JSON answer and no settings.
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
            json: true,
            settings: BTreeMap::new(),
        }
    }

    /// Sets `ResponseInJsonFormat`.
    pub fn json(mut self, json: bool) -> Self {
        self.json = json;
        self
    }

    /// Adds a setting.
    pub fn setting(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.insert(key.into(), value.into());
        self
    }
}

/// What the POST answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submission {
    /// HTTP 200: the result (possibly empty).
    Done(String),
    /// Another 2xx: an instance to poll.
    Async {
        /// The instance id.
        instance_id: String,
    },
}

impl Client {
    /// Sends a security statement once. Never re-sent after it may have
    /// reached the server: such failures are [`OdpsError::OutcomeUnknown`].
    pub async fn submit_security_query(
        &self,
        project: &str,
        query: &SecurityQuery,
    ) -> Result<Submission, OdpsError> {
        let body = model::authorization_body_checked(&query.query, query.json, &query.settings)
            .map_err(|message| OdpsError::InvalidArgument { message })?;
        let target = self.target(&["projects", project, "authorization"])?;
        let call = self.call(Method::POST, target, Some(("application/xml", body)));
        let resp = answer::success(&call, self.execute(&call).await?)?;
        let (result, _) = model::parse_result(&resp.body).map_err(|e| answer::invalid(&call, e))?;
        if resp.status == 200 {
            return Ok(Submission::Done(result));
        }
        let instance_id = result.trim().to_owned();
        if instance_id.is_empty() {
            return Err(answer::invalid(
                &call,
                format!("HTTP {} without an instance id", resp.status),
            ));
        }
        Ok(Submission::Async { instance_id })
    }

    /// One poll: the status and result text of an asynchronous query.
    pub async fn security_query_status(
        &self,
        project: &str,
        instance_id: &str,
    ) -> Result<(QueryStatus, String), OdpsError> {
        let target = self.target(&["projects", project, "authorization", instance_id])?;
        let call = self.call(Method::GET, target, None);
        let resp = answer::success(&call, self.execute(&call).await?)?;
        let (result, status) =
            model::parse_result(&resp.body).map_err(|e| answer::invalid(&call, e))?;
        let status_text = status.unwrap_or_default();
        let status = QueryStatus::parse(&status_text).ok_or_else(|| {
            answer::invalid(&call, format!("unknown query status {status_text:?}"))
        })?;
        Ok((status, result))
    }

    /// Polls until the query ends, with the configured backoff (100 ms
    /// doubling to 3 s). Resolves to [`OdpsError::Cancelled`] as soon as
    /// `cancel` does.
    pub async fn wait_security_query(
        &self,
        project: &str,
        instance_id: &str,
        cancel: impl Future<Output = ()>,
    ) -> Result<String, OdpsError> {
        let mut cancel = std::pin::pin!(cancel);
        let policy = self.config.poll;
        let start = Instant::now();
        let cancelled = || OdpsError::Cancelled {
            instance_id: Some(instance_id.to_owned()),
            while_sending: false,
        };
        let mut n: u32 = 0;
        loop {
            if policy.max_wait.is_some_and(|max| start.elapsed() >= max) {
                return Err(OdpsError::PollTimeout {
                    instance_id: instance_id.to_owned(),
                    waited: start.elapsed(),
                });
            }
            tokio::select! {
                () = tokio::time::sleep(policy.interval(n)) => n = n.saturating_add(1),
                () = &mut cancel => return Err(cancelled()),
            }
            let polled = tokio::select! {
                r = self.security_query_status(project, instance_id) => r?,
                () = &mut cancel => return Err(cancelled()),
            };
            match polled {
                (QueryStatus::Running, _) => {}
                (QueryStatus::Terminated, result) => return Ok(result),
                (QueryStatus::Failed, message) => {
                    return Err(OdpsError::QueryFailed {
                        instance_id: instance_id.to_owned(),
                        message,
                    });
                }
            }
        }
    }

    /// Runs a statement to completion: submits it and, if the answer is
    /// asynchronous, polls it. `cancel` (e.g. Ctrl-C) interrupts either step;
    /// interrupting the send gives `Cancelled { while_sending: true }`, whose
    /// outcome is unknown.
    pub async fn run_security_query(
        &self,
        project: &str,
        query: &SecurityQuery,
        cancel: impl Future<Output = ()>,
    ) -> Result<String, OdpsError> {
        let mut cancel = std::pin::pin!(cancel);
        let submission = tokio::select! {
            r = self.submit_security_query(project, query) => r?,
            () = &mut cancel => {
                return Err(OdpsError::Cancelled { instance_id: None, while_sending: true });
            }
        };
        match submission {
            Submission::Done(result) => Ok(result),
            Submission::Async { instance_id } => {
                self.wait_security_query(project, &instance_id, cancel)
                    .await
            }
        }
    }
}
