//! Reading every `[[alertmanager]]`'s alerts and silences for the alert pane, and making
//! and expiring silences there when someone asks: one task per Alertmanager, polling
//! each `poll` (after a failure sooner, 1 s then doubling up to `poll`), carrying out
//! requests between polls and reading again right after one. Tasks report on one
//! channel that the core drains; nothing here waits on the core.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::client::AlertmanagerClient;
use super::error::AlertmanagerError;
use super::model::NewSilence;
use super::tasks::TaskSet;
use crate::config::AlertmanagerConfig;
use crate::event::Reply;
use crate::view::alertmanager::{AmAlert, AmSilence};

/// The wait after the first failed read; it doubles for each later one, up to `poll`.
const FIRST_RETRY: Duration = Duration::from_secs(1);

/// Requests waiting for one Alertmanager; more are refused as busy.
const QUEUE: usize = 16;

/// What one Alertmanager holds: its unresolved alerts and its silences.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picture {
    pub alerts: Vec<AmAlert>,
    pub silences: Vec<AmSilence>,
}

/// Something to do in an Alertmanager for a person.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Make this silence.
    Silence(NewSilence),
    /// End these silences now.
    Expire(Vec<String>),
}

/// A request with what it is about (`rule:HighLatency/api`, for messages) and where
/// its answer goes.
#[derive(Debug, Clone)]
pub struct Errand {
    pub request: Request,
    pub about: String,
    pub reply: Option<Reply>,
}

/// What a task reports; `source` is the Alertmanager's index in the config.
#[derive(Debug)]
pub enum Reading {
    Polled {
        source: usize,
        result: Result<Picture, AlertmanagerError>,
        took: Duration,
    },
    /// An errand was carried out (`Ok` holds the new silence's id, or nothing for an
    /// expiry) or failed.
    Done {
        source: usize,
        errand: Errand,
        result: Result<Option<String>, AlertmanagerError>,
    },
}

/// The reading tasks of a config. Dropping it stops them.
pub struct Watching {
    configs: Vec<AlertmanagerConfig>,
    errands: Vec<Option<mpsc::Sender<Errand>>>,
    readings: mpsc::Receiver<Reading>,
    tasks: TaskSet,
}

impl Watching {
    /// One task per Alertmanager, the first read at once. Must be called inside a
    /// tokio runtime.
    pub fn start(configs: &[AlertmanagerConfig], cancel: &CancellationToken) -> Self {
        let (_, readings) = mpsc::channel(1);
        let mut watching = Self {
            configs: Vec::new(),
            errands: Vec::new(),
            readings,
            tasks: TaskSet::new(cancel),
        };
        watching.spawn(configs);
        watching
    }

    /// The configs being read, in order (a reading's `source` indexes them).
    pub fn configs(&self) -> &[AlertmanagerConfig] {
        &self.configs
    }

    /// The next report; never resolves without Alertmanagers.
    pub async fn next(&mut self) -> Option<Reading> {
        if self.tasks.is_empty() {
            return std::future::pending().await;
        }
        self.readings.recv().await
    }

    /// Hands `errand` to Alertmanager `source`; refused (with why) when it cannot take
    /// it, in which case nobody will answer its reply.
    pub fn send(&self, source: usize, errand: Errand) -> Result<(), String> {
        let name = self.configs.get(source).map_or("?", |c| c.name.as_str());
        let Some(Some(sender)) = self.errands.get(source) else {
            return Err(format!("Alertmanager {name} has no working client"));
        };
        sender.try_send(errand).map_err(|err| match err {
            mpsc::error::TrySendError::Full(_) => {
                format!("Alertmanager {name} is busy with earlier requests; try again")
            }
            mpsc::error::TrySendError::Closed(_) => format!("Alertmanager {name} is stopping"),
        })
    }

    /// Takes a reloaded config: when `[[alertmanager]]` changed, the tasks restart and
    /// read at once (reports of the old ones never arrive). Returns true if they did.
    pub fn reload(&mut self, configs: &[AlertmanagerConfig]) -> bool {
        if configs == self.configs.as_slice() {
            return false;
        }
        self.tasks.renew();
        self.spawn(configs);
        true
    }

    /// Stops the tasks and waits for them (a request in flight is abandoned).
    pub async fn stop(self) {
        self.tasks.stop().await;
    }

    fn spawn(&mut self, configs: &[AlertmanagerConfig]) {
        self.configs = configs.to_vec();
        self.errands.clear();
        let (report, readings) = mpsc::channel(configs.len().max(1) * 4);
        self.readings = readings;
        for (source, config) in configs.iter().enumerate() {
            let (errands, inbox) = mpsc::channel(QUEUE);
            let client = AlertmanagerClient::new(config);
            let ok = client.is_ok();
            let reader = Reader {
                source,
                poll: config.poll,
                client,
                report: report.clone(),
            };
            self.tasks.spawn(reader.run(inbox, self.tasks.token()));
            self.errands.push(ok.then_some(errands));
        }
    }
}

/// One Alertmanager's reader.
struct Reader {
    source: usize,
    poll: Duration,
    client: Result<AlertmanagerClient, AlertmanagerError>,
    report: mpsc::Sender<Reading>,
}

impl Reader {
    async fn run(self, mut inbox: mpsc::Receiver<Errand>, cancel: CancellationToken) {
        let mut due = Instant::now();
        let mut failures: u32 = 0;
        loop {
            let reading = tokio::select! {
                biased;
                () = cancel.cancelled() => break,
                Some(errand) = inbox.recv() => {
                    let Some(result) = cancellable(&cancel, self.carry_out(&errand.request)).await
                    else {
                        break;
                    };
                    // Show the outcome in the pane at once.
                    due = Instant::now();
                    Reading::Done { source: self.source, errand, result }
                }
                () = tokio::time::sleep_until(due) => {
                    let started = Instant::now();
                    let Some(result) = cancellable(&cancel, self.read()).await else {
                        break;
                    };
                    failures = if result.is_ok() { 0 } else { failures.saturating_add(1) };
                    let wait = if failures == 0 {
                        self.poll
                    } else {
                        crate::net::backoff(FIRST_RETRY, failures, self.poll)
                    };
                    due = Instant::now() + wait;
                    Reading::Polled { source: self.source, result, took: started.elapsed() }
                }
            };
            if self.report.send(reading).await.is_err() {
                break;
            }
        }
    }

    /// Alerts and silences, read side by side.
    async fn read(&self) -> Result<Picture, AlertmanagerError> {
        let client = self.client.as_ref().map_err(Clone::clone)?;
        let (alerts, silences) = tokio::join!(client.alerts(), client.silences());
        Ok(Picture {
            alerts: alerts?,
            silences: silences?,
        })
    }

    async fn carry_out(&self, request: &Request) -> Result<Option<String>, AlertmanagerError> {
        let client = self.client.as_ref().map_err(Clone::clone)?;
        match request {
            Request::Silence(silence) => client.create_silence(silence).await.map(Some),
            Request::Expire(ids) => {
                for id in ids {
                    client.expire_silence(id).await?;
                }
                Ok(None)
            }
        }
    }
}

/// `work`'s outcome, or `None` once `cancel` fires.
async fn cancellable<T>(
    cancel: &CancellationToken,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        done = work => Some(done),
    }
}
