//! A SQLite job queue file for tests of the real binary: the table the job monitor
//! expects, rows placed at chosen ages, and the rows read back.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

/// One row to insert: state, minutes since claimed/started (None: NULL), attempts.
pub struct Row {
    pub state: &'static str,
    pub claimed_minutes_ago: Option<u32>,
    pub started_minutes_ago: Option<u32>,
    pub attempts: i64,
}

pub const fn row(
    state: &'static str,
    claimed: Option<u32>,
    started: Option<u32>,
    attempts: i64,
) -> Row {
    Row {
        state,
        claimed_minutes_ago: claimed,
        started_minutes_ago: started,
        attempts,
    }
}

/// A row as read back: id, state, attempts, last_error.
pub type Stored = (i64, String, i64, Option<String>);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

async fn connect(path: &Path, create: bool) -> SqliteConnection {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .busy_timeout(Duration::from_secs(5));
    SqliteConnection::connect_with(&options)
        .await
        .expect("open the queue")
}

/// Creates the queue at `path` with `rows` (ids 1, 2… in order); timestamps are
/// ISO-8601 text in UTC, as `strftime` writes them.
pub fn create(path: &Path, rows: &[Row]) {
    runtime().block_on(async {
        let mut db = connect(path, true).await;
        sqlx::raw_sql(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL, claimed_at TEXT,
             started_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
             CREATE INDEX jobs_state_claimed_at ON jobs (state, julianday(claimed_at));
             CREATE INDEX jobs_state_started_at ON jobs (state, julianday(started_at));",
        )
        .execute(&mut db)
        .await
        .expect("create the table");
        for row in rows {
            let ago = |minutes: Option<u32>| minutes.map(|m| format!("-{m} minutes"));
            sqlx::query(
                "INSERT INTO jobs (state, claimed_at, started_at, attempts) VALUES (?,
                 CASE WHEN ?2 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2) END,
                 CASE WHEN ?3 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?3) END,
                 ?4)",
            )
            .bind(row.state)
            .bind(ago(row.claimed_minutes_ago))
            .bind(ago(row.started_minutes_ago))
            .bind(row.attempts)
            .execute(&mut db)
            .await
            .expect("insert a row");
        }
    });
}

/// Every row, by id.
pub fn rows(path: &Path) -> Vec<Stored> {
    runtime().block_on(async {
        let mut db = connect(path, false).await;
        sqlx::query_as("SELECT id, state, attempts, last_error FROM jobs ORDER BY id")
            .fetch_all(&mut db)
            .await
            .expect("read the rows")
    })
}

/// The `[jobs]` section for the queue at `path`, with `extra` lines.
pub fn section(path: &Path, extra: &str) -> String {
    format!(
        "[jobs]\nenabled = true\ndatabase = \"sqlite://{}\"\ninterval = \"1s\"\nquery_timeout = \"900ms\"\n{extra}\n",
        path.display()
    )
}
