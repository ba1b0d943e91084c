//! A real PostgreSQL for the job monitor's integration tests and benchmark: the server
//! (or a printed skip outside CI), queue tables with unique names dropped on drop, the
//! recommended indexes, and large tables filled on the server side.
#![allow(dead_code)] // each test binary uses its own subset

pub mod worker;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lookout::config::{JobsConfig, JobsDatabase};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The server used unless `LOOKOUT_TEST_POSTGRES` names another.
const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn url() -> String {
    std::env::var("LOOKOUT_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

/// A connection, or `None` (and a printed reason) when the server cannot be reached
/// outside CI. Under `CI=true` an unreachable server fails the test.
pub async fn server() -> Option<PgConnection> {
    let url = url();
    match PgConnection::connect(&url).await {
        Ok(connection) => Some(connection),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "PostgreSQL at {url} is required under CI=true: {e}"
            );
            eprintln!("skipped: PostgreSQL at {url} is unreachable ({e})");
            None
        }
    }
}

/// A name no other test (or test process) uses.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

pub async fn execute(connection: &mut PgConnection, statement: &str) {
    sqlx::raw_sql(AssertSqlSafe(statement.to_string()))
        .execute(connection)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// A queue table with the default column names (bigint ids, timestamptz times);
/// dropped (then what `also_drop` names) when this drops.
pub struct QueueTable {
    pub name: String,
    also_drop: Vec<String>,
}

impl QueueTable {
    pub async fn create(connection: &mut PgConnection) -> Self {
        let name = unique("lookout_jobs");
        execute(
            connection,
            &format!(
                "CREATE TABLE {name} (id bigint PRIMARY KEY, state text NOT NULL, \
                 claimed_at timestamptz, started_at timestamptz, attempts integer NOT NULL \
                 DEFAULT 0, last_error text)"
            ),
        )
        .await;
        Self {
            name,
            also_drop: Vec::new(),
        }
    }

    /// Creates the indexes docs/JOBS.md recommends (one per timeout, state first,
    /// named `<table>_claimed` and `<table>_started`) and analyzes the table.
    pub async fn index(&self, connection: &mut PgConnection) {
        let name = &self.name;
        execute(
            connection,
            &format!(
                "CREATE INDEX {name}_claimed ON {name} (state, claimed_at); \
                 CREATE INDEX {name}_started ON {name} (state, started_at)"
            ),
        )
        .await;
        execute(connection, &format!("VACUUM ANALYZE {name}")).await;
    }

    /// Runs `statement` (a DROP) after the table is dropped.
    pub fn also_drop(&mut self, statement: String) {
        self.also_drop.push(statement);
    }

    /// A config for this table with the documented defaults.
    pub fn config(&self) -> JobsConfig {
        let mut config = JobsConfig::new(JobsDatabase::Postgres { url: url() }, &self.name);
        config.query_timeout = Duration::from_secs(10);
        config
    }

    /// Fills `rows` rows on the server (ids 1..=rows): a few pending, claimed and
    /// processing, the rest completed or failed long ago. None is stuck at `now` with
    /// the default timeouts.
    pub async fn fill(&self, connection: &mut PgConnection, rows: i64, now: SystemTime) {
        let now = humantime::format_rfc3339_micros(now);
        execute(
            connection,
            &format!(
                "INSERT INTO {name} (id, state, claimed_at, started_at, attempts) \
                 SELECT n, \
                   CASE WHEN n % 100 = 1 THEN 'pending' WHEN n % 100 = 2 THEN 'claimed' \
                        WHEN n % 100 = 3 THEN 'processing' WHEN n % 100 = 4 THEN 'failed' \
                        ELSE 'completed' END, \
                   CASE WHEN n % 100 = 1 THEN NULL \
                        WHEN n % 100 IN (2, 3) THEN '{now}'::timestamptz - (n % 60) * interval '1 second' \
                        ELSE '{now}'::timestamptz - interval '1 day' - n * interval '1 second' END, \
                   CASE WHEN n % 100 IN (1, 2) THEN NULL \
                        WHEN n % 100 = 3 THEN '{now}'::timestamptz - (n % 30) * interval '1 second' \
                        ELSE '{now}'::timestamptz - interval '1 day' - n * interval '1 second' END, \
                   1 \
                 FROM generate_series(1, {rows}) AS n",
                name = self.name,
            ),
        )
        .await;
    }
}

impl Drop for QueueTable {
    /// Drops the table on a thread of its own, so it works inside a test's runtime and
    /// after a panic.
    fn drop(&mut self) {
        let mut statements = vec![format!("DROP TABLE IF EXISTS {}", self.name)];
        statements.append(&mut self.also_drop);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for cleanup");
            runtime.block_on(async {
                let mut connection = PgConnection::connect(&url()).await.expect("connect");
                for statement in statements {
                    execute(&mut connection, &statement).await;
                }
            });
        });
        let _ = dropped.join();
    }
}
