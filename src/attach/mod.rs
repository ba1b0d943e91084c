//! A dashboard attached to an engine that runs elsewhere (a headless daemon, another
//! dashboard, or an engine across the network): it follows the engine's view stream
//! and sends its keys as commands; quitting it leaves the engine running.

mod follow;
mod forward;
mod shown;
pub mod sse;
mod target;

use std::io;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use target::{Failure, Target};

use crate::tui::ui_state::UiState;

/// How long the first snapshot may take before attaching gives up.
const FIRST_CONTACT: Duration = Duration::from_secs(10);
/// Keys waiting to be sent.
const COMMAND_BUFFER: usize = 64;

/// Why a screen could not attach, said before the terminal is taken.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("cannot attach to the engine at {to}: {why}")]
    Contact { to: String, why: Failure },
    #[error("the terminal failed: {0}")]
    Terminal(#[from] io::Error),
}

/// Attaches to the engine at `target` and runs the dashboard on it until `q`.
pub async fn run(
    target: Target,
    ui: UiState,
    cancel: CancellationToken,
) -> Result<(), AttachError> {
    let (shown, view) = shown::Shown::new(target.describe());
    let mut follower = follow::Follower::new(target.clone(), shown.clone());
    let body = follower
        .first_contact(FIRST_CONTACT)
        .await
        .map_err(|why| AttachError::Contact {
            to: target.describe(),
            why,
        })?;
    let following = tokio::spawn(follower.run(body, cancel.clone()));
    let (commands, waiting) = tokio::sync::mpsc::channel(COMMAND_BUFFER);
    let forwarding = tokio::spawn(forward::forward(target, waiting, shown));
    let shown = crate::tui::app::run(view, commands, ui, cancel.clone()).await;
    cancel.cancel();
    let _ = following.await;
    forwarding.abort();
    Ok(shown?)
}
