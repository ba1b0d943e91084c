//! The POST routes: run a service's check now, pause it, resume it, reload the config.
//! Each becomes a [`Command`] for the core; the answer says the command was accepted,
//! not done.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use tokio::sync::mpsc::error::TrySendError;

use super::{AppState, reply};
use crate::contract::ServiceState;
use crate::event::Command;

/// The body of a write's answer.
#[derive(Debug, Serialize)]
struct WriteReply<'a> {
    /// True when a command was sent to the core (202).
    accepted: bool,
    service: &'a str,
    /// For pause and resume: false when the service already was as asked (200).
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<bool>,
}

/// `POST /api/v1/services/{name}/check`: check the service now, outside its schedule.
pub(super) async fn check(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    let name = match name {
        Ok(Path(name)) => name,
        Err(rejection) => return bad_path(&rejection),
    };
    if find(&state, &name).is_none() {
        return unknown_service(&name);
    }
    send(&state, Command::CheckNow(name.clone()), &name, None)
}

/// `POST /api/v1/services/{name}/pause`.
pub(super) async fn pause(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    set_paused(&state, name, true)
}

/// `POST /api/v1/services/{name}/resume`.
pub(super) async fn resume(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    set_paused(&state, name, false)
}

/// A service already as asked (in the newest snapshot) gets 200 with `changed: false`;
/// otherwise the core is told the state wanted, so two quick requests cannot cancel out.
fn set_paused(
    state: &AppState,
    name: Result<Path<String>, PathRejection>,
    paused: bool,
) -> Response {
    let name = match name {
        Ok(Path(name)) => name,
        Err(rejection) => return bad_path(&rejection),
    };
    let Some(current) = find(state, &name) else {
        return unknown_service(&name);
    };
    if (current == ServiceState::Paused) == paused {
        let reply = WriteReply {
            accepted: false,
            service: &name,
            changed: Some(false),
        };
        return reply::json(StatusCode::OK, &reply);
    }
    send(
        state,
        Command::SetPaused(name.clone(), paused),
        &name,
        Some(true),
    )
}

/// `POST /api/v1/reload`: read the config file again, as SIGHUP does. The outcome is
/// logged (`config_reloaded` or `config_rejected`) and shown by `GET /api/v1/status`.
pub(super) async fn reload(State(state): State<AppState>) -> Response {
    match state.commands.try_send(Command::Reload("api")) {
        Ok(()) => reply::json(StatusCode::ACCEPTED, &ReloadReply { accepted: true }),
        Err(TrySendError::Full(_)) => busy(),
        Err(TrySendError::Closed(_)) => closing(),
    }
}

#[derive(Debug, Serialize)]
struct ReloadReply {
    accepted: bool,
}

/// The state of the service called exactly `name` in the newest snapshot.
fn find(state: &AppState, name: &str) -> Option<ServiceState> {
    let view = state.view.borrow();
    view.services
        .iter()
        .find(|service| service.config.name == name)
        .map(|service| service.state)
}

/// Hands `command` to the core without waiting: a full or closed channel is a 503, so a
/// stuck core never holds HTTP clients.
fn send(state: &AppState, command: Command, name: &str, changed: Option<bool>) -> Response {
    match state.commands.try_send(command) {
        Ok(()) => {
            let reply = WriteReply {
                accepted: true,
                service: name,
                changed,
            };
            reply::json(StatusCode::ACCEPTED, &reply)
        }
        Err(TrySendError::Full(_)) => busy(),
        Err(TrySendError::Closed(_)) => closing(),
    }
}

pub(super) fn busy() -> Response {
    reply::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "lookout is busy with earlier commands; try again in a moment",
    )
}

pub(super) fn closing() -> Response {
    reply::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "lookout is shutting down and takes no more commands",
    )
}

fn unknown_service(name: &str) -> Response {
    reply::error(
        StatusCode::NOT_FOUND,
        &format!("no service is named {name:?}; GET /api/v1/status lists them"),
    )
}

fn bad_path(rejection: &PathRejection) -> Response {
    reply::error(
        StatusCode::BAD_REQUEST,
        &format!("the service name in the path is not valid: {rejection}"),
    )
}
