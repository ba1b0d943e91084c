//! The job monitor over HTTP: `GET /api/v1/jobs` (its picture as JSON), and the token-
//! guarded `POST /api/v1/jobs/start`, `/stop` and `/pass` — what `J` and `r` do on the
//! screen, for headless instances.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use tokio::sync::mpsc::error::TrySendError;

use super::{AppState, reply, writes};
use crate::event::Command;
use crate::jobs::json::{CountsJson, PassJson, millis};
use crate::view::jobs::JobsView;
use crate::words::rfc3339;

#[derive(Debug, Serialize)]
pub(super) struct JobsJson<'a> {
    table: &'a str,
    database: &'a str,
    running: bool,
    /// `rescuing`, `dry run` or `watching`; null before the first round.
    role: Option<&'static str>,
    claimed_timeout_seconds: f64,
    processing_timeout_seconds: f64,
    interval_seconds: f64,
    counts: Option<CountsJson>,
    census_took_ms: Option<u64>,
    last_pass: Option<PassJson<'a>>,
    totals: TotalsJson,
    problem: Option<ProblemJson<'a>>,
    next_pass: Option<String>,
}

#[derive(Debug, Serialize)]
struct TotalsJson {
    passes: u64,
    requeued: u64,
    retried: u64,
    failed: u64,
    raced: u64,
}

#[derive(Debug, Serialize)]
struct ProblemJson<'a> {
    since: String,
    message: &'a str,
    failures: u32,
    retry_at: String,
}

impl<'a> JobsJson<'a> {
    pub(super) fn of(view: &'a JobsView) -> Self {
        let t = &view.totals;
        Self {
            table: &view.table,
            database: &view.database,
            running: view.running,
            role: view.role.map(|r| r.as_str()),
            claimed_timeout_seconds: view.claimed_timeout.as_secs_f64(),
            processing_timeout_seconds: view.processing_timeout.as_secs_f64(),
            interval_seconds: view.interval.as_secs_f64(),
            counts: view.census.as_ref().map(CountsJson::of),
            census_took_ms: view.census.as_ref().map(|c| millis(c.took)),
            last_pass: view.last_pass.as_deref().map(PassJson::of),
            totals: TotalsJson {
                passes: t.passes,
                requeued: t.requeued,
                retried: t.retried,
                failed: t.failed,
                raced: t.raced,
            },
            problem: view.problem.as_ref().map(|p| ProblemJson {
                since: rfc3339(p.since),
                message: &p.message,
                failures: p.failures,
                retry_at: rfc3339(p.retry_at),
            }),
            next_pass: view.next_pass.map(rfc3339),
        }
    }
}

/// `GET /api/v1/jobs`: 404 without `[jobs]`.
pub(super) async fn get_jobs(State(state): State<AppState>) -> Response {
    match state.snapshot().jobs {
        Some(view) => reply::json(StatusCode::OK, &JobsJson::of(&view)),
        None => no_jobs(),
    }
}

#[derive(Debug, Serialize)]
struct JobsReply {
    accepted: bool,
    /// Running once the command is carried out.
    running: bool,
    /// False when the monitor already was as asked.
    changed: bool,
}

/// `POST /api/v1/jobs/start`.
pub(super) async fn start(State(state): State<AppState>) -> Response {
    set_running(&state, true)
}

/// `POST /api/v1/jobs/stop`.
pub(super) async fn stop(State(state): State<AppState>) -> Response {
    set_running(&state, false)
}

fn set_running(state: &AppState, on: bool) -> Response {
    let Some(view) = state.snapshot().jobs else {
        return no_jobs();
    };
    if view.running == on {
        let reply = JobsReply {
            accepted: false,
            running: on,
            changed: false,
        };
        return reply::json(StatusCode::OK, &reply);
    }
    let reply = JobsReply {
        accepted: true,
        running: on,
        changed: true,
    };
    send(state, Command::SetJobsRunning(on), &reply)
}

/// `POST /api/v1/jobs/pass`: a pass now; 409 while the monitor is off.
pub(super) async fn pass(State(state): State<AppState>) -> Response {
    let Some(view) = state.snapshot().jobs else {
        return no_jobs();
    };
    if !view.running {
        return reply::error(
            StatusCode::CONFLICT,
            "the job monitor is off: POST /api/v1/jobs/start first",
        );
    }
    let reply = JobsReply {
        accepted: true,
        running: true,
        changed: false,
    };
    send(&state, Command::RunJobsPass, &reply)
}

fn send(state: &AppState, command: Command, body: &JobsReply) -> Response {
    match state.commands.try_send(command) {
        Ok(()) => reply::json(StatusCode::ACCEPTED, body),
        Err(TrySendError::Full(_)) => writes::busy(),
        Err(TrySendError::Closed(_)) => writes::closing(),
    }
}

fn no_jobs() -> Response {
    reply::error(
        StatusCode::NOT_FOUND,
        "there is no [jobs] section in the config: the job monitor is not configured",
    )
}
