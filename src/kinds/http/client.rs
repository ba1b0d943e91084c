//! HTTP(S) checks: one prepared request per service on a shared client, the status
//! and body judged against the service's expectations.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use reqwest::tls::TlsInfo;
use std::sync::Arc;

use reqwest::header::LOCATION;
use reqwest::{Client, Method, Request, Response, StatusCode, Url, redirect};

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::IpFamily;
use crate::kinds::HttpCheck;
use crate::kinds::certificate::LastCertificate;
use crate::kinds::tls::{TlsCheck, TlsTarget};
use crate::kinds::{Certificate, Checked, Outcome};
use crate::net::reason;

use super::body::{BodyCheck, Chunks, read_capped};
use super::direct::DirectHttp;
use crate::kinds::stage::{Stage, StageCell};

/// The options that live on a client rather than a request; services that agree on
/// them share one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientKey {
    use_env_proxy: bool,
    /// `ip = "v4" | "v6"`: connections keep to that family.
    ip: Option<IpFamily>,
    reuse_connections: bool,
    /// `insecure = true`: certificates are not verified.
    accept_invalid_certs: bool,
}

impl ClientKey {
    pub(crate) fn of(check: &HttpCheck) -> Self {
        Self {
            ip: check.ip,
            use_env_proxy: check.use_env_proxy,
            reuse_connections: check.reuse_connections,
            accept_invalid_certs: check.insecure,
        }
    }

