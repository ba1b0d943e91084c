//! What the job monitor knows about its queue, as the core, the screen, the logs and
//! `/metrics` see it: the census of states, each pass and what it did to which row, and
//! the database's health.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::{JobsConfig, Severity};

/// Which timeout a stuck row ran past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Phase {
    /// Claimed by a worker that never started it (`claimed_timeout`).
    Claimed,
    /// Started by a worker that never finished it (`processing_timeout`).
    Processing,
}

impl Phase {
    pub const ALL: [Phase; 2] = [Phase::Claimed, Phase::Processing];

    /// `claimed` or `processing` (the contract's words, whatever the table calls them).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Claimed => "claimed",
            Phase::Processing => "processing",
        }
    }
}

/// What the monitor does to a stuck row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Remedy {
    /// Claimed too long: back to pending, its attempts kept.
    Requeue,
    /// Processing too long with attempts left under `max_attempts`: back to pending.
    Retry,
    /// Processing too long: failed, with the reason in `last_error`.
    Fail,
}

impl Remedy {
    /// `requeued`, `retried` or `failed`: what the log and the screen say was done.
    pub fn as_str(self) -> &'static str {
        match self {
            Remedy::Requeue => "requeued",
            Remedy::Retry => "retried",
            Remedy::Fail => "failed",
        }
    }
}

/// One row found stuck, as it was seen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StuckRow {
    /// The row's id as text.
    pub id: String,
    pub phase: Phase,
    /// How long it had been claimed or processing when seen.
    pub age: Duration,
    /// The worker's attempt count; `None` when the column is NULL.
    pub attempts: Option<i64>,
}

/// What became of one stuck row in a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    /// The row was changed.
    Done,
    /// A worker moved the row between the read and the write; it was left alone.
    Raced,
    /// Nothing was written: a dry run, or another instance holds the table.
    Skipped,
}

/// One row and what the pass did (or would have done) to it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobAction {
    pub row: StuckRow,
    pub remedy: Remedy,
    pub outcome: Outcome,
}

/// One pass over the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PassReport {
    /// Counts passes since the monitor started; ties a pass's log lines together.
    pub sequence: u64,
    /// The `now` the timeouts were measured against.
    pub at: SystemTime,
    pub took: Duration,
    /// True when nothing was to be written: `dry_run`, or another instance rescues this
    /// table.
    pub dry_run: bool,
    /// Every stuck row found, in the order handled (bounded by the pass's batches).
    pub actions: Vec<JobAction>,
    /// More stuck rows were left for the next pass (the pass handles a bounded number).
    pub more: bool,
}

impl PassReport {
    /// Rows this pass changed with `remedy`.
    pub fn count(&self, remedy: Remedy) -> u64 {
        self.actions
            .iter()
            .filter(|a| a.remedy == remedy && a.outcome == Outcome::Done)
            .count() as u64
    }

    /// Rows a worker moved first.
    pub fn raced(&self) -> u64 {
        self.actions
            .iter()
            .filter(|a| a.outcome == Outcome::Raced)
            .count() as u64
    }
}

/// Rows per state, and how long the oldest claimed and processing rows have been so.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Census {
    pub pending: u64,
    pub claimed: u64,
    pub processing: u64,
    pub completed: u64,
    pub failed: u64,
    /// Rows in a state none of the five names.
    pub other: u64,
    pub oldest_claimed: Option<Duration>,
    pub oldest_processing: Option<Duration>,
    /// How long the counting took.
    pub took: Duration,
}

/// Rows the monitor changed since it started, by what it did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    pub passes: u64,
    pub requeued: u64,
    pub retried: u64,
    pub failed: u64,
    /// Rows left alone because a worker moved them first.
    pub raced: u64,
}

impl Totals {
    /// Adds what `pass` did.
    pub fn add(&mut self, pass: &PassReport) {
        self.passes += 1;
        self.requeued += pass.count(Remedy::Requeue);
        self.retried += pass.count(Remedy::Retry);
        self.failed += pass.count(Remedy::Fail);
        self.raced += pass.raced();
    }
}

/// Whether this instance may write to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// It rescues stuck rows.
    Rescuer,
    /// `dry_run`: it reports what it would do.
    DryRun,
    /// Another lookout holds the table's advisory lock: this one only watches.
    Watcher,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rescuer => "rescuing",
            Role::DryRun => "dry run",
            Role::Watcher => "watching",
        }
    }
}

/// The database failing: since when, why, and when the next try is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatabaseProblem {
    pub since: SystemTime,
    /// Why the latest try failed (no password in it).
    pub message: String,
    /// Tries failed in a row.
    pub failures: u32,
    pub retry_at: SystemTime,
}

/// What a pass would do now, found by a dry run when asked (before a key that would make
/// the monitor write: starting it, a pass now).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    /// Counts previews asked of this monitor, so an answer is matched to its question.
    pub sequence: u64,
    /// The dry run's pass, or why it could not be made.
    pub outcome: Result<Arc<PassReport>, String>,
}

/// Everything the job monitor shows. Sent whole to the core after each change.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobsView {
    /// The table, as configured.
    pub table: String,
    /// The database with any password masked.
    pub database: String,
    /// The monitor is on (`J` toggles it).
    pub running: bool,
    /// A row claimed longer than this is stuck.
    pub claimed_timeout: Duration,
    /// A row processing longer than this is stuck.
    pub processing_timeout: Duration,
    /// Time between passes.
    pub interval: Duration,
    /// The severity of its `stuck_jobs` alert.
    pub severity: Severity,
    /// Known once connected.
    pub role: Option<Role>,
    pub census: Option<Census>,
    pub last_pass: Option<Arc<PassReport>>,
    pub totals: Totals,
    /// `Some` while the database cannot be reached or a query fails.
    pub problem: Option<DatabaseProblem>,
    /// When the next pass is due, while running.
    pub next_pass: Option<SystemTime>,
    /// `[jobs] dry_run`: it never writes.
    pub dry_run: bool,
    /// The latest preview asked for, if any.
    pub preview: Option<Preview>,
}

impl JobsView {
    /// A monitor of `config` that has not connected yet.
    pub fn new(config: &JobsConfig, running: bool) -> Self {
        Self {
            table: config.table.clone(),
            database: config.database.to_string(),
            running,
            claimed_timeout: config.claimed_timeout,
            processing_timeout: config.processing_timeout,
            interval: config.interval,
            severity: config.severity,
            role: None,
            census: None,
            last_pass: None,
            totals: Totals::default(),
            problem: None,
            next_pass: None,
            dry_run: config.dry_run,
            preview: None,
        }
    }

    /// Rows the latest pass found stuck (the `stuck_jobs` condition).
    pub fn stuck(&self) -> usize {
        self.last_pass.as_ref().map_or(0, |p| p.actions.len())
    }
}
