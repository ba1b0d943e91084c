//! The job monitor on a SQLite queue: one connection to the user's database file,
//! opened as it is (its journal mode, `synchronous` and every other lasting setting are
//! left alone), the table checked at open (`sqlite_schema.rs`), and stuck rows changed
//! by compare-and-set, one transaction per call. The SQL is in `sqlite_sql.rs`; row
//! values are read and bound back in `sqlite_rows.rs`.

#[path = "sqlite_rows.rs"]
mod rows;
#[path = "sqlite_schema.rs"]
mod schema;
#[path = "sqlite_sql.rs"]
mod statements;

use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row, Sqlite, Transaction};

use self::rows::{age_at, bind_value, number, since_epoch, state_of, tally, value};
use self::statements::{Statements, Timestamps};
use super::queue::{JobsError, Queue, SeenRow};
use crate::config::{JobStates, JobsConfig, JobsDatabase, TimestampFormat};
use crate::view::jobs::{Census, Phase, Remedy};

/// A queue table in a SQLite file, through one connection.
pub struct SqliteQueue {
    connection: SqliteConnection,
    statements: Statements,
    timestamps: Timestamps,
    states: JobStates,
    query_timeout: Duration,
}

impl SqliteQueue {
    /// Opens the existing database of `config` (never creates one) and checks that the
    /// table and its six columns exist. SQLite waits up to `query_timeout` for a lock
    /// another process holds.
    pub async fn open(config: &JobsConfig) -> Result<SqliteQueue, JobsError> {
        let JobsDatabase::Sqlite { path } = &config.database else {
            return Err(JobsError::Connect {
                database: config.database.to_string(),
                reason: "not a sqlite:// database".into(),
            });
        };
        within(config.query_timeout, Self::connect(config, path)).await
    }

    async fn connect(config: &JobsConfig, path: &Path) -> Result<SqliteQueue, JobsError> {
        let refused = |reason: String| JobsError::Connect {
            database: config.database.to_string(),
            reason,
        };
        if let Err(err) = tokio::fs::metadata(path).await {
            return Err(refused(if err.kind() == std::io::ErrorKind::NotFound {
                "no such file; the job monitor opens an existing queue database and never \
                 creates one"
                    .into()
            } else {
                err.to_string()
            }));
        }
        let mut connection = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .busy_timeout(config.query_timeout)
            .connect()
            .await
            .map_err(|err| refused(describe(&err)))?;
        let timestamps = schema::check(&mut connection, config).await?;
        Ok(SqliteQueue {
            connection,
            statements: Statements::new(config, timestamps),
            timestamps,
            states: config.states.clone(),
            query_timeout: config.query_timeout,
        })
    }

    /// How the timestamps are read: as configured, or as the claimed_at column's
    /// declared type says.
    pub fn timestamps(&self) -> TimestampFormat {
        match self.timestamps {
            Timestamps::EpochSeconds => TimestampFormat::EpochSeconds,
            Timestamps::Iso8601 => TimestampFormat::Iso8601,
        }
    }

    /// The search for stuck rows of `phase`, to check which index serves it.
    #[cfg(test)]
    pub(crate) fn stuck_statement(&self, phase: Phase) -> String {
        self.statements.stuck(phase).to_string()
    }

    async fn read_census(&mut self, now: SystemTime) -> Result<Census, sqlx::Error> {
        let started = Instant::now();
        let mut census = Census::default();
        let mut transaction = self.connection.begin().await?;
        let counts = sqlx::query(AssertSqlSafe(self.statements.count_states.clone()))
            .fetch_all(&mut *transaction)
            .await?;
        for row in &counts {
            let state: Option<String> = row.try_get(0)?;
            let rows = u64::try_from(row.try_get::<i64, _>(1)?).unwrap_or(0);
            *tally(&mut census, &self.states, state.as_deref()) += rows;
        }
        let oldest = sqlx::query(AssertSqlSafe(self.statements.oldest.clone()))
            .bind(&self.states.claimed)
            .bind(&self.states.processing)
            .fetch_one(&mut *transaction)
            .await?;
        transaction.commit().await?;
        let age = |index: usize| -> Result<Option<Duration>, sqlx::Error> {
            Ok(number(&oldest, index)?.map(|instant| age_at(now, self.epoch(instant))))
        };
        census.oldest_claimed = age(0)?;
        census.oldest_processing = age(1)?;
        census.took = started.elapsed();
        Ok(census)
    }

