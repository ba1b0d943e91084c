//! The job monitor against live workers on PostgreSQL: thousands of jobs, workers on
//! their own connections that claim, start, complete or fail them (each step a
//! compare-and-set) and sometimes die or stall past a timeout, while lookout runs a
//! pass every few milliseconds with tiny timeouts. A trigger records every state change;
//! the record must show that lookout never undid a worker's work and changed exactly
//! the rows its passes reported.

mod jobs_pg_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use jobs_pg_support::worker::{WORKER_ERROR, worker};
use jobs_pg_support::{QueueTable, execute, server};
use lookout::config::JobsConfig;
use lookout::jobs::postgres::PgQueue;
use lookout::jobs::{Queue, pass};
use lookout::view::jobs::{Outcome, Remedy};
use sqlx::{AssertSqlSafe, PgConnection};

const JOBS: i64 = 4_000;
const WORKERS: u64 = 8;

/// What lookout's passes reported.
#[derive(Default)]
struct Reported {
    passes: u64,
    done: Vec<(i64, Remedy)>,
    raced: u64,
}

/// Runs passes at the real time until `stop`; says on `leading` once it leads.
async fn monitor(
    config: JobsConfig,
    stop: Arc<AtomicBool>,
    leading: tokio::sync::oneshot::Sender<()>,
) -> Reported {
    let mut queue = PgQueue::open(&config).await.expect("open");
    assert!(queue.lead().await.expect("lead"), "the only lookout leads");
    let _ = leading.send(());
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
    let (leading, led) = tokio::sync::oneshot::channel();
    let lookout = tokio::spawn(monitor(config.clone(), stop.clone(), leading));
    // However long connecting takes (TLS, a busy machine): the first one leads.
    led.await.expect("the monitor leads");
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
    let failed_by_workers: (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT count(*), count(*) FILTER (WHERE state <> 'failed') FROM {name} \
         WHERE last_error = $1"
    )))
    .bind(WORKER_ERROR)
    .fetch_one(&mut admin)
    .await
    .expect("failed by workers");
    assert!(failed_by_workers.0 > 0, "workers failed some jobs");
    assert_eq!(failed_by_workers.1, 0, "a job a worker failed stays failed");
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
