//! The local HTTP API: `/metrics`, `/api/v1/*` and `/healthz`.
//!
//! A frontend like the TUI: it reads the newest [`Snapshot`] from a `watch` channel and
//! sends [`Command`]s to the core; it holds no state of its own. `metrics.rs` builds the
//! Prometheus metrics and `exposition.rs` serves them, `status.rs` answers the JSON
//! status, `writes.rs` the POST routes, `auth.rs` checks the bearer token and `reply.rs`
//! shapes the JSON answers they share.

mod alert_writes;
pub mod alerts;
mod auth;
mod command;
pub mod exposition;
pub mod guard;
mod jobs;
pub mod listen;
pub mod machine;
pub mod metrics;
mod metrics_alertmanager;
mod metrics_jobs;
mod metrics_system;
pub mod notices;
mod reply;
pub mod socket;
mod stalling;
pub mod status;
mod stream;
pub mod stream_hub;
mod writes;

#[cfg(test)]
mod tests;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::config::ServerConfig;
use crate::event::Command;
use crate::view::snapshot::Snapshot;
pub use socket::{LocalSocket, SocketError};
pub use stream_hub::Hubs;

/// How long requests in flight may take to finish once shutdown starts.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// Why the API could not start or stopped serving.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("could not listen on {addr} for the HTTP API: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// The config layer already refuses this; checked again where the port is opened.
    #[error(
        "refusing to serve the HTTP API on {addr} without a token: anyone on the network \
         could pause services; set [server] token or listen on 127.0.0.1"
    )]
    NoToken { addr: SocketAddr },
}

/// The HTTP API, bound but not yet serving.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    /// A secret: never logged, never echoed (see the `Debug` impl).
    token: Option<Arc<str>>,
    /// What clients are held to; shorter in tests.
    limits: listen::Limits,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Server {
    /// Binds the listener now so a taken port is an error at startup (message names the
    /// address and the OS error).
    pub async fn bind(config: &ServerConfig) -> Result<Server, ServerError> {
        if config.token.is_none() && !config.listen.ip().is_loopback() {
            return Err(ServerError::NoToken {
                addr: config.listen,
            });
        }
        let bind_error = |source| ServerError::Bind {
            addr: config.listen,
            source,
        };
        let listener = TcpListener::bind(config.listen).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        Ok(Server {
            listener,
            addr,
            token: config.token.as_deref().map(Arc::from),
            limits: listen::Limits::default(),
        })
    }

    /// The address actually bound (the port is chosen by the OS when `listen` says 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `cancel` fires, then shuts down gracefully: the port closes at once,
    /// idle connections are closed, requests in flight get [`SHUTDOWN_GRACE`] to finish
    /// (so a stalled client cannot hold up the exit).
    pub async fn run(
        self,
        view: watch::Receiver<Snapshot>,
        commands: mpsc::Sender<Command>,
        hubs: Hubs,
        cancel: CancellationToken,
    ) {
        let access = Access::Tcp {
            loopback: self.addr.ip().is_loopback(),
        };
        let mut state = AppState::new(view, commands, self.token, access, hubs);
        state.body_limit = self.limits.body;
        let app = router(state);
        listen::serve(self.listener, app, cancel, self.limits).await;
    }
}

