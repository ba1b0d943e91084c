//! `POST /api/v1/command`: any [`Command`] the keys send, as JSON, for attached viewers
//! and tools that want everything the dashboard can do. Commands the core answers
//! (acks, silences and their undoing, here or in an Alertmanager) are answered when
//! done, as the alert routes are; the others once the core has them.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use tokio::sync::mpsc::error::TrySendError;

use super::alert_writes::{LONGEST_SILENCE, TEXT_LIMIT, wait};
use super::{AppState, reply};
use crate::event::{Command, Reply};

#[derive(Serialize)]
struct Accepted {
    accepted: bool,
}

/// `POST /api/v1/command`, body a command: `{"ack": {"alert": 42, "by": "ana",
/// "note": "on it"}}`, `{"check_now": "payments"}`, `{"set_jobs_running": false}`…
pub(super) async fn command(State(state): State<AppState>, body: Bytes) -> Response {
    let mut command: Command = match serde_json::from_slice(&body) {
        Ok(command) => command,
        Err(err) => {
            return reply::error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "the body is not a command ({err}); docs/API.md lists them, e.g. \
                     {{\"check_now\": \"payments\"}}"
                ),
            );
        }
    };
    if let Some(why) = out_of_bounds(&command) {
        return reply::error(StatusCode::BAD_REQUEST, &why);
    }
    if let Some(slot) = command.reply_slot() {
        let (answer, done) = Reply::new();
        *slot = Some(answer);
        return wait(&state, command, done).await;
    }
    match state.commands.try_send(command) {
        Ok(()) => reply::json(StatusCode::ACCEPTED, &Accepted { accepted: true }),
        Err(TrySendError::Full(_)) => reply::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "lookout is busy with earlier commands; try again in a moment",
        ),
        Err(TrySendError::Closed(_)) => reply::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "lookout is shutting down and takes no more commands",
        ),
    }
}

/// What the alert routes refuse, refused here too: texts past the limit, silences
/// longer than the longest.
fn out_of_bounds(command: &Command) -> Option<String> {
    let (texts, duration): (Vec<&str>, _) = match command {
        Command::Ack { by, note, .. } => (vec![by, note.as_deref().unwrap_or("")], None),
        Command::Silence {
            by,
            comment,
            duration,
            ..
        }
        | Command::SilenceRemote {
            by,
            comment,
            duration,
            ..
        } => (vec![by, comment.as_deref().unwrap_or("")], Some(*duration)),
        _ => (Vec::new(), None),
    };
    if let Some(long) = texts.iter().find(|text| text.chars().count() > TEXT_LIMIT) {
        let start: String = long.chars().take(20).collect();
        return Some(format!(
            "\"{start}…\" is longer than {TEXT_LIMIT} characters"
        ));
    }
    match duration {
        Some(d) if d.is_zero() || d > LONGEST_SILENCE => Some(format!(
            "a silence of {} is out of bounds: give one longer than 0 and at most 90 days",
            humantime::format_duration(d)
        )),
        _ => None,
    }
}
