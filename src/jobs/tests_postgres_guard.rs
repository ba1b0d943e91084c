//! What keeps `PgQueue` safe: a row a worker moved between the read and the write is
//! left alone and reported raced; one lookout per table rescues; queries are bounded;
//! no error shows a password.

use std::time::{Duration, SystemTime};

use sqlx::Connection;

use super::support::{
    self, Cleanup, config, create_table, execute, insert, job, now, row, server, stored, unique,
    url,
};
use crate::config::{JobsConfig, JobsDatabase};
use crate::jobs::pass;
use crate::jobs::postgres::PgQueue;
use crate::jobs::queue::{JobsError, Queue, SeenRow};
use crate::view::jobs::{Census, Outcome, Phase, Remedy};

/// A queue that lets a worker run the next of `statements` between each of a pass's
/// reads of stuck rows and its write.
struct WorkerInBetween<'a> {
    queue: PgQueue,
    worker: &'a mut sqlx::PgConnection,
    table: String,
    statements: Vec<&'static str>,
}

impl Queue for WorkerInBetween<'_> {
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
        let rows = self.queue.stuck(phase, now, timeout, limit).await?;
        if !self.statements.is_empty() {
            let statement = self.statements.remove(0).replace("{table}", &self.table);
            execute(self.worker, &statement).await;
        }
        Ok(rows)
    }

    async fn change(
        &mut self,
        phase: Phase,
        remedy: Remedy,
        rows: &[SeenRow],
        reason: &str,
    ) -> Result<Vec<usize>, JobsError> {
        self.queue.change(phase, remedy, rows, reason).await
    }
}

#[tokio::test]
async fn rows_a_worker_moved_after_the_read_are_raced_and_left_alone() {
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
        job("2", "claimed", Some(399), None),
        job("3", "claimed", Some(398), None),
        job("4", "processing", Some(900), Some(700)),
        job("5", "processing", Some(900), Some(699)),
    ];
    insert(&mut admin, &config, &jobs).await;
    // Between the reads and the writes: 1 started, 2 requeued and claimed again (same
    // state, new time), 4 completed. Only 3 and 5 are still as they were seen.
    let mut in_between = WorkerInBetween {
        queue: PgQueue::open(&config).await.expect("open"),
        worker: &mut admin,
        table: config.table.clone(),
        statements: vec![
            "UPDATE {table} SET state = 'processing', started_at = now() WHERE id = 1; \
             UPDATE {table} SET claimed_at = now() WHERE id = 2",
            "UPDATE {table} SET state = 'completed' WHERE id = 4",
        ],
    };
    let report = pass::run(&mut in_between, &config, now(), true, 1)
        .await
        .expect("pass");
    let outcomes: Vec<(&str, Outcome)> = report
        .actions
        .iter()
        .map(|a| (a.row.id.as_str(), a.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("1", Outcome::Raced),
            ("2", Outcome::Raced),
            ("3", Outcome::Done),
            ("4", Outcome::Raced),
            ("5", Outcome::Done),
        ]
    );
    let after = stored(&mut admin, &config).await;
    let states: Vec<&str> = after.iter().map(|r| r.state.as_str()).collect();
    assert_eq!(
        states,
        ["processing", "claimed", "pending", "completed", "failed"]
    );
    assert!(row(&after, "2").last_error.is_none() && row(&after, "4").last_error.is_none());
}

#[tokio::test]
async fn one_lookout_leads_a_table_until_its_session_ends() {
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
    // The same table spelled with its schema takes the same lock.
    let spelled = support::config(&url, &format!("public.{}", config.table));
    let mut first = PgQueue::open(&config).await.expect("open");
    let mut second = PgQueue::open(&spelled).await.expect("open");
    assert!(first.lead().await.expect("lead"));
    assert!(!second.lead().await.expect("lead"));
    assert!(first.lead().await.expect("lead"), "still leading");
    assert!(!second.lead().await.expect("lead"), "still watching");

    drop(first);
    // The server releases the lock when it notices the session closed.
    let mut leads = false;
    for _ in 0..500 {
        leads = second.lead().await.expect("lead");
        if leads {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(leads, "the second takes over once the first is gone");
}

#[tokio::test]
async fn a_query_past_query_timeout_is_a_timeout_and_the_session_recovers() {
    let url = url();
    let Some(mut admin) = server(&url).await else {
        return;
    };
    let mut cleanup = Cleanup::new(&url);
    let mut config = config(&url, &unique("lookout_jobs"));
    config.query_timeout = Duration::from_millis(300);
    create_table(
        &mut admin,
        &config,
        ("bigint", "text", "timestamptz"),
        &mut cleanup,
    )
    .await;
    let mut queue = PgQueue::open(&config).await.expect("open");

    let mut locker = admin.begin().await.expect("begin");
    execute(
        &mut locker,
        &format!("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", config.table),
    )
    .await;
    let error = queue.census(now()).await.expect_err("blocked");
    assert_eq!(error, JobsError::Timeout(Duration::from_millis(300)));
    locker.rollback().await.expect("rollback");
    queue.census(now()).await.expect("usable again");
}

#[tokio::test]
async fn a_server_that_never_answers_is_given_up_on() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("port").port();
    let held = tokio::spawn(async move {
        let mut sockets = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            sockets.push(socket);
        }
    });
    let mut config = unreachable(&format!("127.0.0.1:{port}"));
    config.query_timeout = Duration::from_millis(100);
    let error = PgQueue::open(&config).await.err().expect("no answer");
    let message = error.to_string();
    assert!(message.contains("no answer within"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
    held.abort();
}

#[tokio::test]
async fn a_refused_connection_names_the_database_without_its_password() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("port").port()
    };
    let error = PgQueue::open(&unreachable(&format!("127.0.0.1:{port}")))
        .await
        .err()
        .expect("refused");
    let message = error.to_string();
    assert!(matches!(error, JobsError::Connect { .. }), "{message}");
    assert!(message.contains("lookout:***@127.0.0.1"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}

fn unreachable(address: &str) -> JobsConfig {
    let url = format!("postgres://lookout:s3cret@{address}/test");
    JobsConfig::new(JobsDatabase::Postgres { url }, "jobs")
}
