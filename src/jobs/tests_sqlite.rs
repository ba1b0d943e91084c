//! `SqliteQueue` on real database files in temporary directories, with `now` injected:
//! the search for stuck rows in every timestamp form and the census here;
//! `tests_sqlite_rescue.rs` runs whole passes (remedies, dry run, batches, renamed
//! names), `tests_sqlite_guard.rs` tests the compare-and-set, two monitors and a locked
//! database, `tests_sqlite_schema.rs` opening and schema errors.

#[path = "tests_sqlite_guard.rs"]
mod guard;
#[path = "tests_sqlite_rescue.rs"]
mod rescue;
#[path = "tests_sqlite_schema.rs"]
mod schema;
#[path = "tests_sqlite_support.rs"]
mod support;

use super::queue::{Queue, RowValue};
use super::sqlite::SqliteQueue;
use crate::config::TimestampFormat;
use crate::view::jobs::Phase;
use support::{Db, STAMPS, now, secs};

#[tokio::test]
async fn stuck_rows_are_found_oldest_first_in_every_timestamp_form() {
    for stamp in STAMPS {
        let mut db = Db::new(&stamp.schema()).await;
        let claimed = [
            (1, Some(secs(10.0))),
            (2, Some(secs(60.0))), // exactly at the timeout: not older than it
            (3, Some(secs(61.0))),
            (4, Some(secs(3600.0))),
            (5, None), // no timestamp: never stuck
        ];
        for (id, age) in claimed {
            db.insert(id, "claimed", age.map(|a| stamp.at(a)), None, Some(id))
                .await;
        }
        if stamp.fractional {
            db.insert(7, "claimed", Some(stamp.at(secs(60.25))), None, None)
                .await;
        }
        db.insert(6, "processing", Some(stamp.at(secs(7200.0))), None, None)
            .await;
        let mut queue = SqliteQueue::open(&db.config()).await.expect("open");
        let want_format = if stamp.epoch {
            TimestampFormat::EpochSeconds
        } else {
            TimestampFormat::Iso8601
        };
        assert_eq!(queue.timestamps(), want_format, "{}", stamp.name);

        let rows = queue
            .stuck(Phase::Claimed, now(), secs(60.0), 10)
            .await
            .expect("stuck");
        let mut want = vec![
            (RowValue::Int(4), secs(3600.0), Some(4)),
            (RowValue::Int(3), secs(61.0), Some(3)),
        ];
        if stamp.fractional {
            want.push((RowValue::Int(7), secs(60.25), None));
        }
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.id.clone(), r.age, r.attempts))
            .collect();
        assert_eq!(got, want, "{}", stamp.name);
        assert_eq!(rows[0].seen, stamp.at(secs(3600.0)), "{}", stamp.name);

        let limited = queue
            .stuck(Phase::Claimed, now(), secs(60.0), 1)
            .await
            .expect("stuck");
        assert_eq!(limited.len(), 1, "{}", stamp.name);
        assert_eq!(limited[0].id, RowValue::Int(4), "{}", stamp.name);
    }
}

#[tokio::test]
async fn processing_rows_are_timed_from_started_at() {
    let mut db = Db::new(&STAMPS[0].schema()).await;
    let stamp = &STAMPS[0];
    // Claimed long ago, started recently: not stuck; started long ago: stuck.
    db.insert(
        1,
        "processing",
        Some(stamp.at(secs(9000.0))),
        Some(stamp.at(secs(5.0))),
        None,
    )
    .await;
    db.insert(
        2,
        "processing",
        Some(stamp.at(secs(9000.0))),
        Some(stamp.at(secs(700.0))),
        None,
    )
    .await;
    db.insert(3, "processing", Some(stamp.at(secs(9000.0))), None, None)
        .await;
    let mut queue = SqliteQueue::open(&db.config()).await.expect("open");
    let rows = queue
        .stuck(Phase::Processing, now(), secs(600.0), 10)
        .await
        .expect("stuck");
    let ids: Vec<_> = rows.iter().map(|r| (r.id.clone(), r.age)).collect();
    assert_eq!(ids, [(RowValue::Int(2), secs(700.0))]);
}

