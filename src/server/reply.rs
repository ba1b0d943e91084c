//! JSON answers shared by the routes, errors included, so every body a client reads
//! (even a 404 or 405) is JSON.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// `value` as a JSON body with `status`.
pub(super) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(mut body) => {
            body.push(b'\n');
            (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        // Our types hold only strings, numbers and options: this is not expected.
        Err(err) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("could not encode the answer: {err}"),
        ),
    }
}

/// The body of every error: `{"error": "..."}`.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

/// `{"error": message}` with `status`. The message must never quote a secret.
pub(super) fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::to_vec(&ErrorBody { error: message }).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

pub(super) async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such route; the API has GET /healthz, GET /metrics, GET /api/v1/status and \
         POST /api/v1/services/{name}/check|pause|resume",
    )
}

pub(super) async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "this route does not take that method (see the Allow header)",
    )
}
