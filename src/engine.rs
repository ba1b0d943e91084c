//! The engine every frontend runs on: the scheduler's pollers feeding the core, which
//! publishes snapshots and takes commands. Frontends get only the two channel ends.

use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::core::Core;
use crate::event::Command;
use crate::probe::{self, Prober, SchedulerHandle};
use crate::state::{Snapshot, State};

/// Results waiting for the core; a burst beyond this makes pollers wait, not grow memory.
const EVENT_BUFFER: usize = 4096;
/// Commands waiting for the core; keys beyond this are dropped with a message.
const COMMAND_BUFFER: usize = 64;

/// A running engine: what frontends read and where they send commands.
pub struct Engine {
    pub view: watch::Receiver<Snapshot>,
    pub commands: mpsc::Sender<Command>,
    scheduler: SchedulerHandle,
    core: JoinHandle<()>,
}

impl Engine {
    /// Starts the pollers and the core. Must be called inside a tokio runtime.
    pub fn start(config: &Config, cancel: &CancellationToken) -> Self {
        probe::install_crypto_provider();
        let (events_tx, events_rx) = mpsc::channel(EVENT_BUFFER);
        let (commands, commands_rx) = mpsc::channel(COMMAND_BUFFER);
        let scheduler = probe::spawn(
            &config.services,
            Arc::new(Prober::new(&config.services)),
            config.general.max_concurrent_checks,
            events_tx,
            cancel.clone(),
        );
        let mut state = State::new(config);
        let (publish, view) = watch::channel(state.snapshot(SystemTime::now()));
        let core = Core {
            state,
            events: events_rx,
            commands: commands_rx,
            probes: scheduler.clone(),
            publish,
            clock: SystemTime::now,
        };
        let core = tokio::spawn(core.run(cancel.clone()));
        Self {
            view,
            commands,
            scheduler,
            core,
        }
    }

    /// Waits for the pollers and the core to finish after the token was cancelled.
    pub async fn stopped(self) {
        self.scheduler.stopped().await;
        // The core ends on cancellation; a panic in it was already reported by the hook.
        let _ = self.core.await;
    }
}