    /// Builds the client. Certificates are verified against the system's roots (reqwest
    /// uses rustls-platform-verifier, which loads them once per client here) unless the
    /// service says `insecure = true`.
    pub(crate) fn build(self) -> Result<Client, reqwest::Error> {
        let mut builder = Client::builder()
            // Redirects are followed by `HttpTarget::follow`, which decides what headers
            // go along.
            .redirect(redirect::Policy::none())
            .referer(false)
            .user_agent(crate::net::USER_AGENT)
            .tcp_nodelay(true)
            // The peer's certificate, for its expiry (HTTPS only; plain HTTP has none).
            .tls_info(true)
            // A check reports what happened; a retry would hide a failure (and zero
            // retries also spares cloning every request for a possible replay).
            .retry(reqwest::retry::never().max_retries_per_request(0));
        if !self.use_env_proxy {
            builder = builder.no_proxy();
        }
        // Bound to the family's unspecified address, a connection to an address of the
        // other family fails, and the next address the name resolves to is tried.
        builder = match self.ip {
            Some(IpFamily::V4) => builder.local_address(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            Some(IpFamily::V6) => builder.local_address(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
            None => builder,
        };
        if self.accept_invalid_certs {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        if !self.reuse_connections {
            // Nothing idle is kept: every check connects, so latency includes connect.
            // A connection lives for one request, so keep-alive probes and a user timeout
            // would only cost five setsockopt calls per check.
            builder = builder
                .pool_max_idle_per_host(0)
                .tcp_keepalive(None)
                .tcp_keepalive_interval(None)
                .tcp_keepalive_retries(None)
                .tcp_user_timeout(None);
        }
        builder.build()
    }
}

/// One service's request and expectations, prepared once.
pub(crate) struct HttpTarget {
    client: Client,
    method: Method,
    url: Url,
    headers: HeaderMap,
    /// Accepted codes; empty means any 2xx.
    expect_status: Box<[u16]>,
    /// "2xx" or "200, 204", for reasons.
    expected_text: Box<str>,
    body: Option<BodyCheck>,
    max_redirects: usize,
    reuse_connections: bool,
    max_body_bytes: usize,
    /// For DNS reasons.
    host: Box<str>,
    /// Set for plain `http://` targets that need nothing only reqwest can do.
    direct: Option<DirectHttp>,
    /// The last certificate seen and what it says, so an unchanged one is read once.
    certificate: LastCertificate,
    /// The request's body, sent with the request (and with a 307 or 308 redirect of it).
    request_body: Option<bytes::Bytes>,
    /// For https://: a handshake that reads the certificate a refused one presented.
    refused: Option<Box<TlsTarget>>,
}

impl HttpTarget {
    /// Prepares the request; fails (with a reason fit for a check result) when a
    /// header cannot be sent. The reason names the header, never its value.
    pub(crate) fn new(check: &HttpCheck, client: Client) -> Result<Self, String> {
        let mut headers = HeaderMap::with_capacity(check.headers.len());
        for (name, value) in &check.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("invalid header name {name:?}"))?;
            let mut value = HeaderValue::from_str(value)
                .map_err(|_| format!("invalid value for header {name:?}"))?;
            value.set_sensitive(true);
            headers.append(header, value);
        }
        // Built once through reqwest so a URL's `user:password@` becomes a (sensitive)
        // basic-auth header and leaves the URL, as it would for an ad-hoc request.
        let template = client
            .request(check.method.clone(), check.url.clone())
            .headers(headers)
            .build()
            .map_err(|error| format!("invalid request: {}", reason::innermost(&error)))?;
        let expected_text = if check.expect_status.is_empty() {
            "2xx".to_string()
        } else {
            let codes: Vec<String> = check.expect_status.iter().map(u16::to_string).collect();
            codes.join(", ")
        };
        Ok(Self {
            client,
            method: template.method().clone(),
            url: template.url().clone(),
            headers: template.headers().clone(),
            expect_status: check.expect_status.as_slice().into(),
            expected_text: expected_text.into(),
            body: BodyCheck::new(
                check.expect_body.as_deref(),
                check.expect_json.as_ref(),
                check.max_body_bytes,
            ),
            max_redirects: check.max_redirects,
            reuse_connections: check.reuse_connections,
            max_body_bytes: check.max_body_bytes,
            host: check.url.host_str().unwrap_or_default().into(),
            direct: DirectHttp::for_check(check, template.headers()),
            certificate: LastCertificate::default(),
            refused: refused_reader(check),
            request_body: check.body.clone().map(bytes::Bytes::from),
        })
    }

    /// Sends the request and judges the answer, noting its progress in `stage`.
    /// Unbounded in time: the caller applies the service's timeout. Plain `http://`
    /// targets go the direct way; a redirect there is followed again through reqwest,
    /// which knows TLS and limits.
    pub(crate) async fn check(&self, stage: &StageCell) -> Checked {
        if let Some(direct) = &self.direct
            && let Some(outcome) = direct.check(self, stage).await
        {
            return Checked::from(outcome);
        }
        // reqwest connects and waits for the answer in one call.
        stage.set(Stage::AwaitingResponse);
        let (mut response, certificate) = match self.follow().await {
            Ok(answer) => answer,
            Err(outcome) => {
                return Checked {
                    certificate: self.refused_certificate(&outcome).await,
                    ..Checked::from(outcome)
                };
            }
        };
        let status = response.status().as_u16();
        if let Some(failure) = self.status_failure(status) {
            return Checked {
                certificate,
                ..Checked::from(failure)
            };
        }
        if self.body.is_none() && self.reuse_connections {
            // A connection only goes back to the pool once its body is read.
            stage.set(Stage::ReadingBody);
            drain(&mut response, self.max_body_bytes).await;
        }
        let length = response.content_length();
        let outcome = self
            .judge_body(status, &mut response, length, stage, |error| {
                self.failed(Some(status), error)
            })
            .await;
        Checked {
            certificate,
            ..Checked::from(outcome)
        }
    }

    /// Sends the request, following up to `max_redirects` redirects by hand, so that the
    /// configured headers (secrets, all of them: an API key as much as Authorization)
    /// go only to the origin they were written for: a redirect to another scheme, host
    /// or port is followed without them. Returns the last answer and the certificate of
    /// the first HTTPS answer (the configured URL's, as a rule).
    async fn follow(&self) -> Result<(Response, Option<Arc<Certificate>>), Outcome> {
        let (mut method, mut url) = (self.method.clone(), self.url.clone());
        let mut headers = self.headers.clone();
        let mut body = self.request_body.clone();
        let mut certificate = None;
        for hop in 0.. {
            let mut request = Request::new(method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            *request.body_mut() = body.clone().map(reqwest::Body::from);
            let response = (self.client.execute(request).await).map_err(|error| {
                let host = url.host_str().unwrap_or_default();
                let why = reason::from_error(&error, host);
                // A failure past a redirect names where it happened: the server of the
                // configured URL answered.
                let why = match hop {
                    0 => why,
                    _ => format!("redirected to {}: {why}", crate::net::display_url(&url)),
                };
                fail(None, why)
            })?;
            if certificate.is_none() {
                certificate = (response.extensions().get::<TlsInfo>())
                    .and_then(TlsInfo::peer_certificate)
                    .and_then(|der| self.certificate.read(der, &[]));
            }
            let status = response.status();
            let location = response.headers().get(LOCATION);
            let Some(location) =
                location.filter(|_| status.is_redirection() && self.max_redirects > 0)
            else {
                return Ok((response, certificate));
            };
            if hop >= self.max_redirects {
                let reason = format!("too many redirects (>{})", self.max_redirects);
                return Err(fail(None, reason));
            }
            let next = (location.to_str().ok())
                .and_then(|text| url.join(text).ok())
                .filter(|next| matches!(next.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    let reason = format!(
                        "status {} redirects to an unusable Location",
                        status.as_u16()
                    );
                    fail(Some(status.as_u16()), reason)
                })?;
            if next.origin() != url.origin() {
                headers.clear();
            }
            if status == StatusCode::SEE_OTHER && method != Method::HEAD
                || matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                    && method == Method::POST
            {
                method = Method::GET;
            }
            if !matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            ) {
                // Only a 307 or 308 asks for the request to be sent again as it was.
                body = None;
            }
            url = next;
        }
        unreachable!("the loop returns by the redirect limit")
    }

    /// The certificate an HTTPS server presented when the handshake refused it (the
    /// reason is a TLS one), read by a second handshake that accepts any certificate.
    async fn refused_certificate(&self, outcome: &Outcome) -> Option<Arc<Certificate>> {
        let refused =
            matches!(outcome, Outcome::Fail { reason, .. } if reason.starts_with("TLS: "));
        let reader = self.refused.as_ref().filter(|_| refused)?;
        reader.check(&StageCell::default()).await.certificate
    }

    /// The failed outcome for a status the service does not accept.
    pub(crate) fn status_failure(&self, status: u16) -> Option<Outcome> {
        (!self.status_ok(status)).then(|| {
            let reason = format!("status {status} (expected {})", self.expected_text);
            fail(Some(status), reason)
        })
    }

    /// Judges the body of an accepted answer; it is read only when an expectation needs
    /// it. `failed` turns a read error into the outcome.
    pub(crate) async fn judge_body<C: Chunks>(
        &self,
        status: u16,
        body: &mut C,
        length: Option<u64>,
        stage: &StageCell,
        failed: impl FnOnce(&C::Error) -> Outcome,
    ) -> Outcome {
        let Some(check) = &self.body else {
            return Outcome::Pass {
                status: Some(status),
            };
        };
        stage.set(Stage::ReadingBody);
        match read_capped(body, check, length).await {
            Ok(body) => match check.verdict(&body) {
                None => Outcome::Pass {
                    status: Some(status),
                },
                Some(reason) => fail(Some(status), reason),
            },
            Err(error) => failed(&error),
        }
    }

    /// The host name, for DNS reasons.
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// Whether a redirect answer should be followed (else it is judged as a status).
    pub(crate) fn follows_redirects(&self) -> bool {
        self.max_redirects > 0
    }

    fn status_ok(&self, status: u16) -> bool {
        if self.expect_status.is_empty() {
            (200..300).contains(&status)
        } else {
            self.expect_status.contains(&status)
        }
    }

    fn failed(&self, status: Option<u16>, error: &reqwest::Error) -> Outcome {
        fail(status, reason::from_error(error, &self.host))
    }
}

/// For an https:// check that verifies certificates: the handshake that reads one it
/// refused. (With `insecure` nothing is refused; a broken setup reads nothing.)
fn refused_reader(check: &HttpCheck) -> Option<Box<TlsTarget>> {
    if check.url.scheme() != "https" || check.insecure {
        return None;
    }
    let host = check.url.host_str()?;
    let port = check.url.port_or_known_default()?;
    TlsTarget::new(&TlsCheck::reading(host, port, check.certificate))
        .ok()
        .map(Box::new)
}

pub(crate) fn fail(status: Option<u16>, reason: String) -> Outcome {
    Outcome::Fail { status, reason }
}

/// Reads and drops up to `cap` bytes of a body so its connection can be reused; a
/// longer body, or an error, only means the connection is closed instead.
async fn drain(response: &mut Response, cap: usize) {
    let mut left = cap;
    while let Ok(Some(chunk)) = response.chunk().await {
        match left.checked_sub(chunk.len()) {
            Some(rest) => left = rest,
            None => return,
        }
    }
}
