//! Pollers that check services: the prober that runs each service's check kind
//! (`crate::kinds`), and the scheduler that decides when.
//!
//! A [`Prober`] is built once from the services (HTTP clients included) and then
//! checks any service by id; the [`scheduler`] decides when, and
//! [`check_all_once`] runs every check one time for `lookout check`.

mod pollers;
mod prober;
pub mod scheduler;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::config::{Config, ServiceConfig};
use crate::event::Event;
use crate::kinds::{Checked, Outcome};
use crate::net::reason;
use crate::view::check::{CheckResult, ServiceId};

pub use pollers::Pollers;
pub use pollers::Receivers;
pub use prober::Prober;
pub use scheduler::{SchedulerHandle, spawn};

/// What the core may ask of the pollers.
pub trait ProbeControl {
    /// Run this service's check now.
    fn check_now(&self, id: ServiceId);
    /// Stop or restart this service's checks.
    fn set_paused(&self, id: ServiceId, paused: bool);
    /// Stops every check and starts `config`'s; their results arrive on the returned
    /// receivers (results of the old checks never do).
    fn restart(&mut self, config: &Config) -> Receivers;
    /// Stops the checks of scrape target cards only (the config's own services keep
    /// their checks, in flight or not) and starts those of `config`, whose own services
    /// must be the running ones; their results arrive on the returned receiver.
    fn restart_targets(&mut self, config: &Config) -> mpsc::Receiver<Event>;
    /// Resolves once every check task has stopped, after cancellation.
    fn stopped(&self) -> impl Future<Output = ()> + Send;
}

/// Something that can check a service by id. Injectable so the scheduler can be
/// tested with a fake checker and paused time; [`Prober`] is the real one.
///
/// The caller bounds each check by the service's timeout, so implementations need
/// no deadline of their own.
pub trait Checker: Send + Sync + 'static {
    /// Runs one check of `id` to its verdict.
    fn check(&self, id: ServiceId) -> impl Future<Output = Outcome> + Send;

    /// The reason for a check of `id` cut off by its `timeout`. A checker that knows
    /// how far the check got says so: "timeout after 5s (no response)".
    fn timeout_reason(&self, _id: ServiceId, timeout: Duration) -> String {
        reason::timeout(timeout)
    }

    /// Runs one check of `id` to everything it reports: the verdict, a value it read,
    /// a certificate it saw. Checkers that only judge need not override it.
    fn checked(&self, id: ServiceId) -> impl Future<Output = Checked> + Send {
        async move { Checked::from(self.check(id).await) }
    }
}

impl<F, Fut> Checker for F
where
    F: Fn(ServiceId) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send,
{
    fn check(&self, id: ServiceId) -> impl Future<Output = Outcome> + Send {
        self(id)
    }
}

/// Runs one check bounded by `timeout` and times it: the result's `at` and `latency`
/// start here, after any wait for a concurrency permit; `lag` is the caller's.
async fn timed_check<C: Checker>(
    checker: &C,
    id: ServiceId,
    timeout: Duration,
    lag: Duration,
) -> CheckResult {
    let at = SystemTime::now();
    let started = Instant::now();
    let checked = match tokio::time::timeout(timeout, checker.checked(id)).await {
        Ok(checked) => checked,
        Err(_) => Checked::from(Outcome::Fail {
            status: None,
            reason: checker.timeout_reason(id, timeout),
        }),
    };
    CheckResult {
        service: id,
        at,
        latency: started.elapsed(),
        lag,
        outcome: checked.outcome,
        reading: checked.reading,
        certificate: checked.certificate,
    }
}

/// Checks every service once, at most `max_concurrent` at a time, and returns the
/// results in config order (`lookout check`). `lag` is the wait for a permit.
pub async fn check_all_once(services: &[ServiceConfig], max_concurrent: usize) -> Vec<CheckResult> {
    let prober = Arc::new(Prober::new(services));
    let permits = Arc::new(Semaphore::new(
        max_concurrent.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let begun = Instant::now();
    let mut tasks = JoinSet::new();
    for (id, service) in services.iter().enumerate() {
        let prober = Arc::clone(&prober);
        let permits = Arc::clone(&permits);
        let timeout = service.timeout;
        tasks.spawn(async move {
            let _permit = permits
                .acquire()
                .await
                .expect("the semaphore is never closed");
            timed_check(&*prober, id, timeout, begun.elapsed()).await
        });
    }
    let mut results: Vec<Option<CheckResult>> = vec![None; services.len()];
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => {
                let id = result.service;
                results[id] = Some(result);
            }
            // A check that panicked is a bug; surface it rather than hide a service.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    results
        .into_iter()
        .map(|result| result.expect("every spawned check reported"))
        .collect()
}
