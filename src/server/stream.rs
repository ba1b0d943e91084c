//! `GET /api/v1/stream`: Server-Sent Events. A client starts with one `snapshot` event
//! (what `/api/v1/status`, the open alerts and `/api/v1/jobs` say), then gets what
//! changes, each second at most: `checks` (every check made, compact), `service` (a
//! service's state changed), `removed`, `alerts` (the open alerts), `jobs`. Every event
//! has an id; reconnecting with `Last-Event-ID` gives the events missed, while they are
//! kept, else a fresh `snapshot`.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::sync::broadcast::{self, error::RecvError};

use super::AppState;
use super::stream_hub::{Event, Form, Hub, Start};

/// A comment sent when nothing else was, so proxies and clients see the stream alive.
const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// `GET /api/v1/stream[?form=view]`.
pub(super) async fn stream(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let form = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(key, _)| key == "form")
        .map(|(_, value)| value.into_owned());
    match form.as_deref() {
        None | Some("api") => events(&state.hubs.api, &headers),
        Some("view") => events(&state.hubs.view, &headers),
        Some(other) => super::reply::error(
            StatusCode::BAD_REQUEST,
            &format!("unknown form {other:?}: use `api` (the default) or `view`"),
        ),
    }
}

fn events<F: Form>(hub: &Hub<F>, headers: &HeaderMap) -> Response {
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // Listening before the start is made: nothing made in between is missed.
    let receiver = hub.subscribe();
    let (pending, last_id) = match hub.start_for(last_seen, SystemTime::now()) {
        Start::Snapshot(event) => (VecDeque::from([frame(&event)]), event.id),
        Start::Missed(events) => {
            let last = events.last().map_or(last_seen.unwrap_or(0), |e| e.id);
            (events.iter().map(frame).collect(), last)
        }
    };
    let mut ping = tokio::time::interval(KEEP_ALIVE);
    ping.reset();
    let feed = Feed {
        pending,
        receiver,
        hub: hub.clone(),
        last_id,
        ping,
    };
    let body = futures_util::stream::unfold(feed, |mut feed| async move {
        let bytes = feed.next().await?;
        Some((Ok::<_, Infallible>(bytes), feed))
    });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// One client's side of the stream.
struct Feed<F: Form> {
    pending: VecDeque<Bytes>,
    receiver: broadcast::Receiver<Event>,
    hub: Hub<F>,
    /// The id of the last event this client was given.
    last_id: u64,
    ping: tokio::time::Interval,
}

impl<F: Form> Feed<F> {
    /// The next bytes to send; `None` when the engine is gone.
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if let Some(bytes) = self.pending.pop_front() {
                return Some(bytes);
            }
            tokio::select! {
                got = self.receiver.recv() => match got {
                    Ok(event) if event.id <= self.last_id => {}
                    Ok(event) => {
                        self.last_id = event.id;
                        self.pending.push_back(frame(&event));
                    }
                    // Too slow to keep up: start over from the whole picture.
                    Err(RecvError::Lagged(_)) => {
                        if let Start::Snapshot(event) = self.hub.start_for(None, SystemTime::now()) {
                            self.last_id = event.id;
                            self.pending.push_back(frame(&event));
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.ping.tick() => {
                    self.pending.push_back(Bytes::from_static(b": keep-alive\n\n"));
                }
            }
        }
    }
}

/// An event as the SSE format has it (`data` is one line of JSON).
fn frame(event: &Event) -> Bytes {
    Bytes::from(format!(
        "id: {}\nevent: {}\ndata: {}\n\n",
        event.id, event.name, event.data
    ))
}
