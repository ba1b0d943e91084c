//! What the SQLite queue tests share: a queue database in a temporary directory with a
//! connection of its own (a worker's view of the table), the fixed `now`, and the
//! timestamp forms real queues write.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Row, Sqlite};
use tempfile::TempDir;

use crate::config::{JobsConfig, JobsDatabase};
use crate::jobs::queue::RowValue;

/// The `now` every test measures against: 2023-11-14T22:13:20Z.
pub(super) fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub(super) fn secs(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds)
}

/// One way a queue writes its timestamps.
pub(super) struct Stamp {
    pub(super) name: &'static str,
    /// The declared type of the timestamp columns, from which `auto` decides.
    pub(super) declared: &'static str,
    /// Read as epoch seconds (else ISO-8601 text).
    pub(super) epoch: bool,
    /// Keeps fractions of a second.
    pub(super) fractional: bool,
    encode: fn(SystemTime) -> RowValue,
}

impl Stamp {
    /// The value of an instant `age` before [`now`].
    pub(super) fn at(&self, age: Duration) -> RowValue {
        (self.encode)(now() - age)
    }

    pub(super) fn schema(&self) -> String {
        schema(self.declared)
    }
}

fn text(value: String) -> RowValue {
    RowValue::Text(value)
}

pub(super) const STAMPS: [Stamp; 7] = [
    Stamp {
        name: "ISO 'T', milliseconds, 'Z'",
        declared: "TEXT",
        epoch: false,
        fractional: true,
        encode: |at| text(humantime::format_rfc3339_millis(at).to_string()),
    },
    Stamp {
        name: "ISO ' ', whole seconds (datetime('now'))",
        declared: "TEXT",
        epoch: false,
        fractional: false,
        encode: |at| {
            let iso = humantime::format_rfc3339_seconds(at).to_string();
            text(iso.replace('T', " ").replace('Z', ""))
        },
    },
    Stamp {
        name: "ISO ' ', milliseconds, 'Z', declared DATETIME",
        declared: "DATETIME",
        epoch: false,
        fractional: true,
        encode: |at| {
            text(
                humantime::format_rfc3339_millis(at)
                    .to_string()
                    .replace('T', " "),
            )
        },
    },
    Stamp {
        name: "ISO 'T', microseconds, no 'Z', no declared type",
        declared: "",
        epoch: false,
        fractional: true,
        encode: |at| {
            text(
                humantime::format_rfc3339_micros(at)
                    .to_string()
                    .replace('Z', ""),
            )
        },
    },
    Stamp {
        name: "ISO 'T', whole seconds, 'Z', declared TIMESTAMP",
        declared: "TIMESTAMP",
        epoch: false,
        fractional: false,
        encode: |at| text(humantime::format_rfc3339_seconds(at).to_string()),
    },
    Stamp {
        name: "epoch seconds, integer",
        declared: "INTEGER",
        epoch: true,
        fractional: false,
        encode: |at| RowValue::Int(since_epoch(at).as_secs() as i64),
    },
    Stamp {
        name: "epoch seconds, real",
        declared: "REAL",
        epoch: true,
        fractional: true,
        encode: |at| RowValue::Real(since_epoch(at).as_secs_f64()),
    },
];

fn since_epoch(at: SystemTime) -> Duration {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
}

/// The queue table with the default names, timestamps declared `declared`.
pub(super) fn schema(declared: &str) -> String {
    format!(
        "CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            state TEXT,
            claimed_at {declared},
            started_at {declared},
            attempts INTEGER,
            last_error TEXT
        );"
    )
}

type TestQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments>;

fn bind<'q>(query: TestQuery<'q>, value: &'q Option<RowValue>) -> TestQuery<'q> {
    match value {
        None => query.bind(None::<i64>),
        Some(RowValue::Int(n)) => query.bind(*n),
        Some(RowValue::Real(x)) => query.bind(*x),
        Some(RowValue::Text(s)) => query.bind(s.as_str()),
    }
}

/// A queue database in a temporary directory, and a worker's connection to it.
pub(super) struct Db {
    _dir: TempDir,
    pub(super) path: PathBuf,
    connection: SqliteConnection,
}

impl Db {
    /// A new database file holding `schema`.
    pub(super) async fn new(schema: &str) -> Db {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("queue.db");
        let connection = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .expect("create the database");
        let mut db = Db {
            _dir: dir,
            path,
            connection,
        };
        db.exec(schema).await;
        db
    }

    /// The documented defaults for this database's `jobs` table.
    pub(super) fn config(&self) -> JobsConfig {
        self.config_for("jobs")
    }

    pub(super) fn config_for(&self, table: &str) -> JobsConfig {
        let database = JobsDatabase::Sqlite {
            path: self.path.clone(),
        };
        JobsConfig::new(database, table)
    }

    /// Runs `sql` (any number of statements).
    pub(super) async fn exec(&mut self, sql: &str) {
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(&mut self.connection)
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"));
    }

    /// Adds a row to `jobs`.
    pub(super) async fn insert(
        &mut self,
        id: i64,
        state: &str,
        claimed_at: Option<RowValue>,
        started_at: Option<RowValue>,
        attempts: Option<i64>,
    ) {
        let query = sqlx::query(
            "INSERT INTO jobs (id, state, claimed_at, started_at, attempts) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(state);
        let query = bind(bind(query, &claimed_at), &started_at).bind(attempts);
        query.execute(&mut self.connection).await.expect("insert");
    }

    /// Every row of `jobs` as SQL literals (types shown: `'text'`, `1`, `1.5`, NULL),
    /// `id|state|claimed_at|started_at|attempts|last_error`, by id.
    pub(super) async fn rows(&mut self) -> Vec<String> {
        self.texts(
            "SELECT id || '|' || quote(state) || '|' || quote(claimed_at) || '|' || \
             quote(started_at) || '|' || quote(attempts) || '|' || quote(last_error) \
             FROM jobs ORDER BY id",
        )
        .await
    }

    /// The first column of every row `sql` returns, as text.
    pub(super) async fn texts(&mut self, sql: &str) -> Vec<String> {
        sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
            .fetch_all(&mut self.connection)
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    /// The query plan of a search for stuck rows, one step a line.
    pub(super) async fn plan(&mut self, statement: &str) -> String {
        let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {statement}")))
            .bind("claimed")
            .bind(0.0)
            .bind(10)
            .fetch_all(&mut self.connection)
            .await
            .expect("plan");
        let steps: Vec<String> = rows
            .iter()
            .map(|row| row.try_get::<String, _>(3).expect("detail"))
            .collect();
        steps.join("\n")
    }
}