/// Serves the API on the engine's local socket until `cancel` fires, then removes the
/// socket's file. Who can open the socket may do everything: no token is asked. A
/// socket file deleted or replaced under the engine (the state directory removed, say)
/// is made again within a second, so viewers can still find it. While the state
/// directory's lock is let go (`held` false: its disk failed), the socket is closed too,
/// so nothing of lookout's keeps the disk from being unmounted and repaired.
pub async fn serve_socket(
    socket: LocalSocket,
    view: watch::Receiver<Snapshot>,
    commands: mpsc::Sender<Command>,
    hubs: Hubs,
    mut held: watch::Receiver<bool>,
    cancel: CancellationToken,
) {
    let app = router(AppState::new(view, commands, None, Access::Socket, hubs));
    let mut remaking = socket::Remaking::new(&socket);
    let mut socket = Some(socket);
    loop {
        if let Some(LocalSocket { listener, file, .. }) = socket.take() {
            let this_one = cancel.child_token();
            let limits = listen::Limits::default();
            let serving = listen::serve(listener, app.clone(), this_one.clone(), limits);
            tokio::pin!(serving);
            loop {
                tokio::select! {
                    () = &mut serving => {
                        file.remove();
                        return;
                    }
                    changed = held.changed() => {
                        if changed.is_err() || !*held.borrow() {
                            break;
                        }
                    }
                    () = tokio::time::sleep(socket::LOOK_EVERY) => {
                        if file.moved_away() {
                            break;
                        }
                    }
                }
            }
            this_one.cancel();
            serving.await;
        }
        // Made again once the directory is held, and a second after a failed try.
        tokio::select! {
            () = cancel.cancelled() => return,
            held = held.wait_for(|held| *held) => if held.is_err() { return },
        }
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(socket::LOOK_EVERY) => {}
        }
        socket = remaking.again();
    }
}

/// How a client reached the API, which decides what it must show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Over TCP: writes need the token; on a loopback address only loopback `Host`
    /// names are answered.
    Tcp { loopback: bool },
    /// Through the local socket: opening it was the authorisation.
    Socket,
}

/// What every handler can reach: the views to read, the command channel to write to.
#[derive(Clone)]
struct AppState {
    view: watch::Receiver<Snapshot>,
    commands: mpsc::Sender<Command>,
    token: Option<Arc<str>>,
    /// How clients reach this API.
    access: Access,
    /// How long a write's body may take to arrive.
    body_limit: Duration,
    /// The events of `/api/v1/stream` in each form, made once for every client.
    hubs: Hubs,
    /// Built once; its collectors read the newest snapshot at each scrape.
    registry: Arc<Registry>,
}

impl AppState {
    fn new(
        view: watch::Receiver<Snapshot>,
        commands: mpsc::Sender<Command>,
        token: Option<Arc<str>>,
        access: Access,
        hubs: Hubs,
    ) -> Self {
        let registry = Arc::new(metrics::registry(view.clone()));
        Self {
            view,
            commands,
            token,
            access,
            body_limit: guard::BODY_LIMIT,
            hubs,
            registry,
        }
    }

    /// The newest snapshot, cloned (a vector of `Arc`s) so no lock is held while a
    /// handler works.
    fn snapshot(&self) -> Snapshot {
        self.view.borrow().clone()
    }
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(exposition::scrape))
        .route("/api/v1/status", get(status::get_status))
        .route("/api/v1/stream", get(stream::stream))
        .route("/api/v1/services/{name}/check", post(writes::check))
        .route("/api/v1/services/{name}/pause", post(writes::pause))
        .route("/api/v1/services/{name}/resume", post(writes::resume))
        .route("/api/v1/reload", post(writes::reload))
        .route("/api/v1/command", post(command::command))
        .route("/api/v1/jobs", get(jobs::get_jobs))
        .route("/api/v1/machine", get(machine::get_machine))
        .route("/api/v1/jobs/start", post(jobs::start))
        .route("/api/v1/jobs/stop", post(jobs::stop))
        .route("/api/v1/jobs/pass", post(jobs::pass))
        .route("/api/v1/alerts", get(alerts::get_alerts))
        .route("/api/v1/alerts/{id}/ack", post(alert_writes::ack))
        .route("/api/v1/alerts/{id}/unack", post(alert_writes::unack))
        .route("/api/v1/alerts/{id}/silence", post(alert_writes::silence))
        .route(
            "/api/v1/silences/{id}/expire",
            post(alert_writes::expire_silence),
        )
        // After the routes: it applies to the routes added so far.
        .method_not_allowed_fallback(reply::method_not_allowed)
        .fallback(reply::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::admit,
        ))
        .layer(axum::middleware::from_fn(reply::errors_as_json))
        .with_state(state)
}

async fn healthz() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
}
