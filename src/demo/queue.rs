//! The demo's job queue: a SQLite table in the demo's state directory, fed by a producer
//! and worked by simulated workers, some of which die mid-job (claimed or processing) —
//! so the job monitor has real rows to rescue within the first minute.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use tokio_util::sync::CancellationToken;

use crate::config::{JobsConfig, JobsDatabase};

/// The queue's file inside the demo's state directory.
pub const FILE_NAME: &str = "demo-queue.db";

/// Workers taking jobs at once.
const WORKERS: u64 = 4;

/// The producer stops adding jobs while this many are pending.
const MAX_PENDING: i64 = 60;

/// The current time as the workers write it (ISO-8601, UTC, milliseconds), as SQL;
/// with an argument, that long ago ("-9 minutes").
macro_rules! now {
    () => {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    };
    ($ago:literal) => {
        concat!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '", $ago, "')")
    };
}

/// The table, as a real queue would have it, with the indexes docs/JOBS.md recommends.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    claimed_at TEXT,
    started_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS jobs_state_claimed_at ON jobs (state, julianday(claimed_at));
CREATE INDEX IF NOT EXISTS jobs_state_started_at ON jobs (state, julianday(started_at));
";

/// Kinds of demo jobs, for the rows' look.
const KINDS: [&str; 4] = ["send_invoice", "resize_image", "sync_crm", "export_report"];

/// What becomes of the `n`th job a worker takes: most complete, some fail, and some
/// workers die holding their job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Complete,
    Fail,
    DieClaimed,
    DieProcessing,
}

fn fate(n: u64) -> Fate {
    match n % 23 {
        4 | 15 => Fate::DieProcessing,
        9 => Fate::DieClaimed,
        19 => Fate::Fail,
        _ => Fate::Complete,
    }
}

/// A wait between `lo` and `hi` ms that varies with `n` (no randomness needed).
fn spread(n: u64, lo: u64, hi: u64) -> Duration {
    let span = hi.saturating_sub(lo).max(1);
    Duration::from_millis(lo + (n.wrapping_mul(2_654_435_761) >> 7) % span)
}

/// Creates the queue in `state_dir`, seeds it (with a few rows already stuck), starts
/// the producer and the workers until `cancel`, and returns the `[jobs]` that watches
/// it: on from the start, with short timeouts so rescues show within a minute.
pub async fn start(state_dir: &Path, cancel: CancellationToken) -> Result<JobsConfig, sqlx::Error> {
    tokio::fs::create_dir_all(state_dir).await?;
    let path = state_dir.join(FILE_NAME);
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await?;
    sqlx::raw_sql(SCHEMA).execute(&pool).await?;
    seed(&pool).await?;
    tokio::spawn(produce(pool.clone(), cancel.clone()));
    for worker in 0..WORKERS {
        tokio::spawn(work(pool.clone(), worker, cancel.clone()));
    }
    let mut config = JobsConfig::new(JobsDatabase::Sqlite { path }, "jobs");
    config.enabled = true;
    config.claimed_timeout = Duration::from_secs(15);
    config.processing_timeout = Duration::from_secs(25);
    config.interval = Duration::from_secs(5);
    config.max_attempts = Some(3);
    config.query_timeout = Duration::from_secs(5);
    Ok(config)
}

/// Pending work, a history of finished jobs, and three rows whose workers died before
/// lookout started.
async fn seed(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let seeded = concat!(
        "INSERT INTO jobs (kind, state, claimed_at, started_at, attempts, last_error) VALUES ",
        "('send_invoice', 'completed', ",
        now!(),
        ", ",
        now!(),
        ", 1, NULL), ",
        "('sync_crm', 'failed', ",
        now!(),
        ", ",
        now!(),
        ", 3, 'CRM answered 502'), ",
        "('resize_image', 'claimed', ",
        now!("-9 minutes"),
        ", NULL, 1, NULL), ",
        "('export_report', 'processing', ",
        now!("-14 minutes"),
        ", ",
        now!("-13 minutes"),
        ", 1, NULL), ",
        "('send_invoice', 'processing', ",
        now!("-31 minutes"),
        ", ",
        now!("-30 minutes"),
        ", 3, NULL)"
    );
    sqlx::query(seeded).execute(pool).await?;
    for n in 0..20u64 {
        enqueue(pool, n).await?;
    }
    Ok(())
}

