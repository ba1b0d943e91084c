//! The running job monitor: a task that, while on, runs a round every `interval` (or
//! now, when asked), keeps the picture the screen shows, and sends it to the core after
//! every change. A failing database is retried with a doubling backoff and reported,
//! never waited on: each query is bounded by `query_timeout`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::cycle::{self, Round};
use super::database::Database;
use super::queue::JobsError;
use crate::config::JobsConfig;
use crate::event::Event;
use crate::view::jobs::{DatabaseProblem, JobsView, Preview};

/// The first retry after a database failure; each later one waits twice as long, up to
/// the interval.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);

/// Pictures waiting for the core; the monitor waits when the core is behind.
const EVENT_BUFFER: usize = 16;

/// What the core may ask of the monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    Set(bool),
    RunNow,
    /// A dry run now, on or off, its pass kept as the preview numbered so.
    Preview(u64),
}

/// A running monitor task.
pub struct Monitor {
    config: JobsConfig,
    requests: mpsc::UnboundedSender<Request>,
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

impl Monitor {
    /// Starts the monitor of `config`, on (running rounds) or off; its pictures arrive
    /// on the returned receiver, the first one at once.
    pub fn start(
        config: &JobsConfig,
        running: bool,
        clock: fn() -> SystemTime,
        parent: &CancellationToken,
    ) -> (Self, mpsc::Receiver<Event>) {
        let (events, receiver) = mpsc::channel(EVENT_BUFFER);
        let (requests, requests_rx) = mpsc::unbounded_channel();
        let cancel = parent.child_token();
        let task = Task {
            config: config.clone(),
            clock,
            view: JobsView::new(config, running),
            queue: None,
            sequence: 0,
            events,
        };
        let task = tokio::spawn(task.run(requests_rx, cancel.clone()));
        let monitor = Self {
            config: config.clone(),
            requests,
            cancel,
            task,
        };
        (monitor, receiver)
    }

    /// The config it runs with.
    pub fn config(&self) -> &JobsConfig {
        &self.config
    }

    /// Turns it on (true) or off (false), if it is not so already.
    pub fn set_running(&self, on: bool) {
        let _ = self.requests.send(Request::Set(on));
    }

    /// Runs a round now, if on.
    pub fn run_now(&self) {
        let _ = self.requests.send(Request::RunNow);
    }

    /// Finds what a pass would do now without writing anything, on or off; the answer
    /// comes as the picture's `preview` numbered `sequence`.
    pub fn preview(&self, sequence: u64) {
        let _ = self.requests.send(Request::Preview(sequence));
    }

    /// Stops the task (an unfinished query is dropped, its connection closed).
    pub async fn stop(self) {
        self.cancel.cancel();
        let _ = self.task.await;
    }

