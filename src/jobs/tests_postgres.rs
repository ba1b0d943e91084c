//! `PgQueue` against a real PostgreSQL: passes over tables of every supported shape
//! (timestamptz and timestamp, bigint, text and uuid ids, renamed columns and states,
//! `schema.table`), with `now` injected. `tests_postgres_guard.rs` holds the tests of
//! what keeps it safe (compare-and-set, the advisory lock, timeouts, no password in an
//! error), `tests_postgres_schema.rs` those of the table's shape and the census.

#[path = "tests_postgres_guard.rs"]
mod guard;
#[path = "tests_postgres_schema.rs"]
mod schema;
#[path = "tests_postgres_support.rs"]
mod support;

use std::time::Duration;

use super::pass;
use super::postgres::{PgQueue, lock_key};
use super::queue::Queue;
use crate::config::JobsConfig;
use crate::view::jobs::{Outcome, PassReport, Remedy};
use support::{Cleanup, config, create_table, insert, job, now, row, server, stored, unique, url};

/// The ids a pass changed with `remedy`.
fn done(report: &PassReport, remedy: Remedy) -> Vec<String> {
    let mut ids: Vec<String> = report
        .actions
        .iter()
        .filter(|a| a.remedy == remedy && a.outcome == Outcome::Done)
        .map(|a| a.row.id.clone())
        .collect();
    ids.sort();
    ids
}

/// One writing pass at [`now`].
async fn rescue(queue: &mut PgQueue, config: &JobsConfig) -> PassReport {
    pass::run(queue, config, now(), true, 1)
        .await
        .expect("pass")
}

#[test]
fn the_lock_key_is_fnv1a_of_the_table_and_never_changes() {
    // Changing these would let two lookout versions rescue one table at once.
    assert_eq!(lock_key("public.jobs"), -1_402_442_792_060_804_025);
    assert_eq!(lock_key("queue.jobs"), -4_547_421_805_658_822_263);
}

