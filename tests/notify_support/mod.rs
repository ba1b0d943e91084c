//! Helpers for the notification tests: a recording HTTP receiver on loopback whose
//! replies a test scripts, channel configs, sample alerts, and a log capture.
#![allow(dead_code)] // each test binary uses its own subset

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lookout::config::{NotifyChannel, NotifyConfig, Severity};
use lookout::log::{Filter, subscriber};
use lookout::notify::{Notice, NoticeKind};
use lookout::view::alert::{AlertKey, AlertKind, AlertState, AlertView, Gravity};
use serde_json::Value;
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;
use tracing_subscriber::fmt::MakeWriter;

/// How a scripted reply answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: &'static str,
    pub retry_after: Option<&'static str>,
    /// Waits this long (tokio time) before answering.
    pub delay: Duration,
    /// Waits until [`Receiver::release`] before answering.
    pub gated: bool,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            body: "ok",
            retry_after: None,
            delay: Duration::ZERO,
            gated: false,
        }
    }
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Request {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

struct Shared {
    /// Replies used in order; once spent, every request gets `fallback`.
    script: Mutex<VecDeque<Reply>>,
    fallback: Mutex<Reply>,
    requests: Mutex<Vec<Request>>,
    count: watch::Sender<usize>,
    gate: Semaphore,
}

/// A real HTTP server on 127.0.0.1 that records every request.
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Answers `script` in order, then `fallback` forever.
    pub async fn start(script: Vec<Reply>, fallback: Reply) -> Self {
        let shared = Arc::new(Shared {
            script: Mutex::new(script.into()),
            fallback: Mutex::new(fallback),
            requests: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
            gate: Semaphore::new(0),
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, shared, task }
    }

    /// Always 200.
    pub async fn ok() -> Self {
        Self::start(Vec::new(), Reply::status(200)).await
    }

    pub fn url(&self, path: &str) -> reqwest::Url {
        reqwest::Url::parse(&format!("http://{}{path}", self.addr)).expect("url")
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().expect("requests").clone()
    }

    /// Waits until `n` requests have arrived (bounded, so a bug fails, not hangs).
    pub async fn wait_for(&self, n: usize) {
        let mut count = self.shared.count.subscribe();
        let arrived = tokio::time::timeout(Duration::from_secs(60), count.wait_for(|c| *c >= n));
        arrived
            .await
            .expect("requests in time")
            .expect("receiver alive");
    }

    /// Answers `reply` from now on, once the script is spent.
    pub fn set_fallback(&self, reply: Reply) {
        *self.shared.fallback.lock().expect("fallback") = reply;
    }

    /// Lets every gated request answer.
    pub fn release(&self) {
        // A waiter gives its permit back at once, so one lets them all through.
        self.shared.gate.add_permits(1);
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = {
        let mut script = shared.script.lock().expect("script");
        script
            .pop_front()
            .unwrap_or_else(|| shared.fallback.lock().expect("fallback").clone())
    };
    shared.requests.lock().expect("requests").push(Request {
        path: uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers,
        body,
        at: Instant::now(),
    });
    shared.count.send_modify(|c| *c += 1);
    if reply.gated {
        let _ = shared.gate.acquire().await;
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).expect("status");
    match reply.retry_after {
        Some(after) => (status, [("retry-after", after)], reply.body).into_response(),
        None => (status, reply.body).into_response(),
    }
}

/// A channel with a 10 s timeout, no retries and a 10 ms backoff.
pub fn channel(name: &str, channel: NotifyChannel) -> NotifyConfig {
    NotifyConfig {
        name: name.to_string(),
        channel,
        min_severity: Severity::Low,
        timeout: Duration::from_secs(10),
        retries: 0,
        backoff: Duration::from_millis(10),
    }
}

pub fn webhook(name: &str, url: reqwest::Url) -> NotifyConfig {
    channel(
        name,
        NotifyChannel::Webhook {
            url,
            headers: Vec::new(),
        },
    )
}

/// A fixed moment, so ages are exact.
pub fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

/// A firing `service_down` alert about `payments` that started 4 minutes before `at(240)`.
pub fn alert(id: u64, severity: Severity) -> AlertView {
    AlertView {
        id,
        key: AlertKey {
            kind: AlertKind::ServiceDown,
            rule: None,
            subject: "payments".into(),
        },
        group: Some("core".into()),
        severity,
        state: AlertState::Firing,
        summary: "payments is DOWN: connection refused".into(),
        started: at(0),
        fired: Some(at(30)),
        resolved: None,
        ended: None,
        peak: Gravity::of(Severity::High, AlertKind::ServiceDown),
        ack: None,
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline: Vec::new(),
        origin: None,
    }
}

pub fn notice(kind: NoticeKind, alert: AlertView) -> Notice {
    Notice {
        id: alert.id,
        kind,
        alert: Arc::new(alert),
        at: at(240),
    }
}

/// Every log line written while it is installed, as JSON.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

pub struct CaptureWriter(Arc<Mutex<Vec<u8>>>);

impl io::Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("capture").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = CaptureWriter;

    fn make_writer(&'a self) -> CaptureWriter {
        CaptureWriter(self.0.clone())
    }
}

impl Capture {
    /// Installs the JSON-line subscriber on this thread (a current-thread test runtime
    /// runs every task here) until the guard is dropped.
    ///
    /// Every test of a binary that reads logs must install one: tracing caches each
    /// callsite's interest process-wide, decided by the first thread to reach it, and a
    /// thread with no subscriber would switch the line off for all the others.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let filter = Filter::parse("lookout=debug").expect("filter");
        tracing::subscriber::set_default(subscriber(self.clone(), filter))
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("capture").clone()).expect("utf-8")
    }

    pub fn lines(&self) -> Vec<Value> {
        self.text()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }

    /// Waits until `n` lines of `event` were written (polling: a log line has no
    /// other signal), bounded so a bug fails rather than hangs.
    pub async fn wait_for(&self, event: &str, n: usize) {
        let enough = async {
            while self.events(event).len() < n {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), enough)
            .await
            .expect("log lines in time");
    }

    /// The lines whose `event` is `event`.
    pub fn events(&self, event: &str) -> Vec<Value> {
        self.lines()
            .into_iter()
            .filter(|line| line["event"] == event)
            .collect()
    }
}

/// Waits for the notifier's workers, bounded so a bug fails rather than hangs.
pub async fn finish(notifier: lookout::notify::Notifier) {
    tokio::time::timeout(Duration::from_secs(120), notifier.stopped())
        .await
        .expect("workers ended in time");
}