    /// Stops the task without waiting for it (a reload replacing it).
    pub fn abandon(self) {
        self.cancel.cancel();
    }
}

/// The task's own state.
struct Task {
    config: JobsConfig,
    clock: fn() -> SystemTime,
    view: JobsView,
    /// Open while connected; dropped after any failure and when turned off (which also
    /// lets go of PostgreSQL's advisory lock).
    queue: Option<Database>,
    sequence: u64,
    events: mpsc::Sender<Event>,
}

async fn sleep_until(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

impl Task {
    async fn run(
        mut self,
        mut requests: mpsc::UnboundedReceiver<Request>,
        cancel: CancellationToken,
    ) {
        let mut due = self.view.running.then(Instant::now);
        if !self.publish().await {
            return;
        }
        loop {
            tokio::select! {
                biased;
                () = cancel.cancelled() => break,
                request = requests.recv() => match request {
                    None => break,
                    Some(Request::Set(on)) if on != self.view.running => due = self.toggle(),
                    Some(Request::Set(_)) => continue,
                    Some(Request::RunNow) => {
                        if self.view.running {
                            due = Some(Instant::now());
                        }
                        continue;
                    }
                    Some(Request::Preview(sequence)) => {
                        let now = (self.clock)();
                        tokio::select! {
                            () = cancel.cancelled() => break,
                            () = self.preview(sequence, now) => {}
                        }
                    }
                },
                () = sleep_until(due), if due.is_some() => {
                    let now = (self.clock)();
                    let outcome = tokio::select! {
                        () = cancel.cancelled() => break,
                        outcome = self.attempt(now) => outcome,
                    };
                    let wait = self.settle(outcome, now);
                    due = Some(Instant::now() + wait);
                    self.view.next_pass = Some((self.clock)() + wait);
                }
            }
            if !self.publish().await {
                break;
            }
        }
    }

    /// Turns the monitor on (a round at once) or off (the connection closed, the
    /// problem forgotten); returns when the next round is due.
    fn toggle(&mut self) -> Option<Instant> {
        let view = &mut self.view;
        view.running = !view.running;
        if view.running {
            return Some(Instant::now());
        }
        self.queue = None;
        view.role = None;
        view.problem = None;
        view.next_pass = None;
        None
    }

    /// Connects if needed and runs one round.
    async fn attempt(&mut self, now: SystemTime) -> Result<Round, JobsError> {
        let queue = match &mut self.queue {
            Some(queue) => queue,
            None => self.queue.insert(Database::open(&self.config).await?),
        };
        let sequence = self.sequence + 1;
        cycle::round(queue, &self.config, now, self.config.dry_run, sequence).await
    }

    /// A dry run of one pass, kept apart from the real passes (their totals, the
    /// `stuck_jobs` condition): what starting the monitor, or a pass now, would do.
    /// Off, the connection it took is closed again.
    async fn preview(&mut self, sequence: u64, now: SystemTime) {
        let outcome = match &mut self.queue {
            Some(queue) => cycle::round(queue, &self.config, now, true, 0).await,
            None => match Database::open(&self.config).await {
                Ok(mut queue) => {
                    let round = cycle::round(&mut queue, &self.config, now, true, 0).await;
                    if self.view.running {
                        self.queue = Some(queue);
                    }
                    round
                }
                Err(err) => Err(err),
            },
        };
        let outcome = match outcome {
            Ok(round) => {
                self.view.census = Some(round.census);
                Ok(Arc::new(round.pass))
            }
            Err(err) => Err(err.to_string()),
        };
        self.view.preview = Some(Preview { sequence, outcome });
    }

    /// Takes a round's outcome into the picture; returns the wait until the next one.
    fn settle(&mut self, outcome: Result<Round, JobsError>, now: SystemTime) -> Duration {
        let view = &mut self.view;
        match outcome {
            Ok(round) => {
                self.sequence = round.pass.sequence;
                view.role = Some(round.role);
                view.census = Some(round.census);
                view.totals.add(&round.pass);
                view.last_pass = Some(Arc::new(round.pass));
                view.problem = None;
                self.config.interval
            }
            Err(err) => {
                self.queue = None;
                let failures = view.problem.as_ref().map_or(0, |p| p.failures) + 1;
                let wait = backoff(failures, self.config.interval);
                view.problem = Some(DatabaseProblem {
                    since: view.problem.as_ref().map_or(now, |p| p.since),
                    message: err.to_string(),
                    failures,
                    retry_at: now + wait,
                });
                wait
            }
        }
    }

    /// Sends the picture to the core; false once the core is gone.
    async fn publish(&self) -> bool {
        let event = Event::Jobs(Box::new(self.view.clone()));
        self.events.send(event).await.is_ok()
    }
}

/// The wait after `failures` failures in a row: 1 s, 2 s, 4 s… never beyond `interval`.
pub fn backoff(failures: u32, interval: Duration) -> Duration {
    crate::net::backoff(FIRST_RETRY, failures, interval.max(FIRST_RETRY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_the_interval() {
        let minute = Duration::from_secs(60);
        let cases: &[(u32, Duration, u64)] = &[
            (1, minute, 1),
            (2, minute, 2),
            (3, minute, 4),
            (6, minute, 32),
            (7, minute, 60),
            (40, minute, 60),
            (3, Duration::from_secs(3), 3),
            (1, Duration::from_millis(10), 1),
        ];
        for (failures, interval, secs) in cases {
            assert_eq!(
                backoff(*failures, *interval),
                Duration::from_secs(*secs),
                "{failures} failures, interval {interval:?}"
            );
        }
    }
}