    async fn read_stuck(
        &mut self,
        phase: Phase,
        now: SystemTime,
        cutoff: Duration,
        limit: u32,
    ) -> Result<Vec<SeenRow>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(self.statements.stuck(phase)))
            .bind(state_of(&self.states, phase))
            .bind(self.timestamps.instant_at(cutoff))
            .bind(i64::from(limit))
            .fetch_all(&mut self.connection)
            .await?;
        let mut seen = Vec::with_capacity(rows.len());
        for row in &rows {
            // A NULL (or BLOB) id or timestamp cannot be matched back: left alone.
            let (Some(id), Some(stamp), Some(instant)) =
                (value(row, 0)?, value(row, 1)?, number(row, 3)?)
            else {
                continue;
            };
            seen.push(SeenRow {
                id,
                seen: stamp,
                age: age_at(now, self.epoch(instant)),
                attempts: row.try_get(2)?,
            });
        }
        Ok(seen)
    }

    /// Writes the compare-and-set of each row in one transaction, left open; returns
    /// the indexes of the rows changed.
    async fn write_changes(
        &mut self,
        phase: Phase,
        remedy: Remedy,
        rows: &[SeenRow],
        reason: &str,
    ) -> Result<(Transaction<'_, Sqlite>, Vec<usize>), sqlx::Error> {
        let (new_state, reason) = match remedy {
            Remedy::Requeue => (&self.states.pending, None),
            Remedy::Retry => (&self.states.pending, Some(reason)),
            Remedy::Fail => (&self.states.failed, Some(reason)),
        };
        let old_state = state_of(&self.states, phase);
        let statement = self.statements.change(phase, reason.is_some());
        let mut changed = Vec::new();
        // IMMEDIATE: the write lock is taken (or waited for) before the first row.
        let mut transaction = self.connection.begin_with("BEGIN IMMEDIATE").await?;
        for (index, row) in rows.iter().enumerate() {
            let mut query = sqlx::query(AssertSqlSafe(statement.clone())).bind(new_state);
            if let Some(reason) = reason {
                query = query.bind(reason);
            }
            query = bind_value(query, &row.id).bind(old_state);
            query = bind_value(query, &row.seen);
            if query.execute(&mut *transaction).await?.rows_affected() > 0 {
                changed.push(index);
            }
        }
        Ok((transaction, changed))
    }

    /// Seconds since the Unix epoch of an instant read from the table.
    fn epoch(&self, instant: f64) -> f64 {
        self.timestamps.epoch_seconds(instant)
    }
}

impl Queue for SqliteQueue {
    /// SQLite has no advisory lock: every instance may write, and the compare-and-set
    /// keeps two of them from changing a row twice.
    async fn lead(&mut self) -> Result<bool, JobsError> {
        Ok(true)
    }

    async fn census(&mut self, now: SystemTime) -> Result<Census, JobsError> {
        let limit = self.query_timeout;
        let read = async {
            self.read_census(now)
                .await
                .map_err(failed("counting the states"))
        };
        within(limit, read).await
    }

    async fn stuck(
        &mut self,
        phase: Phase,
        now: SystemTime,
        timeout: Duration,
        limit: u32,
    ) -> Result<Vec<SeenRow>, JobsError> {
        let Some(cutoff) = since_epoch(now).checked_sub(timeout) else {
            return Ok(Vec::new());
        };
        let query_timeout = self.query_timeout;
        let read = async {
            self.read_stuck(phase, now, cutoff, limit)
                .await
                .map_err(failed("finding stuck rows"))
        };
        within(query_timeout, read).await
    }

    async fn change(
        &mut self,
        phase: Phase,
        remedy: Remedy,
        rows: &[SeenRow],
        reason: &str,
    ) -> Result<Vec<usize>, JobsError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let limit = self.query_timeout;
        let write = async {
            self.write_changes(phase, remedy, rows, reason)
                .await
                .map_err(failed("changing stuck rows"))
        };
        let (transaction, changed) = within(limit, write).await?;
        // The commit is awaited to its end, not cut off by the timeout: a pass must
        // know whether its changes were made, to report exactly those. The write lock
        // is already held; a lock the commit still needs (rollback journal: readers
        // leaving) is waited for at most `busy_timeout`, which is `query_timeout`.
        transaction
            .commit()
            .await
            .map_err(failed("committing the changes"))?;
        Ok(changed)
    }
}

/// Runs `work`, failing with [`JobsError::Timeout`] past `limit`.
async fn within<T>(
    limit: Duration,
    work: impl Future<Output = Result<T, JobsError>>,
) -> Result<T, JobsError> {
    tokio::time::timeout(limit, work)
        .await
        .unwrap_or(Err(JobsError::Timeout(limit)))
}

/// Turns a failed query while `doing` something into the error the user reads.
fn failed(doing: &'static str) -> impl Fn(sqlx::Error) -> JobsError {
    move |err| JobsError::Query(format!("{doing}: {}", describe(&err)))
}

/// What went wrong, in SQLite's words when it said something.
fn describe(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}
