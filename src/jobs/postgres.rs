//! The job monitor on PostgreSQL: one session per monitor (the advisory lock that makes
//! one lookout the table's rescuer lives and dies with it), the schema read from the
//! catalog at open, and every change a single compare-and-set statement.

#[path = "postgres_schema.rs"]
mod schema;
#[path = "postgres_sql.rs"]
mod sql;

use std::future::Future;
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sqlx::postgres::{PgConnectOptions, PgRow};
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

use super::queue::{JobsError, Queue, RowValue, SeenRow};
use crate::config::{JobStates, JobsConfig, JobsDatabase};
use crate::view::jobs::{Census, Phase, Remedy};
use sql::Statements;

/// A queue table in PostgreSQL, over one connection of its own.
pub struct PgQueue {
    connection: PgConnection,
    statements: Statements,
    states: JobStates,
    lock_key: i64,
    /// This session holds the table's advisory lock (kept until the connection closes).
    leading: bool,
    query_timeout: Duration,
}

impl PgQueue {
    /// Connects (as `application_name = lookout`, in UTC, with `statement_timeout` set
    /// to the config's `query_timeout`) and checks the table against the config.
    pub async fn open(config: &JobsConfig) -> Result<PgQueue, JobsError> {
        let connect_error = |reason: String| JobsError::Connect {
            database: config.database.to_string(),
            reason,
        };
        let JobsDatabase::Postgres { url } = &config.database else {
            return Err(connect_error("not a postgres:// database".to_string()));
        };
        // `sslmode` in the URL asks for TLS, made with the ring provider lookout uses.
        crate::net::install_crypto_provider();
        let statement_timeout = config.query_timeout.as_millis().max(1);
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| connect_error(e.to_string()))?
            .application_name("lookout")
            // UTC whatever the server's default: a `timestamp` (without time zone)
            // column is read as UTC wall-clock time, as queues that keep such columns
            // write it.
            .options([
                ("statement_timeout", format!("{statement_timeout}ms")),
                ("TimeZone", "UTC".to_string()),
            ]);
        let limit = deadline(config.query_timeout);
        let mut connection =
            match tokio::time::timeout(limit, PgConnection::connect_with(&options)).await {
                Ok(Ok(connection)) => connection,
                Ok(Err(e)) => return Err(connect_error(e.to_string())),
                Err(_) => {
                    let limit = humantime::format_duration(limit);
                    return Err(connect_error(format!("no answer within {limit}")));
                }
            };
        let schema = schema::read(&mut connection, config).await?;
        Ok(PgQueue {
            connection,
            statements: Statements::new(config, &schema),
            states: config.states.clone(),
            lock_key: lock_key(&schema.qualified_name),
            leading: false,
            query_timeout: config.query_timeout,
        })
    }

    /// The statement [`Queue::stuck`] runs for `phase` (for `EXPLAIN`): `$1` now and
    /// `$2` the cutoff as RFC 3339 text, `$3` the state, `$4` the limit.
    pub fn stuck_statement(&self, phase: Phase) -> &str {
        self.statements.stuck(phase)
    }

    /// The compare-and-set [`Queue::change`] runs (for `EXPLAIN`): `$1` ids and `$2`
    /// timestamps as text arrays, `$3` the state seen, `$4` the new state, and `$5` the
    /// reason for `Retry` and `Fail`.
    pub fn change_statement(&self, phase: Phase, remedy: Remedy) -> &str {
        self.statements.change(phase, remedy)
    }

    fn state(&self, phase: Phase) -> &str {
        match phase {
            Phase::Claimed => &self.states.claimed,
            Phase::Processing => &self.states.processing,
        }
    }
}

impl Queue for PgQueue {
    async fn lead(&mut self) -> Result<bool, JobsError> {
        if !self.leading {
            let query = sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
                .bind(self.lock_key)
                .fetch_one(&mut self.connection);
            self.leading = bounded(self.query_timeout, query).await?;
        }
        Ok(self.leading)
    }

    async fn census(&mut self, now: SystemTime) -> Result<Census, JobsError> {
        let started = Instant::now();
        let query = sqlx::query(AssertSqlSafe(self.statements.census()))
            .bind(rfc3339(now))
            .bind(&self.states.claimed)
            .bind(&self.states.processing)
            .fetch_one(&mut self.connection);
        let row = bounded(self.query_timeout, query).await?;
        let states: Option<Vec<Option<String>>> = column(&row, 0)?;
        let counts: Option<Vec<i64>> = column(&row, 1)?;
        let mut census = tally(
            &self.states,
            states
                .unwrap_or_default()
                .into_iter()
                .zip(counts.unwrap_or_default()),
        );
        census.oldest_claimed = column::<Option<f64>>(&row, 2)?.map(seconds);
        census.oldest_processing = column::<Option<f64>>(&row, 3)?.map(seconds);
        census.took = started.elapsed();
        Ok(census)
    }

