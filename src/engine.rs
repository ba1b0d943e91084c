//! The engine every frontend runs on: the pollers (and the job monitor) feeding the
//! core, which publishes snapshots and takes commands. Frontends get only the two
//! channel ends; the core builds each snapshot for the alert engine whether or not a
//! frontend reads it (headless without the API reads none). An engine starts only with
//! its state directory's lock in hand.

use std::time::SystemTime;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::alert::store::StoreError;
use crate::config::Config;
use crate::core::{Alerting, Core, JobsSlot, RemoteSlot};
use crate::event::Command;
use crate::probe::Pollers;
use crate::sources::prometheus::discovery;
use crate::state::State;
use crate::state_dir::lock::StateLock;
use crate::view::snapshot::Snapshot;

/// Commands waiting for the core; keys beyond this are dropped with a message.
const COMMAND_BUFFER: usize = 64;

/// A running engine: where frontends send commands.
pub struct Engine {
    pub commands: mpsc::Sender<Command>,
    core: JoinHandle<()>,
}

impl Engine {
    /// Opens the alert store, starts the pollers and the core; returns the engine and
    /// the snapshot channel frontends read (clone it for each). Must be called inside a
    /// tokio runtime. Takes the state directory's lock, which proves no other engine
    /// runs on it. Fails when the state directory cannot hold the alert store.
    pub async fn start(
        config: &Config,
        lock: StateLock,
        cancel: &CancellationToken,
    ) -> Result<(Self, watch::Receiver<Snapshot>), StoreError> {
        crate::net::install_crypto_provider();
        let alerting = Alerting::start(config, lock, cancel, SystemTime::now()).await?;
        let (pollers, events) = Pollers::start(config, cancel);
        let (commands, commands_rx) = mpsc::channel(COMMAND_BUFFER);
        let targets = discovery::watch_targets(config, cancel);
        let mut state = State::new(config);
        let (publish, view) = watch::channel(state.snapshot(SystemTime::now()));
        let core = Core {
            state,
            config: config.clone(),
            events,
            commands: commands_rx,
            probes: pollers,
            publish,
            clock: SystemTime::now,
            alerting,
            jobs: JobsSlot::start(config, SystemTime::now, cancel),
            remote: RemoteSlot::start(&config.alertmanagers, cancel),
            targets,
            acted: 0,
        };
        let core = tokio::spawn(core.run(cancel.clone()));
        Ok((Self { commands, core }, view))
    }

    /// Waits for the core and its checks to finish after the token was cancelled.
    pub async fn stopped(self) {
        // A panic in the core was already reported by the hook.
        let _ = self.core.await;
    }
}
