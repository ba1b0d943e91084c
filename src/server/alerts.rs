//! `GET /api/v1/alerts`: the alerts not resolved, lookout's and its Alertmanagers' (in
//! the pane's order), and lookout's most recently resolved ones, each as a notice
//! carries it plus its timeline.

use std::time::SystemTime;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::{AppState, reply};
use crate::alert::json::AlertJson;
use crate::view::alert::AlertView;
use crate::words::rfc3339;

/// Resolved alerts listed at most (the newest).
const HISTORY_LISTED: usize = 100;

#[derive(Debug, Serialize)]
pub struct AlertsReply<'a> {
    pub alerts: Vec<ListedAlert<'a>>,
    pub resolved: Vec<ListedAlert<'a>>,
}

/// An alert's fields (the same as in a webhook's body) and its timeline.
#[derive(Debug, Serialize)]
pub struct ListedAlert<'a> {
    #[serde(flatten)]
    pub alert: AlertJson<'a>,
    /// The `[[alertmanager]]` an Alertmanager's alert comes from; absent for lookout's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alertmanager: Option<&'a str>,
    pub timeline: Vec<TimelineJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TimelineJson<'a> {
    pub at: String,
    pub what: &'a str,
}

impl<'a> ListedAlert<'a> {
    pub fn new(alert: &'a AlertView, now: SystemTime) -> Self {
        Self {
            alert: AlertJson::new(alert, now),
            alertmanager: alert.origin.as_deref().map(|remote| remote.source.as_str()),
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

/// `GET /api/v1/alerts`.
pub(super) async fn get_alerts(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let now = SystemTime::now();
    let reply = AlertsReply {
        alerts: snapshot
            .alerts
            .iter()
            .map(|alert| ListedAlert::new(alert, now))
            .collect(),
        resolved: snapshot
            .alert_history
            .iter()
            .take(HISTORY_LISTED)
            .map(|alert| ListedAlert::new(alert, now))
            .collect(),
    };
    reply::json(StatusCode::OK, &reply)
}
