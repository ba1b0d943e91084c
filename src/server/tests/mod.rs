//! Tests of the HTTP API over loopback: a real server, a watch of a sample snapshot and
//! the receiving end of the command channel.

mod alerts;
mod jobs;
mod metrics;
mod metrics_alertmanager;
mod routes;
mod writes;

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{Server, ServerError};
use crate::config::ServerConfig;
use crate::event::Command;
use crate::state::Snapshot;
use crate::state::sample::sample_snapshot;

/// The fixed "now" of every sample snapshot here.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A server on a loopback port the OS chose; cancelled on drop.
struct Running {
    addr: SocketAddr,
    client: reqwest::Client,
    /// `None` once a test dropped it to close the channel.
    commands: Option<mpsc::Receiver<Command>>,
    view: watch::Sender<Snapshot>,
    cancel: CancellationToken,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl Running {
    /// Twelve sample services (every state, groups and none), room for 8 commands.
    async fn start(token: Option<&str>) -> Self {
        Self::with(sample_snapshot(12, now()), token, 8).await
    }

    async fn with(snapshot: Snapshot, token: Option<&str>, capacity: usize) -> Self {
        Self::serve(bind(token).await, snapshot, capacity)
    }

    /// Runs `server` over `snapshot` with room for `capacity` commands.
    fn serve(server: Server, snapshot: Snapshot, capacity: usize) -> Self {
        crate::probe::install_crypto_provider();
        let addr = server.local_addr();
        assert_ne!(addr.port(), 0);
        let (view, view_rx) = watch::channel(snapshot);
        let (commands_tx, commands) = mpsc::channel(capacity);
        let cancel = CancellationToken::new();
        let task = tokio::spawn(server.run(view_rx, commands_tx, cancel.clone()));
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        Self {
            addr,
            client,
            commands: Some(commands),
            view,
            cancel,
            task: Some(task),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    async fn post(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("POST")
    }

    /// The commands the server sent so far.
    fn sent(&mut self) -> Vec<Command> {
        let commands = self.commands.as_mut().expect("receiver kept");
        std::iter::from_fn(|| commands.try_recv().ok()).collect()
    }

    /// Cancels and waits for `run` to return.
    async fn stop(mut self) -> Result<(), ServerError> {
        self.cancel.cancel();
        let task = self.task.take().expect("running");
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("shuts down within 5 s")
            .expect("server task")
    }
}

/// A server bound to a loopback port the OS chose.
async fn bind(token: Option<&str>) -> Server {
    let config = ServerConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: token.map(str::to_string),
    };
    Server::bind(&config).await.expect("bind loopback")
}

impl Drop for Running {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// A response's body as JSON, after checking its status and content type.
async fn json(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "{response:?}");
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE].clone();
    assert_eq!(content_type, "application/json");
    response.json().await.expect("JSON body")
}
