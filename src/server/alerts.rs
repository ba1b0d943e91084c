//! `GET /api/v1/alerts`: the alerts not resolved (in the pane's order) and the most
//! recently resolved ones, as JSON.

use std::time::SystemTime;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::{AppState, reply};
use crate::alert::{Ack, AlertView, Silence, SilenceTarget};

/// Resolved alerts listed at most (the newest).
const HISTORY_LISTED: usize = 100;

#[derive(Debug, Serialize)]
pub struct AlertsReply<'a> {
    pub alerts: Vec<AlertJson<'a>>,
    pub resolved: Vec<AlertJson<'a>>,
}

/// One alert; times are RFC 3339 UTC with milliseconds.
#[derive(Debug, Serialize)]
pub struct AlertJson<'a> {
    pub id: u64,
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
    pub resolved: Option<String>,
    pub age_s: u64,
    pub ack: Option<AckJson<'a>>,
    pub silence: Option<SilenceJson<'a>>,
    pub flapping: bool,
    pub timeline: Vec<TimelineJson<'a>>,
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
    /// `alert`, `subject` or `group`.
    pub scope: &'static str,
    /// The alert key, subject or group the silence matches.
    pub matches: String,
    pub until: String,
    pub by: &'a str,
    pub comment: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct TimelineJson<'a> {
    pub at: String,
    pub what: &'a str,
}

fn rfc3339(at: SystemTime) -> String {
    humantime::format_rfc3339_millis(at).to_string()
}

impl<'a> AlertJson<'a> {
    pub fn new(alert: &'a AlertView, now: SystemTime) -> Self {
        Self {
            id: alert.id,
            kind: alert.key.kind.as_str(),
            rule: alert.key.rule.as_deref(),
            subject: &alert.key.subject,
            group: alert.group.as_deref(),
            severity: alert.severity.as_str(),
            state: alert.state.as_str(),
            summary: &alert.summary,
            started: rfc3339(alert.started),
            fired: alert.fired.map(rfc3339),
            resolved: alert.resolved.map(rfc3339),
            age_s: alert.age(now).as_secs(),
            ack: alert.ack.as_ref().map(AckJson::new),
            silence: alert.silence.as_ref().map(SilenceJson::new),
            flapping: alert.flapping,
            timeline: alert
                .timeline
                .iter()
                .map(|entry| TimelineJson {
                    at: rfc3339(entry.at),
                    what: &entry.what,
                })
                .collect(),
        }
    }
}

impl<'a> AckJson<'a> {
    fn new(ack: &'a Ack) -> Self {
        Self {
            by: &ack.by,
            at: rfc3339(ack.at),
            note: ack.note.as_deref(),
        }
    }
}

impl<'a> SilenceJson<'a> {
    pub fn new(silence: &'a Silence) -> Self {
        let (scope, matches) = match &silence.target {
            SilenceTarget::Alert(key) => ("alert", key.to_string()),
            SilenceTarget::Subject(subject) => ("subject", subject.clone()),
            SilenceTarget::Group(group) => ("group", group.clone()),
        };
        Self {
            id: silence.id,
            scope,
            matches,
            until: rfc3339(silence.until),
            by: &silence.by,
            comment: silence.comment.as_deref(),
        }
    }
}

/// `GET /api/v1/alerts`.
pub(super) async fn get_alerts(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let now = SystemTime::now();
    let reply = AlertsReply {
        alerts: snapshot
            .alerts
            .iter()
            .map(|alert| AlertJson::new(alert, now))
            .collect(),
        resolved: snapshot
            .alert_history
            .iter()
            .take(HISTORY_LISTED)
            .map(|alert| AlertJson::new(alert, now))
            .collect(),
    };
    reply::json(StatusCode::OK, &reply)
}
