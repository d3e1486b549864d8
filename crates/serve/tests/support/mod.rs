//! A signed-request helper of mcauth's own (not PyODPS's): builds a
//! request, signs it with `mcauth_odps::authorization` exactly as a client would,
//! lets a test break one thing (a header, the query, the V4 scope, the
//! body after signing) and sends it over plain TCP to 127.0.0.1.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use mcauth_odps::{Credentials, SigningMode, VerifyRequest, authorization, candidate_strings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer as read off the wire: status, headers (lower-case names), body.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `<Code>` of an `<Error>` body.
    pub fn code(&self) -> Option<String> {
        mcauth_odps::parse_error(&self.body).and_then(|e| e.code)
    }

    /// The `<Message>` of an `<Error>` body.
    pub fn message(&self) -> String {
        mcauth_odps::parse_error(&self.body)
            .and_then(|e| e.message)
            .unwrap_or_default()
    }
}

/// One request to sign and send.
#[derive(Clone, Debug)]
pub struct Signed {
    pub method: String,
    /// Path and query as on the wire, e.g. `/api/projects/p/users?x=1`.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub credentials: Credentials,
    pub mode: SigningMode,
    /// The `Date` header.
    pub date: SystemTime,
    /// The instant the V4 scope date is taken from (normally `date`).
    pub scope_time: SystemTime,
    /// Replaces the body after signing (what a tamperer would do).
    pub swapped_body: Option<Vec<u8>>,
}

impl Signed {
    pub fn new(method: &str, target: &str, id: &str, secret: &str) -> Self {
        let now = SystemTime::now();
        Self {
            method: method.to_owned(),
            target: target.to_owned(),
            headers: vec![("x-odps-user-agent".to_owned(), "mcauth-test".to_owned())],
            body: Vec::new(),
            credentials: Credentials::new(id, secret),
            mode: SigningMode::V2,
            date: now,
            scope_time: now,
            swapped_body: None,
        }
    }

    pub fn get(target: &str, id: &str, secret: &str) -> Self {
        Self::new("GET", target, id, secret)
    }

    /// A security query (`POST /api/projects/{p}/authorization`).
    pub fn query(project: &str, statement: &str, id: &str, secret: &str) -> Self {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Authorization>\n  <Query>{}</Query>\n  <ResponseInJsonFormat>true</ResponseInJsonFormat>\n</Authorization>\n",
            quick_xml::escape::escape(statement)
        );
        Self::new(
            "POST",
            &format!("/api/projects/{project}/authorization"),
            id,
            secret,
        )
        .body("application/xml", xml.as_bytes())
    }

    pub fn body(mut self, content_type: &str, body: &[u8]) -> Self {
        self.headers
            .push(("Content-Type".to_owned(), content_type.to_owned()));
        self.body = body.to_vec();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn mode(mut self, mode: SigningMode) -> Self {
        self.mode = mode;
        self
    }

    pub fn sts_token(mut self, token: &str) -> Self {
        self.credentials = self.credentials.with_sts_token(token);
        self
    }

    pub fn dated(mut self, date: SystemTime) -> Self {
        self.date = date;
        self.scope_time = date;
        self
    }

    pub fn scope_time(mut self, at: SystemTime) -> Self {
        self.scope_time = at;
        self
    }

    pub fn swap_body(mut self, body: &[u8]) -> Self {
        self.swapped_body = Some(body.to_vec());
        self
    }

    /// Every header the request is sent with, `Authorization` included.
    pub fn signed_headers(&self) -> Vec<(String, String)> {
        let (path, query) = match self.target.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
            None => (self.target.clone(), None),
        };
        let mut headers = self.headers.clone();
        headers.push(("Date".to_owned(), httpdate::fmt_http_date(self.date)));
        if let Some(token) = &self.credentials.sts_token {
            headers.push((
                "authorization-sts-token".to_owned(),
                token.expose().to_owned(),
            ));
        }
        let vreq = VerifyRequest {
            method: self.method.clone(),
            path,
            query,
            headers: headers.clone(),
        };
        let string_to_sign = candidate_strings(&vreq, "/api").remove(0);
        let auth = authorization(
            &self.credentials,
            &self.mode,
            &string_to_sign,
            self.scope_time,
        );
        headers.push(("Authorization".to_owned(), auth));
        headers
    }

    /// The request as bytes, `Connection: close`.
    pub fn wire(&self, host: SocketAddr) -> Vec<u8> {
        let body = self.swapped_body.as_ref().unwrap_or(&self.body);
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.method,
            self.target,
            body.len()
        );
        for (k, v) in self.signed_headers() {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(body);
        out
    }

    /// Sends it on a new connection and reads the answer to the end.
    pub async fn send(&self, addr: SocketAddr) -> Raw {
        let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        stream.write_all(&self.wire(addr)).await.expect("send");
        read_answer(&mut stream).await
    }
}

/// Reads an answer until the server closes the connection (at most 30 s).
pub async fn read_answer(stream: &mut tokio::net::TcpStream) -> Raw {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
    parse_answer(&answer)
}

pub fn parse_answer(answer: &[u8]) -> Raw {
    let text = String::from_utf8_lossy(answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Raw {
        status,
        headers,
        body: body.to_owned(),
    }
}
