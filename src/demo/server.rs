//! The demo's loopback servers: axum apps that answer as their script says, and a TCP
//! port that opens and closes.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::script::{Kind, behaviour, tcp_listening};

/// How often the TCP port looks at its script to open or close.
const TCP_TICK: Duration = Duration::from_millis(250);

#[derive(Clone)]
struct Script {
    kind: Kind,
    start: Instant,
    cancel: CancellationToken,
}

/// Serves `kind`'s script at `path` on `listener` until `cancel` fires; returns its address.
pub(super) fn spawn_http(
    listener: TcpListener,
    path: &str,
    kind: Kind,
    start: Instant,
    cancel: CancellationToken,
) -> io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    let script = Arc::new(Script {
        kind,
        start,
        cancel: cancel.clone(),
    });
    let app = Router::new().route(path, get(answer)).with_state(script);
    tokio::spawn(async move {
        // serve only fails if the listener breaks; the service then shows DOWN, as it should.
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move { cancel.cancelled().await })
            .await;
    });
    Ok(addr)
}

async fn answer(State(script): State<Arc<Script>>) -> Response {
    let planned = behaviour(script.kind, script.start.elapsed());
    tokio::select! {
        () = tokio::time::sleep(planned.delay) => {}
        // A hanging handler must not hold up shutdown.
        () = script.cancel.cancelled() => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
    let status = StatusCode::from_u16(planned.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, planned.content_type)],
        planned.body,
    )
        .into_response()
}

/// Keeps `listener`'s port open or closed as [`tcp_listening`] says, until `cancel` fires.
/// Closing drops the listener (connections are refused); opening binds the same port again.
pub(super) fn spawn_tcp(
    listener: TcpListener,
    start: Instant,
    cancel: CancellationToken,
) -> io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let mut listener = Some(listener);
        let mut tick = tokio::time::interval(TCP_TICK);
        loop {
            let open = tokio::select! {
                () = cancel.cancelled() => return,
                _ = tick.tick() => tcp_listening(start.elapsed()),
                () = accept_one(listener.as_ref()) => continue,
            };
            if open && listener.is_none() {
                // If the port was taken meanwhile, it stays closed and is retried next tick.
                listener = TcpListener::bind(addr).await.ok();
            } else if !open {
                listener = None;
            }
        }
    });
    Ok(addr)
}

/// Accepts one connection and closes it at once: a connect check only needs the handshake.
async fn accept_one(listener: Option<&TcpListener>) {
    match listener {
        Some(listener) => drop(listener.accept().await),
        None => std::future::pending().await,
    }
}
