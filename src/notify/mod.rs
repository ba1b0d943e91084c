//! Notifications: alert notices delivered to `[[notify]]` channels (a webhook, Slack, a
//! command), each channel with its own worker and bounded queue, so a slow or failing
//! channel never holds the engine or the other channels.
//!
//! `queue.rs` is a channel's queue (full: the oldest notice goes), `worker.rs` its
//! delivery loop (timeout, retries, backoff), `http.rs` and `command.rs` one attempt,
//! `payload.rs` the JSON and environment, `slack.rs` Slack's format, `lines.rs` the
//! log lines.

mod command;
mod health;
mod http;
mod lines;
mod payload;
mod queue;
mod slack;
mod worker;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_delivery;

use std::sync::Arc;
use std::time::SystemTime;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::{NotifyChannel, NotifyConfig, Severity};
use crate::view::alert::AlertView;

pub use crate::view::notice::NoticeKind;
pub use health::Health;
pub use worker::{MAX_BACKOFF, retry_delay};

/// Notices a channel holds while its worker is busy; beyond that the oldest are dropped.
pub const QUEUE_CAPACITY: usize = 64;

/// One thing to tell the channels about one alert.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Unique per notice and channel (the outbox's row): a receiver that gets the same
    /// id twice (delivered just before a crash, sent again after) can drop the repeat.
    pub id: u64,
    pub kind: NoticeKind,
    pub alert: Arc<AlertView>,
    /// When the engine decided to send it; ages are measured to here.
    pub at: SystemTime,
}

/// One channel as [`Notifier::notify`] sees it.
struct Route {
    config: NotifyConfig,
    queue: Arc<queue::Queue>,
}

/// Hands notices to the channels' workers. Dropping it lets the workers deliver what
/// is queued and end; cancelling the token stops them at once.
pub struct Notifier {
    routes: Vec<Route>,
    workers: Vec<JoinHandle<()>>,
    health: Health,
}

impl Notifier {
    /// One worker task per channel, each with a queue of [`QUEUE_CAPACITY`] notices;
    /// what gets through and what is lost goes to `health`. Must be called inside a
    /// tokio runtime.
    pub fn start(channels: &[NotifyConfig], cancel: &CancellationToken, health: &Health) -> Self {
        Self::with_capacity(channels, cancel, QUEUE_CAPACITY, health)
    }

    /// [`Notifier::start`] with queues of `capacity` notices (at least one).
    pub fn with_capacity(
        channels: &[NotifyConfig],
        cancel: &CancellationToken,
        capacity: usize,
        health: &Health,
    ) -> Self {
        health.set_channels(channels);
        let needs_http = channels
            .iter()
            .any(|c| !matches!(c.channel, NotifyChannel::Command { .. }));
        let client = if needs_http {
            http::client().map_err(|err| format!("no HTTP client: {err}"))
        } else {
            Err("no HTTP client".to_string())
        };
        let host: Option<Arc<str>> = sysinfo::System::host_name().ok().map(Arc::from);
        let mut routes = Vec::with_capacity(channels.len());
        let mut workers = Vec::with_capacity(channels.len());
        for config in channels {
            let queue = Arc::new(queue::Queue::new(capacity));
            let headers = match &config.channel {
                NotifyChannel::Webhook { headers, .. } => http::header_map(headers),
                _ => Ok(reqwest::header::HeaderMap::new()),
            };
            let worker = worker::Worker {
                config: config.clone(),
                client: client.clone(),
                headers,
                host: host.clone(),
                queue: queue.clone(),
                health: health.clone(),
            };
            workers.push(tokio::spawn(worker.run(cancel.clone())));
            routes.push(Route {
                config: config.clone(),
                queue,
            });
        }
        Self {
            routes,
            workers,
            health: health.clone(),
        }
    }

    /// Queues `notice` for every channel it is severe enough for. Never waits: a
    /// channel whose queue is full drops its oldest notice (and logs it).
    pub fn notify(&self, notice: Notice) {
        for route in &self.routes {
            if notice.alert.severity >= route.config.min_severity {
                self.push(route, notice.clone());
            }
        }
    }

    /// The names of every channel.
    pub fn channels(&self) -> impl Iterator<Item = &str> {
        self.routes.iter().map(|route| route.config.name.as_str())
    }

    /// The names of the channels a notice of `severity` goes to.
    pub fn channels_for(&self, severity: Severity) -> impl Iterator<Item = &str> {
        (self.routes.iter())
            .filter(move |route| severity >= route.config.min_severity)
            .map(|route| route.config.name.as_str())
    }

    /// Queues `notice` for the channel named `channel` alone; gives it back when no
    /// channel has that name. Never waits, as [`Notifier::notify`].
    pub fn send(&self, channel: &str, notice: Notice) -> Result<(), Notice> {
        match self
            .routes
            .iter()
            .find(|route| route.config.name == channel)
        {
            Some(route) => {
                self.push(route, notice);
                Ok(())
            }
            None => Err(notice),
        }
    }

    fn push(&self, route: &Route, notice: Notice) {
        if let Some(dropped) = route.queue.push(notice) {
            lines::given_up(&route.config, &dropped, 0, "queue full");
            let why = "dropped: the channel's queue was full";
            self.health
                .lost(&route.config.name, &dropped, why, SystemTime::now());
        }
    }

    /// Waits for every worker to end: after the token is cancelled, at once (what is
    /// still queued is logged as not delivered); otherwise once each has delivered what
    /// is queued. The caller bounds the wait.
    pub async fn stopped(mut self) {
        let workers = std::mem::take(&mut self.workers);
        drop(self);
        for worker in workers {
            let _ = worker.await;
        }
    }
}

impl Drop for Notifier {
    fn drop(&mut self) {
        for route in &self.routes {
            route.queue.close();
        }
    }
}
