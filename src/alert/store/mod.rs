//! The alert store: acknowledgements, silences, active alerts and their history in
//! `<state_dir>/lookout.db` (SQLite through sqlx), so that nothing reported done is lost
//! to a restart, a `kill -9` or a power cut.
//!
//! Durability: WAL journal with `synchronous = FULL`, so every committed transaction
//! is fsynced before `save_*` returns; one transaction per call, so a burst saved with
//! [`AlertStore::save_alerts`] costs one fsync. Times are kept to the millisecond.

mod certificates;
mod error;
mod load;
mod outbox;
mod record;
mod sql;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_open;
#[cfg(test)]
mod tests_outbox;
#[cfg(test)]
mod tests_prune;
mod write;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::view::alert::{AlertView, Silence};
pub use error::StoreError;
pub use outbox::{Outbox, OwedNotice};
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
    /// The (device, inode) of the file opened, to notice it deleted or replaced.
    identity: (u64, u64),
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
    /// The services paused when lookout stopped, by name.
    pub paused: Vec<String>,
    /// Greater than any silence id ever stored, deleted or not.
    pub next_silence_id: u64,
}

impl AlertStore {
    /// Creates the directory and the database if needed and brings the schema up to
    /// date. A new database is made under another name and renamed into place once
    /// its tables are in, so a `lookout.db` lookout made is never empty. Refuses an
    /// empty file, a database that is not lookout's, and one written by a newer lookout.
    pub async fn open(state_dir: &Path) -> Result<Self, StoreError> {
        crate::state_dir::make_private_dir(state_dir).map_err(|source| StoreError::CreateDir {
            dir: state_dir.to_owned(),
            source,
        })?;
        let path = state_dir.join(FILE_NAME);
        match tokio::fs::metadata(&path).await {
            Ok(meta) if meta.len() == 0 => return Err(StoreError::Empty { path }),
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                make_afresh(state_dir, &path).await?;
            }
            Err(source) => return Err(StoreError::Inspect { path, source }),
        }
        let store = Self::connect(&path, false).await?;
        store.refuse_foreign().await?;
        store.migrate().await?;
        sync_dir(state_dir).await;
        Ok(store)
    }

    /// A pool of one connection to `path`, which exists unless `create`.
    async fn connect(path: &Path, create: bool) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
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
            .map_err(|err| StoreError::from_sqlx(path, "opening", err))?;
        let identity = std::fs::metadata(path)
            .map(|meta| (meta.dev(), meta.ino()))
            .map_err(|source| StoreError::Inspect {
                path: path.to_owned(),
                source,
            })?;
        Ok(AlertStore {
            pool,
            path: Arc::new(path.to_owned()),
            identity,
        })
    }

    /// Whether the file opened is still the one at its path; a few words on what
    /// became of it when it is not: deleted, or replaced by another file. Cheap (one
    /// `stat`), asked before each write.
    pub fn moved_away(&self) -> Option<&'static str> {
        match std::fs::metadata(self.path.as_path()) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Some("was deleted"),
            Ok(meta) if (meta.dev(), meta.ino()) != self.identity => {
                Some("was replaced by another file")
            }
            // Anything else is the disk's trouble: the write will meet and name it.
            _ => None,
        }
    }

    /// Refuses a SQLite file lookout did not make: tables of its own and no schema
    /// version of lookout's.
    async fn refuse_foreign(&self) -> Result<(), StoreError> {
        const ACTION: &str = "reading what the database holds";
        let version: i64 = sqlx::query_scalar(sql::READ_VERSION)
            .fetch_one(&self.pool)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        if version > 0 {
            return Ok(());
        }
        let foreign: Vec<String> = sqlx::query_scalar(sql::FOREIGN_TABLES)
            .fetch_all(&self.pool)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        if foreign.is_empty() {
            return Ok(());
        }
        Err(StoreError::Foreign {
            path: self.path.to_path_buf(),
            tables: foreign.join(", "),
        })
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
        if found < 3 {
            sqlx::raw_sql(sql::SCHEMA_V3)
                .execute(&mut *tx)
                .await
                .map_err(|err| self.fail("updating the tables", err))?;
        }
        if found < 4 {
            sqlx::raw_sql(sql::SCHEMA_V4)
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

/// Makes a new database at `path`: under another name first, its tables in, then
/// renamed into place, so that a crash at any moment leaves either no `lookout.db` or a
/// whole one.
async fn make_afresh(dir: &Path, path: &Path) -> Result<(), StoreError> {
    let fresh = dir.join(format!("{FILE_NAME}.new"));
    for leftover in ["", "-wal", "-shm"] {
        let _ = tokio::fs::remove_file(format!("{}{leftover}", fresh.display())).await;
    }
    // Acknowledgement notes and silences are the operator's: readable by this user only
    // (SQLite gives its WAL and shared-memory files the same mode).
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&fresh)
            .map_err(|source| {
                let action = "making the database";
                StoreError::from_sqlx(path, action, sqlx::Error::Io(source))
            })?;
    }
    let store = AlertStore::connect(&fresh, true).await?;
    store.migrate().await?;
    store.close().await;
    tokio::fs::rename(&fresh, path)
        .await
        .map_err(|source| StoreError::Inspect {
            path: path.to_owned(),
            source,
        })?;
    sync_dir(dir).await;
    Ok(())
}

/// Makes the new file names (the database, its WAL) survive a power cut: their
/// directory entry is only durable once the directory itself is synced. Best effort:
/// SQLite has already synced the data.
async fn sync_dir(dir: &Path) {
    if let Ok(dir) = tokio::fs::File::open(dir).await {
        let _ = dir.sync_all().await;
    }
}
