//! A client of one Alertmanager's v2 API: its alerts and silences read, alerts sent,
//! silences made and expired. Each request is bounded by the configured `timeout`, no
//! proxy, no redirects, answers read in capped chunks; a password in the URL is sent as
//! basic auth and kept out of every error.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::{Client, Method, Url};

use super::error::AlertmanagerError;
use super::model::{NewSilence, OutgoingAlert};
use super::wire;
use crate::config::AlertmanagerConfig;
use crate::net::reason::innermost;
use crate::view::alertmanager::{AmAlert, AmSilence};

/// The largest answer read (a busy Alertmanager's alert list is a few MiB).
const MAX_ANSWER_BYTES: usize = 32 << 20;

/// Bytes of a refusal read for its explanation.
const REFUSAL_BYTES: usize = 4096;

/// Talks to one Alertmanager; cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct AlertmanagerClient {
    http: Client,
    /// The base URL without credentials, its path ending in `/`.
    base: Url,
    user: Option<String>,
    password: Option<String>,
    timeout: Duration,
}

impl AlertmanagerClient {
    /// A client for `config`'s Alertmanager. Must be called inside a tokio runtime.
    pub fn new(config: &AlertmanagerConfig) -> Result<Self, AlertmanagerError> {
        let http = crate::net::api_client(0)
            .map_err(|err| AlertmanagerError::Client(innermost(&err).to_string()))?;
        let mut base = config.url.clone();
        let user = Some(decoded(base.username())).filter(|u| !u.is_empty());
        let password = base.password().map(decoded);
        // Only URLs that cannot hold credentials refuse these, and those hold none.
        let _ = base.set_username("");
        let _ = base.set_password(None);
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(Self {
            http,
            base,
            user,
            password,
            timeout: config.timeout,
        })
    }

    /// Every alert Alertmanager holds that is not resolved: active, silenced, inhibited
    /// and unprocessed alike.
    pub async fn alerts(&self) -> Result<Vec<AmAlert>, AlertmanagerError> {
        let request = "GET /api/v2/alerts";
        let body = self.send(Method::GET, "alerts", None, request).await?;
        wire::decode_alerts(&body).map_err(|detail| self.unexpected(request, detail))
    }

    /// Sends `alerts`: new ones open, known ones are renewed, and those with an `endsAt`
    /// in the past are resolved.
    pub async fn post_alerts(&self, alerts: &[OutgoingAlert]) -> Result<(), AlertmanagerError> {
        let body = wire::encode_alerts(alerts);
        self.send(Method::POST, "alerts", Some(body), "POST /api/v2/alerts")
            .await
            .map(drop)
    }

    /// Every silence Alertmanager keeps, expired ones included (until its retention).
    pub async fn silences(&self) -> Result<Vec<AmSilence>, AlertmanagerError> {
        let request = "GET /api/v2/silences";
        let body = self.send(Method::GET, "silences", None, request).await?;
        wire::decode_silences(&body).map_err(|detail| self.unexpected(request, detail))
    }

    /// Creates `silence`; returns its id.
    pub async fn create_silence(&self, silence: &NewSilence) -> Result<String, AlertmanagerError> {
        let request = "POST /api/v2/silences";
        let body = wire::encode_silence(silence);
        let answer = self
            .send(Method::POST, "silences", Some(body), request)
            .await?;
        wire::decode_silence_id(&answer).map_err(|detail| self.unexpected(request, detail))
    }

    /// Ends the silence `id` now (it stays listed, `expired`).
    pub async fn expire_silence(&self, id: &str) -> Result<(), AlertmanagerError> {
        let request = format!("DELETE /api/v2/silence/{id}");
        let mut url = self.endpoint("silence", &request)?;
        url.path_segments_mut()
            .map_err(|()| self.unexpected(&request, "the URL cannot take a path".to_string()))?
            .push(id);
        self.send_to(Method::DELETE, url, None, &request)
            .await
            .map(drop)
    }

    /// `api/v2/<path>` under the base URL.
    fn endpoint(&self, path: &str, request: &str) -> Result<Url, AlertmanagerError> {
        self.base
            .join(&format!("api/v2/{path}"))
            .map_err(|err| self.unexpected(request, format!("cannot build the URL: {err}")))
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        request: &str,
    ) -> Result<Vec<u8>, AlertmanagerError> {
        let url = self.endpoint(path, request)?;
        self.send_to(method, url, body, request).await
    }

    /// One request; a 2xx answer's body (at most `MAX_ANSWER_BYTES`), or what went wrong.
    async fn send_to(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        request: &str,
    ) -> Result<Vec<u8>, AlertmanagerError> {
        let mut builder = self.http.request(method, url).timeout(self.timeout);
        if let Some(user) = &self.user {
            builder = builder.basic_auth(user, self.password.as_deref());
        }
        if let Some(body) = body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }
        let mut response = builder
            .send()
            .await
            .map_err(|err| self.failed(request, &err))?;
        let status = response.status();
        if !status.is_success() {
            let start = self.read(&mut response, REFUSAL_BYTES, request).await;
            let reason = start.map_or_else(|_| String::new(), |b| wire::refusal_reason(&b));
            return Err(AlertmanagerError::Refused {
                request: request.to_string(),
                status: status.as_u16(),
                reason: self.scrub(&reason),
            });
        }
        let answer = self
            .read(&mut response, MAX_ANSWER_BYTES + 1, request)
            .await?;
        if answer.len() > MAX_ANSWER_BYTES {
            let detail = format!("it is larger than {} MiB", MAX_ANSWER_BYTES >> 20);
            return Err(self.unexpected(request, detail));
        }
        Ok(answer)
    }

    /// The body, read up to about `limit` bytes.
    async fn read(
        &self,
        response: &mut reqwest::Response,
        limit: usize,
        request: &str,
    ) -> Result<Vec<u8>, AlertmanagerError> {
        let mut body = Vec::new();
        while body.len() < limit {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(err) => return Err(self.failed(request, &err)),
            }
        }
        Ok(body)
    }

    fn failed(&self, request: &str, err: &reqwest::Error) -> AlertmanagerError {
        let request = request.to_string();
        if err.is_timeout() {
            let limit = humantime::format_duration(self.timeout).to_string();
            return AlertmanagerError::TimedOut { request, limit };
        }
        let what = if err.is_connect() {
            "connect"
        } else if err.is_body() || err.is_decode() {
            "reading the answer"
        } else {
            "request"
        };
        let cause = self.scrub(&format!("{what}: {}", innermost(err)));
        AlertmanagerError::Unreachable { request, cause }
    }

    fn unexpected(&self, request: &str, detail: String) -> AlertmanagerError {
        AlertmanagerError::Unexpected {
            request: request.to_string(),
            detail: self.scrub(&detail),
        }
    }

    /// `text` with the URL's password, should it appear, replaced by `***`.
    fn scrub(&self, text: &str) -> String {
        match self.password.as_deref().filter(|p| !p.is_empty()) {
            Some(password) => text.replace(password, "***"),
            None => text.to_string(),
        }
    }
}

/// A URL's user or password as written before percent-encoding (`p%40ss` is `p@ss`).
fn decoded(part: &str) -> String {
    percent_encoding::percent_decode_str(part)
        .decode_utf8_lossy()
        .into_owned()
}
