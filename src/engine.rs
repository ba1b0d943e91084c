//! The engine every frontend runs on: the pollers feeding the core, which publishes
//! snapshots and takes commands. Frontends get only the two channel ends.

use std::time::SystemTime;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::core::Core;
use crate::event::Command;
use crate::probe::{self, Pollers};
use crate::state::{Snapshot, State};

/// Commands waiting for the core; keys beyond this are dropped with a message.
const COMMAND_BUFFER: usize = 64;

/// A running engine: what frontends read and where they send commands.
pub struct Engine {
    pub view: watch::Receiver<Snapshot>,
    pub commands: mpsc::Sender<Command>,
    core: JoinHandle<()>,
}

impl Engine {
    /// Starts the pollers and the core. Must be called inside a tokio runtime.
    pub fn start(config: &Config, cancel: &CancellationToken) -> Self {
        probe::install_crypto_provider();
        let (pollers, events) = Pollers::start(config, cancel);
        let (commands, commands_rx) = mpsc::channel(COMMAND_BUFFER);
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
        };
        let core = tokio::spawn(core.run(cancel.clone()));
        Self {
            view,
            commands,
            core,
        }
    }

    /// Waits for the core and its checks to finish after the token was cancelled.
    pub async fn stopped(self) {
        // A panic in the core was already reported by the hook.
        let _ = self.core.await;
    }
}
