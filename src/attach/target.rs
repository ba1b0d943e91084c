//! Where an attached viewer reaches its engine: the local socket of a state directory
//! (opening it is the authorisation), or an engine's TCP API with its token. One
//! HTTP/1 request per connection: the stream holds one open, commands are few.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1;
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};

/// How long connecting and the answer's head may take.
const ANSWER_WAIT: Duration = Duration::from_secs(5);
/// The most of an error body read.
const ERROR_BODY_LIMIT: usize = 16 * 1024;

/// Why a request got no success: the engine's status and words, or no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `None` when the engine did not answer at all.
    pub status: Option<u16>,
    pub message: String,
    /// The request reached the engine (it was connected to): without an answer, what it
    /// asked may have been done.
    pub reached: bool,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for Failure {
    /// A failure after the engine was reached.
    fn from(message: String) -> Self {
        Self {
            status: None,
            message,
            reached: true,
        }
    }
}

/// An engine's API.
#[derive(Debug, Clone)]
pub enum Target {
    /// `<state_dir>/lookout.sock`.
    Socket(PathBuf),
    /// `http://host:port` and the bearer token (a secret: never shown).
    Tcp { base: url::Url, token: String },
}

impl Target {
    /// Where, for messages: the socket's path, or the URL (never the token).
    pub fn describe(&self) -> String {
        match self {
            Target::Socket(path) => path.display().to_string(),
            Target::Tcp { base, .. } => base.to_string(),
        }
    }

    /// Sends one request; the answer when it is a success, else why not in words.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        last_event_id: Option<u64>,
    ) -> Result<Response<Incoming>, Failure> {
        let asked = async {
            match self {
                Target::Socket(socket) => {
                    let stream = tokio::net::UnixStream::connect(socket).await;
                    let stream = stream.map_err(|err| self.unreachable(&err))?;
                    self.exchange(
                        stream,
                        "localhost".to_string(),
                        method,
                        path,
                        body,
                        last_event_id,
                    )
                    .await
                    .map_err(Failure::from)
                }
                Target::Tcp { base, .. } => {
                    let host = base.host_str().unwrap_or("localhost").to_string();
                    let port = base.port_or_known_default().unwrap_or(80);
                    let stream = tokio::net::TcpStream::connect((host.as_str(), port)).await;
                    let stream = stream.map_err(|err| self.unreachable(&err))?;
                    let authority = match base.port() {
                        Some(port) => format!("{}:{port}", bracketed(&host)),
                        None => bracketed(&host),
                    };
                    self.exchange(stream, authority, method, path, body, last_event_id)
                        .await
                        .map_err(Failure::from)
                }
            }
        };
        let answer = tokio::time::timeout(ANSWER_WAIT, asked)
            .await
            .map_err(|_| {
                Failure::from(format!("{} did not answer within 5 s", self.describe()))
            })??;
        if answer.status().is_success() {
            return Ok(answer);
        }
        Err(refusal(answer).await)
    }

    async fn exchange(
        &self,
        stream: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
        authority: String,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        last_event_id: Option<u64>,
    ) -> Result<Response<Incoming>, String> {
        let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|err| format!("{}: {err}", self.describe()))?;
        // The connection ends when the answer's body is read or dropped.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let uri = match self {
            Target::Socket(_) => path.to_string(),
            Target::Tcp { base, .. } => format!("{}{path}", base.path().trim_end_matches('/')),
        };
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, authority);
        if let Target::Tcp { token, .. } = self {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|err| format!("could not make the request: {err}"))?;
        sender
            .send_request(request)
            .await
            .map_err(|err| format!("{}: {err}", self.describe()))
    }

    fn unreachable(&self, err: &std::io::Error) -> Failure {
        let message = match (self, err.kind()) {
            (
                Target::Socket(_),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused,
            ) => {
                format!(
                    "no engine answers on {} ({err}): start one (`lookout --headless`, or \
                     `lookout` to run the engine in this dashboard)",
                    self.describe()
                )
            }
            _ => format!("cannot reach {}: {err}", self.describe()),
        };
        Failure {
            status: None,
            message,
            reached: false,
        }
    }
}

fn bracketed(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// "401: a write needs the token…": the status and the engine's own words.
async fn refusal(answer: Response<Incoming>) -> Failure {
    let status = answer.status();
    let body = http_body_util::Limited::new(answer.into_body(), ERROR_BODY_LIMIT)
        .collect()
        .await
        .map(|body| body.to_bytes())
        .unwrap_or_default();
    let said = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(&body).trim().to_string());
    let message = match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            format!("{}: {said} (is the token right?)", status.as_u16())
        }
        _ => said,
    };
    Failure {
        status: Some(status.as_u16()),
        message,
        reached: true,
    }
}