/// The same scenario for each shape: the boundary row (exactly at the timeout) and
/// fresh rows stay; one claimed row is requeued and one processing row failed.
async fn stuck_rows_are_rescued(url: &str, types: (&str, &str, &str), ids: [&str; 7]) {
    let Some(mut admin) = server(url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(url);
    let config = config(url, &unique("lookout_jobs"));
    create_table(&mut admin, &config, types, &mut cleanup).await;
    let [pending, requeue, boundary, fail, fresh, completed, failed] = ids;
    insert(
        &mut admin,
        &config,
        &[
            job(pending, "pending", None, None),
            job(requeue, "claimed", Some(301), None),
            job(boundary, "claimed", Some(300), None),
            job(fail, "processing", Some(900), Some(601)),
            job(fresh, "processing", Some(20), Some(10)),
            job(completed, "completed", Some(9_999), Some(9_000)),
            job(failed, "failed", Some(9_999), Some(9_000)),
        ],
    )
    .await;
    let before = stored(&mut admin, &config).await;
    let mut queue = PgQueue::open(&config).await.expect("open");

    let report = rescue(&mut queue, &config).await;
    assert_eq!(done(&report, Remedy::Requeue), [requeue]);
    assert_eq!(done(&report, Remedy::Fail), [fail]);
    assert_eq!(report.actions.len(), 2, "{report:?}");
    let ages: Vec<Duration> = report.actions.iter().map(|a| a.row.age).collect();
    assert_eq!(ages, [Duration::from_secs(301), Duration::from_secs(601)]);

    let after = stored(&mut admin, &config).await;
    let was = |id| row(&before, id).clone();
    let requeued = row(&after, requeue);
    assert_eq!(requeued.state, "pending");
    if types.2 == "timestamp" {
        // lookout's session runs in UTC: a `timestamp` column holds UTC wall-clock times.
        assert_eq!(
            requeued.claimed_at.as_deref(),
            Some("2023-11-14 22:08:19.123456")
        );
    }
    assert_eq!(requeued.last_error, None);
    assert_eq!(requeued.claimed_at, was(requeue).claimed_at);
    assert_eq!(requeued.attempts, Some(1));
    let failed_now = row(&after, fail);
    assert_eq!(failed_now.state, "failed");
    assert_eq!(
        failed_now.last_error.as_deref(),
        Some(pass::reason(Remedy::Fail, config.processing_timeout).as_str())
    );
    assert_eq!(failed_now.attempts, Some(1));
    for id in [pending, boundary, fresh, completed, failed] {
        assert_eq!(row(&after, id), &was(id), "{id} untouched");
    }
    let again = rescue(&mut queue, &config).await;
    assert!(again.actions.is_empty(), "{again:?}");
}

#[tokio::test]
async fn timestamptz_columns_and_bigint_ids() {
    let ids = ["1", "2", "3", "4", "5", "6", "7"];
    stuck_rows_are_rescued(&url(), ("bigint", "text", "timestamptz"), ids).await;
}

#[tokio::test]
async fn timestamp_columns_hold_utc_and_text_ids() {
    let ids = ["a", "b", "c", "d", "e", "f", "g"];
    stuck_rows_are_rescued(&url(), ("text", "varchar(20)", "timestamp"), ids).await;
}

#[tokio::test]
async fn uuid_ids() {
    let ids = [
        "00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000003",
        "00000000-0000-4000-8000-000000000004",
        "00000000-0000-4000-8000-000000000005",
        "00000000-0000-4000-8000-000000000006",
        "00000000-0000-4000-8000-000000000007",
    ];
    stuck_rows_are_rescued(&url(), ("uuid", "text", "timestamptz"), ids).await;
}

#[tokio::test]
async fn renamed_columns_and_states_in_a_schema() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let schema = unique("lookout_schema");
    support::execute(&mut admin, &format!("CREATE SCHEMA \"{schema}\"")).await;
    cleanup.then(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
    let mut config = config(&url, &format!("{schema}.tasks"));
    let c = &mut config.columns;
    (c.id, c.state, c.claimed_at) = ("job_id".into(), "status".into(), "taken_at".into());
    (c.started_at, c.attempts, c.last_error) = ("begun_at".into(), "tries".into(), "error".into());
    let s = &mut config.states;
    (s.pending, s.claimed, s.processing) = ("new".into(), "taken".into(), "running".into());
    (s.completed, s.failed) = ("done".into(), "dead".into());
    config.max_attempts = Some(2);
    create_table(
        &mut admin,
        &config,
        ("bigint", "text", "timestamptz"),
        &mut cleanup,
    )
    .await;
    let mut retried = job("3", "running", Some(900), Some(700));
    retried.attempts = Some(1);
    let mut dead = job("4", "running", Some(900), Some(700));
    dead.attempts = Some(2);
    let jobs = [
        job("1", "new", None, None),
        job("2", "taken", Some(400), None),
        retried,
        dead,
        job("5", "done", Some(900), Some(800)),
    ];
    insert(&mut admin, &config, &jobs).await;
    let mut queue = PgQueue::open(&config).await.expect("open");

    let report = rescue(&mut queue, &config).await;
    assert_eq!(done(&report, Remedy::Requeue), ["2"]);
    assert_eq!(done(&report, Remedy::Retry), ["3"]);
    assert_eq!(done(&report, Remedy::Fail), ["4"]);
    let after = stored(&mut admin, &config).await;
    let states: Vec<&str> = after.iter().map(|r| r.state.as_str()).collect();
    assert_eq!(states, ["new", "new", "new", "dead", "done"]);
    let census = queue.census(now()).await.expect("census");
    assert_eq!((census.pending, census.failed, census.completed), (3, 1, 1));
}

#[tokio::test]
async fn retry_below_max_attempts_fail_at_it_attempts_untouched() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let mut config = config(&url, &unique("lookout_jobs"));
    config.max_attempts = Some(3);
    create_table(
        &mut admin,
        &config,
        ("bigint", "text", "timestamptz"),
        &mut cleanup,
    )
    .await;
    let processing = |id: &str, attempts: Option<i64>| {
        let mut stuck = job(id, "processing", Some(900), Some(700));
        stuck.attempts = attempts;
        stuck
    };
    let mut claimed = job("6", "claimed", Some(400), None);
    claimed.attempts = Some(9);
    let jobs = [
        processing("1", Some(0)),
        processing("2", Some(2)),
        processing("3", Some(3)),
        processing("4", Some(5)),
        processing("5", None),
        claimed,
    ];
    insert(&mut admin, &config, &jobs).await;
    let mut queue = PgQueue::open(&config).await.expect("open");

    let report = rescue(&mut queue, &config).await;
    assert_eq!(done(&report, Remedy::Retry), ["1", "2", "5"]);
    assert_eq!(done(&report, Remedy::Fail), ["3", "4"]);
    assert_eq!(done(&report, Remedy::Requeue), ["6"]);
    let after = stored(&mut admin, &config).await;
    let retry = pass::reason(Remedy::Retry, config.processing_timeout);
    let fail = pass::reason(Remedy::Fail, config.processing_timeout);
    let seen: Vec<(&str, Option<&str>, Option<i64>)> = after
        .iter()
        .map(|r| (r.state.as_str(), r.last_error.as_deref(), r.attempts))
        .collect();
    assert_eq!(
        seen,
        [
            ("pending", Some(retry.as_str()), Some(0)),
            ("pending", Some(retry.as_str()), Some(2)),
            ("failed", Some(fail.as_str()), Some(3)),
            ("failed", Some(fail.as_str()), Some(5)),
            ("pending", Some(retry.as_str()), None),
            ("pending", None, Some(9)),
        ]
    );
}

#[tokio::test]
async fn a_dry_run_changes_nothing() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let config = config(&url, &unique("lookout_jobs"));
    create_table(
        &mut admin,
        &config,
        ("bigint", "text", "timestamptz"),
        &mut cleanup,
    )
    .await;
    let jobs = [
        job("1", "claimed", Some(400), None),
        job("2", "processing", Some(900), Some(700)),
    ];
    insert(&mut admin, &config, &jobs).await;
    let before = stored(&mut admin, &config).await;
    let mut queue = PgQueue::open(&config).await.expect("open");

    let report = pass::run(&mut queue, &config, now(), false, 1)
        .await
        .expect("pass");
    assert!(report.dry_run);
    let outcomes: Vec<Outcome> = report.actions.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes, [Outcome::Skipped, Outcome::Skipped]);
    assert_eq!(stored(&mut admin, &config).await, before);
}
