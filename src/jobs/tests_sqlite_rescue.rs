//! Whole passes over a SQLite queue: each remedy and exactly what it writes, dry runs,
//! batches, renamed states and columns.

use super::support::{Db, STAMPS, now, secs};
use crate::config::{JobColumns, JobStates, JobsConfig};
use crate::jobs::pass;
use crate::jobs::queue::Queue;
use crate::jobs::sqlite::SqliteQueue;
use crate::view::jobs::{Outcome, PassReport, Remedy};

pub(super) async fn run(queue: &mut impl Queue, config: &JobsConfig, write: bool) -> PassReport {
    pass::run(queue, config, now(), write, 1)
        .await
        .expect("pass")
}

/// `(id, remedy, outcome)` of each action, in order.
pub(super) fn actions(report: &PassReport) -> Vec<(String, Remedy, Outcome)> {
    report
        .actions
        .iter()
        .map(|a| (a.row.id.clone(), a.remedy, a.outcome))
        .collect()
}

#[tokio::test]
async fn a_requeue_changes_the_state_and_nothing_else() {
    for stamp in STAMPS {
        let mut db = Db::new(&stamp.schema()).await;
        db.insert(1, "claimed", Some(stamp.at(secs(400.0))), None, Some(2))
            .await;
        db.insert(2, "claimed", Some(stamp.at(secs(100.0))), None, Some(1))
            .await;
        db.insert(3, "pending", None, None, None).await;
        db.exec("UPDATE jobs SET last_error = 'earlier failure' WHERE id = 1")
            .await;
        let before = db.rows().await;
        let config = db.config();
        let mut queue = SqliteQueue::open(&config).await.expect("open");

        let report = run(&mut queue, &config, true).await;
        let want = vec![("1".to_string(), Remedy::Requeue, Outcome::Done)];
        assert_eq!(actions(&report), want, "{}", stamp.name);
        assert_eq!(report.actions[0].row.age, secs(400.0), "{}", stamp.name);
        assert_eq!(report.actions[0].row.attempts, Some(2), "{}", stamp.name);
        assert!(!report.more && !report.dry_run);

        let mut want = before;
        want[0] = want[0].replace("'claimed'", "'pending'");
        assert_eq!(db.rows().await, want, "{}", stamp.name);
    }
}

/// The state and `last_error` of each of five rows after a pass.
type Written = [(&'static str, &'static str); 5];

#[tokio::test]
async fn processing_rows_retry_below_max_attempts_and_fail_from_it() {
    let retry = "processing for more than 10m; retried by lookout";
    let fail = "processing for more than 10m; failed by lookout";
    let cases: &[(Option<u32>, Written)] = &[
        (
            Some(3),
            [
                ("pending", retry),
                ("pending", retry),
                ("failed", fail),
                ("failed", fail),
                ("pending", retry),
            ],
        ),
        (None, [("failed", fail); 5]),
    ];
    let stamp = &STAMPS[5];
    for (max_attempts, want) in cases {
        let mut db = Db::new(&stamp.schema()).await;
        let attempts = [Some(0), Some(2), Some(3), Some(5), None];
        for (id, tries) in (1..).zip(attempts) {
            let (claimed, started) = (stamp.at(secs(800.0)), stamp.at(secs(700.0)));
            db.insert(id, "processing", Some(claimed), Some(started), tries)
                .await;
        }
        db.insert(6, "processing", None, Some(stamp.at(secs(100.0))), Some(0))
            .await;
        let before = db.rows().await;
        let mut config = db.config();
        config.max_attempts = *max_attempts;
        let mut queue = SqliteQueue::open(&config).await.expect("open");
        let report = run(&mut queue, &config, true).await;
        assert_eq!(report.actions.len(), 5, "{max_attempts:?}");
        assert!(report.actions.iter().all(|a| a.outcome == Outcome::Done));

        let mut expected = before.clone();
        for (row, (state, reason)) in expected.iter_mut().zip(want) {
            let mut fields: Vec<String> = row.split('|').map(str::to_string).collect();
            fields[1] = format!("'{state}'");
            fields[5] = format!("'{reason}'");
            *row = fields.join("|");
        }
        assert_eq!(db.rows().await, expected, "{max_attempts:?}");
    }
}

