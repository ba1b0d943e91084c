//! What every request over TCP passes before its route (the local socket's clients are
//! authorised by opening it): a loopback listener answers only to a
//! loopback `Host` (a web page's DNS rebinding comes with its own name), a request from
//! another web origin is refused (a page the person on call has open must not silence
//! their pages), and a write needs the token, a JSON content type and its whole body
//! within [`BODY_LIMIT`].

use std::net::IpAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::{Access, AppState, auth, reply};

/// Why a request is not let through: answered as `{"error": message}` with `status`.
#[derive(Debug)]
pub(super) struct Refusal {
    pub status: StatusCode,
    pub message: String,
    /// A 401's `WWW-Authenticate: Bearer` challenge.
    pub challenge: bool,
}

impl Refusal {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            challenge: false,
        }
    }

    fn into_response(self) -> Response {
        let mut response = reply::error(self.status, &self.message);
        if self.challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"lookout\""),
            );
        }
        response
    }
}

/// How long a client has to send a write's body once its headers are in.
pub const BODY_LIMIT: Duration = Duration::from_secs(10);
/// The largest body a write takes: an ack's note or a silence's comment fits many times.
pub const MAX_BODY: usize = 64 * 1024;

/// Lets `request` through to its route, or answers why not.
pub(super) async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match checked(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

/// `request`, its body read whole for a write, once every rule lets it through.
async fn checked(state: &AppState, request: Request) -> Result<Request, Refusal> {
    let headers = request.headers();
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    match state.access {
        // No web page can open a Unix socket, and who opened it may write.
        Access::Socket if read => return Ok(request),
        Access::Socket => {}
        Access::Tcp { loopback } => {
            if loopback {
                loopback_host(headers)?;
            }
            same_origin(headers)?;
            if read {
                // A token sent with a read must be the right one: a viewer attaching
                // with a mistyped token hears of it now, not at its first key.
                if headers.contains_key(axum::http::header::AUTHORIZATION) {
                    auth::writer(state.token.as_deref(), headers)?;
                }
                return Ok(request);
            }
            auth::writer(state.token.as_deref(), headers)?;
            json_content(headers)?;
        }
    }
    whole_body(request, state.body_limit).await
}

/// The name in a `Host` (or an origin's authority) without its port, lowercased.
fn host_name(authority: &str) -> String {
    let name = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => match authority.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => authority,
        },
    };
    name.to_ascii_lowercase()
}

/// True for `localhost` (and names under it), `127.0.0.0/8` and `::1`.
fn is_loopback_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// On a loopback listener, a `Host` that is not a loopback name is refused (none at all
/// is let through: HTTP/1.0 clients send none, and no browser does so).
fn loopback_host(headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(host) = headers.get(header::HOST) else {
        return Ok(());
    };
    let host = String::from_utf8_lossy(host.as_bytes());
    if is_loopback_name(&host_name(&host)) {
        return Ok(());
    }
    Err(Refusal::new(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "refused: Host `{host}` is not a loopback name, and this API listens on \
             loopback; it answers to localhost, 127.0.0.1 or [::1] (another name is how a \
             web page's DNS rebinding would reach it)"
        ),
    ))
}

/// A request with an `Origin` (sent by browsers) is let through only from the API's own
/// origin: one whose host and port are the request's `Host`.
fn same_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = String::from_utf8_lossy(origin.as_bytes());
    let host = headers
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).to_ascii_lowercase());
    let authority = url::Url::parse(&origin).ok().and_then(|url| {
        let name = url.host_str()?.to_ascii_lowercase();
        Some(match url.port() {
            Some(port) => format!("{name}:{port}"),
            None => name,
        })
    });
    if authority.is_some() && authority == host {
        return Ok(());
    }
    Err(Refusal::new(
        StatusCode::FORBIDDEN,
        format!(
            "refused: a request from the web origin `{origin}`, which is not this API's \
             own; lookout's API takes no cross-site requests (a web page must not be able \
             to acknowledge or silence alerts)"
        ),
    ))
}

