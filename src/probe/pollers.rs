//! The pollers of the config in use: a scheduler of checks over a prober, and the
//! machine's sampler, replaced together when the config is reloaded.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::ProbeControl;
use super::{Prober, SchedulerHandle, spawn};
use crate::config::Config;
use crate::event::Event;
use crate::view::check::ServiceId;

/// Results waiting for the core; a burst beyond this makes pollers wait, not grow memory.
const EVENT_BUFFER: usize = 4096;

/// The running checks, steered by the core.
pub struct Pollers {
    scheduler: SchedulerHandle,
    /// Stops this generation of checks (a reload starts the next one).
    generation: CancellationToken,
    /// The engine's token: every generation stops with it.
    engine: CancellationToken,
}

impl Pollers {
    /// Starts `config`'s checks; results arrive on the returned receiver. Must be called
    /// inside a tokio runtime.
    pub fn start(config: &Config, engine: &CancellationToken) -> (Self, mpsc::Receiver<Event>) {
        let generation = engine.child_token();
        let (scheduler, events) = start_scheduler(config, &generation);
        let pollers = Self {
            scheduler,
            generation,
            engine: engine.clone(),
        };
        (pollers, events)
    }
}

fn start_scheduler(
    config: &Config,
    cancel: &CancellationToken,
) -> (SchedulerHandle, mpsc::Receiver<Event>) {
    let (events, receiver) = mpsc::channel(EVENT_BUFFER);
    // The machine's sampler is a poller of the same generation: a reload restarts it with
    // the new `[system]` settings.
    let _sampler = crate::system::spawn(&config.system, events.clone(), cancel.clone());
    let scheduler = spawn(
        &config.services,
        Arc::new(Prober::new(&config.services)),
        config.general.max_concurrent_checks,
        events,
        cancel.clone(),
    );
    (scheduler, receiver)
}

impl ProbeControl for Pollers {
    fn check_now(&self, id: ServiceId) {
        self.scheduler.check_now(id);
    }

    fn set_paused(&self, id: ServiceId, paused: bool) {
        self.scheduler.set_paused(id, paused);
    }

    fn restart(&mut self, config: &Config) -> mpsc::Receiver<Event> {
        // The old checks stop at once, in flight or not; their results go nowhere.
        self.generation.cancel();
        self.generation = self.engine.child_token();
        let (scheduler, events) = start_scheduler(config, &self.generation);
        self.scheduler = scheduler;
        events
    }

    async fn stopped(&self) {
        self.scheduler.stopped().await;
    }
}
