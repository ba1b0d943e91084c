//! Helpers for the SQLite job monitor race test: a WAL queue database with an audit
//! table its triggers fill, and simulated workers that claim, start and finish jobs
//! (or die holding them), each step a compare-and-set on what the worker last wrote.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// What a worker writes in `last_error` when a job fails in its hands.
pub const WORKER_ERROR: &str = "the worker gave up";

/// How long workers dawdle, and how often they die.
#[derive(Debug, Clone, Copy)]
pub struct Habits {
    /// Longest pause between claiming and starting.
    pub before_start: Duration,
    /// Longest time spent processing.
    pub processing: Duration,
    /// Chance in a thousand to die holding a job, at each step.
    pub deaths_per_mille: u64,
    /// Chance in a thousand to give a job back (to pending, timestamps cleared), at
    /// each step: the job may then be claimed again while the monitor holds an old read.
    pub releases_per_mille: u64,
    /// Chance in a thousand that a finished job failed.
    pub failures_per_mille: u64,
}

/// What one worker did.
#[derive(Debug, Default, Clone, Copy)]
pub struct WorkerTally {
    pub claimed: u64,
    pub completed: u64,
    pub failed: u64,
    pub died: u64,
    pub released: u64,
    /// Steps whose compare-and-set found the job moved (by the monitor or a worker).
    pub lost: u64,
}

impl WorkerTally {
    pub fn add(&mut self, other: WorkerTally) {
        self.claimed += other.claimed;
        self.completed += other.completed;
        self.failed += other.failed;
        self.died += other.died;
        self.released += other.released;
        self.lost += other.lost;
    }
}

/// A small deterministic generator (xorshift64*), one per worker.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound.max(1)
    }

    fn pause(&mut self, longest: Duration) -> Duration {
        Duration::from_micros(self.below(longest.as_micros() as u64 + 1))
    }
}

type TestQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

fn bind<'q>(query: TestQuery<'q>, stamp: &'q Stamp) -> TestQuery<'q> {
    match stamp {
        Stamp::Text(text) => query.bind(text.as_str()),
        Stamp::Real(seconds) => query.bind(*seconds),
    }
}

/// Works the queue at `path` until no job is pending, claimed or processing (or `stop`).
pub async fn work(
    path: PathBuf,
    stamps: Stamps,
    habits: Habits,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> WorkerTally {
    let mut connection = connect(&path, false).await;
    let mut dice = Dice::new(seed);
    let mut tally = WorkerTally::default();
    while !stop.load(Ordering::Relaxed) {
        let Some(id) = pick(&mut connection, &mut dice).await else {
            if unfinished(&mut connection).await == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        };
        let claimed_at = stamps.now();
        let claim = sqlx::query(
            "UPDATE jobs SET state = 'claimed', claimed_at = ? WHERE id = ? AND state = 'pending'",
        );
        if !changed(&mut connection, bind(claim, &claimed_at).bind(id)).await {
            tally.lost += 1;
            continue;
        }
        tally.claimed += 1;
        tokio::time::sleep(dice.pause(habits.before_start)).await;
        if dice.below(1000) < habits.deaths_per_mille {
            tally.died += 1;
            continue;
        }
        if dice.below(1000) < habits.releases_per_mille {
            release(
                &mut connection,
                id,
                "claimed",
                "claimed_at",
                &claimed_at,
                &mut tally,
            )
            .await;
            continue;
        }
        let started_at = stamps.now();
        let start = sqlx::query(
            "UPDATE jobs SET state = 'processing', started_at = ?, attempts = attempts + 1 \
             WHERE id = ? AND state = 'claimed' AND claimed_at = ?",
        );
        let start = bind(bind(start, &started_at).bind(id), &claimed_at);
        if !changed(&mut connection, start).await {
            tally.lost += 1;
            continue;
        }
        tokio::time::sleep(dice.pause(habits.processing)).await;
        if dice.below(1000) < habits.deaths_per_mille {
            tally.died += 1;
            continue;
        }
        if dice.below(1000) < habits.releases_per_mille {
            release(
                &mut connection,
                id,
                "processing",
                "started_at",
                &started_at,
                &mut tally,
            )
            .await;
            continue;
        }
        let fails = dice.below(1000) < habits.failures_per_mille;
        let (state, error) = if fails {
            ("failed", Some(WORKER_ERROR))
        } else {
            ("completed", None)
        };
        let finish = sqlx::query(
            "UPDATE jobs SET state = ?, last_error = coalesce(?, last_error) \
             WHERE id = ? AND state = 'processing' AND started_at = ?",
        )
        .bind(state)
        .bind(error)
        .bind(id);
        if !changed(&mut connection, bind(finish, &started_at)).await {
            tally.lost += 1;
        } else if fails {
            tally.failed += 1;
        } else {
            tally.completed += 1;
        }
    }
    tally
}

/// Gives job `id` back to pending if it is still in `state` with `column` = `seen`.
async fn release(
    connection: &mut SqliteConnection,
    id: i64,
    state: &str,
    column: &str,
    seen: &Stamp,
    tally: &mut WorkerTally,
) {
    let sql = format!(
        "UPDATE jobs SET state = 'pending', claimed_at = NULL, started_at = NULL \
         WHERE id = ? AND state = ? AND {column} = ?"
    );
    let query = sqlx::query(AssertSqlSafe(sql)).bind(id).bind(state);
    if changed(connection, bind(query, seen)).await {
        tally.released += 1;
    } else {
        tally.lost += 1;
    }
}

/// A pending job, one of the first few (so that workers sometimes want the same one).
async fn pick(connection: &mut SqliteConnection, dice: &mut Dice) -> Option<i64> {
    let offset = dice.below(4) as i64;
    let sql = "SELECT id FROM jobs WHERE state = 'pending' ORDER BY id LIMIT 1 OFFSET ?";
    for offset in [offset, 0] {
        let id = sqlx::query_scalar(sql)
            .bind(offset)
            .fetch_optional(&mut *connection)
            .await
            .expect("pick a job");
        if id.is_some() {
            return id;
        }
    }
    None
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

async fn changed(connection: &mut SqliteConnection, query: TestQuery<'_>) -> bool {
    query
        .execute(connection)
        .await
        .expect("a worker's write")
        .rows_affected()
        == 1
}