async fn enqueue(pool: &SqlitePool, n: u64) -> Result<(), sqlx::Error> {
    let kind = KINDS[(n % KINDS.len() as u64) as usize];
    sqlx::query("INSERT INTO jobs (kind) VALUES (?)")
        .bind(kind)
        .execute(pool)
        .await?;
    Ok(())
}

/// Adds a job every second or so while the queue is not backed up.
async fn produce(pool: SqlitePool, cancel: CancellationToken) {
    for n in 20u64.. {
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(spread(n, 600, 1400)) => {}
        }
        let pending: Result<i64, _> =
            sqlx::query_scalar("SELECT count(*) FROM jobs WHERE state = 'pending'")
                .fetch_one(&pool)
                .await;
        if pending.is_ok_and(|p| p < MAX_PENDING) {
            let _ = enqueue(&pool, n).await;
        }
    }
}

/// One worker: claim the oldest pending job, start it, finish it — or die holding it
/// and come back as a fresh worker. Each step is a compare-and-set, as real workers do.
async fn work(pool: SqlitePool, worker: u64, cancel: CancellationToken) {
    for n in (worker * 5)..u64::MAX {
        let step = async {
            match take(&pool, n).await {
                Ok(true) => {}
                // Nothing to do, or the database was busy: look again soon.
                Ok(false) | Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        };
        tokio::select! {
            () = cancel.cancelled() => return,
            () = step => {}
        }
    }
}

/// Takes one job through its life; false when none was pending.
async fn take(pool: &SqlitePool, n: u64) -> Result<bool, sqlx::Error> {
    let claim = concat!(
        "UPDATE jobs SET state = 'claimed', claimed_at = ",
        now!(),
        ", attempts = attempts + 1 ",
        "WHERE id = (SELECT id FROM jobs WHERE state = 'pending' ORDER BY id LIMIT 1) ",
        "AND state = 'pending' RETURNING id, claimed_at"
    );
    let Some((id, claimed_at)) = sqlx::query_as::<_, (i64, String)>(claim)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(false);
    };
    let fate = fate(n);
    tokio::time::sleep(spread(n, 200, 1200)).await;
    if fate == Fate::DieClaimed {
        return Ok(true);
    }
    let start = concat!(
        "UPDATE jobs SET state = 'processing', started_at = ",
        now!(),
        " WHERE id = ? AND state = 'claimed' AND claimed_at = ? RETURNING started_at"
    );
    let Some(started_at) = sqlx::query_scalar::<_, String>(start)
        .bind(id)
        .bind(&claimed_at)
        .fetch_optional(pool)
        .await?
    else {
        // lookout put it back while this worker dawdled: someone else will take it.
        return Ok(true);
    };
    tokio::time::sleep(spread(n + 7, 800, 4000)).await;
    let (state, error) = match fate {
        Fate::DieProcessing => return Ok(true),
        Fate::Fail => ("failed", Some("upstream answered 503")),
        Fate::Complete | Fate::DieClaimed => ("completed", None),
    };
    sqlx::query(
        "UPDATE jobs SET state = ?, last_error = ? WHERE id = ? AND state = 'processing' AND started_at = ?",
    )
    .bind(state)
    .bind(error)
    .bind(id)
    .bind(&started_at)
    .execute(pool)
    .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_workers_die_and_most_jobs_complete() {
        let fates: Vec<Fate> = (0..230).map(fate).collect();
        let count = |f: Fate| fates.iter().filter(|x| **x == f).count();
        assert_eq!(count(Fate::DieProcessing), 20);
        assert_eq!(count(Fate::DieClaimed), 10);
        assert_eq!(count(Fate::Fail), 10);
        assert_eq!(count(Fate::Complete), 190);
    }

    #[test]
    fn waits_stay_in_their_range() {
        for n in 0..1000 {
            let d = spread(n, 200, 1200);
            assert!(d >= Duration::from_millis(200) && d < Duration::from_millis(1200));
        }
    }
}
