//! The alert store: acknowledgements, silences, active alerts and their history in
//! `<state_dir>/lookout.db` (SQLite through sqlx), so that nothing reported done is lost
//! to a restart, a `kill -9` or a power cut.
//!
//! Durability: WAL journal with `synchronous = FULL`, so every committed transaction
//! is fsynced before `save_*` returns; one transaction per call, so a burst saved with
//! [`AlertStore::save_alerts`] costs one fsync. Times are kept to the millisecond.

mod error;
mod load;
mod record;
mod sql;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_open;
#[cfg(test)]
mod tests_prune;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::alert::model::{AlertView, Silence};
pub use error::StoreError;
pub use write::SilenceWrite;

/// The database's file name inside the state directory.
pub const FILE_NAME: &str = "lookout.db";

/// How long a write waits for another process holding the database (a second
/// lookout on the same state directory) before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The alert database. Cloning shares the one connection.
#[derive(Clone)]
pub struct AlertStore {
    pool: SqlitePool,
    path: Arc<PathBuf>,
}

/// What the engine starts from after a restart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Persisted {
    /// Every alert not resolved, with its ack, silence and timeline; oldest id first.
    pub alerts: Vec<AlertView>,
    /// Resolved alerts, newest first, at most `history_max`.
    pub history: Vec<AlertView>,
    /// Silences that have not ended at `now` (also those that start later).
    pub silences: Vec<Silence>,
    /// Greater than any alert id ever stored, pruned or not.
    pub next_alert_id: u64,
    /// Greater than any silence id ever stored, deleted or not.
    pub next_silence_id: u64,
}

impl AlertStore {
    /// Creates the directory and the database if needed and brings the schema up to
    /// date. Refuses a database written by a newer lookout.
    pub async fn open(state_dir: &Path) -> Result<Self, StoreError> {
        tokio::fs::create_dir_all(state_dir)
            .await
            .map_err(|source| StoreError::CreateDir {
                dir: state_dir.to_owned(),
                source,
            })?;
        let path = state_dir.join(FILE_NAME);
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            // The database is written, rarely read (at start): a 256 KiB page cache
            // rather than SQLite's 2 MB keeps lookout's memory flat as the file grows.
            .pragma("cache_size", "-256")
            // macOS only: fsync there does not reach the platter without it.
            .pragma("fullfsync", "ON");
        // One connection: the core task is the only writer, and SQLite writes one at
        // a time anyway. Kept open for the life of the process.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|err| StoreError::from_sqlx(&path, "opening", err))?;
        let store = AlertStore {
            pool,
            path: Arc::new(path),
        };
        store.migrate().await?;
        sync_dir(state_dir).await;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Waits for a write in flight and closes the connection, which folds the WAL
    /// into the database file. Not needed for durability, only for a tidy shutdown.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self.write_tx("reading the schema version").await?;
        let found: i64 = sqlx::query_scalar(sql::READ_VERSION)
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| self.fail("reading the schema version", err))?;
        if found > sql::SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.to_path_buf(),
                found,
                supported: sql::SCHEMA_VERSION,
            });
        }
        if found < 1 {
            sqlx::raw_sql(sql::SCHEMA_V1)
                .execute(&mut *tx)
                .await
                .map_err(|err| self.fail("creating the tables", err))?;
        }
        if found < 2 {
            sqlx::raw_sql(sql::SCHEMA_V2)
                .execute(&mut *tx)
                .await
                .map_err(|err| self.fail("updating the tables", err))?;
        }
        self.commit(tx, "creating the tables").await
    }

    pub(super) fn fail(&self, action: &'static str, err: sqlx::Error) -> StoreError {
        StoreError::from_sqlx(&self.path, action, err)
    }

    pub(super) fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            detail,
        }
    }

    pub(super) fn unstorable(&self, detail: String) -> StoreError {
        StoreError::Unstorable {
            path: self.path.to_path_buf(),
            detail,
        }
    }
}

/// Makes the new file names (the database, its WAL) survive a power cut: their
/// directory entry is only durable once the directory itself is synced. Best effort:
/// SQLite has already synced the data.
async fn sync_dir(dir: &Path) {
    if let Ok(dir) = tokio::fs::File::open(dir).await {
        let _ = dir.sync_all().await;
    }
}