    async fn stuck(
        &mut self,
        phase: Phase,
        now: SystemTime,
        timeout: Duration,
        limit: u32,
    ) -> Result<Vec<SeenRow>, JobsError> {
        let cutoff = now.checked_sub(timeout).unwrap_or(UNIX_EPOCH);
        let query = sqlx::query(AssertSqlSafe(self.statements.stuck(phase)))
            .bind(rfc3339(now))
            .bind(rfc3339(cutoff))
            .bind(self.state(phase).to_string())
            .bind(i64::from(limit))
            .fetch_all(&mut self.connection);
        let rows = bounded(self.query_timeout, query).await?;
        rows.iter()
            .map(|row| {
                Ok(SeenRow {
                    id: RowValue::Text(column(row, 0)?),
                    seen: RowValue::Text(column(row, 1)?),
                    age: seconds(column(row, 2)?),
                    attempts: column(row, 3)?,
                })
            })
            .collect()
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
        let ids: Vec<String> = rows.iter().map(|row| row.id.to_string()).collect();
        let seen: Vec<String> = rows.iter().map(|row| row.seen.to_string()).collect();
        let to = match remedy {
            Remedy::Requeue | Remedy::Retry => self.states.pending.clone(),
            Remedy::Fail => self.states.failed.clone(),
        };
        let mut query =
            sqlx::query_scalar::<_, i64>(AssertSqlSafe(self.statements.change(phase, remedy)))
                .bind(ids)
                .bind(seen)
                .bind(self.state(phase).to_string())
                .bind(to);
        if remedy != Remedy::Requeue {
            query = query.bind(reason.to_string());
        }
        let positions = bounded(self.query_timeout, query.fetch_all(&mut self.connection)).await?;
        let mut changed: Vec<usize> = positions
            .into_iter()
            .filter_map(|position| usize::try_from(position - 1).ok())
            .filter(|&index| index < rows.len())
            .collect();
        changed.sort_unstable();
        Ok(changed)
    }
}

/// The advisory lock key of a table: 64-bit FNV-1a of `lookout.jobs:<schema.name>`,
/// so every lookout agrees on it, whatever version and however its config spells the
/// table.
pub fn lock_key(qualified_table: &str) -> i64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = "lookout.jobs:"
        .bytes()
        .chain(qualified_table.bytes())
        .fold(OFFSET_BASIS, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        });
    i64::from_ne_bytes(hash.to_ne_bytes())
}

/// Rows per state into a census; states none of the five names count as `other`.
fn tally(states: &JobStates, counted: impl Iterator<Item = (Option<String>, i64)>) -> Census {
    let mut census = Census::default();
    for (state, rows) in counted {
        let rows = u64::try_from(rows).unwrap_or(0);
        let slot = match state.as_deref() {
            Some(s) if s == states.pending => &mut census.pending,
            Some(s) if s == states.claimed => &mut census.claimed,
            Some(s) if s == states.processing => &mut census.processing,
            Some(s) if s == states.completed => &mut census.completed,
            Some(s) if s == states.failed => &mut census.failed,
            _ => &mut census.other,
        };
        *slot += rows;
    }
    census
}

/// How long the client waits for an answer: a little longer than the server's
/// `statement_timeout`, so the server normally cancels first and the session stays usable.
fn deadline(query_timeout: Duration) -> Duration {
    query_timeout + query_timeout / 10 + Duration::from_millis(200)
}

/// Runs `work` within [`deadline`]; a server-side cancel by `statement_timeout` is a
/// timeout too.
async fn bounded<T>(
    query_timeout: Duration,
    work: impl Future<Output = Result<T, sqlx::Error>>,
) -> Result<T, JobsError> {
    match tokio::time::timeout(deadline(query_timeout), work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(sqlx::Error::Database(e))) if e.code().as_deref() == Some(QUERY_CANCELED) => {
            Err(JobsError::Timeout(query_timeout))
        }
        Ok(Err(e)) => Err(JobsError::Query(e.to_string())),
        Err(_elapsed) => Err(JobsError::Timeout(query_timeout)),
    }
}

/// SQLSTATE of a statement cancelled (here: by `statement_timeout`).
const QUERY_CANCELED: &str = "57014";

fn column<'r, T>(row: &'r PgRow, index: usize) -> Result<T, JobsError>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(index)
        .map_err(|e| JobsError::Query(e.to_string()))
}

/// Seconds from SQL as a duration; negative ones (a timestamp ahead of lookout's
/// clock) as zero.
fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(Duration::MAX)
}

/// `time` as RFC 3339 text with microseconds (what PostgreSQL keeps), held inside the
/// range the format can write.
fn rfc3339(time: SystemTime) -> String {
    const LAST_SECOND_OF_9999: u64 = 253_402_300_799;
    let time = time.clamp(
        UNIX_EPOCH,
        UNIX_EPOCH + Duration::from_secs(LAST_SECOND_OF_9999),
    );
    humantime::format_rfc3339_micros(time).to_string()
}
