//! The pollers of the config in use: the config's own services and the machine's
//! sampler in one generation of checks, the scrape target cards found at run time in
//! another, so targets coming and going never stop the other checks. Each generation has
//! its own channel: results of a stopped one never reach the core.

use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use super::ProbeControl;
use super::scheduler::{Run, permits, spawn_numbered};
use super::{Prober, SchedulerHandle};
use crate::config::Config;
use crate::event::Event;
use crate::sources::prometheus::discovery::first_target;
use crate::view::check::ServiceId;

/// Results waiting for the core; a burst beyond this makes pollers wait, not grow memory.
const EVENT_BUFFER: usize = 4096;

/// Where the results of each generation arrive.
pub struct Receivers {
    /// The config's own services and the machine's samples.
    pub own: mpsc::Receiver<Event>,
    /// The scrape target cards.
    pub targets: mpsc::Receiver<Event>,
}

/// The running checks, steered by the core.
pub struct Pollers {
    own: Generation,
    targets: Generation,
    /// `[general] max_concurrent_checks`, shared by both generations.
    permits: Arc<Semaphore>,
    /// The engine's token: every generation stops with it.
    engine: CancellationToken,
}

/// One set of checks and what stops it.
struct Generation {
    scheduler: SchedulerHandle,
    cancel: CancellationToken,
}

impl Pollers {
    /// Starts `config`'s checks. Must be called inside a tokio runtime.
    pub fn start(config: &Config, engine: &CancellationToken) -> (Self, Receivers) {
        let permits = permits(config.general.max_concurrent_checks);
        let (own, own_rx) = start_own(config, &permits, engine);
        let (targets, targets_rx) = start_targets(config, &permits, engine);
        let pollers = Self {
            own,
            targets,
            permits,
            engine: engine.clone(),
        };
        let receivers = Receivers {
            own: own_rx,
            targets: targets_rx,
        };
        (pollers, receivers)
    }
}

fn start_own(
    config: &Config,
    permits: &Arc<Semaphore>,
    engine: &CancellationToken,
) -> (Generation, mpsc::Receiver<Event>) {
    let own = 0..first_target(&config.services);
    start_generation(config, own, true, permits, engine)
}

fn start_targets(
    config: &Config,
    permits: &Arc<Semaphore>,
    engine: &CancellationToken,
) -> (Generation, mpsc::Receiver<Event>) {
    let targets = first_target(&config.services)..config.services.len();
    start_generation(config, targets, false, permits, engine)
}

/// The checks of `config.services[range]`, numbered from the range's start, on a
/// channel of their own; with `machine` (the own services' generation) the machine's
/// sampler too, so a reload restarts it with the new `[system]` settings.
fn start_generation(
    config: &Config,
    range: std::ops::Range<usize>,
    machine: bool,
    permits: &Arc<Semaphore>,
    engine: &CancellationToken,
) -> (Generation, mpsc::Receiver<Event>) {
    let cancel = engine.child_token();
    let (events, receiver) = mpsc::channel(EVENT_BUFFER);
    let first = range.start;
    if machine {
        let _sampler = crate::system::spawn(&config.system, events.clone(), cancel.clone());
    }
    let services = &config.services[range];
    let scheduler = spawn_numbered(
        services,
        Arc::new(Prober::numbered_from(first, services)),
        Run {
            first,
            permits: Arc::clone(permits),
            events,
            cancel: cancel.clone(),
        },
    );
    (Generation { scheduler, cancel }, receiver)
}

impl ProbeControl for Pollers {
    fn check_now(&self, id: ServiceId) {
        // Each generation acts only on the ids it runs.
        self.own.scheduler.check_now(id);
        self.targets.scheduler.check_now(id);
    }

    fn set_paused(&self, id: ServiceId, paused: bool) {
        self.own.scheduler.set_paused(id, paused);
        self.targets.scheduler.set_paused(id, paused);
    }

    fn restart(&mut self, config: &Config) -> Receivers {
        // The old checks stop at once, in flight or not; their results go nowhere.
        self.own.cancel.cancel();
        self.targets.cancel.cancel();
        self.permits = permits(config.general.max_concurrent_checks);
        let (own, own_rx) = start_own(config, &self.permits, &self.engine);
        let (targets, targets_rx) = start_targets(config, &self.permits, &self.engine);
        self.own = own;
        self.targets = targets;
        Receivers {
            own: own_rx,
            targets: targets_rx,
        }
    }

    fn restart_targets(&mut self, config: &Config) -> mpsc::Receiver<Event> {
        self.targets.cancel.cancel();
        let (targets, receiver) = start_targets(config, &self.permits, &self.engine);
        self.targets = targets;
        receiver
    }

    async fn stopped(&self) {
        self.own.scheduler.stopped().await;
        self.targets.scheduler.stopped().await;
    }
}
