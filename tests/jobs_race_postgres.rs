//! The job monitor against live workers on PostgreSQL: thousands of jobs, workers on
//! their own connections that claim, start, complete or fail them (each step a
//! compare-and-set) and sometimes die or stall past a timeout, while lookout runs a
//! pass every few milliseconds with tiny timeouts. A trigger records every state change;
//! the record must show that lookout never undid a worker's work and changed exactly
//! the rows its passes reported.

mod jobs_pg_support;

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use jobs_pg_support::{QueueTable, execute, server, url};
use lookout::config::JobsConfig;
use lookout::jobs::postgres::PgQueue;
use lookout::jobs::{Outcome, Queue, Remedy, pass};
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

const JOBS: i64 = 4_000;
const WORKERS: u64 = 8;
/// What a worker writes when a job fails on its own.
const WORKER_ERROR: &str = "worker: the job raised";

/// A small deterministic generator (xorshift64*), one per worker.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Usually a millisecond or two of work; sometimes a stall past `stall`.
    fn pause(&mut self, stall: Duration) -> Duration {
        if self.chance(5) {
            stall + Duration::from_millis(self.next() % 20)
        } else {
            Duration::from_micros(500 + self.next() % 1_500)
        }
    }
}

/// A worker's statements for `table`.
struct Steps {
    claim: String,
    start: String,
    finish: String,
    unfinished: String,
}

impl Steps {
    fn new(table: &str) -> Self {
        Self {
            claim: format!(
                "UPDATE {table} SET state = 'claimed', claimed_at = clock_timestamp(), \
                 attempts = attempts + 1 \
                 WHERE id = (SELECT id FROM {table} WHERE state = 'pending' \
                             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 AND state = 'pending' RETURNING id, claimed_at::text"
            ),
            start: format!(
                "UPDATE {table} SET state = 'processing', started_at = clock_timestamp() \
                 WHERE id = $1 AND state = 'claimed' AND claimed_at = $2::timestamptz \
                 RETURNING started_at::text"
            ),
            finish: format!(
                "UPDATE {table} SET state = $3, last_error = $4 \
                 WHERE id = $1 AND state = 'processing' AND started_at = $2::timestamptz"
            ),
            unfinished: format!(
                "SELECT count(*) FROM {table} WHERE state IN ('pending', 'claimed', 'processing')"
            ),
        }
    }
}