#[tokio::test]
async fn a_dry_run_reports_and_changes_nothing() {
    let stamp = &STAMPS[0];
    let mut db = Db::new(&stamp.schema()).await;
    db.insert(1, "claimed", Some(stamp.at(secs(400.0))), None, None)
        .await;
    db.insert(2, "processing", None, Some(stamp.at(secs(4000.0))), None)
        .await;
    let before = db.rows().await;
    let config = db.config();
    let mut queue = SqliteQueue::open(&config).await.expect("open");
    let report = run(&mut queue, &config, false).await;
    let want = vec![
        ("1".to_string(), Remedy::Requeue, Outcome::Skipped),
        ("2".to_string(), Remedy::Fail, Outcome::Skipped),
    ];
    assert_eq!(actions(&report), want);
    assert!(report.dry_run);
    assert_eq!(db.rows().await, before);
}

#[tokio::test]
async fn a_backlog_is_rescued_oldest_first_in_bounded_batches() {
    let stamp = &STAMPS[6];
    let mut db = Db::new(&stamp.schema()).await;
    for id in 1..=25 {
        let age = secs(1000.0 + id as f64);
        db.insert(id, "claimed", Some(stamp.at(age)), None, None)
            .await;
    }
    let mut config = db.config();
    config.batch = 2;
    let mut queue = SqliteQueue::open(&config).await.expect("open");

    let first = run(&mut queue, &config, true).await;
    let ids: Vec<String> = first.actions.iter().map(|a| a.row.id.clone()).collect();
    let oldest: Vec<String> = (6..=25).rev().map(|id: i64| id.to_string()).collect();
    assert_eq!(ids, oldest);
    assert_eq!(first.count(Remedy::Requeue), 20);
    assert!(first.more);

    let second = run(&mut queue, &config, true).await;
    assert_eq!(second.count(Remedy::Requeue), 5);
    assert!(!second.more);
    let census = queue.census(now()).await.expect("census");
    assert_eq!((census.pending, census.claimed), (25, 0));
    assert!(run(&mut queue, &config, true).await.actions.is_empty());
}

#[tokio::test]
async fn renamed_states_and_columns_are_used_throughout() {
    let mut db = Db::new(
        "CREATE TABLE work_items (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, \
         taken_at INTEGER, begun_at INTEGER, tries INTEGER NOT NULL DEFAULT 0, error_text TEXT);
         INSERT INTO work_items VALUES
            ('job-a', 'taken', 1699999000, NULL, 0, NULL),
            ('job-b', 'running', 1699998000, 1699998500, 1, NULL),
            ('job-c', 'done', 1699990000, 1699990001, 1, NULL),
            ('job-d', 'pending', NULL, NULL, 0, NULL);",
    )
    .await;
    let mut config = db.config_for("work_items");
    config.columns = JobColumns {
        id: "job_id".into(),
        state: "status".into(),
        claimed_at: "taken_at".into(),
        started_at: "begun_at".into(),
        attempts: "tries".into(),
        last_error: "error_text".into(),
    };
    config.states = JobStates {
        pending: "queued".into(),
        claimed: "taken".into(),
        processing: "running".into(),
        completed: "done".into(),
        failed: "dead".into(),
    };
    let mut queue = SqliteQueue::open(&config).await.expect("open");
    let report = run(&mut queue, &config, true).await;
    let want = vec![
        ("job-a".to_string(), Remedy::Requeue, Outcome::Done),
        ("job-b".to_string(), Remedy::Fail, Outcome::Done),
    ];
    assert_eq!(actions(&report), want);
    let census = queue.census(now()).await.expect("census");
    let counts = (
        census.pending,
        census.failed,
        census.completed,
        census.other,
    );
    assert_eq!(counts, (1, 1, 1, 1));
    let rows = db
        .texts("SELECT job_id || ' ' || status || ' ' || quote(error_text) FROM work_items")
        .await;
    assert_eq!(
        rows,
        [
            "job-a queued NULL",
            "job-b dead 'processing for more than 10m; failed by lookout'",
            "job-c done NULL",
            "job-d pending NULL",
        ]
    );
}
