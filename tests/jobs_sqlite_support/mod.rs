//! Helpers for the SQLite job monitor race test: a WAL queue database with an audit
//! table its triggers fill; `worker.rs` simulates the workers.

mod worker;

pub use worker::{Habits, WORKER_ERROR, WorkerTally, work};

use std::path::Path;
use std::time::{Duration, SystemTime};

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Row};

/// How the queue writes its timestamps.
#[derive(Debug, Clone, Copy)]
pub enum Stamps {
    /// ISO-8601 text with microseconds and a 'Z'.
    IsoText,
    /// Real epoch seconds.
    EpochReal,
}

/// A timestamp as the queue writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stamp {
    Text(String),
    Real(f64),
}

impl Stamps {
    pub fn now(self) -> Stamp {
        let now = SystemTime::now();
        match self {
            Stamps::IsoText => Stamp::Text(humantime::format_rfc3339_micros(now).to_string()),
            Stamps::EpochReal => Stamp::Real(
                now.duration_since(SystemTime::UNIX_EPOCH)
                    .expect("after 1970")
                    .as_secs_f64(),
            ),
        }
    }

    fn declared(self) -> &'static str {
        match self {
            Stamps::IsoText => "TEXT",
            Stamps::EpochReal => "REAL",
        }
    }

    /// SQL for the epoch seconds of a timestamp.
    fn seconds(self, stamp: &str) -> String {
        match self {
            Stamps::IsoText => format!("(julianday({stamp}) - 2440587.5) * 86400.0"),
            Stamps::EpochReal => stamp.to_string(),
        }
    }

    /// The index key that serves the search for stuck rows (see the job monitor docs).
    fn key(self, column: &str) -> String {
        match self {
            Stamps::IsoText => format!("julianday({column})"),
            Stamps::EpochReal => column.to_string(),
        }
    }
}

/// Opens a connection of the test's own (workers, setup, audit).
pub async fn connect(path: &Path, create: bool) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .busy_timeout(Duration::from_secs(10))
        .synchronous(SqliteSynchronous::Off)
        .connect()
        .await
        .expect("connect")
}

pub async fn exec(connection: &mut SqliteConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(connection)
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"));
}

/// Creates the WAL database at `path` with `jobs` pending rows, its indexes, and the
/// audit triggers (which also record any insert or delete after the seeding).
pub async fn create_queue(path: &Path, stamps: Stamps, jobs: usize) {
    let mut setup = connect(path, true).await;
    let declared = stamps.declared();
    exec(
        &mut setup,
        &format!(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE jobs (
                 id INTEGER PRIMARY KEY, state TEXT NOT NULL, claimed_at {declared},
                 started_at {declared}, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
             CREATE INDEX jobs_claimed ON jobs (state, {claimed});
             CREATE INDEX jobs_started ON jobs (state, {started});
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {jobs})
             INSERT INTO jobs (id, state) SELECT i, 'pending' FROM n;
             CREATE TABLE audit (
                 seq INTEGER PRIMARY KEY, op TEXT NOT NULL, job_id INTEGER,
                 old_state TEXT, new_state TEXT, old_error TEXT, new_error TEXT,
                 same_id INTEGER, same_attempts INTEGER, same_stamps INTEGER,
                 old_stamp_seconds REAL);
             CREATE TRIGGER audit_update AFTER UPDATE ON jobs BEGIN
                 INSERT INTO audit (op, job_id, old_state, new_state, old_error, new_error,
                                    same_id, same_attempts, same_stamps, old_stamp_seconds)
                 VALUES ('update', old.id, old.state, new.state, old.last_error,
                         new.last_error, old.id IS new.id, old.attempts IS new.attempts,
                         old.claimed_at IS new.claimed_at AND old.started_at IS new.started_at,
                         {old_seconds});
             END;
             CREATE TRIGGER audit_insert AFTER INSERT ON jobs BEGIN
                 INSERT INTO audit (op, job_id) VALUES ('insert', new.id);
             END;
             CREATE TRIGGER audit_delete AFTER DELETE ON jobs BEGIN
                 INSERT INTO audit (op, job_id) VALUES ('delete', old.id);
             END;",
            claimed = stamps.key("claimed_at"),
            started = stamps.key("started_at"),
            old_seconds = stamps.seconds(
                "CASE old.state WHEN 'claimed' THEN old.claimed_at \
                 WHEN 'processing' THEN old.started_at END"
            ),
        ),
    )
    .await;
}

/// One change the triggers recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Audited {
    pub op: String,
    pub job_id: i64,
    pub old_state: Option<String>,
    pub new_state: Option<String>,
    pub old_error: Option<String>,
    pub new_error: Option<String>,
    /// The id, attempts and both timestamps are what they were.
    pub rest_unchanged: bool,
    /// Epoch seconds of the timestamp of the state left (claimed_at or started_at).
    pub old_stamp_seconds: Option<f64>,
}

pub async fn audit(connection: &mut SqliteConnection) -> Vec<Audited> {
    let rows = sqlx::query(
        "SELECT op, job_id, old_state, new_state, old_error, new_error,
                coalesce(same_id AND same_attempts AND same_stamps, 0), old_stamp_seconds
         FROM audit ORDER BY seq",
    )
    .fetch_all(connection)
    .await
    .expect("read the audit");
    rows.iter()
        .map(|row| Audited {
            op: row.get(0),
            job_id: row.get(1),
            old_state: row.get(2),
            new_state: row.get(3),
            old_error: row.get(4),
            new_error: row.get(5),
            rest_unchanged: row.get::<i64, _>(6) == 1,
            old_stamp_seconds: row.get(7),
        })
        .collect()
}

/// Rows per state, by state.
pub async fn states(connection: &mut SqliteConnection) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT state, count(*) FROM jobs GROUP BY state ORDER BY state")
        .fetch_all(connection)
        .await
        .expect("count the states")
}

/// Jobs not yet completed or failed.
pub async fn unfinished(connection: &mut SqliteConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE state IN ('pending', 'claimed', 'processing')",
    )
    .fetch_one(connection)
    .await
    .expect("count unfinished jobs")
}
