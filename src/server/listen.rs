//! The API's accept loop, made to survive hostile local clients: at most
//! [`max_connections`] open at once (past it a 503 and the socket closed at once, so
//! idle clients cannot use up lookout's file descriptors and fail its checks), request
//! headers within [`HEADER_LIMIT`] (idle keep-alive connections included), answers the
//! client stops reading cut off after [`STALL_LIMIT`], and a shutdown that gives
//! requests in flight [`SHUTDOWN_GRACE`](super::SHUTDOWN_GRACE) at most.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::warn;

use super::stalling::Stalling;
use crate::log::events;

/// How long a client has to send a request's headers, from the moment the connection
/// opens or the last answer went out: a connection idle for longer is closed.
pub const HEADER_LIMIT: Duration = Duration::from_secs(10);
/// How long an answer may wait for a client that does not read it.
pub const STALL_LIMIT: Duration = Duration::from_secs(10);
/// Connections open at once, at most (less when the file descriptor limit is low).
pub const MAX_CONNECTIONS: usize = 256;
/// How often refusals past the cap are logged, at most.
const REFUSALS_LOGGED_EVERY: Duration = Duration::from_secs(60);

/// The body of the answer given past the cap.
const BUSY: &str =
    "{\"error\":\"too many connections to lookout's API at once; try again in a moment\"}\n";

/// The time limits and the cap a server holds its clients to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub headers: Duration,
    pub body: Duration,
    pub stall: Duration,
    pub max_connections: usize,
    /// How long requests in flight may take to finish once shutdown starts.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            headers: HEADER_LIMIT,
            body: super::guard::BODY_LIMIT,
            stall: STALL_LIMIT,
            max_connections: max_connections(),
            grace: super::SHUTDOWN_GRACE,
        }
    }
}

/// The cap on open connections: [`MAX_CONNECTIONS`], or a quarter of the process's
/// file descriptor limit when that is lower, so the checks always have descriptors.
pub fn max_connections() -> usize {
    let soft = rustix::process::getrlimit(rustix::process::Resource::Nofile)
        .current
        .unwrap_or(u64::MAX);
    let quarter = usize::try_from(soft / 4).unwrap_or(usize::MAX);
    MAX_CONNECTIONS.min(quarter).max(4)
}

/// A listening socket: TCP, or the Unix socket in the state directory.
pub(super) trait Listener: Send + 'static {
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    /// The next connection.
    fn take(&self) -> impl Future<Output = io::Result<Self::Stream>> + Send;
}

impl Listener for TcpListener {
    type Stream = TcpStream;
    async fn take(&self) -> io::Result<TcpStream> {
        let (stream, _) = self.accept().await?;
        let _ = stream.set_nodelay(true);
        Ok(stream)
    }
}

impl Listener for UnixListener {
    type Stream = UnixStream;
    async fn take(&self) -> io::Result<UnixStream> {
        self.accept().await.map(|(stream, _)| stream)
    }
}

/// Serves `app` on `listener` until `cancel` fires; then stops accepting, asks every
/// connection to finish its request in flight, and returns within `limits.grace`.
pub(super) async fn serve<L: Listener>(
    listener: L,
    app: Router,
    cancel: CancellationToken,
    limits: Limits,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let tracker = TaskTracker::new();
    let mut refusals = Refusals {
        limit: limits.max_connections,
        ..Refusals::default()
    };
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => break,
            accepted = listener.take() => accepted,
        };
        let stream = match accepted {
            Ok(stream) => stream,
            Err(err) => {
                // Out of file descriptors, or a connection reset before it was taken:
                // wait a little rather than spin.
                refusals.accept_failed(&err);
                tokio::select! {
                    () = cancel.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_millis(50)) => continue,
                }
            }
        };
        match Arc::clone(&permits).try_acquire_owned() {
            Ok(permit) => {
                tracker.spawn(connection(
                    stream,
                    app.clone(),
                    cancel.clone(),
                    limits,
                    permit,
                ));
            }
            Err(_) => {
                refusals.refused();
                tracker.spawn(refuse(stream));
            }
        }
    }
    drop(listener);
    tracker.close();
    let _ = tokio::time::timeout(limits.grace, tracker.wait()).await;
}

/// One client's connection, served until it closes, stalls or shutdown's grace ends.
async fn connection<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(
    stream: S,
    app: Router,
    cancel: CancellationToken,
    limits: Limits,
    _permit: OwnedSemaphorePermit,
) {
    let io = TokioIo::new(Stalling::new(stream, limits.stall));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.headers)
        .keep_alive(true);
    let app = TowerToHyperService::new(app);
    let answering = Arc::new(AtomicUsize::new(0));
    let service = service_fn(|request| {
        let answer = Answering::begin(&answering);
        let route = hyper::service::Service::call(&app, request);
        async move {
            let response = route.await;
            drop(answer);
            response
        }
    });
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        () = cancel.cancelled() => {}
    }
    // A connection idle or still sending its headers is closed at once; one whose
    // request is being answered gets the grace to finish it.
    if answering.load(Ordering::SeqCst) == 0 {
        return;
    }
    conn.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(limits.grace, conn).await;
}

/// A request being answered on a connection, counted while it lives.
struct Answering(Arc<AtomicUsize>);

impl Answering {
    fn begin(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(count))
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers 503 and closes: a second at most, so a refused client holds nothing.
async fn refuse<S: AsyncWrite + Unpin>(mut stream: S) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
             connection: close\r\nretry-after: 1\r\ncontent-length: {}\r\n\r\n{BUSY}",
            BUSY.len()
        );
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

/// Refused connections and failed accepts, logged once a minute at most.
#[derive(Default)]
struct Refusals {
    limit: usize,
    since_logged: u64,
    logged: Option<Instant>,
}

impl Refusals {
    fn refused(&mut self) {
        self.since_logged += 1;
        if self
            .logged
            .is_none_or(|at| at.elapsed() >= REFUSALS_LOGGED_EVERY)
        {
            warn!(
                event = events::SERVER_BUSY,
                refused = self.since_logged,
                limit = self.limit,
            );
            self.since_logged = 0;
            self.logged = Some(Instant::now());
        }
    }

    fn accept_failed(&mut self, err: &io::Error) {
        if self
            .logged
            .is_none_or(|at| at.elapsed() >= REFUSALS_LOGGED_EVERY)
        {
            warn!(event = events::SERVER_BUSY, error = %err, limit = self.limit);
            self.logged = Some(Instant::now());
        }
    }
}
