//! What keeps the SQLite queue safe next to live workers: the compare-and-set leaves
//! alone a row moved (or claimed again) between the read and the write, two monitors on
//! one queue change a row once, and a locked database fails within the query timeout
//! without leaving the connection unusable.

use std::time::{Duration, Instant, SystemTime};

use super::rescue::{actions, run};
use super::support::{Db, STAMPS, now, secs};
use crate::jobs::model::{Census, Outcome, Phase, Remedy};
use crate::jobs::queue::{JobsError, Queue, RowValue, SeenRow};
use crate::jobs::sqlite::SqliteQueue;

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
