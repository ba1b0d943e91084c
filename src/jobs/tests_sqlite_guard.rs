//! What keeps the SQLite queue safe next to live workers: the compare-and-set leaves
//! alone a row moved (or claimed again) between the read and the write, two monitors on
//! one queue change a row once, and a locked database fails within the query timeout
//! without leaving the connection unusable.

use std::time::{Duration, Instant, SystemTime};

use super::rescue::{actions, run};
use super::support::{Db, STAMPS, now, secs};
use crate::jobs::queue::{JobsError, Queue, RowValue, SeenRow};
use crate::jobs::sqlite::SqliteQueue;
use crate::view::jobs::{Census, Outcome, Phase, Remedy};

#[tokio::test]
async fn a_row_a_worker_moved_after_the_read_is_left_alone() {
    for stamp in STAMPS {
        let mut db = Db::new(&stamp.schema()).await;
        for (id, age) in [(1, 900.0), (2, 800.0), (3, 700.0)] {
            db.insert(id, "claimed", Some(stamp.at(secs(age))), None, None)
                .await;
        }
        let config = db.config();
        let mut queue = SqliteQueue::open(&config).await.expect("open");
        let seen = queue
            .stuck(Phase::Claimed, now(), secs(300.0), 10)
            .await
            .expect("stuck");
        assert_eq!(seen.len(), 3, "{}", stamp.name);
        // Row 1 started; row 2 requeued and claimed again by another worker.
        db.exec("UPDATE jobs SET state = 'processing' WHERE id = 1")
            .await;
        reclaim(&mut db, 2, stamp.at(secs(5.0))).await;
        let changed = queue
            .change(Phase::Claimed, Remedy::Requeue, &seen, "")
            .await
            .expect("change");
        assert_eq!(changed, [2], "{}", stamp.name);
        let states = db.texts("SELECT state FROM jobs ORDER BY id").await;
        assert_eq!(
            states,
            ["processing", "claimed", "pending"],
            "{}",
            stamp.name
        );
    }
}

async fn reclaim(db: &mut Db, id: i64, claimed_at: RowValue) {
    let claimed_at = match claimed_at {
        RowValue::Int(n) => n.to_string(),
        RowValue::Real(x) => format!("{x:?}"),
        RowValue::Text(s) => format!("'{s}'"),
    };
    db.exec(&format!(
        "UPDATE jobs SET claimed_at = {claimed_at} WHERE id = {id}"
    ))
    .await;
}

/// A queue whose table a worker changes between the pass's read and its first write.
struct Meddled {
    queue: SqliteQueue,
    db: Db,
    worker: Option<&'static str>,
}

impl Queue for Meddled {
    async fn lead(&mut self) -> Result<bool, JobsError> {
        self.queue.lead().await
    }

    async fn census(&mut self, now: SystemTime) -> Result<Census, JobsError> {
        self.queue.census(now).await
    }

    async fn stuck(
        &mut self,
        phase: Phase,
        now: SystemTime,
        timeout: Duration,
        limit: u32,
    ) -> Result<Vec<SeenRow>, JobsError> {
        self.queue.stuck(phase, now, timeout, limit).await
    }

    async fn change(
        &mut self,
        phase: Phase,
        remedy: Remedy,
        rows: &[SeenRow],
        reason: &str,
    ) -> Result<Vec<usize>, JobsError> {
        if let Some(sql) = self.worker.take() {
            self.db.exec(sql).await;
        }
        self.queue.change(phase, remedy, rows, reason).await
    }
}

#[tokio::test]
async fn a_pass_reports_the_rows_workers_finished_first_as_raced() {
    let stamp = &STAMPS[1];
    let mut db = Db::new(&stamp.schema()).await;
    db.insert(1, "processing", None, Some(stamp.at(secs(900.0))), Some(1))
        .await;
    db.insert(2, "processing", None, Some(stamp.at(secs(800.0))), Some(1))
        .await;
    let config = db.config();
    let queue = SqliteQueue::open(&config).await.expect("open");
    let worker = "UPDATE jobs SET state = 'completed' WHERE id = 2";
    let mut meddled = Meddled {
        queue,
        db,
        worker: Some(worker),
    };
    let report = run(&mut meddled, &config, true).await;
    let want = vec![
        ("1".to_string(), Remedy::Fail, Outcome::Done),
        ("2".to_string(), Remedy::Fail, Outcome::Raced),
    ];
    assert_eq!(actions(&report), want);
    let rows = meddled
        .db
        .texts("SELECT state || ' ' || quote(last_error) FROM jobs")
        .await;
    let failed = "failed 'processing for more than 10m; failed by lookout'";
    assert_eq!(rows, [failed, "completed NULL"]);
}

#[tokio::test]
async fn two_monitors_on_one_queue_change_a_row_once() {
    let stamp = &STAMPS[5];
    let mut db = Db::new(&stamp.schema()).await;
    db.insert(1, "processing", None, Some(stamp.at(secs(900.0))), Some(1))
        .await;
    let config = db.config();
    let mut first = SqliteQueue::open(&config).await.expect("open");
    let mut second = SqliteQueue::open(&config).await.expect("open");
    let timeout = secs(600.0);
    let seen_first = first.stuck(Phase::Processing, now(), timeout, 10).await;
    let seen_second = second.stuck(Phase::Processing, now(), timeout, 10).await;
    let (seen_first, seen_second) = (seen_first.expect("stuck"), seen_second.expect("stuck"));
    assert_eq!((seen_first.len(), seen_second.len()), (1, 1));
    let retried = first.change(Phase::Processing, Remedy::Retry, &seen_first, "first");
    assert_eq!(retried.await.expect("change"), [0]);
    let failed = second.change(Phase::Processing, Remedy::Fail, &seen_second, "second");
    assert!(failed.await.expect("change").is_empty());
    let rows = db
        .texts("SELECT state || ' ' || last_error FROM jobs")
        .await;
    assert_eq!(rows, ["pending first"]);
}

#[tokio::test]
async fn a_locked_database_fails_within_the_query_timeout_and_the_queue_recovers() {
    let stamp = &STAMPS[0];
    let mut db = Db::new(&stamp.schema()).await;
    db.insert(1, "claimed", Some(stamp.at(secs(900.0))), None, None)
        .await;
    let mut config = db.config();
    config.query_timeout = Duration::from_millis(200);
    let mut queue = SqliteQueue::open(&config).await.expect("open");

    // Another process writes and holds the lock.
    db.exec("BEGIN IMMEDIATE; UPDATE jobs SET attempts = 7")
        .await;
    let started = Instant::now();
    let err = crate::jobs::pass::run(&mut queue, &config, now(), true, 1)
        .await
        .expect_err("the database is locked");
    let took = started.elapsed();
    let timed_out = matches!(err, JobsError::Timeout(_));
    assert!(timed_out || err.to_string().contains("locked"), "{err}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    db.exec("COMMIT").await;

    let report = run(&mut queue, &config, true).await;
    let want = vec![("1".to_string(), Remedy::Requeue, Outcome::Done)];
    assert_eq!(actions(&report), want);
    let rows = db.texts("SELECT state || ' ' || attempts FROM jobs").await;
    assert_eq!(rows, ["pending 7"]);
}
