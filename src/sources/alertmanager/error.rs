//! What can go wrong talking to Alertmanager, said precisely: which request, and whether
//! it got no answer, a refusal (with Alertmanager's own reason) or an answer that is not
//! its v2 API. Never a URL: its password stays out of every message.

/// One failed request. `request` is the method and API path, like `POST /api/v2/alerts`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertmanagerError {
    /// The HTTP client could not be set up (no TLS roots, say).
    #[error("no HTTP client: {0}")]
    Client(String),
    /// Nothing answered: refused, unresolvable, a TLS failure, a dropped connection.
    #[error("{request}: no answer ({cause})")]
    Unreachable { request: String, cause: String },
    #[error("{request}: no answer within {limit}")]
    TimedOut { request: String, limit: String },
    /// An answer other than 2xx, with the start of Alertmanager's explanation.
    #[error("{request}: HTTP {status}{}", with_reason(.reason))]
    Refused {
        request: String,
        status: u16,
        reason: String,
    },
    /// A 2xx answer that is not what the v2 API sends (a proxy's page, a wrong path).
    #[error("{request}: the answer is not Alertmanager's v2 API: {detail}")]
    Unexpected { request: String, detail: String },
}

impl AlertmanagerError {
    /// The HTTP status, when Alertmanager answered with one it refused with.
    pub fn status(&self) -> Option<u16> {
        match self {
            AlertmanagerError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }
}

fn with_reason(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}
