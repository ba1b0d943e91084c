//! One job monitor pass over a 1,000,000-row queue with 1,000 stuck rows (`batch =
//! 1000`, so the pass rescues them all: 500 requeued, the rest retried or failed), on
//! PostgreSQL and on SQLite, each with the recommended indexes; and the census of the
//! same table, which runs beside the pass and is timed apart. Budgets for the pass:
//! 100 ms on PostgreSQL, 200 ms on SQLite. The stuck rows are put back between passes,
//! outside the measured time.

#[path = "../tests/jobs_pg_support/mod.rs"]
mod jobs_pg_support;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use jobs_pg_support::{QueueTable, execute, server};
use lookout::config::{JobsConfig, JobsDatabase};
use lookout::jobs::postgres::PgQueue;
use lookout::jobs::sqlite::SqliteQueue;
use lookout::jobs::{Queue, pass};
use lookout::view::jobs::Outcome;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, PgConnection, SqliteConnection};
use tokio::runtime::Runtime;

const ROWS: i64 = 1_000_000;
const NOW_SECONDS: u64 = 1_700_000_000;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECONDS)
}

/// The stuck rows: every thousandth (completed in the filled table).
fn stuck_ids() -> Vec<i64> {
    (0..ROWS / 1_000).map(|k| k * 1_000 + 500).collect()
}

/// Puts the stuck rows back as they were, an hour past both timeouts: half claimed,
/// half processing with 1 or 3 attempts (3 fails under `max_attempts = 3`).
fn restage_sql(table: &str, ids: &str, hour_ago: &str) -> String {
    format!(
        "UPDATE {table} SET \
           state = CASE WHEN id % 2000 = 500 THEN 'claimed' ELSE 'processing' END, \
           claimed_at = {hour_ago}, \
           started_at = CASE WHEN id % 2000 = 500 THEN NULL ELSE {hour_ago} END, \
           attempts = (id / 1000) % 4, last_error = NULL \
         WHERE id IN ({ids})"
    )
}

fn config(database: JobsDatabase, table: &str) -> JobsConfig {
    let mut config = JobsConfig::new(database, table);
    config.batch = 1_000;
    config.max_attempts = Some(3);
    config
}

/// Runs passes (restaging before each) and returns the time spent in the passes.
async fn passes<Q: Queue>(
    queue: &mut Q,
    config: &JobsConfig,
    iterations: u64,
    mut restage: impl AsyncFnMut(),
) -> Duration {
    let mut spent = Duration::ZERO;
    for _ in 0..iterations {
        restage().await;
        let started = Instant::now();
        let report = pass::run(queue, config, now(), true, 1)
            .await
            .expect("pass");
        spent += started.elapsed();
        let done = report
            .actions
            .iter()
            .filter(|a| a.outcome == Outcome::Done)
            .count();
        assert_eq!(done, stuck_ids().len(), "every stuck row rescued");
    }
    spent
}

fn postgres(c: &mut Criterion, runtime: &Runtime) {
    let Some(mut admin) = runtime.block_on(server()) else {
        return;
    };
    let table = runtime.block_on(async {
        let table = QueueTable::create(&mut admin).await;
        table.fill(&mut admin, ROWS, now()).await;
        table.index(&mut admin).await;
        table
    });
    let config = config(table.config().database, &table.name);
    let mut queue = runtime.block_on(PgQueue::open(&config)).expect("open");
    let at = humantime::format_rfc3339_micros(now());
    let restage = restage_sql(
        &table.name,
        &id_list(),
        &format!("'{at}'::timestamptz - interval '1 hour'"),
    );
    let admin: &mut PgConnection = &mut admin;
    c.bench_function("postgres: pass, 1,000,000 rows, 1,000 stuck", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(passes(&mut queue, &config, iterations, async || {
                execute(&mut *admin, &restage).await;
            }))
        });
    });
    c.bench_function("postgres: census, 1,000,000 rows", |b| {
        b.iter(|| black_box(runtime.block_on(queue.census(now())).expect("census")));
    });
}

fn sqlite(c: &mut Criterion, runtime: &Runtime) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("queue.db");
    let mut admin = runtime.block_on(fill_sqlite(&path));
    let config = config(JobsDatabase::Sqlite { path }, "jobs");
    let mut queue = runtime.block_on(SqliteQueue::open(&config)).expect("open");
    let hour_ago = (NOW_SECONDS - 3_600).to_string();
    let restage = restage_sql("jobs", &id_list(), &hour_ago);
    c.bench_function("sqlite: pass, 1,000,000 rows, 1,000 stuck", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(passes(&mut queue, &config, iterations, async || {
                sqlx::raw_sql(AssertSqlSafe(restage.clone()))
                    .execute(&mut admin)
                    .await
                    .expect("restage");
            }))
        });
    });
    c.bench_function("sqlite: census, 1,000,000 rows", |b| {
        b.iter(|| black_box(runtime.block_on(queue.census(now())).expect("census")));
    });
}

fn id_list() -> String {
    let ids: Vec<String> = stuck_ids().iter().map(i64::to_string).collect();
    ids.join(", ")
}

/// A SQLite queue file (WAL, as a queue shared by workers runs) with the same rows as
/// the PostgreSQL table, times in epoch seconds, and the recommended indexes.
async fn fill_sqlite(path: &Path) -> SqliteConnection {
    let mut connection = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .expect("create");
    let now = NOW_SECONDS;
    let fill = format!(
        "PRAGMA journal_mode = WAL; \
         CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL, claimed_at REAL, \
           started_at REAL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT); \
         INSERT INTO jobs (id, state, claimed_at, started_at, attempts) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS}) \
         SELECT i, \
           CASE i % 100 WHEN 1 THEN 'pending' WHEN 2 THEN 'claimed' WHEN 3 THEN 'processing' \
                        WHEN 4 THEN 'failed' ELSE 'completed' END, \
           CASE WHEN i % 100 = 1 THEN NULL WHEN i % 100 IN (2, 3) THEN {now} - i % 60 \
                ELSE {now} - 86400 - i END, \
           CASE WHEN i % 100 IN (1, 2) THEN NULL WHEN i % 100 = 3 THEN {now} - i % 30 \
                ELSE {now} - 86400 - i END, \
           1 FROM n; \
         CREATE INDEX jobs_claimed ON jobs (state, claimed_at); \
         CREATE INDEX jobs_started ON jobs (state, started_at); \
         ANALYZE;"
    );
    sqlx::raw_sql(AssertSqlSafe(fill))
        .execute(&mut connection)
        .await
        .expect("fill");
    connection
}

fn jobs(c: &mut Criterion) {
    let runtime = Runtime::new().expect("runtime");
    postgres(c, &runtime);
    sqlite(c, &runtime);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(10));
    targets = jobs
}
criterion_main!(benches);