/// Works jobs until none is left unfinished; returns how many it abandoned.
async fn worker(table: String, config: JobsConfig, seed: u64) -> u64 {
    let options = PgConnectOptions::from_str(&url())
        .expect("url")
        .application_name("worker");
    let mut connection = PgConnection::connect_with(&options).await.expect("connect");
    let steps = Steps::new(&table);
    let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut abandoned = 0;
    loop {
        let claimed: Option<(i64, String)> = sqlx::query_as(AssertSqlSafe(steps.claim.as_str()))
            .fetch_optional(&mut connection)
            .await
            .expect("claim");
        let Some((id, claimed_at)) = claimed else {
            let left: i64 = sqlx::query_scalar(AssertSqlSafe(steps.unfinished.as_str()))
                .fetch_one(&mut connection)
                .await
                .expect("count");
            if left == 0 {
                return abandoned;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
            continue;
        };
        if random.chance(3) {
            abandoned += 1; // dies holding a claimed row
            continue;
        }
        tokio::time::sleep(random.pause(config.claimed_timeout)).await;
        let started: Option<String> = sqlx::query_scalar(AssertSqlSafe(steps.start.as_str()))
            .bind(id)
            .bind(claimed_at)
            .fetch_optional(&mut connection)
            .await
            .expect("start");
        let Some(started_at) = started else {
            continue; // lookout put it back: another worker will take it
        };
        if random.chance(3) {
            abandoned += 1; // dies while processing
            continue;
        }
        tokio::time::sleep(random.pause(config.processing_timeout)).await;
        let (state, error) = if random.chance(10) {
            ("failed", Some(WORKER_ERROR))
        } else {
            ("completed", None)
        };
        sqlx::query(AssertSqlSafe(steps.finish.as_str()))
            .bind(id)
            .bind(started_at)
            .bind(state)
            .bind(error)
            .execute(&mut connection)
            .await
            .expect("finish");
    }
}

/// What lookout's passes reported.
#[derive(Default)]
struct Reported {
    passes: u64,
    done: Vec<(i64, Remedy)>,
    raced: u64,
}

/// Runs passes at the real time until `stop`.
async fn monitor(config: JobsConfig, stop: Arc<AtomicBool>) -> Reported {
    let mut queue = PgQueue::open(&config).await.expect("open");
    assert!(queue.lead().await.expect("lead"), "the only lookout leads");
    let mut reported = Reported::default();
    while !stop.load(Ordering::Relaxed) {
        reported.passes += 1;
        let report = pass::run(
            &mut queue,
            &config,
            SystemTime::now(),
            true,
            reported.passes,
        )
        .await
        .expect("pass");
        for action in &report.actions {
            match action.outcome {
                Outcome::Done => {
                    let id = action.row.id.parse().expect("numeric id");
                    reported.done.push((id, action.remedy));
                }
                Outcome::Raced => reported.raced += 1,
                Outcome::Skipped => panic!("a leading pass skipped {action:?}"),
            }
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    reported
}

/// Records every state change of `table` in `<table>_audit`, with who made it.
async fn audit(connection: &mut PgConnection, table: &mut QueueTable) -> String {
    let name = table.name.clone();
    let audit = format!("{name}_audit");
    execute(
        connection,
        &format!(
            "CREATE TABLE {audit} (seq bigserial PRIMARY KEY, job_id bigint, old_state text, \
               new_state text, last_error text, actor text); \
             CREATE FUNCTION {name}_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
               INSERT INTO {audit} (job_id, old_state, new_state, last_error, actor) \
               VALUES (NEW.id, OLD.state, NEW.state, NEW.last_error, \
                       current_setting('application_name')); \
               RETURN NULL; END $$; \
             CREATE TRIGGER {name}_changes AFTER UPDATE ON {name} FOR EACH ROW \
               WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION {name}_log()"
        ),
    )
    .await;
    table.also_drop(format!("DROP TABLE IF EXISTS {audit}"));
    table.also_drop(format!("DROP FUNCTION IF EXISTS {name}_log()"));
    audit
}

type Change = (i64, String, String, Option<String>, String);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookout_never_undoes_a_workers_work() {
    let Some(mut admin) = server().await else {
        return;
    };
    let mut table = QueueTable::create(&mut admin).await;
    table.index(&mut admin).await;
    let audit = audit(&mut admin, &mut table).await;
    let name = table.name.clone();
    execute(
        &mut admin,
        &format!(
            "INSERT INTO {name} (id, state) SELECT n, 'pending' FROM generate_series(1, {JOBS}) n"
        ),
    )
    .await;
    let mut config = table.config();
    config.claimed_timeout = Duration::from_millis(10);
    config.processing_timeout = Duration::from_millis(25);
    config.max_attempts = Some(3);
    config.batch = 20;
    let mut watcher = PgQueue::open(&config).await.expect("open");

    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let lookout = tokio::spawn(monitor(config.clone(), stop.clone()));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        !watcher.lead().await.expect("lead"),
        "a second lookout only watches"
    );
    let workers: Vec<_> = (1..=WORKERS)
        .map(|seed| tokio::spawn(worker(name.clone(), config.clone(), seed)))
        .collect();
    let mut abandoned = 0;
    for worker in workers {
        abandoned += worker.await.expect("worker");
    }
    assert!(!watcher.lead().await.expect("lead"), "still only watching");
    stop.store(true, Ordering::Relaxed);
    let reported = lookout.await.expect("monitor");
    let took = started.elapsed();

    let changes: Vec<Change> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT job_id, old_state, new_state, last_error, actor FROM {audit} ORDER BY seq"
    )))
    .fetch_all(&mut admin)
    .await
    .expect("audit");
    let count = |remedy| reported.done.iter().filter(|(_, r)| *r == remedy).count();
    eprintln!(
        "{JOBS} jobs, {WORKERS} workers, {abandoned} abandoned, {} passes in {took:?}: \
         {} requeued, {} retried, {} failed, {} raced; {} state changes",
        reported.passes,
        count(Remedy::Requeue),
        count(Remedy::Retry),
        count(Remedy::Fail),
        reported.raced,
        changes.len()
    );
    check_changes(&config, &changes, &reported);

    let states: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT state, count(*) FROM {name} GROUP BY state ORDER BY state"
    )))
    .fetch_all(&mut admin)
    .await
    .expect("states");
    let total: i64 = states.iter().map(|(_, n)| n).sum();
    assert_eq!(total, JOBS, "no row lost: {states:?}");
    assert!(
        states
            .iter()
            .all(|(s, _)| s == "completed" || s == "failed"),
        "every job ends completed or failed: {states:?}"
    );
    assert!(count(Remedy::Requeue) > 0, "claimed rows were rescued");
    assert!(
        count(Remedy::Retry) + count(Remedy::Fail) > 0,
        "processing rows were rescued"
    );
}

/// The audit against the passes: nothing left `completed` or `failed`; workers made
/// only their own moves; lookout's changes are exactly the `Done` actions reported.
fn check_changes(config: &JobsConfig, changes: &[Change], reported: &Reported) {
    for (id, old, new, _, actor) in changes {
        assert!(
            old != "completed" && old != "failed",
            "job {id} left {old} for {new} ({actor})"
        );
    }
    let workers_moves: BTreeSet<(&str, &str)> = changes
        .iter()
        .filter(|c| c.4 == "worker")
        .map(|c| (c.1.as_str(), c.2.as_str()))
        .collect();
    let allowed = [
        ("pending", "claimed"),
        ("claimed", "processing"),
        ("processing", "completed"),
        ("processing", "failed"),
    ];
    assert!(
        workers_moves.iter().all(|m| allowed.contains(m)),
        "{workers_moves:?}"
    );

    let mut by_lookout: Vec<(i64, &str, &str, Option<&str>)> = changes
        .iter()
        .filter(|c| c.4 == "lookout")
        .map(|c| (c.0, c.1.as_str(), c.2.as_str(), c.3.as_deref()))
        .collect();
    let retry = pass::reason(Remedy::Retry, config.processing_timeout);
    let fail = pass::reason(Remedy::Fail, config.processing_timeout);
    let mut expected: Vec<(i64, &str, &str, Option<&str>)> = reported
        .done
        .iter()
        .map(|(id, remedy)| match remedy {
            Remedy::Requeue => (*id, "claimed", "pending", None),
            Remedy::Retry => (*id, "processing", "pending", Some(retry.as_str())),
            Remedy::Fail => (*id, "processing", "failed", Some(fail.as_str())),
        })
        .collect();
    // A requeue leaves last_error as it was (a retry's reason, or none): not compared.
    for change in by_lookout.iter_mut().chain(expected.iter_mut()) {
        if change.1 == "claimed" {
            change.3 = None;
        }
    }
    by_lookout.sort();
    expected.sort();
    assert_eq!(
        by_lookout.len(),
        expected.len(),
        "lookout's changes against its reports"
    );
    assert_eq!(by_lookout, expected);
}
