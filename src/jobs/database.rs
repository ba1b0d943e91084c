//! The queue's database, whichever kind the config names: one `Queue` over SQLite or
//! PostgreSQL, so the monitor and `lookout jobs check` hold one type.

use std::time::{Duration, SystemTime};

use super::postgres::PgQueue;
use super::queue::{JobsError, Queue, SeenRow};
use super::sqlite::SqliteQueue;
use crate::config::{JobsConfig, JobsDatabase};
use crate::view::jobs::{Census, Phase, Remedy};

/// An open connection to the queue's database.
pub enum Database {
    Sqlite(SqliteQueue),
    Postgres(PgQueue),
}

impl Database {
    /// Connects to the database `config` names and checks its table.
    pub async fn open(config: &JobsConfig) -> Result<Self, JobsError> {
        match config.database {
            JobsDatabase::Sqlite { .. } => SqliteQueue::open(config).await.map(Database::Sqlite),
            JobsDatabase::Postgres { .. } => PgQueue::open(config).await.map(Database::Postgres),
        }
    }
}

impl Queue for Database {
    async fn lead(&mut self) -> Result<bool, JobsError> {
        match self {
            Database::Sqlite(queue) => queue.lead().await,
            Database::Postgres(queue) => queue.lead().await,
        }
    }

    async fn census(&mut self, now: SystemTime) -> Result<Census, JobsError> {
        match self {
            Database::Sqlite(queue) => queue.census(now).await,
            Database::Postgres(queue) => queue.census(now).await,
        }
    }

    async fn stuck(
        &mut self,
        phase: Phase,
        now: SystemTime,
        timeout: Duration,
        limit: u32,
    ) -> Result<Vec<SeenRow>, JobsError> {
        match self {
            Database::Sqlite(queue) => queue.stuck(phase, now, timeout, limit).await,
            Database::Postgres(queue) => queue.stuck(phase, now, timeout, limit).await,
        }
    }

    async fn change(
        &mut self,
        phase: Phase,
        remedy: Remedy,
        rows: &[SeenRow],
        reason: &str,
    ) -> Result<Vec<usize>, JobsError> {
        match self {
            Database::Sqlite(queue) => queue.change(phase, remedy, rows, reason).await,
            Database::Postgres(queue) => queue.change(phase, remedy, rows, reason).await,
        }
    }
}