/// A write must say its body is JSON: no browser sends that cross-site without asking
/// first, which lookout never allows.
fn json_content(headers: &HeaderMap) -> Result<(), Refusal> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let essence = given
        .as_deref()
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if essence.as_deref() == Some("application/json") {
        return Ok(());
    }
    let said = given.map_or_else(|| "none".to_string(), |v| format!("`{v}`"));
    Err(Refusal::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!(
            "writes need `Content-Type: application/json` (given: {said}), even with an \
             empty body"
        ),
    ))
}

/// Reads the whole body (at most [`MAX_BODY`], within `limit`) before the route runs,
/// so a client trickling it holds no route and a route never waits on a client.
async fn whole_body(request: Request, limit: Duration) -> Result<Request, Refusal> {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(limit, Limited::new(body, MAX_BODY).collect()).await;
    match read {
        Ok(Ok(collected)) => Ok(Request::from_parts(parts, Body::from(collected.to_bytes()))),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than the {MAX_BODY} bytes a write takes"),
        )),
        Ok(Err(err)) => Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("the body could not be read: {err}"),
        )),
        Err(_) => Err(Refusal::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the body did not arrive within {}s of the headers",
                limit.as_secs()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_lose_their_port_and_case() {
        for (given, want) in [
            ("LocalHost:8080", "localhost"),
            ("127.0.0.1:9", "127.0.0.1"),
            ("[::1]:9", "::1"),
            ("[::1]", "::1"),
            ("example.com", "example.com"),
            ("evil.example:80", "evil.example"),
        ] {
            assert_eq!(host_name(given), want, "{given}");
        }
    }

    #[test]
    fn loopback_names_are_localhost_127_and_1() {
        for (name, want) in [
            ("localhost", true),
            ("api.localhost", true),
            ("127.0.0.1", true),
            ("127.1.2.3", true),
            ("::1", true),
            ("localhost.evil.example", false),
            ("10.0.0.1", false),
            ("rebind.example", false),
            ("0.0.0.0", false),
        ] {
            assert_eq!(is_loopback_name(name), want, "{name}");
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), value.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn only_the_apis_own_origin_is_let_through() {
        let cases = [
            (None, Some("127.0.0.1:9000"), true),
            (Some("http://127.0.0.1:9000"), Some("127.0.0.1:9000"), true),
            (Some("http://LOCALHOST:9000"), Some("localhost:9000"), true),
            (Some("http://localhost"), Some("localhost"), true),
            (Some("http://evil.example"), Some("127.0.0.1:9000"), false),
            (Some("http://127.0.0.1:9001"), Some("127.0.0.1:9000"), false),
            (Some("null"), Some("127.0.0.1:9000"), false),
            (Some("http://127.0.0.1:9000"), None, false),
        ];
        for (origin, host, want) in cases {
            let mut pairs = Vec::new();
            if let Some(origin) = origin {
                pairs.push((header::ORIGIN, origin));
            }
            if let Some(host) = host {
                pairs.push((header::HOST, host));
            }
            assert_eq!(
                same_origin(&headers(&pairs)).is_ok(),
                want,
                "{origin:?} {host:?}"
            );
        }
    }

    #[test]
    fn writes_must_say_json() {
        let cases = [
            (None, false),
            (Some("application/json"), true),
            (Some("Application/JSON; charset=utf-8"), true),
            (Some("text/plain"), false),
            (Some("application/x-www-form-urlencoded"), false),
            (Some("multipart/form-data; boundary=x"), false),
        ];
        for (given, want) in cases {
            let pairs: Vec<_> = given
                .map(|v| (header::CONTENT_TYPE, v))
                .into_iter()
                .collect();
            assert_eq!(json_content(&headers(&pairs)).is_ok(), want, "{given:?}");
        }
    }
}