#[tokio::test]
async fn text_that_is_no_date_is_never_stuck() {
    let mut db = Db::new(&STAMPS[0].schema()).await;
    db.insert(
        1,
        "claimed",
        Some(RowValue::Text("yesterday".into())),
        None,
        None,
    )
    .await;
    let mut queue = SqliteQueue::open(&db.config()).await.expect("open");
    let rows = queue
        .stuck(Phase::Claimed, now(), secs(1.0), 10)
        .await
        .expect("stuck");
    assert!(rows.is_empty(), "{rows:?}");
}

#[tokio::test]
async fn the_census_counts_every_state_and_ages_the_oldest() {
    for stamp in STAMPS {
        let mut db = Db::new(&stamp.schema()).await;
        let rows: &[(i64, &str, Option<f64>, Option<f64>)] = &[
            (1, "pending", None, None),
            (2, "pending", None, None),
            (3, "claimed", Some(30.0), None),
            (4, "claimed", Some(90.0), None),
            (5, "claimed", None, None),
            (6, "processing", Some(900.0), Some(400.0)),
            (7, "processing", Some(900.0), Some(100.0)),
            (8, "completed", Some(9000.0), Some(9000.0)),
            (9, "failed", Some(9000.0), Some(9000.0)),
            (10, "paused", Some(9000.0), None),
        ];
        for (id, state, claimed, started) in rows {
            let at = |age: &Option<f64>| age.map(|a| stamp.at(secs(a)));
            db.insert(*id, state, at(claimed), at(started), None).await;
        }
        db.exec("INSERT INTO jobs (id, state) VALUES (11, NULL)")
            .await;
        let mut queue = SqliteQueue::open(&db.config()).await.expect("open");
        let census = queue.census(now()).await.expect("census");
        let counts = (
            census.pending,
            census.claimed,
            census.processing,
            census.completed,
            census.failed,
            census.other,
        );
        assert_eq!(counts, (2, 3, 2, 1, 1, 2), "{}", stamp.name);
        assert_eq!(census.oldest_claimed, Some(secs(90.0)), "{}", stamp.name);
        assert_eq!(
            census.oldest_processing,
            Some(secs(400.0)),
            "{}",
            stamp.name
        );
    }
}

#[tokio::test]
async fn an_empty_queue_has_no_oldest_rows() {
    let db = Db::new(&STAMPS[0].schema()).await;
    let mut queue = SqliteQueue::open(&db.config()).await.expect("open");
    let census = queue.census(now()).await.expect("census");
    assert_eq!(census.pending + census.claimed + census.other, 0);
    assert_eq!(
        (census.oldest_claimed, census.oldest_processing),
        (None, None)
    );
}

#[tokio::test]
async fn the_recommended_indexes_serve_the_search_for_stuck_rows() {
    let cases = [
        ("INTEGER", "claimed_at", "started_at"),
        ("TEXT", "julianday(claimed_at)", "julianday(started_at)"),
    ];
    for (declared, claimed_key, started_key) in cases {
        let mut db = Db::new(&support::schema(declared)).await;
        db.exec(&format!(
            "CREATE INDEX jobs_claimed ON jobs (state, {claimed_key});
             CREATE INDEX jobs_started ON jobs (state, {started_key});"
        ))
        .await;
        let queue = SqliteQueue::open(&db.config()).await.expect("open");
        for (phase, index) in [
            (Phase::Claimed, "jobs_claimed"),
            (Phase::Processing, "jobs_started"),
        ] {
            let plan = db.plan(&queue.stuck_statement(phase)).await;
            assert!(
                plan.contains(&format!("USING INDEX {index}")),
                "{declared}: {plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{declared}: {plan}");
        }
    }
}
