//! Tests of the HTTP API over loopback: a real server, a watch of a sample snapshot and
//! the receiving end of the command channel.

mod alerts;
mod command;
mod hostile;
mod jobs;
mod metrics;
mod metrics_alertmanager;
mod routes;
mod stream;
mod writes;

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::Server;
use crate::config::ServerConfig;
use crate::event::Command;
use crate::state::sample::sample_snapshot;
use crate::view::snapshot::Snapshot;

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
    /// The server's token, which writes send unless a test gives another.
    token: Option<String>,
    cancel: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl Running {
    /// Twelve sample services (every state, groups and none), room for 8 commands;
    /// `token` or else [`TOKEN`].
    async fn start(token: Option<&str>) -> Self {
        Self::with(sample_snapshot(12, now()), token, 8).await
    }

    async fn with(snapshot: Snapshot, token: Option<&str>, capacity: usize) -> Self {
        Self::serve(bind(token).await, snapshot, capacity)
    }

    /// Runs `server` over `snapshot` with room for `capacity` commands.
    fn serve(server: Server, snapshot: Snapshot, capacity: usize) -> Self {
        crate::net::install_crypto_provider();
        let token = server.token.as_deref().map(str::to_string);
        let addr = server.local_addr();
        assert_ne!(addr.port(), 0);
        let (view, view_rx) = watch::channel(snapshot);
        let (commands_tx, commands) = mpsc::channel(capacity);
        let cancel = CancellationToken::new();
        let engine = crate::view::snapshot::EngineInfo::of_this_process("dashboard");
        let hubs = super::Hubs::start(view_rx.clone(), engine, &cancel);
        let task = tokio::spawn(server.run(view_rx, commands_tx, hubs, cancel.clone()));
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
            token,
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

    /// A POST with no body, sending `token`, or else the server's own.
    async fn post(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let token = token.or(self.token.as_deref()).unwrap_or_default();
        self.request(path, "", Some(token)).await
    }

    /// A POST of `body` with the server's own token.
    async fn write(&self, path: &str, body: &str) -> reqwest::Response {
        self.request(path, body, self.token.as_deref()).await
    }

    /// A JSON POST with no `Authorization` at all.
    async fn post_without_token(&self, path: &str) -> reqwest::Response {
        self.request(path, "", None).await
    }

    async fn request(&self, path: &str, body: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
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
    async fn stop(mut self) {
        self.cancel.cancel();
        let task = self.task.take().expect("running");
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("shuts down within 5 s")
            .expect("server task");
    }
}

/// The token of test servers that were given none.
const TOKEN: &str = "test-t0ken-test-t0ken";

/// A server bound to a loopback port the OS chose, with `token` or else [`TOKEN`].
async fn bind(token: Option<&str>) -> Server {
    bind_with(Some(token.unwrap_or(TOKEN))).await
}

/// A server bound to a loopback port the OS chose, with this token or none.
async fn bind_with(token: Option<&str>) -> Server {
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
