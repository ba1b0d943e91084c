//! The alert writes: acknowledge, un-acknowledge, silence, and end a silence. Unlike the
//! service writes these wait for the core: a 200 means the change is in the state
//! directory and survives a restart.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::error::TrySendError;

use super::{AppState, reply};
use crate::event::{Command, NotDone, Reply};
use crate::view::alert::SilenceTarget;

/// How long a write waits for the core to report it done.
const DONE_WAIT: Duration = Duration::from_secs(5);
/// The longest `by`, `note` or `comment` kept.
pub(super) const TEXT_LIMIT: usize = 500;
/// The longest silence the API sets.
pub(super) const LONGEST_SILENCE: Duration = Duration::from_secs(90 * 24 * 3600);

/// The optional body of an ack: who and why.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AckBody {
    by: Option<String>,
    note: Option<String>,
}

/// The body of a silence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SilenceBody {
    /// "15m", "1h", "4h"…
    duration: String,
    /// What to silence: this `alert` (default), its `subject`, or its `group`.
    scope: Option<String>,
    by: Option<String>,
    comment: Option<String>,
}

#[derive(Debug, Serialize)]
struct Done {
    done: bool,
    id: u64,
}

/// Made, but not on disk yet: `{"done": true, "saved": false, "id": …, "reason": …}`.
#[derive(Debug, Serialize)]
struct Unsaved {
    done: bool,
    saved: bool,
    id: u64,
    reason: String,
}

/// `POST /api/v1/alerts/{id}/ack`, body optional: `{"by": "…", "note": "…"}`.
pub(super) async fn ack(
    State(state): State<AppState>,
    id: Result<Path<u64>, PathRejection>,
    body: Bytes,
) -> Response {
    let id = match alert_id(&state, id) {
        Ok(Open::Own(id)) => id,
        Ok(Open::Alertmanagers(id)) => {
            return reply::error(
                StatusCode::CONFLICT,
                &format!(
                    "alert {id} is an Alertmanager's, which keeps no acknowledgements: silence \
                     it there with POST /api/v1/alerts/{id}/silence, as `a` does on the dashboard"
                ),
            );
        }
        Err(why) => return why.response(),
    };
    let body: AckBody = match parse_optional(&body) {
        Ok(body) => body,
        Err(why) => return bad_request(&why),
    };
    let (reply, done) = Reply::new();
    let command = Command::Ack {
        alert: id,
        by: text(body.by).unwrap_or_else(|| "api".to_string()),
        note: text(body.note),
        reply: Some(reply),
    };
    wait(&state, command, done).await
}

/// `POST /api/v1/alerts/{id}/unack`.
pub(super) async fn unack(
    State(state): State<AppState>,
    id: Result<Path<u64>, PathRejection>,
) -> Response {
    let (reply, done) = Reply::new();
    let command = match alert_id(&state, id) {
        Ok(Open::Own(id)) => Command::Unack {
            alert: id,
            reply: Some(reply),
        },
        // As `u` on the dashboard: the silences made for it there end.
        Ok(Open::Alertmanagers(id)) => Command::ExpireRemote {
            alert: id,
            reply: Some(reply),
        },
        Err(why) => return why.response(),
    };
    wait(&state, command, done).await
}

/// `POST /api/v1/alerts/{id}/silence`, body `{"duration": "1h", "scope": "alert" |
/// "subject" | "group", "by": "…", "comment": "…"}`.
pub(super) async fn silence(
    State(state): State<AppState>,
    id: Result<Path<u64>, PathRejection>,
    body: Bytes,
) -> Response {
    let open = match alert_id(&state, id) {
        Ok(open) => open,
        Err(why) => return why.response(),
    };
    let body: SilenceBody = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(err) => {
            return bad_request(&format!(
                "the body must be JSON like {{\"duration\": \"1h\", \"scope\": \"alert\"}}: {err}"
            ));
        }
    };
    let duration = match humantime::parse_duration(body.duration.trim()) {
        Ok(d) if d > Duration::ZERO && d <= LONGEST_SILENCE => d,
        _ => {
            return bad_request(&format!(
                "`duration` = {:?} is not a duration from 1s to 90d, like \"15m\", \"1h\" or \"4h\"",
                body.duration
            ));
        }
    };
    let id = match open {
        Open::Own(id) => id,
        Open::Alertmanagers(id) => return silence_there(&state, id, body, duration).await,
    };
    let snapshot = state.snapshot();
    let found = snapshot.alerts.iter().find(|a| a.id == id && a.is_own());
    let Some(alert) = found else {
        return unknown_alert(id);
    };
    let target = match body.scope.as_deref().unwrap_or("alert") {
        "alert" => SilenceTarget::Alert(alert.key.clone()),
        "subject" => SilenceTarget::Subject(alert.key.subject.clone()),
        "group" => match &alert.group {
            Some(group) => SilenceTarget::Group(group.clone()),
            None => return bad_request("this alert's service has no group; use scope \"subject\""),
        },
        other => {
            return bad_request(&format!(
                "`scope` = {other:?} is not one of \"alert\", \"subject\", \"group\""
            ));
        }
    };
    let (reply, done) = Reply::new();
    let command = Command::Silence {
        target,
        duration,
        by: text(body.by).unwrap_or_else(|| "api".to_string()),
        comment: text(body.comment),
        reply: Some(reply),
    };
    wait(&state, command, done).await
}

