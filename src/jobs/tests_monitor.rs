//! The monitor task over a real SQLite queue: off until toggled, a round at once when
//! turned on or asked, the connection let go when turned off, and a missing database
//! reported with its retry. Pictures are awaited, never slept for.

use std::time::{Duration, SystemTime};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::monitor::Monitor;
use crate::config::{JobsConfig, JobsDatabase};
use crate::event::Event;
use crate::view::jobs::{JobsView, Role};

fn config(path: std::path::PathBuf) -> JobsConfig {
    let mut config = JobsConfig::new(JobsDatabase::Sqlite { path }, "jobs");
    config.interval = Duration::from_secs(3600);
    config
}

async fn queue_with_one_stuck_row(path: &std::path::Path) {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut db = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, claimed_at TEXT,
         started_at TEXT, attempts INTEGER, last_error TEXT);
         INSERT INTO jobs (state, claimed_at, attempts) VALUES
           ('claimed', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour'), 1),
           ('pending', NULL, 0);",
    )
    .execute(&mut db)
    .await
    .unwrap();
}

async fn next(events: &mut mpsc::Receiver<Event>) -> JobsView {
    let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("a picture within 10 s")
        .expect("the monitor runs");
    match event {
        Event::Jobs(view) => *view,
        other => panic!("not a jobs picture: {other:?}"),
    }
}

#[tokio::test]
async fn off_until_toggled_then_a_round_at_once_and_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    queue_with_one_stuck_row(&path).await;
    let cancel = CancellationToken::new();
    let (monitor, mut events) = Monitor::start(&config(path), false, SystemTime::now, &cancel);

    let first = next(&mut events).await;
    assert!(!first.running && first.role.is_none() && first.last_pass.is_none());

    // What a pass would do, asked while off: found, nothing written, still off.
    monitor.preview(7);
    let looked = next(&mut events).await;
    assert!(!looked.running && looked.last_pass.is_none() && looked.totals.passes == 0);
    let preview = looked.preview.as_ref().expect("a preview");
    assert_eq!(preview.sequence, 7);
    let would = preview.outcome.as_ref().expect("a dry run");
    assert_eq!(would.actions.len(), 1);
    assert!(
        would
            .actions
            .iter()
            .all(|a| a.outcome == crate::view::jobs::Outcome::Skipped)
    );
    assert_eq!(
        looked.census.as_ref().map(|c| c.claimed),
        Some(1),
        "the row is still stuck"
    );

    monitor.set_running(true);
    let on = next(&mut events).await;
    assert!(on.running);
    let round = next(&mut events).await;
    assert_eq!(round.role, Some(Role::Rescuer));
    let pass = round.last_pass.as_ref().expect("a pass");
    assert_eq!((pass.sequence, pass.actions.len()), (1, 1));
    assert_eq!(round.totals.requeued, 1);
    assert_eq!(round.census.as_ref().map(|c| c.pending), Some(2));
    assert!(
        round
            .next_pass
            .is_some_and(|at| at > SystemTime::now() + Duration::from_secs(3000))
    );

    monitor.run_now();
    let again = next(&mut events).await;
    let pass = again.last_pass.as_ref().expect("a pass");
    assert_eq!((pass.sequence, pass.actions.len()), (2, 0));
    assert_eq!(again.totals.passes, 2);

    // Asking for what already is changes nothing: the next picture is a round.
    monitor.set_running(true);
    monitor.run_now();
    let third = next(&mut events).await;
    assert!(third.running);
    assert_eq!(third.last_pass.as_ref().map(|p| p.sequence), Some(3));

    monitor.set_running(false);
    let off = next(&mut events).await;
    assert!(!off.running && off.role.is_none() && off.next_pass.is_none());
    assert_eq!(off.totals.requeued, 1, "totals stay");
    monitor.set_running(false);
    monitor.run_now();
    monitor.stop().await;
    assert!(
        events.recv().await.is_none(),
        "no round while off, and none after stop"
    );
}

#[tokio::test]
async fn a_missing_database_is_reported_with_its_next_try() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let (monitor, mut events) = Monitor::start(
        &config(dir.path().join("absent.db")),
        true,
        SystemTime::now,
        &cancel,
    );
    assert!(next(&mut events).await.running);
    let failing = next(&mut events).await;
    let problem = failing.problem.as_ref().expect("a problem");
    assert_eq!(problem.failures, 1);
    assert!(problem.message.contains("absent.db"), "{}", problem.message);
    let wait = problem.retry_at.duration_since(problem.since).unwrap();
    assert_eq!(wait, super::monitor::FIRST_RETRY);
    assert!(failing.last_pass.is_none());
    monitor.stop().await;
}
