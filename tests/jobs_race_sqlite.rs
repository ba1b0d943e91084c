//! The job monitor racing live workers on a SQLite queue in WAL mode: thousands of jobs,
//! a dozen workers (each with its own connection) that claim, start and finish jobs or
//! die holding them, while passes with timeouts of a few milliseconds run every few
//! milliseconds. Triggers record every change; the audit must show that the monitor
//! never overrode a worker and changed exactly the rows its passes reported.

mod jobs_sqlite_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use jobs_sqlite_support::{
    Audited, Habits, Stamps, WORKER_ERROR, WorkerTally, audit, connect, create_queue, states,
    unfinished, work,
};
use lookout::config::{JobsConfig, JobsDatabase};
use lookout::jobs::sqlite::SqliteQueue;
use lookout::jobs::{Outcome, Phase, Remedy, pass};

const JOBS: usize = 2500;
const WORKERS: u64 = 8;
/// Time between two passes.
const PACE: Duration = Duration::from_millis(1);
/// Past this the test fails rather than hang.
const DEADLINE: Duration = Duration::from_secs(60);

/// A change the monitor made: job id, state before, state after, `last_error` after.
type Change = (i64, String, String, Option<String>);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_never_overrides_a_worker_on_iso_text_timestamps() {
    race(Stamps::IsoText).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_never_overrides_a_worker_on_epoch_timestamps() {
    race(Stamps::EpochReal).await;
}

async fn race(stamps: Stamps) {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("queue.db");
    create_queue(&path, stamps, JOBS).await;

    let mut config = JobsConfig::new(JobsDatabase::Sqlite { path: path.clone() }, "jobs");
    config.claimed_timeout = Duration::from_millis(3);
    config.processing_timeout = Duration::from_millis(6);
    config.max_attempts = Some(3);
    config.batch = 20;
    config.query_timeout = Duration::from_secs(20);
    let mut queue = SqliteQueue::open(&config).await.expect("open");

    let habits = Habits {
        before_start: Duration::from_millis(5),
        processing: Duration::from_millis(9),
        deaths_per_mille: 40,
        failures_per_mille: 100,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (1..=WORKERS)
        .map(|seed| tokio::spawn(work(path.clone(), stamps, habits, seed, stop.clone())))
        .collect();

    let mut reported: Vec<Change> = Vec::new();
    let (mut passes, mut raced, mut longest) = (0u64, 0u64, Duration::ZERO);
    let mut total_took = Duration::ZERO;
    let mut watcher = connect(&path, false).await;
    loop {
        let report = pass::run(&mut queue, &config, SystemTime::now(), true, passes)
            .await
            .expect("pass");
        passes += 1;
        raced += report.raced();
        longest = longest.max(report.took);
        total_took += report.took;
        for action in report.actions.iter().filter(|a| a.outcome == Outcome::Done) {
            reported.push(expected_change(&config, action.row.id.parse().expect("id"), action.row.phase, action.remedy));
        }
        if passes % 50 == 0 && unfinished(&mut watcher).await == 0 {
            break;
        }
        assert!(started.elapsed() < DEADLINE, "the queue never drained");
        tokio::time::sleep(PACE).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut tallies = WorkerTally::default();
    for worker in workers {
        let tally = worker.await.expect("worker");
        tallies.claimed += tally.claimed;
        tallies.completed += tally.completed;
        tallies.failed += tally.failed;
        tallies.died += tally.died;
        tallies.lost += tally.lost;
    }

    let audit = audit(&mut watcher).await;
    let mut engine_changes = check_audit(&config, &audit);
    let by_state: BTreeMap<String, i64> = states(&mut watcher).await.into_iter().collect();
    let total: i64 = by_state.values().sum();
    assert_eq!(total, JOBS as i64, "{by_state:?}");
    let finished = by_state.get("completed").copied().unwrap_or(0)
        + by_state.get("failed").copied().unwrap_or(0);
    assert_eq!(finished, JOBS as i64, "every job completed or failed: {by_state:?}");

    engine_changes.sort();
    reported.sort();
    assert_eq!(engine_changes.len(), reported.len(), "changes audited vs reported done");
    assert!(engine_changes == reported, "the audited changes differ from the reported ones");

    let count = |from: &str, to: &str| {
        reported
            .iter()
            .filter(|(_, old, new, _)| old == from && new == to)
            .count()
    };
    let (requeued, retried, failed) = (
        count("claimed", "pending"),
        count("processing", "pending"),
        count("processing", "failed"),
    );
    eprintln!(
        "{stamps:?}: {passes} passes (longest {longest:?}), {requeued} requeued, {retried} \
         retried, {failed} failed, {raced} raced; took {total_took:?}; workers {tallies:?}; {by_state:?}; \
         {:?}",
        started.elapsed()
    );
    assert!(passes >= 1000, "only {passes} passes");
    assert!(requeued > 0 && retried > 0 && failed > 0, "no rescue of some kind");
    assert!(tallies.completed > 0 && tallies.failed > 0 && tallies.lost > 0);
}

/// The change a `Done` action stands for.
fn expected_change(config: &JobsConfig, id: i64, phase: Phase, remedy: Remedy) -> Change {
    let from = match phase {
        Phase::Claimed => "claimed",
        Phase::Processing => "processing",
    };
    let timeout = pass::timeout(config, phase);
    let (to, error) = match remedy {
        Remedy::Requeue => ("pending", None),
        Remedy::Retry => ("pending", Some(pass::reason(remedy, timeout))),
        Remedy::Fail => ("failed", Some(pass::reason(remedy, timeout))),
    };
    (id, from.to_string(), to.to_string(), error)
}

/// Checks every audited change is one a worker or the monitor may make, and returns the
/// monitor's (a requeue's `last_error` left out: it is not written).
fn check_audit(config: &JobsConfig, audit: &[Audited]) -> Vec<Change> {
    let retry = pass::reason(Remedy::Retry, config.processing_timeout);
    let fail = pass::reason(Remedy::Fail, config.processing_timeout);
    let mut engine = Vec::new();
    for change in audit {
        assert_eq!(change.op, "update", "rows are never added or removed: {change:?}");
        let from = change.old_state.as_deref().unwrap_or("");
        let to = change.new_state.as_deref().unwrap_or("");
        let error = change.new_error.as_deref();
        assert!(from != "completed", "a completed job was changed: {change:?}");
        assert!(from != "failed", "a failed job was changed: {change:?}");
        let by_worker = matches!(
            (from, to),
            ("pending", "claimed") | ("claimed", "processing") | ("processing", "completed")
        ) || (from, to, error) == ("processing", "failed", Some(WORKER_ERROR));
        if by_worker {
            continue;
        }
        let by_monitor = match (from, to) {
            ("claimed", "pending") => change.new_error == change.old_error,
            ("processing", "pending") => error == Some(retry.as_str()),
            ("processing", "failed") => error == Some(fail.as_str()),
            _ => false,
        };
        assert!(by_monitor && change.rest_unchanged, "a change nobody may make: {change:?}");
        let written = if to == "pending" && from == "claimed" {
            None
        } else {
            change.new_error.clone()
        };
        engine.push((change.job_id, from.to_string(), to.to_string(), written));
    }
    engine
}
