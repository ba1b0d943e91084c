//! One round of the monitor against an open queue: decide whether this instance may
//! write, run a pass, then count the states (after the pass, so the counts show its
//! work). Shared by the running monitor and `lookout jobs check`.

use std::time::SystemTime;

use super::pass;
use super::queue::{JobsError, Queue};
use crate::config::JobsConfig;
use crate::view::jobs::{Census, PassReport, Role};

/// What one round found and did.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub role: Role,
    pub pass: PassReport,
    pub census: Census,
}

/// Runs one round at `now`. `dry_run` (the config's, or `jobs check --dry-run`) writes
/// nothing and does not take the table's lock; otherwise the lock decides.
pub async fn round<Q: Queue>(
    queue: &mut Q,
    config: &JobsConfig,
    now: SystemTime,
    dry_run: bool,
    sequence: u64,
) -> Result<Round, JobsError> {
    let role = if dry_run {
        Role::DryRun
    } else if queue.lead().await? {
        Role::Rescuer
    } else {
        Role::Watcher
    };
    let pass = pass::run(queue, config, now, role == Role::Rescuer, sequence).await?;
    let census = queue.census(now).await?;
    Ok(Round { role, pass, census })
}
