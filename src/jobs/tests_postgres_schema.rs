//! `PgQueue` and the table's shape: the census and the order stuck rows are read in,
//! an enum state column, claim and start sharing one timestamp column, and tables that
//! do not fit the config refused with a message that says why.

use std::time::Duration;

use super::support::{
    self, Cleanup, config, create_table, execute, insert, job, now, server, unique, url,
};
use super::{done, rescue};
use crate::config::JobsConfig;
use crate::jobs::postgres::PgQueue;
use crate::jobs::queue::{JobsError, Queue};
use crate::view::jobs::{Census, Phase, Remedy};

#[tokio::test]
async fn the_census_counts_every_state_and_the_oldest_ages() {
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
    let mut queue = PgQueue::open(&config).await.expect("open");
    let empty = queue.census(now()).await.expect("census");
    assert_eq!(
        Census {
            took: empty.took,
            ..Census::default()
        },
        empty
    );

    let jobs = [
        job("1", "pending", None, None),
        job("2", "pending", None, None),
        job("3", "claimed", Some(40), None),
        job("4", "claimed", Some(75), None),
        job("5", "processing", Some(900), Some(120)),
        job("6", "completed", Some(900), Some(800)),
        job("7", "failed", Some(900), Some(800)),
        job("8", "archived", None, None),
    ];
    insert(&mut admin, &config, &jobs).await;
    let census = queue.census(now()).await.expect("census");
    let counts = [
        census.pending,
        census.claimed,
        census.processing,
        census.completed,
        census.failed,
        census.other,
    ];
    assert_eq!(counts, [2, 2, 1, 1, 1, 1]);
    assert_eq!(census.oldest_claimed, Some(Duration::from_secs(75)));
    assert_eq!(census.oldest_processing, Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn stuck_reads_oldest_first_up_to_the_limit() {
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
    let jobs: Vec<_> = (1..=5)
        .map(|n| job(&n.to_string(), "claimed", Some(1_000 + n), None))
        .collect();
    insert(&mut admin, &config, &jobs).await;
    let mut queue = PgQueue::open(&config).await.expect("open");
    let rows = queue
        .stuck(Phase::Claimed, now(), config.claimed_timeout, 3)
        .await
        .expect("stuck");
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, ["5", "4", "3"]);
    assert_eq!(
        queue.change(Phase::Claimed, Remedy::Requeue, &[], "").await,
        Ok(vec![])
    );
}

#[tokio::test]
async fn an_enum_state_column() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let state_type = unique("lookout_state");
    let config = config(&url, &unique("lookout_jobs"));
    support::execute(
        &mut admin,
        &format!(
            "CREATE TYPE {state_type} AS ENUM \
             ('pending', 'claimed', 'processing', 'completed', 'failed')"
        ),
    )
    .await;
    create_table(
        &mut admin,
        &config,
        ("bigint", &state_type, "timestamptz"),
        &mut cleanup,
    )
    .await;
    cleanup.then(format!("DROP TYPE IF EXISTS {state_type}"));
    insert(&mut admin, &config, &[job("1", "claimed", Some(400), None)]).await;
    let mut queue = PgQueue::open(&config).await.expect("open");
    let report = rescue(&mut queue, &config).await;
    assert_eq!(done(&report, Remedy::Requeue), ["1"]);
    assert_eq!(queue.census(now()).await.expect("census").pending, 1);

    let mut wrong = config.clone();
    wrong.states.failed = "broken".into();
    let error = PgQueue::open(&wrong)
        .await
        .err()
        .expect("a state the enum lacks");
    let message = error.to_string();
    assert!(
        message.contains("[jobs.states]") && message.contains("broken"),
        "{message}"
    );
}

#[tokio::test]
async fn claim_and_start_may_share_one_timestamp_column() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let mut config = config(&url, &unique("lookout_jobs"));
    config.columns.claimed_at = "updated_at".into();
    config.columns.started_at = "updated_at".into();
    let table = config.table.clone();
    let at = humantime::format_rfc3339_micros(now());
    execute(
        &mut admin,
        &format!(
            "CREATE TABLE {table} (id bigint PRIMARY KEY, state text, updated_at timestamptz, \
               attempts integer, last_error text); \
             INSERT INTO {table} VALUES \
               (1, 'claimed', '{at}'::timestamptz - interval '400 seconds', 1, NULL), \
               (2, 'processing', '{at}'::timestamptz - interval '700 seconds', 1, NULL), \
               (3, 'processing', '{at}'::timestamptz - interval '400 seconds', 1, NULL)"
        ),
    )
    .await;
    cleanup.then(format!("DROP TABLE IF EXISTS {table}"));
    let mut queue = PgQueue::open(&config).await.expect("open");
    let report = rescue(&mut queue, &config).await;
    assert_eq!(done(&report, Remedy::Requeue), ["1"]);
    assert_eq!(done(&report, Remedy::Fail), ["2"]);
    assert_eq!(report.actions.len(), 2, "{report:?}");
}

/// Opens `config` expecting a schema error, and returns its message.
async fn schema_error(config: &JobsConfig) -> String {
    match PgQueue::open(config).await {
        Err(JobsError::Schema(message)) => message,
        Err(other) => panic!("not a schema error: {other}"),
        Ok(_) => panic!("{} opened", config.table),
    }
}

#[tokio::test]
async fn tables_that_do_not_fit_are_refused_with_the_reason() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let missing = config(&url, &unique("lookout_none"));
    let message = schema_error(&missing).await;
    assert!(
        message.contains(&format!("\"{}\" does not exist", missing.table)),
        "{message}"
    );

    let few = config(&url, &unique("lookout_few"));
    execute(
        &mut admin,
        &format!("CREATE TABLE {} (id bigint, state text, claimed_at timestamptz, created_at timestamptz)", few.table),
    )
    .await;
    cleanup.then(format!("DROP TABLE IF EXISTS {}", few.table));
    let message = schema_error(&few).await;
    assert!(
        message.contains("\"started_at\" (columns.started_at), \"attempts\" (columns.attempts), \"last_error\" (columns.last_error)")
            && message.contains("its columns are: id, state, claimed_at, created_at"),
        "{message}"
    );

    let epoch = config(&url, &unique("lookout_epoch"));
    create_table(
        &mut admin,
        &epoch,
        ("bigint", "text", "bigint"),
        &mut cleanup,
    )
    .await;
    let message = schema_error(&epoch).await;
    assert!(
        message.contains("\"claimed_at\"")
            && message.contains("is bigint")
            && message.contains("timestamp with time zone")
            && message.contains("timestamp without time zone"),
        "{message}"
    );

    let wordy = config(&url, &unique("lookout_wordy"));
    create_table(
        &mut admin,
        &wordy,
        ("bigint", "text", "timestamptz"),
        &mut cleanup,
    )
    .await;
    execute(
        &mut admin,
        &format!("ALTER TABLE {} ALTER attempts TYPE text", wordy.table),
    )
    .await;
    let message = schema_error(&wordy).await;
    assert!(
        message.contains("\"attempts\"") && message.contains("smallint, integer, bigint"),
        "{message}"
    );
}
