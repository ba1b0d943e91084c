//! Forwarding lookout's own alerts: one task per `[[alertmanager]]` with `forward = true`,
//! fed the core's alert lists through a watch channel (the core swaps pointers when the
//! alerts change and never waits). Each task posts news at once, every open alert again
//! each `resend` with an `endsAt` four resends ahead (as Prometheus does, so alerts of a
//! lookout that stopped end by themselves), and backs off while Alertmanager fails.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::watch;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::client::AlertmanagerClient;
use super::ledger::{AlertLists, Ledger};
use super::lines;
use super::tasks::TaskSet;
use crate::config::AlertmanagerConfig;
use crate::view::alert::AlertView;

/// An open alert's `endsAt` is this many resend intervals after it was sent: missing a
/// few resends does not end it, a lookout that stopped lets it end.
pub const RESENDS_BEFORE_END: u32 = 4;

/// The wait after the first failed post; it doubles for each later one, up to `resend`.
const FIRST_RETRY: Duration = Duration::from_secs(1);

/// The forwarders of a config. Dropping it stops them.
pub struct Forwarding {
    lists: watch::Sender<AlertLists>,
    configs: Vec<AlertmanagerConfig>,
    tasks: TaskSet,
}

impl Forwarding {
    /// One task per Alertmanager that `forward`s. Must be called inside a tokio runtime.
    pub fn start(configs: &[AlertmanagerConfig], cancel: &CancellationToken) -> Self {
        let (lists, _) = watch::channel(AlertLists::default());
        let mut forwarding = Self {
            lists,
            configs: Vec::new(),
            tasks: TaskSet::new(cancel),
        };
        forwarding.spawn(configs);
        forwarding
    }

    /// Hands the newest alert lists to the forwarders; nothing happens unless an active
    /// alert changed (compared by pointer: the engine replaces what it changes).
    pub fn offer(&self, active: &[Arc<AlertView>], history: &[Arc<AlertView>]) {
        if self.tasks.is_empty() {
            return;
        }
        self.lists.send_if_modified(|lists| {
            let same = lists.active.len() == active.len()
                && lists
                    .active
                    .iter()
                    .zip(active)
                    .all(|(a, b)| Arc::ptr_eq(a, b));
            if same {
                return false;
            }
            lists.active = active.to_vec();
            lists.history = history.to_vec();
            true
        });
    }

    /// Takes a reloaded config: when `[[alertmanager]]` changed, the forwarders restart
    /// (the new ones send every open alert at once).
    pub fn reload(&mut self, configs: &[AlertmanagerConfig]) {
        if configs == self.configs.as_slice() {
            return;
        }
        self.tasks.renew();
        self.spawn(configs);
    }

    /// Stops the forwarders and waits for them (a post in flight is abandoned).
    pub async fn stop(self) {
        self.tasks.stop().await;
    }

    fn spawn(&mut self, configs: &[AlertmanagerConfig]) {
        self.configs = configs.to_vec();
        let instance: Option<Arc<str>> = sysinfo::System::host_name().ok().map(Arc::from);
        for config in configs.iter().filter(|c| c.forward) {
            let client = match AlertmanagerClient::new(config) {
                Ok(client) => client,
                Err(err) => {
                    lines::failed(config, &err, 1, None);
                    continue;
                }
            };
            let forwarder = Forwarder {
                config: config.clone(),
                client,
                instance: instance.clone(),
            };
            let task = forwarder.run(self.lists.subscribe(), self.tasks.token());
            self.tasks.spawn(task);
        }
    }
}

/// One Alertmanager's forwarder.
struct Forwarder {
    config: AlertmanagerConfig,
    client: AlertmanagerClient,
    instance: Option<Arc<str>>,
}

/// Failed posts in a row, and the error last logged (a new one is logged, a repeat not).
#[derive(Default)]
struct Health {
    failures: u32,
    logged: Option<String>,
}

impl Forwarder {
    async fn run(self, mut lists: watch::Receiver<AlertLists>, cancel: CancellationToken) {
        let mut ledger = Ledger::new(self.instance.clone());
        let mut health = Health::default();
        let mut renew_at = Instant::now() + self.config.resend;
        let mut retry_at: Option<Instant> = None;
        let current = lists.borrow_and_update().clone();
        ledger.observe(&current, SystemTime::now());
        loop {
            if retry_at.is_none() && ledger.has_news() {
                retry_at = self.post(&mut ledger, &mut health, &cancel).await;
            }
            tokio::select! {
                biased;
                () = cancel.cancelled() => break,
                changed = lists.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    let current = lists.borrow_and_update().clone();
                    ledger.observe(&current, SystemTime::now());
                }
                () = tokio::time::sleep_until(renew_at) => {
                    ledger.renew_all();
                    renew_at = Instant::now() + self.config.resend;
                }
                () = sleep_until_some(retry_at), if retry_at.is_some() => retry_at = None,
            }
        }
    }

    /// Posts what is due; on failure, returns when to try again.
    async fn post(
        &self,
        ledger: &mut Ledger,
        health: &mut Health,
        cancel: &CancellationToken,
    ) -> Option<Instant> {
        let now = SystemTime::now();
        let until = now + self.config.resend.saturating_mul(RESENDS_BEFORE_END);
        let batch = ledger.batch(now, until);
        if batch.alerts.is_empty() {
            return None;
        }
        let started = Instant::now();
        let sent = tokio::select! {
            biased;
            () = cancel.cancelled() => return None,
            sent = self.client.post_alerts(&batch.alerts) => sent,
        };
        match sent {
            Ok(()) => {
                ledger.delivered(until);
                if health.failures > 0 {
                    lines::recovered(&self.config, health.failures);
                }
                *health = Health::default();
                lines::forwarded(&self.config, &batch, started.elapsed());
                None
            }
            Err(err) => {
                health.failures = health.failures.saturating_add(1);
                let wait = crate::net::backoff(FIRST_RETRY, health.failures, self.config.resend);
                let text = err.to_string();
                if health.logged.as_deref() != Some(text.as_str()) {
                    lines::failed(&self.config, &err, health.failures, Some(wait));
                    health.logged = Some(text);
                }
                Some(Instant::now() + wait)
            }
        }
    }
}

async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