/// An Alertmanager's alert silenced in its Alertmanager, by its labels (so no wider
/// scope): answered once Alertmanager took it or said why not.
async fn silence_there(
    state: &AppState,
    id: u64,
    body: SilenceBody,
    duration: Duration,
) -> Response {
    if body.scope.as_deref().is_some_and(|scope| scope != "alert") {
        return bad_request(
            "an Alertmanager's alert is silenced there by its labels: leave out `scope`, or \
             say \"alert\"",
        );
    }
    let (reply, done) = Reply::new();
    let command = Command::SilenceRemote {
        alert: id,
        duration,
        by: text(body.by).unwrap_or_else(|| "api".to_string()),
        comment: text(body.comment),
        reply: Some(reply),
    };
    wait(state, command, done).await
}

/// `POST /api/v1/silences/{id}/expire`: ends a silence now.
pub(super) async fn expire_silence(
    State(state): State<AppState>,
    id: Result<Path<u64>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return bad_request("a silence id is a number, as /api/v1/alerts shows it");
    };
    let (reply, done) = Reply::new();
    wait(
        &state,
        Command::Unsilence {
            silence: id,
            reply: Some(reply),
        },
        done,
    )
    .await
}

/// Why a path does not name an alert that is not resolved.
enum NotAnAlert {
    Malformed,
    Unknown(u64),
}

impl NotAnAlert {
    fn response(self) -> Response {
        match self {
            NotAnAlert::Malformed => {
                bad_request("an alert id is a number, as GET /api/v1/alerts lists them")
            }
            NotAnAlert::Unknown(id) => unknown_alert(id),
        }
    }
}

/// The alert id from the path, if it names an alert that is not resolved.
fn alert_id(state: &AppState, id: Result<Path<u64>, PathRejection>) -> Result<Open, NotAnAlert> {
    let Ok(Path(id)) = id else {
        return Err(NotAnAlert::Malformed);
    };
    let view = state.view.borrow();
    match view.alerts.iter().find(|alert| alert.id == id) {
        Some(alert) if alert.is_own() => Ok(Open::Own(id)),
        Some(_) => Ok(Open::Alertmanagers(id)),
        None => Err(NotAnAlert::Unknown(id)),
    }
}

/// An open alert the path names, by where it comes from: the same writes as the keys
/// make, resolved for its origin.
#[derive(Debug, Clone, Copy)]
enum Open {
    /// lookout's own: acked, silenced and given back here.
    Own(u64),
    /// An Alertmanager's, as its pane shows it: silenced there by its labels, its
    /// silences expired there.
    Alertmanagers(u64),
}

/// Sends `command` and waits for the core to say it is done.
pub(super) async fn wait(
    state: &AppState,
    command: Command,
    done: tokio::sync::oneshot::Receiver<crate::event::Done>,
) -> Response {
    match state.commands.try_send(command) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            return reply::error(
                StatusCode::SERVICE_UNAVAILABLE,
                "lookout is busy with earlier commands; try again in a moment",
            );
        }
        Err(TrySendError::Closed(_)) => {
            return reply::error(
                StatusCode::SERVICE_UNAVAILABLE,
                "lookout is shutting down and takes no more commands",
            );
        }
    }
    match tokio::time::timeout(DONE_WAIT, done).await {
        Ok(Ok(Ok(id))) => reply::json(StatusCode::OK, &Done { done: true, id }),
        Ok(Ok(Err(NotDone::Refused(why) | NotDone::Unanswered(why)))) => {
            reply::error(StatusCode::CONFLICT, &why)
        }
        // Made, but a restart would lose it until the disk takes it: not the 200 promise,
        // and not to be sent again (202 is not retried as a 503 would be).
        Ok(Ok(Err(NotDone::Unsaved { id, why }))) => {
            let body = Unsaved {
                done: true,
                saved: false,
                id,
                reason: why,
            };
            reply::json(StatusCode::ACCEPTED, &body)
        }
        Ok(Err(_)) => reply::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "lookout stopped before the change was done",
        ),
        Err(_) => reply::error(
            StatusCode::GATEWAY_TIMEOUT,
            "the change was not reported done within 5 s; GET /api/v1/alerts shows whether it happened",
        ),
    }
}

/// An empty body is the default; anything else must be the JSON object.
fn parse_optional<T: Default + for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|err| {
        format!(
            "the body must be empty or JSON like {{\"by\": \"ana\", \"note\": \"on it\"}}: {err}"
        )
    })
}

/// Trimmed, non-empty, at most `TEXT_LIMIT` characters.
fn text(value: Option<String>) -> Option<String> {
    let value = value?;
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.chars().take(TEXT_LIMIT).collect())
}

fn unknown_alert(id: u64) -> Response {
    reply::error(
        StatusCode::NOT_FOUND,
        &format!("no active alert has id {id}; GET /api/v1/alerts lists them"),
    )
}

fn bad_request(message: &str) -> Response {
    reply::error(StatusCode::BAD_REQUEST, message)
}
