//! One `[[prometheus.query]]` check: `GET /api/v1/query` prepared once (a password in the
//! URL becomes a basic-auth header and leaves the URL), the answer read in capped chunks
//! and judged against the query's limits.

use std::time::Duration;

use reqwest::{Client, Request, Response};

use crate::kinds::QueryCheck;
use crate::kinds::{Outcome, Reading};
use crate::net::reason::from_error as failure_reason;

use super::level::judge;
use crate::kinds::prometheus::wire;

/// The largest answer read: one series is a few hundred bytes; this leaves room for a
/// query that matched many before it is refused for that.
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// A query's request, prepared once per config.
pub struct QueryTarget {
    client: Client,
    request: Request,
    check: QueryCheck,
    /// For DNS reasons.
    host: Box<str>,
}

impl QueryTarget {
    /// Prepares the request; `timeout` (the query's) is also sent to Prometheus, a
    /// little shorter, so a slow evaluation ends with Prometheus's own reason.
    pub fn new(check: &QueryCheck, timeout: Duration, client: Client) -> Result<Self, String> {
        let mut url = check.url.clone();
        let path = format!("{}/api/v1/query", url.path().trim_end_matches('/'));
        url.set_path(&path);
        let server_timeout = timeout.mul_f64(0.9).max(Duration::from_millis(1));
        url.query_pairs_mut()
            .append_pair("query", &check.query)
            .append_pair("timeout", &format!("{}ms", server_timeout.as_millis()));
        let request = client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .build()
            .map_err(|error| format!("invalid request: {}", failure_reason(&error, "")))?;
        Ok(Self {
            client,
            request,
            check: check.clone(),
            host: check.url.host_str().unwrap_or_default().into(),
        })
    }

    /// Asks the query once. Unbounded in time: the caller applies the timeout.
    pub async fn check(&self) -> (Outcome, Option<Reading>) {
        let Some(request) = self.request.try_clone() else {
            let reason = "request cannot be repeated".to_string();
            return (
                Outcome::Fail {
                    status: None,
                    reason,
                },
                None,
            );
        };
        let mut response = match self.client.execute(request).await {
            Ok(response) => response,
            Err(error) => return failed(None, failure_reason(&error, &self.host)),
        };
        let status = response.status().as_u16();
        let body = match read_capped(&mut response).await {
            Ok(body) => body,
            Err(reason) => return failed(Some(status), reason),
        };
        match wire::parse(&body) {
            Ok(answer) => {
                let (outcome, reading) = judge(&self.check, status, answer);
                (outcome, Some(reading))
            }
            // A proxy's error page is not JSON: the status says more than the parse error.
            Err(_) if !(200..300).contains(&status) && !looks_like_json(&body) => {
                failed(Some(status), format!("status {status}"))
            }
            Err(reason) => failed(Some(status), reason),
        }
    }
}

fn failed(status: Option<u16>, reason: String) -> (Outcome, Option<Reading>) {
    (Outcome::Fail { status, reason }, None)
}

fn looks_like_json(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

async fn read_capped(response: &mut Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > MAX_ANSWER_BYTES => {
                return Err(format!(
                    "answer larger than {} MiB; aggregate the query",
                    MAX_ANSWER_BYTES >> 20
                ));
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(error) => return Err(failure_reason(&error, "")),
        }
    }
}
