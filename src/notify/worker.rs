//! One channel's worker: takes notices from its queue in order and delivers each with
//! a bounded time per attempt and retries with exponential backoff.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::Client;
use reqwest::header::HeaderMap;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::health::Health;
use super::http::{self, Outcome, Retry};
use super::payload::{self, Payload};
use super::queue::Queue;
use super::{Notice, command, lines, slack};
use crate::config::{NotifyChannel, NotifyConfig};

/// The longest wait between two attempts, whatever the backoff or `Retry-After` say.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Once `retries` are spent, the notice is held and tried again this often (unless the
/// receiver asks for longer with `Retry-After`).
pub const HELD_RETRY: Duration = Duration::from_secs(60);

/// What one channel needs to deliver, prepared once.
pub(super) struct Worker {
    pub config: NotifyConfig,
    /// Shared by every HTTP channel; the error text when it could not be built.
    pub client: Result<Client, String>,
    /// A webhook's configured headers, checked once.
    pub headers: Result<HeaderMap, String>,
    pub host: Option<Arc<str>>,
    pub queue: Arc<Queue>,
    /// Told what got through and what was lost.
    pub health: Health,
}

impl Worker {
    /// Delivers notices until cancelled, or until the queue is closed and empty.
    pub(super) async fn run(self, cancel: CancellationToken) {
        loop {
            let next = tokio::select! {
                biased;
                () = cancel.cancelled() => None,
                next = self.queue.pop() => next,
            };
            let Some(notice) = next else { break };
            let attempts = AtomicU32::new(0);
            tokio::select! {
                biased;
                () = cancel.cancelled() => {
                    let made = attempts.load(Ordering::Relaxed);
                    lines::stopped(&self.config, &notice, made);
                    break;
                }
                () = self.deliver(&notice, &attempts) => {}
            }
        }
        for notice in self.queue.drain() {
            lines::stopped(&self.config, &notice, 0);
        }
    }

    /// Attempts until delivered or refused for good; `attempts` counts them for the
    /// caller. After `retries` failed attempts the channel is in trouble (the engine
    /// raises `notification_failed`), and the notice is held and tried again every
    /// [`HELD_RETRY`] at most until the receiver takes it: a page is late, never lost
    /// to a receiver that was away. A refusal that will not change (a 4xx other than 408
    /// and 429, a channel that cannot be used) loses it, said so.
    async fn deliver(&self, notice: &Notice, attempts: &AtomicU32) {
        let name = &self.config.name;
        let limit = self.config.retries.saturating_add(1);
        for attempt in 1.. {
            attempts.store(attempt, Ordering::Relaxed);
            let started = Instant::now();
            let outcome = tokio::time::timeout(self.config.timeout, self.attempt(notice))
                .await
                .unwrap_or_else(|_| {
                    let limit = humantime::format_duration(self.config.timeout);
                    Outcome::failed(format!("timed out after {limit}"), Retry::Later(None))
                });
            let (error, status, hint) = match outcome {
                Outcome::Delivered { status } => {
                    lines::sent(&self.config, notice, attempt, status, started.elapsed());
                    self.health.delivered(name, notice);
                    return;
                }
                Outcome::Failed {
                    error,
                    status,
                    retry: Retry::Later(hint),
                } => (error, status, hint),
                Outcome::Failed { error, status, .. } => {
                    lines::failed(&self.config, notice, attempt, status, &error, None);
                    self.health.lost(name, notice, &error, SystemTime::now());
                    return;
                }
            };
            let mut wait = retry_delay(self.config.backoff, attempt, hint);
            if attempt >= limit {
                self.health.holding(name, notice, &error, SystemTime::now());
                wait = wait
                    .min(HELD_RETRY)
                    .max(hint.unwrap_or_default().min(MAX_BACKOFF));
            }
            lines::failed(&self.config, notice, attempt, status, &error, Some(wait));
            tokio::time::sleep(wait).await;
        }
    }

    /// One delivery, unbounded in time (the caller bounds it).
    async fn attempt(&self, notice: &Notice) -> Outcome {
        let host = self.host.as_deref();
        match &self.config.channel {
            NotifyChannel::Webhook { url, .. } => {
                let (client, headers) = match (&self.client, &self.headers) {
                    (Ok(client), Ok(headers)) => (client, headers),
                    (Err(error), _) | (_, Err(error)) => {
                        return Outcome::failed(error.clone(), Retry::Never);
                    }
                };
                let body = Payload::new(notice, host, SystemTime::now()).to_bytes();
                http::post(client, url, headers, body, false).await
            }
            NotifyChannel::Slack { url } => {
                let client = match &self.client {
                    Ok(client) => client,
                    Err(error) => return Outcome::failed(error.clone(), Retry::Never),
                };
                let body = slack::payload(notice, host).to_string().into_bytes();
                http::post(client, url, &HeaderMap::new(), body, true).await
            }
            NotifyChannel::Command { argv } => {
                let body = Payload::new(notice, host, SystemTime::now()).to_bytes();
                command::run(argv, &payload::env_vars(notice), body).await
            }
        }
    }
}

/// The wait after failed attempt number `attempt` (1-based): `backoff` doubled for each
/// earlier failure, at least what the receiver asked for, at most [`MAX_BACKOFF`].
pub fn retry_delay(backoff: Duration, attempt: u32, asked: Option<Duration>) -> Duration {
    let computed = crate::net::backoff(backoff, attempt, MAX_BACKOFF);
    computed.max(asked.unwrap_or_default()).min(MAX_BACKOFF)
}
