//! An alert as JSON, the same for the API (`GET /api/v1/alerts`) and the notices
//! (webhook bodies, a command's stdin); times are RFC 3339 UTC with milliseconds.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::view::alert::{Ack, AlertView, Silence, SilenceTarget};
use crate::words::rfc3339;

/// An alert's fields; times are RFC 3339 UTC with milliseconds.
#[derive(Debug, Serialize)]
pub struct AlertJson<'a> {
    pub id: u64,
    /// `service_down/payments`, `rule:slow-checkout/checkout-api`.
    pub key: String,
    /// What stays the same while the alert changes kind in place (a service's incident
    /// going from DEGRADED to DOWN keeps `service_down/<name>` here while `key` and
    /// `type` change): what a receiver deduplicates on, with `id`.
    pub incident: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub rule: Option<&'a str>,
    pub subject: &'a str,
    pub group: Option<&'a str>,
    pub severity: &'static str,
    pub state: &'static str,
    pub summary: &'a str,
    pub started: String,
    pub fired: Option<String>,
    /// When its condition cleared; never set for an alert that ended without that.
    pub resolved: Option<String>,
    /// When it closed: resolved, or ended.
    pub closed: Option<String>,
    /// Why it ended without resolving ("paused", "… is no longer in the config").
    pub ended: Option<&'a str>,
    /// Seconds in trouble when the notice was made (until the resolve, once resolved).
    pub age_seconds: u64,
    pub ack: Option<AckJson<'a>>,
    pub silence: Option<SilenceJson<'a>>,
    pub flapping: bool,
}

#[derive(Debug, Serialize)]
pub struct AckJson<'a> {
    pub by: &'a str,
    pub at: String,
    pub note: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct SilenceJson<'a> {
    pub id: u64,
    /// `alert` (value: its key), `subject` or `group`.
    pub target: &'static str,
    pub value: String,
    pub created: String,
    pub until: String,
    pub by: &'a str,
    pub comment: Option<&'a str>,
}

impl<'a> AlertJson<'a> {
    pub fn new(alert: &'a AlertView, at: SystemTime) -> Self {
        Self {
            id: alert.id,
            key: alert.key.to_string(),
            incident: alert.key.incident().to_string(),
            kind: alert.key.kind.as_str(),
            rule: alert.key.rule.as_deref(),
            subject: &alert.key.subject,
            group: alert.group.as_deref(),
            severity: alert.severity.as_str(),
            state: alert.state.as_str(),
            summary: &alert.summary,
            started: rfc3339(alert.started),
            fired: alert.fired.map(rfc3339),
            resolved: (alert.resolved)
                .filter(|_| alert.ended.is_none())
                .map(rfc3339),
            closed: alert.resolved.map(rfc3339),
            ended: alert.ended.as_deref(),
            age_seconds: age(alert, at).as_secs(),
            ack: alert.ack.as_ref().map(AckJson::new),
            silence: alert.silence.as_ref().map(SilenceJson::new),
            flapping: alert.flapping,
        }
    }
}

impl<'a> AckJson<'a> {
    pub fn new(ack: &'a Ack) -> Self {
        Self {
            by: &ack.by,
            at: rfc3339(ack.at),
            note: ack.note.as_deref(),
        }
    }
}

impl<'a> SilenceJson<'a> {
    pub fn new(silence: &'a Silence) -> Self {
        let (target, value) = match &silence.target {
            SilenceTarget::Alert(key) => ("alert", key.to_string()),
            SilenceTarget::Subject(subject) => ("subject", subject.clone()),
            SilenceTarget::Group(group) => ("group", group.clone()),
        };
        Self {
            id: silence.id,
            target,
            value,
            created: rfc3339(silence.created),
            until: rfc3339(silence.until),
            by: &silence.by,
            comment: silence.comment.as_deref(),
        }
    }
}

/// How long the alert has been in trouble at `at`, or how long it lasted once resolved.
pub fn age(alert: &AlertView, at: SystemTime) -> Duration {
    alert.age(alert.resolved.unwrap_or(at))
}
