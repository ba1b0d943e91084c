//! One HTTP attempt (webhook or Slack) and what its outcome means for a retry. Error
//! texts name what went wrong, never the URL: its path and query may hold a token.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Client, StatusCode, Url};

/// Characters of a refusal's body shown (Slack's error words are short).
const REASON_LIMIT: usize = 100;

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Delivered {
        status: Option<u16>,
    },
    Failed {
        /// Short and secret-free: "HTTP 503 Service Unavailable", "connect: Connection
        /// refused (os error 111)", "exit status 3: …".
        error: String,
        status: Option<u16>,
        retry: Retry,
    },
}

/// Whether a failed attempt is worth repeating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// It would fail the same way (a 4xx, a program that cannot start).
    Never,
    /// A passing trouble; the receiver may say how long to wait (`Retry-After`).
    Later(Option<Duration>),
}

impl Outcome {
    pub(crate) fn failed(error: impl Into<String>, retry: Retry) -> Self {
        Outcome::Failed {
            error: error.into(),
            status: None,
            retry,
        }
    }
}

/// The client every HTTP channel shares: no proxy (as the rest of lookout), no
/// redirects (a POST must not turn into a GET elsewhere), no hidden retries.
pub(crate) fn client() -> Result<Client, reqwest::Error> {
    crate::net::api_client(0)
}

/// The configured headers, checked once. The error names the header, not its value.
pub(crate) fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("invalid header name {name:?}"))?;
        let mut value =
            HeaderValue::from_str(value).map_err(|_| format!("invalid value of header {name}"))?;
        value.set_sensitive(true);
        map.append(header, value);
    }
    Ok(map)
}

/// POSTs `body` as JSON with `headers`; the caller bounds the time. With `explain`,
/// a refusal carries the start of the response body (Slack answers a fixed word such
/// as `invalid_payload`; a generic receiver's body is not read, it might echo a secret).
pub(crate) async fn post(
    client: &Client,
    url: &Url,
    headers: &HeaderMap,
    body: Vec<u8>,
    explain: bool,
) -> Outcome {
    let sent = client
        .post(url.clone())
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .headers(headers.clone())
        .body(body)
        .send()
        .await;
    match sent {
        Ok(mut response) => {
            let mut outcome = classify(response.status(), response.headers());
            if let Outcome::Failed { error, .. } = &mut outcome
                && explain
            {
                let reason = body_start(&mut response).await;
                if !reason.is_empty() {
                    error.push_str(": ");
                    error.push_str(&reason);
                }
            }
            outcome
        }
        // A request that cannot be built (a bad URL scheme) would fail again.
        Err(err) if err.is_builder() => Outcome::failed(describe(&err, url), Retry::Never),
        Err(err) => Outcome::failed(describe(&err, url), Retry::Later(None)),
    }
}

/// The first line of the response body, at most `REASON_LIMIT` characters.
async fn body_start(response: &mut reqwest::Response) -> String {
    let mut start = Vec::new();
    while start.len() < REASON_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => start.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&start);
    let line = text.lines().next().unwrap_or_default().trim();
    line.chars()
        .filter(|c| !c.is_control())
        .take(REASON_LIMIT)
        .collect()
}

/// 2xx delivered; 429 and 5xx are worth a retry (after `Retry-After` if given); any
/// other status (a 4xx, a redirect) would fail again.
pub(crate) fn classify(status: StatusCode, headers: &HeaderMap) -> Outcome {
    if status.is_success() {
        return Outcome::Delivered {
            status: Some(status.as_u16()),
        };
    }
    let retry = if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        Retry::Later(retry_after(headers))
    } else {
        Retry::Never
    };
    Outcome::Failed {
        error: format!("HTTP {status}"),
        status: Some(status.as_u16()),
        retry,
    }
}

/// `Retry-After` in seconds; the HTTP-date form is not used by webhook receivers
/// in practice and is ignored.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// What kind of failure, and its innermost cause (an OS error, a TLS alert), which
/// never holds the URL; the URL is cut out all the same should it appear.
fn describe(err: &reqwest::Error, url: &Url) -> String {
    let what = if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "connect"
    } else if err.is_body() {
        "body"
    } else {
        "request"
    };
    let text = match std::error::Error::source(err) {
        Some(source) => format!("{what}: {}", crate::net::reason::innermost(source)),
        None => what.to_string(),
    };
    scrub(&text, url)
}

/// `text` with the URL and its path and query taken out.
pub(crate) fn scrub(text: &str, url: &Url) -> String {
    let mut text = text.replace(url.as_str(), "<url>");
    let path = url.path();
    if path.len() > 1 {
        text = text.replace(path, "/…");
    }
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        text = text.replace(query, "…");
    }
    text
}
