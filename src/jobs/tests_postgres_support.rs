//! A real PostgreSQL for the `PgQueue` tests: the server (or a printed skip outside
//! CI), scratch tables with unique names dropped even when a test fails, and rows
//! written and read back by plain SQL.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

use crate::config::{JobsConfig, JobsDatabase};
use crate::jobs::queue::quoted;

/// The server the tests use unless `LOOKOUT_TEST_POSTGRES` names another.
const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The `now` the tests inject: microseconds matter, as in a real queue.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_micros(1_700_000_000_123_456)
}

pub fn url() -> String {
    std::env::var("LOOKOUT_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

/// A connection to set tables up with; `None` (and a printed reason) when the server
/// cannot be reached outside CI. Under `CI=true` an unreachable server fails the test.
pub async fn server(url: &str) -> Option<PgConnection> {
    match PgConnection::connect(url).await {
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

/// Runs `statements` in order on drop (dropping what a test created), on a thread of
/// its own so it works from inside a test's runtime and after a panic.
pub struct Cleanup {
    url: String,
    statements: Vec<String>,
}

impl Cleanup {
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_string(),
            statements: Vec::new(),
        }
    }

    pub fn then(&mut self, statement: String) {
        self.statements.push(statement);
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let url = self.url.clone();
        let statements = std::mem::take(&mut self.statements);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for cleanup");
            runtime.block_on(async {
                let mut connection = PgConnection::connect(&url).await.expect("connect");
                for statement in statements {
                    execute(&mut connection, &statement).await;
                }
            });
        });
        let _ = dropped.join();
    }
}

pub async fn execute(connection: &mut PgConnection, statement: &str) {
    sqlx::raw_sql(AssertSqlSafe(statement.to_string()))
        .execute(connection)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// A config for `table` with the documented defaults and a roomy query timeout.
pub fn config(url: &str, table: &str) -> JobsConfig {
    let mut config = JobsConfig::new(
        JobsDatabase::Postgres {
            url: url.to_string(),
        },
        table,
    );
    config.query_timeout = Duration::from_secs(5);
    config
}

/// Creates `config.table` with its six columns (`id_type` for the id, `time_type` for
/// both timestamps, `state_type` for the state), dropped with `cleanup`.
pub async fn create_table(
    admin: &mut PgConnection,
    config: &JobsConfig,
    types: (&str, &str, &str),
    cleanup: &mut Cleanup,
) {
    let (id_type, state_type, time_type) = types;
    let c = &config.columns;
    let table = quoted(&config.table);
    execute(
        admin,
        &format!(
            "CREATE TABLE {table} ({} {id_type} PRIMARY KEY, {} {state_type}, {} {time_type}, \
             {} {time_type}, {} integer, {} text)",
            quoted(&c.id),
            quoted(&c.state),
            quoted(&c.claimed_at),
            quoted(&c.started_at),
            quoted(&c.attempts),
            quoted(&c.last_error),
        ),
    )
    .await;
    cleanup.then(format!("DROP TABLE IF EXISTS {table}"));
}

/// One row to insert; times are seconds before [`now`].
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub state: String,
    pub claimed_ago: Option<u64>,
    pub started_ago: Option<u64>,
    pub attempts: Option<i64>,
}

pub fn job(id: &str, state: &str, claimed_ago: Option<u64>, started_ago: Option<u64>) -> Job {
    Job {
        id: id.to_string(),
        state: state.to_string(),
        claimed_ago,
        started_ago,
        attempts: Some(1),
    }
}

pub async fn insert(admin: &mut PgConnection, config: &JobsConfig, jobs: &[Job]) {
    let at = humantime::format_rfc3339_micros(now());
    let time = |ago: Option<u64>| {
        ago.map_or("NULL".to_string(), |s| {
            format!("'{at}'::timestamptz - interval '{s} seconds'")
        })
    };
    let c = &config.columns;
    for job in jobs {
        let statement = format!(
            "INSERT INTO {} ({}, {}, {}, {}, {}) VALUES ('{}', '{}', {}, {}, {})",
            quoted(&config.table),
            quoted(&c.id),
            quoted(&c.state),
            quoted(&c.claimed_at),
            quoted(&c.started_at),
            quoted(&c.attempts),
            job.id,
            job.state,
            time(job.claimed_ago),
            time(job.started_ago),
            job.attempts.map_or("NULL".to_string(), |n| n.to_string()),
        );
        execute(admin, &statement).await;
    }
}

/// A row as stored, every value as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub id: String,
    pub state: String,
    pub claimed_at: Option<String>,
    pub started_at: Option<String>,
    pub attempts: Option<i64>,
    pub last_error: Option<String>,
}

/// Every row, ordered by id as text.
pub async fn stored(admin: &mut PgConnection, config: &JobsConfig) -> Vec<Stored> {
    let c = &config.columns;
    let statement = format!(
        "SELECT {}::text, {}::text, {}::text, {}::text, {}::int8, {}::text FROM {} ORDER BY 1",
        quoted(&c.id),
        quoted(&c.state),
        quoted(&c.claimed_at),
        quoted(&c.started_at),
        quoted(&c.attempts),
        quoted(&c.last_error),
        quoted(&config.table),
    );
    let rows = sqlx::query(AssertSqlSafe(statement))
        .fetch_all(admin)
        .await
        .expect("read rows");
    rows.iter()
        .map(|row| Stored {
            id: row.get(0),
            state: row.get(1),
            claimed_at: row.get(2),
            started_at: row.get(3),
            attempts: row.get(4),
            last_error: row.get(5),
        })
        .collect()
}

/// The stored row `id`.
pub fn row<'a>(rows: &'a [Stored], id: &str) -> &'a Stored {
    rows.iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}
